// The one store of board state. It changes only by snapshots and events (applied in seq order);
// the same apply functions draw the optimistic overlay of this browser's unacknowledged ops.
import {SHEET_HANDLERS, addStepMirror, dropStepMirror, promoteSheets, restoreStepMirror} from "./sheets-state.js";
import {VOTE_HANDLERS} from "./vote-state.js";

const byId = (list) => new Map((list || []).map((x) => [x.id, x]));
const byPosition = (a, b) => (a.position ?? 0) - (b.position ?? 0) || String(a.id).localeCompare(String(b.id));

export function fromSnapshot(snap) {
  return {
    map: {...snap.map},
    seq: snap.seq,
    stages: byId(snap.stages),
    steps: byId(snap.steps),
    lanes: byId(snap.lanes),
    cards: byId(snap.cards),
    comments: byId(snap.comments),
    participants: byId(snap.participants),
    online: new Set((snap.participants || []).filter((p) => p.online).map((p) => p.id)),
    timer: snap.timer || null,
    extra: {emotions: snap.emotions, resonance: snap.resonance, rounds: snap.rounds, my_votes: snap.my_votes, chantiers: snap.chantiers},
  };
}

/** A copy that can be changed without touching `state` (items are replaced, never mutated). */
export function cloneState(state) {
  return {
    ...state,
    map: {...state.map},
    stages: new Map(state.stages),
    steps: new Map(state.steps),
    lanes: new Map(state.lanes),
    cards: new Map(state.cards),
    comments: new Map(state.comments),
    participants: new Map(state.participants),
    online: new Set(state.online),
  };
}

// -- ordering (the server's reorder(): take the item out, insert it at `position`, renumber) -------

const ALL = () => "";
const STEP_GROUP = (s) => s.stage_id || "";
const CELL = (c) => `${c.lane_id}|${c.step_id}`;

function renumber(coll, groupKey, key, exclude) {
  const members = [...coll.values()].filter((x) => groupKey(x) === key && x.id !== exclude).sort(byPosition);
  members.forEach((x, i) => {
    if (x.position !== i) coll.set(x.id, {...x, position: i});
  });
}

function place(coll, item, groupKey) {
  const prev = coll.get(item.id);
  const key = groupKey(item);
  if (prev && groupKey(prev) !== key) renumber(coll, groupKey, groupKey(prev), item.id);
  const members = [...coll.values()].filter((x) => groupKey(x) === key && x.id !== item.id).sort(byPosition);
  const index = item.position == null ? members.length : Math.max(0, Math.min(item.position, members.length));
  members.splice(index, 0, item);
  members.forEach((x, i) => {
    if (x === item) coll.set(x.id, {...x, position: i});
    else if (x.position !== i) coll.set(x.id, {...x, position: i});
  });
}

function removeIn(coll, id, groupKey) {
  const prev = coll.get(id);
  if (!prev) return;
  coll.delete(id);
  renumber(coll, groupKey, groupKey(prev));
}

function removeCards(state, ids) {
  for (const id of ids || []) {
    state.cards.delete(id);
    for (const c of [...state.comments.values()]) if (c.target_id === id) state.comments.delete(c.id);
  }
}

/** Cards (and the comments on them) brought back by a *.restore, at the positions the server gave. */
function restoreCards(state, d) {
  for (const card of d.cards || []) place(state.cards, card, CELL);
  for (const comment of d.comments || []) state.comments.set(comment.id, comment);
}

const HANDLERS = {
  "stage.add": (s, d) => place(s.stages, d, ALL),
  "stage.update": (s, d) => place(s.stages, d, ALL),
  "stage.delete": (s, d) => {
    const free = [...s.steps.values()].filter((x) => !x.stage_id).length;
    (d.step_ids || []).forEach((id, i) => {
      const step = s.steps.get(id);
      if (step) s.steps.set(id, {...step, stage_id: null, position: free + i});
    });
    removeIn(s.stages, d.id, ALL);
  },
  "step.add": (s, d) => {
    place(s.steps, d, STEP_GROUP);
    addStepMirror(s, d.id);
  },
  "step.update": (s, d) => place(s.steps, d, STEP_GROUP),
  "step.move": (s, d) => place(s.steps, d, STEP_GROUP),
  "step.delete": (s, d) => {
    removeCards(s, d.card_ids);
    removeIn(s.steps, d.id, STEP_GROUP);
    dropStepMirror(s, d.id);
  },
  "lane.add": (s, d) => place(s.lanes, d, ALL),
  "lane.update": (s, d) => place(s.lanes, d, ALL),
  "lane.move": (s, d) => place(s.lanes, d, ALL),
  "lane.delete": (s, d) => {
    removeCards(s, d.card_ids);
    removeIn(s.lanes, d.id, ALL);
  },
  "card.add": (s, d) => place(s.cards, d, CELL),
  "card.update": (s, d) => place(s.cards, d, CELL),
  "card.move": (s, d) => place(s.cards, d, CELL),
  "card.delete": (s, d) => {
    const comments = [...s.comments.values()].filter((c) => c.target_id === d.id);
    comments.forEach((c) => s.comments.delete(c.id));
    removeIn(s.cards, d.id, CELL);
  },
  "card.restore": restoreCards,
  "lane.restore": (s, d) => {
    if (d.lane) place(s.lanes, d.lane, ALL);
    restoreCards(s, d);
  },
  "step.restore": (s, d) => {
    if (!d.step) return;
    place(s.steps, d.step, STEP_GROUP);
    restoreCards(s, d);
    restoreStepMirror(s, d);
  },
  "stage.restore": (s, d) => {
    if (d.stage) place(s.stages, d.stage, ALL);
    for (const step of d.steps || []) s.steps.set(step.id, step);
  },
  "cards.reveal": (s, d) => {
    for (const c of d.cards || []) s.cards.set(c.id, c);
  },
  "comment.add": (s, d) => {
    s.comments.set(d.id, d);
  },
  "comment.delete": (s, d) => {
    s.comments.delete(d.id);
  },
  "phase.set": (s, d) => {
    s.map = {...s.map, ...d};
  },
  "board.lock": (s, d) => {
    s.map = {...s.map, ...d};
  },
  "board.silent": (s, d) => {
    s.map = {...s.map, ...d};
  },
  "focus.set": (s, d) => {
    s.map = {...s.map, ...d};
  },
  "round.promote": (s, d) => {
    for (const item of d.items || []) {
      if (d.target === "step") place(s.steps, item, STEP_GROUP);
      else if (d.target === "card") s.cards.set(item.id, item);
    }
    if (d.target === "chantier") promoteSheets(s, d.items);
  },
  "timer.start": (s, d) => {
    s.timer = d.timer || null;
  },
  "timer.stop": (s) => {
    s.timer = null;
  },
  "timer.pause": (s, d) => {
    s.timer = d.timer || null;
  },
  "timer.resume": (s, d) => {
    s.timer = d.timer || null;
  },
  "timer.extend": (s, d) => {
    s.timer = d.timer || null;
  },
  "board.settings": (s, d) => {
    s.map = {...s.map, ...d};
  },
  ...SHEET_HANDLERS, // chantier.add/update/delete, emotion.set (sheets-state.js)
  ...VOTE_HANDLERS, // round.open/close, vote.cast/retract (vote-state.js)
};

