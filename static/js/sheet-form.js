// One chantier sheet's form, co-edited field by field (chantiers.js opens it in its drawer): a text is
// shown from the store unless the user is in it, and sent alone (`chantier.update` with that field and
// the version it was shown from) when the user leaves it or presses Enter; a refused save keeps both
// texts in sight until the person chooses. Focus in a field marks it (editing.js) for the others.
import {PAGE, clear, confirmDialog, h, t} from "./dom.js";
import {orderedSteps} from "./store.js";
import {excerpt} from "./text.js";

const same = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The form of `sheet` for the Sheets drawer `sheets`: {id, el, fields: Map(name → update(sheet, view)), canWrite}. */
export function buildSheetForm(sheets, sheet) {
  const id = sheet.id;
  const fields = new Map();
  const ro = !sheets.canWrite;
  const send = (name, value, base) => sheets.conn.send({type: "chantier.update", id, [name]: value,
                                                      ...(base === undefined ? {} : {base_version: base})});
  const current = () => sheets.sheets(sheets.conn.view()).find((s) => s.id === id) || {};
  // What the field builders (textField, listField, pairList, below) share.
  const form = {sheets, id, fields, ro, send, current};
  const focusMark = (el, name) => {
    el.addEventListener("focusin", () => sheets.marks.set(`${id}:${name}`, true));
    el.addEventListener("focusout", (e) => { if (!el.contains(e.relatedTarget)) sheets.marks.set(`${id}:${name}`, false); });
  };
  const box = (name, control, {wide = false, hint = null} = {}) => {
    const el = h("div", {class: `sf${wide ? " wide" : ""}`, "data-sheet-field": name},
      h("div", {class: "sf-label"}, h("label", {for: `sf-${id}-${name}`}, t(`field.${name}`)),
        hint ? h("span", {class: "hint"}, hint) : null, h("span", {class: "field-mark", "aria-live": "polite"})),
      control);
    focusMark(el, name);
    return el;
  };

  const [title, titleNote] = textField(form, "title", {multiline: true, max: 200, required: true, cls: "sheet-title-input"});
  title.rows = 1;
  title.setAttribute("aria-label", t("field.title"));
  const status = h("select", {id: `sf-${id}-status`, "data-field": "status", disabled: ro, class: "status-select",
                              "aria-label": t("field.status")},
    PAGE.chantier_statuses.map((s) => h("option", {value: s}, t(`status.${s}`))));
  status.addEventListener("change", () => send("status", status.value));
  fields.set("status", (s) => {
    if (document.activeElement !== status) status.value = s.status || "draft";
    status.dataset.status = s.status || "draft";
  });
  const num = h("span", {class: "sheet-num big"});
  fields.set("_num", (s) => { num.textContent = String(sheets.number(s)); });
  const prio = h("span", {class: "prio", hidden: true});
  fields.set("_prio", (s) => { prio.hidden = !s.priority; prio.textContent = s.priority ? t("sheets.priority", {n: s.priority}) : ""; });

  const dates = (name) => {
    const el = h("input", {id: `sf-${id}-${name}`, type: "date", "data-field": name, readonly: ro});
    el.addEventListener("change", () => { if (!ro) send(name, el.value || null); });
    fields.set(name, (s) => { if (document.activeElement !== el && el.value !== (s[name] || "")) el.value = s[name] || ""; });
    return el;
  };

  // An end before the start is kept (dates are edited one at a time) but never silently: say so.
  const inverted = h("p", {class: "form-error", role: "status", "data-testid": "dates-inverted", hidden: true},
    t("sheets.dates_inverted"));
  fields.set("_dates", (s) => { inverted.hidden = !(s.start && s.end && s.end < s.start); });

  const scale = (name) => {
    const group = h("div", {class: "scale", role: "group", id: `sf-${id}-${name}`, "data-field": name});
    const buttons = [1, 2, 3, 4, 5].map((n) => {
      const b = h("button", {type: "button", class: "scale-btn", "data-value": String(n), disabled: ro,
                             "aria-label": t("sheets.level", {field: t(`field.${name}`), n})}, String(n));
      b.addEventListener("click", () => send(name, current()[name] === n ? null : n));
      group.appendChild(b);
      return b;
    });
    fields.set(name, (s) => buttons.forEach((b, i) => {
      b.setAttribute("aria-pressed", String(s[name] === i + 1));
      b.classList.toggle("below", !!s[name] && i + 1 < s[name]);
    }));
    return group;
  };

  const departments = listField(form, "departments", (rows, list) => {
    rows.appendChild(h("div", {class: "chips"}, list.map((d, i) => h("span", {class: "chip"}, d,
      ro ? null : h("button", {type: "button", class: "chip-x", "aria-label": `${t("sheets.remove")} ${d}`, title: t("sheets.remove"),
        onclick: () => send("departments", current().departments.filter((_, j) => j !== i))}, "✕")))));
  });
  const deptInput = h("input", {type: "text", id: `sf-${id}-departments`, maxlength: "200", placeholder: t("ph.department"), hidden: ro, class: "add-input"});
  deptInput.addEventListener("keydown", (e) => {
    if (e.key !== "Enter" || e.isComposing) return;
    e.preventDefault();
    const v = deptInput.value.trim();
    const list = current().departments || [];
    if (v && !list.includes(v)) send("departments", [...list, v]);
    deptInput.value = "";
  });

  const steps = listField(form, "step_ids", (rows, list, view) => {
    const stepsById = view.steps;
    rows.appendChild(h("div", {class: "chips"}, list.map((sid) => {
      const step = stepsById.get(sid);
      return h("span", {class: "chip step-chip", "data-step-id": sid}, step ? step.title : "—",
        ro ? null : h("button", {type: "button", class: "chip-x", "aria-label": t("sheets.remove"), title: t("sheets.remove"),
          onclick: () => send("step_ids", (current().step_ids || []).filter((x) => x !== sid))}, "✕"));
    })));
    if (ro) return;
    const free = orderedSteps(view).filter((s) => !list.includes(s.id));
    if (!free.length) return;
    const pick = h("select", {class: "link-select", "aria-label": t("sheets.link_step")},
      h("option", {value: ""}, t("sheets.link_step")), free.map((s) => h("option", {value: s.id}, s.title)));
    pick.addEventListener("change", () => { if (pick.value) send("step_ids", [...(current().step_ids || []), pick.value]); });
    rows.appendChild(pick);
  });

  const cards = listField(form, "card_ids", (rows, list, view) => {
    rows.appendChild(h("ul", {class: "linked-cards"}, list.map((cid) => {
      const card = view.cards.get(cid);
      return h("li", {class: "linked-card", "data-kind": card ? card.kind : "note", "data-card-id": cid},
        h("span", {class: "linked-kind"}, card ? t(`kind.${card.kind}`) : ""),
        h("span", {class: "linked-text"}, card ? excerpt(card.text ?? t("card.hidden_text"), 120) : "—"),
        ro ? null : h("button", {type: "button", class: "icon-btn danger", "aria-label": t("sheets.remove"), title: t("sheets.remove"),
          onclick: () => send("card_ids", (current().card_ids || []).filter((x) => x !== cid))}, "✕"));
    })));
    if (ro) return;
    const linkedSteps = new Set(current().step_ids || []);
    const free = [...view.cards.values()].filter((c) => !list.includes(c.id) && c.text && ["irritant", "idea"].includes(c.kind)
      && (!linkedSteps.size || linkedSteps.has(c.step_id)));
    if (!free.length) return;
    const pick = h("select", {class: "link-select", "aria-label": t("sheets.link_card")},
      h("option", {value: ""}, t("sheets.link_card")),
      free.map((c) => h("option", {value: c.id}, `${t(`kind.${c.kind}`)} — ${excerpt(c.text, 70)}`)));
    pick.addEventListener("change", () => { if (pick.value) send("card_ids", [...(current().card_ids || []), pick.value]); });
    rows.appendChild(pick);
  });

  const [msRows, msAdder] = pairList(form, "milestones", {a: "date", b: "label", aType: "date", aLabel: t("sheets.milestone_date"),
    bLabel: t("field.milestones"), bPh: t("ph.milestone"), required: "label"});
  const [kpiRows, kpiAdder] = pairList(form, "kpis", {a: "name", b: "target", aType: "text", aLabel: t("field.kpis"),
    bLabel: t("ph.kpi_target"), aPh: t("ph.kpi_name"), bPh: t("ph.kpi_target"), required: "name"});

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
    const text = () => textField(form, name, {multiline: PAGE.chantier_multiline.includes(name), max: PAGE.chantier_limits[name],
                                        placeholder: t(`ph.${name}`)});
    return box(name, control ? control() : text(), {wide, hint});
  };

  const del = sheets.roleMay("chantier.delete") ? h("button", {type: "button", class: "danger small", "data-action": "delete-sheet",
    onclick: async () => {
      const s = current();
      if (await confirmDialog(t("sheets.confirm_delete", {title: s.title || ""}))) {
        sheets.conn.send({type: "chantier.delete", id});
        sheets.show("list", null);
      }
    }}, t("common.delete")) : null;

  const el = h("article", {class: "sheet", "data-sheet": id, "data-chantier-id": id, "data-testid": "sheet"},
    h("div", {class: "sheet-bar"},
      h("button", {type: "button", class: "link back", "data-action": "back", onclick: () => sheets.show("list", null)}, `← ${t("sheets.back")}`),
      h("span", {class: "sheet-here"}),
      prio, h("span", {class: "sheet-votes"}), status, del),
    h("div", {class: "sheet-titlebar", "data-sheet-field": "title"}, num, title, h("span", {class: "field-mark"}), titleNote),
    h("div", {class: "sheet-grid"}, PAGE.chantier_fields.filter((name) => name !== "status").map(field)),
    ro ? null : h("p", {class: "hint"}, t("sheets.save_hint")));
  focusMark(el.querySelector(".sheet-titlebar"), "title");
  return {id, el, fields, canWrite: sheets.canWrite};
}

