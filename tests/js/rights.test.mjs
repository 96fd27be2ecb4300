// rights.js against the real engine: for the facilitator and a participant, on a board in
// each state (open, locked, closed, steps kept to the facilitator), what the browser says it may send
// is what the engine accepts (refused with forbidden or locked otherwise). The roles come from the
// page data, as in the browser. Whose row an op may touch (PAGE.author_ops), the side a rating counts
// on and why a board is read-only are checked against the same engine.
import {after, before, test} from "node:test";
import assert from "node:assert/strict";
import {setPage} from "../../static/js/page.js";
import {isFacilitator, isObserver, may, mayOnRow, ratingSide, readOnlyReason, roleMay} from "../../static/js/rights.js";
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
        // The banner over a board one cannot write on says so exactly when a card would be refused.
        if (type === "card.add") assert.equal(readOnlyReason(client, s.map) === null, accepted, `${state}, ${client.role}: banner`);
      }
    }
  }
});

test("an observer may send no op: its board is read-only, with its own banner", () => {
  const observer = {id: "o", role: "observer"};
  assert.ok(isObserver(observer));
  for (const [type, roles] of Object.entries(setup.page.op_roles)) assert.ok(!roles.includes("observer"), type);
  assert.equal(readOnlyReason(observer, {locked: false, phase: setup.page.phases[0]}), "observer");
  assert.equal(readOnlyReason(observer, {locked: true, phase: setup.page.phases[0]}), "locked");
  assert.deepEqual(
    setup.clients.map((c) => [isFacilitator(c), isObserver(c)]),
    [
      [true, false],
      [false, false],
    ],
  );
});

test("deleting and restoring a card or a comment: what the browser offers is what the engine accepts", async () => {
  // A fresh board of its own (the test above leaves its board closed): the facilitator and two participants.
  const own = new Engine();
  try {
    const {clients} = await own.request({cmd: "setup", clients: 3});
    const op = (who, body, opId = uuid()) => own.request({cmd: "op", who, op: {op_id: opId, ...body}});
    const accepted = ({ack}) => ack.ok || !["forbidden", "locked"].includes(ack.error.code);
    const snap = async () => (await own.request({cmd: "snapshot", who: 0})).snapshot;
    const newCard = async (author) => {
      const s = await snap();
      const id = uuid();
      const add = {type: "card.add", id, lane_id: s.lanes[0].id, step_id: s.steps[0].id, text: "Attente"};
      assert.ok((await op(author, add)).ack.ok);
      return (await snap()).cards.find((c) => c.id === id);
    };
    const seen = new Set();
    for (const author of [0, 1]) {
      for (const [who, me] of clients.entries()) {
        const label = `${me.role} ${who} on the card of ${clients[author].role} ${author}`;
        // card.delete, then card.restore of that delete (made by the author, who may always).
        let card = await newCard(author);
        const map = (await snap()).map;
        const mayDelete = mayOnRow("card.delete", me, card, map);
        seen.add(mayDelete);
        assert.equal(mayDelete, accepted(await op(who, {type: "card.delete", id: card.id})), `${label}: card.delete`);
        card = await newCard(author);
        const deleteId = uuid();
        assert.ok((await op(author, {type: "card.delete", id: card.id}, deleteId)).ack.ok);
        const restore = {type: "card.restore", id: card.id, delete_op_id: deleteId};
        assert.equal(mayOnRow("card.restore", me, card, map), accepted(await op(who, restore)), `${label}: card.restore`);
        // comment.delete, on a comment of the same author.
        card = await newCard(0);
        const commentId = uuid();
        assert.ok((await op(author, {type: "comment.add", id: commentId, target_id: card.id, text: "Oui"})).ack.ok);
        const comment = (await snap()).comments.find((c) => c.id === commentId);
        const expected = mayOnRow("comment.delete", me, comment, map);
        assert.equal(expected, accepted(await op(who, {type: "comment.delete", id: commentId})), `${label}: comment.delete`);
      }
    }
    assert.deepEqual([...seen].sort(), [false, true], "both answers were checked");
  } finally {
    own.close();
  }
});

test("a rating counts on the side the browser predicts: a facilitator without a side counts nowhere", async () => {
  const own = new Engine();
  try {
    const {clients} = await own.request({cmd: "setup", clients: 2});
    const stepId = (await own.request({cmd: "snapshot", who: 0})).snapshot.steps[0].id;
    for (const [who, me] of clients.entries()) {
      const {ack} = await own.request({cmd: "op", who, op: {op_id: uuid(), type: "emotion.set", step_id: stepId, score: 1}});
      assert.ok(ack.ok);
      const {emotions} = (await own.request({cmd: "snapshot", who})).snapshot;
      const mine = emotions.find((r) => r.step_id === stepId && r.mine === 1);
      assert.equal(ratingSide(me), mine.perspective, `${me.role}'s side`);
    }
    assert.equal(ratingSide(clients[0]), "none");
  } finally {
    own.close();
  }
});
