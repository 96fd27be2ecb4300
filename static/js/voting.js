// Dot voting in the browser: the facilitator opens a round (two clicks), closes it, promotes the top N;
// everyone votes on the round's items (the steps' headers, idea cards, chantier sheets) and always sees
// the dots left; totals show live in an open round, only after the close in a secret one; once closed,
// a ranked results panel. All state comes from the store (vote-state.js); this module only draws.
import {PAGE, clear, h, t, toast} from "./dom.js";
import {excerpt} from "./text.js";
import {orderedSteps} from "./store.js";
import {currentRound, dotsLeft, myDots, setVoter, totals} from "./vote-state.js";
import {offerSheetsFromWinners} from "./room.js";
import {may, roleMay} from "./rights.js";

const dots = (n) => "●".repeat(Math.max(0, Math.min(n, 20)));

function chantiersOf(view) {
  if (view.chantiers instanceof Map) return [...view.chantiers.values()];
  return (view.extra && view.extra.chantiers) || [];
}

export class VotingUI {
  constructor({conn, me, slot, board, readOnly = false}) {
    this.conn = conn;
    this.me = me;
    this.slot = slot;
    this.board = board;
    this.readOnly = readOnly;
    // Who runs rounds (opens, closes, promotes; sees the turnout) and who votes: the roles of those ops
    // (rights.js). The present page does neither.
    this.runsRounds = !readOnly && roleMay("round.open", me.role);
    this.canVote = !readOnly && roleMay("vote.cast", me.role);
    this.dismissed = new Set(); // round ids whose results panel is folded (closed by hand, or closed before we came)
    this.seenOpen = new Set(); // round ids this page saw open: their results pop up when they close
    this.shownResults = null;
    this.statusKey = null;
    setVoter(me.id);

    this.status = h("div", {class: "vote-status", "data-testid": "vote-status", hidden: true});
    this.actions = h("div", {class: "vote-actions"});
    slot.append(this.status, this.actions);
    if (this.runsRounds) {
      this.openBtn = h(
        "button",
        {class: "tool vote-open", "data-action": "open-round", "data-testid": "open-round", "aria-haspopup": "dialog"},
        `● ${t("vote.open")}`,
      );
      this.closeBtn = h(
        "button",
        {class: "tool vote-close", "data-action": "close-round", "data-testid": "close-round", hidden: true},
        `■ ${t("vote.close")}`,
      );
      this.actions.append(this.openBtn, this.closeBtn);
    }
    this.resultsBtn = h(
      "button",
      {class: "tool", "data-action": "show-results", "data-testid": "show-results", hidden: true},
      t("vote.results"),
    );
    this.actions.appendChild(this.resultsBtn);
    slot.addEventListener("click", (e) => this.onClick(e));

    this.panel = h("aside", {class: "results-panel", "data-testid": "results", hidden: true, "aria-label": t("vote.results")});
    document.body.appendChild(this.panel);
    this.panel.addEventListener("click", (e) => this.onClick(e));
    // Votes on the items: delegated, wherever the items are drawn.
    document.addEventListener(
      "click",
      (e) => {
        const button = e.target.closest("[data-vote]");
        if (button) {
          e.preventDefault();
          e.stopPropagation();
          this.vote(button.dataset.vote, button.dataset.targetId);
        }
      },
      true,
    );
    // A refused vote gets its own words (budget or cap), not the generic message.
    conn.addEventListener("rejected", (e) => {
      const {op, error} = e.detail;
      if (!op.type.startsWith("vote.") && !op.type.startsWith("round.")) return;
      e.detail.handled = true;
      toast(this.errorFor(op, error), "error");
    });
  }

  // -- actions ------------------------------------------------------------------------------------

