// The live connection: join the map's room, feed the store with events in seq order, sync on a gap,
// and send this browser's ops with client-made op_ids. Unacknowledged ops stay in memory and in
// localStorage (a reload loses nothing) and are re-sent with the same op_id after a reconnect:
// the server applies an op_id once.
// The socket comes from a factory (`connect(options)` → an object with Socket.IO's client interface):
// the pages pass Socket.IO's `io`, tests/js a fake paired with an in-memory server. No DOM here.
import {page} from "./page.js";
import {uuid} from "./dom.js";
import {applyEvent, cloneState} from "./store.js";
import {predict} from "./predict.js";

const ACK_TIMEOUT = 10000;
// How a refusal is retried is the server's list (workshop/errors.py CLIENT_RETRY, in the page data):
// "always" says "not now" rather than "no" — the same op (same op_id) is sent again after a pause,
// so a busy or briefly unreachable server never makes a sticky note disappear, however long it lasts;
// "few" (a server fault) is tried a few times only; any other code is final.
const retryOf = (code) => (code && page().error_codes.retry[code]) || null;
const backoff = (attempts) => Math.min(10000, 1000 * attempts) * (0.75 + Math.random() / 2);

/** Server time = Date.now() + clock.offset; every estimate is a lower bound, keep the largest. */
export const clock = {
  offset: null, // first read from the page's server_now
  base() {
    if (this.offset === null) {
      const offset = Date.parse(page().server_now) - Date.now();
      this.offset = Number.isFinite(offset) ? offset : 0;
    }
    return this.offset;
  },
  observe(ts) {
    const estimate = Date.parse(ts) - Date.now();
    if (Number.isFinite(estimate) && estimate > this.base()) this.offset = estimate;
  },
  now() {
    return Date.now() + this.base();
  },
};

export class Connection extends EventTarget {
  constructor({mapId, token, me, store, connect, storage = null}) {
    super();
    this.connect = connect; // (options) → socket: Socket.IO's io(), or a test's fake
    this.storage = storage; // a test's stand-in for localStorage (read where a refusal is caught)
    this.mapId = mapId;
    this.token = token;
    this.me = me;
    this.store = store;
    this.socket = null;
    this.ready = false; // connected and joined
    this.inflight = null; // the op sent and not yet answered
    this.state = "connecting";
    this.syncTimer = null;
    this.retryTimer = null;
    this.storageKey = `parcours:pending:${mapId}:${me.id}`;
    this.done = new Set(); // op_ids this tab saw through (kept out of localStorage)
    this.pending = this.load(); // [{op, seq?, attempts}] in sending order
    store.addEventListener("change", () => this.prune());
  }

  // -- persistence ------------------------------------------------------------------------------

  load() {
    try {
      const list = JSON.parse((this.storage || localStorage).getItem(this.storageKey) || "[]");
      return Array.isArray(list) ? list.filter((x) => x && x.op && x.op.op_id).map((x) => ({op: x.op, attempts: 0})) : [];
    } catch {
      return [];
    }
  }

  save() {
    // Another tab of the same person may keep its own pending ops under this key: keep theirs.
    let stored = [];
    try {
      stored = JSON.parse((this.storage || localStorage).getItem(this.storageKey) || "[]");
    } catch {
      stored = [];
    }
    const mine = new Set(this.pending.map((x) => x.op.op_id));
    const others = (Array.isArray(stored) ? stored : []).filter((x) => x && x.op && !mine.has(x.op.op_id) && !this.done.has(x.op.op_id));
    const list = others.concat(this.pending.filter((x) => x.seq === undefined).map((x) => ({op: x.op})));
    try {
      if (list.length) (this.storage || localStorage).setItem(this.storageKey, JSON.stringify(list));
      else (this.storage || localStorage).removeItem(this.storageKey);
    } catch {
      /* storage full or private mode: memory still holds them */
    }
  }

  // -- the socket -------------------------------------------------------------------------------

  start() {
    this.socket = this.connect({auth: {token: this.token}, reconnectionDelay: 500, reconnectionDelayMax: 4000});
    const s = this.socket;
    s.on("connect", () => this.join());
    s.on("disconnect", (reason) => {
      this.ready = false;
      this.inflight = null;
      this.setState("offline");
      if (reason === "io server disconnect") setTimeout(() => s.connect(), 1000);
    });
    s.on("connect_error", (err) => {
      this.setState("offline");
      if (err && err.message === "unauthorized") {
        s.disconnect();
        this.dispatchEvent(new CustomEvent("unauthorized"));
      }
    });
    s.on("event", (event) => this.onEvent(event));
    s.on("presence", (p) => {
      if (p && p.map_id === this.mapId) this.store.setPresence(p.participants || []);
    });
    // The browser knows first when the network goes: do not wait for a ping timeout.
    if (typeof window === "undefined") return;
    window.addEventListener("offline", () => {
      if (s.connected) s.disconnect();
      this.setState("offline");
    });
    window.addEventListener("online", () => {
      if (!s.connected) s.connect();
    });
  }

  /** Drop the connection on purpose (tests, "work offline"); `resume()` reconnects. */
  pause() {
    this.socket.disconnect();
    this.setState("offline");
  }
  resume() {
    if (!this.socket.connected) this.socket.connect();
  }

