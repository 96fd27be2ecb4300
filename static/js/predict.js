// What the server will answer for one of this browser's ops, as far as the browser can tell: the
// `data` of its event, drawn by store.js's own handlers as the optimistic overlay until the real
// event arrives (socket.js `view()`). Pure functions of (state, op, me, now): no DOM, no socket, so
// tests/js run them under Node against the real server's events. `null`: nothing to show (the item
// is gone, or the server will refuse). The lists they need (chantier fields, the resonance table)
// come from the page data (workshop/lists.py), read when first used.
import {page} from "./page.js";
import {ratingSide} from "./rights.js";
import {myDots, roundById, totals} from "./vote-state.js";

const round2 = (x) => Math.round(x * 100) / 100;
const pick = (op, names) => Object.fromEntries(names.filter((n) => n in op).map((n) => [n, op[n]]));

/** The average's reading on one side (CONTRACT.md §4, Resonance), as workshop/views.py reads it. */
export function reading(average) {
  const edge = page().resonance_threshold;
  if (average === null || average === undefined) return "none";
  if (average >= edge) return "positive";
  if (average <= -edge) return "negative";
  return "none";
}

/** One of the six situations (or null) for a step's customer and employee averages. */
export function category(customer, employee) {
  const c = reading(customer);
  const e = reading(employee);
  const hit = page().resonance.find((r) => r.customer === c && r.employee === e);
  return hit ? hit.category : null;
}

const sheetFields = () => ["title", ...page().chantier_fields];

/** The field names a `chantier.update` op sets (what a conflict on it is about). */
export function updatedFields(op) {
  return sheetFields().filter((name) => name in op);
}

const SHEETS = {
  "chantier.add": (state, op) => {
    const list = state.extra.chantiers || [];
    if (list.some((x) => x.id === op.id)) return null;
    const blank = Object.fromEntries(page().chantier_fields.map((n) => [n, null]));
    return {...blank, status: "draft", ...pick(op, sheetFields()), id: op.id, version: 1, position: list.length, priority: null};
  },
  "chantier.update": (state, op) => {
    const sheet = (state.extra.chantiers || []).find((x) => x.id === op.id);
    return sheet ? {...sheet, ...pick(op, sheetFields()), version: sheet.version + 1} : null;
  },
  "chantier.delete": (state, op) => ((state.extra.chantiers || []).some((x) => x.id === op.id) ? {id: op.id} : null),
  "emotion.set": (state, op, me) => {
    if (!state.steps.has(op.step_id)) return null;
    // CONTRACT.md §6: no perspective counts as customer, except the facilitator's, which counts nowhere.
    const perspective = ratingSide(me);
    if (perspective === "none") {
      return {step_id: op.step_id, perspective, average: null, count: 0, mine: op.score ?? null, predicted: true};
    }
    const rows = state.extra.emotions || [];
    const prev = rows.find((r) => r.step_id === op.step_id && r.perspective === perspective);
    let n = prev ? prev.count : 0;
    let sum = prev && prev.average !== null ? prev.average * n : 0;
    if (prev && prev.mine !== null && prev.mine !== undefined) {
      sum -= prev.mine;
      n -= 1;
    }
    if (op.score !== null && op.score !== undefined) {
      sum += op.score;
      n += 1;
    }
    const average = n > 0 ? round2(sum / n) : null;
    const other = rows.find((r) => r.step_id === op.step_id && r.perspective !== perspective);
    const customer = perspective === "customer" ? average : other ? other.average : null;
    const employee = perspective === "employee" ? average : other ? other.average : null;
    return {
      step_id: op.step_id,
      perspective,
      average,
      count: n,
      mine: op.score ?? null,
      predicted: true,
      resonance: {step_id: op.step_id, customer, employee, category: category(customer, employee)},
    };
  },
};

/** My own vote: refused here when the budget or the cap per item is spent, as the server would. */
function predictVote(state, op, me) {
  const round = roundById(state, op.round_id);
  if (!round || !round.open) return null;
  const mine = myDots(state, round.id);
  const on = mine.per.get(op.target_id) || 0;
  const cast = op.type === "vote.cast";
  if (cast && (mine.total >= round.budget || on >= (round.max_per_item || round.budget))) return null;
  if (!cast && on === 0) return null;
  const t = totals(round);
  const target_votes = t ? Math.max(0, (t.get(op.target_id) || 0) + (cast ? 1 : -1)) : null;
  // `voters` counts people: my first dot adds me, taking back my last one removes me.
  const voters = (round.voters || 0) + (cast && mine.total === 0 ? 1 : !cast && mine.total === 1 ? -1 : 0);
  return {
    round_id: round.id,
    target_id: op.target_id,
    participant_id: me.id,
    secret: round.secret,
    remaining: round.budget - mine.total - (cast ? 1 : -1),
    target_votes,
    voters,
    predicted: true,
  };
}

