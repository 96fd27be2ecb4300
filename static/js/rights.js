// Who may send which op, as the server decides it (engine.py `_authorise`, ops/base.py
// `check_map_rules`). The roles of each op type come from the page data (PAGE.op_roles, from each op's
// registration in ops/*.py, and PAGE.structure_ops); the map's own rules besides roles are the
// browser's one copy, here: a locked board and a closed workshop leave only the facilitator writing,
// and `structure_edits: "facilitator"` keeps the structure ops to the facilitator.
import {PAGE} from "./page.js";

/** Whether someone of `role` may send an op of `type` on `map` (rules about one row — whose card it
 * is — are the caller's). */
export function may(type, role, map) {
  if (!(PAGE.op_roles[type] || []).includes(role)) return false;
  if (role === "facilitator") return true;
  if (map.locked || map.phase === "closed") return false;
  return !(map.structure_edits === "facilitator" && PAGE.structure_ops.includes(type));
}
