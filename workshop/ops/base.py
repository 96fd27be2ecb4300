"""What every op module shares: the schema base, field types, the registry and the context."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from types import SimpleNamespace
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints
from sqlalchemy import Connection, Select, Update, bindparam, select, update
from sqlalchemy.orm import Session

from .. import driver_sql
from ..errors import OpError
from ..lists import AUTHOR_OPS, SHORT_MAX, TEXT_MAX
from ..models import Map

FACILITATOR = frozenset({"facilitator"})
MEMBERS = frozenset({"facilitator", "participant"})


def _uuid(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except (ValueError, AttributeError, TypeError):
        raise ValueError("must be a UUID") from None


def is_plain_text(value: str) -> bool:
    """Text that every database stores and gives back as sent: no NUL byte (PostgreSQL refuses it,
    SQLite keeps it, so such data would not move between them) and no lone UTF-16 surrogate
    (JSON lets `"\\ud800"` through; it cannot be encoded as UTF-8)."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _plain(value: str) -> str:
    if not is_plain_text(value):
        raise ValueError("text must not contain a NUL character nor a lone surrogate")
    return value


def plain_id(value: str) -> str | None:
    """A path id (UUID) as stored, or None for anything else, before it reaches the database."""
    try:
        return _uuid(value)
    except ValueError:
        return None


# Every text that reaches the database is one of these: one rule for plain text, declared here.
Id = Annotated[str, AfterValidator(_uuid)]
PlainStr = Annotated[str, AfterValidator(_plain)]
Title = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=SHORT_MAX), AfterValidator(_plain)
]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=TEXT_MAX), AfterValidator(_plain)]
NonEmptyText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=TEXT_MAX), AfterValidator(_plain)
]
Short = Annotated[str, StringConstraints(strip_whitespace=True, max_length=SHORT_MAX), AfterValidator(_plain)]


