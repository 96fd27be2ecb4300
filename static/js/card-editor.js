// Writing on the board (board.js): the add-card editor in a cell (kind, channel, face down, builds
// on) and editing a card's text in place, with a note when someone else changes it meanwhile.
// BoardView's methods, kept here; they send `card.add` and `card.update`.
import {PAGE, h, t, uuid} from "./dom.js";
import {excerpt} from "./text.js";
import {defaultKindFor, kindsFor} from "./phases.js";

export class CardEditor {
  // -- the add-card editor ----------------------------------------------------------------------

  defaultKind(laneId) {
    const lane = this.view.lanes.get(laneId);
    return defaultKindFor(this.view.map.phase, (lane && PAGE.lane_card_kind[lane.kind]) || "note");
  }

  openEditor(laneId, stepId, {buildsOn = null} = {}) {
    if (!this.canWrite()) return;
    this.closeEditor(false);
    const parent = buildsOn ? this.view.cards.get(buildsOn) : null;
    this.editor = {
      laneId,
      stepId,
      text: "",
      kind: parent ? "idea" : this.defaultKind(laneId),
      channel: "",
      hidden: this.lastHidden,
      buildsOn,
    };
    this.renderEditor(true);
  }

  renderEditor(focus) {
    const ed = this.editor;
    const cell = this.cellEls.get(`${ed.laneId}|${ed.stepId}`);
    if (!cell) {
      this.editor = null;
      return;
    }
    cell.querySelector(".card-editor")?.remove();
    const ta = h("textarea", {rows: "3", maxlength: "5000", placeholder: t("card.placeholder"), "aria-label": t("card.text")});
    ta.value = ed.text;
    const kind = h("select", {class: "kind-select", "aria-label": t("card.kind")}, kindOptions(this.view.map.phase, ed.kind));
    const channel = h(
      "select",
      {class: "channel-select", "aria-label": t("card.channel"), hidden: ed.kind !== "touchpoint"},
      h("option", {value: ""}, t("card.no_channel")),
      PAGE.channels.map((c) => h("option", {value: c, selected: c === ed.channel}, t(`channel.${c}`))),
    );
    const silent = !!this.view.map.silent_writing;
    const hidden = h("input", {type: "checkbox", checked: ed.hidden || silent, disabled: silent});
    const parent = ed.buildsOn ? this.view.cards.get(ed.buildsOn) : null;
    const lane = this.view.lanes.get(ed.laneId);
    const step = this.view.steps.get(ed.stepId);
    const form = h(
      "div",
      {class: "card-editor", "data-kind": ed.kind},
      // Where the card goes: shown on a phone, where the editor is a sheet away from its cell.
      h("div", {class: "editor-where", "data-testid": "editor-where"}, [lane?.title, step?.title].filter(Boolean).join(" · ")),
      parent ? h("div", {class: "editor-builds-on"}, `↪ ${t("card.builds_on")} : ${excerpt(parent.text, 40)}`) : null,
      ta,
      h(
        "div",
        {class: "editor-row"},
        kind,
        channel,
        h("label", {class: "hidden-toggle", title: t("card.face_down_hint")}, hidden, t("card.face_down")),
      ),
      h(
        "div",
        {class: "editor-row editor-actions"},
        h("span", {class: "hint"}, t("card.enter_hint")),
        h("button", {class: "secondary small", "data-action": "cancel-card"}, t("common.cancel")),
        h("button", {class: "primary small", "data-action": "save-card"}, t("common.save")),
      ),
    );
    ta.addEventListener("input", () => {
      ed.text = ta.value;
      autosize(ta);
    });
    ta.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.saveEditor();
      } else if (e.key === "Escape") {
        e.preventDefault();
        this.closeEditor(true);
      }
    });
    form.addEventListener("keydown", (e) => {
      if (e.key === "Escape") {
        e.preventDefault();
        this.closeEditor(true);
      }
      e.stopPropagation();
    });
    kind.addEventListener("change", () => {
      ed.kind = kind.value;
      form.dataset.kind = ed.kind;
      channel.hidden = ed.kind !== "touchpoint";
    });
    channel.addEventListener("change", () => {
      ed.channel = channel.value;
    });
    hidden.addEventListener("change", () => {
      ed.hidden = hidden.checked;
      this.lastHidden = hidden.checked;
    });
    form.addEventListener("click", (e) => {
      const action = e.target.closest("[data-action]")?.dataset.action;
      if (action === "save-card") {
        e.stopPropagation();
        this.saveEditor();
      }
      if (action === "cancel-card") {
        e.stopPropagation();
        this.closeEditor(true);
      }
    });
    cell.insertBefore(form, cell.querySelector(".add-card"));
    cell.classList.add("editing");
    autosize(ta);
    if (focus) {
      ta.focus();
      form.scrollIntoView({block: "nearest", inline: "nearest"});
    }
  }

  saveEditor() {
    const ed = this.editor;
    if (!ed) return;
    const text = ed.text.trim();
    if (!text) {
      this.closeEditor(true);
      return;
    }
    const op = {
      type: "card.add",
      id: uuid(),
      lane_id: ed.laneId,
      step_id: ed.stepId,
      kind: ed.kind,
      text,
      visibility: ed.hidden ? "author" : "all",
    };
    if (ed.kind === "touchpoint" && ed.channel) op.channel = ed.channel;
    if (ed.buildsOn) op.builds_on = ed.buildsOn;
    this.conn.send(op);
    this.closeEditor(true);
  }

  closeEditor(refocus) {
    const ed = this.editor;
    this.editor = null;
    if (!ed) return;
    const cell = this.cellEls.get(`${ed.laneId}|${ed.stepId}`);
    if (!cell) return;
    cell.querySelector(".card-editor")?.remove();
    cell.classList.remove("editing");
    if (refocus) cell.querySelector(".add-card")?.focus();
  }

  // -- editing a card in place ------------------------------------------------------------------

  startEdit(cardId) {
    const card = this.view && this.view.cards.get(cardId);
    const el = this.cardEls.get(cardId);
    if (!card || !el || !this.canEditCard(card) || this.editing === cardId) return;
    if (this.editing) this.endEdit(false);
    this.editing = cardId;
    this.editBase = card.text; // what the editor started from, to notice someone else's change
    this.root.dispatchEvent(new CustomEvent("card-editing", {detail: {id: cardId, editing: true}}));
    const textEl = el.querySelector(".card-text");
    const ta = h("textarea", {class: "card-edit", maxlength: "5000", "aria-label": t("card.text")});
    ta.value = card.text || "";
    textEl.hidden = true;
    textEl.after(ta);
    el.classList.add("editing");
    autosize(ta);
    ta.focus();
    ta.setSelectionRange(ta.value.length, ta.value.length);
    const finish = (save) => this.endEdit(save, ta);
    ta.addEventListener("keydown", (e) => {
      e.stopPropagation();
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        finish(true);
      } else if (e.key === "Escape") {
        e.preventDefault();
        finish(false);
      }
    });
    ta.addEventListener("input", () => autosize(ta));
    ta.addEventListener("blur", () => finish(true));
  }

  /** Someone else changed the text of the card being edited here: say so, and offer their version. */
  showOvertaken(el, card) {
    el.querySelector(".card-overtaken")?.remove();
    if (card.text == null || card.text === this.editBase) return;
    const ta = el.querySelector(".card-edit");
    const take = h("button", {type: "button", class: "link", "data-action": "take-theirs"}, t("card.take_theirs"));
    // mousedown: keep the textarea's focus, so taking their version does not save ours first.
    take.addEventListener("mousedown", (e) => {
      e.preventDefault();
      if (ta) {
        ta.value = card.text;
        autosize(ta);
        ta.focus();
      }
      this.editBase = card.text;
      el.querySelector(".card-overtaken")?.remove();
    });
    const note = h("p", {class: "card-overtaken", role: "status"}, t("card.overtaken", {text: excerpt(card.text, 80)}), " ", take);
    (ta || el.querySelector(".card-text")).after(note);
  }

  endEdit(save, ta) {
    const id = this.editing;
    if (!id) return;
    const el = this.cardEls.get(id);
    ta = ta || el?.querySelector(".card-edit");
    const card = this.view.cards.get(id);
    this.editing = null;
    this.root.dispatchEvent(new CustomEvent("card-editing", {detail: {id, editing: false}}));
    if (ta) ta.remove();
    el?.querySelector(".card-overtaken")?.remove();
    if (el) {
      el.classList.remove("editing");
      el.querySelector(".card-text").hidden = false;
      this.cardSigs.delete(id);
    }
    const text = ta ? ta.value.trim() : "";
    if (save && card && text && text !== card.text) this.conn.send({type: "card.update", id, text});
    this.focusCard = id;
    this.render();
    el?.focus();
  }
}

/** The kind options of the add-card editor: the phase's kinds first, then the others. */
function kindOptions(phase, selected) {
  const option = (k) => h("option", {value: k, selected: k === selected}, t(`kind.${k}`));
  const {fit, other} = kindsFor(phase);
  if (!fit.length) return other.map(option);
  return [
    h("optgroup", {label: t("phasebar.kinds_now")}, fit.map(option)),
    h("optgroup", {label: t("phasebar.kinds_other")}, other.map(option)),
  ];
}

export function autosize(ta) {
  ta.style.height = "auto";
  ta.style.height = `${Math.min(ta.scrollHeight + 2, 320)}px`;
}
