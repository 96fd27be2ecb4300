// Emotions and the mirror: each participant rates each step from −2 to +2 (`emotion.set`), from its own
// perspective; the board draws the customers' and the employees' average curves in the emotions lane
// (one SVG segment per cell, so the curve follows the step columns whatever their width), and the
// mirror view shows both curves, one's own ratings, participation per silo and the resonance matrix.
import {PAGE, clear, h, t, toast} from "./dom.js";
import {orderedSteps} from "./store.js";
import {choosesSide} from "./rights.js";
import {columns} from "./board-columns.js";
import {resonanceGrid} from "./resonance-grid.js";

const SVG = "http://www.w3.org/2000/svg";
export const SCORES = [-2, -1, 0, 1, 2];
const SCORE_KEY = {"-2": "emo.score_m2", "-1": "emo.score_m1", 0: "emo.score_0", 1: "emo.score_p1", 2: "emo.score_p2"};
const FACE_COLOR = {"-2": "#d64550", "-1": "#ef8a55", 0: "#aab3bf", 1: "#7cc46a", 2: "#2f9e55"};

/** An SVG element (h() makes HTML elements only). */
export function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) el.setAttribute(k, String(v));
  for (const c of children) if (c) el.appendChild(c);
  return el;
}

export function scoreLabel(score) {
  return t(SCORE_KEY[String(score)]);
}

/** A small drawn face for a score (no emoji font needed). */
export function face(score) {
  const mouth =
    score === 0
      ? svg("path", {d: "M6.4 13.4 L13.6 13.4"})
      : svg("path", {d: `M6 ${13 - score * 0.6} Q10 ${13 + score * 2.1} 14 ${13 - score * 0.6}`});
  return svg(
    "svg",
    {viewBox: "0 0 20 20", class: "face", "aria-hidden": "true", style: `--face:${FACE_COLOR[String(score)]}`},
    svg("circle", {cx: 10, cy: 10, r: 9, class: "face-bg"}),
    svg("circle", {cx: 7, cy: 8, r: 1.25, class: "face-eye"}),
    svg("circle", {cx: 13, cy: 8, r: 1.25, class: "face-eye"}),
    mouth,
  );
}

/** Per step: {customer: {average, count}, employee: {...}, mine}. */
export function emotionIndex(view) {
  const out = new Map();
  for (const row of (view.extra && view.extra.emotions) || []) {
    if (!out.has(row.step_id)) out.set(row.step_id, {customer: null, employee: null, mine: null});
    const entry = out.get(row.step_id);
    entry[row.perspective] = {average: row.average, count: row.count};
    if (row.mine !== null && row.mine !== undefined) entry.mine = row.mine;
  }
  return out;
}

export function resonanceIndex(view) {
  return new Map(((view.extra && view.extra.resonance) || []).map((r) => [r.step_id, r]));
}

const fmt = (x) =>
  x === null || x === undefined
    ? "–"
    : (x > 0 ? "+" : "") + x.toLocaleString(document.documentElement.lang || "fr", {maximumFractionDigits: 1}).replace("-", "−");

/** The five faces of one step; the pressed one is this browser's own rating (click it again to clear). */
export function faces(step, mine, {canRate, onRate}) {
  const group = h("div", {
    class: "emo-faces",
    role: "group",
    "aria-label": `${t("emo.rate")} — ${step.title}`,
    "data-emotion-step": step.id,
  });
  for (const score of SCORES) {
    const pressed = mine === score;
    const label = t("emo.rate_step", {step: step.title, label: scoreLabel(score)});
    const button = h(
      "button",
      {
        type: "button",
        class: "emo-face",
        "data-score": String(score),
        "aria-pressed": pressed ? "true" : "false",
        "aria-label": label,
        title: pressed ? `${scoreLabel(score)} — ${t("emo.clear_hint")}` : scoreLabel(score),
        disabled: !canRate,
      },
      face(score),
    );
    button.addEventListener("click", (e) => {
      e.stopPropagation();
      onRate(step.id, pressed ? null : score);
    });
    group.appendChild(button);
  }
  return group;
}

