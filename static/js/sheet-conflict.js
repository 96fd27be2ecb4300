// A sheet field that someone else saved first (chantiers.js keeps my refused value): their value and
// mine side by side, and three choices, so that nothing is lost until the person chooses. One note
// for the text fields (sheet-text-field.js) and the lists of pairs (sheet-lists.js).
import {clear, h, t} from "./dom.js";

/** The (hidden) box a field's conflict is shown in. */
export function conflictNote() {
  return h("div", {class: "sheet-conflict", role: "alert", hidden: true, "data-testid": "sheet-conflict"});
}

/** Show in `note` their value and mine (as `text` writes them) and the choices: both (`both`), mine,
 *  theirs; `resolve(value)` applies the one chosen. */
export function offerChoice(note, {theirs, mine, both, text, resolve}) {
  clear(note).append(
    h("p", {}, t("facil.conflict_intro")),
    h("p", {class: "conflict-theirs"}, h("strong", {}, t("facil.conflict_theirs")), " ", h("span", {"data-part": "theirs"}, text(theirs))),
    h("p", {class: "conflict-mine"}, h("strong", {}, t("facil.conflict_mine")), " ", h("span", {"data-part": "mine"}, text(mine))),
    h(
      "div",
      {class: "conflict-actions"},
      h(
        "button",
        {type: "button", class: "primary small", "data-action": "conflict-both", onclick: () => resolve(both)},
        t("facil.conflict_both"),
      ),
      h(
        "button",
        {type: "button", class: "secondary small", "data-action": "conflict-mine", onclick: () => resolve(mine)},
        t("facil.conflict_keep_mine"),
      ),
      h(
        "button",
        {type: "button", class: "secondary small", "data-action": "conflict-theirs", onclick: () => resolve(theirs)},
        t("facil.conflict_take_theirs"),
      ),
    ),
  );
  note.hidden = false;
}
