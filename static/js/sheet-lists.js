// The list fields of a sheet (departments, milestones, KPIs; the linked steps and cards: sheet-links.js):
// drawn again only when their value changed, and not while the user is inside the rows; milestones and
// KPIs are rows of pairs edited in place (sheet-values.js PAIRS), with a last row to add one.
import {clear, h, t} from "./dom.js";
import {conflictNote, offerChoice} from "./sheet-conflict.js";
import {PAIRS, mergePairs, pairOf, pairs, pairsText, same} from "./sheet-values.js";

/** The rows of the field `name` of the form (sheet-form.js), drawn by `draw(rows, list, view)`. */
export function listField(form, name, draw) {
  const {sheets, fields} = form;
  const rows = h("div", {class: "sf-rows"});
  let last;
  // Leaving the rows: draw them again if something arrived meanwhile.
  rows.addEventListener("focusout", (e) => {
    if (!rows.contains(e.relatedTarget)) setTimeout(() => sheets.render(), 0);
  });
  fields.set(name, (s, view) => {
    // The version the rows were last shown from (not while the user is inside them).
    if (!rows.contains(document.activeElement)) rows.dataset.base = String(s.version ?? "");
    const value = [s[name] ?? null, name === "step_ids" || name === "card_ids" ? sheets.linkSig(view) : null];
    if (rows.contains(document.activeElement) || same(value, last)) return;
    last = value;
    draw(clear(rows), s[name] || [], view);
  });
  return rows;
}

/** The departments: chips, each with its "remove" button, and an input that adds one on Enter. */
export function departmentsField(form) {
  const {id, ro, send, current, remover} = form;
  const chips = listField(form, "departments", (rows, list) => {
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
  const input = h("input", {
    type: "text",
    id: `sf-${id}-departments`,
    maxlength: "200",
    placeholder: t("ph.department"),
    hidden: ro,
    class: "add-input",
  });
  input.addEventListener("keydown", (e) => {
    if (e.key !== "Enter" || e.isComposing) return;
    e.preventDefault();
    const v = input.value.trim();
    const list = current().departments || [];
    if (v && !list.includes(v)) send("departments", [...list, v]);
    input.value = "";
  });
  return h("div", {class: "sf-list"}, chips, input);
}

/** Milestones or KPIs (`name`, a key of PAIRS), with the words of their two parts: the rows, the adder, the conflict note. */
export function pairList(form, name, {aLabel, bLabel, aPh, bPh}) {
  const {sheets, id, fields, ro, send, current, remover} = form;
  const {a, b, aType, required} = PAIRS[name];
  const stored = () => pairs(name, current()[name]);
  const read = (row) => ({
    [a]: row.querySelector(`[data-part=${a}]`).value.trim() || (aType === "date" ? null : ""),
    [b]: row.querySelector(`[data-part=${b}]`).value.trim(),
  });
  const commitRows = (rows) => {
    if (!rows.dataset.dirty) return;
    delete rows.dataset.dirty;
    const next = [...rows.querySelectorAll(".pair-row")]
      .map(read)
      .filter((x) => x[required])
      .map((x) => pairOf(name, x));
    if (!same(next, stored())) {
      sheets.conflicts.delete(`${id}:${name}`);
      send(name, next, rows.dataset.base ? Number(rows.dataset.base) : undefined);
    }
  };
  // Rows refused because someone else changed the list first: theirs are shown, mine wait here.
  const note = conflictNote();
  fields.set(`_conflict_${name}`, (s) => {
    const key = `${id}:${name}`;
    if (!sheets.conflicts.has(key)) {
      note.hidden = true;
      return;
    }
    const mine = pairs(name, sheets.conflicts.get(key));
    const theirs = pairs(name, s[name]);
    offerChoice(note, {
      theirs,
      mine,
      both: mergePairs(theirs, mine),
      text: (list) => pairsText(name, list),
      resolve: (value) => {
        sheets.conflicts.delete(key);
        note.hidden = true;
        if (!same(value, theirs)) send(name, value, s.version);
        else sheets.render();
      },
    });
  });
  const input = (part, attrs) =>
    h("input", {type: part === a ? aType : "text", "data-part": part, maxlength: part === a && aType === "date" ? null : "200", ...attrs});
  const rows = listField(form, name, (rowsEl, list) => {
    list.forEach((item, i) => {
      const row = h(
        "div",
        {class: "pair-row", "data-index": String(i)},
        input(a, {value: item[a] ?? "", readonly: ro, "aria-label": `${aLabel} ${i + 1}`, placeholder: aPh}),
        input(b, {value: item[b] ?? "", readonly: ro, "aria-label": `${bLabel} ${i + 1}`, placeholder: bPh}),
        remover("icon-btn danger", `${t("sheets.remove")} ${i + 1}`, () =>
          send(
            name,
            stored().filter((_, j) => j !== i),
          ),
        ),
      );
      row.addEventListener("input", () => {
        rowsEl.dataset.dirty = "1";
      });
      row.addEventListener("change", () => {
        rowsEl.dataset.dirty = "1";
      });
      row.addEventListener("focusout", (e) => {
        if (!row.contains(e.relatedTarget)) commitRows(rowsEl);
      });
      row.addEventListener("keydown", (e) => {
        if (e.key === "Enter" && !e.isComposing) {
          e.preventDefault();
          e.target.blur();
        }
      });
      rowsEl.appendChild(row);
    });
  });
  const newA = input(a, {id: `sf-${id}-${name}`, "aria-label": aLabel, placeholder: aPh});
  const newB = input(b, {"aria-label": bLabel, placeholder: bPh});
  const add = () => {
    const item = read(adder);
    if (!item[required]) {
      (required === a ? newA : newB).focus();
      return;
    }
    send(name, [...stored(), pairOf(name, item)]);
    newA.value = "";
    newB.value = "";
    (aType === "date" ? newB : newA).focus();
  };
  const adder = h(
    "div",
    {class: "pair-row adder", hidden: ro},
    newA,
    newB,
    h("button", {type: "button", class: "secondary small", "data-action": `add-${name}`, onclick: add}, t("sheets.add")),
  );
  adder.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.isComposing) {
      e.preventDefault();
      add();
    }
  });
  return h("div", {class: "sf-list"}, rows, adder, note);
}