  onClick(e) {
    const target = e.target.closest("[data-action]");
    if (!target) return;
    const view = this.conn.view();
    if (!view) return;
    const round = currentRound(view);
    switch (target.dataset.action) {
      case "open-round":
        this.openDialog(view);
        break;
      case "close-round":
        if (round && round.open) this.conn.send({type: "round.close", id: round.id});
        break;
      case "show-results":
        if (round) {
          this.seenOpen.add(round.id);
          this.dismissed.delete(round.id);
          this.render(view);
        }
        break;
      case "hide-results":
        if (round) {
          this.dismissed.add(round.id);
          this.render(view);
        }
        break;
      case "promote": {
        const input = this.panel.querySelector("input[name=count]");
        const count = Math.max(1, Math.min(50, Number(input && input.value) || 1));
        if (round && !round.open) {
          this.conn.send({type: "round.promote", id: round.id, count});
          toast(t(`vote.promoted_${round.target}`, {n: count}));
          if (round.target === "card") offerSheetsFromWinners(this.conn, count); // room.js: one sheet per idea
        }
        break;
      }
      default:
        break;
    }
  }

  vote(kind, targetId) {
    const view = this.conn.view();
    const round = view && currentRound(view);
    if (!round || !targetId || !this.canVote) return;
    if (!round.open) {
      toast(t("error.round_closed"), "error");
      return;
    }
    if (!may("vote.cast", this.me.role, view.map)) {
      toast(t("error.locked"), "error");
      return;
    }
    const mine = myDots(view, round.id);
    const on = mine.per.get(targetId) || 0;
    if (kind === "cast") {
      if (mine.total >= round.budget) {
        toast(t("vote.no_dots_left", {n: round.budget}), "error");
        return;
      }
      if (on >= (round.max_per_item || round.budget)) {
        toast(t("vote.cap_reached", {n: round.max_per_item}), "error");
        return;
      }
      this.conn.send({type: "vote.cast", round_id: round.id, target_id: targetId});
    } else if (kind === "retract" && on > 0) {
      this.conn.send({type: "vote.retract", round_id: round.id, target_id: targetId});
    }
  }

  errorFor(op, error) {
    const code = error && error.code;
    if (code === "budget_exceeded") {
      const round = currentRound(this.conn.view());
      if (round && error.field === "max_per_item") return t("vote.cap_reached", {n: round.max_per_item});
      return t("vote.no_dots_left", {n: round ? round.budget : "?"});
    }
    if (code && PAGE.catalog[`error.${code}`]) return t(`error.${code}`);
    return (error && error.message) || t("error.unknown");
  }

  openDialog(view) {
    const suggested = PAGE.phase_round_target[view.map.phase] || "step";
    const stored = (key, fallback) => localStorage.getItem(`parcours:vote-${key}`) || fallback;
    const budget = h("input", {
      type: "number",
      name: "budget",
      min: "1",
      max: "20",
      step: "1",
      value: stored("budget", "3"),
      required: true,
    });
    const cap = h("input", {type: "number", name: "cap", min: "1", max: "20", step: "1", value: "", placeholder: t("vote.cap_none")});
    const secret = h("input", {type: "checkbox", name: "secret", checked: stored("secret", "") === "1"});
    const chantiers = chantiersOf(view).length;
    const ideas = [...view.cards.values()].filter((c) => c.kind === "idea" && c.visibility !== "author").length;
    const counts = {step: view.steps.size, card: ideas, chantier: chantiers};
    const choices = h(
      "fieldset",
      {class: "vote-targets"},
      h("legend", {}, t("vote.on")),
      PAGE.round_targets.map((target) =>
        h(
          "label",
          {class: "vote-target"},
          h("input", {type: "radio", name: "target", value: target, checked: target === suggested}),
          h("span", {class: "vote-target-title"}, t(`vote.target_${target}`)),
          h("span", {class: "vote-target-hint"}, t(`vote.target_${target}_hint`, {n: counts[target]})),
        ),
      ),
    );
    const dialog = h(
      "dialog",
      {class: "dialog round-dialog", "data-testid": "round-dialog"},
      h(
        "form",
        {method: "dialog", class: "form"},
        h("h2", {}, t("vote.open_title")),
        choices,
        h(
          "div",
          {class: "form-row"},
          h("label", {}, t("vote.budget"), budget, h("span", {class: "hint"}, t("vote.budget_hint"))),
          h("label", {}, t("vote.cap"), cap, h("span", {class: "hint"}, t("vote.cap_hint"))),
        ),
        h("label", {class: "check"}, secret, h("span", {}, h("strong", {}, t("vote.secret")), " — ", t("vote.secret_hint"))),
        h(
          "div",
          {class: "dialog-actions"},
          h("button", {value: "cancel", class: "secondary", formnovalidate: true}, t("common.cancel")),
          h("button", {value: "open", class: "primary", "data-action": "confirm-round"}, t("vote.open_go")),
        ),
      ),
    );
    document.body.appendChild(dialog);
    dialog.addEventListener("close", () => {
      if (dialog.returnValue === "open") {
        const target = dialog.querySelector("input[name=target]:checked")?.value || suggested;
        const b = Math.max(1, Math.min(20, Math.round(Number(budget.value) || 3)));
        const op = {type: "round.open", target, budget: b, secret: secret.checked};
        const c = Math.round(Number(cap.value));
        if (cap.value && c >= 1) op.max_per_item = Math.min(c, b);
        if (target === "card") op.card_kind = "idea";
        localStorage.setItem("parcours:vote-budget", String(b));
        localStorage.setItem("parcours:vote-secret", secret.checked ? "1" : "");
        this.conn.send(op);
      }
      dialog.remove();
      this.openBtn.focus();
    });
    dialog.showModal();
    dialog.querySelector("[data-action=confirm-round]").focus();
  }