const Y = (avg, top, height) => top + ((2 - avg) / 4) * height; // +2 at the top, −2 at the bottom

/** The board's emotions lanes: faces and the two curves in each cell. */
export class EmotionLane {
  constructor({board, conn, me}) {
    this.board = board;
    this.conn = conn;
    this.me = me;
    this.sigs = new WeakMap();
  }

  canRate() {
    return this.board.may("emotion.set");
  }

  rate(stepId, score) {
    this.conn.send({type: "emotion.set", step_id: stepId, score});
  }

  render(view) {
    const lanes = [...view.lanes.values()].filter((l) => l.kind === "emotions");
    if (!lanes.length) return;
    const cols = columns(view).map((c) => c.step);
    const index = emotionIndex(view);
    const canRate = this.canRate();
    for (const lane of lanes) {
      const head = this.board.root.querySelector(`.lane-head[data-lane-id="${CSS.escape(lane.id)}"]`);
      if (head && !head.querySelector(".emo-legend")) {
        head.appendChild(
          h(
            "span",
            {class: "emo-legend", "aria-hidden": "true"},
            h("span", {class: "emo-key customer"}, t("emo.customer")),
            h("span", {class: "emo-key employee"}, t("emo.employee")),
          ),
        );
      }
      cols.forEach((step, i) => {
        if (!step) return;
        const cell = this.board.root.querySelector(
          `[data-cell][data-lane-id="${CSS.escape(lane.id)}"][data-step-id="${CSS.escape(step.id)}"]`,
        );
        if (!cell) return;
        const here = index.get(step.id) || {};
        const prev = cols[i - 1] ? index.get(cols[i - 1].id) || {} : null;
        const next = cols[i + 1] ? index.get(cols[i + 1].id) || {} : null;
        const sig = JSON.stringify([step.title, here, prev, next, canRate]);
        let box = cell.querySelector(":scope > .emo");
        if (box && this.sigs.get(box) === sig) return;
        const fresh = this.cellWidget(step, here, prev, next, canRate);
        this.sigs.set(fresh, sig);
        // After the cards list: board.js keeps that list as the cell's first child.
        if (box) box.replaceWith(fresh);
        else cell.insertBefore(fresh, cell.querySelector(".add-card"));
        cell.classList.add("has-emotions");
      });
    }
  }

  cellWidget(step, here, prev, next, canRate) {
    const H = 64;
    const line = svg(
      "svg",
      {class: "emo-lines", viewBox: `0 0 100 ${H}`, preserveAspectRatio: "none", "aria-hidden": "true"},
      svg("line", {x1: 0, x2: 100, y1: Y(0, 6, H - 12), y2: Y(0, 6, H - 12), class: "emo-zero"}),
    );
    const dots = [];
    const titles = [];
    for (const side of PAGE.sides) {
      const v = here[side] ? here[side].average : null;
      if (v === null || v === undefined) {
        titles.push(t("emo.none", {side: t(`emo.${side}`)}));
        continue;
      }
      const y = Y(v, 6, H - 12);
      titles.push(t("emo.average", {side: t(`emo.${side}`), avg: fmt(v), n: here[side].count}));
      const pv = prev && prev[side] ? prev[side].average : null;
      const nv = next && next[side] ? next[side].average : null;
      const points = [];
      if (pv !== null && pv !== undefined) points.push([0, (y + Y(pv, 6, H - 12)) / 2]);
      points.push([50, y]);
      if (nv !== null && nv !== undefined) points.push([100, (y + Y(nv, 6, H - 12)) / 2]);
      line.appendChild(svg("polyline", {points: points.map((p) => p.join(",")).join(" "), class: `emo-line ${side}`}));
      dots.push(h("span", {class: `emo-dot ${side}`, style: `top:${(y / H) * 100}%`, "data-side": side, "data-average": String(v)}));
      dots.push(h("span", {class: `emo-val ${side}`, style: `top:${(y / H) * 100}%`}, fmt(v)));
    }
    const mine = here.mine ?? null;
    return h(
      "div",
      {class: "emo", "data-emotion-cell": step.id},
      h("div", {class: "emo-curve", title: titles.join("\n"), "aria-label": titles.join(" · "), role: "img"}, line, dots),
      faces(step, mine, {canRate, onRate: (id, score) => this.rate(id, score)}),
    );
  }
}