  join() {
    this.setState("connecting");
    this.socket.timeout(ACK_TIMEOUT).emit("join", {map_id: this.mapId}, (err, ack) => {
      if (err || !ack) {
        this.socket.disconnect();
        setTimeout(() => this.socket.connect(), 1000);
        return;
      }
      if (!ack.ok && retryOf(ack.error && ack.error.code) === "always") {
        this.joinAttempts = (this.joinAttempts || 0) + 1;
        setTimeout(() => this.join(), backoff(this.joinAttempts));
        return;
      }
      if (!ack.ok) {
        this.dispatchEvent(new CustomEvent("fatal", {detail: ack.error}));
        return;
      }
      this.joinAttempts = 0;
      this.store.reset(ack.snapshot);
      // The editing marks already open when we (re)joined, handed to the same listeners as live ones.
      for (const mark of ack.editing || []) for (const fn of this.socket.listeners("editing")) fn(mark);
      this.ready = true;
      this.setState("online");
      if (this.store.hasGap()) this.sync();
      this.pump();
    });
  }

  setState(state) {
    if (this.state === state) return;
    this.state = state;
    this.dispatchEvent(new CustomEvent("status", {detail: state}));
  }

  onEvent(event) {
    if (!event || event.map_id !== this.mapId) return;
    clock.observe(event.ts);
    const complete = this.store.receive(event);
    // Our own op came back as an event: it is in the store of record now.
    const mine = this.pending.find((x) => x.op.op_id === event.op_id);
    if (mine && mine.seq === undefined) {
      mine.seq = event.seq;
      this.done.add(event.op_id);
      this.save();
    }
    this.prune();
    if (!complete) this.scheduleSync();
  }

  scheduleSync() {
    if (this.syncTimer) return;
    // Events from different server processes may just be late: give them a moment first.
    this.syncTimer = setTimeout(() => {
      this.syncTimer = null;
      if (this.store.hasGap()) this.sync();
    }, 300);
  }

  sync() {
    if (!this.ready) return;
    this.socket.timeout(ACK_TIMEOUT).emit("sync", {map_id: this.mapId, since: this.store.seq}, (err, ack) => {
      if (err || !ack || !ack.ok) {
        this.scheduleSync();
        return;
      }
      if (ack.snapshot) this.store.reset(ack.snapshot);
      for (const event of ack.events || []) this.store.receive(event);
      this.prune();
    });
  }

  // -- ops ---------------------------------------------------------------------------------------

  /** Queue an op (fields without op_id/map_id); answers the op, with its op_id. */
  send(fields) {
    const op = {map_id: this.mapId, op_id: uuid(), ...fields};
    this.pending.push({op, attempts: 0});
    this.save();
    this.store.changed({pending: true});
    this.pump();
    return op;
  }

  get unsent() {
    return this.pending.filter((x) => x.seq === undefined).length;
  }

  pump() {
    if (!this.ready || this.inflight || this.retryTimer) return;
    const item = this.pending.find((x) => x.seq === undefined);
    if (!item) return;
    this.inflight = item;
    item.attempts += 1;
    const ticket = (this.sendNo = (this.sendNo || 0) + 1);
    this.socket.timeout(ACK_TIMEOUT).emit("op", item.op, (err, ack) => {
      // Disconnected meanwhile: the op is re-sent (same op_id) after the reconnect, this answer is stale.
      if (this.inflight !== item || this.sendNo !== ticket) return;
      this.inflight = null;
      if (err || !ack) {
        this.retry(1500);
        return;
      }
      if (ack.ok) {
        item.seq = ack.seq;
        this.done.add(item.op.op_id);
      } else if (
        retryOf(ack.error && ack.error.code) === "always" ||
        (retryOf(ack.error && ack.error.code) === "few" && item.attempts < 6)
      ) {
        this.retry(backoff(item.attempts));
        return;
      } else {
        this.pending = this.pending.filter((x) => x !== item);
        this.done.add(item.op.op_id);
        this.dispatchEvent(new CustomEvent("rejected", {detail: {op: item.op, error: ack.error || {}}}));
      }
      this.save();
      this.prune();
      this.store.changed({pending: true});
      this.pump();
    });
  }

  retry(ms) {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.pump();
    }, ms);
  }

  /** Forget acknowledged ops once the store has reached their seq. */
  prune() {
    const seq = this.store.seq;
    const before = this.pending.length;
    this.pending = this.pending.filter((x) => x.seq === undefined || x.seq > seq);
    if (this.pending.length !== before) this.save();
  }

  /** The board as this browser shows it: the store of record plus its own unconfirmed ops. */
  view() {
    const state = this.store.state;
    if (!state) return null;
    const overlay = this.pending.filter((x) => x.seq === undefined || x.seq > state.seq);
    if (!overlay.length) return state;
    const copy = cloneState(state);
    copy.pendingIds = new Set();
    for (const {op} of overlay) {
      const data = predict(copy, op, this.me, clock.now());
      if (data === null) continue;
      applyEvent(copy, op.type, data);
      if (op.id) copy.pendingIds.add(op.id);
    }
    return copy;
  }
}
