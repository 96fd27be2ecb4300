"""Sticky notes on the grid, their silent-writing visibility, and comments."""

from __future__ import annotations

from typing import Any, Literal

from sqlalchemy import bindparam, delete, func, select

from .. import shapes
from ..errors import OpError
from ..maptypes import CARD_KINDS, CHANNELS
from ..models import Card, Chantier, Comment, Lane, Step
from .base import FACILITATOR, MEMBERS, ById, Context, Id, NonEmptyText, OpSchema, Record, op, reorder
from .kept import KEPT, keep_comments, row_values

CardKind = Literal[CARD_KINDS]  # type: ignore[valid-type]
Channel = Literal[CHANNELS]  # type: ignore[valid-type]
Perspective = Literal["customer", "employee"]


class CardAdd(OpSchema):
    id: Id | None = None
    lane_id: Id
    step_id: Id
    kind: CardKind = "note"
    text: NonEmptyText
    perspective: Perspective | None = None
    channel: Channel | None = None
    builds_on: Id | None = None
    visibility: Literal["all", "author"] = "all"
    position: int | None = None


class CardUpdate(OpSchema):
    id: Id
    text: NonEmptyText | None = None
    kind: CardKind | None = None
    channel: Channel | None = None
    perspective: Perspective | None = None
    # Retained idea (set by promoting a selection vote, or directly by the facilitator: an import).
    selected: bool | None = None
    builds_on: Id | None = None


class CardMove(OpSchema):
    id: Id
    lane_id: Id
    step_id: Id
    position: int | None = None


class Reveal(OpSchema):
    lane_id: Id | None = None
    step_id: Id | None = None


class CommentAdd(OpSchema):
    id: Id | None = None
    target_id: Id
    text: NonEmptyText


def _cell(ctx: Context, lane_id: str, step_id: str, exclude: str | None = None) -> list[Card]:
    cards = ctx.rows(Card, Card.lane_id == lane_id, Card.step_id == step_id, order=Card.position)
    return [c for c in cards if c.id != exclude]


def _editable(ctx: Context, card: Card | Record) -> None:
    """A face-down card belongs to its author until it is revealed."""
    if card.visibility == "author" and card.author_id != ctx.actor.id:
        raise OpError("forbidden", "this card is hidden until the facilitator reveals it", "id")


# Built once (building a statement costs more Python than running its cached compiled form).
_CELL_COUNT = (
    select(func.count())
    .select_from(Card.__table__)
    .where(
        Card.__table__.c.map_id == bindparam("p_map"),
        Card.__table__.c.lane_id == bindparam("p_lane"),
        Card.__table__.c.step_id == bindparam("p_step"),
    )
)


def _place(ctx: Context, card: Card, position: int | None) -> None:
    """Put a new card in its cell; appending (the common case, and every card of an import) counts
    the cell instead of loading it, so a full cell costs one indexed count, not all its rows. The
    count flushes nothing: the cards not yet written (this one, and those an import's batch added
    before it) are counted in the session, so that a batch writes all its cards in one flush."""
    count = (
        ctx.conn.execute(_CELL_COUNT, {"p_map": ctx.map_id, "p_lane": card.lane_id, "p_step": card.step_id}).scalar()
        or 0
    )
    count += sum(
        1
        for other in ctx.new_rows()
        if type(other) is Card and other is not card and other.lane_id == card.lane_id and other.step_id == card.step_id
    )
    if position is None or position >= count:
        card.position = count
        return
    reorder(_cell(ctx, card.lane_id, card.step_id), card, position)


@op("card.add", CardAdd, MEMBERS)
def card_add(ctx: Context, o: CardAdd) -> dict[str, Any]:
    ctx.get(Lane, o.lane_id, "lane_id")
    ctx.get(Step, o.step_id, "step_id")
    if o.builds_on:
        ctx.get(Card, o.builds_on, "builds_on")
    card = ctx.create(
        Card,
        o.id,
        lane_id=o.lane_id,
        step_id=o.step_id,
        kind=o.kind,
        text=o.text,
        author_id=ctx.actor.id,
        perspective=o.perspective or ctx.actor.perspective,
        channel=o.channel,
        builds_on=o.builds_on,
        visibility="author" if ctx.map_row.silent_writing else o.visibility,
        version=1,
        selected=False,
        created_at=ctx.now,  # the column defaults, for the answer before any flush
    )
    _place(ctx, card, o.position)
    return shapes.card(card)


