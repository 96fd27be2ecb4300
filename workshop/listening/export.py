"""Exports of a listening: responses.csv (CONTRACT.md §7), the report's "Mirror listening" section and
the survey curves of map.pdf (plain dicts for templates/pdf/_listening.html), and workshop.json."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import datetime, timedelta
from typing import Any, Literal

from flask import Response
from pydantic import ConfigDict, Field, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db import Database
from ..errors import OpError, from_validation
from ..export.csv_export import safe_cell
from ..i18n import LANGS, translate
from ..models import Listening, ListeningAnswer, ListeningResponse, Map, Step, Workshop, iso, utcnow
from ..ops.base import Actor, OpSchema, Short
from . import counters
from . import results as agg
from .schemas import MAX_ANSWERS, SILOS, Answer, InvitedCounts, Silo
from .service import _facilitator, _listening_of, new_code, ordered_steps

# The columns in order; their headers are the catalogue's `csv.<column>` entries.
COLUMNS = ("silo", "stage", "step", "score", "important", "verbatim", "updated_at")


def responses_csv(db: Database, actor: Actor, lid: str) -> tuple[bytes, str]:
    """One answer a row; no respondent id; a hidden verbatim is left out (its score stays).
    Text cells that a spreadsheet would run as a formula get an apostrophe; scores stay numbers."""
    with db.read() as s:
        li = _listening_of(s, actor, lid)
        _facilitator(actor)
        w = s.get(Workshop, li.workshop_id)
        locale = w.locale if w and w.locale in LANGS else "en"
        steps = ordered_steps(s, li.map_id)
        order = {st["id"]: i for i, st in enumerate(steps)}
        by_id = {st["id"]: st for st in steps}
        stmt = (
            select(
                ListeningAnswer.silo,
                ListeningAnswer.step_id,
                ListeningAnswer.score,
                ListeningAnswer.important,
                ListeningAnswer.verbatim,
                ListeningAnswer.hidden,
                ListeningResponse.updated_at,
            )
            .join(ListeningResponse, ListeningResponse.id == ListeningAnswer.response_id)
            .join(Step, (Step.id == ListeningAnswer.step_id) & (Step.map_id == li.map_id))
            .where(ListeningAnswer.listening_id == li.id)
        )
        rows = sorted(s.execute(stmt), key=lambda r: (r.silo, order.get(r.step_id, 1 << 30), r.updated_at))
        title = li.title
    yes, no = translate(locale, "csv.yes"), translate(locale, "csv.no")
    silo_label = {silo: translate(locale, f"csv.silo_{silo}") for silo in SILOS}
    out = io.StringIO()
    writer = csv.writer(out, dialect="excel", lineterminator="\r\n")
    writer.writerow([translate(locale, f"csv.{column}") for column in COLUMNS])
    for r in rows:
        step = by_id.get(r.step_id, {})
        verbatim = "" if r.hidden or r.verbatim is None else r.verbatim
        writer.writerow(
            [
                safe_cell(v)
                for v in (
                    silo_label[r.silo],
                    step.get("stage") or "",
                    step.get("title", ""),
                    r.score if r.score is not None else "",
                    yes if r.important else no,
                    verbatim,
                    iso(r.updated_at),
                )
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8"), title


def csv_response(db: Database, actor: Actor, lid: str) -> Response:
    data, _title = responses_csv(db, actor, lid)
    response = Response(data, mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="responses-{lid[:8]}.csv"'
    response.headers["Cache-Control"] = "no-store"
    return response


# -- workshop.json ------------------------------------------------------------------------------------


def map_document(session: Session, map_id: str, viewer: Actor) -> list[dict[str, Any]]:
    """The map's listenings for workshop.json (and the PDFs, rendered from that document): no codes
    (secrets, like the join code), no rids. The facilitator's export also carries every response,
    so that an import gives back the same results; anyone else's carries the results only."""
    step_ids = [st["id"] for st in ordered_steps(session, map_id)]
    out = []
    for li in session.scalars(
        select(Listening).where(Listening.map_id == map_id).order_by(Listening.created_at, Listening.id)
    ):
        doc: dict[str, Any] = {
            "id": li.id,
            "title": li.title,
            "status": li.status,
            "invited": {"customer": li.invited_customer, "employee": li.invited_employee},
            "created_at": iso(li.created_at),
            "results": agg.results(session, li, step_ids),
        }
        if viewer.is_facilitator:
            doc["responses"] = _responses(session, li, step_ids)
        out.append(doc)
    return out


