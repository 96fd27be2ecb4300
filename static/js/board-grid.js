// The board's grid (board.js): macro-stages over steps (columns), lanes (rows), one cell per lane and
// step, laid out as one ARIA grid: rows of header cells and cells, one Tab stop (a roving tabindex:
// only the active cell and what it holds are in the Tab order), arrow keys between cells; each cell
// names its lane, step and stage. BoardView's methods, kept here.
import Sortable from "/vendor/sortable.esm.js";
import {clear, h, t} from "./dom.js";
import {orderedLanes, orderedStages, orderedSteps} from "./store.js";
import {motion} from "./motion.js";

const MIN_COL = {board: 196, present: 150};
const FOCUSABLE = "a[href], button, input, select, textarea, [tabindex]";

export class BoardGrid {
  /** Columns: each stage's steps (or one empty column for a stage without steps), then steps outside stages. */
  columns(view) {
    const steps = orderedSteps(view);
    const cols = [];
    for (const stage of orderedStages(view)) {
      const own = steps.filter((s) => s.stage_id === stage.id);
      if (own.length) own.forEach((step, i) => cols.push({step, stage, index: i, count: own.length}));
      else cols.push({step: null, stage, index: 0, count: 0});
    }
    const loose = steps.filter((s) => !s.stage_id || !view.stages.has(s.stage_id));
    loose.forEach((step, i) => cols.push({step, stage: null, index: i, count: loose.length}));
    return cols;
  }

  buildGrid(view) {
    const hadFocus = this.editor && this.root.contains(document.activeElement) && document.activeElement.matches(".card-editor textarea");
    const hadGridFocus = !hadFocus && this.root.contains(document.activeElement);
    this.sortables.forEach((s) => s.destroy());
    this.sortables = [];
    this.cellEls.clear();
    this.grid = [];
    this.places.clear();
    this.active = null;
    clear(this.root);
    const cols = this.columns(view);
    const lanes = orderedLanes(view);
    const stages = orderedStages(view);
    const canStructure = this.canEditStructure();
    const canWrite = this.canWrite(view);
    this.root.style.setProperty("--ncols", String(Math.max(cols.length, 1)));
    this.root.classList.toggle("can-write", canWrite);
    this.fitColumns(cols.length);

    // Each grid row is an ARIA row laid out with `display: contents`: its cells stay items of the board's
    // CSS grid (sticky heads keep working) while the accessibility tree gets grid > row > cell.
    let rowEl = null;
    const row = (className = "") => {
      rowEl = h("div", {role: "row", class: `grid-row ${className}`.trim()});
      this.root.appendChild(rowEl);
      this.grid.push([]);
    };
    const place = (el, col, r, span = 1) => {
      el.style.gridColumn = `${col} / span ${span}`;
      el.style.gridRow = String(r);
      rowEl.appendChild(el);
      if (el.dataset.nav !== undefined) {
        el.tabIndex = -1;
        this.places.set(el, {row: this.grid.length - 1, col: col - 1});
        for (let k = 0; k < span; k += 1) this.grid[this.grid.length - 1][col - 1 + k] = el;
      }
      return el;
    };

    // Row 1: the corner, macro-stages, "add a stage".
    row("stage-row");
    place(h("div", {class: "corner corner-stage", role: "columnheader", "data-nav": "corner-stage"}, t("board.stages")), 1, 1);
    let col = 2;
    const groups = [];
    for (const c of cols) {
      const last = groups[groups.length - 1];
      if (last && last.stage === c.stage && c.stage !== null) last.span += 1;
      else if (last && c.stage === null && last.stage === null && last.loose) last.span += 1;
      else groups.push({stage: c.stage, span: 1, start: col, loose: c.stage === null});
      col += 1;
    }
    groups.forEach((g, gi) => {
      const head = place(this.stageHead(g.stage, stages, gi), g.start, 1, g.span);
      if (g.span > 1) head.setAttribute("aria-colspan", String(g.span));
    });
    if (canStructure) {
      place(h("div", {class: "tail-head", role: "columnheader", "data-nav": "add-stage"},
        h("button", {class: "icon-btn add-stage", "data-action": "add-stage", title: t("stage.add"), "aria-label": t("stage.add")}, "+")),
      cols.length + 2, 1);
    }

    // Row 2: steps.
    row("step-row");
    place(h("div", {class: "corner corner-step", role: "columnheader", "data-nav": "corner-step"}, t("board.steps")), 1, 2);
    cols.forEach((c, i) => place(c.step ? this.stepHead(c) : this.emptyStepHead(c, i), i + 2, 2));

    // Lanes.
    lanes.forEach((lane, li) => {
      const r = li + 3;
      row("lane-row");
      place(this.laneHead(lane, li, lanes.length), 1, r);
      cols.forEach((c, i) => {
        if (!c.step) { place(h("div", {class: "cell cell-empty", role: "gridcell", "data-nav": `empty:${lane.id}:${i}`}), i + 2, r); return; }
        place(this.cell(lane, c.step, c.stage), i + 2, r);
      });
    });
    if (canStructure) {
      row("add-lane-grid-row");
      place(h("div", {class: "add-lane-row", role: "gridcell", "data-nav": "add-lane"},
        h("button", {class: "ghost-btn", "data-action": "add-lane"}, `+ ${t("lane.add")}`)), 1, lanes.length + 3);
    }
    this.restoreActive(hadGridFocus);
    if (this.editor) this.renderEditor(hadFocus);
  }