/** Apply one event's data to `state` (unknown types change nothing the board shows). */
export function applyEvent(state, type, data, meta) {
  const handler = HANDLERS[type];
  if (handler && data) handler(state, data, meta);
}

// -- derived views ----------------------------------------------------------------------------

export function orderedStages(state) {
  return [...state.stages.values()].sort(byPosition);
}

/** Steps as columns: stages in order, their steps in order, then steps outside any stage. */
export function orderedSteps(state) {
  const stageIndex = new Map(orderedStages(state).map((s, i) => [s.id, i]));
  const n = stageIndex.size;
  return [...state.steps.values()].sort(
    (a, b) => (stageIndex.get(a.stage_id) ?? n) - (stageIndex.get(b.stage_id) ?? n) || byPosition(a, b),
  );
}

export function orderedLanes(state) {
  return [...state.lanes.values()].sort(byPosition);
}

export function cellCards(state) {
  const cells = new Map();
  for (const card of state.cards.values()) {
    const key = CELL(card);
    if (!cells.has(key)) cells.set(key, []);
    cells.get(key).push(card);
  }
  for (const list of cells.values()) list.sort(byPosition);
  return cells;
}

export function commentsOn(state, targetId) {
  return [...state.comments.values()].filter((c) => c.target_id === targetId).sort((a, b) => String(a.ts).localeCompare(String(b.ts)));
}

// -- the store --------------------------------------------------------------------------------

export class Store extends EventTarget {
  constructor() {
    super();
    this.state = null;
    this.buffer = new Map(); // seq → event, waiting for the seqs before it
    this.meId = null; // this browser's participant id: tells its own events (emotion.set's `mine`)
  }

  get seq() {
    return this.state ? this.state.seq : 0;
  }

  /** Replace everything by a snapshot (on join, or when sync answers one). */
  reset(snapshot) {
    if (this.state && snapshot.seq < this.state.seq) return;
    const online = this.state ? this.state.online : null;
    this.state = fromSnapshot(snapshot);
    if (online && !snapshot.participants.some((p) => p.online)) this.state.online = online;
    for (const seq of [...this.buffer.keys()]) if (seq <= snapshot.seq) this.buffer.delete(seq);
    this.drain();
    this.changed({snapshot: true});
  }

  /** An event from the server: applied now if it is the next seq, else kept until the gap fills.
   *  Answers true when the store is complete up to the newest seq it has heard of. */
  receive(event) {
    if (this.state && event.seq <= this.state.seq) return !this.hasGap();
    this.buffer.set(event.seq, event);
    if (!this.state) return true;
    const applied = this.drain();
    if (applied.length) this.changed({events: applied});
    return !this.hasGap();
  }

  drain() {
    const applied = [];
    while (this.state && this.buffer.has(this.state.seq + 1)) {
      const event = this.buffer.get(this.state.seq + 1);
      this.buffer.delete(event.seq);
      applyEvent(this.state, event.type, event.data, {byMe: !!this.meId && event.actor_id === this.meId});
      this.state.seq = event.seq;
      applied.push(event);
    }
    return applied;
  }

  hasGap() {
    return this.buffer.size > 0;
  }

  setPresence(participants) {
    if (!this.state) return;
    this.state.online = new Set(participants.map((p) => p.id));
    for (const p of participants) {
      const known = this.state.participants.get(p.id);
      this.state.participants.set(p.id, {...(known || {}), ...p});
    }
    this.changed({presence: true});
  }

  changed(detail) {
    this.dispatchEvent(new CustomEvent("change", {detail}));
  }
}
