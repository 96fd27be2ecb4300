"""Chantier sheets (work packages): co-edited field by field.

Last writer wins per field, unless the writer says which version its text was based on
(`base_version` of `chantier.update`): then a field changed by someone else since that version
answers `conflict` instead of silently replacing their text. Each field remembers the sheet
version that last changed it and who changed it, so two people editing different fields (or one
person saving the same field twice in a row) never conflict.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .. import shapes
from ..errors import OpError
from ..lists import CHANTIER_STATUSES
from ..models import Card, Chantier, Step
from .base import FACILITATOR, MEMBERS, ById, Context, Id, OpSchema, Short, Text, Title, op


class Milestone(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    date: dt.date | None = None
    label: Short


class Kpi(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    name: Short
    target: Short = ""


class ChantierFields(OpSchema):
    problem: Text | None = None
    objective: Text | None = None
    solution: Text | None = None
    owner: Short | None = None
    sponsor: Short | None = None
    departments: list[Short] | None = Field(default=None, max_length=30)
    start: dt.date | None = None
    end: dt.date | None = None
    milestones: list[Milestone] | None = Field(default=None, max_length=50)
    effort: int | None = Field(default=None, ge=1, le=5)
    impact: int | None = Field(default=None, ge=1, le=5)
    prerequisites: Text | None = None
    risks: Text | None = None
    kpis: list[Kpi] | None = Field(default=None, max_length=50)
    budget: Short | None = None
    status: Literal[CHANTIER_STATUSES] | None = None  # type: ignore[valid-type]
    step_ids: list[Id] | None = Field(default=None, max_length=200)
    card_ids: list[Id] | None = Field(default=None, max_length=500)

    @field_validator("departments", mode="before")
    @classmethod
    def _one_department(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @field_validator("budget", mode="before")
    @classmethod
    def _budget_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


class ChantierAdd(ChantierFields):
    id: Id | None = None
    title: Title


class ChantierUpdate(ChantierFields):
    id: Id
    title: Title | None = None
    # The sheet `version` the sent fields were edited from; omitted: last writer wins (CONTRACT §3).
    base_version: int | None = Field(default=None, ge=0)
    # The rank a chantier vote's promotion gives (1 = first); the facilitator's, like promoting.
    priority: int | None = Field(default=None, ge=1, le=50)


class FromWinners(OpSchema):
    # Omitted: every retained (selected) idea of the map.
    card_ids: list[Id] | None = Field(default=None, max_length=200)


def _set_fields(ctx: Context, sheet: Chantier, o: ChantierFields) -> None:
    sent = o.model_fields_set - {"id", "title", "base_version", "priority"}
    values = o.model_dump(mode="json", include=sent)
    for name, model in (("step_ids", Step), ("card_ids", Card)):
        for i, id_ in enumerate(values.get(name) or []):
            ctx.get(model, id_, f"{name}.{i}")
    # An end before the start is kept, not refused: the board edits one field at a time, so any
    # order of dates can be entered; the sheet and the PDF flag it instead (issue #9).
    # A new dict: the JSON column sees the change.
    sheet.fields = {**(sheet.fields or {}), **values}


@op("chantier.add", ChantierAdd, MEMBERS)
def chantier_add(ctx: Context, o: ChantierAdd) -> dict[str, Any]:
    count = len(ctx.rows(Chantier))
    sheet = ctx.create(
        Chantier, o.id, workshop_id=ctx.map.workshop_id, title=o.title, position=count, fields={"status": "draft"}
    )
    _set_fields(ctx, sheet, o)
    ctx.session.flush()
    return shapes.chantier(sheet)


def _changed(o: ChantierUpdate) -> list[str]:
    names = sorted(o.model_fields_set - {"id", "base_version"})
    return [n for n in names if n != "title" or o.title is not None]


def _check_base(ctx: Context, sheet: Chantier, o: ChantierUpdate, names: list[str]) -> None:
    """Refuse to overwrite a field someone else changed after the version this edit started from."""
    if o.base_version is None:
        return
    seen = sheet.field_versions or {}
    stale = [n for n in names if seen.get(n, {}).get("v", 0) > o.base_version and seen[n].get("by") != ctx.actor.id]
    if stale:
        raise OpError(
            "conflict", f"{', '.join(stale)}: changed by someone else since version {o.base_version}", stale[0]
        )


def _stamp(ctx: Context, sheet: Chantier, names: list[str]) -> None:
    stamp = {"v": sheet.version, "by": ctx.actor.id}
    sheet.field_versions = {**(sheet.field_versions or {}), **{n: stamp for n in names}}


@op("chantier.update", ChantierUpdate, MEMBERS)
def chantier_update(ctx: Context, o: ChantierUpdate) -> dict[str, Any]:
    sheet = ctx.get(Chantier, o.id)
    names = _changed(o)
    _check_base(ctx, sheet, o, names)
    if o.title is not None:
        sheet.title = o.title
    if "priority" in o.model_fields_set:
        ctx.require_facilitator("rank sheets", "priority")
        sheet.priority = o.priority
    _set_fields(ctx, sheet, o)
    sheet.version += 1
    _stamp(ctx, sheet, names)
    return shapes.chantier(sheet)


def _first_line(text: str) -> str:
    line = " ".join(text.strip().split("\n", 1)[0].split())
    return line if len(line) <= 200 else f"{line[:199]}…"


@op("chantier.from_winners", FromWinners, FACILITATOR)
def chantier_from_winners(ctx: Context, o: FromWinners) -> dict[str, Any]:
    """One sheet per retained idea (its text as title and solution, its step and the card linked).
    An idea already linked to a sheet gets no second one: sending it again creates nothing new."""
    if o.card_ids is None:
        cards = ctx.rows(Card, Card.selected.is_(True), Card.visibility == "all", order=Card.position)
    else:
        cards = [ctx.get(Card, id_, f"card_ids.{i}") for i, id_ in enumerate(dict.fromkeys(o.card_ids))]
    sheets = ctx.rows(Chantier, order=Chantier.position)
    linked = {cid for sheet in sheets for cid in (sheet.fields or {}).get("card_ids") or []}
    created = []
    for card in cards:
        if card.id in linked or card.visibility != "all" or not (card.text or "").strip():
            continue
        sheet = Chantier(
            map_id=ctx.map_id,
            workshop_id=ctx.map.workshop_id,
            title=_first_line(card.text),
            position=len(sheets) + len(created),
            fields={"status": "draft", "solution": card.text, "step_ids": [card.step_id], "card_ids": [card.id]},
        )
        ctx.session.add(sheet)
        created.append(sheet)
    ctx.session.flush()
    return {"chantiers": [shapes.chantier(s) for s in created]}


@op("chantier.delete", ById, FACILITATOR)
def chantier_delete(ctx: Context, o: ById) -> dict[str, Any]:
    sheet = ctx.get(Chantier, o.id)
    ctx.session.delete(sheet)
    for i, other in enumerate(ctx.rows(Chantier, Chantier.id != sheet.id, order=Chantier.position)):
        other.position = i
    return {"id": sheet.id}
