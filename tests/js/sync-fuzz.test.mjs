// Seeded fuzz of the live connection (issue #11, point 3; after tldraw's syncFuzz.test.ts): 2–4
// clients — the real static/js/store.js, predict.js and socket.js Connection — send random ops
// against the real engine (engine_server.py) through fake sockets that delay frames, reorder
// events and drop connections at random (ops in flight are then re-sent with the same op_id).
// When everyone is back online and idle, every store equals the snapshot the server gives that
// client, and every client's view (store + optimistic overlay) equals its store.
// A seed that once failed stays below as a named test; FUZZ_SEEDS=n runs n more random seeds.
import {mock, test} from "node:test";
import assert from "node:assert/strict";
import {setPage} from "../../static/js/page.js";
import {Store, orderedSteps} from "../../static/js/store.js";
import {Connection} from "../../static/js/socket.js";
import {Engine, MemoryStorage, Room, asSnapshot, normalised, seeded, seededUuid} from "./harness.mjs";

// Sorted by something a seed replays: client-made ids are seeded, the template's are not.
const ids = (m) => [...m.keys()].sort();

/** One random thing a client may do, as an op built from what it sees (its view), or null. */
function randomOp(rng, view, me) {
  const randomUUID = () => seededUuid(rng);
  const steps = orderedSteps(view).map((s) => s.id);
  // Few cells, so that cards share them and positions matter.
  const lanes = [...view.lanes.values()]
    .sort((a, b) => a.position - b.position)
    .slice(0, 2)
    .map((l) => l.id);
  const cards = [...view.cards.values()].filter((c) => !c.hidden).sort((a, b) => a.id.localeCompare(b.id));
  const sheets = view.extra.chantiers || [];
  const round = (view.extra.rounds || []).find((r) => r.open);
  const closed = (view.extra.rounds || []).find((r) => !r.open);
  const facilitator = me.role === "facilitator";
  const choices = [
    () => ({
      type: "card.add",
      id: randomUUID(),
      lane_id: rng.pick(lanes),
      step_id: rng.pick(steps.slice(0, 3)),
      kind: rng.pick(["note", "idea", "irritant"]),
      text: `c${rng.int(1000)}`,
      ...(rng.chance(0.2) ? {visibility: "author"} : {}),
      ...(rng.chance(0.3) ? {position: 0} : {}),
    }),
    () => cards.length && {type: "card.update", id: rng.pick(cards).id, text: `u${rng.int(1000)}`},
    () =>
      cards.length && {
        type: "card.move",
        id: rng.pick(cards).id,
        lane_id: rng.pick(lanes),
        step_id: rng.pick(steps.slice(0, 3)),
        position: rng.int(3),
      },
    () => cards.length && {type: "card.delete", id: rng.pick(cards).id},
    () => cards.length && {type: "comment.add", id: randomUUID(), target_id: rng.pick(cards).id, text: "+1"},
    () => view.comments.size && {type: "comment.delete", id: rng.pick(ids(view.comments))},
    () => ({type: "emotion.set", step_id: rng.pick(steps), score: rng.chance(0.2) ? null : rng.int(5) - 2}),
    () => ({type: "step.add", id: randomUUID(), title: `s${rng.int(100)}`, ...(rng.chance(0.5) ? {position: rng.int(4)} : {})}),
    () => ({type: "step.update", id: rng.pick(steps), title: `t${rng.int(100)}`}),
    () => ({type: "chantier.add", id: randomUUID(), title: `f${rng.int(100)}`}),
    () =>
      sheets.length && {
        type: "chantier.update",
        id: rng.pick(sheets).id,
        ...(rng.chance(0.5) ? {owner: `o${rng.int(9)}`} : {effort: 1 + rng.int(5)}),
      },
    () =>
      round &&
      round.target === "card" &&
      cards.length && {type: rng.chance(0.7) ? "vote.cast" : "vote.retract", round_id: round.id, target_id: rng.pick(cards).id},
  ];
  if (facilitator) {
    choices.push(
      () =>
        round
          ? {type: "round.close", id: round.id}
          : {type: "round.open", id: randomUUID(), target: "card", budget: 3, secret: rng.chance(0.5)},
      () => ({type: "board.silent", silent: rng.chance(0.5)}),
      () => ({type: "phase.set", phase: rng.pick(["diagnostic", "ideation", "selection"])}),
      () => steps.length > 2 && {type: "step.delete", id: rng.pick(steps)},
      () => ({type: "step.move", id: rng.pick(steps), position: rng.int(5)}),
      () => ({type: "lane.move", id: rng.pick(lanes), position: rng.int(5)}),
      () => ({type: "cards.reveal"}),
      () => ({type: "timer.start", seconds: 60 + rng.int(300)}),
      () => sheets.length && {type: "chantier.delete", id: rng.pick(sheets).id},
      () => closed && {type: "round.promote", id: closed.id, count: 1 + rng.int(2)},
      () => ({type: "chantier.from_winners"}),
    );
  }
  // Cards most of the time: they share cells, so their positions are the hardest to keep in step.
  const weighted = [...choices, choices[0], choices[0], choices[2], choices[2], choices[2], choices[1]];
  return rng.pick(weighted)() || null;
}

