// The phase bar under the top bar, on every screen: what to do now (one line per phase), the card
// kinds that fit the phase, silent writing and focus at a glance; for the facilitator, quick timers
// (3/5/10 min, labelled with the phase) and the release of the focus. The vote controls live in a
// slot of this bar (voting.js fills it).
import {PAGE, h, t} from "./dom.js";
import {TimerTools} from "./room.js";
import {roleMay} from "./rights.js";

/** The kinds for the add-card editor: {fit: [...], other: [...]} (fit empty: one plain list). */
export function kindsFor(phase) {
  // The card kinds each phase asks for, best first: workshop/lists.py PHASE_CARD_KINDS.
  const fit = (PAGE.phase_card_kinds[phase] || []).filter((k) => PAGE.card_kinds.includes(k));
  return {fit, other: PAGE.card_kinds.filter((k) => !fit.includes(k))};
}

/** The kind a new card starts with. A typed lane (Irritants, Touchpoints…: its cards are not plain
 *  notes) keeps its own kind whatever the phase; a plain lane takes the phase's first kind. */
export function defaultKindFor(phase, laneKind) {
  const {fit} = kindsFor(phase);
  if (laneKind !== "note" || !fit.length || fit.includes(laneKind)) return laneKind;
  return fit[0];
}

const TIMER_PRESETS = [3, 5, 10];

export class PhaseBar {
  constructor({conn, me, readOnly = false, after}) {
    this.conn = conn;
    this.me = me;
    this.readOnly = readOnly;
    // What this bar offers comes from the roles of the ops it sends (rights.js); the present page offers none.
    this.leads = !readOnly && roleMay("phase.set", me.role); // the guide line for who walks the phases
    this.runsTimers = !readOnly && roleMay("timer.start", me.role);
    this.setsFocus = !readOnly && roleMay("focus.set", me.role);
    this.name = h("span", {class: "phase-name"});
    this.text = h("span", {class: "phase-text", "data-testid": "phase-guide"});
    this.silent = h("span", {class: "chip chip-silent", "data-testid": "silent-mode", hidden: true});
    this.focus = h("span", {class: "chip chip-focus", "data-testid": "focus-chip", hidden: true});
    this.voteSlot = h("div", {class: "vote-slot", "data-testid": "vote-slot"});
    this.tools = h("div", {class: "phase-tools"});
    this.el = h(
      "div",
      {class: "phase-bar", id: "phase-bar", "data-testid": "phase-bar", role: "region", "aria-label": t("phasebar.label")},
      h("div", {class: "phase-guide"}, this.name, this.text),
      this.silent,
      this.focus,
      this.voteSlot,
      this.tools,
    );
    if (this.runsTimers) {
      this.timers = h(
        "span",
        {class: "quick-timers", role: "group", "aria-label": t("phasebar.quick_timer")},
        h("span", {class: "quick-label", "aria-hidden": "true"}, t("fac.timer")),
        TIMER_PRESETS.map((m) =>
          h(
            "button",
            {
              class: "tool small-tool",
              "data-action": "quick-timer",
              "data-minutes": String(m),
              title: t("phasebar.timer_n", {n: m}),
              "aria-label": t("phasebar.timer_n", {n: m}),
            },
            `${m}′`,
          ),
        ),
        (this.stopTimer = h(
          "button",
          {
            class: "tool small-tool",
            "data-action": "quick-timer-stop",
            hidden: true,
            title: t("fac.timer_stop"),
            "aria-label": t("fac.timer_stop"),
          },
          "■",
        )),
      );
      this.timerTools = new TimerTools(conn); // pause / resume, +1 minute
      this.timers.append(...this.timerTools.el);
      this.tools.appendChild(this.timers);
    }
    if (this.runsTimers || this.setsFocus) this.el.addEventListener("click", (e) => this.onClick(e));
    after.after(this.el);
  }

  onClick(e) {
    const target = e.target.closest("[data-action]");
    if (!target) return;
    const view = this.conn.view();
    if (!view) return;
    switch (target.dataset.action) {
      case "quick-timer": {
        const op = {type: "timer.start", seconds: Number(target.dataset.minutes) * 60};
        const phase = view.map.phase;
        if (phase && phase !== "setup" && phase !== "closed") op.label = t(`phase.${phase}`);
        this.conn.send(op);
        break;
      }
      case "quick-timer-stop":
        this.conn.send({type: "timer.stop"});
        break;
      case "release-focus":
        this.conn.send({type: "focus.set", step_id: null});
        break;
      default:
        break;
    }
  }

  render(view) {
    const phase = view.map.phase || "setup";
    this.el.dataset.phase = phase;
    this.name.textContent = t(`phase.${phase}`);
    const role = this.leads ? "facilitator" : "participant";
    const line = t(`guide.${phase}.${role}`);
    this.text.textContent = line;
    this.text.title = line;

    const silent = !!view.map.silent_writing;
    this.silent.hidden = !silent;
    if (silent) {
      this.silent.textContent = `✎ ${t("fac.silent_short")}`;
      this.silent.title = `${t("fac.silent")} — ${t("phasebar.silent_hint")}`;
    }

    const step = view.map.focus_step_id ? view.steps.get(view.map.focus_step_id) : null;
    this.focus.hidden = !step;
    if (step) {
      const key = JSON.stringify([step.id, step.title]);
      if (this.focusKey !== key) {
        this.focusKey = key;
        this.focus.replaceChildren(h("span", {class: "chip-text"}, `◎ ${t("phasebar.focus", {step: step.title})}`));
        if (this.setsFocus) {
          this.focus.appendChild(
            h("button", {class: "link", "data-action": "release-focus", "data-testid": "release-focus"}, t("phasebar.release")),
          );
        }
      }
    } else this.focusKey = null;

    if (this.stopTimer) this.stopTimer.hidden = !view.timer;
    if (this.timerTools) this.timerTools.update(view);
  }
}
