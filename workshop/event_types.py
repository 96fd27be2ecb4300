"""The shape of every event's `data`, one pydantic model per op type, in one place.

The `data` of an op's ack and of its event (CONTRACT.md §4) as a viewer receives it, i.e. after
`views.redact`: a face-down card has `text: null`, a secret vote names neither target nor voter to
anyone but the voter, an `emotion.set` carries the viewer's own `mine` and never the rater. Every
model refuses unknown fields, so a handler that starts sending a new field, or a redaction that lets
one through, fails tests/test_events.py (which validates every case for every viewer) until the
shape here says so. The OpenAPI document (workshop/openapi.py) publishes these models as
`event_<type>` components; docs/api.md no longer describes the shapes in prose.

`EVENT_DATA` must name every op type of `workshop.ops.REGISTRY` (tests/test_events.py checks it).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict

from .lists import CHANTIER_STATUSES, PHASES, RESONANCE_CATEGORIES, ROUND_TARGETS, SIDES, UNCOUNTED
from .maptypes import CARD_KINDS, CHANNELS, LANE_KINDS

CardKind = Literal[CARD_KINDS]  # type: ignore[valid-type]
Channel = Literal[CHANNELS]  # type: ignore[valid-type]
LaneKind = Literal[LANE_KINDS]  # type: ignore[valid-type]
Phase = Literal[PHASES]  # type: ignore[valid-type]
Status = Literal[CHANTIER_STATUSES]  # type: ignore[valid-type]
Target = Literal[ROUND_TARGETS]  # type: ignore[valid-type]
Category = Literal[RESONANCE_CATEGORIES]  # type: ignore[valid-type]
Side = Literal[SIDES]  # type: ignore[valid-type]
RatingSide = Literal[(*SIDES, UNCOUNTED)]  # type: ignore[valid-type]


class Shape(BaseModel):
    """An object of the contract: every field named, nothing else."""

    model_config = ConfigDict(extra="forbid")


# -- the objects of the snapshot (workshop/shapes.py) ---------------------------------------------


class Stage(Shape):
    id: str
    title: str
    position: int


class Step(Shape):
    id: str
    title: str
    description: str
    stage_id: str | None
    position: int
    key_moment: bool


class Lane(Shape):
    id: str
    title: str
    kind: LaneKind
    position: int


class Card(Shape):
    """`text` is null and `hidden` true for every viewer but the author of a face-down card."""

    id: str
    lane_id: str
    step_id: str
    kind: CardKind
    text: str | None
    author_id: str | None
    perspective: str | None
    channel: Channel | None
    builds_on: str | None
    position: int
    visibility: Literal["all", "author"]
    version: int
    hidden: bool
    selected: bool


class Comment(Shape):
    id: str
    target_id: str
    text: str
    author_id: str | None
    ts: str


class SheetMilestone(Shape):
    date: dt.date | None = None
    label: str


class SheetKpi(Shape):
    name: str
    target: str = ""


class Chantier(Shape):
    id: str
    title: str
    version: int
    position: int
    priority: int | None
    problem: str | None
    objective: str | None
    solution: str | None
    owner: str | None
    sponsor: str | None
    departments: list[str] | None
    start: dt.date | None
    end: dt.date | None
    milestones: list[SheetMilestone] | None
    effort: int | None
    impact: int | None
    prerequisites: str | None
    risks: str | None
    kpis: list[SheetKpi] | None
    budget: str | None
    status: Status | None
    step_ids: list[str] | None
    card_ids: list[str] | None


class MapShape(Shape):
    id: str
    workshop_id: str
    type: str
    title: str
    locked: bool
    phase: Phase
    focus_step_id: str | None
    silent_writing: bool
    structure_edits: Literal["all", "facilitator"]


class Timer(Shape):
    ends_at: str
    label: str | None
    paused_at: str | None


class Result(Shape):
    target_id: str
    votes: int


class RoundShape(Shape):
    """`results` is null while a secret round is open; `voters` counts people, never their choices."""

    id: str
    target: Target
    budget: int
    max_per_item: int | None
    secret: bool
    card_kind: CardKind | None
    open: bool
    results: list[Result] | None
    voters: int


# -- data that is not one object -------------------------------------------------------------------


class Deleted(Shape):
    id: str


class StageDeleted(Shape):
    """The stage's steps move, in this order, to the end of the steps without a stage."""

    id: str
    step_ids: list[str]


