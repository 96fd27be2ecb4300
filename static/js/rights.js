// Who may send which op, as the server decides it (engine.py `_authorise`, ops/base.py
// `check_map_rules`). The roles of each op type come from the page data (PAGE.op_roles, from each op's
// registration in ops/*.py, and PAGE.structure_ops); the map's own rules besides roles are the
// browser's one copy, here: a locked board and a closed workshop leave only the facilitator writing,
// and `structure_edits: "facilitator"` keeps the structure ops to the facilitator. Modules ask here
// rather than test a role themselves, so that a role's rights change in one registration.
import {PAGE} from "./page.js";

/** Whether someone of `role` may send ops of `type` at all, whatever the map's state (which controls
 * to build: the facilitator's timers, round buttons…); `may` answers for a board as it is now. */
export function roleMay(type, role) {
  return (PAGE.op_roles[type] || []).includes(role);
}

/** Whether someone of `role` may send an op of `type` on `map` (rules about one row — whose card it
 * is — are the caller's). */
export function may(type, role, map) {
  if (!roleMay(type, role)) return false;
  if (role === "facilitator") return true;
  if (map.locked || map.phase === "closed") return false;
  return !(map.structure_edits === "facilitator" && PAGE.structure_ops.includes(type));
}

/** Whether someone of `role` chooses its side of the mirror after joining (PATCH /api/me,
 * services.set_perspective: the facilitator, none by default, CONTRACT.md §6); a participant's side
 * is chosen when joining. */
export function choosesSide(role) {
  return role === "facilitator";
}