function normalise(list, aType) {
  return (list || []).map((x) => (aType === "date" ? {date: x.date || null, label: x.label || ""} : {name: x.name || "", target: x.target || ""}));
}

function grow(ta) {
  ta.style.height = "auto";
  ta.style.height = `${Math.min(ta.scrollHeight + 2, 260)}px`;
}

// One text value: shown from the store unless the user is in it; sent on blur (or Enter) with the
// sheet version it was shown from, so that the server refuses to replace a text written meanwhile.
function textField(form, name, {multiline, max, placeholder, required = false, cls = ""}) {
  const {sheets, id, fields, ro, send, current} = form;
  const el = multiline
    ? h("textarea", {id: `sf-${id}-${name}`, rows: "3", maxlength: String(max), placeholder, "data-field": name, readonly: ro, class: cls})
    : h("input", {id: `sf-${id}-${name}`, type: "text", maxlength: String(max), placeholder, "data-field": name, readonly: ro, class: cls});
  // Only what the user changed is sent: focusing a field and leaving it sends nothing (and
  // never overwrites what someone else wrote meanwhile).
  let dirty = false;
  let base;          // the sheet version the field's text was shown from
  let shown = "";    // that text
  const key = `${id}:${name}`;
  const commit = () => {
    if (!dirty) return;
    dirty = false;
    const value = el.value.trim();
    const stored = current()[name] ?? "";
    if (ro || value === stored) { clearNote(); return; }
    if (required && !value) { el.value = stored; return; }
    sheets.conflicts.delete(key);
    send(name, value, base);
  };
  const note = h("div", {class: "sheet-conflict", role: "alert", hidden: true, "data-testid": "sheet-conflict"});
  const clearNote = () => { note.hidden = true; clear(note); };
  // Their text and mine, side by side: nothing is lost until the person chooses.
  const showConflict = (s, mine) => {
    const theirs = s[name] ?? "";
    const glue = multiline ? "\n" : " / ";
    const resolve = (value) => {
      sheets.conflicts.delete(key);
      clearNote();
      dirty = false;
      el.value = value;
      if (multiline) grow(el);
      if (value !== theirs) send(name, value, s.version);
    };
    clear(note).append(
      h("p", {}, t("facil.conflict_intro")),
      h("p", {class: "conflict-theirs"}, h("strong", {}, t("facil.conflict_theirs")), " ", h("span", {"data-part": "theirs"}, theirs || "—")),
      h("p", {class: "conflict-mine"}, h("strong", {}, t("facil.conflict_mine")), " ", h("span", {"data-part": "mine"}, mine || "—")),
      h("div", {class: "conflict-actions"},
        h("button", {type: "button", class: "primary small", "data-action": "conflict-both",
                     onclick: () => resolve(theirs && mine ? `${theirs}${glue}${mine}`.slice(0, max) : (theirs || mine))}, t("facil.conflict_both")),
        h("button", {type: "button", class: "secondary small", "data-action": "conflict-mine", onclick: () => resolve(mine)}, t("facil.conflict_keep_mine")),
        h("button", {type: "button", class: "secondary small", "data-action": "conflict-theirs", onclick: () => resolve(theirs)}, t("facil.conflict_take_theirs"))));
    note.hidden = false;
  };
  // Someone else saved this field while it is being typed here: say so now, before the save.
  const showOvertaken = (s) => {
    const theirs = s[name] ?? "";
    clear(note).append(h("p", {}, t("card.overtaken", {text: excerpt(theirs, 80)}), " ",
      h("button", {type: "button", class: "link", "data-action": "take-theirs", onmousedown: (e) => {
        e.preventDefault();
        el.value = theirs; dirty = false; base = s.version; shown = theirs; clearNote();
        if (multiline) grow(el);
      }}, t("card.take_theirs"))));
    note.hidden = false;
  };
  el.addEventListener("input", () => { dirty = true; if (multiline) grow(el); });
  el.addEventListener("blur", commit);
  el.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); commit(); }
    else if (e.key === "Escape") { e.preventDefault(); dirty = false; el.value = current()[name] ?? ""; clearNote(); el.blur(); }
  });
  fields.set(name, (s) => {
    const v = s[name] ?? "";
    if (sheets.conflicts.has(key)) {
      const mine = sheets.conflicts.get(key);
      if (!dirty && document.activeElement !== el) el.value = mine;
      base = s.version;  // both texts are in sight: a save from here is a choice, not an accident
      showConflict(s, mine);
      return;
    }
    if (dirty && document.activeElement === el) {
      if (v !== shown && v !== el.value.trim()) showOvertaken(s);
      return;
    }
    if (!note.hidden && !dirty) clearNote();
    if (el.value !== v) el.value = v;
    base = s.version;
    shown = v;
    if (multiline) grow(el);
  });
  return [el, note];
}

