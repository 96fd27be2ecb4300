// Mirror listening on the board (CONTRACT.md §7), drawn at the end of the Mirror tab (emotions.js calls
// its MIRROR_ADDONS): the facilitator creates a listening, hands out its two links and QR codes, closes
// or reopens it; every member sees the live counters and participation per silo, the two survey curves
// beside the workshop's own (a choice of which to show), the distribution per step, the survey's resonance
// matrix and the verbatims, which the facilitator may drop on the board as `verbatim` cards or hide.
// The results come from REST; `listening` events (no seq) say when to fetch them again.
import {PAGE, clear, h, t, toast, uuid} from "./dom.js";
import {MIRROR_ADDONS, emotionIndex, mirrorChart, svg} from "./emotions.js";
import {orderedLanes, orderedSteps} from "./store.js";
import {download} from "./exports.js";
import {resonanceGrid} from "./resonance-grid.js";
import {isFacilitator} from "./rights.js";

/** The least time between two full fetches of the results prompted by live events (ms). */
export const RESULTS_GAP_MS = 3000;

const SIDES = ["customer", "employee"];
const SHOW_KEY = "parcours.listening.show";
// Lanes a dropped verbatim goes to, by silo (first found), else the first lane that is not the emotions'.
const DROP_LANES = {
  customer: ["feels", "thinks", "irritants", "expectations", "customer_actions", "evidence"],
  employee: ["employee", "front_office", "back_office", "support", "irritants"],
};
const Y = (avg, top, height) => top + ((2 - avg) / 4) * height;
const fmt = (x) =>
  x === null || x === undefined
    ? "–"
    : (x > 0 ? "+" : "") + x.toLocaleString(PAGE.lang || "fr", {maximumFractionDigits: 2}).replace("-", "−");

/** One verbatim: its silo, step and score, its text, then `actions` (buttons; none: no actions box). */
function verbatimItem(v, titles, actions) {
  return h(
    "li",
    {"data-verbatim-id": v.id},
    h(
      "span",
      {class: "lst-v-meta"},
      [t(`emo.${v.silo}`), titles.get(v.step_id) || "", v.score === null ? null : fmt(v.score)].filter(Boolean).join(" · "),
    ),
    h("span", {class: "lst-v-text"}, v.text),
    actions.length ? h("span", {class: "lst-v-actions"}, actions) : null,
  );
}

function stylesheet() {
  if (document.querySelector("link[data-listening-css]")) return;
  document.head.appendChild(h("link", {rel: "stylesheet", href: "/static/css/listening.css", "data-listening-css": ""}));
}

export class ListeningPanel {
  constructor({conn, me, identity, mapId}) {
    this.conn = conn;
    this.me = me;
    this.token = identity.token;
    this.mapId = mapId;
    this.listenings = [];
    this.selectedId = null;
    this.results = null;
    this.view = null;
    this.loaded = false;
    this.fetchTimer = null;
    try {
      this.show = localStorage.getItem(SHOW_KEY) || "both";
    } catch {
      this.show = "both";
    }
    stylesheet();
    this.el = h("section", {class: "mirror-block lst", "data-testid": "listening-panel", "aria-labelledby": "lst-title"});
    this.head = h("div", {});
    this.createForm = this.isFacilitator ? this.buildCreate() : null;
    this.body = h("div", {"aria-live": "off"});
    this.el.append(this.head, this.createForm || "", this.body);
    MIRROR_ADDONS.push((box, view) => this.attach(box, view));
    conn.addEventListener("status", (e) => {
      if (e.detail === "online") this.hook();
    });
  }

  get isFacilitator() {
    return isFacilitator(this.me);
  }
  get selected() {
    return this.listenings.find((l) => l.id === this.selectedId) || null;
  }

