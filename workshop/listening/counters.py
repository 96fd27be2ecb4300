"""Running counters of a listening's results, kept by the writes in their own transaction (CONTRACT.md §7).

Reading the results of 10,000 responses must cost a handful of rows, not a GROUP BY over 120,000
answers (issue #10: < 300 ms). So every write of answers also moves two small tables:

- `listening_step_counts`, one row per (listening, step, silo): the answers on that step (`answered`),
  how many gave each score −2..+2 (`n_m2` … `n_p2`) and how many were marked important;
- `listening_silo_counts`, one row per (listening, silo): the responses with at least one answer.

The PUT adds the difference between the response's old and new answers, so a respondent who changes
an answer moves its counts and the same body sent again moves nothing. The counters live in the
database and change in the write's transaction, so several processes count the same results and a
rolled-back write leaves them as they were. `rebuild` recomputes them from the answers (imports, the
migration that created them); results.aggregate is the SQL reference the tests hold them to.

A deleted step's counters stay (its answers stay too, and come back with the step): the results
read only the map's steps. A response whose answers are all on deleted steps no longer counts (§7);
the silo counter cannot know that, so results.silos counts in SQL when a deleted step has answers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, bindparam, case, delete, exists, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from ..models import ID, Base, ListeningAnswer, ListeningResponse

SCORE_COLUMNS = ("n_m2", "n_m1", "n_0", "n_p1", "n_p2")  # the counts of the scores −2, −1, 0, +1, +2
STEP_COLUMNS = ("answered", *SCORE_COLUMNS, "important")


class ListeningStepCount(Base):
    __tablename__ = "listening_step_counts"
    listening_id: Mapped[str] = mapped_column(ForeignKey("listenings.id", ondelete="CASCADE"), primary_key=True)
    step_id: Mapped[str] = mapped_column(ID, primary_key=True)
    silo: Mapped[str] = mapped_column(String(10), primary_key=True)
    answered: Mapped[int] = mapped_column(Integer, default=0)
    n_m2: Mapped[int] = mapped_column(Integer, default=0)
    n_m1: Mapped[int] = mapped_column(Integer, default=0)
    n_0: Mapped[int] = mapped_column(Integer, default=0)
    n_p1: Mapped[int] = mapped_column(Integer, default=0)
    n_p2: Mapped[int] = mapped_column(Integer, default=0)
    important: Mapped[int] = mapped_column(Integer, default=0)


class ListeningSiloCount(Base):
    __tablename__ = "listening_silo_counts"
    listening_id: Mapped[str] = mapped_column(ForeignKey("listenings.id", ondelete="CASCADE"), primary_key=True)
    silo: Mapped[str] = mapped_column(String(10), primary_key=True)
    responses: Mapped[int] = mapped_column(Integer, default=0)


Row = tuple[int | None, bool]  # an answer as the counters see it: (score, important)


def _contribution(answer: Row | None) -> dict[str, int]:
    """What one stored answer adds to its step's counters (every stored answer is non-empty)."""
    if answer is None:
        return {}
    score, important = answer
    out = {"answered": 1}
    if score is not None:
        out[SCORE_COLUMNS[score + 2]] = 1
    if important:
        out["important"] = 1
    return out


def step_deltas(old: dict[str, Row], new: dict[str, Row]) -> dict[str, dict[str, int]]:
    """Per step, what moves when a response's answers go from `old` to `new` (zero moves left out)."""
    out: dict[str, dict[str, int]] = {}
    for step_id in old.keys() | new.keys():
        delta = dict.fromkeys(STEP_COLUMNS, 0)
        for column, n in _contribution(new.get(step_id)).items():
            delta[column] += n
        for column, n in _contribution(old.get(step_id)).items():
            delta[column] -= n
        if any(delta.values()):
            out[step_id] = delta
    return out


_UPSERTS: dict[tuple[str, str], Any] = {}


