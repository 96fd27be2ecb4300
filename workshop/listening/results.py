"""Results of a listening (CONTRACT.md §7); never every response in Python.

`results` reads the running counters (counters.py): a row per step and silo, a row per silo, then the
comments from the partial index of answers with one. `aggregate` computes the same from the answers
in SQL; it is the reference the tests hold the counters to, and the one way to count responses when
a deleted step still has answers (a response left with answers on deleted steps only does not count).

Only answers on the map's existing steps count, so a deleted step's answers drop out.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from sqlalchemy import bindparam, case, exists, func, select
from sqlalchemy.orm import Session

from ..models import Listening, ListeningAnswer, ListeningResponse, Step
from ..views import category
from . import counters
from .schemas import SILOS

_SCORES = (-2, -1, 0, 1, 2)


def step_ids_of(session: Session, map_id: str) -> list[str]:
    return list(session.scalars(select(Step.id).where(Step.map_id == map_id)))


def response_counts(session: Session, listening: Listening, step_ids: list[str] | None = None) -> dict[str, int]:
    """Per silo, the responses with at least one answer on an existing step."""
    step_ids = step_ids_of(session, listening.map_id) if step_ids is None else step_ids
    on_a_step = exists().where(
        ListeningAnswer.response_id == ListeningResponse.id, ListeningAnswer.step_id.in_(step_ids)
    )
    stmt = (
        select(ListeningResponse.silo, func.count())
        .where(ListeningResponse.listening_id == listening.id, on_a_step)
        .group_by(ListeningResponse.silo)
    )
    counts = {silo: 0 for silo in SILOS}
    for silo, n in session.execute(stmt):
        counts[silo] = n
    return counts


def _participation(responses: int, invited: int | None) -> float | None:
    return round(responses / invited, 2) if invited else None


def silos(
    session: Session, listening: Listening, step_ids: list[str], counts: dict[str, int] | None = None
) -> dict[str, dict[str, Any]]:
    counts = response_counts(session, listening, step_ids) if counts is None else counts
    invited = {"customer": listening.invited_customer, "employee": listening.invited_employee}
    return {
        silo: {
            "responses": counts[silo],
            "invited": invited[silo],
            "participation": _participation(counts[silo], invited[silo]),
        }
        for silo in SILOS
    }


def _empty_side() -> dict[str, Any]:
    return {"average": None, "count": 0, "distribution": [0, 0, 0, 0, 0], "important": 0}


def _side(distribution: list[int], important: int) -> dict[str, Any]:
    count = sum(distribution)
    total = sum(n * score for n, score in zip(distribution, _SCORES))
    return {
        "average": round(total / count, 2) if count else None,
        "count": count,
        "distribution": distribution,
        "important": important,
    }


def _rows(by_step: dict[str, dict[str, dict[str, Any]]], step_ids: list[str]) -> list[dict[str, Any]]:
    out = []
    for sid in step_ids:
        c, e = by_step[sid]["customer"], by_step[sid]["employee"]
        out.append({"step_id": sid, "customer": c, "employee": e, "category": category(c["average"], e["average"])})
    return out


def counted_responses(session: Session, listening: Listening, step_ids: list[str]) -> dict[str, int]:
    """Per silo, the responses that count: from the counters, unless a deleted step has answers."""
    steps, by_silo = counters.read(session, listening.id)
    return _counted(session, listening, step_ids, steps, by_silo)


def _counted(
    session: Session, listening: Listening, step_ids: list[str], steps: dict, by_silo: dict[str, int]
) -> dict[str, int]:
    known = set(step_ids)
    if any(c.answered and sid not in known for (sid, _silo), c in steps.items()):
        return response_counts(session, listening, step_ids)
    return {silo: by_silo.get(silo, 0) for silo in SILOS}


def results(session: Session, listening: Listening, step_ids: list[str]) -> dict[str, Any]:
    """§7 `results` from the counters: two reads of a few rows, then the comments."""
    steps, by_silo = counters.read(session, listening.id)
    by_step: dict[str, dict[str, dict[str, Any]]] = {sid: {silo: _empty_side() for silo in SILOS} for sid in step_ids}
    for (sid, silo), c in steps.items():
        if sid in by_step and silo in SILOS:
            by_step[sid][silo] = _side([c.n_m2, c.n_m1, c.n_0, c.n_p1, c.n_p2], c.important)
    counts = _counted(session, listening, step_ids, steps, by_silo)
    return {
        "silos": silos(session, listening, step_ids, counts),
        "steps": _rows(by_step, step_ids),
        "verbatims": verbatims(session, listening, step_ids),
    }


class _Shared:
    """The results last computed for each listening, per database, under the listening's version
    (bumped in the transaction of every change: service.bump). Every open Mirror panel asks for
    them after the same `listening` event; the first computes, the others are served the same
    object (read-only: encoded, never changed). Bounded: the oldest listening is forgotten first."""

    def __init__(self, size: int = 32):
        self.size, self._entries, self._lock = size, OrderedDict(), threading.Lock()

    def get(self, key: tuple, fresh: tuple) -> dict[str, Any] | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] != fresh:
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def put(self, key: tuple, fresh: tuple, value: dict[str, Any]) -> None:
        with self._lock:
            self._entries[key] = (fresh, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)


_SHARED = _Shared()


def cached(session: Session, listening: Listening, step_ids: list[str]) -> dict[str, Any]:
    """`results`, computed once per version of the listening and the map's steps. The version is
    read with the listening, before the counters: what is computed is at least that version, so
    a process never serves results older than the version it read. Several processes each keep
    their own copy; the shared database decides what is current."""
    key = (str(session.get_bind().url), listening.id)
    fresh = (listening.version, listening.invited_customer, listening.invited_employee, tuple(step_ids))
    found = _SHARED.get(key, fresh)
    if found is None:
        found = results(session, listening, step_ids)
        _SHARED.put(key, fresh, found)
    return found


def step_rows(session: Session, listening: Listening, step_ids: list[str]) -> list[dict[str, Any]]:
    """Per step (in the order given) and per silo: average, count, distribution, important."""
    score = ListeningAnswer.score
    stmt = (
        select(
            ListeningAnswer.step_id,
            ListeningAnswer.silo,
            func.avg(score),
            func.count(score),
            *[func.sum(case((score == s, 1), else_=0)) for s in _SCORES],
            func.sum(case((ListeningAnswer.important.is_(True), 1), else_=0)),
        )
        .where(ListeningAnswer.listening_id == listening.id, ListeningAnswer.step_id.in_(step_ids))
        .group_by(ListeningAnswer.step_id, ListeningAnswer.silo)
    )
    by_step: dict[str, dict[str, dict[str, Any]]] = {sid: {silo: _empty_side() for silo in SILOS} for sid in step_ids}
    for step_id, silo, avg, count, *rest in session.execute(stmt):
        if step_id not in by_step or silo not in SILOS:
            continue
        distribution, important = [int(n or 0) for n in rest[:5]], int(rest[5] or 0)
        by_step[step_id][silo] = {
            "average": round(float(avg), 2) if avg is not None else None,
            "count": int(count),
            "distribution": distribution,
            "important": important,
        }
    return _rows(by_step, step_ids)


# Built once: every open Mirror panel reads them.
_VERBATIMS = select(
    ListeningAnswer.id,
    ListeningAnswer.silo,
    ListeningAnswer.step_id,
    ListeningAnswer.score,
    ListeningAnswer.verbatim,
).where(
    ListeningAnswer.listening_id == bindparam("p_listening"),
    ListeningAnswer.verbatim.is_not(None),
    ListeningAnswer.hidden == bindparam("p_hidden"),
)


def verbatims(
    session: Session, listening: Listening, step_ids: list[str], *, hidden: bool = False, limit: int | None = None
) -> list[dict[str, Any]]:
    """The comments (not the hidden ones, unless asked for moderation) in step order; ids are the answers'."""
    params = {"p_listening": listening.id, "p_hidden": hidden}
    # Steps are filtered here, not in SQL: with `step_id IN` the planner leaves the partial index for
    # the covering one and reads every answer's row.
    order = {sid: i for i, sid in enumerate(step_ids)}
    # In step order, then by silo and text: an order that does not depend on ids, so that an export
    # and the export of its import list them alike.
    rows = sorted(
        (r for r in session.execute(_VERBATIMS, params) if r.step_id in order),
        key=lambda r: (order[r.step_id], r.silo, r.verbatim, r.id),
    )
    return [
        {"id": vid, "silo": silo, "step_id": sid, "score": score, "text": text}
        for vid, silo, sid, score, text in rows[:limit]
    ]


def aggregate(session: Session, listening: Listening, step_ids: list[str]) -> dict[str, Any]:
    """The same results computed from the answers in SQL: the reference for the counters."""
    return {
        "silos": silos(session, listening, step_ids),
        "steps": step_rows(session, listening, step_ids),
        "verbatims": verbatims(session, listening, step_ids),
    }