// Lists: shown again only when their value changed, and not while the user is inside the rows.
function listField(form, name, draw) {
  const {sheets, fields} = form;
  const rows = h("div", {class: "sf-rows"});
  let last;
  // Leaving the rows: draw them again if something arrived meanwhile.
  rows.addEventListener("focusout", (e) => { if (!rows.contains(e.relatedTarget)) setTimeout(() => sheets.render(), 0); });
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

// Milestones [{date, label}] and KPIs [{name, target}]: rows edited in place, a last row to add one.
function pairList(form, name, {a, b, aType, aLabel, bLabel, aPh, bPh, required}) {
  const {sheets, id, fields, ro, send, current} = form;
  const read = (row) => ({[a]: row.querySelector(`[data-part=${a}]`).value.trim() || (aType === "date" ? null : ""),
                          [b]: row.querySelector(`[data-part=${b}]`).value.trim()});
  const commitRows = (rows) => {
    if (!rows.dataset.dirty) return;
    delete rows.dataset.dirty;
    const next = [...rows.querySelectorAll(".pair-row")].map(read).filter((x) => x[required]);
    const clean = next.map((x) => (aType === "date" ? {date: x.date || null, label: x.label} : {name: x.name, target: x.target}));
    if (!same(clean, normalise(current()[name], aType))) {
      sheets.conflicts.delete(`${id}:${name}`);
      send(name, clean, rows.dataset.base ? Number(rows.dataset.base) : undefined);
    }
  };
  // Rows refused because someone else changed the list first: theirs are shown, mine wait here.
  const note = h("div", {class: "sheet-conflict", role: "alert", hidden: true, "data-testid": "sheet-conflict"});
  const text = (list) => normalise(list, aType).map((x) => (aType === "date" ? [x.date, x.label] : [x.name, x.target])
    .filter(Boolean).join(" — ")).join(" ; ") || "—";
  fields.set(`_conflict_${name}`, (s) => {
    const key = `${id}:${name}`;
    if (!sheets.conflicts.has(key)) { note.hidden = true; return; }
    const mine = normalise(sheets.conflicts.get(key), aType);
    const theirs = normalise(s[name], aType);
    const resolve = (value) => {
      sheets.conflicts.delete(key);
      note.hidden = true;
      if (!same(value, theirs)) send(name, value, s.version);
      else sheets.render();
    };
    clear(note).append(h("p", {}, t("facil.conflict_intro")),
      h("p", {}, h("strong", {}, t("facil.conflict_theirs")), " ", h("span", {"data-part": "theirs"}, text(theirs))),
      h("p", {}, h("strong", {}, t("facil.conflict_mine")), " ", h("span", {"data-part": "mine"}, text(mine))),
      h("div", {class: "conflict-actions"},
        h("button", {type: "button", class: "primary small", "data-action": "conflict-both",
                     onclick: () => resolve([...theirs, ...mine.filter((x) => !theirs.some((y) => same(x, y)))])}, t("facil.conflict_both")),
        h("button", {type: "button", class: "secondary small", "data-action": "conflict-mine", onclick: () => resolve(mine)}, t("facil.conflict_keep_mine")),
        h("button", {type: "button", class: "secondary small", "data-action": "conflict-theirs", onclick: () => resolve(theirs)}, t("facil.conflict_take_theirs"))));
    note.hidden = false;
  });
  const rows = listField(form, name, (rowsEl, list) => {
    list.forEach((item, i) => {
      const first = h("input", {type: aType, "data-part": a, value: item[a] ?? "", readonly: ro, "aria-label": `${aLabel} ${i + 1}`,
                                maxlength: aType === "date" ? null : "200", placeholder: aPh});
      const second = h("input", {type: "text", "data-part": b, value: item[b] ?? "", readonly: ro, "aria-label": `${bLabel} ${i + 1}`,
                                 maxlength: "200", placeholder: bPh});
      const row = h("div", {class: "pair-row", "data-index": String(i)}, aType === "date" ? [first, second] : [first, second],
        ro ? null : h("button", {type: "button", class: "icon-btn danger", "aria-label": `${t("sheets.remove")} ${i + 1}`, title: t("sheets.remove"),
          onclick: () => send(name, normalise(current()[name], aType).filter((_, j) => j !== i))}, "✕"));
      row.addEventListener("input", () => { rowsEl.dataset.dirty = "1"; });
      row.addEventListener("change", () => { rowsEl.dataset.dirty = "1"; });
      row.addEventListener("focusout", (e) => { if (!row.contains(e.relatedTarget)) commitRows(rowsEl); });
      row.addEventListener("keydown", (e) => {
        if (e.key === "Enter" && !e.isComposing) { e.preventDefault(); e.target.blur(); }
      });
      rowsEl.appendChild(row);
    });
  });
  const newA = h("input", {type: aType, "data-part": a, "aria-label": aLabel, placeholder: aPh, maxlength: aType === "date" ? null : "200"});
  const newB = h("input", {type: "text", "data-part": b, "aria-label": bLabel, placeholder: bPh, maxlength: "200"});
  const add = () => {
    const item = read(adder);
    if (!item[required]) { (required === a ? newA : newB).focus(); return; }
    send(name, [...normalise(current()[name], aType), aType === "date" ? {date: item.date || null, label: item.label} : {name: item.name, target: item.target}]);
    newA.value = "";
    newB.value = "";
    (aType === "date" ? newB : newA).focus();
  };
  const adder = h("div", {class: "pair-row adder", hidden: ro}, newA, newB,
    h("button", {type: "button", class: "secondary small", "data-action": `add-${name}`, onclick: add}, t("sheets.add")));
  adder.addEventListener("keydown", (e) => { if (e.key === "Enter" && !e.isComposing) { e.preventDefault(); add(); } });
  if (aType === "date") newA.id = `sf-${id}-${name}`;
  else newA.id = `sf-${id}-${name}`;
  return [rows, [adder, note]];
}