def _check_builds_on(ctx: Context, card: Card | Record, target_id: str) -> None:
    """A card builds on another card of the map, never (through others) on itself."""
    seen = 0
    target: Card | None = ctx.get(Card, target_id, "builds_on")
    while target is not None:
        if target.id == card.id or seen > 100_000:
            raise OpError("invalid", "builds_on: a card cannot build on itself", "builds_on")
        target = ctx.session.get(Card, target.builds_on) if target.builds_on else None
        seen += 1


@op("card.update", CardUpdate, MEMBERS)
def card_update(ctx: Context, o: CardUpdate) -> dict[str, Any]:
    # Only the fields the client sent change: concurrent edits of other fields survive.
    changed = {name: getattr(o, name) for name in o.model_fields_set - {"id"}}
    for name in ("text", "kind"):
        if name in changed and changed[name] is None:
            raise OpError("invalid", "text and kind cannot be emptied", name)
    # Written first, checked after on the row as written (this op changes neither its visibility
    # nor its author): one round trip; a refusal below rolls the write back.
    card = ctx.change(Card, o.id, changed)
    _editable(ctx, card)
    if o.selected is not None:
        ctx.require_facilitator("retain ideas", "selected")
    if o.builds_on is not None:
        _check_builds_on(ctx, card, o.builds_on)
    return shapes.card(card)


@op("card.move", CardMove, MEMBERS)
def card_move(ctx: Context, o: CardMove) -> dict[str, Any]:
    card = ctx.get(Card, o.id)
    _editable(ctx, card)
    ctx.get(Lane, o.lane_id, "lane_id")
    ctx.get(Step, o.step_id, "step_id")
    old_cell = (card.lane_id, card.step_id)
    card.lane_id, card.step_id = o.lane_id, o.step_id
    if old_cell != (o.lane_id, o.step_id):
        for i, other in enumerate(_cell(ctx, *old_cell, exclude=card.id)):
            other.position = i
    reorder(_cell(ctx, o.lane_id, o.step_id, exclude=card.id), card, o.position)
    card.version += 1
    return shapes.card(card)


@op("card.delete", ById, MEMBERS)
def card_delete(ctx: Context, o: ById) -> dict[str, Any]:
    card = ctx.get(Card, o.id)
    ctx.require_author("card.delete", card.author_id, "delete a card")
    kept = {"cards": [row_values(card)], "comments": keep_comments(ctx, [card.id])}
    ctx.session.execute(delete(Comment).where(Comment.map_id == ctx.map_id, Comment.target_id == card.id))
    ctx.session.delete(card)
    for i, other in enumerate(_cell(ctx, card.lane_id, card.step_id, exclude=card.id)):
        other.position = i
    return {"id": card.id, KEPT: kept}


@op("cards.reveal", Reveal, FACILITATOR)
def cards_reveal(ctx: Context, o: Reveal) -> dict[str, Any]:
    where = [Card.visibility == "author"]
    if o.lane_id:
        where.append(Card.lane_id == o.lane_id)
    if o.step_id:
        where.append(Card.step_id == o.step_id)
    cards = ctx.rows(Card, *where, order=Card.position)
    for card in cards:
        card.visibility = "all"
        card.version += 1
    return {"cards": [shapes.card(c) for c in cards]}


@op("comment.add", CommentAdd, MEMBERS)
def comment_add(ctx: Context, o: CommentAdd) -> dict[str, Any]:
    target = (
        ctx.session.get(Card, o.target_id)
        or ctx.session.get(Step, o.target_id)
        or ctx.session.get(Chantier, o.target_id)
    )
    if target is None or target.map_id != ctx.map_id:
        raise OpError("not_found", "target_id: no such card, step or chantier on this map", "target_id")
    comment = ctx.create(Comment, o.id, target_id=o.target_id, text=o.text, author_id=ctx.actor.id, ts=ctx.now)
    ctx.session.flush()
    return shapes.comment(comment)


@op("comment.delete", ById, MEMBERS)
def comment_delete(ctx: Context, o: ById) -> dict[str, Any]:
    comment = ctx.get(Comment, o.id)
    ctx.require_author("comment.delete", comment.author_id, "delete a comment")
    ctx.session.delete(comment)
    return {"id": comment.id}
