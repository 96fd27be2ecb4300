"""Chantier sheets (work packages): co-edited field by field, last writer wins per field."""
from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .. import shapes
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
    status: Literal["draft", "validated", "in_progress", "done"] | None = None
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
    # The rank a chantier vote's promotion gives (1 = first); the facilitator's, like promoting.
    priority: int | None = Field(default=None, ge=1, le=50)


def _set_fields(ctx: Context, sheet: Chantier, o: ChantierFields) -> None:
    sent = o.model_fields_set - {"id", "title", "priority"}
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
    sheet = ctx.create(Chantier, o.id, workshop_id=ctx.map.workshop_id, title=o.title, position=count,
                       fields={"status": "draft"})
    _set_fields(ctx, sheet, o)
    ctx.session.flush()
    return shapes.chantier(sheet)


@op("chantier.update", ChantierUpdate, MEMBERS)
def chantier_update(ctx: Context, o: ChantierUpdate) -> dict[str, Any]:
    sheet = ctx.get(Chantier, o.id)
    if o.title is not None:
        sheet.title = o.title
    if "priority" in o.model_fields_set:
        ctx.require_facilitator("rank sheets", "priority")
        sheet.priority = o.priority
    _set_fields(ctx, sheet, o)
    sheet.version += 1
    return shapes.chantier(sheet)


@op("chantier.delete", ById, FACILITATOR)
def chantier_delete(ctx: Context, o: ById) -> dict[str, Any]:
    sheet = ctx.get(Chantier, o.id)
    ctx.session.delete(sheet)
    for i, other in enumerate(ctx.rows(Chantier, Chantier.id != sheet.id, order=Chantier.position)):
        other.position = i
    return {"id": sheet.id}
