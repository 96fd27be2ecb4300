// "Someone is editing this": a transient mark over Socket.IO (`editing`, no seq, not stored).
// This browser says when it opens and closes a card's editor (the board dispatches `card-editing`);
// the others' marks show on their cards with the editor's name (chantiers.js marks its sheets itself).
import {h, t} from "./dom.js";

export class EditingMarks {
  constructor({conn, board, me}) {
    this.conn = conn;
    this.board = board;
    this.me = me;
    this.marks = new Map();   // target_id → {participant_id, name}
    this.mine = null;         // the target this browser is editing
    board.root.addEventListener("card-editing", (e) => this.local(e.detail.id, e.detail.editing));
    conn.addEventListener("status", (e) => {
      if (e.detail === "online") {
        this.attach();
        if (this.mine) this.emit(this.mine, true);  // the server forgot it with the old socket
      } else if (e.detail === "offline") {
        this.marks.clear();                          // we will not hear their end: start clean
        this.render();
      }
    });
  }

  attach() {
    const socket = this.conn.socket;
    if (!socket || this.socket === socket) return;
    this.socket = socket;
    socket.on("editing", (m) => {
      if (!m || m.map_id !== this.conn.mapId || !m.target_id || m.participant_id === this.me.id) return;
      if (m.editing) this.marks.set(m.target_id, {participant_id: m.participant_id, name: m.name || "?"});
      else if (this.marks.get(m.target_id)?.participant_id === m.participant_id) this.marks.delete(m.target_id);
      this.render();
    });
  }

  /** Also usable by other editors (chantier sheets): editing(targetId, true|false). */
  local(targetId, editing) {
    if (!targetId) return;
    if (editing) this.mine = targetId;
    else if (this.mine === targetId) this.mine = null;
    this.emit(targetId, editing);
  }

  emit(targetId, editing) {
    this.attach();
    const socket = this.conn.socket;
    if (socket && socket.connected) socket.emit("editing", {map_id: this.conn.mapId, target_id: targetId, editing});
  }

  render() {
    const want = new Map();
    for (const [id, mark] of this.marks) {
      const esc = CSS.escape(id);
      const host = document.querySelector(`#board [data-card-id="${esc}"]`);  // sheets: chantiers.js marks its own
      if (host) want.set(host, mark);
    }
    for (const el of document.querySelectorAll(".editing-mark")) {
      const host = el.parentElement;
      const mark = want.get(host);
      if (!mark || el.dataset.participantId !== mark.participant_id) el.remove();
    }
    for (const [host, mark] of want) {
      if (host.querySelector(":scope > .editing-mark")) continue;
      host.classList.add("being-edited");
      host.appendChild(h("span", {class: "editing-mark", "data-testid": "editing-mark", "data-participant-id": mark.participant_id,
                                  title: t("editing.by", {name: mark.name})}, `✎ ${mark.name}`));
    }
    for (const el of document.querySelectorAll(".being-edited")) {
      if (!want.has(el)) el.classList.remove("being-edited");
    }
  }
}
