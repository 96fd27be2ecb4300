// The facilitator's controls: phase, lock, timer, reveal, the join link with its QR code, the projector view.
import {PAGE, h, t} from "./dom.js";
import {StructureToggle, facilitatorSection} from "./room.js";

export class FacilitatorBar {
  constructor({el, conn, mapId, joinUrl, joinCode, identity}) {
    this.el = el;
    this.conn = conn;
    this.mapId = mapId;
    this.identity = identity;
    this.joinUrl = joinUrl;
    this.joinCode = joinCode;
    this.phase = h(
      "select",
      {"data-testid": "phase-select", "aria-label": t("fac.phase")},
      PAGE.phases.map((p) => h("option", {value: p}, t(`phase.${p}`))),
    );
    this.phase.addEventListener("change", () => conn.send({type: "phase.set", phase: this.phase.value}));
    this.lock = h("button", {class: "tool", "data-action": "lock", "aria-pressed": "false"});
    this.lock.addEventListener("click", () => conn.send({type: "board.lock", locked: this.lock.getAttribute("aria-pressed") !== "true"}));
    this.silent = h(
      "button",
      {class: "tool", "data-action": "silent", "aria-pressed": "false", title: `${t("fac.silent")} — ${t("fac.silent_hint")}`},
      t("fac.silent_short"),
    );
    this.silent.addEventListener("click", () =>
      conn.send({type: "board.silent", silent: this.silent.getAttribute("aria-pressed") !== "true"}),
    );
    this.timerBtn = h("button", {class: "tool", "data-action": "timer", "aria-haspopup": "dialog"}, t("fac.timer"));
    this.timerBtn.addEventListener("click", () => this.timerDialog());
    this.reveal = h("button", {class: "tool", "data-action": "reveal"});
    this.reveal.addEventListener("click", () => conn.send({type: "cards.reveal"}));
    const invite = h("button", {class: "tool", "data-action": "invite"}, t("fac.invite"));
    invite.addEventListener("click", () => this.inviteDialog());
    const present = h("a", {class: "tool", href: `/present/${mapId}`, target: "_blank", rel: "noopener"}, t("fac.present"));
    this.structure = new StructureToggle(conn);
    el.append(this.phase, this.lock, this.silent, this.structure.el, this.timerBtn, this.reveal, invite, present);
    el.hidden = false;
  }

  update(view) {
    if (document.activeElement !== this.phase) this.phase.value = view.map.phase;
    const locked = !!view.map.locked;
    this.lock.setAttribute("aria-pressed", locked ? "true" : "false");
    this.lock.textContent = locked ? t("fac.unlock") : t("fac.lock");
    this.silent.setAttribute("aria-pressed", view.map.silent_writing ? "true" : "false");
    const hidden = [...view.cards.values()].filter((c) => c.visibility === "author" || c.hidden).length;
    this.reveal.textContent = `${t("fac.reveal")} (${hidden})`;
    this.reveal.disabled = hidden === 0;
    this.timerRunning = !!view.timer;
    this.structure.update(view);
  }

  timerDialog() {
    const minutes = h("input", {
      type: "number",
      min: "0.5",
      max: "240",
      step: "0.5",
      value: localStorage.getItem("parcours:timer-min") || "5",
      name: "minutes",
      required: true,
    });
    const label = h("input", {type: "text", maxlength: "200", name: "label", placeholder: t("fac.timer_label_placeholder")});
    const presets = h(
      "div",
      {class: "presets"},
      [1, 3, 5, 10, 15].map((m) =>
        h(
          "button",
          {
            type: "button",
            class: "secondary small",
            onclick: () => {
              minutes.value = String(m);
            },
          },
          `${m} min`,
        ),
      ),
    );
    const dialog = h(
      "dialog",
      {class: "dialog", "data-testid": "timer-dialog"},
      h(
        "form",
        {method: "dialog", class: "form"},
        h("h2", {}, t("fac.timer")),
        presets,
        h("label", {}, t("fac.minutes"), minutes),
        h("label", {}, t("fac.timer_label"), label),
        h(
          "div",
          {class: "dialog-actions"},
          h("button", {value: "cancel", class: "secondary", formnovalidate: true}, t("common.cancel")),
          this.timerRunning ? h("button", {value: "stop", class: "danger", formnovalidate: true}, t("fac.timer_stop")) : null,
          h("button", {value: "start", class: "primary"}, t("fac.timer_start")),
        ),
      ),
    );
    document.body.appendChild(dialog);
    dialog.addEventListener("close", () => {
      if (dialog.returnValue === "start") {
        const seconds = Math.round(Number(minutes.value) * 60);
        if (seconds > 0) {
          localStorage.setItem("parcours:timer-min", minutes.value);
          const op = {type: "timer.start", seconds};
          if (label.value.trim()) op.label = label.value.trim();
          this.conn.send(op);
        }
      } else if (dialog.returnValue === "stop") {
        this.conn.send({type: "timer.stop"});
      }
      dialog.remove();
      this.timerBtn.focus();
    });
    dialog.showModal();
    minutes.focus();
    minutes.select();
  }

  inviteDialog() {
    const copy = h("button", {type: "button", class: "secondary"}, t("fac.copy"));
    copy.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(this.joinUrl);
        copy.textContent = t("fac.copied");
      } catch {
        link.select();
      }
    });
    const link = h("input", {readonly: true, value: this.joinUrl, class: "join-link", "aria-label": t("fac.join_link")});
    // Facilitators only (this bar is built for them): their own link, co-facilitators, revoking links.
    const section = this.identity
      ? facilitatorSection({
          identity: this.identity,
          conn: this.conn,
          mapId: this.mapId,
          onJoinCode: ({join_code: code, join_url: url}) => {
            this.joinCode = code;
            this.joinUrl = url;
            link.value = url;
            dialog.querySelector(".join-code strong").textContent = code;
            dialog.querySelector("img.qr").src = `/qr/${code}.svg`;
          },
        })
      : null;
    const dialog = h(
      "dialog",
      {class: "dialog invite", "data-testid": "invite"},
      h("h2", {}, t("fac.invite_title")),
      h("img", {class: "qr", src: `/qr/${this.joinCode}.svg`, alt: t("fac.qr_alt"), width: "420", height: "420"}),
      h("p", {class: "join-code"}, t("fac.code"), " ", h("strong", {}, this.joinCode)),
      h("div", {class: "inline-form"}, link, copy),
      h("p", {class: "hint"}, t("fac.invite_hint")),
      section ? section.el : null,
      h("form", {method: "dialog", class: "dialog-actions"}, h("button", {class: "primary"}, t("common.close"))),
    );
    document.body.appendChild(dialog);
    dialog.addEventListener("close", () => {
      dialog.remove();
      if (section) section.closed();
    });
    dialog.showModal();
  }
}
