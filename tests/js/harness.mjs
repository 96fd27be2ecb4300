// What the Node tests share: the store as a snapshot, a snapshot as a set of facts, the real engine
// behind a pipe (engine_server.py), and a fake Socket.IO transport that pairs Connection objects with
// it in memory — like tldraw's TestSocketPair: the sockets are fake, the server and the client are not.
import {spawn} from "node:child_process";
import {createInterface} from "node:readline";
import {fileURLToPath} from "node:url";
import path from "node:path";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const values = (m) => [...m.values()];

/** The store's state in the snapshot's own shape (CONTRACT.md §4). */
export function asSnapshot(state) {
  return {
    map: state.map,
    seq: state.seq,
    stages: values(state.stages),
    steps: values(state.steps),
    lanes: values(state.lanes),
    cards: values(state.cards),
    comments: values(state.comments),
    emotions: state.extra.emotions,
    resonance: state.extra.resonance,
    rounds: state.extra.rounds,
    my_votes: state.extra.my_votes,
    chantiers: state.extra.chantiers,
    participants: values(state.participants),
    timer: state.timer,
  };
}

const key =
  (...names) =>
  (row) =>
    names.map((n) => String(row[n])).join("|");
const ORDER = {emotions: key("step_id", "perspective"), resonance: key("step_id"), my_votes: key("round_id", "target_id")};

/** A snapshot as a set of facts: lists sorted (their order is the store's business), presence left out,
 *  keys sorted so that two equal snapshots print the same. */
export function normalised(snap) {
  const sortKeys = (v) =>
    Array.isArray(v)
      ? v.map(sortKeys)
      : v && typeof v === "object"
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sortKeys(v[k])]),
          )
        : v;
  const out = {};
  for (const [name, value] of Object.entries(snap)) {
    if (!Array.isArray(value)) {
      out[name] = value;
      continue;
    }
    const rows = value.map((row) => Object.fromEntries(Object.entries(row).filter(([k]) => k !== "online")));
    const by = ORDER[name] || key("id");
    out[name] = rows.sort((a, b) => by(a).localeCompare(by(b)));
  }
  return sortKeys(out);
}

/** The real engine in a Python process; request() answers in order. */
export class Engine {
  constructor() {
    const python = process.env.PARCOURS_PYTHON || path.join(ROOT, ".venv/bin/python");
    this.proc = spawn(python, [path.join(ROOT, "tests/js/engine_server.py")], {stdio: ["pipe", "pipe", "inherit"]});
    this.waiting = [];
    createInterface({input: this.proc.stdout}).on("line", (line) => this.waiting.shift().resolve(JSON.parse(line)));
    this.proc.on("exit", (code) => {
      for (const w of this.waiting.splice(0)) w.reject(new Error(`engine exited ${code}`));
    });
  }

  request(body) {
    return new Promise((resolve, reject) => {
      this.waiting.push({resolve, reject});
      this.proc.stdin.write(`${JSON.stringify(body)}\n`);
    });
  }

  close() {
    this.proc.stdin.end();
  }
}

/** A seeded random source (mulberry32): a failing seed replays the same run. */
export function seeded(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {next, int: (n) => Math.floor(next() * n), pick: (list) => list[Math.floor(next() * list.length)], chance: (p) => next() < p};
}

/** A socket with the part of Socket.IO's client interface that Connection uses. Nothing travels by
 *  itself: every frame waits in its room's queue until the test delivers it (in a seeded random
 *  order, so events may overtake each other); disconnect() loses whatever is on its way, as a
 *  dropped network does. */
export class FakeSocket {
  constructor(room, who) {
    this.room = room;
    this.who = who;
    this.handlers = new Map();
    this.connected = false;
    this.joined = false;
    this.life = 0; // bumped on every disconnect: frames of an older life are lost
  }

  on(name, fn) {
    (this.handlers.get(name) || this.handlers.set(name, []).get(name)).push(fn);
    return this;
  }
  listeners(name) {
    return this.handlers.get(name) || [];
  }
  fire(name, ...args) {
    for (const fn of this.listeners(name)) fn(...args);
  }

  /** A frame of this life of the socket: dropped if the connection went meanwhile. */
  frame(fn) {
    const life = this.life;
    this.room.queue.push(() => (this.life === life && this.connected ? fn() : undefined));
  }

  connect() {
    if (this.connected) return this;
    this.connected = true;
    this.frame(() => this.fire("connect"));
    return this;
  }

  disconnect() {
    if (!this.connected) return this;
    this.connected = false;
    this.joined = false;
    this.life += 1;
    this.fire("disconnect", "transport close");
    return this;
  }

  timeout() {
    return {emit: (name, body, ack) => this.emit(name, body, ack)};
  }

  emit(name, body, ack) {
    if (!this.connected) return;
    this.frame(async () => {
      const answer = await this.room.handle(this, name, body);
      if (ack) this.frame(() => ack(null, answer));
    });
  }

  deliver(name, payload) {
    if (this.joined)
      this.frame(() => {
        if (this.joined) this.fire(name, payload);
      });
  }
}

/** The map's room: frames on their way (to the engine or to a client), and the sockets joined. */
export class Room {
  constructor(engine, rng) {
    this.engine = engine;
    this.rng = rng;
    this.sockets = [];
    this.queue = [];
    this.duplicates = 0; // ops the engine had applied already (sent again after a lost ack)
  }

  socketFor(who) {
    return () => {
      const socket = new FakeSocket(this, who);
      this.sockets.push(socket);
      return socket.connect();
    };
  }

  /** Deliver one frame on its way, chosen at random; false when none is. */
  async step() {
    if (!this.queue.length) return false;
    const [frame] = this.queue.splice(this.rng.int(this.queue.length), 1);
    await frame();
    return true;
  }

  async handle(socket, name, body) {
    if (name === "join") {
      const answer = await this.engine.request({cmd: "join", who: socket.who});
      socket.joined = socket.connected;
      return {...answer, editing: []};
    }
    if (name === "sync") return this.engine.request({cmd: "sync", who: socket.who, since: body.since});
    if (name === "op") {
      const {ack, events} = await this.engine.request({cmd: "op", who: socket.who, op: body});
      if (ack.duplicate) this.duplicates += 1;
      if (events) for (const s of this.sockets) s.deliver("event", events[s.who]);
      return ack;
    }
    return {ok: false, error: {code: "invalid", message: `no ${name} here`}};
  }
}

/** A v4 UUID from the seeded source (client-made ids): a seed replays the same ids. */
export function seededUuid(rng) {
  const hex = Array.from({length: 32}, () => rng.int(16).toString(16));
  hex[12] = "4";
  hex[16] = (8 + rng.int(4)).toString(16);
  const s = hex.join("");
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

/** An in-memory localStorage. */
export class MemoryStorage {
  constructor() {
    this.items = new Map();
  }
  getItem(k) {
    return this.items.has(k) ? this.items.get(k) : null;
  }
  setItem(k, v) {
    this.items.set(k, String(v));
  }
  removeItem(k) {
    this.items.delete(k);
  }
}
