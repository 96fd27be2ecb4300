// One text value of a sheet (its title, the problem…): shown from the store unless the user is in it;
// sent on blur (or Enter) with the sheet version it was shown from, so that the server refuses to
// replace a text written meanwhile (then both texts stay in sight: sheet-conflict.js).
import {clear, h, t} from "./dom.js";
import {excerpt} from "./text.js";
import {conflictNote, offerChoice} from "./sheet-conflict.js";
import {mergeTexts} from "./sheet-values.js";

function grow(ta) {
  ta.style.height = "auto";
  ta.style.height = `${Math.min(ta.scrollHeight + 2, 260)}px`;
}

/** The field `name` of the form (sheet-form.js: {sheets, id, fields, ro, send, current}): [its input, its note]. */
export function textField(form, name, {multiline, max, placeholder, required = false, cls = ""}) {
  const {sheets, id, fields, ro, send, current} = form;
  const el = multiline
    ? h("textarea", {id: `sf-${id}-${name}`, rows: "3", maxlength: String(max), placeholder, "data-field": name, readonly: ro, class: cls})
    : h("input", {id: `sf-${id}-${name}`, type: "text", maxlength: String(max), placeholder, "data-field": name, readonly: ro, class: cls});
  // Only what the user changed is sent: focusing a field and leaving it sends nothing (and
  // never overwrites what someone else wrote meanwhile).
  let dirty = false;
  let base; // the sheet version the field's text was shown from
  let shown = ""; // that text
  const key = `${id}:${name}`;
  const note = conflictNote();
  const clearNote = () => {
    note.hidden = true;
    clear(note);
  };
  const show = (value) => {
    el.value = value;
    if (multiline) grow(el);
  };
  const commit = () => {
    if (!dirty) return;
    dirty = false;
    const value = el.value.trim();
    const stored = current()[name] ?? "";
    if (ro || value === stored) {
      clearNote();
      return;
    }
    if (required && !value) {
      el.value = stored;
      return;
    }
    sheets.conflicts.delete(key);
    send(name, value, base);
  };
  // Their text and mine, side by side: nothing is lost until the person chooses.
  const showConflict = (s, mine) => {
    const theirs = s[name] ?? "";
    offerChoice(note, {
      theirs,
      mine,
      both: mergeTexts(theirs, mine, multiline ? "\n" : " / ", max),
      text: (v) => v || "—",
      resolve: (value) => {
        sheets.conflicts.delete(key);
        clearNote();
        dirty = false;
        show(value);
        if (value !== theirs) send(name, value, s.version);
      },
    });
  };
  // Someone else saved this field while it is being typed here: say so now, before the save.
  const showOvertaken = (s) => {
    const theirs = s[name] ?? "";
    clear(note).append(
      h(
        "p",
        {},
        t("card.overtaken", {text: excerpt(theirs, 80)}),
        " ",
        h(
          "button",
          {
            type: "button",
            class: "link",
            "data-action": "take-theirs",
            onmousedown: (e) => {
              e.preventDefault();
              dirty = false;
              base = s.version;
              shown = theirs;
              clearNote();
              show(theirs);
            },
          },
          t("card.take_theirs"),
        ),
      ),
    );
    note.hidden = false;
  };
  el.addEventListener("input", () => {
    dirty = true;
    if (multiline) grow(el);
  });
  el.addEventListener("blur", commit);
  el.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      commit();
    } else if (e.key === "Escape") {
      e.preventDefault();
      dirty = false;
      el.value = current()[name] ?? "";
      clearNote();
      el.blur();
    }
  });
  fields.set(name, (s) => {
    const v = s[name] ?? "";
    if (sheets.conflicts.has(key)) {
      const mine = sheets.conflicts.get(key);
      if (!dirty && document.activeElement !== el) el.value = mine;
      base = s.version; // both texts are in sight: a save from here is a choice, not an accident
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
