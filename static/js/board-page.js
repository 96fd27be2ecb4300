// The board page: who am I, connect, keep the store, draw the board and the facilitator's controls.
import {PAGE, h, t, toast} from "./dom.js";
import {Store} from "./store.js";
import {io} from "/vendor/socket.io.esm.min.js";
import {Connection} from "./socket.js";
import {BoardView} from "./board.js";
import {CardPanel} from "./panel.js";
import {FacilitatorBar} from "./facilitator.js";
import {Chrome, errorText, identify, onChange, showGate} from "./chrome.js";
import {tokenForMap} from "./identity.js";
import {PhaseBar} from "./phases.js";
import {VotingUI} from "./voting.js";
import {CardMarks, EditingMarks} from "./editing.js";
import {Sheets} from "./chantiers.js";
import {EmotionLane} from "./emotions.js";
import {Announcer} from "./announce.js";
import {installKeyboardHelp} from "./keyboard.js";
import {Viewport} from "./viewport.js";
import {sound, watchRole} from "./room.js";
import {Undo} from "./undo.js";
import {ListeningPanel} from "./listening-panel.js";
import {isFacilitator, isObserver, readOnlyReason} from "./rights.js";

const mapId = PAGE.map_id;
// The banner over a board this person cannot write on, by rights.js `readOnlyReason`.
const BANNERS = {locked: "board.locked_banner", closed: "facil.closed_banner", observer: "board.observer_banner"};
const identity = await identify(mapId);
if (!identity) {
  showGate();
} else {
  start(identity);
}

function start(identity) {
  const me = identity.participant;
  const store = new Store();
  store.meId = me.id;
  const conn = new Connection({mapId, token: identity.token, me, store, connect: io});
  // First, so that every op this page sends can be undone (undo.js wraps conn.send).
  const undo = isObserver(me) ? null : new Undo({conn, me, mapId});
  let panel = null;
  const board = new BoardView({
    root: document.getElementById("board"),
    conn,
    me,
    readOnly: isObserver(me),
    onOpenCard: (id) => panel.open(id),
  });
  panel = new CardPanel({el: document.getElementById("panel"), conn, board, me});
  const chrome = new Chrome({conn, identity});
  const phaseBar = new PhaseBar({conn, me, after: document.getElementById("topbar")});
  const voting = new VotingUI({conn, me, board, slot: phaseBar.voteSlot, readOnly: isObserver(me)});
  const marks = new EditingMarks({conn, me});
  const cardMarks = new CardMarks({marks, board});
  const sheets = new Sheets({conn, board, me, identity, mapId, marks});
  const emotions = new EmotionLane({board, conn, me});
  const announcer = new Announcer({el: document.getElementById("announcer"), board, me});
  installKeyboardHelp({board});
  const viewport = new Viewport({board, conn, me, lead: true});
  new ListeningPanel({conn, me, identity, mapId}); // draws itself at the end of the Mirror tab
  panel.onMakeSheet = (cardId) => {
    panel.close();
    sheets.fromCard(cardId);
  };
  const facilitator = isFacilitator(me)
    ? new FacilitatorBar({
        el: document.getElementById("facilitator-bar"),
        conn,
        mapId,
        joinUrl: identity.join_url,
        joinCode: identity.workshop.join_code,
        identity,
      })
    : null;

  document.getElementById("me").textContent = me.name;
  document.getElementById("me").title = [
    me.name,
    me.department,
    me.perspective ? t(`perspective.${me.perspective}`) : null,
    t(`role.${me.role}`),
  ]
    .filter(Boolean)
    .join(" · ");
  document.body.classList.add(`role-${me.role}`);

  const tabs = document.getElementById("map-tabs");
  if (identity.maps.length > 1) {
    tabs.hidden = false;
    for (const m of identity.maps) {
      tabs.appendChild(h("a", {href: `/board/${m.id}`, "aria-current": m.id === mapId ? "page" : null}, m.title));
    }
  }

  const banner = document.getElementById("banner");
  const draw = () => {
    const view = conn.view();
    if (!view) return;
    board.render();
    emotions.render(view);
    sheets.render();
    chrome.render(view);
    phaseBar.render(view);
    // Vote boxes and editing marks decorate what the others drew (steps, cards, sheets): after them.
    queueMicrotask(() => {
      voting.render(view);
      cardMarks.render();
      viewport.render();
    });
    panel.render(view);
    announcer.update(view);
    if (facilitator) facilitator.update(view);
    const reason = readOnlyReason(me, view.map);
    banner.hidden = !reason;
    banner.textContent = reason ? t(BANNERS[reason]) : "";
  };
  onChange(store, draw);

  conn.addEventListener("rejected", (e) => {
    if (!e.detail.handled) toast(errorText(e.detail.error), "error");
  });
  conn.addEventListener("unauthorized", () => showGate());
  watchRole(conn, store, me);
  conn.addEventListener("fatal", (e) => toast(errorText(e.detail), "error"));
  conn.addEventListener("status", (e) => {
    if (e.detail === "online" && conn.unsent) toast(t("connection.resending", {n: conn.unsent}));
  });

  // Global keys: Escape closes the panel; "n" opens an editor in the focused card's cell.
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && !panel.el.hidden && !e.defaultPrevented) panel.close();
  });

  // For automated checks and debugging: the store and the connection.
  window.parcours = {store, conn, board, sheets, viewport, tokenForMap, undo, sound};
  conn.start();
}