class CardsDeleted(Shape):
    """A deleted step or lane: its cards (and their comments) go with it."""

    id: str
    card_ids: list[str]


class CardsRevealed(Shape):
    cards: list[Card]


class TimerData(Shape):
    timer: Timer | None


class Promoted(Shape):
    """`items`: the steps (now key moments), cards (now selected) or sheets (now ranked)."""

    round_id: str
    target: Target
    items: list[Step] | list[Card] | list[Chantier]


class Vote(Shape):
    """In a secret round `target_votes` is null for everyone; `target_id`, `participant_id` and
    `remaining` are null for everyone but the voter."""

    round_id: str
    target_id: str | None
    participant_id: str | None
    secret: bool
    remaining: int | None
    target_votes: int | None
    voters: int


class Resonance(Shape):
    step_id: str
    customer: float | None
    employee: float | None
    category: Category | None


class SideRow(Shape):
    step_id: str
    perspective: RatingSide
    average: float | None
    count: int


class EmotionSet(Shape):
    """The rater's side's new average; `mine` is the viewer's own score (null on others' copies);
    `previous`: the row of the side a re-rated score left (a facilitator that changed sides)."""

    step_id: str
    perspective: RatingSide
    average: float | None
    count: int
    mine: int | None
    resonance: Resonance
    previous: SideRow | None = None


class Sheets(Shape):
    chantiers: list[Chantier]


class MyRow(SideRow):
    """A side's average on a step, with the viewer's own score (the snapshot's `emotions` rows)."""

    mine: int | None


class CardsRestored(Shape):
    """An undone delete (`*.restore`): the rows come back with their ids; `left_out`: the ids that
    could not (their cell is gone). What the delete kept is never sent (views.SERVER_ONLY)."""

    id: str
    cards: list[Card]
    comments: list[Comment]
    left_out: list[str]


class LaneRestored(CardsRestored):
    lane: Lane


class StepRestored(CardsRestored):
    """Its ratings come back as each viewer's own `mine`, never as who gave which score."""

    step: Step
    emotions: list[MyRow]
    resonance: Resonance


class StageRestored(Shape):
    id: str
    stage: Stage
    steps: list[Step]
    left_out: list[str]


EVENT_DATA: dict[str, type[Shape]] = {
    "stage.add": Stage,
    "stage.update": Stage,
    "stage.delete": StageDeleted,
    "step.add": Step,
    "step.update": Step,
    "step.move": Step,
    "step.delete": CardsDeleted,
    "lane.add": Lane,
    "lane.update": Lane,
    "lane.move": Lane,
    "lane.delete": CardsDeleted,
    "card.add": Card,
    "card.update": Card,
    "card.move": Card,
    "card.delete": Deleted,
    "cards.reveal": CardsRevealed,
    "comment.add": Comment,
    "comment.delete": Deleted,
    "emotion.set": EmotionSet,
    "phase.set": MapShape,
    "board.lock": MapShape,
    "board.silent": MapShape,
    "focus.set": MapShape,
    "board.settings": MapShape,
    "timer.start": TimerData,
    "timer.stop": TimerData,
    "timer.pause": TimerData,
    "timer.resume": TimerData,
    "timer.extend": TimerData,
    "round.open": RoundShape,
    "round.close": RoundShape,
    "round.promote": Promoted,
    "vote.cast": Vote,
    "vote.retract": Vote,
    "chantier.add": Chantier,
    "chantier.update": Chantier,
    "chantier.delete": Deleted,
    "chantier.from_winners": Sheets,
    "card.restore": CardsRestored,
    "lane.restore": LaneRestored,
    "step.restore": StepRestored,
    "stage.restore": StageRestored,
}


def check(type_: str, data: dict) -> Shape:
    """Validate one event's data against its op type's model (KeyError: an op type without one)."""
    return EVENT_DATA[type_].model_validate(data)


class Event(Shape):
    """The envelope of every event (Socket.IO `event`, sync, GET …/events). `actor_id` is null on
    others' copies of an `emotion.set`, and of a `vote.cast` / `vote.retract` in a secret round."""

    map_id: str
    seq: int
    op_id: str
    type: str
    actor_id: str | None
    data: dict
    ts: str


def check_event(event: dict) -> Shape:
    """Validate an event's envelope and its data."""
    Event.model_validate(event)
    return check(event["type"], event["data"])
