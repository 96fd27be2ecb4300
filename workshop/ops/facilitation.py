"""The facilitator's controls: phase, timer, board lock."""
from __future__ import annotations

from datetime import timedelta
from typing import Any, Literal

from pydantic import Field

from .. import shapes
from ..models import Step
from .base import FACILITATOR, Context, Id, OpSchema, Short, op

PHASES = ("setup", "diagnostic", "key_moments", "ideation", "selection", "chantiers", "closed")
Phase = Literal[PHASES]  # type: ignore[valid-type]


class PhaseSet(OpSchema):
    phase: Phase


class TimerStart(OpSchema):
    seconds: int = Field(ge=1, le=24 * 3600)
    label: Short | None = None


class NoFields(OpSchema):
    pass


class BoardLock(OpSchema):
    locked: bool


class SilentWriting(OpSchema):
    silent: bool


class FocusSet(OpSchema):
    step_id: Id | None


@op("phase.set", PhaseSet, FACILITATOR)
def phase_set(ctx: Context, o: PhaseSet) -> dict[str, Any]:
    ctx.map.phase = o.phase
    return shapes.map_(ctx.map)


@op("board.lock", BoardLock, FACILITATOR)
def board_lock(ctx: Context, o: BoardLock) -> dict[str, Any]:
    ctx.map.locked = o.locked
    return shapes.map_(ctx.map)


@op("timer.start", TimerStart, FACILITATOR)
def timer_start(ctx: Context, o: TimerStart) -> dict[str, Any]:
    # An end time rather than a duration: every screen counts down to the same instant.
    ctx.map.timer_ends_at = ctx.now + timedelta(seconds=o.seconds)
    ctx.map.timer_label = o.label or None
    return {"timer": shapes.timer(ctx.map)}


@op("timer.stop", NoFields, FACILITATOR)
def timer_stop(ctx: Context, o: NoFields) -> dict[str, Any]:
    ctx.map.timer_ends_at = None
    ctx.map.timer_label = None
    return {"timer": None}


@op("board.silent", SilentWriting, FACILITATOR)
def board_silent(ctx: Context, o: SilentWriting) -> dict[str, Any]:
    """Silent writing: while on, every new card stays face down for all but its author."""
    ctx.map.silent_writing = o.silent
    return shapes.map_(ctx.map)


@op("focus.set", FocusSet, FACILITATOR)
def focus_set(ctx: Context, o: FocusSet) -> dict[str, Any]:
    """Bring every screen to one step (null: let everyone roam again)."""
    if o.step_id:
        ctx.get(Step, o.step_id, "step_id")
    ctx.map.focus_step_id = o.step_id
    return shapes.map_(ctx.map)
