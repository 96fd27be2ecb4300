// Running the room: timer pause / resume / +1 minute and its optional end chime, who may add and
// rename steps, winning ideas turned into sheets, and the Invite dialog's facilitator part (my
// facilitator link, co-facilitators, revoking a leaked link or join code).
// Facilitator links and tokens only ever come from this browser's own token or from the REST answers
// to a facilitator: nothing here is drawn for participants.
import {h, t, toast, confirmDialog} from "./dom.js";
import {rememberMap} from "./identity.js";

// -- timer ------------------------------------------------------------------------------------------

const SOUND_KEY = "parcours:timer-sound";

/** Milliseconds left on a timer at `now` (a paused timer stays frozen at its pause). */
export function timerLeft(timer, now) {
  if (!timer || !timer.ends_at) return null;
  return Date.parse(timer.ends_at) - (timer.paused_at ? Date.parse(timer.paused_at) : now);
}

export const sound = {
  get on() {
    try {
      return localStorage.getItem(SOUND_KEY) === "on";
    } catch {
      return false;
    }
  },
  set on(value) {
    try {
      if (value) localStorage.setItem(SOUND_KEY, "on");
      else localStorage.removeItem(SOUND_KEY);
    } catch {
      /* private mode */
    }
  },
  played: 0,
};

/** A soft two-note chime from Web Audio (no file to load); only when this device asked for sound. */
export function chime() {
  if (!sound.on) return;
  const AC = window.AudioContext || window.webkitAudioContext;
  if (!AC) return;
  try {
    const ctx = sound.ctx || (sound.ctx = new AC());
    const start = ctx.currentTime + 0.02;
    [
      [660, 0],
      [880, 0.35],
    ].forEach(([freq, at]) => {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = "sine";
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, start + at);
      gain.gain.exponentialRampToValueAtTime(0.15, start + at + 0.04);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + at + 0.6);
      osc.connect(gain).connect(ctx.destination);
      osc.start(start + at);
      osc.stop(start + at + 0.65);
    });
    sound.played += 1;
  } catch {
    /* no audio device: stay silent */
  }
}

/** The bell toggle inside the timer pill (every screen): remembered on this device, off by default. */
export function soundToggle(timerEl) {
  const button = h("button", {type: "button", class: "timer-sound", "data-action": "timer-sound", "data-testid": "timer-sound"});
  const draw = () => {
    button.setAttribute("aria-pressed", String(sound.on));
    button.textContent = "♪"; // struck through by room.css while off
    button.title = t(sound.on ? "facil.sound_on" : "facil.sound_off");
    button.setAttribute("aria-label", t("facil.sound"));
  };
  button.addEventListener("click", () => {
    sound.on = !sound.on;
    // Browsers start audio only from a gesture: open the context now, so the end chime can play.
    if (sound.on && !sound.ctx && (window.AudioContext || window.webkitAudioContext)) {
      try {
        sound.ctx = new (window.AudioContext || window.webkitAudioContext)();
      } catch {
        /* no audio */
      }
    }
    draw();
  });
  draw();
  timerEl.appendChild(button);
  return button;
}

/** The facilitator's pause / resume and +1 minute, next to the quick timers. */
export class TimerTools {
  constructor(conn) {
    this.pause = h("button", {class: "tool small-tool", "data-action": "timer-pause", hidden: true});
    this.more = h(
      "button",
      {
        class: "tool small-tool",
        "data-action": "timer-extend",
        hidden: true,
        title: t("facil.timer_more"),
        "aria-label": t("facil.timer_more"),
      },
      "+1′",
    );
    this.pause.addEventListener("click", () => conn.send({type: this.paused ? "timer.resume" : "timer.pause"}));
    this.more.addEventListener("click", () => conn.send({type: "timer.extend", seconds: 60}));
    this.el = [this.pause, this.more];
  }

