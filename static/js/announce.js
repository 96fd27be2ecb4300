// Polite, sparse announcements for screen readers of what others change: a new card in the cell one is
// on, a vote that opens, the timer's last minute. Never a flood: one message at a time, at most one
// every ANNOUNCE_GAP ms, several new cards said as their count. Nothing else of the live board is spoken.
import {t} from "./dom.js";
import {clock} from "./socket.js";
import {currentRound} from "./vote-state.js";

const ANNOUNCE_GAP = 2000;
const SETTLE = 400; // a burst of changes settles before anything is said
const LAST_MINUTE = 60000;

export class Announcer {
  constructor({el, board, me}) {
    this.el = el;
    this.board = board;
    this.me = me;
    this.known = null; // card ids already seen (null until the first view)
    this.rounds = new Set(); // round ids already seen open
    this.timerSaid = null; // the ends_at whose last minute was said
    this.queue = [];
    this.cards = []; // new cards in one's cell since the last message: one is read, several counted
    this.lastAt = 0;
    this.timer = null;
    this.view = null;
    setInterval(() => this.checkTimer(), 1000);
  }

  update(view) {
    this.view = view;
    const first = this.known === null;
    const fresh = [];
    for (const card of view.cards.values()) {
      if (first || this.known.has(card.id)) continue;
      if (card.author_id !== this.me.id && this.onActiveCell(card)) fresh.push(card);
    }
    this.known = new Set(view.cards.keys());
    const round = currentRound(view);
    if (round && round.open && !this.rounds.has(round.id)) {
      this.rounds.add(round.id);
      if (!first) this.say(t("a11y.vote_open", {what: t(`vote.status_${round.target}`)}));
    }
    if (fresh.length) {
      for (const card of fresh) {
        const author = view.participants.get(card.author_id);
        this.cards.push(t("a11y.new_card", {name: author ? author.name : "?", text: card.text ?? t("card.hidden_text")}));
      }
      this.schedule();
    }
    if (first && view.timer && view.timer.ends_at) this.timerSaid = view.timer.ends_at; // not on arrival
  }

  onActiveCell(card) {
    const cell = this.board.active && this.board.active.closest("[data-cell]");
    return (
      !!cell &&
      cell.dataset.laneId === card.lane_id &&
      cell.dataset.stepId === card.step_id &&
      this.board.root.contains(document.activeElement)
    );
  }

  checkTimer() {
    const timer = this.view && this.view.timer;
    if (!timer || !timer.ends_at || this.timerSaid === timer.ends_at) return;
    const left = Date.parse(timer.ends_at) - clock.now();
    if (left > 0 && left <= LAST_MINUTE) {
      this.timerSaid = timer.ends_at;
      this.say(t("a11y.timer_minute"));
    }
  }

  /** Queue a message; messages close together are said together, in one polite update. */
  say(text) {
    this.queue.push(text);
    if (this.queue.length > 3) this.queue.splice(0, this.queue.length - 3);
    this.schedule();
  }

  schedule() {
    if (this.timer) return;
    const wait = Math.max(SETTLE, this.lastAt + ANNOUNCE_GAP - Date.now());
    this.timer = setTimeout(() => this.flush(), wait);
  }

  flush() {
    this.timer = null;
    this.lastAt = Date.now();
    const cards = this.cards.length > 1 ? [t("a11y.new_cards", {n: this.cards.length})] : this.cards;
    const text = [...cards, ...this.queue].join(" ");
    this.queue = [];
    this.cards = [];
    // Emptied first so that the same words twice are still announced.
    this.el.textContent = "";
    requestAnimationFrame(() => {
      this.el.textContent = text;
    });
  }
}
