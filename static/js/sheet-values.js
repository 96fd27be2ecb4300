// A chantier sheet's values as data (no DOM, so it loads under Node): the two lists of pairs
// (milestones and KPIs) and how they are stored, compared, shown in a line and merged; what the sheet
// may link; what a conflict keeps of both texts. The form (sheet-form.js and its field modules) draws them.
import {orderedSteps} from "./store.js";

export const same = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The fields that hold a list of pairs: each row's two parts (`a` first), the type of `a`'s input,
 *  and the part a row cannot go without (a row without it is dropped). */
export const PAIRS = {
  milestones: {a: "date", b: "label", aType: "date", required: "label"},
  kpis: {a: "name", b: "target", aType: "text", required: "name"},
};

/** One row of `name` as stored: a milestone without a date has `null`, any other missing part "". */
export function pairOf(name, x) {
  return PAIRS[name].aType === "date" ? {date: x.date || null, label: x.label || ""} : {name: x.name || "", target: x.target || ""};
}

/** The rows of `name` as stored, from whatever the sheet holds (nothing, or rows with parts missing). */
export function pairs(name, list) {
  return (list || []).map((x) => pairOf(name, x));
}

/** The rows of `name` in one line, for a conflict note: "2025-03-01 — Pilot ; …", or "—". */
export function pairsText(name, list) {
  const {a, b} = PAIRS[name];
  return (
    pairs(name, list)
      .map((x) => [x[a], x[b]].filter(Boolean).join(" — "))
      .join(" ; ") || "—"
  );
}

/** Both lists after a conflict: theirs, then mine that they do not already hold. */
export function mergePairs(theirs, mine) {
  return [...theirs, ...mine.filter((x) => !theirs.some((y) => same(x, y)))];
}

/** Both texts after a conflict: theirs, then mine (joined by `glue`, cut at `max`), or the one there is. */
export function mergeTexts(theirs, mine, glue, max) {
  return theirs && mine ? `${theirs}${glue}${mine}`.slice(0, max) : theirs || mine;
}

/** An end before the start: kept (dates are edited one at a time), but said. */
export function datesInverted(sheet) {
  return !!(sheet.start && sheet.end && sheet.end < sheet.start);
}

/** The steps a sheet may still link, in board order. */
export function linkableSteps(view, linked) {
  return orderedSteps(view).filter((s) => !linked.includes(s.id));
}

/** The cards a sheet may still link: irritants and ideas with a text, on its linked steps when it has some. */
export function linkableCards(view, linked, stepIds) {
  const steps = new Set(stepIds || []);
  return [...view.cards.values()].filter(
    (c) => !linked.includes(c.id) && c.text && ["irritant", "idea"].includes(c.kind) && (!steps.size || steps.has(c.step_id)),
  );
}
