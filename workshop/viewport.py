"""The facilitator's viewport, sent to the room: "bring everyone here" and "follow me".

A viewport is not workshop state (nobody's zoom belongs in the op log, a replay or an export), so it
travels like the `editing` marks: a transient Socket.IO signal, no seq, nothing stored. It is
validated here, sent by the facilitator only, and bounded by its own token bucket (AppState's
viewport_limiter, limits in config.py; the client sends at
most 4 a second while following, plus one every few seconds so that late joiners catch up).
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, StrictBool, ValidationError

from .errors import OpError, from_validation
from .ops.base import Actor, Id, OpSchema
from .state import RateLimiter

MIN_ZOOM, MAX_ZOOM = 0.25, 3.0


class Viewport(OpSchema):
    map_id: Id
    zoom: float = Field(ge=MIN_ZOOM, le=MAX_ZOOM)
    fit: StrictBool = False
    step_id: Id | None = None
    lane_id: Id | None = None
    follow: StrictBool = False


def signal(actor: Actor, raw: Any, limiter: RateLimiter) -> dict[str, Any]:
    """The event every other screen of the map receives, or an OpError in the contract's shape."""
    if not actor.is_facilitator:
        raise OpError("forbidden", "only the facilitator leads the room's view")
    try:
        view = Viewport.model_validate(raw)
    except ValidationError as err:
        raise from_validation(err) from None
    limiter.check(actor.id)
    return {**view.model_dump(), "participant_id": actor.id, "name": actor.name}