  minColumn() { return this.readOnly ? MIN_COL.present : MIN_COL.board; }

  /** Columns share the screen's width; zoomed (viewport.js), the grid has width / zoom pixels to fill. */
  fitColumns(n) {
    const cols = n ?? Number(this.root.style.getPropertyValue("--ncols") || 1);
    const laneW = parseFloat(getComputedStyle(this.root).getPropertyValue("--lane-w")) || 150;
    const available = this.wrap.clientWidth / (this.zoom || 1) - laneW - (this.canEditStructure() ? 44 : 4) - 8;
    this.root.style.setProperty("--col-w", `${Math.max(this.minColumn(), Math.floor(available / Math.max(cols, 1)))}px`);
  }

  stageHead(stage, stages, index) {
    if (!stage) return h("div", {class: "stage-head stage-loose", role: "columnheader", "data-nav": `stage-loose:${index}`}, t("stage.none"));
    const i = stages.indexOf(stage);
    // Named by its title alone: the buttons inside are reached with Tab, not read with every cell.
    const el = h("div", {class: `stage-head stage-tint-${index % 4}`, "data-stage-id": stage.id, role: "columnheader",
                         "data-nav": `stage:${stage.id}`, "aria-label": t("a11y.stage_head", {title: stage.title})},
      h("span", {class: "stage-title"}, stage.title));
    const tools = h("span", {class: "head-tools"});
    if (this.canEditSteps()) {
      tools.appendChild(h("button", {class: "icon-btn", "data-action": "add-step", "data-stage-id": stage.id,
        title: t("step.add"), "aria-label": t("step.add_in", {stage: stage.title})}, "+"));
    }
    if (this.canEditStructure()) {
      tools.append(
        h("button", {class: "icon-btn", "data-action": "rename-stage", "data-stage-id": stage.id, title: t("common.rename"), "aria-label": t("common.rename")}, "✎"),
        h("button", {class: "icon-btn", "data-action": "move-stage", "data-dir": "-1", "data-stage-id": stage.id, title: t("common.move_left"), "aria-label": t("common.move_left"), disabled: i <= 0}, "◀"),
        h("button", {class: "icon-btn", "data-action": "move-stage", "data-dir": "1", "data-stage-id": stage.id, title: t("common.move_right"), "aria-label": t("common.move_right"), disabled: i >= stages.length - 1}, "▶"),
        h("button", {class: "icon-btn danger", "data-action": "delete-stage", "data-stage-id": stage.id, title: t("common.delete"), "aria-label": t("common.delete")}, "✕"));
    }
    if (tools.childNodes.length) el.appendChild(tools);
    return el;
  }

  emptyStepHead(c, i) {
    return h("div", {class: "step-head step-empty", role: "columnheader", "data-nav": `step-empty:${i}`},
      h("span", {class: "muted"}, t("stage.empty")));
  }

