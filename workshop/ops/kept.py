"""What a delete keeps so that it can be undone: the removed rows, whole, in the delete's own log entry.

A delete's data carries them under `KEPT` (see `views.SERVER_ONLY`): the op log stores them with the
event, and views.py drops them from every copy that leaves the server (events, acks, sync), so a
face-down card's text or a rater's score never reaches anyone through a delete. The `*.restore` ops
(ops/restore.py) read them back from the log entry of the delete they undo.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, select

from ..models import Card, Comment, Emotion, iso
from .base import Context

KEPT = "kept"


def row_values(row: Any) -> dict[str, Any]:
    """Every column of a row but its map, as JSON (times as ISO 8601): new columns are kept too."""
    out = {}
    for column in row.__table__.columns:
        if column.key == "map_id":
            continue
        value = getattr(row, column.key)
        out[column.key] = iso(value) if isinstance(value, datetime) else value
    return out


def revive(ctx: Context, model: type, values: dict[str, Any]) -> Any:
    """The row back, with its own id (conflict when that id is taken: already restored)."""
    columns = {c.key: c for c in model.__table__.columns}
    fields = {}
    for key, value in values.items():
        column = columns.get(key)
        if column is None or key in ("id", "map_id"):
            continue  # a column dropped since the delete
        if value is not None and isinstance(column.type, DateTime):
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        fields[key] = value
    return ctx.create(model, values["id"], **fields)


def keep_cards(ctx: Context, *where: Any) -> dict[str, list[dict[str, Any]]]:
    """The cards that match, and the comments on them, as rows to revive."""
    cards = ctx.rows(Card, *where, order=Card.position)
    return {"cards": [row_values(c) for c in cards], "comments": keep_comments(ctx, [c.id for c in cards])}


def keep_comments(ctx: Context, target_ids: Iterable[str]) -> list[dict[str, Any]]:
    ids = list(target_ids)
    if not ids:
        return []
    rows = ctx.session.scalars(
        select(Comment).where(Comment.map_id == ctx.map_id, Comment.target_id.in_(ids)).order_by(Comment.ts)
    )
    return [row_values(c) for c in rows]


def keep_emotions(ctx: Context, step_id: str) -> list[dict[str, Any]]:
    return [row_values(e) for e in ctx.rows(Emotion, Emotion.step_id == step_id)]
