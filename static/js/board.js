// The board: macro-stages over steps (columns), lanes (rows), cells of cards; drawn from the store's
// view (plus this browser's pending ops). The grid is rebuilt only when its structure changes;
// cards are kept element by element (keyed by id), so open editors and focus survive live updates.
// For assistive technologies it is one ARIA grid: rows of header cells and cells, one Tab stop (a
// roving tabindex: only the active cell and what it holds are in the Tab order), arrow keys between
// cells; each cell names its lane, step and stage, each card its kind, author and text.
import Sortable from "/vendor/sortable.esm.js";
import {PAGE, clear, confirmDialog, h, inlineEdit, t, uuid} from "./dom.js";
import {excerpt} from "./text.js";
import {cellCards, commentsOn, orderedLanes, orderedStages, orderedSteps} from "./store.js";
import {defaultKindFor, kindsFor} from "./phases.js";

const MIN_COL = {board: 196, present: 150};
const FOCUSABLE = "a[href], button, input, select, textarea, [tabindex]";
/** Smooth scrolling, unless the person asked for less motion. */
export const motion = () => (window.matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth");

export class BoardView {
  constructor({root, conn, me, readOnly = false, onOpenCard = () => {}}) {
    this.root = root;
    this.wrap = root.parentElement;
    this.conn = conn;
    this.me = me;
    this.readOnly = readOnly;
    this.onOpenCard = onOpenCard;
    this.cardEls = new Map();
    this.cardSigs = new Map();
    this.cellEls = new Map();
    this.sortables = [];
    this.structureKey = null;
    this.editor = null;      // the add-card editor: {laneId, stepId, text, kind, channel, hidden, buildsOn}
    this.editing = null;     // id of the card edited in place
    this.dragging = false;
    this.firstRender = true;
    this.lastHidden = false;
    this.focusCard = null;
    this.view = null;
    this.grid = [];          // the grid's rows: arrays of navigable cells by column (a spanning header repeats)
    this.places = new Map(); // navigable cell → {row, col} of its first column
    this.active = null;      // the cell holding the grid's one Tab stop
    this.activeNav = null;   // its data-nav key, to find it again after a rebuild
    root.setAttribute("aria-label", t("a11y.grid"));
    root.addEventListener("focusin", (e) => {
      const nav = e.target.closest("[data-nav]");
      if (nav && this.root.contains(nav)) this.setActive(nav);
    });
    // Whatever is drawn into the grid later (cards, vote boxes, emotion faces) joins the roving tabindex.
    new MutationObserver((records) => this.onMutations(records)).observe(root, {childList: true, subtree: true});
    root.addEventListener("click", (e) => this.onClick(e));
    root.addEventListener("dblclick", (e) => this.onDblClick(e));
    root.addEventListener("keydown", (e) => this.onKey(e));
    window.addEventListener("resize", () => this.fitColumns());
  }

  // -- permissions ------------------------------------------------------------------------------

  get isFacilitator() { return this.me.role === "facilitator"; }
  canWrite(view = this.view) {
    return !this.readOnly && this.me.role !== "observer" && !!view && (!view.map.locked || this.isFacilitator)
      && (view.map.phase !== "closed" || this.isFacilitator);  // a closed workshop is read-only (ops/base.py)
  }
  /** Adding and renaming steps: the map's `structure_edits` setting may keep them to the facilitator. */
  canEditSteps(view = this.view) { return this.canWrite(view) && (this.isFacilitator || view.map.structure_edits !== "facilitator"); }
  canEditCard(card) { return this.canWrite() && !(card.hidden && card.author_id !== this.me.id); }
  canDeleteCard(card) { return this.canWrite() && (card.author_id === this.me.id || this.isFacilitator); }
  canEditStructure() { return this.canWrite() && this.isFacilitator; }

  // -- rendering --------------------------------------------------------------------------------

  render() {
    if (this.dragging) { this.dirty = true; return; }
    const view = this.conn.view();
    if (!view) return;
    this.view = view;
    const key = this.structureOf(view);
    if (key !== this.structureKey) {
      this.structureKey = key;
      this.buildGrid(view);
    }
    if ((view.map.focus_step_id || null) !== (this.lastFocus ?? null)) {
      this.lastFocus = view.map.focus_step_id || null;
      this.focusCard = null;  // the facilitator's focus wins over bringing back a card's keyboard focus
      const head = this.lastFocus && this.root.querySelector(`.step-head[data-step-id="${CSS.escape(this.lastFocus)}"]`);
      if (head) head.scrollIntoView({inline: "center", block: "nearest", behavior: this.firstRender ? "auto" : motion()});
    }
    this.fillCells(view);
    if (!this.active || !this.active.isConnected) this.restoreActive();
    if (this.firstRender) {
      this.firstRender = false;
      this.root.setAttribute("aria-busy", "false");
    }
  }

  structureOf(view) {
    return JSON.stringify([
      orderedStages(view).map((s) => [s.id, s.title]),
      orderedSteps(view).map((s) => [s.id, s.title, s.stage_id, s.key_moment, s.description]),
      orderedLanes(view).map((l) => [l.id, l.title, l.kind]),
      this.canWrite(view), this.canEditSteps(view), this.isFacilitator, view.map.focus_step_id || null,
    ]);
  }

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

  fillCells(view) {
    const cells = cellCards(view);
    for (const [key, cellEl] of this.cellEls) {
      const list = cellEl.querySelector(":scope > .cards");
      const desired = cells.get(key) || [];
      desired.forEach((card, i) => {
        const el = this.cardEl(card, view);
        const at = list.children[i];
        if (at !== el) list.insertBefore(el, at || null);
      });
      while (list.children.length > desired.length) list.lastElementChild.remove();
      cellEl.classList.toggle("has-cards", desired.length > 0);
      this.labelCell(cellEl, desired.length);
    }
    for (const [id, el] of this.cardEls) {
      if (!view.cards.has(id) || !el.isConnected) {
        if (!view.cards.has(id)) { el.remove(); this.cardEls.delete(id); this.cardSigs.delete(id); }
        if (this.editing === id) this.editing = null;
      }
    }
    if (this.focusCard && (document.activeElement === document.body || !document.activeElement)) {
      const el = this.cardEls.get(this.focusCard);
      if (el) el.focus({preventScroll: false});
    }
  }

  cardEl(card, view) {
    let el = this.cardEls.get(card.id);
    if (!el) {
      el = h("article", {class: "card", "data-card-id": card.id, tabindex: "0"},
        h("header", {class: "card-head"},
          h("span", {class: "card-kind"}),
          h("span", {class: "card-channel", hidden: true}),
          this.readOnly ? null : h("button", {class: "card-more", "data-action": "card-menu", "aria-label": t("card.details"), title: t("card.details")}, "⋯")),
        h("button", {class: "card-builds-on", "data-action": "goto-parent", hidden: true}),
        h("p", {class: "card-text"}),
        h("footer", {class: "card-foot"},
          h("span", {class: "card-author"}),
          h("span", {class: "card-side", hidden: true}),
          h("span", {class: "card-comments", hidden: true})));
      if (!this.firstRender && card.author_id !== this.me.id) {
        el.classList.add("fresh");
        setTimeout(() => el.classList.remove("fresh"), 1600);
      }
      this.cardEls.set(card.id, el);
    }
    const parent = card.builds_on ? view.cards.get(card.builds_on) : null;
    const author = view.participants.get(card.author_id);
    const comments = commentsOn(view, card.id).length;
    const pending = !!(view.pendingIds && view.pendingIds.has(card.id));
    const sig = JSON.stringify([card.kind, card.text, card.channel, card.hidden, card.perspective, card.builds_on, card.selected,
      parent ? parent.text : null, author ? author.name : null, comments, pending, this.canEditCard(card), card.version]);
    if (this.cardSigs.get(card.id) === sig) return el;
    this.cardSigs.set(card.id, sig);
    el.dataset.kind = card.kind;
    el.classList.toggle("is-hidden", card.text === null || card.text === undefined);
    el.classList.toggle("mine", card.author_id === this.me.id);
    el.classList.toggle("pending", pending);
    el.classList.toggle("no-drag", !this.canEditCard(card));
    el.classList.toggle("selected", !!card.selected);
    // A verbatim already written between quotes gets no second pair from the stylesheet.
    el.classList.toggle("quoted", /^\s*["«“„‹‘']/.test(card.text || ""));
    // Face down (silent writing): the others see a blank card; its author sees the text with this mark.
    if (card.hidden) el.dataset.faceDown = t(card.text == null ? "card.face_down" : "card.face_down_mine");
    else delete el.dataset.faceDown;
    el.setAttribute("aria-label", this.cardLabel(card, author, comments));
    el.querySelector(".card-kind").textContent = t(`kind.${card.kind}`);
    const channel = el.querySelector(".card-channel");
    channel.hidden = !(card.channel && card.kind === "touchpoint");
    el.classList.toggle("has-channel", !channel.hidden);
    channel.textContent = card.channel ? t(`channel.${card.channel}`) : "";
    channel.dataset.channel = card.channel || "";
    if (this.editing !== card.id) {
      const text = el.querySelector(".card-text");
      text.textContent = card.text ?? t("card.hidden_text");
      text.classList.toggle("placeholder", card.text === null || card.text === undefined);
    } else {
      this.showOvertaken(el, card);
    }
    const link = el.querySelector(".card-builds-on");
    link.hidden = !card.builds_on;
    link.dataset.target = card.builds_on || "";
    link.textContent = card.builds_on ? `↪ ${parent ? excerpt(parent.text ?? t("card.hidden_text"), 48) : t("card.builds_on_gone")}` : "";
    link.title = card.builds_on ? t("card.builds_on") : "";
    el.querySelector(".card-author").textContent = author ? author.name : "";
    const side = el.querySelector(".card-side");
    side.hidden = card.perspective !== "employee";
    side.textContent = t("perspective.short_employee");
    const count = el.querySelector(".card-comments");
    count.hidden = comments === 0;
    count.textContent = `❝ ${comments}`;
    count.title = t("card.comments_count", {n: comments});
    return el;
  }

  /** Kind, author and text, then what the eye gets from marks: face down, selected, comments. */
  cardLabel(card, author, comments) {
    const values = {kind: t(`kind.${card.kind}`), author: author ? author.name : "", text: card.text ?? t("card.hidden_text")};
    const parts = [t(author ? "a11y.card" : "a11y.card_anonymous", values)];
    if (card.hidden) parts.push(t(card.text == null ? "card.face_down" : "card.face_down_mine"));
    if (card.channel && card.kind === "touchpoint") parts.push(t(`channel.${card.channel}`));
    if (card.perspective === "employee") parts.push(t("perspective.short_employee"));
    if (card.selected) parts.push(t("a11y.card_selected"));
    if (comments) parts.push(t("card.comments_count", {n: comments}));
    return parts.join(" · ");
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

  flash(cardId) {
    const el = this.cardEls.get(cardId);
    if (!el) return;
    el.scrollIntoView({block: "nearest", inline: "nearest", behavior: motion()});
    el.classList.remove("flash");
    void el.offsetWidth;
    el.classList.add("flash");
    el.focus({preventScroll: true});
  }

  // -- the add-card editor ----------------------------------------------------------------------

  defaultKind(laneId) {
    const lane = this.view.lanes.get(laneId);
    return defaultKindFor(this.view.map.phase, (lane && PAGE.lane_card_kind[lane.kind]) || "note");
  }

  openEditor(laneId, stepId, {buildsOn = null} = {}) {
    if (!this.canWrite()) return;
    this.closeEditor(false);
    const parent = buildsOn ? this.view.cards.get(buildsOn) : null;
    this.editor = {laneId, stepId, text: "", kind: parent ? "idea" : this.defaultKind(laneId), channel: "",
                   hidden: this.lastHidden, buildsOn};
    this.renderEditor(true);
  }

  renderEditor(focus) {
    const ed = this.editor;
    const cell = this.cellEls.get(`${ed.laneId}|${ed.stepId}`);
    if (!cell) { this.editor = null; return; }
    cell.querySelector(".card-editor")?.remove();
    const ta = h("textarea", {rows: "3", maxlength: "5000", placeholder: t("card.placeholder"), "aria-label": t("card.text")});
    ta.value = ed.text;
    const kind = h("select", {class: "kind-select", "aria-label": t("card.kind")},
      kindOptions(this.view.map.phase, ed.kind));
    const channel = h("select", {class: "channel-select", "aria-label": t("card.channel"), hidden: ed.kind !== "touchpoint"},
      h("option", {value: ""}, t("card.no_channel")),
      PAGE.channels.map((c) => h("option", {value: c, selected: c === ed.channel}, t(`channel.${c}`))));
    const silent = !!this.view.map.silent_writing;
    const hidden = h("input", {type: "checkbox", checked: ed.hidden || silent, disabled: silent});
    const parent = ed.buildsOn ? this.view.cards.get(ed.buildsOn) : null;
    const lane = this.view.lanes.get(ed.laneId);
    const step = this.view.steps.get(ed.stepId);
    const form = h("div", {class: "card-editor", "data-kind": ed.kind},
      // Where the card goes: shown on a phone, where the editor is a sheet away from its cell.
      h("div", {class: "editor-where", "data-testid": "editor-where"}, [lane?.title, step?.title].filter(Boolean).join(" · ")),
      parent ? h("div", {class: "editor-builds-on"}, `↪ ${t("card.builds_on")} : ${excerpt(parent.text, 40)}`) : null,
      ta,
      h("div", {class: "editor-row"}, kind, channel,
        h("label", {class: "hidden-toggle", title: t("card.face_down_hint")}, hidden, t("card.face_down"))),
      h("div", {class: "editor-row editor-actions"},
        h("span", {class: "hint"}, t("card.enter_hint")),
        h("button", {class: "secondary small", "data-action": "cancel-card"}, t("common.cancel")),
        h("button", {class: "primary small", "data-action": "save-card"}, t("common.save"))));
    ta.addEventListener("input", () => { ed.text = ta.value; autosize(ta); });
    ta.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); this.saveEditor(); }
      else if (e.key === "Escape") { e.preventDefault(); this.closeEditor(true); }
    });
    form.addEventListener("keydown", (e) => {
      if (e.key === "Escape") { e.preventDefault(); this.closeEditor(true); }
      e.stopPropagation();
    });
    kind.addEventListener("change", () => {
      ed.kind = kind.value;
      form.dataset.kind = ed.kind;
      channel.hidden = ed.kind !== "touchpoint";
    });
    channel.addEventListener("change", () => { ed.channel = channel.value; });
    hidden.addEventListener("change", () => { ed.hidden = hidden.checked; this.lastHidden = hidden.checked; });
    form.addEventListener("click", (e) => {
      const action = e.target.closest("[data-action]")?.dataset.action;
      if (action === "save-card") { e.stopPropagation(); this.saveEditor(); }
      if (action === "cancel-card") { e.stopPropagation(); this.closeEditor(true); }
    });
    cell.insertBefore(form, cell.querySelector(".add-card"));
    cell.classList.add("editing");
    autosize(ta);
    if (focus) {
      ta.focus();
      form.scrollIntoView({block: "nearest", inline: "nearest"});
    }
  }

  saveEditor() {
    const ed = this.editor;
    if (!ed) return;
    const text = ed.text.trim();
    if (!text) { this.closeEditor(true); return; }
    const op = {type: "card.add", id: uuid(), lane_id: ed.laneId, step_id: ed.stepId, kind: ed.kind, text,
                visibility: ed.hidden ? "author" : "all"};
    if (ed.kind === "touchpoint" && ed.channel) op.channel = ed.channel;
    if (ed.buildsOn) op.builds_on = ed.buildsOn;
    this.conn.send(op);
    this.closeEditor(true);
  }

  closeEditor(refocus) {
    const ed = this.editor;
    this.editor = null;
    if (!ed) return;
    const cell = this.cellEls.get(`${ed.laneId}|${ed.stepId}`);
    if (!cell) return;
    cell.querySelector(".card-editor")?.remove();
    cell.classList.remove("editing");
    if (refocus) cell.querySelector(".add-card")?.focus();
  }

  // -- editing a card in place ------------------------------------------------------------------

  startEdit(cardId) {
    const card = this.view && this.view.cards.get(cardId);
    const el = this.cardEls.get(cardId);
    if (!card || !el || !this.canEditCard(card) || this.editing === cardId) return;
    if (this.editing) this.endEdit(false);
    this.editing = cardId;
    this.editBase = card.text;  // what the editor started from, to notice someone else's change
    this.root.dispatchEvent(new CustomEvent("card-editing", {detail: {id: cardId, editing: true}}));
    const textEl = el.querySelector(".card-text");
    const ta = h("textarea", {class: "card-edit", maxlength: "5000", "aria-label": t("card.text")});
    ta.value = card.text || "";
    textEl.hidden = true;
    textEl.after(ta);
    el.classList.add("editing");
    autosize(ta);
    ta.focus();
    ta.setSelectionRange(ta.value.length, ta.value.length);
    const finish = (save) => this.endEdit(save, ta);
    ta.addEventListener("keydown", (e) => {
      e.stopPropagation();
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); finish(true); }
      else if (e.key === "Escape") { e.preventDefault(); finish(false); }
    });
    ta.addEventListener("input", () => autosize(ta));
    ta.addEventListener("blur", () => finish(true));
  }

  /** Someone else changed the text of the card being edited here: say so, and offer their version. */
  showOvertaken(el, card) {
    el.querySelector(".card-overtaken")?.remove();
    if (card.text == null || card.text === this.editBase) return;
    const ta = el.querySelector(".card-edit");
    const take = h("button", {type: "button", class: "link", "data-action": "take-theirs"}, t("card.take_theirs"));
    // mousedown: keep the textarea's focus, so taking their version does not save ours first.
    take.addEventListener("mousedown", (e) => {
      e.preventDefault();
      if (ta) { ta.value = card.text; autosize(ta); ta.focus(); }
      this.editBase = card.text;
      el.querySelector(".card-overtaken")?.remove();
    });
    const note = h("p", {class: "card-overtaken", role: "status"}, t("card.overtaken", {text: excerpt(card.text, 80)}), " ", take);
    (ta || el.querySelector(".card-text")).after(note);
  }

  endEdit(save, ta) {
    const id = this.editing;
    if (!id) return;
    const el = this.cardEls.get(id);
    ta = ta || el?.querySelector(".card-edit");
    const card = this.view.cards.get(id);
    this.editing = null;
    this.root.dispatchEvent(new CustomEvent("card-editing", {detail: {id, editing: false}}));
    if (ta) ta.remove();
    el?.querySelector(".card-overtaken")?.remove();
    if (el) {
      el.classList.remove("editing");
      el.querySelector(".card-text").hidden = false;
      this.cardSigs.delete(id);
    }
    const text = ta ? ta.value.trim() : "";
    if (save && card && text && text !== card.text) this.conn.send({type: "card.update", id, text});
    this.focusCard = id;
    this.render();
    el?.focus();
  }

  // -- events -----------------------------------------------------------------------------------

  onDrop(evt) {
    this.dragging = false;
    const id = evt.item.dataset.cardId;
    const to = evt.to.closest("[data-cell]");
    const from = evt.from.closest("[data-cell]");
    const moved = to !== from || evt.oldDraggableIndex !== evt.newDraggableIndex;
    if (id && to && moved) {
      this.conn.send({type: "card.move", id, lane_id: to.dataset.laneId, step_id: to.dataset.stepId,
                      position: evt.newDraggableIndex});
    }
    this.dirty = false;
    this.render();
  }

  onClick(e) {
    const target = e.target.closest("[data-action]");
    if (!target || !this.root.contains(target)) return;
    const action = target.dataset.action;
    const cell = target.closest("[data-cell]");
    const cardEl = target.closest("[data-card-id]");
    switch (action) {
      case "add-card": this.openEditor(cell.dataset.laneId, cell.dataset.stepId); break;
      case "card-menu": this.onOpenCard(cardEl.dataset.cardId); break;
      case "goto-parent": if (target.dataset.target) this.flash(target.dataset.target); break;
      case "add-step": this.addStep(target.dataset.stageId, target); break;
      case "add-stage": this.addStage(); break;
      case "add-lane": this.addLane(); break;
      case "rename-stage": this.rename("stage", target.dataset.stageId, target); break;
      case "rename-step": this.rename("step", target.dataset.stepId, target); break;
      case "rename-lane": this.rename("lane", target.dataset.laneId, target); break;
      case "move-stage": this.moveStage(target.dataset.stageId, Number(target.dataset.dir)); break;
      case "move-step": this.moveStep(target.dataset.stepId, Number(target.dataset.dir)); break;
      case "move-lane": this.moveLane(target.dataset.laneId, Number(target.dataset.dir)); break;
      case "delete-stage": this.deleteThing("stage", target.dataset.stageId); break;
      case "delete-step": this.deleteThing("step", target.dataset.stepId); break;
      case "delete-lane": this.deleteThing("lane", target.dataset.laneId); break;
      case "focus-step": {
        const id = target.dataset.stepId;
        this.conn.send({type: "focus.set", step_id: this.view.map.focus_step_id === id ? null : id});
        break;
      }
      case "key-moment": {
        const step = this.view.steps.get(target.dataset.stepId);
        if (step) this.conn.send({type: "step.update", id: step.id, key_moment: !step.key_moment});
        break;
      }
      default: break;
    }
  }

  onDblClick(e) {
    const cardEl = e.target.closest("[data-card-id]");
    if (cardEl && !e.target.closest("button, textarea")) this.startEdit(cardEl.dataset.cardId);
  }

  onKey(e) {
    if (e.defaultPrevented || !e.target.closest || e.target.closest("textarea, input, select")) return;
    const nav = e.target.closest("[data-nav]");
    if (!nav || !this.root.contains(nav)) return;
    const cardEl = e.target.closest("[data-card-id]");
    if (cardEl && e.target === cardEl && this.onCardKey(e, cardEl, nav)) { e.preventDefault(); return; }
    const plain = !e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey;
    if (e.target === nav && nav.matches("[data-cell]") && plain && (e.key === "Enter" || e.key.toLowerCase() === "n")) {
      if (this.canWrite()) { e.preventDefault(); this.openEditor(nav.dataset.laneId, nav.dataset.stepId); }
      return;
    }
    if (this.navigate(e, nav)) e.preventDefault();
  }

  /** Keys on a card itself; answers whether the key was used (arrows left/right go on to the cells). */
  onCardKey(e, cardEl, cell) {
    const id = cardEl.dataset.cardId;
    const card = this.view.cards.get(id);
    if (!card) return false;
    const plain = !e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey;
    const writes = !this.readOnly;
    if (e.altKey && e.key.startsWith("Arrow")) {
      if (writes && this.canEditCard(card)) this.keyMove(card, e.key, e.shiftKey);
      return true;
    }
    if (!plain) return false;
    if (e.key === "Enter") { if (writes) this.startEdit(id); return true; }
    if (e.key === " ") { if (writes) this.onOpenCard(id); return true; }
    if ((e.key === "Delete" || e.key === "Backspace") && writes && this.canDeleteCard(card)) { this.deleteCard(id); return true; }
    if (e.key.toLowerCase() === "n" && this.canWrite()) { this.openEditor(cell.dataset.laneId, cell.dataset.stepId); return true; }
    if (e.key === "Escape") { cell.focus(); return false; }
    if (e.key === "ArrowUp" || e.key === "ArrowDown") {
      const cards = [...cell.querySelectorAll("[data-card-id]")];
      const next = cards[cards.indexOf(cardEl) + (e.key === "ArrowUp" ? -1 : 1)];
      if (next) { next.focus(); return true; }
      if (e.key === "ArrowUp") { cell.focus(); return true; }
    }
    return false;
  }

  keyMove(card, key, withinCell) {
    const steps = orderedSteps(this.view);
    const lanes = orderedLanes(this.view);
    let si = steps.findIndex((s) => s.id === card.step_id);
    let li = lanes.findIndex((l) => l.id === card.lane_id);
    let position = null;
    if (withinCell && (key === "ArrowUp" || key === "ArrowDown")) {
      position = Math.max(0, card.position + (key === "ArrowUp" ? -1 : 1));
    } else if (key === "ArrowLeft") si -= 1;
    else if (key === "ArrowRight") si += 1;
    else if (key === "ArrowUp") li -= 1;
    else if (key === "ArrowDown") li += 1;
    if (si < 0 || si >= steps.length || li < 0 || li >= lanes.length) return;
    const op = {type: "card.move", id: card.id, lane_id: lanes[li].id, step_id: steps[si].id};
    if (position !== null) op.position = position;
    this.focusCard = card.id;
    this.conn.send(op);
    requestAnimationFrame(() => this.cardEls.get(card.id)?.focus());
  }

  async deleteCard(id) {
    const card = this.view.cards.get(id);
    if (!card) return false;
    if (!(await confirmDialog(t("card.confirm_delete", {text: excerpt(card.text ?? t("card.hidden_text"), 80)})))) return false;
    this.conn.send({type: "card.delete", id});
    return true;
  }

  // -- structure --------------------------------------------------------------------------------

  /** A one-line input next to `anchor`; Enter (or leaving it with text) answers the text, Escape null. */
  ask(anchor, label) {
    return new Promise((resolve) => {
      const input = h("input", {class: "inline-input ask-input", placeholder: label, "aria-label": label, maxlength: "200"});
      const host = (anchor && anchor.closest(".stage-head, .step-head, .lane-head, .tail-head, .add-lane-row")) || this.root;
      host.appendChild(input);
      input.focus();
      let done = false;
      const finish = (value) => {
        if (done) return;
        done = true;
        input.remove();
        resolve(value || null);
        if (anchor && anchor.isConnected) anchor.focus();
      };
      input.addEventListener("keydown", (e) => {
        e.stopPropagation();
        if (e.key === "Enter") { e.preventDefault(); finish(input.value.trim()); }
        else if (e.key === "Escape") { e.preventDefault(); finish(null); }
      });
      input.addEventListener("click", (e) => e.stopPropagation());
      input.addEventListener("blur", () => finish(input.value.trim()));
    });
  }

  async addStep(stageId, anchor) {
    const title = await this.ask(anchor, t("step.new_title"));
    if (title) this.conn.send({type: "step.add", id: uuid(), title, stage_id: stageId || null});
  }

  async addStage() {
    const anchor = this.root.querySelector("[data-action=add-stage]");
    const title = await this.ask(anchor, t("stage.new_title"));
    if (title) this.conn.send({type: "stage.add", id: uuid(), title});
  }

  async addLane() {
    const anchor = this.root.querySelector("[data-action=add-lane]");
    const title = await this.ask(anchor, t("lane.new_title"));
    if (title) this.conn.send({type: "lane.add", id: uuid(), title, kind: "custom"});
  }

  rename(what, id, button) {
    const coll = {stage: this.view.stages, step: this.view.steps, lane: this.view.lanes}[what];
    const item = coll.get(id);
    if (!item) return;
    const head = button.closest(".stage-head, .step-head, .lane-head");
    const titleEl = head.querySelector(".stage-title, .step-title, .lane-title");
    inlineEdit(titleEl, item.title, (title) => this.conn.send({type: `${what}.update`, id, title}), {label: t("common.rename")});
  }

  moveStage(id, dir) {
    const stage = this.view.stages.get(id);
    if (stage) this.conn.send({type: "stage.update", id, position: Math.max(0, stage.position + dir)});
  }

  moveLane(id, dir) {
    const lane = this.view.lanes.get(id);
    if (lane) this.conn.send({type: "lane.move", id, position: Math.max(0, lane.position + dir)});
  }

  /** Left/right within the stage; past its edge, into the neighbouring stage. */
  moveStep(id, dir) {
    const step = this.view.steps.get(id);
    if (!step) return;
    const siblings = [...this.view.steps.values()].filter((s) => s.stage_id === step.stage_id);
    const position = step.position + dir;
    if (position >= 0 && position < siblings.length) {
      this.conn.send({type: "step.move", id, position});
      return;
    }
    const stages = orderedStages(this.view);
    const si = stages.findIndex((s) => s.id === step.stage_id);
    const next = si === -1 ? (dir < 0 ? stages[stages.length - 1] : null) : stages[si + dir];
    if (!next) return;
    const count = [...this.view.steps.values()].filter((s) => s.stage_id === next.id).length;
    this.conn.send({type: "step.move", id, stage_id: next.id, position: dir < 0 ? count : 0});
  }

  async deleteThing(what, id) {
    const coll = {stage: this.view.stages, step: this.view.steps, lane: this.view.lanes}[what];
    const item = coll.get(id);
    if (!item) return;
    let n = 0;
    if (what === "step") n = [...this.view.cards.values()].filter((c) => c.step_id === id).length;
    if (what === "lane") n = [...this.view.cards.values()].filter((c) => c.lane_id === id).length;
    const message = t(`${what}.confirm_delete`, {title: item.title, n});
    if (await confirmDialog(message)) this.conn.send({type: `${what}.delete`, id});
  }
}

/** The kind options of the add-card editor: the phase's kinds first, then the others. */
function kindOptions(phase, selected) {
  const option = (k) => h("option", {value: k, selected: k === selected}, t(`kind.${k}`));
  const {fit, other} = kindsFor(phase);
  if (!fit.length) return other.map(option);
  return [h("optgroup", {label: t("phasebar.kinds_now")}, fit.map(option)),
          h("optgroup", {label: t("phasebar.kinds_other")}, other.map(option))];
}

export function autosize(ta) {
  ta.style.height = "auto";
  ta.style.height = `${Math.min(ta.scrollHeight + 2, 320)}px`;
}
