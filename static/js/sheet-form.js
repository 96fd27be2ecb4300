// One chantier sheet's form, co-edited field by field (chantiers.js opens it in its drawer): a box per
// field of PAGE.chantier_fields, each with the control for its kind of value: a text
// (sheet-text-field.js: shown from the store unless the user is in it, sent alone with the version it
// was shown from), a list (sheet-lists.js, sheet-links.js), a scale or a date (sheet-controls.js), the
// status in the bar. A refused save keeps both values in sight until the person chooses
// (sheet-conflict.js). Focus in a field marks it (editing.js) for the others. The values as data:
// sheet-values.js.
import {PAGE, confirmDialog, h, t} from "./dom.js";
import {textField} from "./sheet-text-field.js";
import {departmentsField, pairList} from "./sheet-lists.js";
import {linkedCards, linkedSteps} from "./sheet-links.js";
import {dateInput, datesWarning, scale, statusSelect} from "./sheet-controls.js";

/** The form of `sheet` for the Sheets drawer `sheets`: {id, el, fields: Map(name → update(sheet, view)), canWrite}. */
export function buildSheetForm(sheets, sheet) {
  const id = sheet.id;
  const fields = new Map();
  const ro = !sheets.canWrite;
  const send = (name, value, base) =>
    sheets.conn.send({type: "chantier.update", id, [name]: value, ...(base === undefined ? {} : {base_version: base})});
  const current = () => sheets.sheets(sheets.conn.view()).find((s) => s.id === id) || {};
  // A list item's "remove" button (none on a read-only sheet).
  const remover = (cls, label, onclick) =>
    ro ? null : h("button", {type: "button", class: cls, "aria-label": label, title: t("sheets.remove"), onclick}, "✕");
  // What the field builders (sheet-text-field.js, sheet-lists.js, sheet-links.js, sheet-controls.js) share.
  const form = {sheets, id, fields, ro, send, current, remover};
  const focusMark = (el, name) => {
    el.addEventListener("focusin", () => sheets.marks.set(`${id}:${name}`, true));
    el.addEventListener("focusout", (e) => {
      if (!el.contains(e.relatedTarget)) sheets.marks.set(`${id}:${name}`, false);
    });
  };
  const box = (name, control, {wide = false, hint = null} = {}) => {
    const el = h(
      "div",
      {class: `sf${wide ? " wide" : ""}`, "data-sheet-field": name},
      h(
        "div",
        {class: "sf-label"},
        h("label", {for: `sf-${id}-${name}`}, t(`field.${name}`)),
        hint ? h("span", {class: "hint"}, hint) : null,
        h("span", {class: "field-mark", "aria-live": "polite"}),
      ),
      control,
    );
    focusMark(el, name);
    return el;
  };

  const [title, titleNote] = textField(form, "title", {multiline: true, max: 200, required: true, cls: "sheet-title-input"});
  title.rows = 1;
  title.setAttribute("aria-label", t("field.title"));
  const status = statusSelect(form);
  const num = h("span", {class: "sheet-num big"});
  fields.set("_num", (s) => {
    num.textContent = String(sheets.number(s));
  });
  const prio = h("span", {class: "prio", hidden: true});
  fields.set("_prio", (s) => {
    prio.hidden = !s.priority;
    prio.textContent = s.priority ? t("sheets.priority", {n: s.priority}) : "";
  });

  // Every field the server declares (PAGE.chantier_fields, in the sheet's order; the status sits in the
  // bar): a text field by default (multiline or one line, as PAGE.chantier_multiline says, up to
  // PAGE.chantier_limits), or the control that edits its kind of value.
  const controls = {
    problem: {wide: true},
    departments: {wide: true, control: () => departmentsField(form)},
    impact: {control: () => scale(form, "impact"), hint: t("sheets.impact_hint")},
    effort: {control: () => scale(form, "effort"), hint: t("sheets.effort_hint")},
    start: {control: () => dateInput(form, "start")},
    end: {control: () => h("div", {}, dateInput(form, "end"), datesWarning(form))},
    milestones: {
      wide: true,
      control: () =>
        pairList(form, "milestones", {aLabel: t("sheets.milestone_date"), bLabel: t("field.milestones"), bPh: t("ph.milestone")}),
    },
    kpis: {
      wide: true,
      control: () =>
        pairList(form, "kpis", {aLabel: t("field.kpis"), bLabel: t("ph.kpi_target"), aPh: t("ph.kpi_name"), bPh: t("ph.kpi_target")}),
    },
    step_ids: {wide: true, control: () => linkedSteps(form)},
    card_ids: {wide: true, control: () => linkedCards(form)},
  };
  const field = (name) => {
    const {control, wide = false, hint = null} = controls[name] || {};
    const text = () =>
      textField(form, name, {
        multiline: PAGE.chantier_multiline.includes(name),
        max: PAGE.chantier_limits[name],
        placeholder: t(`ph.${name}`),
      });
    return box(name, control ? control() : text(), {wide, hint});
  };

  const del = sheets.roleMay("chantier.delete")
    ? h(
        "button",
        {
          type: "button",
          class: "danger small",
          "data-action": "delete-sheet",
          onclick: async () => {
            const s = current();
            if (await confirmDialog(t("sheets.confirm_delete", {title: s.title || ""}))) {
              sheets.conn.send({type: "chantier.delete", id});
              sheets.show("list", null);
            }
          },
        },
        t("common.delete"),
      )
    : null;

  const el = h(
    "article",
    {class: "sheet", "data-sheet": id, "data-chantier-id": id, "data-testid": "sheet"},
    h(
      "div",
      {class: "sheet-bar"},
      h(
        "button",
        {type: "button", class: "link back", "data-action": "back", onclick: () => sheets.show("list", null)},
        `← ${t("sheets.back")}`,
      ),
      h("span", {class: "sheet-here"}),
      prio,
      h("span", {class: "sheet-votes"}),
      status,
      del,
    ),
    h("div", {class: "sheet-titlebar", "data-sheet-field": "title"}, num, title, h("span", {class: "field-mark"}), titleNote),
    h("div", {class: "sheet-grid"}, PAGE.chantier_fields.filter((name) => name !== "status").map(field)),
    ro ? null : h("p", {class: "hint"}, t("sheets.save_hint")),
  );
  focusMark(el.querySelector(".sheet-titlebar"), "title");
  return {id, el, fields, canWrite: sheets.canWrite};
}
