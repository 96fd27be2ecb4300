// The board's columns as data (no DOM, so it loads under Node): which step stands in which column,
// under which macro-stage, and how the stage headers span them. The grid (board-grid.js) lays them out;
// the emotions lane (emotions.js) draws its curves along them.
import {orderedStages, orderedSteps} from "./store.js";

/** Columns: each stage's steps (or one empty column for a stage without steps), then steps outside
 *  stages: [{step, stage, index, count}] (index and count: within the stage). */
export function columns(view) {
  const steps = orderedSteps(view);
  const cols = [];
  for (const stage of orderedStages(view)) {
    const own = steps.filter((s) => s.stage_id === stage.id);
    if (own.length) own.forEach((step, i) => cols.push({step, stage, index: i, count: own.length}));
    else cols.push({step: null, stage, index: 0, count: 0});
  }
  const loose = steps.filter((s) => !s.stage_id || !view.stages.has(s.stage_id));
  loose.forEach((step, i) => cols.push({step, stage: null, index: i, count: loose.length}));
  return cols;
}

/** The stage headers over `cols`: [{stage, span, start, loose}], `start` the first grid column (the
 *  lane heads take column 1); the steps outside stages share one header. */
export function stageGroups(cols) {
  const groups = [];
  cols.forEach((c, i) => {
    const last = groups[groups.length - 1];
    if (last && last.stage === c.stage && c.stage !== null) last.span += 1;
    else if (last && c.stage === null && last.stage === null && last.loose) last.span += 1;
    else groups.push({stage: c.stage, span: 1, start: i + 2, loose: c.stage === null});
  });
  return groups;
}