/** The data of the event `op` will make, or null. `now`: the server's clock (ms), for timestamps. */
export function predict(state, op, me, now = Date.now()) {
  const card = op.id ? state.cards.get(op.id) : null;
  const step = op.id ? state.steps.get(op.id) : null;
  const stage = op.id ? state.stages.get(op.id) : null;
  const lane = op.id ? state.lanes.get(op.id) : null;
  switch (op.type) {
    case "card.add":
      if (card) return null;
      return {
        id: op.id,
        lane_id: op.lane_id,
        step_id: op.step_id,
        kind: op.kind || "note",
        text: op.text,
        author_id: me.id,
        perspective: op.perspective || me.perspective || null,
        channel: op.channel || null,
        builds_on: op.builds_on || null,
        position: op.position ?? null,
        visibility: state.map.silent_writing ? "author" : op.visibility || "all",
        version: 1,
        hidden: !!state.map.silent_writing || op.visibility === "author",
        selected: false,
      };
    // A new row starts at version 1 and every change adds one, as on the server (models.py).
    case "card.update":
      return card ? {...card, ...pick(op, ["text", "kind", "channel", "perspective"]), version: card.version + 1} : null;
    case "card.move":
      return card ? {...card, lane_id: op.lane_id, step_id: op.step_id, position: op.position, version: card.version + 1} : null;
    case "card.delete":
      return card ? {id: op.id} : null;
    case "comment.add":
      return state.comments.has(op.id)
        ? null
        : {id: op.id, target_id: op.target_id, text: op.text, author_id: me.id, ts: new Date(now).toISOString()};
    case "comment.delete":
      return {id: op.id};
    case "stage.add":
      return stage ? null : {id: op.id, title: op.title, position: op.position ?? null};
    case "stage.update":
      return stage ? {...stage, ...pick(op, ["title", "position"])} : null;
    case "stage.delete":
      return stage
        ? {
            id: op.id,
            step_ids: [...state.steps.values()]
              .filter((s) => s.stage_id === op.id)
              .sort((a, b) => a.position - b.position)
              .map((s) => s.id),
          }
        : null;
    case "step.add":
      return step
        ? null
        : {
            id: op.id,
            title: op.title,
            stage_id: op.stage_id || null,
            position: op.position ?? null,
            description: op.description || "",
            key_moment: false,
          };
    case "step.update": {
      if (!step) return null;
      const next = {...step, ...pick(op, ["title", "description", "key_moment"])};
      if ("stage_id" in op && op.stage_id !== step.stage_id) Object.assign(next, {stage_id: op.stage_id, position: null});
      return next;
    }
    case "step.move":
      return step ? {...step, stage_id: "stage_id" in op ? op.stage_id : step.stage_id, position: op.position} : null;
    case "step.delete":
      return step ? {id: op.id, card_ids: [...state.cards.values()].filter((c) => c.step_id === op.id).map((c) => c.id)} : null;
    case "lane.add":
      return lane ? null : {id: op.id, title: op.title, kind: op.kind || "custom", position: op.position ?? null};
    case "lane.update":
      return lane ? {...lane, ...pick(op, ["title", "kind"])} : null;
    case "lane.move":
      return lane ? {...lane, position: op.position} : null;
    case "lane.delete":
      return lane ? {id: op.id, card_ids: [...state.cards.values()].filter((c) => c.lane_id === op.id).map((c) => c.id)} : null;
    case "phase.set":
      return {phase: op.phase};
    case "board.lock":
      return {locked: op.locked};
    case "board.silent":
      return {silent_writing: op.silent};
    case "focus.set":
      return {focus_step_id: op.step_id};
    case "timer.start":
      return {timer: {ends_at: new Date(now + op.seconds * 1000).toISOString(), label: op.label || null}};
    case "timer.stop":
      return {timer: null};
    case "vote.cast":
    case "vote.retract":
      return predictVote(state, op, me);
    default:
      return SHEETS[op.type] ? SHEETS[op.type](state, op, me) : null;
  }
}
