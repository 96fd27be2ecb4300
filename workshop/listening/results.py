"""Results of a listening, aggregated by the database (CONTRACT.md §7): one GROUP BY over the answers,
joined to the map's steps so that a deleted step's answers drop out; never every response in Python."""
from __future__ import annotations

from typing import Any

from sqlalchemy import case, distinct, func, select
from sqlalchemy.orm import Session

from ..models import Listening, ListeningAnswer, Stage, Step
from ..views import category
from .schemas import SILOS

_SCORES = (-2, -1, 0, 1, 2)


def _on_existing_steps(listening: Listening) -> Any:
    """Answers of this listening on steps that still exist on its map."""
    return (select().select_from(ListeningAnswer)
            .join(Step, (Step.id == ListeningAnswer.step_id) & (Step.map_id == listening.map_id))
            .where(ListeningAnswer.listening_id == listening.id))


def response_counts(session: Session, listening: Listening) -> dict[str, int]:
    """Per silo, the responses with at least one answer on an existing step."""
    stmt = _on_existing_steps(listening).add_columns(
        ListeningAnswer.silo, func.count(distinct(ListeningAnswer.response_id))).group_by(ListeningAnswer.silo)
    counts = {silo: 0 for silo in SILOS}
    for silo, n in session.execute(stmt):
        counts[silo] = n
    return counts


def _participation(responses: int, invited: int | None) -> float | None:
    return round(responses / invited, 2) if invited else None


def silos(session: Session, listening: Listening) -> dict[str, dict[str, Any]]:
    counts = response_counts(session, listening)
    invited = {"customer": listening.invited_customer, "employee": listening.invited_employee}
    return {silo: {"responses": counts[silo], "invited": invited[silo],
                   "participation": _participation(counts[silo], invited[silo])} for silo in SILOS}


def _empty_side() -> dict[str, Any]:
    return {"average": None, "count": 0, "distribution": [0, 0, 0, 0, 0], "important": 0}


def step_rows(session: Session, listening: Listening, step_ids: list[str]) -> list[dict[str, Any]]:
    """Per step (in the map's order) and per silo: average, count, distribution, important."""
    score = ListeningAnswer.score
    stmt = _on_existing_steps(listening).add_columns(
        ListeningAnswer.step_id, ListeningAnswer.silo, func.avg(score), func.count(score),
        *[func.sum(case((score == s, 1), else_=0)) for s in _SCORES],
        func.sum(case((ListeningAnswer.important.is_(True), 1), else_=0)),
    ).group_by(ListeningAnswer.step_id, ListeningAnswer.silo)
    by_step: dict[str, dict[str, dict[str, Any]]] = {sid: {silo: _empty_side() for silo in SILOS} for sid in step_ids}
    for step_id, silo, avg, count, *rest in session.execute(stmt):
        if step_id not in by_step or silo not in SILOS:
            continue
        distribution, important = [int(n or 0) for n in rest[:5]], int(rest[5] or 0)
        by_step[step_id][silo] = {"average": round(float(avg), 2) if avg is not None else None,
                                  "count": int(count), "distribution": distribution, "important": important}
    out = []
    for sid in step_ids:
        c, e = by_step[sid]["customer"], by_step[sid]["employee"]
        out.append({"step_id": sid, "customer": c, "employee": e, "category": category(c["average"], e["average"])})
    return out


def verbatims(session: Session, listening: Listening, *, hidden: bool = False,
              limit: int | None = None) -> list[dict[str, Any]]:
    """The comments (not hidden ones, unless asked for moderation), in step order; ids are the answers'."""
    stmt = (_on_existing_steps(listening)
            .add_columns(ListeningAnswer.id, ListeningAnswer.silo, ListeningAnswer.step_id,
                         ListeningAnswer.score, ListeningAnswer.verbatim)
            .outerjoin(Stage, Stage.id == Step.stage_id)
            .where(ListeningAnswer.verbatim.is_not(None), ListeningAnswer.hidden.is_(hidden))
            .order_by(Stage.position, Step.position, ListeningAnswer.id))
    if limit:
        stmt = stmt.limit(limit)
    return [{"id": vid, "silo": silo, "step_id": sid, "score": score, "text": text}
            for vid, silo, sid, score, text in session.execute(stmt)]


def results(session: Session, listening: Listening, step_ids: list[str]) -> dict[str, Any]:
    return {"silos": silos(session, listening), "steps": step_rows(session, listening, step_ids),
            "verbatims": verbatims(session, listening)}
