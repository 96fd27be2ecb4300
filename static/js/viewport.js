// Zoom and "fit the map to the screen", on the board and on the projector; for the facilitator,
// "bring everyone here" (one shot) and "follow me" (until released). A view is {zoom, fit, step_id,
// lane_id}: the zoom and the cell at the centre of the screen, so that screens of any size show the
// same place. It travels as a transient `viewport` signal (no op, no seq: workshop/viewport.py says why).
// The zoom is CSS `zoom` on the grid: unlike a transform it keeps sticky headers and scroll extents right.
import {h, t, toast} from "./dom.js";
import {isFacilitator} from "./rights.js";

export const MIN_ZOOM = 0.25; // as workshop/viewport.py
export const MAX_ZOOM = 3;
const FIT_MAX = 1.5; // fitting a small map enlarges it, up to this
const STEPS = [0.25, 0.33, 0.5, 0.67, 0.75, 0.9, 1, 1.1, 1.25, 1.5, 2, 3];
const SEND_EVERY = 250; // ms between two follow-me updates (≤ 4 a second; the server allows 5)
const HEARTBEAT = 4000; // ms: while following, someone who joins late catches up within this
const LOST = 3 * HEARTBEAT; // ms without a word from the leader (tab closed, offline): stop following

const clamp = (z) => Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, Number(z) || 1));
const typing = (el) => !!(el && el.closest && el.closest("input, textarea, select, [contenteditable], dialog"));

export class Viewport {
  /** lead: this screen may bring the others here (the facilitator's board, never the projector). */
  constructor({board, conn, me, page = "board", lead = false, defaultFit = false}) {
    this.board = board;
    this.conn = conn;
    this.me = me;
    this.lead = lead && isFacilitator(me);
    this.storeKey = `parcours:view:${page}:${conn.mapId}`;
    const saved = readSaved(this.storeKey);
    this.zoom = saved ? clamp(saved.zoom) : 1;
    this.fit = saved ? !!saved.fit : defaultFit;
    this.following = null; // {id, name} of the facilitator this screen follows
    this.optedOut = false; // this person stopped following; a new "bring" brings them back
    this.leading = false; // "follow me" is on (this screen leads)
    this.started = false;
    this.lastNatural = null;
    this.build();
    board.wrap.addEventListener("scroll", () => this.moved(), {passive: true});
    // Ctrl + wheel (and a trackpad's pinch) zooms the map rather than the whole page.
    board.wrap.addEventListener("wheel", (e) => this.onWheel(e), {passive: false});
    window.addEventListener("resize", () => {
      if (this.fit) this.fitNow();
      this.pads();
    });
    document.addEventListener("keydown", (e) => this.onKey(e));
    conn.addEventListener("status", (e) => {
      if (e.detail === "online") this.attach();
    });
    setInterval(() => {
      if (this.following && Date.now() - this.lastHeard > LOST) {
        this.following = null;
        this.renderBar();
      }
    }, HEARTBEAT);
  }

  // -- the controls -------------------------------------------------------------------------------

