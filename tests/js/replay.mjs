// Replays server-made events through the browser's real store (static/js/store.js) under Node.
// stdin: [{me, snapshot, events}] — one scenario per viewer; stdout: [state as a snapshot].
// Used by tests/test_events.py to check that the client and the server agree on every op's effect.
import {readFileSync} from "node:fs";
import {Store} from "../../static/js/store.js";
import {setVoter} from "../../static/js/vote-state.js";
import {asSnapshot} from "./harness.mjs";

const scenarios = JSON.parse(readFileSync(0, "utf8"));
const out = scenarios.map(({me, snapshot, events}) => {
  const store = new Store();
  store.meId = me;
  setVoter(me);
  store.reset(snapshot);
  for (const event of events) store.receive(event);
  if (store.hasGap()) throw new Error(`events left waiting for a gap at seq ${store.seq}`);
  return asSnapshot(store.state);
});
process.stdout.write(JSON.stringify(out));
