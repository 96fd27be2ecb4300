// The board's layout as data, without a browser: which step stands in which column under which
// stage, how the stage headers span them, and where the arrow keys lead in the grid's rows.
import {test} from "node:test";
import assert from "node:assert/strict";
import {columns, stageGroups} from "../../static/js/board-columns.js";
import {neighbourIn} from "../../static/js/grid-focus.js";

const byId = (rows) => new Map(rows.map((r) => [r.id, r]));
const view = {
  stages: byId([
    {id: "after", title: "Après", position: 2},
    {id: "before", title: "Avant", position: 1},
    {id: "empty", title: "Vide", position: 3},
  ]),
  steps: byId([
    {id: "pay", stage_id: "after", position: 1},
    {id: "find", stage_id: "before", position: 2},
    {id: "learn", stage_id: "before", position: 1},
    {id: "lost", stage_id: "gone", position: 1},
    {id: "free", stage_id: null, position: 0},
  ]),
};

test("columns: each stage's steps in order, an empty column for a stage without steps, then loose steps", () => {
  const cols = columns(view);
  assert.deepEqual(
    cols.map((c) => [c.stage && c.stage.id, c.step && c.step.id, c.index, c.count]),
    [
      ["before", "learn", 0, 2],
      ["before", "find", 1, 2],
      ["after", "pay", 0, 1],
      ["empty", null, 0, 0],
      [null, "free", 0, 2],
      [null, "lost", 1, 2],
    ],
  );
});

test("stage headers span their steps from grid column 2; loose steps share one header", () => {
  assert.deepEqual(
    stageGroups(columns(view)).map((g) => [g.stage && g.stage.id, g.start, g.span]),
    [
      ["before", 2, 2],
      ["after", 4, 1],
      ["empty", 5, 1],
      [null, 6, 2],
    ],
  );
  assert.deepEqual(stageGroups([]), []);
});

test("arrow keys: along a row past a spanning header, up and down to the covering cell, Home and End", () => {
  const rows = [
    ["corner", "stage", "stage", "add"],
    ["steps", "s1", "s2"],
    ["lane", "c1", "c2"],
  ];
  assert.equal(neighbourIn(rows, {row: 0, col: 1}, "stage", 0, 1), "add");
  assert.equal(neighbourIn(rows, {row: 0, col: 1}, "stage", 0, -1), "corner");
  assert.equal(neighbourIn(rows, {row: 1, col: 2}, "s2", -1, 0), "stage");
  assert.equal(neighbourIn(rows, {row: 0, col: 3}, "add", 1, 0), "s2");
  assert.equal(neighbourIn(rows, {row: 2, col: 2}, "c2", 0, 1), null);
  assert.equal(neighbourIn(rows, {row: 2, col: 2}, "c2", 1, 0), null);
  assert.equal(neighbourIn(rows, {row: 2, col: 1}, "c1", 0, 0, -1), "lane");
  assert.equal(neighbourIn(rows, {row: 2, col: 1}, "c1", 0, 0, 1), "c2");
});
