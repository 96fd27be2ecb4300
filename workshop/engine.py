"""The one engine every change goes through: validate → authorise → apply → log → commit.

Adapters (Socket.IO, REST, the demo, tests) call `apply()` and then broadcast the returned event;
nothing is acknowledged before its transaction has committed. A plan the server made itself (an
import) goes through `apply_many()`: the same parsing, authorisation and handlers, one transaction
and one seq claim for many ops of one map.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy import bindparam, event, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from . import views
from .db import IDLE_PING_SECONDS, Database, ping
from .driver_sql import OpStatements
from .errors import OpError, from_validation, unavailable
from .models import Map, OpLog, utcnow
from .ops import REGISTRY
from .ops.base import Actor, Context, check_map_rules, plain_id

log = logging.getLogger(__name__)

MAX_OP_BYTES = 64 * 1024
RESERVED = ("op_id", "type", "map_id")


@dataclass
class Outcome:
    """What an adapter needs: the ack for the sender and, when something was applied, the event."""

    ack: dict[str, Any]
    event: dict[str, Any] | None = None


def _parse(raw: Any) -> tuple[str, str, Any]:
    """Check the envelope and the fields against the op type's schema."""
    if not isinstance(raw, dict):
        raise OpError("invalid", "an op is a JSON object")
    op_id = raw.get("op_id")
    try:
        op_id = str(uuid.UUID(op_id))
    except (ValueError, AttributeError, TypeError):
        raise OpError("invalid", "op_id: a client-made UUID is required", "op_id") from None
    return (op_id, *_parse_fields(raw))


def _parse_fields(raw: dict[str, Any]) -> tuple[str, Any]:
    """An op's size, type and fields (everything but its op_id)."""
    if len(json.dumps(raw, ensure_ascii=False).encode("utf-8", "surrogatepass")) > MAX_OP_BYTES:
        raise OpError("too_large", "an op is at most 64 kB")
    type_ = raw.get("type")
    spec = REGISTRY.get(type_) if isinstance(type_, str) else None
    if spec is None:
        raise OpError("invalid", f"type: unknown op type {type_!r}", "type")
    fields = {k: v for k, v in raw.items() if k not in RESERVED}
    try:
        return type_, spec.schema.model_validate(fields)
    except ValidationError as exc:
        raise from_validation(exc) from None


def _authorise(actor: Actor, type_: str, m: Map) -> None:
    if actor.role not in REGISTRY[type_].roles:
        raise OpError("forbidden", f"a {actor.role} may not send {type_}")
    if m.locked and not actor.is_facilitator:
        raise OpError("locked", "the facilitator has locked the board")
    check_map_rules(actor, REGISTRY[type_], m)


# Built once: constructing a statement costs more Python than executing its cached compiled form.
# One op's seq claim is an `UPDATE … RETURNING` and its log row an INSERT, both compiled once and
# run on the driver's cursor (driver_sql.py): the map comes back as a row (read-only; `Context.map`
# loads the ORM object only for the handlers that change the map). A batch's claim loads the ORM map
# (`from_statement`), which its many ops share; its log rows and the duplicate lookup are plain Core.
_MAPS, _LOG = Map.__table__, OpLog.__table__
# What authorisation and the handlers read of `ctx.map_row`: every column returned costs a column
# description and a result processor per op (a handler that needs more reads `ctx.map`).
CLAIMED = ("id", "workshop_id", "seq", "locked", "phase", "structure_edits", "silent_writing")
_CLAIM = (
    update(_MAPS)
    .where(_MAPS.c.id == bindparam("p_map"))
    .values(seq=_MAPS.c.seq + 1)
    .returning(*(_MAPS.c[name] for name in CLAIMED))
)
_CLAIM_MANY = select(Map).from_statement(
    update(_MAPS).where(_MAPS.c.id == bindparam("p_map")).values(seq=_MAPS.c.seq + bindparam("p_n")).returning(*_MAPS.c)
)
# Only in a map of the sender's workshop: a refusal of another workshop's map must stay not_found.
_EARLIER = select(_LOG.c.seq, _LOG.c.type, _LOG.c.data).where(
    _LOG.c.map_id == bindparam("p_map"),
    _LOG.c.op_id == bindparam("p_op"),
    _LOG.c.map_id.in_(select(_MAPS.c.id).where(_MAPS.c.workshop_id == bindparam("p_workshop"))),
)
_LOG_INSERT = insert(_LOG)
_LOG_KEYS = ("map_id", "seq", "op_id", "actor_id", "type", "payload", "data", "ts")  # what `_log_row` gives


