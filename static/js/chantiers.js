// Chantier sheets (work packages): the list, one sheet co-edited field by field, the impact/effort
// matrix, and the mirror tab (emotions.js); the dock that opens them and the export menu.
// A sheet re-renders from the store's events, but never under the user's hands: the field that has the
// focus (or a list field the user is inside) keeps what is being typed; every change is sent alone
// (`chantier.update` with only that field) when the user leaves the field or presses Enter.
// Who is where travels as transient `editing` marks: `<sheet id>` while a sheet is open,
// `<sheet id>:<field>` while a field has the focus.
import {PAGE, clear, confirmDialog, h, hue, initials, t, uuid, toast} from "./dom.js";
import {excerpt} from "./text.js";
import {orderedSteps} from "./store.js";
import {updatedFields} from "./predict.js";
import {renderMirror} from "./emotions.js";
import {ExportMenu} from "./exports.js";

const same = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Who else is editing what (the `editing` socket signal). */
class Marks extends EventTarget {
  constructor(conn, me) {
    super();
    this.conn = conn;
    this.me = me;
    this.others = new Map();   // target_id → Map(participant_id → name)
    this.mine = new Set();     // target ids this browser marks
    this.hooked = false;
    conn.addEventListener("status", (e) => {
      if (e.detail === "online") { for (const id of this.mine) this.emit(id, true); }
      else if (this.others.size) { this.others.clear(); this.changed(); }
    });
  }

  hook() {
    if (this.hooked || !this.conn.socket) return;
    this.hooked = true;
    this.conn.socket.on("editing", (m) => {
      if (!m || m.map_id !== this.conn.mapId || m.participant_id === this.me.id || typeof m.target_id !== "string") return;
      const who = this.others.get(m.target_id) || new Map();
      if (m.editing) who.set(m.participant_id, m.name || "?");
      else who.delete(m.participant_id);
      if (who.size) this.others.set(m.target_id, who);
      else this.others.delete(m.target_id);
      this.changed();
    });
    this.conn.socket.on("presence", (p) => {
      // Someone who left clears their marks (the server also sends editing:false on disconnect).
      const online = new Set((p && p.participants || []).map((x) => x.id));
      let dirty = false;
      for (const [target, who] of this.others) {
        for (const id of who.keys()) if (!online.has(id)) { who.delete(id); dirty = true; }
        if (!who.size) this.others.delete(target);
      }
      if (dirty) this.changed();
    });
  }

  set(targetId, editing) {
    if (editing === this.mine.has(targetId)) return;
    if (editing) this.mine.add(targetId);
    else this.mine.delete(targetId);
    this.emit(targetId, editing);
  }

  emit(targetId, editing) {
    const s = this.conn.socket;
    if (s && s.connected) s.emit("editing", {map_id: this.conn.mapId, target_id: targetId, editing});
  }

  /** [{id, name}] of the others marking `targetId`. */
  who(targetId) {
    const m = this.others.get(targetId);
    return m ? [...m].map(([id, name]) => ({id, name})) : [];
  }

  changed() { this.dispatchEvent(new CustomEvent("change")); }
}

function avatars(people) {
  return h("span", {class: "sheet-people"}, people.map((p) =>
    h("span", {class: "avatar small", style: `--h:${hue(p.id)}`, title: t("sheets.editing", {name: p.name}),
               "data-editor-id": p.id}, initials(p.name))));
}

export class Sheets {
  constructor({conn, board, me, identity, mapId, onChange}) {
    this.conn = conn;
    this.board = board;
    this.me = me;
    this.identity = identity;
    this.mapId = mapId;
    this.tab = "list";
    this.sheetId = null;      // the sheet open in the editor
    this.form = null;         // {id, el, fields: Map(name → updater)}
    this.view = null;
    this.marks = new Marks(conn, me);
    this.marks.addEventListener("change", () => this.render());
    // Texts the server refused because someone else changed the field first: "<sheet id>:<field>" → my text.
    this.conflicts = new Map();
    conn.addEventListener("rejected", (e) => this.onRejected(e.detail));
    this.buildDock();
    this.buildDrawer();
    this.onChange = onChange || (() => {});
  }

