"""Dot voting: rounds on steps (key moments), cards (idea selection) or chantier sheets (priority).

Budgets hold under any concurrency because every op of a map runs while holding the map's
row lock (PostgreSQL) or the database's write lock (SQLite): counting and inserting a vote
happen in one serialised transaction.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, ValidationInfo, field_validator
from sqlalchemy import func, select

from .. import shapes, views
from ..errors import OpError
from ..lists import ROUND_TARGETS
from ..maptypes import CARD_KINDS
from ..models import Card, Chantier, Round, Step, Vote
from .base import FACILITATOR, MEMBERS, Context, Id, OpSchema, op

CardKind = Literal[CARD_KINDS]  # type: ignore[valid-type]
TARGETS = {"step": Step, "card": Card, "chantier": Chantier}


class RoundOpen(OpSchema):
    id: Id | None = None
    target: Literal[ROUND_TARGETS]  # type: ignore[valid-type]
    budget: int = Field(ge=1, le=20)
    max_per_item: int | None = Field(default=None, ge=1, le=20)
    secret: bool = False
    card_kind: CardKind | None = None

    @field_validator("max_per_item")
    @classmethod
    def _cap_within_budget(cls, value: int | None, info: ValidationInfo) -> int | None:
        if value is not None and value > info.data.get("budget", value):
            raise ValueError("cannot exceed the budget")
        return value


class RoundClose(OpSchema):
    id: Id


class RoundPromote(OpSchema):
    id: Id
    count: int = Field(ge=1, le=50)


class VoteOp(OpSchema):
    round_id: Id
    target_id: Id


@op("round.open", RoundOpen, FACILITATOR)
def round_open(ctx: Context, o: RoundOpen) -> dict[str, Any]:
    if ctx.rows(Round, Round.open.is_(True)):
        raise OpError("conflict", "a vote is already open on this map: close it first")
    r = ctx.create(
        Round,
        o.id,
        target=o.target,
        budget=o.budget,
        max_per_item=o.max_per_item or o.budget,
        secret=o.secret,
        card_kind=o.card_kind if o.target == "card" else None,
        open=True,
        opened_at=ctx.now,
    )
    ctx.session.flush()
    return views.round_shape(ctx.session, r)


@op("round.close", RoundClose, FACILITATOR)
def round_close(ctx: Context, o: RoundClose) -> dict[str, Any]:
    r = ctx.get(Round, o.id)
    if not r.open:
        raise OpError("round_closed", "this vote is already closed", "id")
    r.open = False
    r.closed_at = ctx.now
    return views.round_shape(ctx.session, r)


@op("round.promote", RoundPromote, FACILITATOR)
def round_promote(ctx: Context, o: RoundPromote) -> dict[str, Any]:
    """The top `count` of a closed round become key moments, selected ideas or ranked sheets."""
    r = ctx.get(Round, o.id)
    if r.open:
        raise OpError("conflict", "close the vote before promoting its results", "id")
    top = [row["target_id"] for row in views.round_results(ctx.session, r)[: o.count]]
    promoted = []
    for rank, target_id in enumerate(top, start=1):
        item = ctx.session.get(TARGETS[r.target], target_id)
        if item is None:  # deleted since the vote
            continue
        if r.target == "step":
            item.key_moment = True
            promoted.append(shapes.step(item))
        elif r.target == "card":
            item.selected = True
            item.version += 1
            promoted.append(shapes.card(item))
        else:
            item.priority = rank
            item.version += 1
            promoted.append(shapes.chantier(item))
    return {"round_id": r.id, "target": r.target, "items": promoted}


def _open_round(ctx: Context, round_id: str) -> Round:
    r = ctx.get(Round, round_id, "round_id")
    if not r.open:
        raise OpError("round_closed", "this vote is closed", "round_id")
    return r


def _check_target(ctx: Context, r: Round, target_id: str) -> None:
    item = ctx.get(TARGETS[r.target], target_id, "target_id")
    if r.target == "card":
        if r.card_kind and item.kind != r.card_kind:
            raise OpError("invalid", f"target_id: this vote is on {r.card_kind} cards", "target_id")
        if item.visibility == "author":
            raise OpError("invalid", "target_id: a hidden card cannot get votes", "target_id")


def _vote_data(ctx: Context, r: Round, target_id: str) -> dict[str, Any]:
    """The vote and the voter's dots left; `secret` lets views.redact hide it from others.
    A secret round carries no total at all, not even in the voter's own ack: casting then
    retracting on each target would read them (CONTRACT.md §6). How many have voted (never for
    what) stays, as in the snapshot's `rounds[].voters`."""
    used = ctx.session.scalar(select(func.count()).where(Vote.round_id == r.id, Vote.participant_id == ctx.actor.id))
    on_target = ctx.session.scalar(select(func.count()).where(Vote.round_id == r.id, Vote.target_id == target_id))
    voters = ctx.session.scalar(select(func.count(func.distinct(Vote.participant_id))).where(Vote.round_id == r.id))
    return {
        "round_id": r.id,
        "target_id": target_id,
        "participant_id": ctx.actor.id,
        "secret": r.secret,
        "remaining": r.budget - used,
        "target_votes": None if r.secret else on_target,
        "voters": voters,
    }


@op("vote.cast", VoteOp, MEMBERS)
def vote_cast(ctx: Context, o: VoteOp) -> dict[str, Any]:
    r = _open_round(ctx, o.round_id)
    _check_target(ctx, r, o.target_id)
    mine = list(
        ctx.session.scalars(select(Vote.target_id).where(Vote.round_id == r.id, Vote.participant_id == ctx.actor.id))
    )
    if len(mine) >= r.budget:
        raise OpError("budget_exceeded", f"no dots left: the budget is {r.budget}", "budget")
    if mine.count(o.target_id) >= r.max_per_item:
        raise OpError("budget_exceeded", f"at most {r.max_per_item} dots on one item", "max_per_item")
    ctx.session.add(Vote(round_id=r.id, participant_id=ctx.actor.id, target_id=o.target_id, ts=ctx.now))
    ctx.session.flush()
    return _vote_data(ctx, r, o.target_id)


@op("vote.retract", VoteOp, MEMBERS)
def vote_retract(ctx: Context, o: VoteOp) -> dict[str, Any]:
    r = _open_round(ctx, o.round_id)
    vote = ctx.session.scalars(
        select(Vote)
        .where(Vote.round_id == r.id, Vote.participant_id == ctx.actor.id, Vote.target_id == o.target_id)
        .order_by(Vote.ts.desc())
    ).first()
    if vote is None:
        raise OpError("not_found", "target_id: you have no dot on this item", "target_id")
    ctx.session.delete(vote)
    ctx.session.flush()
    return _vote_data(ctx, r, o.target_id)
