"""Undoing a delete: `card.restore`, `step.restore`, `lane.restore`, `stage.restore`.

Each names the item and the op_id of the delete it undoes; the rows come back from that delete's log
entry (ops/kept.py) with their own ids, so whatever still points at them (votes, sheet links, survey
answers, cards built on a card) points at them again. What the deleted item needs must still be
there (a card's lane and step): otherwise `not_found` says which to restore first. Items that lost
their place meanwhile are left out and listed (`left_out`), never half-restored.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select

from .. import shapes, views
from ..errors import OpError
from ..models import Card, Comment, Emotion, Lane, OpLog, Stage, Step
from .base import FACILITATOR, MEMBERS, Context, Id, OpSchema, op, reorder
from .cards import _cell
from .kept import KEPT, revive
from .structure import _renumber, _stage_steps


class Restore(OpSchema):
    id: Id
    delete_op_id: Id


def _kept(ctx: Context, o: Restore, delete_type: str) -> dict[str, Any]:
    entry = ctx.session.scalar(select(OpLog).where(OpLog.map_id == ctx.map_id, OpLog.op_id == o.delete_op_id))
    if entry is None or entry.type != delete_type or (entry.data or {}).get("id") != o.id:
        raise OpError("not_found", f"delete_op_id: no {delete_type} of this id on this map", "delete_op_id")
    kept = entry.data.get(KEPT)
    if not kept:
        raise OpError("not_found", "delete_op_id: this delete was made before deletes were kept", "delete_op_id")
    return kept


def _revive_cards(
    ctx: Context,
    rows: list[dict[str, Any]],
    comments: list[dict[str, Any]],
) -> tuple[list[Card], list[Comment], list[str]]:
    """Cards whose lane and step exist, in their old order per cell after the cell's present cards
    (a whole lane or step: the cell is empty); the others are left out, with their comments."""
    lanes = {x.id for x in ctx.rows(Lane)}
    steps = {x.id for x in ctx.rows(Step)}
    by_cell: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    left_out = []
    for row in sorted(rows, key=lambda r: r.get("position") or 0):
        if row["lane_id"] in lanes and row["step_id"] in steps:
            by_cell[(row["lane_id"], row["step_id"])].append(row)
        else:
            left_out.append(row["id"])
    cards = []
    for (lane_id, step_id), cell_rows in by_cell.items():
        present = _cell(ctx, lane_id, step_id)
        for i, row in enumerate(cell_rows):
            card = revive(ctx, Card, {**row, "position": len(present) + i, "version": (row.get("version") or 1) + 1})
            cards.append(card)
    back = {c.id for c in cards}
    notes = [revive(ctx, Comment, row) for row in comments if row["target_id"] in back]
    ctx.session.flush()
    return cards, notes, left_out


def _shape(cards: list[Card], comments: list[Comment], left_out: list[str]) -> dict[str, Any]:
    return {
        "cards": [shapes.card(c) for c in cards],
        "comments": [shapes.comment(c) for c in comments],
        "left_out": left_out,
    }


@op("card.restore", Restore, MEMBERS)
def card_restore(ctx: Context, o: Restore) -> dict[str, Any]:
    kept = _kept(ctx, o, "card.delete")
    row = kept["cards"][0]
    ctx.require_author("card.restore", row.get("author_id"), "restore a card")
    ctx.get(Lane, row["lane_id"], "lane_id")
    ctx.get(Step, row["step_id"], "step_id")
    cards, comments, _ = _revive_cards(ctx, [row], kept.get("comments", []))
    # Back where it was in its cell, the others making room.
    reorder(_cell(ctx, row["lane_id"], row["step_id"]), cards[0], row.get("position"))
    return {"id": o.id, **_shape(cards, comments, [])}


@op("lane.restore", Restore, FACILITATOR)
def lane_restore(ctx: Context, o: Restore) -> dict[str, Any]:
    kept = _kept(ctx, o, "lane.delete")
    lane = revive(ctx, Lane, kept["lane"])
    reorder(ctx.rows(Lane, Lane.id != lane.id, order=Lane.position), lane, kept["lane"].get("position"))
    ctx.session.flush()
    cards, comments, left_out = _revive_cards(ctx, kept.get("cards", []), kept.get("comments", []))
    return {"id": o.id, "lane": shapes.lane(lane), **_shape(cards, comments, left_out)}


@op("step.restore", Restore, FACILITATOR)
def step_restore(ctx: Context, o: Restore) -> dict[str, Any]:
    kept = _kept(ctx, o, "step.delete")
    values = dict(kept["step"])
    if values.get("stage_id") and ctx.session.get(Stage, values["stage_id"]) is None:
        values["stage_id"] = None  # its stage was deleted since: the step comes back outside any stage
    step = revive(ctx, Step, values)
    reorder(_stage_steps(ctx, step.stage_id, exclude=step.id), step, values.get("position"))
    ctx.session.flush()
    cards, comments, left_out = _revive_cards(ctx, kept.get("cards", []), kept.get("comments", []))
    comments += [revive(ctx, Comment, row) for row in kept.get("step_comments", [])]
    emotions = [revive(ctx, Emotion, row) for row in kept.get("emotions", [])]
    ctx.session.flush()
    summary = views.emotion_summary(ctx.session, ctx.map_id, step.id)
    return {
        "id": o.id,
        "step": shapes.step(step),
        **_shape(cards, comments, left_out),
        "emotions": summary,
        "resonance": views.resonance(summary, [step.id])[0],
        # Who gave which score: views.py turns it into each viewer's own `mine`, and drops it.
        "ratings": [
            {"participant_id": e.participant_id, "perspective": e.perspective, "score": e.score} for e in emotions
        ],
    }


@op("stage.restore", Restore, FACILITATOR)
def stage_restore(ctx: Context, o: Restore) -> dict[str, Any]:
    kept = _kept(ctx, o, "stage.delete")
    stage = revive(ctx, Stage, kept["stage"])
    reorder(ctx.rows(Stage, Stage.id != stage.id, order=Stage.position), stage, kept["stage"].get("position"))
    ctx.session.flush()
    # Its steps go back under it, in their old order, if they are still outside any stage.
    free = {s.id: s for s in _stage_steps(ctx, None)}
    back = [free[i] for i in kept.get("step_ids", []) if i in free]
    for i, step in enumerate(back):
        step.stage_id, step.position = stage.id, i
    _renumber([s for s in _stage_steps(ctx, None) if s.stage_id is None and s not in back])
    ctx.session.flush()
    moved = back + _stage_steps(ctx, None)
    left_out = [i for i in kept.get("step_ids", []) if i not in free]
    return {"id": o.id, "stage": shapes.stage(stage), "steps": [shapes.step(s) for s in moved], "left_out": left_out}
