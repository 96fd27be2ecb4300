"""Admission control for Socket.IO input: every event is counted and limited when it arrives.

python-socketio starts one task per incoming event as soon as the frame is read, so without a
gate a burst of frames becomes a burst of tasks that all wait for the database, and a limiter
checked inside the handler refills while that queue drains. Here each event is decided on
arrival, in the connection's reader, before any task exists:

- its kind's token bucket (ops share the REST bucket; reads and editing marks have their own);
- a bound on events admitted but not yet answered, per connection and for the whole process;
- reads (join, sync, leave take a snapshot or a replay) at most a few at once per member.

A refused event is answered `rate_limited` at once (clients send the same op again later). Admitted
events that need the database then wait for one of a bounded number of workers, sized below the
connection pool so REST requests and the heartbeat always find a connection; an event that cannot
get a worker within `worker_wait` seconds is answered `rate_limited` instead of timing out.

The gate sits on python-socketio's `Server._handle_event` (the one place that turns a decoded
EVENT packet into a task); tests/security/test_flood.py fails if a new python-socketio moves it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from socketio import packet

from .errors import OpError
from .ops.base import Actor

if TYPE_CHECKING:
    from flask_socketio import SocketIO

    from .state import AppState

log = logging.getLogger(__name__)

READS = frozenset({"join", "sync", "leave"})
# The events this server answers, and whether their handler touches the database.
EVENTS = {"op": True, "join": True, "sync": True, "leave": True, "editing": False, "viewport": False}


@dataclass(frozen=True)
class Limits:
    per_connection: int = 8  # events admitted and not yet answered, one socket
    in_flight: int = 256  # the same for the whole process
    reads_per_member: int = 2  # snapshots or replays computed at once for one participant
    workers: int = 8  # handlers using the database at once
    worker_wait: float = 2.0  # seconds an admitted op may wait for a worker (the client resends)
    # Reads wait longer: a join refused is an error screen in today's browser client, and a
    # reconnect storm (300 sockets after a restart) must get through. Below its 10 s ack timeout.
    read_wait: float = 8.0


@dataclass
class Ticket:
    sid: str
    member: str
    read: bool
    needs_db: bool


class Admission:
    def __init__(self, state: AppState, limits: Limits):
        self.state = state
        self.limits = limits
        self._lock = threading.Lock()
        self._per_sid: dict[str, int] = {}
        self._reads: dict[str, int] = {}
        self._in_flight = 0
        self._workers = threading.BoundedSemaphore(limits.workers)

    def admit(self, sid: str, name: str) -> Ticket:
        """Decide on arrival; raise OpError('rate_limited') to refuse."""
        actor: Actor | None = self.state.presence.actor(sid)
        member = actor.id if actor else sid
        ticket = Ticket(sid, member, name in READS, EVENTS[name])
        with self._lock:
            if self._in_flight >= self.limits.in_flight:
                raise OpError("rate_limited", "the server is busy: try again in a moment")
            if self._per_sid.get(sid, 0) >= self.limits.per_connection:
                raise OpError("rate_limited", "too many requests at once on this connection")
            if ticket.read and self._reads.get(member, 0) >= self.limits.reads_per_member:
                raise OpError("rate_limited", "too many reads at once: wait for the answers")
            self._bucket(name).check(member)
            self._in_flight += 1
            self._per_sid[sid] = self._per_sid.get(sid, 0) + 1
            if ticket.read:
                self._reads[member] = self._reads.get(member, 0) + 1
        return ticket

    def _bucket(self, name: str) -> Any:
        if name == "op":
            return self.state.limiter
        return self.state.read_limiter if name in READS else self.state.editing_limiter

    def release(self, ticket: Ticket) -> None:
        with self._lock:
            self._in_flight -= 1
            left = self._per_sid.get(ticket.sid, 1) - 1
            if left > 0:
                self._per_sid[ticket.sid] = left
            else:
                self._per_sid.pop(ticket.sid, None)
            if ticket.read:
                left = self._reads.get(ticket.member, 1) - 1
                if left > 0:
                    self._reads[ticket.member] = left
                else:
                    self._reads.pop(ticket.member, None)

    def run(self, ticket: Ticket, handler: Callable[[], None], refuse: Callable[[OpError], None]) -> None:
        """Run an admitted event's handler, holding a worker while it needs the database."""
        try:
            if not ticket.needs_db:
                handler()
                return
            wait = self.limits.read_wait if ticket.read else self.limits.worker_wait
            if not self._workers.acquire(timeout=wait):
                refuse(OpError("rate_limited", "the server is busy: try again in a moment"))
                return
            try:
                handler()
            finally:
                self._workers.release()
        finally:
            self.release(ticket)

    def in_flight(self) -> int:
        return self._in_flight


class ThrottledLog:
    """One line per `every` seconds for a kind of noise, with how many were left out."""

    def __init__(self, every: float = 10.0):
        self.every = every
        self._last: dict[str, float] = {}
        self._skipped: dict[str, int] = {}
        self._lock = threading.Lock()

    def warning(self, kind: str, message: str, *args: Any) -> None:
        now = time.monotonic()
        with self._lock:
            if now - self._last.get(kind, -self.every) < self.every:
                self._skipped[kind] = self._skipped.get(kind, 0) + 1
                return
            self._last[kind] = now
            skipped = self._skipped.pop(kind, 0)
        log.warning(
            message + (" (%d more since the last report)" if skipped else ""), *args, *((skipped,) if skipped else ())
        )


def install(socketio: SocketIO, state: AppState, limits: Limits) -> Admission:
    """Put the gate in front of python-socketio's event dispatch and quiet malformed packets."""
    server = socketio.server
    gate = Admission(state, limits)
    noise = ThrottledLog()

    def answer(eio_sid: str, namespace: str, id: int | None, err: OpError) -> None:
        if id is not None:
            server._send_packet(
                eio_sid, server.packet_class(packet.ACK, namespace=namespace, id=id, data=[{"ok": False, **err.body()}])
            )

    def handle_event(eio_sid: str, namespace: str | None, id: int | None, data: list[Any]) -> None:
        namespace = namespace or "/"
        sid = server.manager.sid_from_eio_sid(eio_sid, namespace)
        if not server.manager.is_connected(sid, namespace):
            return
        name = data[0] if isinstance(data, list) and data and isinstance(data[0], str) else None
        if name not in EVENTS:
            noise.warning("unknown-event", "socket %s sent an unknown event %.40r", sid, name)
            return
        try:
            ticket = gate.admit(sid, name)
        except OpError as err:
            answer(eio_sid, namespace, id, err)
            return

        def handler() -> None:
            server._handle_event_internal(server, sid, eio_sid, data, namespace, id)

        def task() -> None:
            gate.run(ticket, handler, lambda err: answer(eio_sid, namespace, id, err))

        if server.async_handlers:
            server.start_background_task(task)
        else:
            task()

    original_message = server._handle_eio_message

    def handle_message(eio_sid: str, data: Any) -> None:
        # A malformed packet is the sender's problem: a short throttled line, not a traceback each.
        try:
            original_message(eio_sid, data)
        except Exception as exc:  # python-socketio raises ValueError, KeyError, TypeError… on bad input
            noise.warning("malformed", "malformed Socket.IO packet from %s: %s %.80s", eio_sid, type(exc).__name__, exc)

    server._handle_event = handle_event
    server._handle_eio_message = handle_message
    server.eio.on("message", handle_message)  # Engine.IO kept the bound method it was given at start
    return gate
