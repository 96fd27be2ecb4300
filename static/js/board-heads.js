// The board's headers (board-grid.js places them): macro-stages, steps and lanes, each a header cell
// of the ARIA grid named by its title, with the tools this browser may use (board.js says which).
// BoardView's methods, kept here.
import {h, t} from "./dom.js";

// The two moves of a header: steps and stages go left and right, lanes up and down.
const across = () => [
  [t("common.move_left"), "◀"],
  [t("common.move_right"), "▶"],
];
const down = () => [
  [t("common.move_up"), "▲"],
  [t("common.move_down"), "▼"],
];

/** A header's small button: `action` on the stage, step or lane that `target` names ({"data-step-id": id}). */
function tool(action, target, label, glyph, extra = {}) {
  const danger = action.startsWith("delete-") ? " danger" : "";
  return h("button", {class: `icon-btn${danger}`, "data-action": action, ...target, title: label, "aria-label": label, ...extra}, glyph);
}

/** Rename, move back and forth (disabled at the ends when `ends` says so), delete. */
function editTools(kind, target, [back, forth], ends = [false, false]) {
  return [
    tool(`rename-${kind}`, target, t("common.rename"), "✎"),
    tool(`move-${kind}`, target, back[0], back[1], {"data-dir": "-1", disabled: ends[0]}),
    tool(`move-${kind}`, target, forth[0], forth[1], {"data-dir": "1", disabled: ends[1]}),
    tool(`delete-${kind}`, target, t("common.delete"), "✕"),
  ];
}

export class BoardHeads {
  stageHead(stage, stages, index) {
    if (!stage)
      return h("div", {class: "stage-head stage-loose", role: "columnheader", "data-nav": `stage-loose:${index}`}, t("stage.none"));
    const i = stages.indexOf(stage);
    const target = {"data-stage-id": stage.id};
    // Named by its title alone: the buttons inside are reached with Tab, not read with every cell.
    const el = h(
      "div",
      {
        class: `stage-head stage-tint-${index % 4}`,
        ...target,
        role: "columnheader",
        "data-nav": `stage:${stage.id}`,
        "aria-label": t("a11y.stage_head", {title: stage.title}),
      },
      h("span", {class: "stage-title"}, stage.title),
    );
    const tools = h("span", {class: "head-tools"});
    if (this.canEditSteps())
      tools.appendChild(tool("add-step", target, t("step.add"), "+", {"aria-label": t("step.add_in", {stage: stage.title})}));
    if (this.canEditStructure()) tools.append(...editTools("stage", target, across(), [i <= 0, i >= stages.length - 1]));
    if (tools.childNodes.length) el.appendChild(tools);
    return el;
  }

  emptyStepHead(c, i) {
    return h(
      "div",
      {class: "step-head step-empty", role: "columnheader", "data-nav": `step-empty:${i}`},
      h("span", {class: "muted"}, t("stage.empty")),
    );
  }

  stepHead(c) {
    const step = c.step;
    const target = {"data-step-id": step.id};
    const focused = this.view.map.focus_step_id === step.id;
    const el = h("div", {
      class: `step-head${step.key_moment ? " key-moment" : ""}${focused ? " focused" : ""}`,
      ...target,
      role: "columnheader",
      "data-nav": `step:${step.id}`,
      title: step.description || null,
      "aria-label": step.key_moment ? `${step.title} (${t("a11y.key_moment")})` : step.title,
    });
    if (this.canEditStructure()) {
      el.appendChild(
        h(
          "button",
          {
            class: "star",
            "data-action": "key-moment",
            ...target,
            "aria-pressed": step.key_moment ? "true" : "false",
            title: t("step.key_moment"),
            "aria-label": t("step.key_moment"),
          },
          "★",
        ),
      );
    } else if (step.key_moment) {
      el.appendChild(h("span", {class: "star", title: t("step.key_moment"), "aria-hidden": "true"}, "★"));
    }
    el.appendChild(h("span", {class: "step-title"}, step.title));
    const tools = h("span", {class: "head-tools"});
    if (this.canEditSteps()) tools.appendChild(tool("rename-step", target, t("common.rename"), "✎"));
    if (this.canEditStructure()) {
      // Renaming is the steps' own right (`structure_edits`); the rest is the facilitator's.
      const [, ...rest] = editTools("step", target, across());
      tools.append(tool("focus-step", target, t("step.focus"), "◎", {"aria-pressed": focused ? "true" : "false"}), ...rest);
    }
    if (tools.childNodes.length) el.appendChild(tools);
    return el;
  }

  laneHead(lane, index, count) {
    const el = h(
      "div",
      {
        class: `lane-head lane-${lane.kind}`,
        "data-lane-id": lane.id,
        role: "rowheader",
        "data-nav": `lane:${lane.id}`,
        "aria-label": lane.title,
      },
      h("span", {class: "lane-title"}, lane.title),
    );
    if (this.canEditStructure()) {
      el.appendChild(
        h("span", {class: "head-tools"}, editTools("lane", {"data-lane-id": lane.id}, down(), [index === 0, index === count - 1])),
      );
    }
    return el;
  }
}