def _upsert(session: Session, table: Any, keys: tuple[str, ...], rows: list[dict[str, Any]]) -> None:
    """Add each row's numbers to its counter row, creating it when missing: one statement, built once
    per dialect and table (building it was a third of a save's time), run on the session's connection."""
    connection = session.connection()
    dialect = connection.dialect.name
    stmt = _UPSERTS.get((dialect, table.name))
    if stmt is None:
        stmt = (pg_insert if dialect == "postgresql" else sqlite_insert)(table)
        columns = [c.name for c in table.columns if c.name not in keys]
        stmt = stmt.on_conflict_do_update(
            index_elements=list(keys), set_={c: table.c[c] + stmt.excluded[c] for c in columns}
        )
        _UPSERTS[(dialect, table.name)] = stmt
    connection.execute(stmt, rows)


def apply(session: Session, listening_id: str, silo: str, old: dict[str, Row], new: dict[str, Row]) -> None:
    """Move the counters from a response's `old` answers (by step) to its `new` ones, in the caller's
    transaction. `old` empty means a new response (the silo counts one more)."""
    deltas = step_deltas(old, new)
    if not old and new:
        _upsert(
            session,
            ListeningSiloCount.__table__,
            ("listening_id", "silo"),
            [{"listening_id": listening_id, "silo": silo, "responses": 1}],
        )
    if deltas:
        # In step order: two writers on PostgreSQL lock the same rows in the same order (no deadlock).
        _upsert(
            session,
            ListeningStepCount.__table__,
            ("listening_id", "step_id", "silo"),
            [{"listening_id": listening_id, "step_id": sid, "silo": silo, **deltas[sid]} for sid in sorted(deltas)],
        )


_STEP_COUNTS = select(*ListeningStepCount.__table__.c).where(
    ListeningStepCount.listening_id == bindparam("p_listening")
)
_SILO_COUNTS = select(ListeningSiloCount.silo, ListeningSiloCount.responses).where(
    ListeningSiloCount.listening_id == bindparam("p_listening")
)


def read(session: Session, listening_id: str) -> tuple[dict[tuple[str, str], Any], dict[str, int]]:
    """The counters of one listening: by (step, silo), and the responses by silo. Two small reads
    of plain rows with statements built once (every open Mirror panel reads them)."""
    params = {"p_listening": listening_id}
    steps = {(c.step_id, c.silo): c for c in session.execute(_STEP_COUNTS, params)}
    return steps, dict(session.execute(_SILO_COUNTS, params).all())


def rebuild(session: Session, listening_ids: Iterable[str]) -> None:
    """Recompute the counters of these listenings from their answers (after an import)."""
    ids = list(listening_ids)
    if not ids:
        return
    session.execute(delete(ListeningStepCount).where(ListeningStepCount.listening_id.in_(ids)))
    session.execute(delete(ListeningSiloCount).where(ListeningSiloCount.listening_id.in_(ids)))
    a = ListeningAnswer
    score_sums = [func.sum(case((a.score == s, 1), else_=0)) for s in (-2, -1, 0, 1, 2)]
    steps = (
        select(
            a.listening_id,
            a.step_id,
            a.silo,
            func.count(),
            *score_sums,
            func.sum(case((a.important.is_(True), 1), else_=0)),
        )
        .where(a.listening_id.in_(ids))
        .group_by(a.listening_id, a.step_id, a.silo)
    )
    session.execute(
        ListeningStepCount.__table__.insert().from_select(["listening_id", "step_id", "silo", *STEP_COLUMNS], steps)
    )
    r = ListeningResponse
    silos = (
        select(r.listening_id, r.silo, func.count())
        .where(r.listening_id.in_(ids), exists().where(a.response_id == r.id))
        .group_by(r.listening_id, r.silo)
    )
    session.execute(ListeningSiloCount.__table__.insert().from_select(["listening_id", "silo", "responses"], silos))