  /** Listen to `listening` events once the socket exists; after a reconnect, fetch what was missed. */
  hook() {
    if (this.conn.socket && !this.hooked) {
      this.hooked = true;
      this.conn.socket.on("listening", (ev) => this.onEvent(ev));
    }
    if (this.loaded) this.refresh();
  }

  attach(box, view) {
    this.view = view;
    box.appendChild(this.el);
    if (!this.loaded) {
      this.loaded = true;
      this.refresh();
    } else if (this.stale) {
      this.stale = false;
      this.fetchResults().catch(() => {});
    } else this.draw();
  }

  async api(method, path, body) {
    const res = await fetch(path, {
      method,
      headers: {Authorization: `Bearer ${this.token}`, "Content-Type": "application/json"},
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error((data.error && data.error.message) || res.statusText);
    return data;
  }

  async refresh() {
    try {
      this.listenings = (await this.api("GET", `/api/maps/${this.mapId}/listenings`)).listenings;
      if (!this.selected) this.selectedId = this.listenings.length ? this.listenings[this.listenings.length - 1].id : null;
      await this.fetchResults();
    } catch (err) {
      toast(err.message, "error");
    }
  }

  async fetchResults() {
    const id = this.selectedId;
    // Fetches overlap (live events, a save): only the answer to the latest one is drawn, or an older
    // answer arriving last would bring back what a save just changed.
    const ticket = (this.fetchTicket = (this.fetchTicket || 0) + 1);
    this.results = null;
    if (id) {
      // The facilitator also gets the hidden verbatims, to show them again (moderation).
      const data = await this.api("GET", `/api/listenings/${id}${this.isFacilitator ? "?moderation=1" : ""}`);
      if (id !== this.selectedId || ticket !== this.fetchTicket) return;
      this.results = data.results;
      this.hiddenVerbatims = data.hidden_verbatims || [];
      const i = this.listenings.findIndex((l) => l.id === id);
      if (i >= 0) this.listenings[i] = data.listening;
    }
    this.draw();
  }

  /** Counters move at once; the curves and verbatims follow with one fetch (events come ≤ 1 a second). */
  onEvent(ev) {
    if (!ev || ev.map_id !== this.mapId || !this.loaded) return; // fetched when the Mirror tab first opens
    if (!this.listenings.some((l) => l.id === ev.listening_id)) {
      this.refresh();
      return;
    }
    if (ev.listening_id !== this.selectedId) return;
    if (this.results) {
      for (const side of SIDES) if (ev.silos[side]) this.results.silos[side].responses = ev.silos[side].responses;
      this.drawCounts();
    }
    // The full results only for a panel in sight: a closed drawer fetches them when it opens again.
    if (!this.visible) {
      this.stale = true;
      return;
    }
    // At most one full fetch every RESULTS_GAP_MS while answers pour in: ten open panels fetching on
    // every event made the board's own fan-out p99 ×2.3 (docs/performance.md); the counters above
    // still move with each event, and the last change is always fetched.
    if (this.fetchTimer) return;
    const wait = Math.max(250, (this.lastFetch || 0) + RESULTS_GAP_MS - Date.now());
    this.fetchTimer = setTimeout(() => {
      this.fetchTimer = null;
      this.lastFetch = Date.now();
      this.fetchResults().catch(() => {});
    }, wait);
  }

  get visible() {
    return this.el.isConnected && !this.el.closest("[hidden]");
  }

  // -- the facilitator's controls --------------------------------------------------------------------

  buildCreate() {
    const title = h("input", {name: "lst-title", maxlength: "200", placeholder: t("lst.new_title")});
    const customers = h("input", {name: "lst-invited-customer", type: "number", min: "0", inputmode: "numeric"});
    const employees = h("input", {name: "lst-invited-employee", type: "number", min: "0", inputmode: "numeric"});
    const form = h(
      "form",
      {class: "lst-create", "data-testid": "listening-create"},
      h("label", {}, t("lst.new_title"), title),
      h("label", {}, t("lst.invited_customer"), customers),
      h("label", {}, t("lst.invited_employee"), employees),
      h("button", {type: "submit", class: "primary small", "data-action": "create-listening"}, t("lst.create")),
    );
    form.addEventListener("input", () => {
      form.dataset.dirty = "1";
    });
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const invited = {};
      if (customers.value !== "") invited.customer = Math.max(0, parseInt(customers.value, 10) || 0);
      if (employees.value !== "") invited.employee = Math.max(0, parseInt(employees.value, 10) || 0);
      const body = {title: title.value.trim() || t("lst.untitled", {date: new Date().toLocaleDateString(PAGE.lang)}), invited};
      try {
        const {listening} = await this.api("POST", `/api/maps/${this.mapId}/listenings`, body);
        this.listenings.push(listening);
        this.selectedId = listening.id;
        form.reset();
        await this.fetchResults();
      } catch (err) {
        toast(err.message, "error");
      }
    });
    return form;
  }

