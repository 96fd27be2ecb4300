// What surrounds the board on every screen: title, phase, lock, timer, presence, connection.
import {PAGE, clear, h, hue, initials, t} from "./dom.js";
import {clock} from "./socket.js";
import {chime, soundToggle, timerLeft} from "./room.js";
import {forgetMap, rememberMap, rememberRecent, takeFragmentToken, tokenForMap} from "./identity.js";

const $ = (id) => document.getElementById(id);

/** The token and identity for this map: from the link's fragment, else from localStorage. */
export async function identify(mapId) {
  takeFragmentToken(mapId);
  const entry = tokenForMap(mapId);
  if (!entry || !entry.token) return null;
  try {
    const res = await fetch("/api/me", {headers: {Authorization: `Bearer ${entry.token}`}});
    if (res.status === 401) {
      forgetMap(mapId);
      return null;
    }
    if (!res.ok) throw new Error(String(res.status));
    const me = await res.json();
    rememberMap(mapId, {token: entry.token, me: me.participant, workshop: me.workshop, join_url: me.join_url, maps: me.maps});
    for (const m of me.maps) if (m.id !== mapId && !tokenForMap(m.id)) rememberMap(m.id, {token: entry.token});
    rememberRecent({map_id: mapId, title: me.workshop.title, role: me.participant.role, name: me.participant.name});
    return {token: entry.token, ...me};
  } catch {
    // Server unreachable right now: carry on with what we knew; the socket reconnects on its own.
    if (entry.me && entry.workshop)
      return {token: entry.token, participant: entry.me, workshop: entry.workshop, join_url: entry.join_url, maps: entry.maps || []};
    return null;
  }
}

export function showGate() {
  $("gate").hidden = false;
  const form = $("gate-form");
  if (form) {
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const code = new FormData(form).get("code").trim();
      if (code) location.href = `/join/${encodeURIComponent(code)}`;
    });
    form.querySelector("input").focus();
  }
}

export class Chrome {
  constructor({conn, identity}) {
    this.conn = conn;
    this.identity = identity;
    this.lastPresence = "";
    this.connection = $("connection");
    this.timer = $("timer");
    if (this.timer && !this.timer.querySelector(".timer-sound")) soundToggle(this.timer);
    document.title = `${identity.workshop.title} · Parcours`;
    conn.addEventListener("status", () => this.renderConnection());
    this.renderConnection();
    setInterval(() => this.tick(), 250);
  }

  render(view) {
    $("board-title").textContent = view.map.title || this.identity.workshop.title;
    $("phase").textContent = t(`phase.${view.map.phase}`);
    $("phase").dataset.phase = view.map.phase;
    $("locked").hidden = !view.map.locked;
    document.body.classList.toggle("is-locked", !!view.map.locked);
    this.timerState = view.timer;
    this.tick();
    this.renderPresence(view);
    this.renderConnection();
  }

  renderPresence(view) {
    const people = [...view.online]
      .map((id) => view.participants.get(id))
      .filter(Boolean)
      .sort((a, b) => (a.role === "facilitator" ? -1 : 0) - (b.role === "facilitator" ? -1 : 0) || a.name.localeCompare(b.name));
    const key = JSON.stringify(people.map((p) => [p.id, p.name, p.department, p.perspective, p.role]));
    if (key === this.lastPresence) return;
    this.lastPresence = key;
    const box = clear($("presence"));
    box.setAttribute("title", t("board.online_n", {n: people.length}));
    for (const p of people) {
      const label = [
        p.name,
        p.department,
        p.perspective ? t(`perspective.${p.perspective}`) : null,
        p.role !== "participant" ? t(`role.${p.role}`) : null,
      ]
        .filter(Boolean)
        .join(" · ");
      box.appendChild(
        h(
          "span",
          {
            class: `avatar role-${p.role}${p.id === this.identity.participant.id ? " is-me" : ""}`,
            "data-participant-id": p.id,
            title: label,
            "aria-label": label,
            style: `--h:${hue(p.id)}`,
          },
          initials(p.name),
        ),
      );
    }
    box.appendChild(h("span", {class: "presence-count"}, String(people.length)));
  }

  renderConnection() {
    const state = this.conn.state === "online" ? "online" : "offline";
    this.connection.dataset.state = state;
    this.connection.dataset.detail = this.conn.state;
    const unsent = this.conn.unsent;
    let text = t(this.conn.state === "connecting" ? "connection.connecting" : `connection.${state}`);
    if (unsent) text += ` · ${t("connection.pending", {n: unsent})}`;
    this.connection.querySelector(".connection-text").textContent = text;
    this.connection.title = state === "online" ? t("connection.online_hint") : t("connection.offline_hint");
  }

  tick() {
    const timer = this.timerState;
    if (!timer || !timer.ends_at) {
      this.timer.hidden = true;
      document.body.classList.remove("timer-on");
      return;
    }
    const left = timerLeft(timer, clock.now());
    // The end chime (room.js, off unless this device turned it on): once, when a running timer reaches zero.
    if (this.lastLeft > 0 && left <= 0 && !timer.paused_at && timer.ends_at === this.lastEnds) chime();
    this.lastLeft = left;
    this.lastEnds = timer.ends_at;
    this.timer.classList.toggle("paused", !!timer.paused_at);
    if (left < -60000) {
      this.timer.hidden = true;
      document.body.classList.remove("timer-on");
      return;
    }
    this.timer.hidden = false;
    document.body.classList.add("timer-on");
    const secs = Math.max(0, Math.ceil(left / 1000));
    const mm = Math.floor(secs / 60);
    const ss = String(secs % 60).padStart(2, "0");
    this.timer.querySelector(".timer-time").textContent = secs > 0 ? `${mm}:${ss}` : t("timer.over");
    this.timer.querySelector(".timer-label").textContent = [timer.label, timer.paused_at ? t("facil.timer_paused") : null]
      .filter(Boolean)
      .join(" · ");
    this.timer.classList.toggle("ending", secs > 0 && secs <= 10);
    this.timer.classList.toggle("over", secs === 0);
  }
}

/** Coalesce store changes into one render per frame. */
export function onChange(store, fn) {
  let scheduled = false;
  store.addEventListener("change", () => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      fn();
    });
  });
}

/** The message for an error code: the catalogue has one per code of the server's table
 *  (workshop/errors.py, checked by tests/test_i18n.py); anything else shows the server's own words. */
export function errorText(error) {
  const key = `error.${error.code}`;
  return key in PAGE.catalog ? t(key) : error.message || t("error.unknown");
}
export {PAGE};