def _statements(db: Database) -> OpStatements:
    """One op's claim and log insert, compiled once for this database and run on the driver's
    cursor (driver_sql.py says why). `inline()`: the log row's id is not read back."""
    if db.op_statements is None:
        db.op_statements = OpStatements(
            db.writer,
            _CLAIM,
            insert(_LOG).inline(),
            _LOG_KEYS,
            keep=db.socket_workers,
            rested=IDLE_PING_SECONDS,
            ping=ping,
        )
    return db.op_statements


def _log_row(
    map_id: str, seq: int, op_id: str, actor: Actor, type_: str, fields: Any, data: Any, now: Any
) -> dict[str, Any]:
    """The op-log row of one applied op: what it asked (`payload`) and what it did (`data`, unredacted)."""
    return {
        "map_id": map_id,
        "seq": seq,
        "op_id": op_id,
        "actor_id": actor.id,
        "type": type_,
        "payload": fields.model_dump(mode="json", exclude_unset=True),
        "data": data,
        "ts": now,
    }


def _earlier(db: Database, map_id: str, actor: Actor, op_id: str) -> Any:
    """The log row of an op already applied with this op_id to this map of the actor's workshop (its
    seq, type and data), or None. Read in a transaction of its own, after the refused one rolled
    back: that one waited for the map's lock, so an earlier copy of the op has committed by now and
    a fresh snapshot sees it."""
    with db.read() as session:
        params = {"p_map": map_id, "p_op": op_id, "p_workshop": actor.workshop_id}
        return session.execute(_EARLIER, params).first()


def apply(db: Database, map_id: str, actor: Actor, raw: Any) -> Outcome:
    """Apply one op from `actor` to map `map_id`. Never raises for bad input: refusals come back
    as `{ok: false, error}` acks."""
    try:
        op_id, type_, fields = _parse(raw)
        if plain_id(map_id) is None:  # a map id is a UUID; anything else never reaches the database
            raise OpError("not_found", "no such map", "map_id")
        return _apply_parsed(db, map_id, actor, op_id, type_, fields)
    except OpError as err:
        return Outcome({"ok": False, **err.body()})
    except Exception as exc:  # a bug or a lost database must not take the server down
        passing = unavailable(exc)
        if passing is not None:
            log.warning("op on map %s: database unavailable (%s)", map_id, type(exc).__name__)
            return Outcome({"ok": False, **passing.body()})
        log.exception("op %r on map %s failed", raw.get("type") if isinstance(raw, dict) else raw, map_id)
        return Outcome({"ok": False, "error": {"code": "internal", "message": "the server could not apply this op"}})


def _apply_parsed(db: Database, map_id: str, actor: Actor, op_id: str, type_: str, fields: Any) -> Outcome:
    """Idempotency without a lookup per op: the log's unique (map_id, op_id) refuses a second copy
    of an op when its row is written, and rolls back whatever that copy did. Only an op that is
    refused (by that key, or by its handler: a resent `card.add` finds its id taken) looks for an
    earlier copy, to answer it as a duplicate."""
    try:
        seq, data, event = _apply_once(db, map_id, actor, op_id, type_, fields)
    except (OpError, IntegrityError):
        earlier = _earlier(db, map_id, actor, op_id)
        if earlier is None:
            raise
        data = views.redact_data(earlier.type, earlier.data, actor)
        return Outcome({"ok": True, "seq": earlier.seq, "data": data, "duplicate": True})
    return Outcome({"ok": True, "seq": seq, "data": views.redact_data(type_, data, actor)}, event)


def _apply_once(
    db: Database, map_id: str, actor: Actor, op_id: str, type_: str, fields: Any
) -> tuple[int, Any, dict[str, Any]]:
    """Claim the next seq, apply, log and commit: the op's seq, its (unredacted) data and event.
    On PostgreSQL the claim keeps the map's row locked until commit, so ops on one map are applied
    one at a time across every process (SQLite: BEGIN IMMEDIATE, one writer at a time)."""
    statements = _statements(db)
    with statements.transaction() as conn:
        m = statements.run_claim(conn, map_id)
        if m is None or m.workshop_id != actor.workshop_id:
            # Another workshop's map answers exactly like a missing one.
            raise OpError("not_found", "no such map", "map_id")
        _authorise(actor, type_, m)
        now = utcnow()
        ctx = Context(conn, m, actor, now)
        try:
            data = REGISTRY[type_].handler(ctx, fields)
            ctx.flush()  # the handler's ORM changes, before their log row
        finally:
            ctx.close()
        statements.run_log_insert(conn, _log_row(map_id, m.seq, op_id, actor, type_, fields, data, now))
    return m.seq, data, views.event_of(map_id, m.seq, op_id, type_, actor.id, data, now)


