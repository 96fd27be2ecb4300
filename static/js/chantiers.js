// Chantier sheets (work packages): the list, one sheet co-edited field by field (its form: sheet-form.js),
// the impact/effort matrix, and the mirror tab (emotions.js); the dock that opens them and the export menu.
// A sheet re-renders from the store's events, but never under the user's hands: the field that has the
// focus (or a list field the user is inside) keeps what is being typed; every change is sent alone
// (`chantier.update` with only that field) when the user leaves the field or presses Enter.
// Who is where travels as transient `editing` marks (editing.js): `<sheet id>` while a sheet is open,
// `<sheet id>:<field>` while a field has the focus.
import {PAGE, clear, h, hue, initials, t, uuid, toast} from "./dom.js";
import {excerpt} from "./text.js";
import {orderedSteps} from "./store.js";
import {updatedFields} from "./predict.js";
import {renderMirror} from "./emotions.js";
import {ExportMenu} from "./exports.js";
import {buildSheetForm} from "./sheet-form.js";
import {roleMay} from "./rights.js";

function avatars(people) {
  return h(
    "span",
    {class: "sheet-people"},
    people.map((p) =>
      h(
        "span",
        {class: "avatar small", style: `--h:${hue(p.id)}`, title: t("sheets.editing", {name: p.name}), "data-editor-id": p.id},
        initials(p.name),
      ),
    ),
  );
}