  // -- drawing ------------------------------------------------------------------------------------

  /** The items of a round: [{id, label, el?}] (el: where its vote box goes, when drawn). */
  items(view, round) {
    if (round.target === "step") {
      return orderedSteps(view).map((s) => ({id: s.id, label: s.title}));
    }
    if (round.target === "card") {
      return [...view.cards.values()]
        .filter((c) => (!round.card_kind || c.kind === round.card_kind) && c.visibility !== "author")
        .map((c) => ({id: c.id, label: excerpt(c.text, 70)}));
    }
    return chantiersOf(view).map((c) => ({id: c.id, label: c.title}));
  }

  labelOf(view, round, id) {
    if (round.target === "step") return view.steps.get(id)?.title ?? "—";
    if (round.target === "card") return excerpt(view.cards.get(id)?.text ?? t("card.hidden_text"), 70);
    return chantiersOf(view).find((c) => c.id === id)?.title ?? "—";
  }

  render(view) {
    const round = currentRound(view);
    // Results pop up when a round closes under our eyes; an older result waits behind the "Results" button.
    if (round && round.open) this.seenOpen.add(round.id);
    else if (round && !this.seenOpen.has(round.id)) this.dismissed.add(round.id);
    this.renderStatus(view, round);
    this.renderBoxes(view, round);
    this.renderPanel(view, round);
  }