  build() {
    const button = (action, label, text, extra = {}) =>
      h(
        "button",
        {type: "button", class: "view-btn", "data-action": action, "data-testid": action, title: label, "aria-label": label, ...extra},
        text,
      );
    // Its name is what it shows (the level, as WCAG 2.5.3 asks); what a click does is its description.
    this.level = h("button", {
      type: "button",
      class: "view-level",
      "data-action": "zoom-reset",
      "data-testid": "zoom-level",
      title: t("zoom.reset"),
    });
    this.fitBtn = button("zoom-fit", t("zoom.fit"), h("span", {class: "view-long"}, t("zoom.fit_short")), {"aria-pressed": "false"});
    this.fitBtn.prepend(h("span", {"aria-hidden": "true"}, "⤢ "));
    const tools = [button("zoom-out", t("zoom.out"), "−"), this.level, button("zoom-in", t("zoom.in"), "+"), this.fitBtn];
    if (this.lead) {
      this.bringBtn = button(
        "bring-here",
        `${t("view.bring")} — ${t("view.bring_hint")}`,
        h("span", {class: "view-long"}, t("view.bring")),
      );
      this.bringBtn.prepend(h("span", {"aria-hidden": "true"}, "⊙ "));
      this.followBtn = button(
        "follow-me",
        `${t("view.follow")} — ${t("view.follow_hint")}`,
        h("span", {class: "view-long"}, t("view.follow")),
        {"aria-pressed": "false"},
      );
      this.followBtn.prepend(h("span", {"aria-hidden": "true"}, "◉ "));
      tools.push(h("span", {class: "view-sep", "aria-hidden": "true"}), this.bringBtn, this.followBtn);
    }
    this.chipText = h("span", {class: "view-chip-text"});
    this.chip = h(
      "div",
      {class: "view-chip", "data-testid": "following", role: "status", hidden: true},
      this.chipText,
      h(
        "button",
        {type: "button", class: "link", "data-action": "stop-following", "data-testid": "stop-following"},
        t("view.stop_following"),
      ),
    );
    // A named region (a landmark, so nothing on the page sits outside one) holding the zoom toolbar.
    this.el = h(
      "section",
      {class: "view-bar", "data-testid": "view-bar", "aria-label": t("zoom.label")},
      this.chip,
      h("div", {class: "view-tools", role: "toolbar", "aria-label": t("zoom.label")}, tools),
    );
    this.el.addEventListener("click", (e) => this.onClick(e));
    document.body.appendChild(this.el);
    this.renderBar();
  }

  onClick(e) {
    const action = e.target.closest("[data-action]")?.dataset.action;
    switch (action) {
      case "zoom-in":
        this.step(1);
        break;
      case "zoom-out":
        this.step(-1);
        break;
      case "zoom-reset":
        this.setZoom(1);
        break;
      case "zoom-fit":
        if (this.fit) this.setZoom(this.zoom);
        else this.setFit();
        break;
      case "bring-here":
        this.send(false);
        toast(t("view.sent"));
        break;
      case "follow-me":
        this.setLeading(!this.leading);
        break;
      case "stop-following":
        this.optedOut = true;
        this.following = null;
        this.renderBar();
        break;
      default:
        break;
    }
  }