export class Sheets {
  constructor({conn, board, me, identity, mapId, marks, onChange}) {
    this.conn = conn;
    this.board = board;
    this.me = me;
    this.identity = identity;
    this.mapId = mapId;
    this.tab = "list";
    this.sheetId = null; // the sheet open in the editor
    this.form = null; // {id, el, fields: Map(name → updater)}
    this.view = null;
    this.marks = marks; // editing.js: who else is in which sheet and field
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

  get canWrite() {
    return this.board.may("chantier.update");
  }
  /** Whether my role may send `type` at all (rights.js): which buttons a sheet offers. */
  roleMay(type) {
    return roleMay(type, this.me.role);
  }
  sheets(view = this.view) {
    return (view && view.extra && view.extra.chantiers) || [];
  }

  // -- the dock and the drawer ------------------------------------------------------------------

  buildDock() {
    this.countEl = h("span", {class: "dock-count"}, "0");
    this.dockSheets = h(
      "button",
      {type: "button", class: "dock-btn", "data-action": "open-sheets", "aria-controls": "sheets", "aria-expanded": "false"},
      h("span", {class: "dock-icon", "aria-hidden": "true"}, "▤"),
      t("dock.chantiers"),
      this.countEl,
    );
    this.dockMirror = h(
      "button",
      {type: "button", class: "dock-btn", "data-action": "open-mirror", "aria-controls": "sheets", "aria-expanded": "false"},
      h("span", {class: "dock-icon", "aria-hidden": "true"}, "◐"),
      t("dock.mirror"),
    );
    this.dockExport = h(
      "button",
      {type: "button", class: "dock-btn", "data-action": "open-exports"},
      h("span", {class: "dock-icon", "aria-hidden": "true"}, "⇩"),
      t("dock.export"),
    );
    this.dock = h(
      "nav",
      {class: "sheet-dock", "aria-label": t("dock.label"), "data-testid": "sheet-dock"},
      this.dockSheets,
      this.dockMirror,
      this.dockExport,
    );
    document.body.appendChild(this.dock);
    this.dockSheets.addEventListener("click", () => this.toggle(this.tab === "mirror" ? "list" : this.tab));
    this.dockMirror.addEventListener("click", () => this.toggle("mirror"));
    this.exports = new ExportMenu({
      button: this.dockExport,
      token: this.identity.token,
      workshopId: this.identity.workshop.id,
      mapId: this.mapId,
    });
  }

  buildDrawer() {
    this.tabs = h(
      "div",
      {class: "sheet-tabs", role: "tablist"},
      ["list", "matrix", "mirror"].map((name) =>
        h("button", {type: "button", role: "tab", class: "sheet-tab", "data-tab": name, "aria-selected": "false"}, t(`sheets.tab_${name}`)),
      ),
    );
    this.tabs.addEventListener("click", (e) => {
      const b = e.target.closest("[data-tab]");
      if (b) this.show(b.dataset.tab);
    });
    this.body = h("div", {class: "sheets-body"});
    this.el = h(
      "aside",
      {id: "sheets", class: "sheets-drawer", hidden: true, "aria-label": t("sheets.title"), "data-testid": "sheets"},
      h("h2", {class: "sr-only"}, t("dock.label")),
      h(
        "div",
        {class: "sheets-top"},
        this.tabs,
        h("button", {class: "icon-btn", "data-action": "close-sheets", "aria-label": t("common.close"), title: t("common.close")}, "✕"),
      ),
      this.body,
    );
    this.el.querySelector("[data-action=close-sheets]").addEventListener("click", () => this.close());
    this.el.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && !e.defaultPrevented && !e.target.closest("input, textarea, select")) {
        e.preventDefault();
        this.close();
      }
    });
    document.body.appendChild(this.el);
  }

  toggle(tab) {
    if (!this.el.hidden && this.tab === tab) this.close();
    else this.show(tab);
  }

  show(tab, sheetId) {
    if (tab !== "list" || sheetId !== undefined) this.openSheet(tab === "list" ? (sheetId ?? null) : null);
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
      .sort((a, b) => (a.position ?? 0) - (b.position ?? 0))
      .map((c) => c.id);
    const text = card.text.trim();
    const firstLine = text.split(/\n/)[0];
    const op = {
      type: "chantier.add",
      id: uuid(),
      title: excerpt(firstLine, 200) || t("sheets.untitled"),
      step_ids: [card.step_id],
      card_ids: [card.id, ...irritants],
    };
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
    requestAnimationFrame(() => {
      const title = this.el.querySelector("[data-field=title]");
      title?.focus();
      title?.select();
    });
  }

  // -- rendering --------------------------------------------------------------------------------

  render(force = false) {
    this.marks.attach();
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
    if (this.tab === "list" && this.sheetId) {
      this.renderSheet(view, force);
      return;
    }
    // Lists and charts are drawn again whole; keep the focus on the same control.
    const active = document.activeElement;
    const key = active && this.body.contains(active) ? focusKey(active) : null;
    const sig = JSON.stringify([
      this.tab,
      sheets,
      this.tab === "mirror"
        ? [view.extra.emotions, view.extra.resonance, orderedSteps(view).map((s) => [s.id, s.title, s.key_moment])]
        : null,
      this.tab === "list" ? [...this.marks.others.keys()] : null,
      this.tab === "list" ? this.selectedIdeas(view).map((c) => [c.id, c.text]) : null,
      this.canWrite,
      PAGE.lang,
    ]);
    if (!force && sig === this.lastSig) return;
    this.lastSig = sig;
    this.form = null;
    if (this.tab === "list") this.renderList(view);
    else if (this.tab === "matrix") this.renderMatrix(view);
    else
      renderMirror(clear(this.body), view, {
        canRate: this.board.may("emotion.set"),
        perspective: this.me.perspective,
        me: this.me,
        token: this.identity.token,
        onRate: (step_id, score) => this.conn.send({type: "emotion.set", step_id, score}),
      });
    if (key) this.body.querySelector(key)?.focus();
  }

  number(sheet) {
    return (sheet.position ?? 0) + 1;
  }

  selectedIdeas(view) {
    const linked = new Set(this.sheets(view).flatMap((s) => s.card_ids || []));
    return [...view.cards.values()].filter((c) => c.kind === "idea" && c.selected && c.text && !linked.has(c.id));
  }

  renderList(view) {
    const sheets = this.sheets(view);
    // voting.js puts its vote boxes in [data-chantier-id] .sheet-votes: keep them across a redraw.
    const votes = new Map([...this.body.querySelectorAll(".sheet-votes > .vote-box")].map((b) => [b.dataset.targetId, b]));
    const box = clear(this.body);
    box.appendChild(
      h(
        "div",
        {class: "sheets-head"},
        h("h2", {}, t("sheets.title"), h("span", {class: "muted"}, ` · ${t("sheets.count", {n: sheets.length})}`)),
        this.canWrite
          ? h(
              "button",
              {type: "button", class: "primary small", "data-action": "new-sheet", onclick: () => this.newSheet()},
              `+ ${t("sheets.new")}`,
            )
          : null,
      ),
    );
    if (!sheets.length) box.appendChild(h("p", {class: "muted sheets-empty"}, t("sheets.empty")));
    const list = h("ol", {class: "sheet-list"});
    for (const sheet of sheets) {
      const people = this.marks.who(sheet.id);
      const facts = [sheet.owner, (sheet.departments || []).join(", ")].filter(Boolean).join(" · ");
      list.appendChild(
        h(
          "li",
          {"data-chantier-id": sheet.id},
          h(
            "button",
            {type: "button", class: "sheet-item", "data-sheet-id": sheet.id, onclick: () => this.show("list", sheet.id)},
            h("span", {class: "sr-only"}, `${t("sheets.open")} `),
            h("span", {class: "sheet-num"}, String(this.number(sheet))),
            h(
              "span",
              {class: "sheet-main"},
              h("span", {class: "sheet-title"}, sheet.title),
              h("span", {class: "sheet-facts muted"}, facts || excerpt(sheet.problem || sheet.solution || "", 90)),
            ),
            h(
              "span",
              {class: "sheet-side"},
              sheet.priority ? h("span", {class: "prio"}, t("sheets.priority", {n: sheet.priority})) : null,
              h("span", {class: `status status-${sheet.status || "draft"}`}, t(`status.${sheet.status || "draft"}`)),
              sheet.impact && sheet.effort
                ? h(
                    "span",
                    {class: "ie", title: `${t("field.impact")} ${sheet.impact} · ${t("field.effort")} ${sheet.effort}`},
                    `${t("field.impact")} ${sheet.impact} · ${t("field.effort")} ${sheet.effort}`,
                  )
                : h("span", {class: "ie muted"}, t("sheets.unrated")),
              people.length ? avatars(people) : null,
            ),
          ),
          h("div", {class: "sheet-votes"}, votes.get(sheet.id) || null),
        ),
      );
    }
    box.appendChild(list);
    const ideas = this.canWrite ? this.selectedIdeas(view) : [];
    if (ideas.length) {
      box.appendChild(
        h(
          "section",
          {class: "selected-ideas"},
          h("h3", {}, t("card.selected"), ` · ${t("kind.idea")}`),
          // All retained ideas at once, in one op (the server skips any that got a sheet meanwhile).
          this.roleMay("chantier.from_winners")
            ? h(
                "button",
                {
                  type: "button",
                  class: "primary small",
                  "data-action": "sheets-from-winners",
                  onclick: () => this.conn.send({type: "chantier.from_winners", card_ids: ideas.map((c) => c.id)}),
                },
                t("facil.winners_make_all", {n: ideas.length}),
              )
            : null,
          h(
            "ul",
            {},
            ideas.map((c) =>
              h(
                "li",
                {},
                h("span", {class: "idea-text"}, excerpt(c.text, 110)),
                h(
                  "button",
                  {
                    type: "button",
                    class: "secondary small",
                    "data-action": "sheet-from-idea",
                    "data-card-id": c.id,
                    onclick: () => this.fromCard(c.id),
                  },
                  t("sheets.from_idea"),
                ),
              ),
            ),
          ),
        ),
      );
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
        grid.appendChild(
          h(
            "div",
            {class: `matrix-cell zone-${zone(effort, impact)}`, "data-impact": String(impact), "data-effort": String(effort)},
            here.map((s) =>
              h(
                "button",
                {
                  type: "button",
                  class: `matrix-dot status-${s.status || "draft"}`,
                  "data-sheet-id": s.id,
                  title: `${this.number(s)}. ${s.title}`,
                  "aria-label": `${this.number(s)}. ${s.title} — ${t("field.impact")} ${impact}, ${t("field.effort")} ${effort}`,
                  onclick: () => this.show("list", s.id),
                },
                String(this.number(s)),
              ),
            ),
          ),
        );
      }
    }
    grid.appendChild(h("span", {}));
    for (let effort = 1; effort <= 5; effort += 1) grid.appendChild(h("span", {class: "matrix-x"}, String(effort)));
    box.appendChild(
      h(
        "div",
        {class: "matrix-wrap"},
        h("span", {class: "matrix-axis-y"}, `${t("matrix.impact")} →`),
        h(
          "div",
          {class: "matrix-frame"},
          grid,
          h("span", {class: "zone-label zl-quick"}, t("matrix.quick_wins")),
          h("span", {class: "zone-label zl-big"}, t("matrix.big_bets")),
          h("span", {class: "zone-label zl-fill"}, t("matrix.fill_ins")),
          h("span", {class: "zone-label zl-reconsider"}, t("matrix.reconsider")),
        ),
        h("span", {class: "matrix-axis-x"}, `${t("matrix.effort")} →`),
      ),
    );
    const unrated = sheets.filter((s) => !(s.impact && s.effort));
    box.appendChild(
      h(
        "ol",
        {class: "matrix-legend"},
        sheets.map((s) =>
          h(
            "li",
            {},
            h(
              "button",
              {type: "button", class: "link", onclick: () => this.show("list", s.id)},
              h("span", {class: "sheet-num small"}, String(this.number(s))),
              s.title,
            ),
            s.impact && s.effort ? null : h("span", {class: "muted"}, ` — ${t("sheets.unrated")}`),
          ),
        ),
      ),
    );
    if (unrated.length && sheets.length)
      box.appendChild(h("p", {class: "hint"}, t("matrix.unrated"), " ", unrated.map((s) => this.number(s)).join(", ")));
  }

  // -- one sheet --------------------------------------------------------------------------------

  renderSheet(view, force) {
    const sheet = this.sheets(view).find((s) => s.id === this.sheetId);
    if (!sheet) {
      this.form = null;
      clear(this.body).append(
        h("p", {class: "muted"}, t("sheets.gone")),
        h("button", {type: "button", class: "secondary small", onclick: () => this.show("list", null)}, `← ${t("sheets.back")}`),
      );
      this.lastSig = null;
      return;
    }
    if (!this.form || this.form.id !== sheet.id || this.form.canWrite !== this.canWrite) this.buildForm(sheet);
    for (const update of this.form.fields.values()) update(sheet, view);
    // Who else is here, and in which field.
    const here = this.marks.who(sheet.id);
    const people = this.form.el.querySelector(".sheet-here");
    clear(people).append(
      here.length ? avatars(here) : "",
      here.length ? h("span", {class: "muted"}, t("sheets.here", {names: here.map((p) => p.name).join(", ")})) : "",
    );
    for (const box of this.form.el.querySelectorAll("[data-sheet-field]")) {
      const who = this.marks.who(`${sheet.id}:${box.dataset.sheetField}`);
      box.classList.toggle("sf-busy", who.length > 0);
      const mark = box.querySelector(".field-mark");
      if (mark) mark.textContent = who.length ? t("sheets.editing", {name: who.map((p) => p.name).join(", ")}) : "";
    }
  }

  buildForm(sheet) {
    this.form = buildSheetForm(this, sheet);
    clear(this.body).appendChild(this.form.el);
    this.lastSig = null;
  }

  linkSig(view) {
    return [...view.cards.values()]
      .filter((c) => ["irritant", "idea"].includes(c.kind))
      .map((c) => [c.id, c.text, c.step_id])
      .concat(orderedSteps(view).map((s) => [s.id, s.title]));
  }
}

function focusKey(el) {
  const attrs = ["data-emotion-step", "data-score", "data-sheet-id", "data-action", "data-tab", "data-card-id"];
  const own = attrs
    .filter((a) => el.hasAttribute(a))
    .map((a) => `[${a}="${CSS.escape(el.getAttribute(a))}"]`)
    .join("");
  const group = el.closest("[data-emotion-step]");
  if (group && group !== el) return `[data-emotion-step="${CSS.escape(group.dataset.emotionStep)}"] ${own}`;
  return own || null;
}
