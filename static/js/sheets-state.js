// Chantier sheets and emotion ratings in the store: the event handlers and this browser's predictions
// of its own ops (the optimistic overlay). Pure functions, no DOM: store.js and socket.js plug them in.
// They never mutate `state.extra` in place (the overlay's copy shares it with the store of record):
// each change replaces `state.extra` and the list it touches.

export const CHANTIER_FIELDS = ["problem", "objective", "solution", "owner", "sponsor", "departments", "start", "end",
  "milestones", "effort", "impact", "prerequisites", "risks", "kpis", "budget", "status", "step_ids", "card_ids"];
export const STATUSES = ["draft", "validated", "in_progress", "done"];
// CONTRACT.md §4, Resonance: rows are the customer's reading, columns the employee's.
export const RESONANCE = [
  {category: "great_moment", customer: "positive", employee: "positive"},
  {category: "lucky_break", customer: "positive", employee: "none"},
  {category: "pain", customer: "positive", employee: "negative"},
  {category: "wrong_fight", customer: "negative", employee: "positive"},
  {category: "blindness", customer: "negative", employee: "none"},
  {category: "dead_end", customer: "negative", employee: "negative"},
];

export function reading(average) {
  if (average === null || average === undefined) return "none";
  if (average >= 0.5) return "positive";
  if (average <= -0.5) return "negative";
  return "none";
}

export function category(customer, employee) {
  const c = reading(customer);
  const e = reading(employee);
  const hit = RESONANCE.find((r) => r.customer === c && r.employee === e);
  return hit ? hit.category : null;
}

const bySheetOrder = (a, b) => (a.position ?? 0) - (b.position ?? 0) || String(a.id).localeCompare(String(b.id));

function putSheet(s, sheet) {
  const list = (s.extra.chantiers || []).filter((x) => x.id !== sheet.id);
  const prev = (s.extra.chantiers || []).find((x) => x.id === sheet.id);
  list.push(prev ? {...prev, ...sheet} : {position: list.length, ...sheet});
  s.extra = {...s.extra, chantiers: list.sort(bySheetOrder)};
}

function dropSheet(s, id) {
  const list = (s.extra.chantiers || []).filter((x) => x.id !== id).sort(bySheetOrder)
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
  const mine = byMe ? (d.mine ?? null) : (prev ? prev.mine ?? null : null);
  // A facilitator's rating without a side counts nowhere (count 0) but still shows as its own.
  if (d.count > 0 || (mine !== null && mine !== undefined)) next.push({step_id: d.step_id, perspective: d.perspective, average: d.average, count: d.count, mine});
  const left = d.previous;  // the side a re-rated score left: its row's new average and count
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
  s.extra = {...s.extra, resonance: (s.extra.resonance || []).filter((r) => r.step_id !== stepId),
             emotions: (s.extra.emotions || []).filter((r) => r.step_id !== stepId)};
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
  "chantier.from_winners": (s, d) => { for (const sheet of d.chantiers || []) putSheet(s, sheet); },
  "emotion.set": setEmotion,
};

/** The field names a `chantier.update` op sets (what a conflict on it is about). */
export function updatedFields(op) {
  return ["title", ...CHANTIER_FIELDS].filter((name) => name in op);
}

/** A promoted chantier vote gives sheets their `priority`. */
export function promoteSheets(s, items) {
  for (const item of items || []) putSheet(s, item);
}

// -- predictions ----------------------------------------------------------------------------------

const round2 = (x) => Math.round(x * 100) / 100;

function pickFields(op) {
  const out = {};
  for (const name of ["title", ...CHANTIER_FIELDS]) if (name in op) out[name] = op[name];
  return out;
}

export const SHEET_PREDICT = {
  "chantier.add": (state, op) => {
    const list = state.extra.chantiers || [];
    if (list.some((x) => x.id === op.id)) return null;
    const blank = Object.fromEntries(CHANTIER_FIELDS.map((n) => [n, null]));
    return {...blank, status: "draft", ...pickFields(op), id: op.id, version: 0, position: list.length, priority: null};
  },
  "chantier.update": (state, op) => {
    const sheet = (state.extra.chantiers || []).find((x) => x.id === op.id);
    return sheet ? {...sheet, ...pickFields(op)} : null;
  },
  "chantier.delete": (state, op) => ((state.extra.chantiers || []).some((x) => x.id === op.id) ? {id: op.id} : null),
  "emotion.set": (state, op, me) => {
    if (!state.steps.has(op.step_id)) return null;
    // CONTRACT.md §6: no perspective counts as customer, except the facilitator's, which counts nowhere.
    const perspective = me.perspective || (me.role === "facilitator" ? "none" : "customer");
    if (perspective === "none") return {step_id: op.step_id, perspective, average: null, count: 0, mine: op.score ?? null, predicted: true};
    const rows = state.extra.emotions || [];
    const prev = rows.find((r) => r.step_id === op.step_id && r.perspective === perspective);
    let n = prev ? prev.count : 0;
    let sum = prev && prev.average !== null ? prev.average * n : 0;
    if (prev && prev.mine !== null && prev.mine !== undefined) { sum -= prev.mine; n -= 1; }
    if (op.score !== null && op.score !== undefined) { sum += op.score; n += 1; }
    const average = n > 0 ? round2(sum / n) : null;
    const other = rows.find((r) => r.step_id === op.step_id && r.perspective !== perspective);
    const customer = perspective === "customer" ? average : (other ? other.average : null);
    const employee = perspective === "employee" ? average : (other ? other.average : null);
    return {step_id: op.step_id, perspective, average, count: n, mine: op.score ?? null, predicted: true,
            resonance: {step_id: op.step_id, customer, employee, category: category(customer, employee)}};
  },
};
