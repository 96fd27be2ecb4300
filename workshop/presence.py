"""Who is online, shared by every process of a deployment through the database.

Each socket that joins a map leaves a row (sid, map, participant, server). Each process keeps a
heartbeat row; the rows of a process that stopped beating (killed, crashed) stop counting after
STALE_AFTER seconds and are swept by the next live process. The actor behind a socket is kept in
memory: only the process holding the socket needs it.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import delete, select

from .db import Database
from .models import Connection, Server, utcnow
from .ops.base import Actor

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 10
STALE_AFTER = timedelta(seconds=3 * HEARTBEAT_SECONDS)


class Presence:
    def __init__(self, db: Database):
        self.db = db
        self.server_id = str(uuid.uuid4())
        self._lock = threading.Lock()
        self._actors: dict[str, Actor] = {}
        self._stopped = threading.Event()
        self._beating = threading.Lock()  # held by a beat: stop() waits for it
        self._editing: dict[str, set[tuple[str, str]]] = {}
        self._joined: dict[str, set[str]] = {}  # sid -> maps it joined, for checks without a query
        self._orphans: set[str] = set()  # sids whose rows a failed disconnect left; the heartbeat retries

    # -- this process's sockets -------------------------------------------------------------------

    def connect(self, sid: str, actor: Actor) -> None:
        with self._lock:
            self._actors[sid] = actor

    def actor(self, sid: str) -> Actor | None:
        return self._actors.get(sid)

    def has_joined(self, sid: str, map_id: str) -> bool:
        return map_id in self._joined.get(sid, ())

    def join(self, sid: str, map_id: str) -> None:
        actor = self._actors[sid]
        with self._lock:
            self._joined.setdefault(sid, set()).add(map_id)
        with self.db.write() as s:
            if s.get(Connection, (sid, map_id)) is None:
                s.add(
                    Connection(
                        sid=sid,
                        map_id=map_id,
                        participant_id=actor.id,
                        workshop_id=actor.workshop_id,
                        server_id=self.server_id,
                    )
                )

    def leave(self, sid: str, map_id: str) -> None:
        with self._lock:
            self._joined.get(sid, set()).discard(map_id)
        with self.db.write() as s:
            s.execute(delete(Connection).where(Connection.sid == sid, Connection.map_id == map_id))

    def disconnect(self, sid: str) -> tuple[Actor | None, list[str]]:
        """Forget a socket; answer its actor and the maps it had joined."""
        with self._lock:
            actor = self._actors.pop(sid, None)
            self._joined.pop(sid, None)
        try:
            with self.db.write() as s:
                maps = list(s.scalars(select(Connection.map_id).where(Connection.sid == sid)))
                s.execute(delete(Connection).where(Connection.sid == sid))
        except Exception:
            with self._lock:
                self._orphans.add(sid)
            raise
        return actor, maps

    def mark_editing(self, sid: str, map_id: str, target_id: str, editing: bool) -> None:
        with self._lock:
            marks = self._editing.setdefault(sid, set())
            (marks.add if editing else marks.discard)((map_id, target_id))

    def editing_on(self, map_id: str) -> list[dict[str, str]]:
        """The marks currently held by this process's sockets on a map, for a socket that joins."""
        with self._lock:
            return [
                {
                    "map_id": map_id,
                    "target_id": target,
                    "participant_id": self._actors[sid].id,
                    "name": self._actors[sid].name,
                    "editing": True,
                }
                for sid, marks in self._editing.items()
                if sid in self._actors
                for m, target in sorted(marks)
                if m == map_id
            ]

    def stop_editing(self, sid: str) -> set[tuple[str, str]]:
        """The (map, target) pairs a closing socket was editing, so others can clear their marks."""
        with self._lock:
            return self._editing.pop(sid, set())

    # -- the whole deployment ------------------------------------------------------------------------

    def _online(self, where: object) -> set[str]:
        alive = select(Server.id).where(Server.seen_at > utcnow() - STALE_AFTER)
        with self.db.read() as s:
            stmt = select(Connection.participant_id).where(where, Connection.server_id.in_(alive))
            return set(s.scalars(stmt))

    def online(self, workshop_id: str) -> set[str]:
        return self._online(Connection.workshop_id == workshop_id)

    def online_on(self, map_id: str) -> set[str]:
        return self._online(Connection.map_id == map_id)

    def beat(self) -> None:
        """Say this process is alive and sweep the rows of processes that are not."""
        now = utcnow()
        with self._lock:
            orphans = set(self._orphans)
        with self.db.write() as s:
            if orphans:
                s.execute(delete(Connection).where(Connection.sid.in_(orphans)))
            me = s.get(Server, self.server_id)
            if me is None:
                s.add(Server(id=self.server_id, seen_at=now))
            else:
                me.seen_at = now
            dead = list(s.scalars(select(Server.id).where(Server.seen_at <= now - STALE_AFTER)))
            if dead:
                s.execute(delete(Connection).where(Connection.server_id.in_(dead)))
                s.execute(delete(Server).where(Server.id.in_(dead)))
        with self._lock:
            self._orphans -= orphans

    def run_heartbeat(self, sleep: Callable[[float], None]) -> None:
        """The background task's body; `sleep` is the async mode's own (socketio.sleep)."""
        while not self._stopped.is_set():
            with self._beating:
                if self._stopped.is_set():
                    break
                try:
                    self.beat()
                except Exception:  # a database hiccup must not end the heartbeat
                    log.exception("presence heartbeat failed")
            sleep(HEARTBEAT_SECONDS)

    def stop(self) -> None:
        """No beat after this returns (one under way is waited for): the caller may then dispose
        of the database's pool without the heartbeat using it meanwhile."""
        self._stopped.set()
        with self._beating:
            pass
