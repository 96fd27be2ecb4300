// One chantier sheet's form, co-edited field by field (chantiers.js opens it in its drawer): a box per
// field of PAGE.chantier_fields, each with the control for its kind of value: a text (sheet-text-field.js:
// shown from the store unless the user is in it, sent alone with the version it was shown from), a
// list (sheet-lists.js), a 1–5 scale, a date, the status in the bar. A refused save keeps both values
// in sight until the person chooses (sheet-conflict.js). Focus in a field marks it (editing.js) for
// the others. The values as data: sheet-values.js.
import {PAGE, confirmDialog, h, t} from "./dom.js";
import {excerpt} from "./text.js";
import {textField} from "./sheet-text-field.js";
import {listField, pairList} from "./sheet-lists.js";
import {datesInverted, linkableCards, linkableSteps} from "./sheet-values.js";

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
  // What the field builders (textField, listField, pairList) share.
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
  // A list of ids the sheet links (steps, cards): each drawn by `item(id, view, remove)`, then a select of
  // those it may still link (`free(view, list)`: [id, text] options) that adds one.
  const linkField = (name, {tag, cls, label, item, free}) =>
    listField(form, name, (rows, list, view) => {
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

  const [title, titleNote] = textField(form, "title", {multiline: true, max: 200, required: true, cls: "sheet-title-input"});
  title.rows = 1;
  title.setAttribute("aria-label", t("field.title"));
  const status = h(
    "select",
    {id: `sf-${id}-status`, "data-field": "status", disabled: ro, class: "status-select", "aria-label": t("field.status")},
    PAGE.chantier_statuses.map((s) => h("option", {value: s}, t(`status.${s}`))),
  );
  status.addEventListener("change", () => send("status", status.value));
  fields.set("status", (s) => {
    if (document.activeElement !== status) status.value = s.status || "draft";
    status.dataset.status = s.status || "draft";
  });
  const num = h("span", {class: "sheet-num big"});
  fields.set("_num", (s) => {
    num.textContent = String(sheets.number(s));
  });
  const prio = h("span", {class: "prio", hidden: true});
  fields.set("_prio", (s) => {
    prio.hidden = !s.priority;
    prio.textContent = s.priority ? t("sheets.priority", {n: s.priority}) : "";
  });

  const dates = (name) => {
    const el = h("input", {id: `sf-${id}-${name}`, type: "date", "data-field": name, readonly: ro});
    el.addEventListener("change", () => {
      if (!ro) send(name, el.value || null);
    });
    fields.set(name, (s) => {
      if (document.activeElement !== el && el.value !== (s[name] || "")) el.value = s[name] || "";
    });
    return el;
  };

  // An end before the start is kept (dates are edited one at a time) but never silently: say so.
  const inverted = h("p", {class: "form-error", role: "status", "data-testid": "dates-inverted", hidden: true}, t("sheets.dates_inverted"));
  fields.set("_dates", (s) => {
    inverted.hidden = !datesInverted(s);
  });

  const scale = (name) => {
    const group = h("div", {class: "scale", role: "group", id: `sf-${id}-${name}`, "data-field": name});
    const buttons = [1, 2, 3, 4, 5].map((n) => {
      const b = h(
        "button",
        {
          type: "button",
          class: "scale-btn",
          "data-value": String(n),
          disabled: ro,
          "aria-label": t("sheets.level", {field: t(`field.${name}`), n}),
        },
        String(n),
      );
      b.addEventListener("click", () => send(name, current()[name] === n ? null : n));
      group.appendChild(b);
      return b;
    });
    fields.set(name, (s) =>
      buttons.forEach((b, i) => {
        b.setAttribute("aria-pressed", String(s[name] === i + 1));
        b.classList.toggle("below", !!s[name] && i + 1 < s[name]);
      }),
    );
    return group;
  };

  const departments = listField(form, "departments", (rows, list) => {
    rows.appendChild(
      h(
        "div",
        {class: "chips"},
        list.map((d, i) =>
          h(
            "span",
            {class: "chip"},
            d,
            remover("chip-x", `${t("sheets.remove")} ${d}`, () =>
              send(
                "departments",
                current().departments.filter((_, j) => j !== i),
              ),
            ),
          ),
        ),
      ),
    );
  });
  const deptInput = h("input", {
    type: "text",
    id: `sf-${id}-departments`,
    maxlength: "200",
    placeholder: t("ph.department"),
    hidden: ro,
    class: "add-input",
  });
  deptInput.addEventListener("keydown", (e) => {
    if (e.key !== "Enter" || e.isComposing) return;
    e.preventDefault();
    const v = deptInput.value.trim();
    const list = current().departments || [];
    if (v && !list.includes(v)) send("departments", [...list, v]);
    deptInput.value = "";
  });

  const steps = linkField("step_ids", {
    tag: "div",
    cls: "chips",
    label: t("sheets.link_step"),
    item: (sid, view, remove) => {
      const step = view.steps.get(sid);
      return h(
        "span",
        {class: "chip step-chip", "data-step-id": sid},
        step ? step.title : "—",
        remover("chip-x", t("sheets.remove"), remove),
      );
    },
    free: (view, list) => linkableSteps(view, list).map((s) => [s.id, s.title]),
  });

  const cards = linkField("card_ids", {
    tag: "ul",
    cls: "linked-cards",
    label: t("sheets.link_card"),
    item: (cid, view, remove) => {
      const card = view.cards.get(cid);
      return h(
        "li",
        {class: "linked-card", "data-kind": card ? card.kind : "note", "data-card-id": cid},
        h("span", {class: "linked-kind"}, card ? t(`kind.${card.kind}`) : ""),
        h("span", {class: "linked-text"}, card ? excerpt(card.text ?? t("card.hidden_text"), 120) : "—"),
        remover("icon-btn danger", t("sheets.remove"), remove),
      );
    },
    free: (view, list) =>
      linkableCards(view, list, current().step_ids).map((c) => [c.id, `${t(`kind.${c.kind}`)} — ${excerpt(c.text, 70)}`]),
  });

  const [msRows, msAdder] = pairList(form, "milestones", {
    aLabel: t("sheets.milestone_date"),
    bLabel: t("field.milestones"),
    bPh: t("ph.milestone"),
  });
  const [kpiRows, kpiAdder] = pairList(form, "kpis", {
    aLabel: t("field.kpis"),
    bLabel: t("ph.kpi_target"),
    aPh: t("ph.kpi_name"),
    bPh: t("ph.kpi_target"),
  });

  // Every field the server declares (PAGE.chantier_fields, in the sheet's order; the status sits in the
  // bar): a text field by default (multiline or one line, as PAGE.chantier_multiline says, up to
  // PAGE.chantier_limits), or the control that edits its kind of value.
  const controls = {
    problem: {wide: true},
    departments: {wide: true, control: () => h("div", {class: "sf-list"}, departments, deptInput)},
    impact: {control: () => scale("impact"), hint: t("sheets.impact_hint")},
    effort: {control: () => scale("effort"), hint: t("sheets.effort_hint")},
    start: {control: () => dates("start")},
    end: {control: () => h("div", {}, dates("end"), inverted)},
    milestones: {wide: true, control: () => h("div", {class: "sf-list"}, msRows, msAdder)},
    kpis: {wide: true, control: () => h("div", {class: "sf-list"}, kpiRows, kpiAdder)},
    step_ids: {wide: true, control: () => steps},
    card_ids: {wide: true, control: () => cards},
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
