// The side panel of one card: kind, channel, the idea it builds on, comments, delete.
import {PAGE, clear, h, t, uuid} from "./dom.js";
import {commentsOn} from "./store.js";
import {autosize} from "./board.js";

export class CardPanel {
  constructor({el, conn, board, me}) {
    this.el = el;
    this.conn = conn;
    this.board = board;
    this.me = me;
    this.cardId = null;
    this.body = h("div", {class: "panel-body"});
    this.comments = h("ol", {class: "comments", "aria-label": t("comments.title")});
    this.input = h("textarea", {rows: "2", maxlength: "5000", placeholder: t("comments.placeholder"), "aria-label": t("comments.add")});
    this.form = h("form", {class: "comment-form"}, this.input, h("button", {class: "primary small", type: "submit"}, t("comments.send")));
    this.el.append(
      h(
        "div",
        {class: "panel-top"},
        h("h2", {}, t("card.details")),
        h("button", {class: "icon-btn", "data-action": "close-panel", "aria-label": t("common.close"), title: t("common.close")}, "✕"),
      ),
      this.body,
      h("section", {class: "panel-comments"}, h("h3", {}, t("comments.title")), this.comments, this.form),
    );
    this.el.addEventListener("click", (e) => {
      if (e.target.closest("[data-action=close-panel]")) this.close();
    });
    this.el.addEventListener("keydown", (e) => {
      if (e.key === "Escape") {
        e.preventDefault();
        this.close();
      }
    });
    this.input.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.sendComment();
      }
    });
    this.input.addEventListener("input", () => autosize(this.input));
    this.form.addEventListener("submit", (e) => {
      e.preventDefault();
      this.sendComment();
    });
  }

  open(cardId) {
    this.cardId = cardId;
    this.el.hidden = false;
    document.body.classList.add("panel-open");
    this.render(this.conn.view());
    this.el.querySelector("[data-action=close-panel]").focus();
  }

  close() {
    const id = this.cardId;
    this.cardId = null;
    this.el.hidden = true;
    document.body.classList.remove("panel-open");
    if (id) this.board.cardEls.get(id)?.focus();
  }

  sendComment() {
    const text = this.input.value.trim();
    if (!text || !this.cardId) return;
    this.conn.send({type: "comment.add", id: uuid(), target_id: this.cardId, text});
    this.input.value = "";
    autosize(this.input);
  }

  render(view) {
    if (!this.cardId || !view) return;
    const card = view.cards.get(this.cardId);
    if (!card) {
      this.close();
      return;
    }
    const b = this.board;
    const canEdit = b.canEditCard(card);
    const author = view.participants.get(card.author_id);
    const parent = card.builds_on ? view.cards.get(card.builds_on) : null;
    const focused = this.el.contains(document.activeElement) ? document.activeElement.dataset.field : null;

    const kind = h(
      "select",
      {"data-field": "kind", disabled: !canEdit, "aria-label": t("card.kind")},
      PAGE.card_kinds.map((k) => h("option", {value: k, selected: k === card.kind}, t(`kind.${k}`))),
    );
    kind.addEventListener("change", () => this.conn.send({type: "card.update", id: card.id, kind: kind.value}));
    const channel = h(
      "select",
      {"data-field": "channel", disabled: !canEdit, "aria-label": t("card.channel")},
      h("option", {value: "", selected: !card.channel}, t("card.no_channel")),
      PAGE.channels.map((c) => h("option", {value: c, selected: c === card.channel}, t(`channel.${c}`))),
    );
    channel.addEventListener("change", () => {
      if (channel.value) this.conn.send({type: "card.update", id: card.id, channel: channel.value});
    });

    clear(this.body).appendChild(
      h(
        "div",
        {class: "panel-stack"},
        h(
          "div",
          {class: `panel-card card`, "data-kind": card.kind},
          h("p", {class: `panel-text${card.text == null ? " placeholder" : ""}`}, card.text ?? t("card.hidden_text")),
        ),
        h(
          "dl",
          {class: "facts"},
          h("dt", {}, t("card.author")),
          h("dd", {}, author ? [author.name, author.department ? ` · ${author.department}` : ""] : "—"),
          card.perspective ? [h("dt", {}, t("card.perspective")), h("dd", {}, t(`perspective.${card.perspective}`))] : null,
          card.hidden ? [h("dt", {}, t("card.visibility")), h("dd", {}, t("card.face_down"))] : null,
        ),
        h("label", {class: "field"}, t("card.kind"), kind),
        card.kind === "touchpoint" ? h("label", {class: "field"}, t("card.channel"), channel) : null,
        card.builds_on
          ? h(
              "p",
              {class: "builds-on"},
              `${t("card.builds_on")} : `,
              h(
                "button",
                {class: "link", "data-field": "parent", onclick: () => b.flash(card.builds_on)},
                parent ? (parent.text ?? t("card.hidden_text")) : t("card.builds_on_gone"),
              ),
            )
          : null,
        h(
          "div",
          {class: "panel-actions"},
          canEdit
            ? h(
                "button",
                {
                  class: "secondary small",
                  "data-field": "edit",
                  onclick: () => {
                    // On a phone the panel covers the board: step aside so that the card being edited shows.
                    if (matchMedia("(max-width: 640px)").matches) this.close();
                    b.startEdit(card.id);
                  },
                },
                t("common.edit"),
              )
            : null,
          b.canWrite() && card.kind === "idea"
            ? h(
                "button",
                {
                  class: "secondary small",
                  "data-field": "build",
                  "data-action": "build-on",
                  onclick: () => {
                    const id = card.id;
                    this.close();
                    b.openEditor(card.lane_id, card.step_id, {buildsOn: id});
                  },
                },
                t("card.build_on"),
              )
            : null,
          b.canWrite() && card.kind === "idea" && card.text != null && this.onMakeSheet
            ? h(
                "button",
                {
                  class: "secondary small",
                  "data-field": "make-sheet",
                  "data-action": "make-sheet",
                  onclick: () => this.onMakeSheet(card.id),
                },
                t("sheets.from_idea"),
              )
            : null,
          b.canDeleteCard(card)
            ? h(
                "button",
                {
                  class: "danger small",
                  "data-field": "delete",
                  "data-action": "delete-card",
                  onclick: async () => {
                    if (await b.deleteCard(card.id)) this.close();
                  },
                },
                t("common.delete"),
              )
            : null,
        ),
      ),
    );

    clear(this.comments);
    const list = commentsOn(view, card.id);
    if (!list.length) this.comments.appendChild(h("li", {class: "muted"}, t("comments.none")));
    for (const c of list) {
      const who = view.participants.get(c.author_id);
      const mayDelete = b.mayOnRow("comment.delete", c);
      this.comments.appendChild(
        h(
          "li",
          {class: "comment", "data-comment-id": c.id},
          h(
            "div",
            {class: "comment-head"},
            h("strong", {}, who ? who.name : "—"),
            h("time", {datetime: c.ts}, c.ts ? new Date(c.ts).toLocaleTimeString(PAGE.lang, {hour: "2-digit", minute: "2-digit"}) : ""),
            mayDelete
              ? h(
                  "button",
                  {
                    class: "icon-btn",
                    "aria-label": t("common.delete"),
                    title: t("common.delete"),
                    onclick: () => this.conn.send({type: "comment.delete", id: c.id}),
                  },
                  "✕",
                )
              : null,
          ),
          h("p", {class: "comment-text"}, c.text),
        ),
      );
    }
    this.form.hidden = !b.canWrite();
    if (focused) this.el.querySelector(`[data-field=${focused}]`)?.focus();
  }
}
