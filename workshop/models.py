"""The database tables, as SQLAlchemy 2 typed models.

Every table but `participants`, `workshops` and `maps` changes only through the op engine.
Ids are UUID strings; times are stored as UTC.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint, false
from sqlalchemy import text as sql_text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def new_id() -> str:
    return str(uuid.uuid4())


def utcnow() -> datetime:
    return datetime.now(UTC)


def iso(value: datetime | None) -> str | None:
    """ISO 8601 UTC with a Z; SQLite gives naive datetimes back, which are UTC here."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


ID = String(36)


class Workshop(Base):
    __tablename__ = "workshops"
    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    title: Mapped[str] = mapped_column(String(200))
    objective: Mapped[str] = mapped_column(Text, default="")
    locale: Mapped[str] = mapped_column(String(5), default="fr")
    join_code: Mapped[str] = mapped_column(String(32), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Participant(Base):
    __tablename__ = "participants"
    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    workshop_id: Mapped[str] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))  # facilitator | participant | observer
    department: Mapped[str | None] = mapped_column(String(200))
    perspective: Mapped[str | None] = mapped_column(String(20))  # customer | employee
    # sha256 of the bearer token: a leaked database does not leak usable tokens.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Map(Base):
    __tablename__ = "maps"
    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    workshop_id: Mapped[str] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    type: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    phase: Mapped[str] = mapped_column(String(20), default="setup")
    # The last seq given to an op of this map; bumped in the op's own transaction.
    seq: Mapped[int] = mapped_column(Integer, default=0)
    timer_ends_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    timer_label: Mapped[str | None] = mapped_column(String(200))
    # Facilitation: the step every screen is brought to, and silent writing (new cards face down).
    focus_step_id: Mapped[str | None] = mapped_column(ID)
    silent_writing: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # A paused timer keeps its end time and the instant it was paused (resuming pushes the end back).
    timer_paused_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Who may add and rename steps: "all" (CONTRACT §3) or "facilitator" (ops/facilitation.py).
    structure_edits: Mapped[str] = mapped_column(String(20), default="all", server_default="all")


