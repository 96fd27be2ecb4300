"""The grid of the map: macro-stages, steps (columns) and lanes (rows)."""

from __future__ import annotations

from typing import Any, Literal

from sqlalchemy import delete, select

from .. import shapes
from ..maptypes import LANE_KINDS
from ..models import Card, Comment, Emotion, Lane, Stage, Step
from .base import FACILITATOR, MEMBERS, ById, Context, Id, OpSchema, Text, Title, op, reorder
from .kept import KEPT, keep_cards, keep_comments, keep_emotions, row_values

LaneKind = Literal[LANE_KINDS]  # type: ignore[valid-type]


# -- stages -----------------------------------------------------------------------------------


class StageAdd(OpSchema):
    id: Id | None = None
    title: Title
    position: int | None = None


class StageUpdate(OpSchema):
    id: Id
    title: Title | None = None
    position: int | None = None


@op("stage.add", StageAdd, FACILITATOR)
def stage_add(ctx: Context, o: StageAdd) -> dict[str, Any]:
    stage = ctx.create(Stage, o.id, title=o.title)
    reorder(ctx.rows(Stage, order=Stage.position), stage, o.position)
    ctx.session.flush()
    return shapes.stage(stage)


@op("stage.update", StageUpdate, FACILITATOR)
def stage_update(ctx: Context, o: StageUpdate) -> dict[str, Any]:
    stage = ctx.get(Stage, o.id)
    if o.title is not None:
        stage.title = o.title
    if o.position is not None:
        reorder(ctx.rows(Stage, order=Stage.position), stage, o.position)
    return shapes.stage(stage)


@op("stage.delete", ById, FACILITATOR)
def stage_delete(ctx: Context, o: ById) -> dict[str, Any]:
    """The stage's steps stay on the map, outside any stage: deleting a heading loses no card."""
    stage = ctx.get(Stage, o.id)
    orphans = ctx.rows(Step, Step.stage_id == stage.id, order=Step.position)
    kept = {"stage": row_values(stage), "step_ids": [s.id for s in orphans]}
    first_free = len(_stage_steps(ctx, None))
    for offset, step in enumerate(orphans):
        step.stage_id = None
        step.position = first_free + offset
    ctx.session.delete(stage)
    _renumber(ctx.rows(Stage, Stage.id != stage.id, order=Stage.position))
    return {"id": stage.id, "step_ids": [s.id for s in orphans], KEPT: kept}


def _renumber(items: list[Any]) -> None:
    for i, item in enumerate(items):
        item.position = i


# -- steps ------------------------------------------------------------------------------------
# A step's position is its index within its stage; the board shows stages in order, then their steps.


class StepAdd(OpSchema):
    id: Id | None = None
    title: Title
    stage_id: Id | None = None
    position: int | None = None
    description: Text = ""


class StepUpdate(OpSchema):
    id: Id
    title: Title | None = None
    description: Text | None = None
    stage_id: Id | None = None
    key_moment: bool | None = None


class StepMove(OpSchema):
    id: Id
    position: int
    stage_id: Id | None = None


def _stage_steps(ctx: Context, stage_id: str | None, exclude: str | None = None) -> list[Step]:
    where = Step.stage_id == stage_id if stage_id else Step.stage_id.is_(None)
    return [s for s in ctx.rows(Step, where, order=Step.position) if s.id != exclude]


@op("step.add", StepAdd, MEMBERS, structure=True)
def step_add(ctx: Context, o: StepAdd) -> dict[str, Any]:
    if o.stage_id:
        ctx.get(Stage, o.stage_id, "stage_id")
    step = ctx.create(Step, o.id, title=o.title, description=o.description, stage_id=o.stage_id)
    reorder(_stage_steps(ctx, o.stage_id), step, o.position)
    ctx.session.flush()
    return shapes.step(step)


@op("step.update", StepUpdate, MEMBERS, structure=True)
def step_update(ctx: Context, o: StepUpdate) -> dict[str, Any]:
    step = ctx.get(Step, o.id)
    if o.key_moment is not None:
        ctx.require_facilitator("mark key moments", "key_moment")
        step.key_moment = o.key_moment
    if o.title is not None:
        step.title = o.title
    if o.description is not None:
        step.description = o.description
    if "stage_id" in o.model_fields_set and o.stage_id != step.stage_id:
        _move_step(ctx, step, o.stage_id, None)
    return shapes.step(step)