  stepHead(c) {
    const step = c.step;
    const focused = this.view.map.focus_step_id === step.id ? " focused" : "";
    const el = h("div", {class: `step-head${step.key_moment ? " key-moment" : ""}${focused}`, "data-step-id": step.id, role: "columnheader",
                         "data-nav": `step:${step.id}`, title: step.description || null,
                         "aria-label": step.key_moment ? `${step.title} (${t("a11y.key_moment")})` : step.title});
    if (this.canEditStructure()) {
      el.appendChild(h("button", {class: "star", "data-action": "key-moment", "data-step-id": step.id,
        "aria-pressed": step.key_moment ? "true" : "false", title: t("step.key_moment"), "aria-label": t("step.key_moment")}, "★"));
    } else if (step.key_moment) {
      el.appendChild(h("span", {class: "star", title: t("step.key_moment"), "aria-hidden": "true"}, "★"));
    }
    el.appendChild(h("span", {class: "step-title"}, step.title));
    const tools = h("span", {class: "head-tools"});
    if (this.canEditSteps()) {
      tools.appendChild(h("button", {class: "icon-btn", "data-action": "rename-step", "data-step-id": step.id, title: t("common.rename"), "aria-label": t("common.rename")}, "✎"));
    }
    if (this.canEditStructure()) {
      tools.append(
        h("button", {class: "icon-btn", "data-action": "focus-step", "data-step-id": step.id, title: t("step.focus"), "aria-label": t("step.focus"),
                     "aria-pressed": this.view.map.focus_step_id === step.id ? "true" : "false"}, "◎"),
        h("button", {class: "icon-btn", "data-action": "move-step", "data-dir": "-1", "data-step-id": step.id, title: t("common.move_left"), "aria-label": t("common.move_left")}, "◀"),
        h("button", {class: "icon-btn", "data-action": "move-step", "data-dir": "1", "data-step-id": step.id, title: t("common.move_right"), "aria-label": t("common.move_right")}, "▶"),
        h("button", {class: "icon-btn danger", "data-action": "delete-step", "data-step-id": step.id, title: t("common.delete"), "aria-label": t("common.delete")}, "✕"));
    }
    if (tools.childNodes.length) el.appendChild(tools);
    return el;
  }

  laneHead(lane, index, count) {
    const el = h("div", {class: `lane-head lane-${lane.kind}`, "data-lane-id": lane.id, role: "rowheader",
                         "data-nav": `lane:${lane.id}`, "aria-label": lane.title},
      h("span", {class: "lane-title"}, lane.title));
    if (this.canEditStructure()) {
      el.appendChild(h("span", {class: "head-tools"},
        h("button", {class: "icon-btn", "data-action": "rename-lane", "data-lane-id": lane.id, title: t("common.rename"), "aria-label": t("common.rename")}, "✎"),
        h("button", {class: "icon-btn", "data-action": "move-lane", "data-dir": "-1", "data-lane-id": lane.id, title: t("common.move_up"), "aria-label": t("common.move_up"), disabled: index === 0}, "▲"),
        h("button", {class: "icon-btn", "data-action": "move-lane", "data-dir": "1", "data-lane-id": lane.id, title: t("common.move_down"), "aria-label": t("common.move_down"), disabled: index === count - 1}, "▼"),
        h("button", {class: "icon-btn danger", "data-action": "delete-lane", "data-lane-id": lane.id, title: t("common.delete"), "aria-label": t("common.delete")}, "✕")));
    }
    return el;
  }

  cell(lane, step, stage) {
    const list = h("div", {class: "cards"});
    const focused = this.view.map.focus_step_id === step.id ? " focused" : "";
    const cell = h("div", {class: `cell${step.key_moment ? " key-moment" : ""}${focused}`, "data-cell": "", "data-lane-id": lane.id,
                           "data-step-id": step.id, role: "gridcell", "data-nav": `cell:${lane.id}|${step.id}`},
                   h("span", {class: "sr-only cell-where"}), list);
    // What a screen reader says first on arriving: where this cell is, and how many cards it holds (fillCells).
    cell.dataset.where = JSON.stringify({lane: lane.title, step: step.key_moment ? `${step.title} (${t("a11y.key_moment")})` : step.title,
                                         stage: stage ? stage.title : null});
    if (this.canWrite()) {
      cell.appendChild(h("button", {class: "add-card", "data-action": "add-card",
        "aria-label": t("card.add_in", {lane: lane.title, step: step.title}), title: t("card.add")}, "+"));
    }
    this.cellEls.set(`${lane.id}|${step.id}`, cell);
    if (this.canWrite()) {
      this.sortables.push(Sortable.create(list, {
        group: "cards", animation: motion() === "auto" ? 0 : 120, draggable: ".card", filter: ".no-drag, textarea, button, input, select",
        preventOnFilter: false, delayOnTouchOnly: true, delay: 120, ghostClass: "card-ghost", chosenClass: "card-chosen",
        onStart: () => { this.dragging = true; },
        onEnd: (evt) => this.onDrop(evt),
      }));
    }
    return cell;
  }