# -- many ops of one map at once: an import's plan ------------------------------------------------


@dataclass
class BatchOutcome:
    """`seqs`: the seq of each op, all applied and committed; or `refused`: the index of the op that
    was refused and its error, and then nothing of the batch was applied (no seq was used)."""

    seqs: range | None = None
    refused: int | None = None
    error: dict[str, Any] | None = None


class _BatchRefused(Exception):
    def __init__(self, index: int, err: OpError):
        super().__init__(err.message)
        self.index, self.err = index, err


def _hold_references(session: Session) -> None:
    """Keep every object the batch loads until it ends. The session's identity map holds its objects
    weakly: without this, the map, lanes and steps each op looks up would be forgotten as soon as
    its handler returns and read again by the next op (SQLAlchemy's documented "strong reference"
    recipe, for this session only)."""
    held = session.info.setdefault("held", set())

    @event.listens_for(session, "pending_to_persistent")
    @event.listens_for(session, "loaded_as_persistent")
    def hold(_session: Session, instance: Any) -> None:
        held.add(instance)


def _claim_many(session: Session, map_id: str, count: int) -> Map | None:
    """`count` seqs in one statement: the map's seq moves from s to s + count, the batch's ops take
    s + 1 … s + count in order (a refusal rolls the whole claim back: no gap)."""
    return session.execute(
        _CLAIM_MANY, {"p_map": map_id, "p_n": count}, execution_options={"populate_existing": True}
    ).scalar()


def apply_many(db: Database, map_id: str, ops: Sequence[tuple[Actor, dict[str, Any]]]) -> BatchOutcome:
    """Apply a plan the server made (ops of one map, each with its sender) in one transaction: all
    of it or, at the first refusal, none of it. Each op is parsed by its type's schema, authorised
    and applied by its handler exactly as `apply()` does; what the batch saves is the rest:
    - one seq claim for the whole batch instead of one per op;
    - no duplicate to answer: the engine makes each op's id here (a new UUID4), so none can already
      be in the log, and any `op_id` in `raw` is ignored; a refusal refuses the batch. A client's
      op, whose op_id may be a resend, always goes through `apply()`;
    - the log rows in one executemany at the end (a handler that reads the log sees the ops of
      earlier batches, not of this one);
    - no event: the only caller imports into maps nobody has joined yet (a new workshop).
    Never raises for bad input; a lost database answers `unavailable` like `apply()`."""
    if not ops:
        return BatchOutcome(seqs=range(0))
    index = 0
    try:
        parsed = []
        for actor, raw in ops:
            index = len(parsed)
            if not isinstance(raw, dict):
                raise OpError("invalid", "an op is a JSON object")
            parsed.append((actor, str(uuid.uuid4()), *_parse_fields(raw)))
        index = 0
        if plain_id(map_id) is None:
            raise OpError("not_found", "no such map", "map_id")
        with db.write() as session:
            _hold_references(session)
            m = _claim_many(session, map_id, len(parsed))
            if m is None:
                raise OpError("not_found", "no such map", "map_id")
            first = m.seq - len(parsed) + 1
            rows = []
            for index, (actor, op_id, type_, fields) in enumerate(parsed):
                if m.workshop_id != actor.workshop_id:
                    raise OpError("not_found", "no such map", "map_id")
                _authorise(actor, type_, m)
                now = utcnow()
                data = REGISTRY[type_].handler(Context(session.connection(), m, actor, now, session), fields)
                rows.append(_log_row(map_id, first + index, op_id, actor, type_, fields, data, now))
            session.flush()  # the handlers' rows, in one flush, before their log
            session.connection().execute(_LOG_INSERT, rows)
        return BatchOutcome(seqs=range(first, first + len(parsed)))
    except OpError as err:
        return BatchOutcome(refused=index, error=err.body()["error"])
    except Exception as exc:
        passing = unavailable(exc)
        if passing is not None:
            log.warning("batch on map %s: database unavailable (%s)", map_id, type(exc).__name__)
            return BatchOutcome(refused=index, error=passing.body()["error"])
        log.exception("batch of %d ops on map %s failed at op %d", len(ops), map_id, index)
        return BatchOutcome(refused=index, error={"code": "internal", "message": "the server could not apply this op"})