  update(view) {
    const timer = view.timer;
    this.paused = !!(timer && timer.paused_at);
    this.pause.hidden = this.more.hidden = !timer;
    const label = t(this.paused ? "facil.timer_resume" : "facil.timer_pause");
    this.pause.textContent = this.paused ? "▶" : "❚❚";
    this.pause.title = label;
    this.pause.setAttribute("aria-label", label);
    this.pause.setAttribute("aria-pressed", String(this.paused));
  }
}

// -- map settings -----------------------------------------------------------------------------------

/** "Steps: everyone / facilitator only" (board.settings), in the facilitator bar. */
export class StructureToggle {
  constructor(conn) {
    this.el = h("button", {class: "tool", "data-action": "structure-edits", "aria-pressed": "false", title: t("facil.structure_hint")});
    this.el.addEventListener("click", () =>
      conn.send({type: "board.settings", structure_edits: this.value === "facilitator" ? "all" : "facilitator"}),
    );
  }

  update(view) {
    this.value = view.map.structure_edits || "all";
    this.el.setAttribute("aria-pressed", String(this.value === "facilitator"));
    this.el.textContent = t(this.value === "facilitator" ? "facil.structure_facilitator" : "facil.structure_all");
  }
}

// -- winners → sheets -------------------------------------------------------------------------------

/** A toast with one action button (undo, make the sheets); it stays a little longer than a plain one. */
export function actionToast(message, label, onAction, {testid = "action-toast", ms = 10000} = {}) {
  const box = document.getElementById("toasts");
  if (!box) return null;
  const button = h("button", {type: "button", "data-action": testid}, label);
  const el = h("div", {class: "toast toast-info undo-toast", role: "status", "data-testid": testid}, h("span", {}, message), button);
  button.addEventListener("click", () => {
    el.remove();
    onAction();
  });
  box.appendChild(el);
  setTimeout(() => el.remove(), ms);
  return el;
}

/** After retaining the winning ideas: one chantier sheet each, in one op, if the facilitator asks
 *  (a toast with a button, not a modal: the vote results stay usable). */
export function offerSheetsFromWinners(conn, count) {
  actionToast(
    t("facil.winners_offer", {n: count}),
    t("facil.winners_make"),
    () => {
      conn.send({type: "chantier.from_winners"});
      toast(t("facil.winners_made"));
    },
    {testid: "winners-to-sheets", ms: 15000},
  );
}

// -- who runs the room (Invite dialog) ---------------------------------------------------------------