class Stage(Base):
    __tablename__ = "stages"
    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    map_id: Mapped[str] = mapped_column(ForeignKey("maps.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)


class Step(Base):
    __tablename__ = "steps"
    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    map_id: Mapped[str] = mapped_column(ForeignKey("maps.id", ondelete="CASCADE"), index=True)
    stage_id: Mapped[str | None] = mapped_column(ID)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    key_moment: Mapped[bool] = mapped_column(Boolean, default=False)


class Lane(Base):
    __tablename__ = "lanes"
    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    map_id: Mapped[str] = mapped_column(ForeignKey("maps.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40), default="custom")
    position: Mapped[int] = mapped_column(Integer, default=0)


class Card(Base):
    __tablename__ = "cards"
    __table_args__ = (Index("ix_cards_cell", "map_id", "lane_id", "step_id", "position"),)
    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    map_id: Mapped[str] = mapped_column(ForeignKey("maps.id", ondelete="CASCADE"))
    lane_id: Mapped[str] = mapped_column(ID)
    step_id: Mapped[str] = mapped_column(ID)
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[str | None] = mapped_column(ID)
    perspective: Mapped[str | None] = mapped_column(String(20))
    channel: Mapped[str | None] = mapped_column(String(20))
    builds_on: Mapped[str | None] = mapped_column(ID)
    position: Mapped[int] = mapped_column(Integer, default=0)
    visibility: Mapped[str] = mapped_column(String(10), default="all")  # all | author (until revealed)
    # Kept after the selection vote (an idea promoted to the target journey).
    selected: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Bumped by every op that changes the card, so a client can see its edit was overtaken.
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Comment(Base):
    __tablename__ = "comments"
    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    map_id: Mapped[str] = mapped_column(ForeignKey("maps.id", ondelete="CASCADE"), index=True)
    target_id: Mapped[str] = mapped_column(ID, index=True)
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[str | None] = mapped_column(ID)
    ts: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Emotion(Base):
    """One rater's score for one step, from the rater's perspective (the mirror)."""

    __tablename__ = "emotions"
    __table_args__ = (UniqueConstraint("step_id", "participant_id"),)
    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    map_id: Mapped[str] = mapped_column(ForeignKey("maps.id", ondelete="CASCADE"), index=True)
    step_id: Mapped[str] = mapped_column(ID)
    participant_id: Mapped[str] = mapped_column(ID)
    perspective: Mapped[str] = mapped_column(String(20))
    score: Mapped[int] = mapped_column(Integer)


class Round(Base):
    """A dot-voting round."""

    __tablename__ = "rounds"
    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    map_id: Mapped[str] = mapped_column(ForeignKey("maps.id", ondelete="CASCADE"), index=True)
    target: Mapped[str] = mapped_column(String(20))  # step | card | chantier
    budget: Mapped[int] = mapped_column(Integer)
    max_per_item: Mapped[int] = mapped_column(Integer)
    secret: Mapped[bool] = mapped_column(Boolean, default=False)
    card_kind: Mapped[str | None] = mapped_column(String(20))
    open: Mapped[bool] = mapped_column(Boolean, default=True)
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Vote(Base):
    """One dot; a voter may put several dots on one target up to the round's max_per_item."""

    __tablename__ = "votes"
    __table_args__ = (Index("ix_votes_round_voter", "round_id", "participant_id"),)
    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    round_id: Mapped[str] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    participant_id: Mapped[str] = mapped_column(ID)
    target_id: Mapped[str] = mapped_column(ID)
    ts: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Chantier(Base):
    """A chantier sheet (work package); free-form fields are kept in `fields`."""

    __tablename__ = "chantiers"
    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    map_id: Mapped[str] = mapped_column(ForeignKey("maps.id", ondelete="CASCADE"), index=True)
    workshop_id: Mapped[str] = mapped_column(ID, index=True)
    title: Mapped[str] = mapped_column(String(200))
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    position: Mapped[int] = mapped_column(Integer, default=0)
    # 1 = highest, set by promoting a chantier vote's results; None = not ranked.
    priority: Mapped[int | None] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Per field (title included): {"v": the sheet version that last changed it, "by": participant id}.
    field_versions: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class Connection(Base):
    """A socket joined to a map (presence), held by one server process."""

    __tablename__ = "connections"
    sid: Mapped[str] = mapped_column(String(64), primary_key=True)
    map_id: Mapped[str] = mapped_column(ID, primary_key=True)
    participant_id: Mapped[str] = mapped_column(ID)
    workshop_id: Mapped[str] = mapped_column(ID, index=True)
    server_id: Mapped[str] = mapped_column(ID, index=True)


class Server(Base):
    """A running server process's heartbeat; its connections count only while it beats."""

    __tablename__ = "servers"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class OpLog(Base):
    """Every applied op, in seq order per map: the source of events, sync and idempotency."""

    __tablename__ = "op_log"
    __table_args__ = (
        UniqueConstraint("map_id", "seq", name="uq_op_log_map_seq"),
        UniqueConstraint("map_id", "op_id", name="uq_op_log_map_op_id"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    map_id: Mapped[str] = mapped_column(ForeignKey("maps.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    op_id: Mapped[str] = mapped_column(String(64))
    actor_id: Mapped[str | None] = mapped_column(ID)
    type: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The event's data, unredacted; views.redact() shapes it per viewer.
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    ts: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# -- Mirror listening (CONTRACT.md §7): the same questions put to customers and employees in two silos.


class Listening(Base):
    """A survey of a map's steps, answered through two secret codes (one per silo)."""

    __tablename__ = "listenings"
    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    map_id: Mapped[str] = mapped_column(ForeignKey("maps.id", ondelete="CASCADE"), index=True)
    workshop_id: Mapped[str] = mapped_column(ID, index=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(10), default="open")  # open | closed
    invited_customer: Mapped[int | None] = mapped_column(Integer)
    invited_employee: Mapped[int | None] = mapped_column(Integer)
    code_customer: Mapped[str] = mapped_column(String(32), unique=True)
    code_employee: Mapped[str] = mapped_column(String(32), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Bumped in the transaction of every change to the results (a response saved, a verbatim
    # moderated, the invited counts): the key of the results each process keeps (listening/results.py).
    version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class ListeningResponse(Base):
    """One respondent's answers. `rid` is the respondent's own key: never shown, never exported.
    No IP address nor user agent is stored, on purpose."""

    __tablename__ = "listening_responses"
    __table_args__ = (UniqueConstraint("listening_id", "rid", name="uq_listening_responses_rid"),)
    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    listening_id: Mapped[str] = mapped_column(ForeignKey("listenings.id", ondelete="CASCADE"))
    rid: Mapped[str] = mapped_column(String(36))
    silo: Mapped[str] = mapped_column(String(10))  # customer | employee
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ListeningAnswer(Base):
    """One answer of a response for one step; `listening_id` and `silo` are copied from the response
    so that results are one GROUP BY over this table (joined to `steps`: a deleted step drops out)."""

    __tablename__ = "listening_answers"
    __table_args__ = (
        UniqueConstraint("response_id", "step_id", name="uq_listening_answers_step"),
        # Covers the results' GROUP BY: read from the index alone, never the rows.
        Index("ix_listening_answers_agg", "listening_id", "step_id", "silo", "score", "important"),
        # The few answers with a comment, found without scanning the others.
        Index(
            "ix_listening_answers_verbatims",
            "listening_id",
            sqlite_where=sql_text("verbatim IS NOT NULL"),
            postgresql_where=sql_text("verbatim IS NOT NULL"),
        ),
    )
    # Opaque: the id a verbatim is shown and moderated by.
    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    response_id: Mapped[str] = mapped_column(ForeignKey("listening_responses.id", ondelete="CASCADE"), index=True)
    listening_id: Mapped[str] = mapped_column(ID)
    silo: Mapped[str] = mapped_column(String(10))
    step_id: Mapped[str] = mapped_column(ID)
    score: Mapped[int | None] = mapped_column(Integer)
    important: Mapped[bool] = mapped_column(Boolean, default=False)
    verbatim: Mapped[str | None] = mapped_column(Text)
    # Moderation: a hidden verbatim leaves results and exports; it stays hidden if the respondent edits.
    hidden: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