/** The chart of a mirror's two curves (here, and the Mirror listening panel's): the +2…−2 axis, the plot
 *  of `n` steps (its SVG `lines` and its `dots`), the steps' titles under it. */
export function mirrorChart({testid = null, n, lines, dots, steps}) {
  return h(
    "div",
    {class: "mirror-chart", "data-testid": testid},
    h("div", {class: "mirror-axis", "aria-hidden": "true"}, h("span", {}, "+2"), h("span", {}, "0"), h("span", {}, "−2")),
    h(
      "div",
      {class: "mirror-plot", style: `--n:${n}`},
      lines,
      dots,
      h(
        "div",
        {class: "mirror-steps"},
        steps.map((s) => h("span", {title: s.title}, s.title)),
      ),
    ),
  );
}

/** Blocks drawn after the mirror's own, `(box, view) => …` (the Mirror listening panel adds itself here). */
export const MIRROR_ADDONS = [];

/** The mirror view: the two curves, one's own ratings with participation per silo, the resonance matrix. */
export function renderMirror(box, view, options) {
  const {canRate, onRate, perspective, me} = options;
  const steps = orderedSteps(view);
  const index = emotionIndex(view);
  const res = resonanceIndex(view);
  clear(box);
  box.appendChild(h("p", {class: "sheet-lead"}, t("mirror.lead")));
  if (!steps.length) {
    box.appendChild(h("p", {class: "muted"}, t("mirror.no_steps")));
    return;
  }

  // The two curves over every step.
  const n = steps.length;
  const H = 150;
  const lines = svg("svg", {class: "mirror-lines", viewBox: `0 0 ${n * 100} ${H}`, preserveAspectRatio: "none", "aria-hidden": "true"});
  for (const level of [2, 1, 0, -1, -2]) {
    lines.appendChild(
      svg("line", {x1: 0, x2: n * 100, y1: Y(level, 12, H - 24), y2: Y(level, 12, H - 24), class: level === 0 ? "emo-zero" : "emo-grid"}),
    );
  }
  const dots = [];
  for (const side of PAGE.sides) {
    let run = [];
    const flush = () => {
      if (run.length > 1) lines.appendChild(svg("polyline", {points: run.join(" "), class: `emo-line ${side}`}));
      run = [];
    };
    steps.forEach((step, i) => {
      const v = index.get(step.id)?.[side]?.average;
      if (v === null || v === undefined) {
        flush();
        return;
      }
      const x = i * 100 + 50;
      const y = Y(v, 12, H - 24);
      run.push(`${x},${y}`);
      dots.push(
        h("span", {
          class: `emo-dot ${side}`,
          style: `left:${((i + 0.5) / n) * 100}%;top:${(y / H) * 100}%`,
          title: `${step.title} — ${t("emo.average", {side: t(`emo.${side}`), avg: fmt(v), n: index.get(step.id)[side].count})}`,
          "data-step-id": step.id,
          "data-side": side,
          "data-average": String(v),
        }),
      );
    });
    flush();
  }
  box.appendChild(
    h(
      "section",
      {class: "mirror-block"},
      h(
        "h3",
        {},
        t("mirror.curves"),
        h(
          "span",
          {class: "emo-legend"},
          h("span", {class: "emo-key customer"}, t("emo.customer")),
          h("span", {class: "emo-key employee"}, t("emo.employee")),
        ),
      ),
      mirrorChart({testid: "mirror-curves", n, lines, dots, steps}),
    ),
  );

  // One's own ratings, with the participation of each silo.
  const rows = h("div", {class: "mirror-rates"});
  for (const step of steps) {
    const here = index.get(step.id) || {};
    const r = res.get(step.id);
    rows.appendChild(
      h(
        "div",
        {class: "mirror-rate", "data-step-id": step.id},
        h("span", {class: "mirror-step-title"}, step.key_moment ? "★ " : "", step.title),
        faces(step, here.mine ?? null, {canRate, onRate}),
        h(
          "span",
          {class: "mirror-count", title: t("mirror.participation")},
          t("emo.counts", {c: here.customer ? here.customer.count : 0, e: here.employee ? here.employee.count : 0}),
        ),
        r && r.category
          ? h("span", {class: `res-chip res-${r.category}`}, t(`res.${r.category}`))
          : h("span", {class: "res-chip empty"}, ""),
      ),
    );
  }
  box.appendChild(
    h(
      "section",
      {class: "mirror-block"},
      h("h3", {}, t("mirror.mine")),
      me && choosesSide(me.role)
        ? sideChooser(box, view, options)
        : canRate
          ? h("p", {class: "hint"}, t("emo.as", {side: t(`perspective.${perspective || "customer"}`)}), " ", t("emo.clear_hint"))
          : null,
      rows,
    ),
  );

  // The resonance matrix: customer reading (rows) × employee reading (columns).
  const byCat = new Map(PAGE.resonance.map((r) => [r.category, []]));
  const undecided = [];
  for (const step of steps) {
    const r = res.get(step.id);
    if (r && r.category && byCat.has(r.category)) byCat.get(r.category).push(step);
    else undecided.push(step);
  }
  const grid = resonanceGrid({testid: "resonance", stepsOf: (category) => byCat.get(category), advice: true});
  box.appendChild(
    h(
      "section",
      {class: "mirror-block"},
      h("h3", {}, t("mirror.matrix")),
      grid,
      undecided.length
        ? h("p", {class: "hint res-undecided"}, t("mirror.undecided"), " ", undecided.map((s) => s.title).join(" · "))
        : null,
    ),
  );
  for (const addon of MIRROR_ADDONS) addon(box, view);
}

