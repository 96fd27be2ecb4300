// A chantier sheet's values as data, without a browser: rows of milestones and KPIs as stored, their
// one-line text, what "keep both" gives after a conflict, and what a sheet may still link.
import {test} from "node:test";
import assert from "node:assert/strict";
import {datesInverted, linkableCards, linkableSteps, mergePairs, mergeTexts, pairs, pairsText} from "../../static/js/sheet-values.js";

test("rows as stored: a milestone without a date keeps null, a missing part is empty", () => {
  assert.deepEqual(pairs("milestones", [{label: "Pilote"}, {date: "2025-03-01", label: "Lancement", extra: 1}]), [
    {date: null, label: "Pilote"},
    {date: "2025-03-01", label: "Lancement"},
  ]);
  assert.deepEqual(pairs("kpis", [{name: "NPS"}]), [{name: "NPS", target: ""}]);
  assert.deepEqual(pairs("kpis", null), []);
});

test("one line per list, for the conflict note", () => {
  assert.equal(pairsText("milestones", [{label: "Pilote"}, {date: "2025-03-01", label: "Lancement"}]), "Pilote ; 2025-03-01 — Lancement");
  assert.equal(pairsText("kpis", []), "—");
});

test("keeping both: theirs, then mine that they lack; texts joined and cut at the limit", () => {
  const theirs = [{name: "NPS", target: "+10"}];
  assert.deepEqual(
    mergePairs(theirs, [
      {name: "NPS", target: "+10"},
      {name: "Délai", target: "2 j"},
    ]),
    [
      {name: "NPS", target: "+10"},
      {name: "Délai", target: "2 j"},
    ],
  );
  assert.equal(mergeTexts("leur texte", "le mien", "\n", 200), "leur texte\nle mien");
  assert.equal(mergeTexts("abc", "def", " / ", 5), "abc /");
  assert.equal(mergeTexts("", "le mien", "\n", 200), "le mien");
});

test("an end before the start is said; an open range is not", () => {
  assert.equal(datesInverted({start: "2025-05-01", end: "2025-04-01"}), true);
  assert.equal(datesInverted({start: "2025-04-01", end: "2025-05-01"}), false);
  assert.equal(datesInverted({end: "2025-04-01"}), false);
});

test("a sheet links steps not yet linked, and irritants or ideas with a text on its steps", () => {
  const map = (rows) => new Map(rows.map((r) => [r.id, r]));
  const view = {
    stages: new Map(),
    steps: map([
      {id: "s2", position: 2},
      {id: "s1", position: 1},
    ]),
    cards: map([
      {id: "a", kind: "idea", text: "Idée", step_id: "s1"},
      {id: "b", kind: "irritant", text: "Attente", step_id: "s2"},
      {id: "c", kind: "note", text: "Note", step_id: "s1"},
      {id: "d", kind: "idea", text: null, step_id: "s1"},
    ]),
  };
  assert.deepEqual(
    linkableSteps(view, ["s2"]).map((s) => s.id),
    ["s1"],
  );
  assert.deepEqual(
    linkableSteps(view, []).map((s) => s.id),
    ["s1", "s2"],
  );
  assert.deepEqual(
    linkableCards(view, [], []).map((c) => c.id),
    ["a", "b"],
  );
  assert.deepEqual(
    linkableCards(view, ["a"], ["s1"]).map((c) => c.id),
    [],
  );
  assert.deepEqual(
    linkableCards(view, [], ["s2"]).map((c) => c.id),
    ["b"],
  );
});
