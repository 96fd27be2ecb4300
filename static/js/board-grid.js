// The board's grid (board.js): macro-stages over steps (columns, board-columns.js), lanes (rows), one
// cell per lane and step, laid out as one ARIA grid: rows of header cells (board-heads.js) and cells;
// each cell names its lane, step and stage. Where each navigable cell stands is kept for the one Tab
// stop and the arrow keys (grid-focus.js). BoardView's methods, kept here.
import Sortable from "/vendor/sortable.esm.js";
import {clear, h, t} from "./dom.js";
import {orderedLanes, orderedStages} from "./store.js";
import {motion} from "./motion.js";
import {columns, stageGroups} from "./board-columns.js";

const MIN_COL = {board: 196, present: 150};

export class BoardGrid {
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
    const cols = columns(view);
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
    stageGroups(cols).forEach((g, gi) => {
      const head = place(this.stageHead(g.stage, stages, gi), g.start, 1, g.span);
      if (g.span > 1) head.setAttribute("aria-colspan", String(g.span));
    });
    if (canStructure) {
      place(
        h(
          "div",
          {class: "tail-head", role: "columnheader", "data-nav": "add-stage"},
          h("button", {class: "icon-btn add-stage", "data-action": "add-stage", title: t("stage.add"), "aria-label": t("stage.add")}, "+"),
        ),
        cols.length + 2,
        1,
      );
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
        if (!c.step) {
          place(h("div", {class: "cell cell-empty", role: "gridcell", "data-nav": `empty:${lane.id}:${i}`}), i + 2, r);
          return;
        }
        place(this.cell(lane, c.step, c.stage), i + 2, r);
      });
    });
    if (canStructure) {
      row("add-lane-grid-row");
      place(
        h(
          "div",
          {class: "add-lane-row", role: "gridcell", "data-nav": "add-lane"},
          h("button", {class: "ghost-btn", "data-action": "add-lane"}, `+ ${t("lane.add")}`),
        ),
        1,
        lanes.length + 3,
      );
    }
    this.restoreActive(hadGridFocus);
    if (this.editor) this.renderEditor(hadFocus);
  }

  minColumn() {
    return this.readOnly ? MIN_COL.present : MIN_COL.board;
  }

  /** Columns share the screen's width; zoomed (viewport.js), the grid has width / zoom pixels to fill. */
  fitColumns(n) {
    const cols = n ?? Number(this.root.style.getPropertyValue("--ncols") || 1);
    const laneW = parseFloat(getComputedStyle(this.root).getPropertyValue("--lane-w")) || 150;
    const available = this.wrap.clientWidth / (this.zoom || 1) - laneW - (this.canEditStructure() ? 44 : 4) - 8;
    this.root.style.setProperty("--col-w", `${Math.max(this.minColumn(), Math.floor(available / Math.max(cols, 1)))}px`);
  }

  cell(lane, step, stage) {
    const list = h("div", {class: "cards"});
    const focused = this.view.map.focus_step_id === step.id ? " focused" : "";
    const cell = h(
      "div",
      {
        class: `cell${step.key_moment ? " key-moment" : ""}${focused}`,
        "data-cell": "",
        "data-lane-id": lane.id,
        "data-step-id": step.id,
        role: "gridcell",
        "data-nav": `cell:${lane.id}|${step.id}`,
      },
      h("span", {class: "sr-only cell-where"}),
      list,
    );
    // What a screen reader says first on arriving: where this cell is, and how many cards it holds (fillCells).
    cell.dataset.where = JSON.stringify({
      lane: lane.title,
      step: step.key_moment ? `${step.title} (${t("a11y.key_moment")})` : step.title,
      stage: stage ? stage.title : null,
    });
    if (this.canWrite()) {
      cell.appendChild(
        h(
          "button",
          {
            class: "add-card",
            "data-action": "add-card",
            "aria-label": t("card.add_in", {lane: lane.title, step: step.title}),
            title: t("card.add"),
          },
          "+",
        ),
      );
    }
    this.cellEls.set(`${lane.id}|${step.id}`, cell);
    if (this.canWrite()) {
      this.sortables.push(
        Sortable.create(list, {
          group: "cards",
          animation: motion() === "auto" ? 0 : 120,
          draggable: ".card",
          filter: ".no-drag, textarea, button, input, select",
          preventOnFilter: false,
          delayOnTouchOnly: true,
          delay: 120,
          ghostClass: "card-ghost",
          chosenClass: "card-chosen",
          onStart: () => {
            this.dragging = true;
          },
          onEnd: (evt) => this.onDrop(evt),
        }),
      );
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
}
