"""The facilitator's controls: phase, timer (start, pause, resume, extend, stop), board lock, settings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from pydantic import Field

from .. import shapes
from ..errors import OpError
from ..lists import PHASES
from ..models import Step
from .base import FACILITATOR, Context, Id, OpSchema, Short, op

Phase = Literal[PHASES]  # type: ignore[valid-type]


class PhaseSet(OpSchema):
    phase: Phase


class TimerStart(OpSchema):
    seconds: int = Field(ge=1, le=24 * 3600)
    label: Short | None = None


class NoFields(OpSchema):
    pass


class TimerExtend(OpSchema):
    seconds: int = Field(default=60, ge=1, le=3600)


class BoardSettings(OpSchema):
    # "facilitator": only facilitators add and rename steps; "all": participants too (CONTRACT §3).
    structure_edits: Literal["facilitator", "all"]


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
    ctx.map.timer_paused_at = None
    return {"timer": shapes.timer(ctx.map)}


@op("timer.stop", NoFields, FACILITATOR)
def timer_stop(ctx: Context, o: NoFields) -> dict[str, Any]:
    ctx.map.timer_ends_at = None
    ctx.map.timer_label = None
    ctx.map.timer_paused_at = None
    return {"timer": None}


def _running_timer(ctx: Context) -> None:
    if ctx.map.timer_ends_at is None:
        raise OpError("conflict", "no timer is running")


@op("timer.pause", NoFields, FACILITATOR)
def timer_pause(ctx: Context, o: NoFields) -> dict[str, Any]:
    """Freeze the countdown: the end time stays, the instant of the pause is kept."""
    _running_timer(ctx)
    if ctx.map.timer_paused_at is None:
        ctx.map.timer_paused_at = min(ctx.now, _aware(ctx.map.timer_ends_at))
    return {"timer": shapes.timer(ctx.map)}


@op("timer.resume", NoFields, FACILITATOR)
def timer_resume(ctx: Context, o: NoFields) -> dict[str, Any]:
    """Go on from where it was paused: the end moves later by the length of the pause."""
    _running_timer(ctx)
    if ctx.map.timer_paused_at is not None:
        ctx.map.timer_ends_at = _aware(ctx.map.timer_ends_at) + (ctx.now - _aware(ctx.map.timer_paused_at))
        ctx.map.timer_paused_at = None
    return {"timer": shapes.timer(ctx.map)}


@op("timer.extend", TimerExtend, FACILITATOR)
def timer_extend(ctx: Context, o: TimerExtend) -> dict[str, Any]:
    """More time (+1 minute by default); a timer that already rang starts again from now."""
    _running_timer(ctx)
    ends = _aware(ctx.map.timer_ends_at)
    if ctx.map.timer_paused_at is None and ends < ctx.now:
        ends = ctx.now
    ctx.map.timer_ends_at = ends + timedelta(seconds=o.seconds)
    return {"timer": shapes.timer(ctx.map)}


def _aware(value: datetime) -> datetime:
    # SQLite hands back naive datetimes; every stored time is UTC.
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@op("board.settings", BoardSettings, FACILITATOR)
def board_settings(ctx: Context, o: BoardSettings) -> dict[str, Any]:
    """The map's settings (ops/base.py `check_map_rules` enforces them)."""
    ctx.map.structure_edits = o.structure_edits
    return shapes.map_(ctx.map)


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