  /** A sheet save based on an outdated field: keep the text, show both versions, let the person choose. */
  onRejected(detail) {
    const {op, error} = detail;
    if (op.type !== "chantier.update" || !error || error.code !== "conflict" || op.base_version === undefined) return;
    detail.handled = true;
    for (const name of updatedFields(op)) this.conflicts.set(`${op.id}:${name}`, op[name]);
    const sheet = this.sheets(this.conn.view()).find((x) => x.id === op.id);
    toast(t("facil.sheet_conflict", {title: sheet ? sheet.title : ""}), "error");
    if (this.sheetId !== op.id) this.show("list", op.id);
    else this.render();
  }

  get canWrite() { return this.board.canWrite() && this.me.role !== "observer"; }
  get isFacilitator() { return this.me.role === "facilitator"; }
  sheets(view = this.view) { return (view && view.extra && view.extra.chantiers) || []; }

  // -- the dock and the drawer ------------------------------------------------------------------

  buildDock() {
    this.countEl = h("span", {class: "dock-count"}, "0");
    this.dockSheets = h("button", {type: "button", class: "dock-btn", "data-action": "open-sheets", "aria-controls": "sheets",
                                   "aria-expanded": "false"}, h("span", {class: "dock-icon", "aria-hidden": "true"}, "▤"),
      t("dock.chantiers"), this.countEl);
    this.dockMirror = h("button", {type: "button", class: "dock-btn", "data-action": "open-mirror", "aria-controls": "sheets",
                                   "aria-expanded": "false"}, h("span", {class: "dock-icon", "aria-hidden": "true"}, "◐"), t("dock.mirror"));
    this.dockExport = h("button", {type: "button", class: "dock-btn", "data-action": "open-exports"},
      h("span", {class: "dock-icon", "aria-hidden": "true"}, "⇩"), t("dock.export"));
    this.dock = h("nav", {class: "sheet-dock", "aria-label": t("dock.label"), "data-testid": "sheet-dock"},
      this.dockSheets, this.dockMirror, this.dockExport);
    document.body.appendChild(this.dock);
    this.dockSheets.addEventListener("click", () => this.toggle(this.tab === "mirror" ? "list" : this.tab));
    this.dockMirror.addEventListener("click", () => this.toggle("mirror"));
    this.exports = new ExportMenu({button: this.dockExport, token: this.identity.token,
                                   workshopId: this.identity.workshop.id, mapId: this.mapId});
  }