/** Deliver frames and let the clients' timers run (sync after a gap, retries) until every client
 *  is online, idle and at the server's seq. */
async function settle(room, conns, engine) {
  for (let round = 0; round < 2000; round += 1) {
    if (await room.step()) continue;
    const seq = (await engine.request({cmd: "snapshot", who: 0})).snapshot.seq;
    if (conns.every((c) => c.ready && c.unsent === 0 && !c.inflight && c.store.seq === seq && !c.store.hasGap())) return;
    mock.timers.tick(500);
  }
  throw new Error(`not settled: ${conns.map((c) => `${c.state}/${c.store.seq}/${c.unsent}`).join(" ")}`);
}

/** One run: `seed` decides the number of clients, every op, drop and delivery order. */
async function run(seed, {steps = 120} = {}) {
  const rng = seeded(seed);
  const n = 2 + rng.int(3);
  const engine = new Engine();
  mock.timers.enable({apis: ["setTimeout"]}); // the clients' timers advance only when the test says
  try {
    const setup = await engine.request({cmd: "setup", clients: n});
    setPage(setup.page);
    const room = new Room(engine, rng);
    const rejected = {}; // code → how many ops the server refused (a random op may be stale)
    const conns = setup.clients.map((me, who) => {
      const store = new Store();
      store.meId = me.id;
      const conn = new Connection({
        mapId: setup.map_id,
        token: `t${who}`,
        me,
        store,
        connect: room.socketFor(who),
        storage: new MemoryStorage(),
      });
      conn.addEventListener("rejected", (e) => {
        rejected[e.detail.error.code] = (rejected[e.detail.error.code] || 0) + 1;
      });
      conn.start();
      return conn;
    });
    let drops = 0;
    for (let i = 0; i < steps; i += 1) {
      const conn = rng.pick(conns);
      if (rng.chance(0.05)) {
        if (conn.socket.connected) {
          conn.pause();
          drops += 1;
        } else conn.resume();
      } else if (conn.view()) {
        const op = randomOp(rng, conn.view(), conn.me);
        if (op) conn.send({op_id: seededUuid(rng), ...op});
      }
      for (let k = rng.int(6); k > 0; k -= 1) await room.step();
      if (rng.chance(0.1)) mock.timers.tick(rng.int(400));
    }
    for (const conn of conns) conn.resume();
    await settle(room, conns, engine);
    const applied = conns[0].store.seq - setup.seq;
    if (process.env.FUZZ_VERBOSE)
      console.log(`seed ${seed}: ${n} clients, ${applied} ops applied, ${drops} drops, ${room.duplicates} sent again, refused:`, rejected);
    assert.ok(applied > steps / 4, `seed ${seed}: only ${applied} ops applied: the fuzz tests little`);
    for (const [who, conn] of conns.entries()) {
      const {snapshot} = await engine.request({cmd: "snapshot", who});
      assert.deepEqual(
        normalised(asSnapshot(conn.store.state)),
        normalised(snapshot),
        `seed ${seed}: client ${who}'s store differs from its snapshot`,
      );
      assert.equal(conn.view(), conn.store.state, `seed ${seed}: client ${who} still shows unconfirmed ops`);
    }
  } finally {
    mock.timers.reset();
    engine.close();
  }
}

// Seeds kept because they once failed (name what they caught).
const KEPT = {};

for (const [name, seed] of Object.entries(KEPT)) test(`kept seed ${seed}: ${name}`, () => run(seed));

const base = Number(process.env.FUZZ_SEED || 1);
const extra = Number(process.env.FUZZ_SEEDS || 4);
for (let i = 0; i < extra; i += 1) test(`random seed ${base + i}`, () => run(base + i));