  renderStatus(view, round) {
    if (this.runsRounds) {
      this.openBtn.hidden = !!(round && round.open);
      this.closeBtn.hidden = !(round && round.open);
    }
    this.resultsBtn.hidden = !(round && !round.open && this.dismissed.has(round.id));
    const left = round ? dotsLeft(view, round) : 0;
    const key = JSON.stringify([round, left, view.online.size]);
    if (key === this.statusKey) return;
    this.statusKey = key;
    clear(this.status);
    this.status.hidden = !round || !round.open;
    if (!round || !round.open) return;
    this.status.dataset.secret = round.secret ? "true" : "false";
    const what = t(`vote.status_${round.target}`);
    this.status.append(h("span", {class: "vote-what"}, `● ${what}`));
    if (round.secret) this.status.append(h("span", {class: "chip chip-secret", title: t("vote.secret_hint")}, t("vote.secret_short")));
    const used = round.budget - left;
    // The facilitator may vote too; its dots show once it has used one (the bar stays short otherwise).
    if (this.canVote && (!this.runsRounds || used > 0)) {
      this.status.append(
        h(
          "span",
          {
            class: `dots-left${left === 0 ? " none" : ""}`,
            "data-testid": "dots-left",
            "data-remaining": String(left),
            title: t("vote.dots_left_hint", {n: round.budget}),
          },
          h("span", {class: "dots-used", "aria-hidden": "true"}, dots(used)),
          h("span", {class: "dots-free", "aria-hidden": "true"}, "○".repeat(Math.min(left, 20))),
          " ",
          t("vote.dots_left", {n: left}),
        ),
      );
    }
    if (this.runsRounds) {
      const people = [...view.online].map((id) => view.participants.get(id)).filter((p) => p && p.role === "participant").length;
      const voters = round.voters ?? null;
      this.status.append(
        h(
          "span",
          {class: "voters", "data-testid": "voters", "data-voters": voters === null ? "" : String(voters)},
          voters === null
            ? t("vote.voters_unknown")
            : voters <= people && people > 0
              ? t("vote.voters", {n: voters, total: people})
              : t("vote.voters_done", {n: voters}),
        ),
      );
    }
  }

  /** A vote box on each votable item on screen: totals (when shown), my dots, + and −. */
  renderBoxes(view, round) {
    const active = round && (round.open || Array.isArray(round.results));
    const seen = new Set();
    if (active) {
      const shown = totals(round);
      const mine = myDots(view, round.id);
      const left = dotsLeft(view, round);
      const canCast = round.open && this.canVote && may("vote.cast", this.me.role, view.map); // not locked, not closed
      const cap = round.max_per_item || round.budget;
      for (const item of this.items(view, round)) {
        const host = this.hostFor(round.target, item.id);
        if (!host) continue;
        const total = shown ? shown.get(item.id) || 0 : null;
        const on = mine.per.get(item.id) || 0;
        if (!round.open && !total) continue; // closed: dots only where there are some
        const box = this.box(host, item.id);
        seen.add(box);
        const key = JSON.stringify([round.id, round.open, total, on, left, canCast, cap]);
        if (box.dataset.key === key) continue;
        box.dataset.key = key;
        box.dataset.mine = String(on);
        box.classList.toggle("closed", !round.open);
        box.classList.toggle("has-mine", on > 0);
        clear(box);
        if (total) {
          box.append(
            h(
              "span",
              {class: "vote-total", "data-testid": "vote-total", "data-votes": String(total), title: t("vote.total_n", {n: total})},
              h("span", {class: "vote-dot", "aria-hidden": "true"}, "●"),
              String(total),
            ),
          );
        }
        if (canCast) {
          if (on > 0) {
            box.append(
              h(
                "button",
                {
                  class: "vote-btn retract",
                  "data-vote": "retract",
                  "data-target-id": item.id,
                  title: t("vote.retract"),
                  "aria-label": t("vote.retract_on", {item: item.label}),
                },
                "−",
              ),
              h("span", {class: "my-dots", title: t("vote.mine_n", {n: on}), "aria-label": t("vote.mine_n", {n: on})}, dots(on)),
            );
          }
          const full = left === 0 || on >= cap;
          box.append(
            h(
              "button",
              {
                class: `vote-btn cast${full ? " full" : ""}`,
                "data-vote": "cast",
                "data-target-id": item.id,
                title: full ? t("vote.no_dots_left", {n: round.budget}) : t("vote.cast"),
                "aria-label":
                  on > 0 ? t("vote.cast_on", {item: item.label}) : `${t("vote.cast_short")} · ${t("vote.cast_on", {item: item.label})}`,
              },
              on > 0 ? "+" : `+ ${t("vote.cast_short")}`,
            ),
          );
        } else if (on > 0 && !this.readOnly) {
          box.append(h("span", {class: "my-dots", title: t("vote.mine_n", {n: on})}, dots(on)));
        }
      }
    }
    for (const box of document.querySelectorAll(".vote-box")) if (!seen.has(box)) box.remove();
    for (const head of document.querySelectorAll(".step-head.voting"))
      if (!head.querySelector(".vote-box")) head.classList.remove("voting");
  }