  buildDrawer() {
    this.tabs = h("div", {class: "sheet-tabs", role: "tablist"},
      ["list", "matrix", "mirror"].map((name) => h("button", {type: "button", role: "tab", class: "sheet-tab", "data-tab": name,
        "aria-selected": "false"}, t(`sheets.tab_${name}`))));
    this.tabs.addEventListener("click", (e) => {
      const b = e.target.closest("[data-tab]");
      if (b) this.show(b.dataset.tab);
    });
    this.body = h("div", {class: "sheets-body"});
    this.el = h("aside", {id: "sheets", class: "sheets-drawer", hidden: true, "aria-label": t("sheets.title"), "data-testid": "sheets"},
      h("h2", {class: "sr-only"}, t("dock.label")),
      h("div", {class: "sheets-top"}, this.tabs,
        h("button", {class: "icon-btn", "data-action": "close-sheets", "aria-label": t("common.close"), title: t("common.close")}, "✕")),
      this.body);
    this.el.querySelector("[data-action=close-sheets]").addEventListener("click", () => this.close());
    this.el.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && !e.defaultPrevented && !e.target.closest("input, textarea, select")) { e.preventDefault(); this.close(); }
    });
    document.body.appendChild(this.el);
  }

  toggle(tab) {
    if (!this.el.hidden && this.tab === tab) this.close();
    else this.show(tab);
  }

  show(tab, sheetId) {
    if (tab !== "list" || sheetId !== undefined) this.openSheet(tab === "list" ? sheetId ?? null : null);
    this.tab = tab;
    this.el.hidden = false;
    document.body.classList.add("sheets-open");
    this.render(true);
    // Keyboard users land in what just opened, not on the page's top (the control they used is gone).
    if (!this.el.contains(document.activeElement)) {
      this.body.querySelector("[data-action=back], button, input, textarea, select")?.focus();
    }
  }

  close() {
    const hadFocus = this.el.contains(document.activeElement);
    this.openSheet(null);
    if (hadFocus) (this.tab === "mirror" ? this.dockMirror : this.dockSheets).focus();
    this.el.hidden = true;
    document.body.classList.remove("sheets-open");
    this.render();
  }

  openSheet(id) {
    if (this.sheetId && this.sheetId !== id) {
      this.marks.set(this.sheetId, false);
      for (const target of [...this.marks.mine]) if (target.startsWith(`${this.sheetId}:`)) this.marks.set(target, false);
    }
    this.sheetId = id;
    this.form = null;
    if (id) this.marks.set(id, true);
  }

  // -- creating ---------------------------------------------------------------------------------

  /** A sheet from an idea card: its text as the title (and the solution), its step and that step's irritants linked. */
  fromCard(cardId) {
    const view = this.conn.view();
    const card = view && view.cards.get(cardId);
    if (!card || card.text === null || card.text === undefined || !this.canWrite) return null;
    const irritants = [...view.cards.values()]
      .filter((c) => c.step_id === card.step_id && c.kind === "irritant" && !c.hidden)
      .sort((a, b) => (a.position ?? 0) - (b.position ?? 0)).map((c) => c.id);
    const text = card.text.trim();
    const firstLine = text.split(/\n/)[0];
    const op = {type: "chantier.add", id: uuid(), title: excerpt(firstLine, 200) || t("sheets.untitled"),
                step_ids: [card.step_id], card_ids: [card.id, ...irritants]};
    if (text.length > 0) op.solution = text.slice(0, 5000);
    this.conn.send(op);
    toast(t("sheets.created"));
    this.show("list", op.id);
    return op.id;
  }

  newSheet() {
    if (!this.canWrite) return;
    const op = {type: "chantier.add", id: uuid(), title: t("sheets.untitled")};
    this.conn.send(op);
    this.show("list", op.id);
    requestAnimationFrame(() => { const title = this.el.querySelector("[data-field=title]"); title?.focus(); title?.select(); });
  }

  // -- rendering --------------------------------------------------------------------------------

  render(force = false) {
    this.marks.hook();
    const view = this.conn.view();
    if (!view) return;
    this.view = view;
    const sheets = this.sheets(view);
    this.countEl.textContent = String(sheets.length);
    this.dockSheets.setAttribute("aria-expanded", String(!this.el.hidden && this.tab !== "mirror"));
    this.dockMirror.setAttribute("aria-expanded", String(!this.el.hidden && this.tab === "mirror"));
    this.dockSheets.classList.toggle("active", !this.el.hidden && this.tab !== "mirror");
    this.dockMirror.classList.toggle("active", !this.el.hidden && this.tab === "mirror");
    if (this.el.hidden) return;
    const top = document.getElementById("board-wrap")?.getBoundingClientRect().top;
    if (top) this.el.style.top = `${Math.round(top)}px`;
    for (const b of this.tabs.querySelectorAll("[data-tab]")) b.setAttribute("aria-selected", String(b.dataset.tab === this.tab));
    if (this.tab === "list" && this.sheetId) { this.renderSheet(view, force); return; }
    // Lists and charts are drawn again whole; keep the focus on the same control.
    const active = document.activeElement;
    const key = active && this.body.contains(active) ? focusKey(active) : null;
    const sig = JSON.stringify([this.tab, sheets, this.tab === "mirror" ? [view.extra.emotions, view.extra.resonance, orderedSteps(view).map((s) => [s.id, s.title, s.key_moment])] : null,
      this.tab === "list" ? [...this.marks.others.keys()] : null, this.tab === "list" ? this.selectedIdeas(view).map((c) => [c.id, c.text]) : null,
      this.canWrite, PAGE.lang]);
    if (!force && sig === this.lastSig) return;
    this.lastSig = sig;
    this.form = null;
    if (this.tab === "list") this.renderList(view);
    else if (this.tab === "matrix") this.renderMatrix(view);
    else renderMirror(clear(this.body), view, {canRate: this.canWrite, perspective: this.me.perspective, me: this.me, token: this.identity.token,
                                               onRate: (step_id, score) => this.conn.send({type: "emotion.set", step_id, score})});
    if (key) this.body.querySelector(key)?.focus();
  }

  number(sheet) { return (sheet.position ?? 0) + 1; }

  selectedIdeas(view) {
    const linked = new Set(this.sheets(view).flatMap((s) => s.card_ids || []));
    return [...view.cards.values()].filter((c) => c.kind === "idea" && c.selected && c.text && !linked.has(c.id));
  }

  renderList(view) {
    const sheets = this.sheets(view);
    // voting.js puts its vote boxes in [data-chantier-id] .sheet-votes: keep them across a redraw.
    const votes = new Map([...this.body.querySelectorAll(".sheet-votes > .vote-box")].map((b) => [b.dataset.targetId, b]));
    const box = clear(this.body);
    box.appendChild(h("div", {class: "sheets-head"},
      h("h2", {}, t("sheets.title"), h("span", {class: "muted"}, ` · ${t("sheets.count", {n: sheets.length})}`)),
      this.canWrite ? h("button", {type: "button", class: "primary small", "data-action": "new-sheet", onclick: () => this.newSheet()}, `+ ${t("sheets.new")}`) : null));
    if (!sheets.length) box.appendChild(h("p", {class: "muted sheets-empty"}, t("sheets.empty")));
    const list = h("ol", {class: "sheet-list"});
    for (const sheet of sheets) {
      const people = this.marks.who(sheet.id);
      const facts = [sheet.owner, (sheet.departments || []).join(", ")].filter(Boolean).join(" · ");
      list.appendChild(h("li", {"data-chantier-id": sheet.id},
        h("button", {type: "button", class: "sheet-item", "data-sheet-id": sheet.id, onclick: () => this.show("list", sheet.id)},
          h("span", {class: "sr-only"}, `${t("sheets.open")} `),
          h("span", {class: "sheet-num"}, String(this.number(sheet))),
          h("span", {class: "sheet-main"},
            h("span", {class: "sheet-title"}, sheet.title),
            h("span", {class: "sheet-facts muted"}, facts || excerpt(sheet.problem || sheet.solution || "", 90))),
          h("span", {class: "sheet-side"},
            sheet.priority ? h("span", {class: "prio"}, t("sheets.priority", {n: sheet.priority})) : null,
            h("span", {class: `status status-${sheet.status || "draft"}`}, t(`status.${sheet.status || "draft"}`)),
            sheet.impact && sheet.effort
              ? h("span", {class: "ie", title: `${t("field.impact")} ${sheet.impact} · ${t("field.effort")} ${sheet.effort}`},
                `${t("field.impact")} ${sheet.impact} · ${t("field.effort")} ${sheet.effort}`)
              : h("span", {class: "ie muted"}, t("sheets.unrated")),
            people.length ? avatars(people) : null)),
        h("div", {class: "sheet-votes"}, votes.get(sheet.id) || null)));
    }
    box.appendChild(list);
    const ideas = this.canWrite ? this.selectedIdeas(view) : [];
    if (ideas.length) {
      box.appendChild(h("section", {class: "selected-ideas"},
        h("h3", {}, t("card.selected"), ` · ${t("kind.idea")}`),
        // All retained ideas at once, in one op (the server skips any that got a sheet meanwhile).
        this.isFacilitator ? h("button", {type: "button", class: "primary small", "data-action": "sheets-from-winners",
          onclick: () => this.conn.send({type: "chantier.from_winners", card_ids: ideas.map((c) => c.id)})},
          t("facil.winners_make_all", {n: ideas.length})) : null,
        h("ul", {}, ideas.map((c) => h("li", {},
          h("span", {class: "idea-text"}, excerpt(c.text, 110)),
          h("button", {type: "button", class: "secondary small", "data-action": "sheet-from-idea", "data-card-id": c.id,
                       onclick: () => this.fromCard(c.id)}, t("sheets.from_idea")))))));
    }
  }

  renderMatrix(view) {
    const sheets = this.sheets(view);
    const box = clear(this.body);
    box.appendChild(h("div", {class: "sheets-head"}, h("h2", {}, t("matrix.title"))));
    box.appendChild(h("p", {class: "hint"}, t("matrix.hint")));
    const grid = h("div", {class: "matrix", "data-testid": "matrix", role: "group", "aria-label": t("matrix.title")});
    const zone = (effort, impact) => {
      if (impact > 3 && effort < 3) return "quick";
      if (impact > 3 && effort > 3) return "big";
      if (impact < 3 && effort < 3) return "fill";
      if (impact < 3 && effort > 3) return "reconsider";
      return "mid";
    };
    for (let impact = 5; impact >= 1; impact -= 1) {
      grid.appendChild(h("span", {class: "matrix-y"}, String(impact)));
      for (let effort = 1; effort <= 5; effort += 1) {
        const here = sheets.filter((s) => s.impact === impact && s.effort === effort);
        grid.appendChild(h("div", {class: `matrix-cell zone-${zone(effort, impact)}`, "data-impact": String(impact), "data-effort": String(effort)},
          here.map((s) => h("button", {type: "button", class: `matrix-dot status-${s.status || "draft"}`, "data-sheet-id": s.id,
            title: `${this.number(s)}. ${s.title}`, "aria-label": `${this.number(s)}. ${s.title} — ${t("field.impact")} ${impact}, ${t("field.effort")} ${effort}`,
            onclick: () => this.show("list", s.id)}, String(this.number(s))))));
      }
    }
    grid.appendChild(h("span", {}));
    for (let effort = 1; effort <= 5; effort += 1) grid.appendChild(h("span", {class: "matrix-x"}, String(effort)));
    box.appendChild(h("div", {class: "matrix-wrap"},
      h("span", {class: "matrix-axis-y"}, `${t("matrix.impact")} →`),
      h("div", {class: "matrix-frame"}, grid,
        h("span", {class: "zone-label zl-quick"}, t("matrix.quick_wins")),
        h("span", {class: "zone-label zl-big"}, t("matrix.big_bets")),
        h("span", {class: "zone-label zl-fill"}, t("matrix.fill_ins")),
        h("span", {class: "zone-label zl-reconsider"}, t("matrix.reconsider"))),
      h("span", {class: "matrix-axis-x"}, `${t("matrix.effort")} →`)));
    const unrated = sheets.filter((s) => !(s.impact && s.effort));
    box.appendChild(h("ol", {class: "matrix-legend"}, sheets.map((s) => h("li", {},
      h("button", {type: "button", class: "link", onclick: () => this.show("list", s.id)},
        h("span", {class: "sheet-num small"}, String(this.number(s))), s.title),
      s.impact && s.effort ? null : h("span", {class: "muted"}, ` — ${t("sheets.unrated")}`)))));
    if (unrated.length && sheets.length) box.appendChild(h("p", {class: "hint"}, t("matrix.unrated"), " ", unrated.map((s) => this.number(s)).join(", ")));
  }

  // -- one sheet --------------------------------------------------------------------------------

  renderSheet(view, force) {
    const sheet = this.sheets(view).find((s) => s.id === this.sheetId);
    if (!sheet) {
      this.form = null;
      clear(this.body).append(h("p", {class: "muted"}, t("sheets.gone")),
        h("button", {type: "button", class: "secondary small", onclick: () => this.show("list", null)}, `← ${t("sheets.back")}`));
      this.lastSig = null;
      return;
    }
    if (!this.form || this.form.id !== sheet.id || this.form.canWrite !== this.canWrite) this.buildForm(sheet);
    for (const update of this.form.fields.values()) update(sheet, view);
    // Who else is here, and in which field.
    const here = this.marks.who(sheet.id);
    const people = this.form.el.querySelector(".sheet-here");
    clear(people).append(here.length ? avatars(here) : "", here.length ? h("span", {class: "muted"}, t("sheets.here", {names: here.map((p) => p.name).join(", ")})) : "");
    for (const box of this.form.el.querySelectorAll("[data-sheet-field]")) {
      const who = this.marks.who(`${sheet.id}:${box.dataset.sheetField}`);
      box.classList.toggle("sf-busy", who.length > 0);
      const mark = box.querySelector(".field-mark");
      if (mark) mark.textContent = who.length ? t("sheets.editing", {name: who.map((p) => p.name).join(", ")}) : "";
    }
  }

  buildForm(sheet) {
    const id = sheet.id;
    const fields = new Map();
    const ro = !this.canWrite;
    const send = (name, value, base) => this.conn.send({type: "chantier.update", id, [name]: value,
                                                        ...(base === undefined ? {} : {base_version: base})});
    const current = () => this.sheets(this.conn.view()).find((s) => s.id === id) || {};
    const focusMark = (el, name) => {
      el.addEventListener("focusin", () => this.marks.set(`${id}:${name}`, true));
      el.addEventListener("focusout", (e) => { if (!el.contains(e.relatedTarget)) this.marks.set(`${id}:${name}`, false); });
    };
    const box = (name, control, {wide = false, hint = null} = {}) => {
      const el = h("div", {class: `sf${wide ? " wide" : ""}`, "data-sheet-field": name},
        h("div", {class: "sf-label"}, h("label", {for: `sf-${id}-${name}`}, t(`field.${name}`)),
          hint ? h("span", {class: "hint"}, hint) : null, h("span", {class: "field-mark", "aria-live": "polite"})),
        control);
      focusMark(el, name);
      return el;
    };

    // One text value: shown from the store unless the user is in it; sent on blur (or Enter) with the
    // sheet version it was shown from, so that the server refuses to replace a text written meanwhile.
    const textField = (name, {multiline, max, placeholder, required = false, cls = ""}) => {
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
        this.conflicts.delete(key);
        send(name, value, base);
      };
      const note = h("div", {class: "sheet-conflict", role: "alert", hidden: true, "data-testid": "sheet-conflict"});
      const clearNote = () => { note.hidden = true; clear(note); };
      // Their text and mine, side by side: nothing is lost until the person chooses.
      const showConflict = (s, mine) => {
        const theirs = s[name] ?? "";
        const glue = multiline ? "\n" : " / ";
        const resolve = (value) => {
          this.conflicts.delete(key);
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
        if (this.conflicts.has(key)) {
          const mine = this.conflicts.get(key);
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
    };

    const [title, titleNote] = textField("title", {multiline: true, max: 200, required: true, cls: "sheet-title-input"});
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
    fields.set("_num", (s) => { num.textContent = String(this.number(s)); });
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

    // Lists: shown again only when their value changed, and not while the user is inside the rows.
    const listField = (name, draw) => {
      const rows = h("div", {class: "sf-rows"});
      let last;
      // Leaving the rows: draw them again if something arrived meanwhile.
      rows.addEventListener("focusout", (e) => { if (!rows.contains(e.relatedTarget)) setTimeout(() => this.render(), 0); });
      fields.set(name, (s, view) => {
        // The version the rows were last shown from (not while the user is inside them).
        if (!rows.contains(document.activeElement)) rows.dataset.base = String(s.version ?? "");
        const value = [s[name] ?? null, name === "step_ids" || name === "card_ids" ? this.linkSig(view) : null];
        if (rows.contains(document.activeElement) || same(value, last)) return;
        last = value;
        draw(clear(rows), s[name] || [], view);
      });
      return rows;
    };

    const departments = listField("departments", (rows, list) => {
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

    // Milestones [{date, label}] and KPIs [{name, target}]: rows edited in place, a last row to add one.
    const pairList = (name, {a, b, aType, aLabel, bLabel, aPh, bPh, required}) => {
      const read = (row) => ({[a]: row.querySelector(`[data-part=${a}]`).value.trim() || (aType === "date" ? null : ""),
                              [b]: row.querySelector(`[data-part=${b}]`).value.trim()});
      const commitRows = (rows) => {
        if (!rows.dataset.dirty) return;
        delete rows.dataset.dirty;
        const next = [...rows.querySelectorAll(".pair-row")].map(read).filter((x) => x[required]);
        const clean = next.map((x) => (aType === "date" ? {date: x.date || null, label: x.label} : {name: x.name, target: x.target}));
        if (!same(clean, normalise(current()[name], aType))) {
          this.conflicts.delete(`${id}:${name}`);
          send(name, clean, rows.dataset.base ? Number(rows.dataset.base) : undefined);
        }
      };
      // Rows refused because someone else changed the list first: theirs are shown, mine wait here.
      const note = h("div", {class: "sheet-conflict", role: "alert", hidden: true, "data-testid": "sheet-conflict"});
      const text = (list) => normalise(list, aType).map((x) => (aType === "date" ? [x.date, x.label] : [x.name, x.target])
        .filter(Boolean).join(" — ")).join(" ; ") || "—";
      fields.set(`_conflict_${name}`, (s) => {
        const key = `${id}:${name}`;
        if (!this.conflicts.has(key)) { note.hidden = true; return; }
        const mine = normalise(this.conflicts.get(key), aType);
        const theirs = normalise(s[name], aType);
        const resolve = (value) => {
          this.conflicts.delete(key);
          note.hidden = true;
          if (!same(value, theirs)) send(name, value, s.version);
          else this.render();
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
      const rows = listField(name, (rowsEl, list) => {
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
    };

    const steps = listField("step_ids", (rows, list, view) => {
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

    const cards = listField("card_ids", (rows, list, view) => {
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

    const ph = (name) => t(`ph.${name}`);
    const multi = (name) => textField(name, {multiline: true, max: PAGE.chantier_limits[name], placeholder: ph(name)});
    const line = (name) => textField(name, {multiline: false, max: PAGE.chantier_limits[name], placeholder: ph(name)});
    const [msRows, msAdder] = pairList("milestones", {a: "date", b: "label", aType: "date", aLabel: t("sheets.milestone_date"),
      bLabel: t("field.milestones"), bPh: t("ph.milestone"), required: "label"});
    const [kpiRows, kpiAdder] = pairList("kpis", {a: "name", b: "target", aType: "text", aLabel: t("field.kpis"),
      bLabel: t("ph.kpi_target"), aPh: t("ph.kpi_name"), bPh: t("ph.kpi_target"), required: "name"});

    const del = this.isFacilitator ? h("button", {type: "button", class: "danger small", "data-action": "delete-sheet",
      onclick: async () => {
        const s = current();
        if (await confirmDialog(t("sheets.confirm_delete", {title: s.title || ""}))) {
          this.conn.send({type: "chantier.delete", id});
          this.show("list", null);
        }
      }}, t("common.delete")) : null;

    const el = h("article", {class: "sheet", "data-sheet": id, "data-chantier-id": id, "data-testid": "sheet"},
      h("div", {class: "sheet-bar"},
        h("button", {type: "button", class: "link back", "data-action": "back", onclick: () => this.show("list", null)}, `← ${t("sheets.back")}`),
        h("span", {class: "sheet-here"}),
        prio, h("span", {class: "sheet-votes"}), status, del),
      h("div", {class: "sheet-titlebar", "data-sheet-field": "title"}, num, title, h("span", {class: "field-mark"}), titleNote),
      h("div", {class: "sheet-grid"},
        box("problem", multi("problem"), {wide: true}),
        box("objective", multi("objective")),
        box("solution", multi("solution")),
        box("owner", line("owner")),
        box("sponsor", line("sponsor")),
        box("departments", h("div", {class: "sf-list"}, departments, deptInput), {wide: true}),
        box("impact", scale("impact"), {hint: t("sheets.impact_hint")}),
        box("effort", scale("effort"), {hint: t("sheets.effort_hint")}),
        box("start", dates("start")),
        box("end", h("div", {}, dates("end"), inverted)),
        box("milestones", h("div", {class: "sf-list"}, msRows, msAdder), {wide: true}),
        box("kpis", h("div", {class: "sf-list"}, kpiRows, kpiAdder), {wide: true}),
        box("prerequisites", multi("prerequisites")),
        box("risks", multi("risks")),
        box("budget", line("budget")),
        box("step_ids", steps, {wide: true}),
        box("card_ids", cards, {wide: true})),
      ro ? null : h("p", {class: "hint"}, t("sheets.save_hint")));
    focusMark(el.querySelector(".sheet-titlebar"), "title");
    clear(this.body).appendChild(el);
    this.form = {id, el, fields, canWrite: this.canWrite};
    this.lastSig = null;
  }

  linkSig(view) {
    return [...view.cards.values()].filter((c) => ["irritant", "idea"].includes(c.kind)).map((c) => [c.id, c.text, c.step_id])
      .concat(orderedSteps(view).map((s) => [s.id, s.title]));
  }
}

function normalise(list, aType) {
  return (list || []).map((x) => (aType === "date" ? {date: x.date || null, label: x.label || ""} : {name: x.name || "", target: x.target || ""}));
}

function grow(ta) {
  ta.style.height = "auto";
  ta.style.height = `${Math.min(ta.scrollHeight + 2, 260)}px`;
}

function focusKey(el) {
  const attrs = ["data-emotion-step", "data-score", "data-sheet-id", "data-action", "data-tab", "data-card-id"];
  const own = attrs.filter((a) => el.hasAttribute(a)).map((a) => `[${a}="${CSS.escape(el.getAttribute(a))}"]`).join("");
  const group = el.closest("[data-emotion-step]");
  if (group && group !== el) return `[data-emotion-step="${CSS.escape(group.dataset.emotionStep)}"] ${own}`;
  return own || null;
}
