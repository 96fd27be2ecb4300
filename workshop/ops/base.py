"""What every op module shares: the schema base, field types, the registry and the context."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints
from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from ..errors import OpError
from ..lists import SHORT_MAX, TEXT_MAX
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


@dataclass
class Context:
    """What a handler may use: the open transaction, the (locked) map, who acts and when."""

    session: Session
    map: Map
    actor: Actor
    now: datetime

    def get(self, model: type, id_: str | None, field: str = "id") -> Any:
        """A row of this map by id, or not_found naming the field."""
        row = self._pending(model, id_) if id_ else None
        if row is None and id_:
            # Looked up by id, a row is in the session or in the database, never in what a flush
            # would write (pending rows are found above): no flush needed, so a batch flushes once.
            with self.session.no_autoflush:
                row = self.session.get(model, id_)
        if row is None or getattr(row, "map_id", None) != self.map.id:
            raise OpError("not_found", f"{field}: no such {model.__name__.lower()} on this map", field)
        return row

    def create(self, model: type, id_: str | None, **values: Any) -> Any:
        """Add a row to this map; a client-made id that is taken answers conflict."""
        if id_ and self._taken(model, id_):
            raise OpError("conflict", f"id: a {model.__name__.lower()} with this id exists", "id")
        # The id is set now, not at flush, so that the answer can name the row before it is written.
        row = model(map_id=self.map.id, id=id_ or str(uuid.uuid4()), **values)
        self.session.add(row)
        return row

    def _pending(self, model: type, id_: str) -> Any:
        """A row added in this transaction and not written yet (a batch's earlier op made it): found
        in the session, where `session.get` would first flush everything pending to look it up."""
        if self.session.identity_key(model, id_) in self.session.identity_map:
            return None
        return next((row for row in self.session.new if type(row) is model and row.id == id_), None)

    def _taken(self, model: type, id_: str) -> bool:
        """Whether a row (of any map) has this id, without flushing what is pending: a batch of ops
        (engine.apply_many) then writes its new rows in one flush instead of one per op. Pending
        rows are looked at in the session, the others with one cached Core statement."""
        if self.session.identity_key(model, id_) in self.session.identity_map or self._pending(model, id_):
            return True
        return self.session.connection().execute(_id_taken(model), {"p_id": id_}).first() is not None

    def rows(self, model: type, *where: Any, order: Any = None) -> list[Any]:
        stmt = select(model).where(model.map_id == self.map.id, *where)
        if order is not None:
            stmt = stmt.order_by(order)
        return list(self.session.scalars(stmt))

    def require_facilitator(self, what: str, field: str | None = None) -> None:
        if not self.actor.is_facilitator:
            raise OpError("forbidden", f"only the facilitator may {what}", field)


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