async function rest(method, url, token, body) {
  const res = await fetch(url, {
    method,
    headers: {Authorization: `Bearer ${token}`, "Content-Type": "application/json"},
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error((answer.error && answer.error.message) || res.statusText);
  return answer;
}

/** The facilitator part of the Invite dialog: my link, a new link, a new join code, co-facilitators. */
export function facilitatorSection({identity, conn, mapId, onJoinCode}) {
  const wid = identity.workshop.id;
  let renewed = false;
  const linkOf = (token) => `${location.origin}/board/${mapId}#token=${token}`;
  // Shown as text, not an input: the dialog's one input stays the join link (CONTRACT-style hooks rely on it).
  const myLink = h(
    "code",
    {class: "facilitator-link", "data-testid": "facilitator-link", "aria-label": t("facil.my_link")},
    linkOf(identity.token),
  );
  const copy = h("button", {type: "button", class: "secondary"}, t("fac.copy"));
  copy.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(myLink.textContent);
      copy.textContent = t("fac.copied");
    } catch {
      window.getSelection().selectAllChildren(myLink);
    }
  });
  const renewLink = h("button", {type: "button", class: "secondary small", "data-action": "renew-facilitator-link"}, t("facil.renew_link"));
  renewLink.addEventListener("click", async () => {
    if (!(await confirmDialog(t("facil.renew_link_confirm"), t("facil.renew")))) return;
    try {
      const answer = await rest("POST", `/api/workshops/${wid}/facilitator-link`, identity.token, {map_id: mapId});
      for (const id of answer.map_ids || [mapId]) rememberMap(id, {token: answer.facilitator_token});
      identity.token = answer.facilitator_token;
      conn.token = answer.facilitator_token;
      if (conn.socket) conn.socket.auth = {token: answer.facilitator_token};
      myLink.textContent = linkOf(answer.facilitator_token);
      renewed = true;
      toast(t("facil.link_renewed"));
    } catch (err) {
      toast(String(err.message || err), "error");
    }
  });
  const renewCode = h("button", {type: "button", class: "secondary small", "data-action": "renew-join-code"}, t("facil.renew_code"));
  renewCode.addEventListener("click", async () => {
    if (!(await confirmDialog(t("facil.renew_code_confirm"), t("facil.renew")))) return;
    try {
      const answer = await rest("POST", `/api/workshops/${wid}/join-code`, identity.token);
      identity.join_url = answer.join_url;
      identity.workshop.join_code = answer.join_code;
      onJoinCode(answer);
      toast(t("facil.code_renewed"));
    } catch (err) {
      toast(String(err.message || err), "error");
    }
  });

  const people = h("ul", {class: "cofacilitators", "data-testid": "cofacilitators"});
  const drawPeople = (everyone) => {
    people.replaceChildren();
    const list = everyone.filter((p) => p.role !== "observer" && p.id !== identity.participant.id);
    for (const p of list.sort((a, b) => a.name.localeCompare(b.name))) {
      const co = p.role === "facilitator";
      const b = h(
        "button",
        {type: "button", class: "secondary small", "data-action": co ? "demote" : "promote", "data-participant-id": p.id},
        t(co ? "facil.demote" : "facil.promote"),
      );
      b.addEventListener("click", async () => {
        try {
          if (co) await rest("DELETE", `/api/workshops/${wid}/facilitators/${p.id}`, identity.token);
          else await rest("POST", `/api/workshops/${wid}/facilitators`, identity.token, {participant_id: p.id});
          toast(t(co ? "facil.demoted" : "facil.promoted", {name: p.name}));
          // The participant list in the store follows on the next snapshot; show the new role now.
          b.dataset.action = co ? "promote" : "demote";
          b.textContent = t(co ? "facil.promote" : "facil.demote");
          b.disabled = true;
        } catch (err) {
          toast(String(err.message || err), "error");
        }
      });
      people.appendChild(
        h(
          "li",
          {"data-participant-id": p.id},
          h("span", {}, p.name),
          co ? h("span", {class: "muted"}, ` · ${t("role.facilitator")}`) : null,
          " ",
          b,
        ),
      );
    }
    if (!list.length) people.appendChild(h("li", {class: "muted"}, t("facil.nobody_yet")));
  };
  // Everyone who joined (the store knows only those seen online), from the workshop's REST view.
  const view = conn.view();
  drawPeople(view ? [...view.participants.values()] : []);
  rest("GET", `/api/workshops/${wid}`, identity.token)
    .then((w) => drawPeople(w.participants || []))
    .catch(() => {});

  const el = h(
    "section",
    {class: "facilitator-links", "data-testid": "facilitator-section"},
    h("h3", {}, t("facil.my_link")),
    h("div", {class: "inline-form"}, myLink, copy),
    h("p", {class: "hint"}, t("facil.my_link_hint")),
    h("div", {class: "dialog-actions"}, renewLink, renewCode),
    h("h3", {}, t("facil.cofacilitators")),
    h("p", {class: "hint"}, t("facil.cofacilitators_hint")),
    people,
  );
  return {
    el,
    closed: () => {
      if (renewed) location.reload();
    },
  };
}

/** Promoted or demoted meanwhile (the server dropped our socket): reload with the new role. */
export function watchRole(conn, store, me) {
  conn.addEventListener("status", (e) => {
    if (e.detail !== "online" || !store.state) return;
    const mine = store.state.participants && store.state.participants.get(me.id);
    if (mine && mine.role !== me.role && me.role !== "observer") location.reload();
  });
}
