// The board: macro-stages over steps (columns), lanes (rows), cells of cards; drawn from the store's
// view (plus this browser's pending ops). The grid is rebuilt only when its structure changes;
// cards are kept element by element (keyed by id), so open editors and focus survive live updates.
// BoardView is cut in parts, each a module of its methods: board-grid.js (the grid's rows and cells,
// over the columns of board-columns.js), board-heads.js (stage, step and lane headers), grid-focus.js
// (the grid's one Tab stop and arrow keys), card-view.js (the cards), card-editor.js (adding and editing a card),
// board-actions.js (the table of `data-action` clicks and the other commands, as ops). Here: who may
// do what, when to draw, and the keys on cards and cells.
import {t} from "./dom.js";
import {motion} from "./motion.js";
import {may as allowed, isFacilitator, mayOnRow} from "./rights.js";
import {orderedLanes, orderedStages, orderedSteps} from "./store.js";
import {BoardGrid} from "./board-grid.js";
import {BoardHeads} from "./board-heads.js";
import {GridFocus} from "./grid-focus.js";
import {CardView} from "./card-view.js";
import {CardEditor} from "./card-editor.js";
import {BoardActions} from "./board-actions.js";

export {motion};
export {autosize} from "./card-editor.js";

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
    this.editor = null; // the add-card editor: {laneId, stepId, text, kind, channel, hidden, buildsOn}
    this.editing = null; // id of the card edited in place
    this.dragging = false;
    this.firstRender = true;
    this.lastHidden = false;
    this.focusCard = null;
    this.view = null;
    this.grid = []; // the grid's rows: arrays of navigable cells by column (a spanning header repeats)
    this.places = new Map(); // navigable cell → {row, col} of its first column
    this.active = null; // the cell holding the grid's one Tab stop
    this.activeNav = null; // its data-nav key, to find it again after a rebuild
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

  // -- permissions: the server's rights (rights.js), on this board's view ------------------------

  get isFacilitator() {
    return isFacilitator(this.me);
  }
  /** May this browser send an op of `type` now? Never from a read-only board (the present page). */
  may(type, view = this.view) {
    return !this.readOnly && !!view && allowed(type, this.me.role, view.map);
  }
  /** May this browser send an op of `type` about `row` (a card, a comment) now: whose row it is. */
  mayOnRow(type, row, view = this.view) {
    return !this.readOnly && !!view && mayOnRow(type, this.me, row, view.map);
  }
  canWrite(view = this.view) {
    return this.may("card.add", view);
  }
  /** Adding and renaming steps: the map's `structure_edits` setting may keep them to the facilitator. */
  canEditSteps(view = this.view) {
    return this.may("step.add", view);
  }
  canEditCard(card) {
    return this.may("card.update") && !(card.hidden && card.author_id !== this.me.id);
  }
  canDeleteCard(card) {
    return this.mayOnRow("card.delete", card);
  }
  canEditStructure() {
    return this.may("stage.add");
  }

  // -- rendering --------------------------------------------------------------------------------

  render() {
    if (this.dragging) {
      this.dirty = true;
      return;
    }
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
      this.focusCard = null; // the facilitator's focus wins over bringing back a card's keyboard focus
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
      this.canWrite(view),
      this.canEditSteps(view),
      this.isFacilitator,
      view.map.focus_step_id || null,
    ]);
  }

  // -- keys -------------------------------------------------------------------------------------

  onDblClick(e) {
    const cardEl = e.target.closest("[data-card-id]");
    if (cardEl && !e.target.closest("button, textarea")) this.startEdit(cardEl.dataset.cardId);
  }

  onKey(e) {
    if (e.defaultPrevented || !e.target.closest || e.target.closest("textarea, input, select")) return;
    const nav = e.target.closest("[data-nav]");
    if (!nav || !this.root.contains(nav)) return;
    const cardEl = e.target.closest("[data-card-id]");
    if (cardEl && e.target === cardEl && this.onCardKey(e, cardEl, nav)) {
      e.preventDefault();
      return;
    }
    const plain = !e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey;
    if (e.target === nav && nav.matches("[data-cell]") && plain && (e.key === "Enter" || e.key.toLowerCase() === "n")) {
      if (this.canWrite()) {
        e.preventDefault();
        this.openEditor(nav.dataset.laneId, nav.dataset.stepId);
      }
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
    if (e.key === "Enter") {
      if (writes) this.startEdit(id);
      return true;
    }
    if (e.key === " ") {
      if (writes) this.onOpenCard(id);
      return true;
    }
    if ((e.key === "Delete" || e.key === "Backspace") && writes && this.canDeleteCard(card)) {
      this.deleteCard(id);
      return true;
    }
    if (e.key.toLowerCase() === "n" && this.canWrite()) {
      this.openEditor(cell.dataset.laneId, cell.dataset.stepId);
      return true;
    }
    if (e.key === "Escape") {
      cell.focus();
      return false;
    }
    if (e.key === "ArrowUp" || e.key === "ArrowDown") {
      const cards = [...cell.querySelectorAll("[data-card-id]")];
      const next = cards[cards.indexOf(cardEl) + (e.key === "ArrowUp" ? -1 : 1)];
      if (next) {
        next.focus();
        return true;
      }
      if (e.key === "ArrowUp") {
        cell.focus();
        return true;
      }
    }
    return false;
  }
}

// One object for the pages (board-page.js, present-page.js) and the modules that decorate the board;
// its methods come from the part modules, copied onto BoardView's prototype.
for (const part of [BoardGrid, BoardHeads, GridFocus, CardView, CardEditor, BoardActions]) {
  for (const name of Object.getOwnPropertyNames(part.prototype)) {
    if (name !== "constructor") Object.defineProperty(BoardView.prototype, name, Object.getOwnPropertyDescriptor(part.prototype, name));
  }
}
