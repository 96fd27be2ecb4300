// predict.js against the real engine: for each op a client may send, the board the client shows
// before the server answers (its store + its own prediction) is the board it shows once the server's
// event arrives. The ops come from the same three people as the fuzz (engine_server.py).
import {after, before, test} from "node:test";
import assert from "node:assert/strict";
import {setPage} from "../../static/js/page.js";
import {Store, applyEvent, cloneState} from "../../static/js/store.js";
import {predict} from "../../static/js/predict.js";
import {Engine, asSnapshot, normalised, seeded, seededUuid} from "./harness.mjs";

let engine;
let setup;
const rng = seeded(7);
const uuid = () => seededUuid(rng);

before(async () => {
  engine = new Engine();
  setup = await engine.request({cmd: "setup", clients: 3});
  setPage(setup.page);
});
after(() => engine.close());

async function storeOf(who) {
  const store = new Store();
  store.meId = setup.clients[who].id;
  store.reset((await engine.request({cmd: "join", who})).snapshot);
  return store;
}

/** Send `op` as client `who`: answers [predicted board, board after the event] as snapshots. */
async function predictedAndReal(who, op) {
  const store = await storeOf(who);
  const me = setup.clients[who];
  const full = {op_id: uuid(), map_id: setup.map_id, ...op};
  const guess = cloneState(store.state);
  const data = predict(guess, full, me, Date.now());
  assert.notEqual(data, null, `${op.type}: no prediction`);
  applyEvent(guess, op.type, data, {byMe: true});
  const {ack, events} = await engine.request({cmd: "op", who, op: full});
  assert.ok(ack.ok, JSON.stringify(ack));
  store.receive(events[who]);
  guess.seq = store.state.seq;
  return [normalised(asSnapshot(guess)), normalised(asSnapshot(store.state))];
}

const first = (state, name) => [...state[name].values()].sort((a, b) => a.position - b.position)[0].id;

const CASES = {
  "card.add": async (s) => ({
    type: "card.add",
    id: uuid(),
    lane_id: first(s, "lanes"),
    step_id: first(s, "steps"),
    kind: "idea",
    text: "Une idée",
    position: 0,
  }),
  "card.add face down": async (s) => ({
    type: "card.add",
    id: uuid(),
    lane_id: first(s, "lanes"),
    step_id: first(s, "steps"),
    kind: "note",
    text: "Cachée",
    visibility: "author",
  }),
  "step.add": async () => ({type: "step.add", id: uuid(), title: "Relance", position: 0}),
  "step.update": async (s) => ({type: "step.update", id: first(s, "steps"), title: "Renommée"}),
  "emotion.set": async (s) => ({type: "emotion.set", step_id: first(s, "steps"), score: -2}),
  "chantier.add": async () => ({type: "chantier.add", id: uuid(), title: "Fiche", owner: "Camille"}),
  "card.update": async (s) => ({type: "card.update", id: [...s.cards.values()][0].id, text: "Reformulée"}),
  "chantier.update": async (s) => ({type: "chantier.update", id: s.extra.chantiers[0].id, effort: 3}),
  "vote.cast": async (s) => {
    const round = {op_id: uuid(), type: "round.open", id: uuid(), target: "card", budget: 3};
    assert.ok((await engine.request({cmd: "op", who: 0, op: round})).ack.ok);
    return {type: "vote.cast", round_id: round.id, target_id: [...s.cards.values()][0].id};
  },
};

for (const [name, make] of Object.entries(CASES)) {
  test(`the prediction of ${name} is what the server answers`, async () => {
    const op = await make((await storeOf(1)).state);
    const [guess, real] = await predictedAndReal(1, op);
    assert.deepEqual(guess, real);
  });
}

test("a card moved within its cell: the prediction renumbers the cell as the server does", async () => {
  const store = await storeOf(2);
  const cell = {lane_id: first(store.state, "lanes"), step_id: first(store.state, "steps")};
  for (const text of ["a", "b", "c"]) {
    await engine.request({cmd: "op", who: 2, op: {op_id: uuid(), type: "card.add", id: uuid(), kind: "note", text, ...cell}});
  }
  const last = [...(await storeOf(2)).state.cards.values()].filter((c) => c.text === "c")[0];
  const [guess, real] = await predictedAndReal(2, {type: "card.move", id: last.id, ...cell, position: 0});
  assert.deepEqual(guess, real);
});

test("a vote beyond the budget is not predicted (the server will refuse it)", async () => {
  const state = (await storeOf(1)).state;
  const round = {
    id: uuid(),
    target: "card",
    budget: 1,
    max_per_item: null,
    secret: false,
    card_kind: null,
    open: true,
    results: [],
    voters: 0,
  };
  state.extra = {...state.extra, rounds: [round], my_votes: [{round_id: round.id, target_id: uuid()}]};
  assert.equal(predict(state, {type: "vote.cast", round_id: round.id, target_id: uuid()}, setup.clients[1]), null);
});
