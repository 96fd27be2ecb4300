// "Someone is editing this": transient marks over Socket.IO (`editing`, no seq, not stored), one
// module for cards and sheets. A target is a card id, a sheet id (while a sheet is open) or
// `<sheet id>:<field>` (while a field has the focus). EditingMarks keeps who marks what and says
// "change"; CardMarks draws the others' marks on the board's cards (chantiers.js draws its sheets').
import {h, t} from "./dom.js";

export class EditingMarks extends EventTarget {
  constructor({conn, me}) {
    super();
    this.conn = conn;
    this.me = me;
    this.others = new Map(); // target_id → Map(participant_id → name), the latest last
    this.mine = new Set(); // target ids this browser marks
    this.socket = null; // the socket whose events we listen to
    conn.addEventListener("status", (e) => {
      if (e.detail === "online") {
        this.attach();
        for (const id of this.mine) this.emit(id, true); // the server forgot them with the old socket
      } else if (e.detail === "offline" && this.others.size) {
        this.others.clear(); // we will not hear their end: start clean
        this.changed();
      }
    });
  }

  attach() {
    const socket = this.conn.socket;
    if (!socket || this.socket === socket) return;
    this.socket = socket;
    socket.on("editing", (m) => {
      if (!m || m.map_id !== this.conn.mapId || m.participant_id === this.me.id || typeof m.target_id !== "string" || !m.target_id) return;
      const who = this.others.get(m.target_id) || new Map();
      who.delete(m.participant_id);
      if (m.editing) who.set(m.participant_id, m.name || "?");
      if (who.size) this.others.set(m.target_id, who);
      else this.others.delete(m.target_id);
      this.changed();
    });
    socket.on("presence", (p) => {
      // Someone who left clears their marks (the server also sends editing:false on disconnect).
      const online = new Set(((p && p.participants) || []).map((x) => x.id));
      let dirty = false;
      for (const [target, who] of this.others) {
        for (const id of who.keys())
          if (!online.has(id)) {
            who.delete(id);
            dirty = true;
          }
        if (!who.size) this.others.delete(target);
      }
      if (dirty) this.changed();
    });
  }

  /** This browser starts (true) or stops (false) editing `targetId`. */
  set(targetId, editing) {
    if (!targetId || editing === this.mine.has(targetId)) return;
    if (editing) this.mine.add(targetId);
    else this.mine.delete(targetId);
    this.emit(targetId, editing);
  }

  emit(targetId, editing) {
    this.attach();
    const socket = this.conn.socket;
    if (socket && socket.connected) socket.emit("editing", {map_id: this.conn.mapId, target_id: targetId, editing});
  }

  /** [{id, name}] of the others marking `targetId`, the latest last. */
  who(targetId) {
    const m = this.others.get(targetId);
    return m ? [...m].map(([id, name]) => ({id, name})) : [];
  }

  changed() {
    this.dispatchEvent(new CustomEvent("change"));
  }
}

/** The others' marks on the board's cards: the latest editor's name on each card being edited. This
 * browser's own card edits come from the board (`card-editing` events on its root). */
export class CardMarks {
  constructor({marks, board}) {
    this.marks = marks;
    board.root.addEventListener("card-editing", (e) => marks.set(e.detail.id, e.detail.editing));
    marks.addEventListener("change", () => this.render());
  }

  render() {
    this.marks.attach();
    const want = new Map();
    for (const id of this.marks.others.keys()) {
      const host = document.querySelector(`#board [data-card-id="${CSS.escape(id)}"]`); // sheets: chantiers.js marks its own
      const who = this.marks.who(id);
      if (host) want.set(host, who[who.length - 1]);
    }
    for (const el of document.querySelectorAll(".editing-mark")) {
      const host = el.parentElement;
      const mark = want.get(host);
      if (!mark || el.dataset.participantId !== mark.id) el.remove();
    }
    for (const [host, mark] of want) {
      if (host.querySelector(":scope > .editing-mark")) continue;
      host.classList.add("being-edited");
      host.appendChild(
        h(
          "span",
          {class: "editing-mark", "data-testid": "editing-mark", "data-participant-id": mark.id, title: t("editing.by", {name: mark.name})},
          `✎ ${mark.name}`,
        ),
      );
    }
    for (const el of document.querySelectorAll(".being-edited")) {
      if (!want.has(el)) el.classList.remove("being-edited");
    }
  }
}