  async setStatus(status) {
    try {
      const {listening} = await this.api("PATCH", `/api/listenings/${this.selectedId}`, {status});
      this.listenings = this.listenings.map((l) => (l.id === listening.id ? listening : l));
      this.draw();
    } catch (err) {
      toast(err.message, "error");
    }
  }

  async hide(verbatim, hidden = true) {
    try {
      await this.api("PATCH", `/api/listenings/${this.selectedId}/verbatims/${verbatim.id}`, {hidden});
      toast(t(hidden ? "lst.hidden" : "lst.unhidden"));
      await this.fetchResults();
    } catch (err) {
      toast(err.message, "error");
    }
  }

  /** The invited counts of the selected listening, editable after creation (participation follows).
   *  Built once per listening: the live redraws (≤ 1 a second) must not wipe what is being typed. */
  invitedForm(li) {
    if (this.invitedEl && this.invitedEl.dataset.listeningId === li.id) {
      // What is typed stays until saved: a redraw moves the form, which can take its focus away.
      if (!this.invitedEl.contains(document.activeElement) && !this.invitedEl.dataset.dirty) {
        for (const side of SIDES) this.invitedEl.elements[`lst-edit-invited-${side}`].value = li.invited[side] ?? "";
      }
      return this.invitedEl;
    }
    const inputs = SIDES.map((side) =>
      h("input", {
        name: `lst-edit-invited-${side}`,
        type: "number",
        min: "0",
        max: "10000000",
        inputmode: "numeric",
        value: li.invited[side] ?? "",
      }),
    );
    const form = h(
      "form",
      {class: "lst-invited", "data-testid": "listening-invited", "data-listening-id": li.id},
      h("span", {class: "lst-invited-title"}, t("lst.invited_edit")),
      SIDES.map((side, k) => h("label", {}, t(`lst.invited_${side}`), inputs[k])),
      h("button", {type: "submit", class: "secondary small", "data-action": "save-invited"}, t("lst.invited_save")),
    );
    form.addEventListener("input", () => {
      form.dataset.dirty = "1";
    });
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      // An empty field means "not given": its participation is not computed (null).
      const invited = Object.fromEntries(
        SIDES.map((side, k) => [side, inputs[k].value === "" ? null : Math.max(0, parseInt(inputs[k].value, 10) || 0)]),
      );
      try {
        const {listening} = await this.api("PATCH", `/api/listenings/${li.id}`, {invited});
        delete form.dataset.dirty;
        this.listenings = this.listenings.map((l) => (l.id === listening.id ? listening : l));
        document.activeElement?.blur?.();
        toast(t("lst.invited_saved"));
        await this.fetchResults();
      } catch (err) {
        toast(err.message, "error");
      }
    });
    this.invitedEl = form;
    return form;
  }

  drop(verbatim) {
    const lanes = orderedLanes(this.view).filter((l) => l.kind !== "emotions");
    const lane = (DROP_LANES[verbatim.silo] || []).map((k) => lanes.find((l) => l.kind === k)).find(Boolean) || lanes[0];
    if (!lane) {
      toast(t("lst.no_lane"), "error");
      return;
    }
    this.conn.send({
      type: "card.add",
      id: uuid(),
      lane_id: lane.id,
      step_id: verbatim.step_id,
      kind: "verbatim",
      text: verbatim.text,
      perspective: verbatim.silo,
    });
    toast(t("lst.dropped"));
  }

  // -- drawing ----------------------------------------------------------------------------------------

  draw() {
    clear(this.head).append(h("h3", {id: "lst-title"}, t("lst.title")), h("p", {class: "hint"}, t("lst.lead")));
    const box = clear(this.body);
    if (!this.listenings.length) {
      box.appendChild(h("p", {class: "muted"}, t("lst.none")));
      return;
    }
    const li = this.selected;
    if (this.listenings.length > 1) {
      const select = h(
        "select",
        {"aria-label": t("lst.select"), "data-testid": "listening-select"},
        this.listenings.map((l) => h("option", {value: l.id, selected: l.id === this.selectedId}, l.title || l.id.slice(0, 8))),
      );
      select.addEventListener("change", () => {
        this.selectedId = select.value;
        this.fetchResults();
      });
      box.appendChild(select);
    }
    box.appendChild(
      h(
        "div",
        {class: "lst-head"},
        h("strong", {}, li.title),
        h("span", {class: `lst-status ${li.status}`, "data-testid": "listening-status"}, t(`lst.${li.status}`)),
        this.isFacilitator
          ? h(
              "button",
              {
                type: "button",
                class: "secondary small",
                "data-action": "toggle-listening",
                onclick: () => this.setStatus(li.status === "open" ? "closed" : "open"),
              },
              t(li.status === "open" ? "lst.close" : "lst.reopen"),
            )
          : null,
        this.isFacilitator
          ? h(
              "button",
              {
                type: "button",
                class: "secondary small",
                "data-action": "listening-csv",
                onclick: () =>
                  download(`/api/listenings/${li.id}/export/responses.csv`, this.token, "responses.csv").catch((e) =>
                    toast(e.message, "error"),
                  ),
              },
              t("lst.csv"),
            )
          : null,
      ),
    );
    if (this.isFacilitator) box.appendChild(this.invitedForm(li));
    this.silosEl = h("div", {class: "lst-silos"});
    box.appendChild(this.silosEl);
    this.drawCounts();
    if (!this.results || !this.view) return;
    box.appendChild(this.curves());
    box.appendChild(this.matrix());
    box.appendChild(this.verbatims());
  }

  drawCounts() {
    const li = this.selected;
    if (!li || !this.silosEl) return;
    clear(this.silosEl);
    for (const side of SIDES) {
      const s = this.results ? this.results.silos[side] : {responses: 0, invited: li.invited[side], participation: null};
      const card = h(
        "div",
        {class: "lst-silo", "data-silo": side},
        h("span", {class: "emo-key " + side}, t(`emo.${side}`)),
        h("span", {class: "lst-count", "data-testid": `listening-count-${side}`}, String(s.responses)),
        h(
          "span",
          {class: "lst-part"},
          t("lst.responses", {n: s.responses}),
          s.participation !== null && s.participation !== undefined
            ? ` · ${t("lst.participation", {p: Math.round(s.participation * 100), invited: s.invited})}`
            : "",
        ),
      );
      if (li.urls) {
        const input = h("input", {
          readonly: true,
          value: li.urls[side],
          "aria-label": t(`lst.link_${side}`),
          "data-testid": `listening-url-${side}`,
        });
        card.append(
          h("span", {class: "lst-part"}, t(`lst.link_${side}`)),
          h(
            "span",
            {class: "lst-link"},
            input,
            h(
              "button",
              {
                type: "button",
                class: "secondary small",
                onclick: async () => {
                  try {
                    await navigator.clipboard.writeText(li.urls[side]);
                    toast(t("lst.copied"));
                  } catch {
                    input.select();
                  }
                },
              },
              t("lst.copy"),
            ),
          ),
          h("img", {
            class: "qr",
            src: `/qr/listen/${li.codes[side]}.svg`,
            alt: t("lst.qr_alt", {silo: t(`emo.${side}`)}),
            width: "120",
            height: "120",
          }),
        );
      }
      this.silosEl.appendChild(card);
    }
  }

  /** The workshop's curves and the survey's, over the map's steps; which ones is the viewer's choice. */
  curves() {
    const steps = orderedSteps(this.view);
    const n = Math.max(steps.length, 1);
    const H = 150;
    const workshop = emotionIndex(this.view);
    const survey = new Map(this.results.steps.map((r) => [r.step_id, r]));
    const lines = svg("svg", {class: "mirror-lines", viewBox: `0 0 ${n * 100} ${H}`, preserveAspectRatio: "none", "aria-hidden": "true"});
    for (const level of [2, 1, 0, -1, -2]) {
      lines.appendChild(
        svg("line", {x1: 0, x2: n * 100, y1: Y(level, 12, H - 24), y2: Y(level, 12, H - 24), class: level === 0 ? "emo-zero" : "emo-grid"}),
      );
    }
    const dist = h("p", {class: "lst-dist", "aria-live": "polite", "data-testid": "listening-distribution"});
    const dots = [];
    const series = [];
    if (this.show !== "survey")
      for (const side of SIDES) series.push({side, kind: "workshop", avg: (s) => workshop.get(s.id)?.[side]?.average});
    if (this.show !== "workshop")
      for (const side of SIDES) series.push({side, kind: "survey", avg: (s) => survey.get(s.id)?.[side]?.average});
    for (const {side, kind, avg} of series) {
      let run = [];
      const flush = () => {
        if (run.length > 1) lines.appendChild(svg("polyline", {points: run.join(" "), class: `emo-line ${side} ${kind}`}));
        run = [];
      };
      steps.forEach((step, i) => {
        const v = avg(step);
        if (v === null || v === undefined) {
          flush();
          return;
        }
        const y = Y(v, 12, H - 24);
        run.push(`${i * 100 + 50},${y}`);
        const style = `left:${((i + 0.5) / n) * 100}%;top:${(y / H) * 100}%`;
        if (kind === "workshop") {
          dots.push(h("span", {class: `emo-dot ${side}`, style, "data-step-id": step.id, "data-side": side, "aria-hidden": "true"}));
          return;
        }
        const a = survey.get(step.id)[side];
        const label = t("lst.distribution", {
          step: step.title,
          silo: t(`emo.${side}`),
          avg: fmt(a.average),
          ratings: t("lst.ratings_n", {n: a.count}),
          times: t("lst.times_n", {n: a.important}),
        });
        const dot = h("button", {
          type: "button",
          class: `emo-dot survey ${side}`,
          style,
          "aria-label": label,
          title: label,
          "data-testid": "survey-dot",
          "data-step-id": step.id,
          "data-side": side,
          "data-average": String(a.average),
        });
        const showIt = () => {
          clear(dist).append(label, " ");
          const max = Math.max(1, ...a.distribution);
          a.distribution.forEach((count, k) =>
            dist.appendChild(h("span", {class: "bar", title: `${k - 2}: ${count}`, style: `height:${4 + (count / max) * 14}px`})),
          );
          dist.appendChild(h("span", {class: "muted"}, ` [${a.distribution.join(" · ")}]`));
        };
        dot.addEventListener("mouseenter", showIt);
        dot.addEventListener("focus", showIt);
        dot.addEventListener("click", showIt);
        dots.push(dot);
      });
      flush();
    }
    const choice = h(
      "fieldset",
      {class: "lst-show"},
      h("legend", {}, t("lst.show")),
      ["workshop", "survey", "both"].map((value) =>
        h(
          "label",
          {},
          h("input", {
            type: "radio",
            name: "lst-show",
            value,
            checked: this.show === value,
            onchange: () => {
              this.show = value;
              try {
                localStorage.setItem(SHOW_KEY, value);
              } catch {
                /* ignore */
              }
              this.draw();
            },
          }),
          " ",
          t(`lst.show_${value}`),
        ),
      ),
    );
    const legend = h(
      "span",
      {class: "emo-legend"},
      this.show !== "survey" ? SIDES.map((s) => h("span", {class: `emo-key ${s}`}, t(`lst.workshop_${s}`))) : null,
      this.show !== "workshop" ? SIDES.map((s) => h("span", {class: `emo-key ${s} survey`}, t(`lst.survey_${s}`))) : null,
    );
    return h("div", {"data-testid": "listening-curves"}, choice, legend, mirrorChart({n, lines, dots, steps}), dist);
  }

  /** The six situations, as the server placed each step from the survey's averages. */
  matrix() {
    const titles = new Map(orderedSteps(this.view).map((s) => [s.id, s.title]));
    const byCat = new Map(PAGE.resonance.map((r) => [r.category, []]));
    for (const row of this.results.steps) if (row.category && byCat.has(row.category)) byCat.get(row.category).push(row.step_id);
    const grid = resonanceGrid({
      testid: "listening-resonance",
      stepsOf: (category) => byCat.get(category).map((id) => ({id, title: titles.get(id) || ""})),
    });
    return h("div", {class: "mirror-block"}, h("h3", {}, t("lst.matrix")), grid);
  }

  verbatims() {
    const titles = new Map(orderedSteps(this.view).map((s) => [s.id, s.title]));
    const list = h("ul", {class: "lst-verbatims", "data-testid": "listening-verbatims"});
    for (const v of this.results.verbatims) {
      list.appendChild(
        verbatimItem(
          v,
          titles,
          this.isFacilitator
            ? [
                h(
                  "button",
                  {type: "button", class: "secondary small", "data-action": "drop-verbatim", onclick: () => this.drop(v)},
                  t("lst.drop"),
                ),
                h(
                  "button",
                  {type: "button", class: "secondary small", "data-action": "hide-verbatim", onclick: () => this.hide(v)},
                  t("lst.hide"),
                ),
              ]
            : [],
        ),
      );
    }
    return h(
      "div",
      {class: "mirror-block"},
      h("h3", {}, t("lst.verbatims")),
      this.results.verbatims.length ? list : h("p", {class: "muted"}, t("lst.no_verbatims")),
      this.isFacilitator ? this.hiddenList(titles) : null,
    );
  }

  /** The facilitator's hidden verbatims, each with a button that shows it again. */
  hiddenList(titles) {
    const hidden = this.hiddenVerbatims || [];
    if (!hidden.length) return null;
    const list = h("ul", {class: "lst-verbatims lst-hidden", "data-testid": "listening-hidden-verbatims"});
    for (const v of hidden) {
      list.appendChild(
        verbatimItem(v, titles, [
          h(
            "button",
            {type: "button", class: "secondary small", "data-action": "unhide-verbatim", onclick: () => this.hide(v, false)},
            t("lst.unhide"),
          ),
        ]),
      );
    }
    // Redrawn on every live update: it stays open once the facilitator opened it.
    const box = h(
      "details",
      {class: "lst-hidden-box", open: this.hiddenOpen === true},
      h("summary", {"data-action": "show-hidden-verbatims"}, t("lst.hidden_title", {n: hidden.length})),
      h("p", {class: "hint"}, t("lst.hidden_lead")),
      list,
    );
    box.addEventListener("toggle", () => {
      this.hiddenOpen = box.open;
    });
    return box;
  }
}
