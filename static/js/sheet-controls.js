// The sheet's controls for one small value (sheet-form.js places them): the status in the sheet's bar,
// a date, the warning for an end before the start, a 1–5 scale (impact, effort). Each sends its field
// alone on change and is updated from the store by its entry in `form.fields`.
import {PAGE, h, t} from "./dom.js";
import {datesInverted} from "./sheet-values.js";

export function statusSelect({id, fields, ro, send}) {
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
  return status;
}

export function dateInput({id, fields, ro, send}, name) {
  const el = h("input", {id: `sf-${id}-${name}`, type: "date", "data-field": name, readonly: ro});
  el.addEventListener("change", () => {
    if (!ro) send(name, el.value || null);
  });
  fields.set(name, (s) => {
    if (document.activeElement !== el && el.value !== (s[name] || "")) el.value = s[name] || "";
  });
  return el;
}

/** An end before the start is kept (dates are edited one at a time) but never silently: say so. */
export function datesWarning({fields}) {
  const inverted = h("p", {class: "form-error", role: "status", "data-testid": "dates-inverted", hidden: true}, t("sheets.dates_inverted"));
  fields.set("_dates", (s) => {
    inverted.hidden = !datesInverted(s);
  });
  return inverted;
}

/** Five buttons, 1 to 5; the pressed level again clears it. */
export function scale({id, fields, ro, send, current}, name) {
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
}