  hostFor(target, id) {
    const esc = CSS.escape(id);
    if (target === "step") return document.querySelector(`#board .step-head[data-step-id="${esc}"]`);
    if (target === "card") {
      const card = document.querySelector(`#board [data-card-id="${esc}"]`);
      return card ? card.querySelector(".card-foot") || card : null;
    }
    const sheet = document.querySelector(`[data-chantier-id="${esc}"]`);
    return sheet ? sheet.querySelector(".sheet-votes, .sheet-foot") || sheet : null;
  }

  box(host, id) {
    let box = host.querySelector(":scope > .vote-box");
    if (!box) {
      box = h("div", {class: "vote-box no-drag", "data-testid": "vote-box", "data-target-id": id});
      host.appendChild(box);
    }
    if (host.classList.contains("step-head")) host.classList.add("voting");
    return box;
  }

  renderPanel(view, round) {
    const show = round && !round.open && Array.isArray(round.results) && !this.dismissed.has(round.id);
    this.panel.hidden = !show;
    if (!show) {
      this.shownResults = null;
      return;
    }
    const labels = round.results.map((r) => this.labelOf(view, round, r.target_id));
    const key = JSON.stringify([round, labels, this.runsRounds]);
    if (key === this.shownResults) return;
    this.shownResults = key;
    const max = Math.max(1, ...round.results.map((r) => r.votes));
    let rank = 0;
    let prev = null;
    const rows = round.results.map((r, i) => {
      if (r.votes !== prev) {
        rank = i + 1;
        prev = r.votes;
      }
      return h(
        "li",
        {class: "result", "data-target-id": r.target_id, "data-votes": String(r.votes)},
        h("span", {class: "result-rank"}, String(rank)),
        h("span", {class: "result-label"}, labels[i]),
        h("span", {class: "result-bar", "aria-hidden": "true"}, h("span", {style: `width:${Math.round((r.votes / max) * 100)}%`})),
        h("span", {class: "result-votes", title: t("vote.total_n", {n: r.votes})}, String(r.votes)),
      );
    });
    const voters = round.voters ?? null;
    const count = h("input", {
      type: "number",
      name: "count",
      min: "1",
      max: "50",
      value: String(Math.min(3, Math.max(1, round.results.length))),
      "aria-label": t("vote.promote_count"),
    });
    clear(this.panel).append(
      ...[
        h(
          "div",
          {class: "results-head"},
          h("h2", {}, t("vote.results_of", {what: t(`vote.target_${round.target}`)})),
          h("button", {class: "icon-btn", "data-action": "hide-results", "aria-label": t("common.close"), title: t("common.close")}, "✕"),
        ),
        h(
          "p",
          {class: "hint"},
          [
            t("vote.budget_was", {n: round.budget}),
            voters !== null ? ` · ${t("vote.voters_done", {n: voters})}` : "",
            round.secret ? ` · ${t("vote.secret_short")}` : "",
          ].join(""),
        ),
        rows.length ? h("ol", {class: "results-list"}, rows) : h("p", {class: "muted"}, t("vote.no_votes")),
        this.runsRounds && rows.length ? this.promoteRow(round, count) : null,
      ].filter(Boolean),
    );
  }

  promoteRow(round, count) {
    const button = h("button", {class: "primary small", "data-action": "promote", "data-testid": "promote"});
    const label = () => {
      button.textContent = `★ ${t(`vote.promote_${round.target}`, {n: Math.max(1, Number(count.value) || 1)})}`;
    };
    count.addEventListener("input", label);
    count.addEventListener("keydown", (e) => {
      if (e.key === "Enter") {
        e.preventDefault();
        button.click();
      }
    });
    label();
    return h("div", {class: "promote"}, h("label", {}, t("vote.promote_count"), count), button);
  }
}
