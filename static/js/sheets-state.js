// Chantier sheets and emotion ratings in the store: the event handlers, pure functions with no DOM
// that store.js plugs in (this browser's predictions of its own ops: predict.js).
// They never mutate `state.extra` in place (the overlay's copy shares it with the store of record):
// each change replaces `state.extra` and the list it touches.

const bySheetOrder = (a, b) => (a.position ?? 0) - (b.position ?? 0) || String(a.id).localeCompare(String(b.id));

function putSheet(s, sheet) {
  const list = (s.extra.chantiers || []).filter((x) => x.id !== sheet.id);
  const prev = (s.extra.chantiers || []).find((x) => x.id === sheet.id);
  list.push(prev ? {...prev, ...sheet} : {position: list.length, ...sheet});
  s.extra = {...s.extra, chantiers: list.sort(bySheetOrder)};
}

function dropSheet(s, id) {
  const list = (s.extra.chantiers || [])
    .filter((x) => x.id !== id)
    .sort(bySheetOrder)
    .map((x, i) => (x.position === i ? x : {...x, position: i}));
  s.extra = {...s.extra, chantiers: list};
}

/** One emotion.set: the rater's perspective's new average for the step, and the step's resonance.
 *  `mine` counts only when this browser is the rater (others' events carry `mine: null`). */
function setEmotion(s, d, meta) {
  const byMe = !!(meta && meta.byMe) || !!d.predicted;
  const rows = s.extra.emotions || [];
  const same = (r) => r.step_id === d.step_id && r.perspective === d.perspective;
  const prev = rows.find(same);
  const next = rows.filter((r) => !same(r));
  const mine = byMe ? (d.mine ?? null) : prev ? (prev.mine ?? null) : null;
  // A facilitator's rating without a side counts nowhere (count 0) but still shows as its own.
  if (d.count > 0 || (mine !== null && mine !== undefined))
    next.push({step_id: d.step_id, perspective: d.perspective, average: d.average, count: d.count, mine});
  const left = d.previous; // the side a re-rated score left: its row's new average and count
  if (left) {
    const i = next.findIndex((r) => r.step_id === left.step_id && r.perspective === left.perspective);
    if (i !== -1) next.splice(i, 1);
    if (left.count > 0) next.push({...left, mine: null});
  }
  let resonance = s.extra.resonance || [];
  if (d.resonance) {
    resonance = resonance.some((r) => r.step_id === d.step_id)
      ? resonance.map((r) => (r.step_id === d.step_id ? d.resonance : r))
      : resonance.concat([d.resonance]);
  }
  s.extra = {...s.extra, emotions: next, resonance};
}

/** A new step has an empty resonance row (the snapshot lists one per step); a deleted step takes
 *  its ratings and its row with it. */
export function addStepMirror(s, stepId) {
  if ((s.extra.resonance || []).some((r) => r.step_id === stepId)) return;
  const row = {step_id: stepId, customer: null, employee: null, category: null};
  s.extra = {...s.extra, resonance: (s.extra.resonance || []).concat([row])};
}

export function dropStepMirror(s, stepId) {
  s.extra = {
    ...s.extra,
    resonance: (s.extra.resonance || []).filter((r) => r.step_id !== stepId),
    emotions: (s.extra.emotions || []).filter((r) => r.step_id !== stepId),
  };
}

/** A restored step (step.restore) brings its ratings back: the step's rows and resonance, as sent. */
export function restoreStepMirror(s, d) {
  const stepId = d.step.id;
  const emotions = (s.extra.emotions || []).filter((r) => r.step_id !== stepId).concat(d.emotions || []);
  const resonance = (s.extra.resonance || []).filter((r) => r.step_id !== stepId).concat(d.resonance ? [d.resonance] : []);
  s.extra = {...s.extra, emotions, resonance};
}

export const SHEET_HANDLERS = {
  "chantier.add": (s, d) => putSheet(s, d),
  "chantier.update": (s, d) => putSheet(s, d),
  "chantier.delete": (s, d) => dropSheet(s, d.id),
  "chantier.from_winners": (s, d) => {
    for (const sheet of d.chantiers || []) putSheet(s, sheet);
  },
  "emotion.set": setEmotion,
};

/** A promoted chantier vote gives sheets their `priority`. */
export function promoteSheets(s, items) {
  for (const item of items || []) putSheet(s, item);
}
