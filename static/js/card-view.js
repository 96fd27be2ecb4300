// The board's cards (board.js): each card's element, kept by id and updated in place when its
// signature changes (so open editors and focus survive live updates), its label for screen readers
// (kind, author, text, then marks), the cards of each cell in order. BoardView's methods, kept here.
import {h, t} from "./dom.js";
import {excerpt} from "./text.js";
import {cellCards, commentsOn} from "./store.js";
import {motion} from "./motion.js";

export class CardView {
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
        if (!view.cards.has(id)) {
          el.remove();
          this.cardEls.delete(id);
          this.cardSigs.delete(id);
        }
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
      el = h(
        "article",
        {class: "card", "data-card-id": card.id, tabindex: "0"},
        h(
          "header",
          {class: "card-head"},
          h("span", {class: "card-kind"}),
          h("span", {class: "card-channel", hidden: true}),
          this.readOnly
            ? null
            : h("button", {class: "card-more", "data-action": "card-menu", "aria-label": t("card.details"), title: t("card.details")}, "⋯"),
        ),
        h("button", {class: "card-builds-on", "data-action": "goto-parent", hidden: true}),
        h("p", {class: "card-text"}),
        h(
          "footer",
          {class: "card-foot"},
          h("span", {class: "card-author"}),
          h("span", {class: "card-side", hidden: true}),
          h("span", {class: "card-comments", hidden: true}),
        ),
      );
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
    const sig = JSON.stringify([
      card.kind,
      card.text,
      card.channel,
      card.hidden,
      card.perspective,
      card.builds_on,
      card.selected,
      parent ? parent.text : null,
      author ? author.name : null,
      comments,
      pending,
      this.canEditCard(card),
      card.version,
    ]);
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

  flash(cardId) {
    const el = this.cardEls.get(cardId);
    if (!el) return;
    el.scrollIntoView({block: "nearest", inline: "nearest", behavior: motion()});
    el.classList.remove("flash");
    void el.offsetWidth;
    el.classList.add("flash");
    el.focus({preventScroll: true});
  }
}