def _move_step(ctx: Context, step: Step, stage_id: str | None, position: int | None) -> None:
    if stage_id:
        ctx.get(Stage, stage_id, "stage_id")
    old_stage = step.stage_id
    step.stage_id = stage_id
    if old_stage != stage_id:
        _renumber(_stage_steps(ctx, old_stage, exclude=step.id))
    reorder(_stage_steps(ctx, stage_id, exclude=step.id), step, position)


@op("step.move", StepMove, FACILITATOR)
def step_move(ctx: Context, o: StepMove) -> dict[str, Any]:
    step = ctx.get(Step, o.id)
    target = o.stage_id if "stage_id" in o.model_fields_set else step.stage_id
    _move_step(ctx, step, target, o.position)
    return shapes.step(step)


def _delete_cards(ctx: Context, *where: Any) -> list[str]:
    """Remove cards and the comments on them; answer the removed card ids."""
    ids = list(ctx.session.scalars(select(Card.id).where(Card.map_id == ctx.map_id, *where)))
    if ids:
        ctx.session.execute(delete(Comment).where(Comment.map_id == ctx.map_id, Comment.target_id.in_(ids)))
        ctx.session.execute(delete(Card).where(Card.id.in_(ids)))
    return ids


@op("step.delete", ById, FACILITATOR)
def step_delete(ctx: Context, o: ById) -> dict[str, Any]:
    step = ctx.get(Step, o.id)
    kept = {
        "step": row_values(step),
        **keep_cards(ctx, Card.step_id == step.id),
        "step_comments": keep_comments(ctx, [step.id]),
        "emotions": keep_emotions(ctx, step.id),
    }
    card_ids = _delete_cards(ctx, Card.step_id == step.id)
    # What hangs on the step goes with it: its emotion ratings (no foreign key holds them) and its comments.
    ctx.session.execute(delete(Emotion).where(Emotion.map_id == ctx.map_id, Emotion.step_id == step.id))
    ctx.session.execute(delete(Comment).where(Comment.map_id == ctx.map_id, Comment.target_id == step.id))
    ctx.session.delete(step)
    _renumber(_stage_steps(ctx, step.stage_id, exclude=step.id))
    return {"id": step.id, "card_ids": card_ids, KEPT: kept}


# -- lanes ------------------------------------------------------------------------------------


class LaneAdd(OpSchema):
    id: Id | None = None
    title: Title
    kind: LaneKind = "custom"
    position: int | None = None


class LaneUpdate(OpSchema):
    id: Id
    title: Title | None = None
    kind: LaneKind | None = None


class LaneMove(OpSchema):
    id: Id
    position: int


@op("lane.add", LaneAdd, FACILITATOR)
def lane_add(ctx: Context, o: LaneAdd) -> dict[str, Any]:
    lane = ctx.create(Lane, o.id, title=o.title, kind=o.kind)
    reorder(ctx.rows(Lane, order=Lane.position), lane, o.position)
    ctx.session.flush()
    return shapes.lane(lane)


@op("lane.update", LaneUpdate, FACILITATOR)
def lane_update(ctx: Context, o: LaneUpdate) -> dict[str, Any]:
    lane = ctx.get(Lane, o.id)
    if o.title is not None:
        lane.title = o.title
    if o.kind is not None:
        lane.kind = o.kind
    return shapes.lane(lane)


@op("lane.move", LaneMove, FACILITATOR)
def lane_move(ctx: Context, o: LaneMove) -> dict[str, Any]:
    lane = ctx.get(Lane, o.id)
    reorder(ctx.rows(Lane, order=Lane.position), lane, o.position)
    return shapes.lane(lane)


@op("lane.delete", ById, FACILITATOR)
def lane_delete(ctx: Context, o: ById) -> dict[str, Any]:
    lane = ctx.get(Lane, o.id)
    kept = {"lane": row_values(lane), **keep_cards(ctx, Card.lane_id == lane.id)}
    card_ids = _delete_cards(ctx, Card.lane_id == lane.id)
    ctx.session.delete(lane)
    _renumber(ctx.rows(Lane, Lane.id != lane.id, order=Lane.position))
    return {"id": lane.id, "card_ids": card_ids, KEPT: kept}
