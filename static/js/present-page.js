// The projector view: the same live store, drawn read-only in large type.
import {PAGE} from "./dom.js";
import {Store} from "./store.js";
import {io} from "/vendor/socket.io.esm.min.js";
import {Connection} from "./socket.js";
import {BoardView} from "./board.js";
import {Chrome, identify, onChange, showGate} from "./chrome.js";
import {PhaseBar} from "./phases.js";
import {VotingUI} from "./voting.js";
import {EmotionLane} from "./emotions.js";
import {Viewport} from "./viewport.js";

const mapId = PAGE.map_id;
const identity = await identify(mapId);
if (!identity) {
  showGate();
} else {
  const store = new Store();
  const conn = new Connection({mapId, token: identity.token, me: identity.participant, store, connect: io});
  const board = new BoardView({root: document.getElementById("board"), conn, me: identity.participant, readOnly: true});
  const chrome = new Chrome({conn, identity});
  const phaseBar = new PhaseBar({conn, me: identity.participant, readOnly: true, after: document.querySelector(".topbar")});
  const voting = new VotingUI({conn, me: identity.participant, board, slot: phaseBar.voteSlot, readOnly: true});
  const emotions = new EmotionLane({board, conn, me: identity.participant});
  // The projector fits the whole map to the screen unless told otherwise; it never leads the room.
  const viewport = new Viewport({board, conn, me: identity.participant, page: "present", defaultFit: true});
  const code = identity.workshop.join_code;
  if (code) {
    document.getElementById("join-corner").hidden = false;
    document.getElementById("join-code").textContent = code;
    document.getElementById("join-qr").src = `/qr/${code}.svg`;
  }
  onChange(store, () => {
    const view = conn.view();
    if (!view) return;
    board.render();
    emotions.render(view);
    chrome.render(view);
    phaseBar.render(view);
    queueMicrotask(() => {
      voting.render(view);
      viewport.render();
    });
  });
  window.parcours = {store, conn, board, viewport};
  conn.start();
}
