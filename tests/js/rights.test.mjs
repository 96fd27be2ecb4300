// rights.js against the real engine: for the facilitator and a participant, on a board in
// each state (open, locked, closed, steps kept to the facilitator), what the browser says it may send
// is what the engine accepts (refused with forbidden or locked otherwise). The roles come from the
// page data, as in the browser.
import {after, before, test} from "node:test";
import assert from "node:assert/strict";
import {setPage} from "../../static/js/page.js";
import {may, roleMay} from "../../static/js/rights.js";
import {Engine, seeded, seededUuid} from "./harness.mjs";

let engine;
let setup;
const rng = seeded(11);
const uuid = () => seededUuid(rng);

before(async () => {
  engine = new Engine();
  setup = await engine.request({cmd: "setup", clients: 2});
  setPage(setup.page);
});
after(() => engine.close());

const snapshot = async () => (await engine.request({cmd: "snapshot", who: 0})).snapshot;
const send = (who, op) => engine.request({cmd: "op", who, op: {op_id: uuid(), ...op}});

const OPS = {
  "card.add": (s) => ({type: "card.add", id: uuid(), lane_id: s.lanes[0].id, step_id: s.steps[0].id, text: "Attente"}),
  "step.add": () => ({type: "step.add", id: uuid(), title: "Étape"}),
  "stage.add": () => ({type: "stage.add", id: uuid(), title: "Phase"}),
  "lane.add": () => ({type: "lane.add", id: uuid(), title: "Ligne"}),
  "chantier.add": () => ({type: "chantier.add", id: uuid(), title: "Chantier"}),
};

const STATES = [
  ["open", []],
  ["steps kept to the facilitator", [{type: "board.settings", structure_edits: "facilitator"}]],
  [
    "locked",
    [
      {type: "board.settings", structure_edits: "all"},
      {type: "board.lock", locked: true},
    ],
  ],
  [
    "closed",
    [
      {type: "board.lock", locked: false},
      {type: "phase.set", phase: "closed"},
    ],
  ],
];

test("what the browser may send is what the engine accepts", async () => {
  for (const [state, changes] of STATES) {
    for (const change of changes) assert.ok((await send(0, change)).ack.ok, `${state}: ${change.type}`);
    for (const [who, client] of setup.clients.entries()) {
      for (const [type, make] of Object.entries(OPS)) {
        const s = await snapshot();
        const expected = may(type, client.role, s.map);
        const {ack} = await send(who, make(s));
        const accepted = ack.ok || !["forbidden", "locked"].includes(ack.error.code);
        assert.equal(expected, accepted, `${state}, ${client.role}, ${type}: ${JSON.stringify(ack.error || {})}`);
        // On an open board only the roles speak: what the controls are built from is what is accepted.
        if (state === "open") assert.equal(roleMay(type, client.role), accepted, `${client.role} may ever send ${type}`);
      }
    }
  }
});