  labelCell(cellEl, n) {
    const key = `${n}`;
    if (cellEl.dataset.labelled === key) return;
    cellEl.dataset.labelled = key;
    const where = JSON.parse(cellEl.dataset.where || "{}");
    const cards = t("a11y.cards", {n});
    cellEl.firstElementChild.textContent = t(where.stage ? "a11y.cell" : "a11y.cell_loose", {...where, cards});
  }

  // -- the grid's one Tab stop and the arrow keys -----------------------------------------------

  /** Make `el` the cell holding the Tab stop: it and what it holds get tabindex 0, the previous one -1. */
  setActive(el) {
    if (!el || this.active === el) return;
    if (this.active && this.active.isConnected) this.tabbable(this.active, false);
    this.active = el;
    this.activeNav = el.dataset.nav;
    this.tabbable(el, true);
  }

  tabbable(el, on) {
    el.tabIndex = on ? 0 : -1;
    for (const x of el.querySelectorAll(FOCUSABLE)) x.tabIndex = on ? 0 : -1;
  }

  /** After a rebuild: the same cell as before if it still exists, else the first cell of the first lane. */
  restoreActive(focus = false) {
    const esc = this.activeNav ? CSS.escape(this.activeNav) : null;
    const el = (esc && this.root.querySelector(`[data-nav="${esc}"]`)) || this.root.querySelector("[data-cell]")
      || this.root.querySelector("[data-nav]");
    if (!el) return;
    this.active = null;
    this.setActive(el);
    if (focus) el.focus({preventScroll: true});
  }

  onMutations(records) {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node.nodeType !== 1) continue;
        const list = node.matches(FOCUSABLE) ? [node, ...node.querySelectorAll(FOCUSABLE)] : node.querySelectorAll(FOCUSABLE);
        for (const x of list) {
          const nav = x.closest("[data-nav]");
          if (!nav) continue;
          const want = nav === this.active ? 0 : -1;
          if (x.tabIndex !== want) x.tabIndex = want;
        }
      }
    }
  }

  /** The cell next to `el` in direction (dr, dc), or the first/last of the row (edge: -1 / 1). */
  neighbour(el, dr, dc, edge = 0) {
    const at = this.places.get(el);
    if (!at) return null;
    const row = this.grid[at.row + dr];
    if (!row) return null;
    if (edge) {
      const cells = row.filter(Boolean);
      return edge < 0 ? cells[0] : cells[cells.length - 1];
    }
    if (dc > 0) {
      for (let c = at.col + 1; c < row.length; c += 1) if (row[c] && row[c] !== el) return row[c];
      return null;
    }
    if (dc < 0) {
      for (let c = at.col - 1; c >= 0; c -= 1) if (row[c] && row[c] !== el) return row[c];
      return null;
    }
    for (let c = Math.min(at.col, row.length - 1); c >= 0; c -= 1) if (row[c]) return row[c];
    return null;
  }

  moveTo(el) {
    if (!el) return false;
    this.setActive(el);
    el.focus({preventScroll: false});
    el.scrollIntoView({block: "nearest", inline: "nearest"});
    return true;
  }

  /** Arrow keys, Home and End between cells; answers whether the key was used. */
  navigate(e, from) {
    const key = e.key;
    if (e.altKey || e.metaKey || e.shiftKey) return false;
    if ((e.ctrlKey) && (key === "Home" || key === "End")) {
      const cells = [...this.cellEls.values()];
      return this.moveTo(key === "Home" ? cells[0] : cells[cells.length - 1]);
    }
    if (e.ctrlKey) return false;
    const moves = {ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0]};
    if (moves[key]) return this.moveTo(this.neighbour(from, ...moves[key]));
    if (key === "Home" || key === "End") return this.moveTo(this.neighbour(from, 0, 0, key === "Home" ? -1 : 1));
    return false;
  }
}
