// The board's one Tab stop and its arrow keys (an ARIA grid with a roving tabindex: only the active
// cell and what it holds are in the Tab order). BoardView's methods, kept here; the grid's rows of
// navigable cells (`this.grid`, `this.places`) are filled by board-grid.js as it lays the cells out.
const FOCUSABLE = "a[href], button, input, select, textarea, [tabindex]";
const ARROWS = {ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0]};

/** In `rows` (arrays of cells by column, a spanning cell repeated), the cell next to `self` standing at
 *  `at` {row, col}, in direction (dr, dc), or the first / last of the row (edge: -1 / 1); else null.
 *  Up and down land on the cell covering the same column, or the nearest one before it. */
export function neighbourIn(rows, at, self, dr, dc, edge = 0) {
  const row = rows[at.row + dr];
  if (!row) return null;
  if (edge) {
    const cells = row.filter(Boolean);
    return (edge < 0 ? cells[0] : cells[cells.length - 1]) ?? null;
  }
  if (dc > 0) {
    for (let c = at.col + 1; c < row.length; c += 1) if (row[c] && row[c] !== self) return row[c];
    return null;
  }
  if (dc < 0) {
    for (let c = at.col - 1; c >= 0; c -= 1) if (row[c] && row[c] !== self) return row[c];
    return null;
  }
  for (let c = Math.min(at.col, row.length - 1); c >= 0; c -= 1) if (row[c]) return row[c];
  return null;
}

export class GridFocus {
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
    const el =
      (esc && this.root.querySelector(`[data-nav="${esc}"]`)) ||
      this.root.querySelector("[data-cell]") ||
      this.root.querySelector("[data-nav]");
    if (!el) return;
    this.active = null;
    this.setActive(el);
    if (focus) el.focus({preventScroll: true});
  }

  /** Whatever is drawn into the grid later (cards, vote boxes, emotion faces) joins the roving tabindex. */
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
    return at ? neighbourIn(this.grid, at, el, dr, dc, edge) : null;
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
    if (e.ctrlKey && (key === "Home" || key === "End")) {
      const cells = [...this.cellEls.values()];
      return this.moveTo(key === "Home" ? cells[0] : cells[cells.length - 1]);
    }
    if (e.ctrlKey) return false;
    if (ARROWS[key]) return this.moveTo(this.neighbour(from, ...ARROWS[key]));
    if (key === "Home" || key === "End") return this.moveTo(this.neighbour(from, 0, 0, key === "Home" ? -1 : 1));
    return false;
  }
}
