"""The emotional curve and its mirror: each rater scores a step from its own perspective."""

from __future__ import annotations

from typing import Any

from pydantic import Field
from sqlalchemy import select

from .. import views
from ..models import Emotion, Participant, Step
from .base import MEMBERS, Context, Id, OpSchema, op


class EmotionSet(OpSchema):
    step_id: Id
    score: int | None = Field(ge=-2, le=2, strict=True)


def rating_side(rater: Participant) -> str:
    """The side a rating counts on (CONTRACT.md §6): the rater's perspective; a participant without
    one counts as customer; a facilitator only on a side it has chosen (PATCH /api/me), none by
    default. Read from the row, not the connection's actor, so a side chosen meanwhile applies."""
    if rater.perspective in views.SIDES:
        return rater.perspective
    return views.UNCOUNTED if rater.role == "facilitator" else "customer"


@op("emotion.set", EmotionSet, MEMBERS)
def emotion_set(ctx: Context, o: EmotionSet) -> dict[str, Any]:
    """Set (or clear with null) the actor's own score; answer the step's new average for that
    perspective, with the rater and score that views.redact turns into each viewer's `mine`."""
    ctx.get(Step, o.step_id, "step_id")
    perspective = rating_side(ctx.session.get(Participant, ctx.actor.id))
    row = ctx.session.scalar(
        select(Emotion).where(Emotion.step_id == o.step_id, Emotion.participant_id == ctx.actor.id)
    )
    old_side = row.perspective if row is not None else None
    if o.score is None:
        if row is not None:
            ctx.session.delete(row)
    elif row is None:
        ctx.session.add(
            Emotion(
                map_id=ctx.map_id,
                step_id=o.step_id,
                participant_id=ctx.actor.id,
                perspective=perspective,
                score=o.score,
            )
        )
    else:
        row.score, row.perspective = o.score, perspective
    ctx.session.flush()
    summary = views.emotion_summary(ctx.session, ctx.map_id, o.step_id)

    def side_row(side: str) -> dict[str, Any]:
        return next(
            (r for r in summary if r["perspective"] == side),
            {"step_id": o.step_id, "perspective": side, "average": None, "count": 0},
        )

    data = {
        **side_row(perspective),
        "rater_id": ctx.actor.id,
        "score": o.score,
        "resonance": views.resonance(summary, [o.step_id])[0],
    }
    if old_side in views.SIDES and old_side != perspective and o.score is not None:
        data["previous"] = side_row(old_side)  # the side this rating left (a facilitator changed sides)
    return data
