// Undo / redo of this person's own last changes on this map, built as ops like any other change:
// when an op leaves this browser, its inverse is computed from the board as shown just before
// (conn.view()), and undoing sends that inverse op. Everyone sees the undo as a normal change, any
// screen of the same person shares the stack (localStorage, per map and participant), and it
// survives a reload. Ctrl+Z / Ctrl+Shift+Z (or Ctrl+Y) outside text fields, and an "undo" toast
// after a delete. An undo whose target changed meanwhile (someone else edited it) is refused with
// a message rather than overwriting their work.
import {t, toast} from "./dom.js";
import {actionToast} from "./room.js";
import {updatedFields} from "./predict.js";

const LIMIT = 50;
// After these, a toast offers to undo at once (what was deleted may be a whole column of work).
const DELETED = {
  "card.delete": "facil.card_deleted",
  "step.delete": "facil.step_deleted",
  "lane.delete": "facil.lane_deleted",
  "stage.delete": "facil.stage_deleted",
};
const CARD_FIELDS = ["text", "kind", "channel", "perspective"];
const same = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const pick = (obj, names) => Object.fromEntries(names.filter((n) => n in obj).map((n) => [n, obj[n]]));
const itemsOf = (view, kind) => ({card: view.cards, step: view.steps, stage: view.stages, lane: view.lanes})[kind];
const sheetOf = (view, id) => ((view.extra && view.extra.chantiers) || []).find((s) => s.id === id);

/** The op that takes `op` back (as sent, with its op_id), from the board as it was just before `op`;
 *  null when it cannot be undone. */
export function inverseOf(view, op) {
  const card = op.id ? view.cards.get(op.id) : null;
  switch (op.type) {
    case "card.add":
      return {type: "card.delete", id: op.id};
    // A delete is undone by the server, from what the delete kept (ops/kept.py): the card with its
    // comments, the step/lane with its cards, the stage with its steps (`op.op_id`: the delete's).
    case "card.delete":
      return card ? {type: "card.restore", id: op.id, delete_op_id: op.op_id} : null;
    case "step.delete":
    case "lane.delete":
    case "stage.delete": {
      const kind = op.type.split(".")[0];
      return itemsOf(view, kind).has(op.id) ? {type: `${kind}.restore`, id: op.id, delete_op_id: op.op_id} : null;
    }
    case "card.update": {
      if (!card) return null;
      const names = CARD_FIELDS.filter((n) => n in op);
      return names.length ? {type: "card.update", id: op.id, ...pick(card, names)} : null;
    }
    case "card.move":
      return card
        ? {type: "card.move", id: op.id, lane_id: card.lane_id, step_id: card.step_id, position: card.position ?? undefined}
        : null;
    case "chantier.update": {
      const sheet = sheetOf(view, op.id);
      const names = updatedFields(op);
      return sheet && names.length ? {type: "chantier.update", id: op.id, ...pick(sheet, names)} : null;
    }
    case "step.update":
    case "stage.update":
    case "lane.update": {
      const map = {step: view.steps, stage: view.stages, lane: view.lanes}[op.type.split(".")[0]];
      const item = map.get(op.id);
      const names = ["title", "description", "kind"].filter((n) => n in op && n !== "key_moment");
      return item && names.length ? {type: op.type, id: op.id, ...pick(item, names)} : null;
    }
    default:
      return null;
  }
}

/** Is the board still as `op` left it (so that taking it back overwrites nobody else's change)? */
function stillAsLeft(view, op) {
  const card = op.id ? view.cards.get(op.id) : null;
  switch (op.type) {
    case "card.add":
      return !!card && card.text === op.text;
    case "card.delete":
    case "step.delete":
    case "lane.delete":
    case "stage.delete":
      return !itemsOf(view, op.type.split(".")[0]).has(op.id);
    case "card.restore":
    case "step.restore":
    case "lane.restore":
    case "stage.restore":
      return itemsOf(view, op.type.split(".")[0]).has(op.id);
    case "card.update":
      return !!card && CARD_FIELDS.every((n) => !(n in op) || same(card[n], op[n]));
    case "card.move":
      return !!card && card.lane_id === op.lane_id && card.step_id === op.step_id;
    case "chantier.update": {
      const sheet = sheetOf(view, op.id);
      return !!sheet && updatedFields(op).every((n) => same(sheet[n], op[n]));
    }
    default: {
      const map = {"step.update": view.steps, "stage.update": view.stages, "lane.update": view.lanes}[op.type];
      const item = map && map.get(op.id);
      return !!item && ["title", "description", "kind"].every((n) => !(n in op) || same(item[n], op[n]));
    }
  }
}