/** The facilitator's side (CONTRACT.md §6): none by default, so its ratings count in no average until
 *  it picks one (PATCH /api/me). Ratings already given keep their side; rating again moves them. */
function sideChooser(box, view, options) {
  const {me, token} = options;
  const side = me.perspective || null;
  const choose = async (next) => {
    try {
      const res = await fetch("/api/me", {
        method: "PATCH",
        body: JSON.stringify({perspective: next}),
        headers: {"Content-Type": "application/json", Authorization: `Bearer ${token}`},
      });
      if (!res.ok) throw new Error(String(res.status));
      me.perspective = (await res.json()).participant.perspective;
      renderMirror(box, view, {...options, perspective: me.perspective});
    } catch {
      toast(t("emo.side_failed"), "error");
    }
  };
  return h(
    "div",
    {class: "hint mirror-side", "data-testid": "my-side", "data-side": side || "none"},
    h("p", {}, side ? t("emo.side_facilitator", {side: t(`perspective.${side}`)}) : t("emo.side_none"), " ", t("emo.clear_hint")),
    h(
      "div",
      {class: "mirror-side-choice", role: "group", "aria-label": t("emo.side_choose")},
      h("span", {}, t("emo.side_choose")),
      " ",
      [...PAGE.sides, null].map((value) =>
        h(
          "button",
          {
            type: "button",
            class: "secondary small",
            "data-side-choice": value || "none",
            "aria-pressed": String(value === side),
            onclick: () => choose(value),
          },
          value ? t(`perspective.${value}`) : t("emo.side_off"),
        ),
      ),
    ),
  );
}
