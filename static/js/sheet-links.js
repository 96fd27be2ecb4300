// The steps and cards a sheet links (sheet-form.js places them): the linked ones, each with its
// "remove" button, then a select of those it may still link (sheet-values.js says which) that adds one.
import {h, t} from "./dom.js";
import {excerpt} from "./text.js";
import {listField} from "./sheet-lists.js";
import {linkableCards, linkableSteps} from "./sheet-values.js";

/** The list of ids `name`, drawn in a `tag` of class `cls`: each id by `item(id, view, remove)`, the
 *  select (`label`) offering `free(view, list)` as [id, text] options. */
function linkField(form, name, {tag, cls, label, item, free}) {
  const {ro, send, current} = form;
  return listField(form, name, (rows, list, view) => {
    const drop = (id) => () =>
      send(
        name,
        (current()[name] || []).filter((x) => x !== id),
      );
    rows.appendChild(
      h(
        tag,
        {class: cls},
        list.map((id) => item(id, view, drop(id))),
      ),
    );
    const options = ro ? [] : free(view, list);
    if (!options.length) return;
    const pick = h(
      "select",
      {class: "link-select", "aria-label": label},
      h("option", {value: ""}, label),
      options.map(([value, text]) => h("option", {value}, text)),
    );
    pick.addEventListener("change", () => {
      if (pick.value) send(name, [...(current()[name] || []), pick.value]);
    });
    rows.appendChild(pick);
  });
}

/** The linked steps, as chips. */
export function linkedSteps(form) {
  const chip = (sid, view, remove) => {
    const step = view.steps.get(sid);
    return h(
      "span",
      {class: "chip step-chip", "data-step-id": sid},
      step ? step.title : "—",
      form.remover("chip-x", t("sheets.remove"), remove),
    );
  };
  return linkField(form, "step_ids", {
    tag: "div",
    cls: "chips",
    label: t("sheets.link_step"),
    item: chip,
    free: (view, list) => linkableSteps(view, list).map((s) => [s.id, s.title]),
  });
}

/** The linked cards (irritants, ideas), each with its kind and an excerpt. */
export function linkedCards(form) {
  const row = (cid, view, remove) => {
    const card = view.cards.get(cid);
    return h(
      "li",
      {class: "linked-card", "data-kind": card ? card.kind : "note", "data-card-id": cid},
      h("span", {class: "linked-kind"}, card ? t(`kind.${card.kind}`) : ""),
      h("span", {class: "linked-text"}, card ? excerpt(card.text ?? t("card.hidden_text"), 120) : "—"),
      form.remover("icon-btn danger", t("sheets.remove"), remove),
    );
  };
  const option = (c) => [c.id, `${t(`kind.${c.kind}`)} — ${excerpt(c.text, 70)}`];
  return linkField(form, "card_ids", {
    tag: "ul",
    cls: "linked-cards",
    label: t("sheets.link_card"),
    item: row,
    free: (view, list) => linkableCards(view, list, form.current().step_ids).map(option),
  });
}