const strip = (op) => {
  const {op_id: _id, map_id: _map, base_version: _base, ...rest} = op;
  return rest;
};

export class Undo {
  constructor({conn, me, mapId}) {
    this.conn = conn;
    this.key = `parcours:undo:${mapId}:${me.id}`;
    this.replaying = false;
    const send = conn.send.bind(conn);
    // Every op this browser sends passes here: record it with its inverse, unless it is an undo itself.
    conn.send = (fields) => {
      const view = conn.view();
      const op = send(fields);
      const inverse = !this.replaying && view ? inverseOf(view, op) : null;
      if (inverse) this.record({forward: strip(op), inverse, op_id: op.op_id});
      return op;
    };
    conn.addEventListener("rejected", (e) => this.forget(e.detail.op.op_id));
    document.addEventListener("keydown", (e) => this.onKey(e));
  }

  load() {
    try {
      const s = JSON.parse(localStorage.getItem(this.key) || "null");
      return s && Array.isArray(s.undo) && Array.isArray(s.redo) ? s : {undo: [], redo: []};
    } catch {
      return {undo: [], redo: []};
    }
  }

  save(s) {
    try {
      localStorage.setItem(this.key, JSON.stringify({undo: s.undo.slice(-LIMIT), redo: s.redo.slice(-LIMIT)}));
    } catch {
      /* storage full or private mode: no undo across reloads */
    }
  }

  record(entry) {
    const s = this.load();
    s.undo.push(entry);
    s.redo = [];
    this.save(s);
    const deleted = DELETED[entry.forward.type];
    if (deleted) actionToast(t(deleted), t("facil.undo"), () => this.undo(entry.op_id), {testid: "undo-toast"});
  }

  forget(opId) {
    const s = this.load();
    const undo = s.undo.filter((x) => x.op_id !== opId);
    if (undo.length !== s.undo.length) this.save({...s, undo});
  }

  /** Send `op` without recording it as a new action; answers it as sent (with its op_id). */
  replay(op) {
    this.replaying = true;
    try {
      return this.conn.send(op);
    } finally {
      this.replaying = false;
    }
  }

  /** Undo the last action (or the one sent as `opId`, for the toast after a delete). */
  undo(opId) {
    const s = this.load();
    const index = opId ? s.undo.findIndex((x) => x.op_id === opId) : s.undo.length - 1;
    if (index < 0) {
      toast(t("facil.nothing_to_undo"));
      return false;
    }
    const [entry] = s.undo.splice(index, 1);
    const view = this.conn.view();
    if (!view || !stillAsLeft(view, entry.forward)) {
      this.save(s);
      toast(t("facil.undo_gone"), "error");
      return false;
    }
    this.replay(entry.inverse);
    s.redo.push(entry);
    this.save(s);
    toast(t("facil.undone", {what: t(`facil.what.${entry.forward.type}`)}));
    return true;
  }

  redo() {
    const s = this.load();
    const entry = s.redo.pop();
    if (!entry) {
      toast(t("facil.nothing_to_redo"));
      return false;
    }
    const view = this.conn.view();
    if (!view || !stillAsLeft(view, entry.inverse)) {
      this.save(s);
      toast(t("facil.undo_gone"), "error");
      return false;
    }
    const sent = this.replay(entry.forward);
    const inverse = inverseOf(view, sent); // a delete done again is undone from its new op_id
    if (inverse) s.undo.push({forward: entry.forward, inverse, op_id: sent.op_id});
    this.save(s);
    toast(t("facil.redone", {what: t(`facil.what.${entry.forward.type}`)}));
    return true;
  }

  onKey(e) {
    if (!(e.ctrlKey || e.metaKey) || e.altKey || e.defaultPrevented) return;
    const key = e.key.toLowerCase();
    if (key !== "z" && key !== "y") return;
    // In a text field the browser's own undo applies to what is being typed.
    if (e.target.closest && e.target.closest("input, textarea, select, [contenteditable]")) return;
    if (document.querySelector("dialog[open]")) return;
    e.preventDefault();
    if (key === "y" || e.shiftKey) this.redo();
    else this.undo();
  }
}