  onKey(e) {
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented || typing(e.target)) return;
    if (e.key === "+" || e.key === "=") this.step(1);
    else if (e.key === "-" || e.key === "_") this.step(-1);
    else if (e.shiftKey && e.code === "Digit1") this.setFit();
    else if (e.shiftKey && e.code === "Digit0") this.setZoom(1);
    else return;
    e.preventDefault();
  }

  onWheel(e) {
    if (!e.ctrlKey) return;
    e.preventDefault();
    this.setZoom(this.zoom * Math.exp(-e.deltaY * 0.002));
  }

  renderBar() {
    this.level.textContent = t("zoom.percent", {n: Math.round(this.zoom * 100)});
    this.fitBtn.setAttribute("aria-pressed", this.fit ? "true" : "false");
    if (this.followBtn) this.followBtn.setAttribute("aria-pressed", this.leading ? "true" : "false");
    this.chip.hidden = !this.following;
    if (this.following) this.chipText.textContent = t("view.following", {name: this.following.name});
    this.board.wrap.dataset.zoom = String(Math.round(this.zoom * 100));
  }

  // -- zooming ------------------------------------------------------------------------------------

  /** Called after every board render: keeps the fit as cards come and go, and the sticky paddings. */
  render() {
    const view = this.conn.view();
    if (!this.started) {
      if (!view) return;
      this.started = true;
      const focus = view.map.focus_step_id;
      if (this.fit) this.fitNow();
      else this.apply(this.zoom);
      if (focus) this.centreOn({step_id: focus});
      this.renderBar();
      return;
    }
    if (this.fit) {
      const natural = Math.round(this.board.root.getBoundingClientRect().height / this.zoom);
      if (natural !== this.lastNatural) this.fitNow();
    }
    this.pads();
  }

  step(dir) {
    const z = this.zoom;
    const next = dir > 0 ? STEPS.find((s) => s > z + 0.001) : [...STEPS].reverse().find((s) => s < z - 0.001);
    this.setZoom(next ?? z);
  }

  setZoom(z, {anchor = this.centre()} = {}) {
    this.fit = false;
    this.apply(clamp(z));
    if (anchor) this.centreOn(anchor);
    this.changed();
  }

  setFit() {
    this.fit = true;
    this.fitNow();
    this.changed();
  }

  changed() {
    if (!this.following) localStorage.setItem(this.storeKey, JSON.stringify({zoom: this.zoom, fit: this.fit}));
    this.renderBar();
    this.moved();
  }

  apply(z) {
    this.zoom = z;
    this.board.zoom = z;
    this.board.root.style.zoom = String(z);
    this.board.root.style.setProperty("--z", String(z));
    this.board.fitColumns();
    this.pads();
  }

  /** The largest zoom at which every lane and every step shows without scrolling (the columns widen
   *  to the screen at each zoom, so the height is found by a few rounds). */
  fitNow() {
    const wrap = this.board.wrap;
    const width = wrap.clientWidth;
    const height = wrap.clientHeight;
    if (!width || !height) return;
    const root = this.board.root;
    const ncols = Number(root.style.getPropertyValue("--ncols") || 1);
    const laneW = parseFloat(getComputedStyle(root).getPropertyValue("--lane-w")) || 150;
    const minWidth = laneW + ncols * this.board.minColumn() + 52;
    const widthCap = width / minWidth;
    let z = Math.min(FIT_MAX, widthCap);
    for (let round = 0; round < 4; round++) {
      this.apply(clamp(z));
      const natural = root.getBoundingClientRect().height / this.zoom;
      const next = Math.min(FIT_MAX, widthCap, height / natural);
      if (Math.abs(next - this.zoom) < 0.005) break;
      z = next;
    }
    const natural = root.getBoundingClientRect().height / this.zoom;
    if (natural * this.zoom > height + 1) this.apply(clamp(height / natural));
    this.lastNatural = Math.round(root.getBoundingClientRect().height / this.zoom);
    wrap.scrollTo({left: 0, top: 0});
    this.renderBar();
  }

  /** The sticky corner (lane labels, stage and step heads), in screen pixels: the part of the screen
   *  that scrolling never uncovers. As scroll-padding, it keeps focus and editors out from under it. */
  pads() {
    const wrap = this.board.wrap;
    const corner = this.board.root.querySelector(".corner-step");
    if (!corner) return {left: 0, top: 0};
    const c = corner.getBoundingClientRect();
    const w = wrap.getBoundingClientRect();
    const pad = {left: Math.round(c.right - w.left), top: Math.round(c.bottom - w.top)};
    wrap.style.scrollPaddingLeft = `${pad.left}px`;
    wrap.style.scrollPaddingTop = `${pad.top}px`;
    return pad;
  }

  /** The step and lane at the centre of what this screen shows. */
  centre() {
    const root = this.board.root;
    if (!root.querySelector(".corner-step")) return null;
    const w = this.board.wrap.getBoundingClientRect();
    const pad = this.pads();
    const x = w.left + pad.left + (w.width - pad.left) / 2;
    const y = w.top + pad.top + (w.height - pad.top) / 2;
    const nearest = (selector, pos, attr) => {
      let best = null;
      let dist = Infinity;
      for (const el of root.querySelectorAll(selector)) {
        const r = el.getBoundingClientRect();
        const d = pos(r);
        if (d < dist) {
          dist = d;
          best = el.getAttribute(attr);
        }
      }
      return best;
    };
    const gap = (a, b, v) => (v < a ? a - v : v > b ? v - b : 0);
    return {
      step_id: nearest(".step-head[data-step-id]", (r) => gap(r.left, r.right, x), "data-step-id"),
      lane_id: nearest(".lane-head[data-lane-id]", (r) => gap(r.top, r.bottom, y), "data-lane-id"),
    };
  }

  centreOn({step_id = null, lane_id = null} = {}) {
    const root = this.board.root;
    const wrap = this.board.wrap;
    const w = wrap.getBoundingClientRect();
    const pad = this.pads();
    const col = step_id && root.querySelector(`.step-head[data-step-id="${CSS.escape(step_id)}"]`);
    const row = lane_id && root.querySelector(`.lane-head[data-lane-id="${CSS.escape(lane_id)}"]`);
    let {scrollLeft: left, scrollTop: top} = wrap;
    if (col) {
      const r = col.getBoundingClientRect();
      left += r.left + r.width / 2 - (w.left + pad.left + (w.width - pad.left) / 2);
    }
    if (row) {
      const r = row.getBoundingClientRect();
      top += r.top + r.height / 2 - (w.top + pad.top + (w.height - pad.top) / 2);
    }
    wrap.scrollTo({left: Math.max(0, left), top: Math.max(0, top)});
  }

  // -- bring everyone here, follow me ---------------------------------------------------------------

  attach() {
    const socket = this.conn.socket;
    if (!socket || this.socket === socket) return;
    this.socket = socket;
    socket.on("viewport", (v) => this.received(v));
    if (this.leading) this.send(true);
  }

  view(follow) {
    const c = this.centre() || {};
    return {
      map_id: this.conn.mapId,
      zoom: Math.round(this.zoom * 1000) / 1000,
      fit: this.fit,
      step_id: c.step_id || null,
      lane_id: c.lane_id || null,
      follow,
    };
  }

  send(follow = this.leading) {
    const socket = this.conn.socket;
    if (!socket || !socket.connected) {
      toast(t("view.offline"), "error");
      return;
    }
    this.lastSent = Date.now();
    socket.emit("viewport", this.view(follow), (ack) => {
      if (ack && !ack.ok && ack.error?.code !== "rate_limited") toast(ack.error.message || t("error.unknown"), "error");
    });
  }

  setLeading(on) {
    this.leading = on;
    clearInterval(this.heartbeat);
    if (on)
      this.heartbeat = setInterval(() => {
        if (Date.now() - (this.lastSent || 0) >= HEARTBEAT - 50) this.send(true);
      }, HEARTBEAT);
    this.send(on);
    toast(t(on ? "view.follow_on" : "view.follow_off"));
    this.renderBar();
  }

  /** This screen moved (scroll, zoom): while it leads, the others follow, at most every SEND_EVERY ms. */
  moved() {
    if (!this.leading || this.sendTimer) return;
    const wait = Math.max(0, SEND_EVERY - (Date.now() - (this.lastSent || 0)));
    this.sendTimer = setTimeout(() => {
      this.sendTimer = null;
      if (this.leading) this.send(true);
    }, wait);
  }

  received(v) {
    if (!v || v.map_id !== this.conn.mapId || this.leading) return;
    if (v.follow && this.optedOut) return;
    this.lastHeard = Date.now();
    const who = {id: v.participant_id, name: v.name || t("role.facilitator")};
    if (v.follow) {
      if (!this.following) toast(t("view.follow_started", {name: who.name}));
      this.following = who;
    } else {
      this.optedOut = false;
      toast(t(this.following ? "view.released" : "view.brought", {name: who.name}));
      this.following = null;
    }
    if (v.fit) {
      this.fit = true;
      this.fitNow();
    } else {
      this.fit = false;
      this.apply(clamp(v.zoom));
    }
    this.centreOn(v);
    this.renderBar();
  }
}

function readSaved(key) {
  try {
    const v = JSON.parse(localStorage.getItem(key) || "null");
    return v && typeof v.zoom === "number" ? v : null;
  } catch {
    return null;
  }
}
