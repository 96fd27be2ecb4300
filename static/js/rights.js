// Who may send which op, as the server decides it (engine.py `_authorise`, ops/base.py
// `check_map_rules`). The roles of each op type come from the page data (PAGE.op_roles, from each op's
// registration in ops/*.py, and PAGE.structure_ops); the map's own rules besides roles are the
// browser's one copy, here: a locked board and a closed workshop leave only the facilitator writing,
// and `structure_edits: "facilitator"` keeps the structure ops to the facilitator. Whose row an op
// may touch (deleting a card: its author or the facilitator) comes from PAGE.author_ops
// (workshop/lists.py AUTHOR_OPS). Modules ask here rather than test a role themselves, so that a
// role's rights change in one registration and role names are compared in this file only.
import {PAGE} from "./page.js";

const FACILITATOR = "facilitator";
const OBSERVER = "observer";
const PARTICIPANT = "participant";

/** Whether someone of `role` may send ops of `type` at all, whatever the map's state (which controls
 * to build: the facilitator's timers, round buttons…); `may` answers for a board as it is now. */
export function roleMay(type, role) {
  return (PAGE.op_roles[type] || []).includes(role);
}

/** Whether someone of `role` may send an op of `type` on `map` (rules about one row — whose card it
 * is — are the caller's). */
export function may(type, role, map) {
  if (!roleMay(type, role)) return false;
  if (role === FACILITATOR) return true;
  if (map.locked || map.phase === "closed") return false;
  return !(map.structure_edits === "facilitator" && PAGE.structure_ops.includes(type));
}

/** Whether someone of `role` chooses its side of the mirror after joining (PATCH /api/me,
 * services.set_perspective: the facilitator, none by default, CONTRACT.md §6); a participant's side
 * is chosen when joining. */
export function choosesSide(role) {
  return role === FACILITATOR;
}

/** Whether `me` may send an op of `type` about `row` (a card, a comment: `author_id`) on `map`: an
 * op of PAGE.author_ops is its author's, and the roles it lists may send it on anyone's row. */
export function mayOnRow(type, me, row, map) {
  if (!may(type, me.role, map)) return false;
  const others = PAGE.author_ops[type];
  return !others || row.author_id === me.id || others.includes(me.role);
}

/** The side `me`'s emotion ratings count on (ops/emotions.py `rating_side`, CONTRACT.md §6): its
 * perspective; without one, a role that chooses its side counts nowhere ("none") until it has
 * chosen, anyone else as customer. */
export function ratingSide(me) {
  return me.perspective || (choosesSide(me.role) ? "none" : "customer");
}

/** Whether `me` runs the room: the facilitator's bar, the listenings' moderation, the viewport that
 * brings the others along (rights outside the op registry, checked by their own routes). */
export function isFacilitator(me) {
  return me.role === FACILITATOR;
}

/** Whether `me` only watches: no op to send, so no undo and read-only boards and votes. */
export function isObserver(me) {
  return me.role === OBSERVER;
}

/** Why `me` cannot write on `map`, for the board's banner: "locked" (a locked board leaves only the
 * facilitator writing), "closed" (a participant in a closed workshop), "observer", or null. */
export function readOnlyReason(me, map) {
  if (map.locked && me.role !== FACILITATOR) return "locked";
  if (map.phase === "closed" && me.role === PARTICIPANT) return "closed";
  return isObserver(me) ? "observer" : null;
}