def _responses(session: Session, li: Listening, step_ids: list[str]) -> list[dict[str, Any]]:
    order = {sid: i for i, sid in enumerate(step_ids)}
    answers: dict[str, list[dict[str, Any]]] = {}
    stmt = select(
        ListeningAnswer.response_id,
        ListeningAnswer.step_id,
        ListeningAnswer.score,
        ListeningAnswer.important,
        ListeningAnswer.verbatim,
        ListeningAnswer.hidden,
    ).where(ListeningAnswer.listening_id == li.id)
    for rid, sid, score, important, verbatim, hidden in session.execute(stmt):
        if sid in order:  # a deleted step's answers are gone from results, so from exports too
            answers.setdefault(rid, []).append(
                {"step_id": sid, "score": score, "important": important, "verbatim": None if hidden else verbatim}
            )
    rows = session.execute(
        select(ListeningResponse.id, ListeningResponse.silo, ListeningResponse.created_at, ListeningResponse.updated_at)
        .where(ListeningResponse.listening_id == li.id)
        .order_by(ListeningResponse.created_at, ListeningResponse.id)
    )
    return [
        {
            "silo": silo,
            "created_at": iso(created),
            "updated_at": iso(updated),
            "answers": sorted(answers[rid], key=lambda a: order[a["step_id"]]),
        }
        for rid, silo, created, updated in rows
        if rid in answers
    ]


class _ImportedResponse(OpSchema):
    model_config = ConfigDict(extra="ignore")
    silo: Silo
    created_at: datetime | None = None
    updated_at: datetime | None = None
    answers: list[Answer] = Field(max_length=MAX_ANSWERS)


class _ImportedListening(OpSchema):
    model_config = ConfigDict(extra="ignore")
    title: Short = ""
    status: Literal["open", "closed"] = "closed"
    invited: InvitedCounts | None = None
    created_at: datetime | None = None
    responses: list[_ImportedResponse] = Field(default_factory=list, max_length=100_000)


def import_listenings(db: Database, map_id: str, listenings: list[dict[str, Any]], ids: dict[str, str]) -> None:
    """Recreate a document's listenings on an imported map: new codes (the old links stay dead), new
    respondent keys nobody holds (a respondent cannot come back to an imported response), the same
    answers on the new steps; answers on steps the import does not know are left out."""
    for i, raw in enumerate(listenings):
        try:
            doc = _ImportedListening.model_validate(raw)
        except ValidationError as exc:
            err = from_validation(exc)
            raise OpError("invalid", f"listenings.{i}: {err.message}", f"listenings.{i}") from None
        with db.write() as s:
            m = s.get(Map, map_id)
            li = Listening(
                map_id=map_id,
                workshop_id=m.workshop_id,
                title=doc.title,
                status=doc.status,
                invited_customer=doc.invited.customer if doc.invited else None,
                invited_employee=doc.invited.employee if doc.invited else None,
                code_customer=new_code(),
                code_employee=new_code(),
                created_at=doc.created_at or utcnow(),
            )
            s.add(li)
            s.flush()
            given = made = None
            for r in doc.responses:
                kept = [a for a in r.answers if a.step_id in ids and not a.empty]
                if not kept:
                    continue
                created = r.created_at or utcnow()
                if r.created_at is not None and r.created_at == given:
                    # A document's times are to the millisecond and exports list responses by time:
                    # responses saved in the same millisecond keep the document's order, a
                    # microsecond apart (ties would otherwise follow their new random ids).
                    created = made + timedelta(microseconds=1)
                given, made = r.created_at, created
                response = ListeningResponse(
                    listening_id=li.id,
                    rid=str(uuid.uuid4()),
                    silo=r.silo,
                    created_at=created,
                    updated_at=r.updated_at or r.created_at or utcnow(),
                )
                s.add(response)
                s.flush()
                s.add_all(
                    ListeningAnswer(
                        response_id=response.id,
                        listening_id=li.id,
                        silo=r.silo,
                        step_id=ids[a.step_id],
                        score=a.score,
                        important=a.important,
                        verbatim=a.verbatim or None,
                    )
                    for a in kept
                )
            s.flush()
            counters.rebuild(s, [li.id])  # the results read the counters: count what was just loaded
