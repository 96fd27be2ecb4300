"""What a listening request may carry (CONTRACT.md §7), declared once: the routes validate with
these models and the OpenAPI document is generated from them."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from ..ops.base import Id, OpSchema, Short

SILOS = ("customer", "employee")
Silo = Literal["customer", "employee"]
STATUSES = ("open", "closed")
# §7: a verbatim is at most 1,000 characters (longer answers `too_large`, as §6's limits do).
MAX_VERBATIM = 1000
# A map has a few dozen steps; a response has at most one answer per step.
MAX_ANSWERS = 200
Verbatim = Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_VERBATIM)]
Score = Annotated[int, Field(ge=-2, le=2, strict=True)]
Invited = Annotated[int, Field(ge=0, le=10_000_000, strict=True)]


class InvitedCounts(OpSchema):
    customer: Invited | None = None
    employee: Invited | None = None


class ListeningCreate(OpSchema):
    title: Short = ""
    invited: InvitedCounts | None = None


class ListeningUpdate(OpSchema):
    title: Short | None = None
    status: Literal["open", "closed"] | None = None
    invited: InvitedCounts | None = None


class VerbatimModeration(OpSchema):
    hidden: bool


class Answer(OpSchema):
    step_id: Id
    score: Score | None = None
    important: bool = False
    verbatim: Verbatim | None = None

    @property
    def empty(self) -> bool:
        return self.score is None and not self.important and not self.verbatim


class ResponseBody(OpSchema):
    answers: list[Answer] = Field(max_length=MAX_ANSWERS)