class OpSchema(BaseModel):
    """Fields of an op besides op_id and type; unknown fields are refused by name."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ById(OpSchema):
    id: Id


@dataclass(frozen=True)
class Actor:
    id: str
    workshop_id: str
    role: str
    perspective: str | None = None
    name: str = ""

    @property
    def is_facilitator(self) -> bool:
        return self.role == "facilitator"


class Record(SimpleNamespace):
    """One row as `Context.change` wrote it: its columns as attributes. Cheaper than an ORM object
    for the one row an op changes."""


@dataclass
class Context:
    """What a handler may use: the open transaction, the (locked) map, who acts and when.

    `conn` is the transaction's Core connection: the ops on the hot path (card edits) write their
    one row through it with a statement compiled once and run on the driver's cursor (`change`,
    driver_sql.py) and never pay for an ORM session. `session` is an ORM session on that same
    connection and transaction, made on first use by the handlers that want objects; the engine
    flushes it before writing the op's log row.

    `map_row` is the map as the seq claim returned it (read-only: the columns in `engine.CLAIMED`).
    `map` is the ORM object, loaded on first use by the handlers that change the map itself (phase,
    timer, focus) or read more of it: the ops that change cards, votes or emotions never load it."""

    conn: Connection
    map_row: Any
    actor: Actor
    now: datetime
    _session: Session | None = None
    _map: Map | None = None

    @property
    def session(self) -> Session:
        if self._session is None:
            # Joined to the engine's transaction: the session never commits nor closes it.
            self._session = Session(bind=self.conn, join_transaction_mode="rollback_only", expire_on_commit=False)
        return self._session

    @property
    def has_changes(self) -> bool:
        """Whether the ORM session holds changes not written yet (without making a session)."""
        s = self._session
        return s is not None and bool(s.new or s.dirty or s.deleted)

    def new_rows(self) -> Iterable[Any]:
        """The rows added in this transaction and not written yet (a batch's earlier ops)."""
        return () if self._session is None else self._session.new

    def flush(self) -> None:
        """Write what the handler changed through the ORM (nothing to do for a Core-only handler)."""
        if self.has_changes:
            self.session.flush()

    def close(self) -> None:
        if self._session is not None:
            self._session.close()

    @property
    def map_id(self) -> str:
        return self.map_row.id

    @property
    def map(self) -> Map:
        if self._map is None:
            self._map = self.map_row if isinstance(self.map_row, Map) else self.session.get(Map, self.map_id)
        return self._map

    def get(self, model: type, id_: str | None, field: str = "id") -> Any:
        """A row of this map by id, or not_found naming the field."""
        row = self._pending(model, id_) if id_ else None
        if row is None and id_:
            # Looked up by id, a row is in the session or in the database, never in what a flush
            # would write (pending rows are found above): no flush needed, so a batch flushes once.
            with self.session.no_autoflush:
                row = self.session.get(model, id_)
        if row is None or getattr(row, "map_id", None) != self.map_id:
            raise _not_found(model, field)
        return row

    def create(self, model: type, id_: str | None, **values: Any) -> Any:
        """Add a row to this map; a client-made id that is taken answers conflict."""
        if id_ and self._taken(model, id_):
            raise OpError("conflict", f"id: a {model.__name__.lower()} with this id exists", "id")
        # The id is set now, not at flush, so that the answer can name the row before it is written.
        row = model(map_id=self.map_id, id=id_ or str(uuid.uuid4()), **values)
        self.session.add(row)
        return row

    def _pending(self, model: type, id_: str) -> Any:
        """A row added in this transaction and not written yet (a batch's earlier op made it): found
        in the session, where `session.get` would first flush everything pending to look it up."""
        if self._session is None or self.session.identity_key(model, id_) in self.session.identity_map:
            return None
        return next((row for row in self.session.new if type(row) is model and row.id == id_), None)

    def _taken(self, model: type, id_: str) -> bool:
        """Whether a row (of any map) has this id, without flushing what is pending: a batch of ops
        (engine.apply_many) then writes its new rows in one flush instead of one per op. Pending
        rows are looked at in the session, the others with one cached Core statement."""
        if self._session is not None and (
            self.session.identity_key(model, id_) in self.session.identity_map or self._pending(model, id_)
        ):
            return True
        return self.conn.execute(_id_taken(model), {"p_id": id_}).first() is not None

    def change(self, model: type, id_: str, values: dict[str, Any], field: str = "id") -> Record:
        """Write `values` to a row of this map by id and bump its `version`, in one `UPDATE …
        RETURNING` compiled once per set of columns and run on the driver's cursor (driver_sql.py;
        no ORM object, one round trip: the hot path of an op that changes one row), and answer the
        row as written; not_found naming the field if the map has no such row.
        A handler that refuses the change after seeing the row raises, and the engine rolls it back.
        What this transaction changed through the ORM and has not written yet (a batch's earlier ops)
        is flushed first, and an ORM copy of the row it holds is expired, so that every read sees
        what was written."""
        self.flush()
        # One compiled statement per set of columns: the sets are subsets of an op schema's fields,
        # so what clients send cannot grow this cache past a few dozen statements.
        keys = tuple(sorted(values))
        statement = driver_sql.compiled(
            self.conn.dialect, (_change_by_id, model, keys), lambda: _change_by_id(model), ("p_id", "p_map", *keys)
        )
        row = driver_sql.execute(self.conn, statement, {"p_id": id_, "p_map": self.map_id, **values})
        if row is None:
            raise _not_found(model, field)
        if self._session is not None:
            held = self._session.identity_map.get(self._session.identity_key(model, id_))
            if held is not None:
                self._session.expire(held)
        return Record(**row._asdict())

    def rows(self, model: type, *where: Any, order: Any = None) -> list[Any]:
        stmt = select(model).where(model.map_id == self.map_id, *where)
        if order is not None:
            stmt = stmt.order_by(order)
        return list(self.session.scalars(stmt))

    def require_author(self, type_: str, author_id: str | None, what: str) -> None:
        """`lists.AUTHOR_OPS`: a row's author, or one of the roles listed for `type_`, may send it."""
        if author_id != self.actor.id and self.actor.role not in AUTHOR_OPS[type_]:
            raise OpError("forbidden", f"only its author or the facilitator may {what}", "id")

    def require_facilitator(self, what: str, field: str | None = None) -> None:
        if not self.actor.is_facilitator:
            raise OpError("forbidden", f"only the facilitator may {what}", field)


def _not_found(model: type, field: str) -> OpError:
    return OpError("not_found", f"{field}: no such {model.__name__.lower()} on this map", field)


@cache
def _change_by_id(model: type) -> Update:
    """An UPDATE of one row of a map, by id, that bumps its version and returns it; its SET clause
    also holds the parameters given with it (besides `p_id` and `p_map`)."""
    table = model.__table__  # type: ignore[attr-defined]
    return (
        update(table)
        .where(table.c.id == bindparam("p_id"), table.c.map_id == bindparam("p_map"))
        .values(version=table.c.version + 1)
        .returning(*table.c)
    )


@cache
def _id_taken(model: type) -> Select[Any]:
    table = model.__table__  # type: ignore[attr-defined]
    return select(table.c.id).where(table.c.id == bindparam("p_id"))


Handler = Callable[[Context, Any], dict[str, Any]]


@dataclass(frozen=True)
class OpSpec:
    type: str
    schema: type[OpSchema]
    handler: Handler
    roles: frozenset[str]
    # A change to the map's structure (steps): the map's `structure_edits` setting may reserve it.
    structure: bool = False


REGISTRY: dict[str, OpSpec] = {}
H = TypeVar("H", bound=Handler)


def op(
    type_: str, schema: type[OpSchema], roles: frozenset[str] = MEMBERS, *, structure: bool = False
) -> Callable[[H], H]:
    """Register a handler for one op type; `roles` may send it (observers never may)."""

    def register(handler: H) -> H:
        if type_ in REGISTRY:
            raise RuntimeError(f"op type {type_} registered twice")
        REGISTRY[type_] = OpSpec(type_, schema, handler, roles, structure)
        return handler

    return register


def check_map_rules(actor: Actor, spec: OpSpec, m: Map) -> None:
    """What the map's own state allows besides roles (the engine calls this while authorising):
    a closed workshop is read-only for all but the facilitator, and structure edits may be
    reserved to the facilitator by the map's `structure_edits` setting (`board.settings`)."""
    if actor.is_facilitator:
        return
    if m.phase == "closed":
        raise OpError("locked", "the workshop is closed: the board is read-only")
    if spec.structure and m.structure_edits == "facilitator":
        raise OpError("forbidden", "only the facilitator may add or rename steps on this map")


def reorder(items: list[Any], item: Any, position: int | None) -> None:
    """Put `item` at index `position` (None or past the end: last) and renumber 0..n-1."""
    rest = [other for other in items if other is not item]
    index = len(rest) if position is None else max(0, min(position, len(rest)))
    rest.insert(index, item)
    for i, other in enumerate(rest):
        if other.position != i:
            other.position = i
