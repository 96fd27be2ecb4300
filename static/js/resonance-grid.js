// The resonance matrix (CONTRACT.md §4): the customer's reading in rows, the employee's in columns, a
// cell per situation of PAGE.resonance listing its steps. Drawn by the mirror (emotions.js, from the
// ratings, with each situation's advice) and by the Mirror listening panel (listening-panel.js, from a
// survey's averages).
import {PAGE, h, t} from "./dom.js";

/** The grid (`testid` names it for tests): `stepsOf(category)` → [{id, title}]; `advice`: each cell
 *  also says what to do. */
export function resonanceGrid({testid, stepsOf, advice = false}) {
  const grid = h(
    "div",
    {class: "res-grid", "data-testid": testid},
    h("span", {}),
    ["pos", "none", "neg"].map((e) => h("span", {class: "res-colhead"}, t(`mirror.employee_${e}`))),
  );
  for (const c of ["pos", "neg"]) {
    grid.appendChild(h("span", {class: "res-rowhead"}, t(`mirror.customer_${c}`)));
    for (const r of PAGE.resonance.filter((x) => x.customer === (c === "pos" ? "positive" : "negative"))) {
      const steps = stepsOf(r.category);
      grid.appendChild(
        h(
          "div",
          {class: `res-cell res-${r.category}`, "data-category": r.category},
          h("strong", {class: "res-name"}, t(r.name)),
          advice ? h("span", {class: "res-do"}, t(r.advice)) : null,
          h(
            "ul",
            {class: "res-steps"},
            steps.length ? steps.map((s) => h("li", {"data-step-id": s.id}, s.title)) : h("li", {class: "muted"}, t("res.empty")),
          ),
        ),
      );
    }
  }
  return grid;
}
