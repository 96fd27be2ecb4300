"""Exports of a listening: responses.csv (CONTRACT.md §7), the report's "Mirror listening" section and
the survey curves of map.pdf (plain dicts for templates/pdf/_listening.html), and workshop.json."""
from __future__ import annotations

import csv
import io
from typing import Any

from flask import Response
from sqlalchemy import select

from ..db import Database
from ..export.csv_export import safe_cell
from ..models import Listening, ListeningAnswer, ListeningResponse, Step, Workshop, iso
from ..ops.base import Actor
from . import results as agg
from .service import _facilitator, _listening_of, ordered_steps

HEADERS = {
    "fr": ["Silo", "Macro-étape", "Étape", "Score", "Important", "Verbatim", "Mis à jour"],
    "en": ["Silo", "Stage", "Step", "Score", "Important", "Verbatim", "Updated at"],
}
SILO_LABEL = {"fr": {"customer": "client", "employee": "collaborateur"},
              "en": {"customer": "customer", "employee": "employee"}}


def responses_csv(db: Database, actor: Actor, lid: str) -> tuple[bytes, str]:
    """One answer a row; no respondent id; a hidden verbatim is left out (its score stays).
    Text cells that a spreadsheet would run as a formula get an apostrophe; scores stay numbers."""
    with db.read() as s:
        li = _listening_of(s, actor, lid)
        _facilitator(actor)
        w = s.get(Workshop, li.workshop_id)
        locale = w.locale if w and w.locale in HEADERS else "en"
        steps = ordered_steps(s, li.map_id)
        order = {st["id"]: i for i, st in enumerate(steps)}
        by_id = {st["id"]: st for st in steps}
        stmt = (select(ListeningAnswer.silo, ListeningAnswer.step_id, ListeningAnswer.score,
                       ListeningAnswer.important, ListeningAnswer.verbatim, ListeningAnswer.hidden,
                       ListeningResponse.updated_at)
                .join(ListeningResponse, ListeningResponse.id == ListeningAnswer.response_id)
                .join(Step, (Step.id == ListeningAnswer.step_id) & (Step.map_id == li.map_id))
                .where(ListeningAnswer.listening_id == li.id))
        rows = sorted(s.execute(stmt), key=lambda r: (r.silo, order.get(r.step_id, 1 << 30), r.updated_at))
        title = li.title
    yes, no = ("oui", "non") if locale == "fr" else ("yes", "no")
    out = io.StringIO()
    writer = csv.writer(out, dialect="excel", lineterminator="\r\n")
    writer.writerow(HEADERS[locale])
    for r in rows:
        step = by_id.get(r.step_id, {})
        verbatim = "" if r.hidden or r.verbatim is None else r.verbatim
        writer.writerow([safe_cell(v) for v in (
            SILO_LABEL[locale][r.silo], step.get("stage") or "", step.get("title", ""),
            r.score if r.score is not None else "", yes if r.important else no, verbatim, iso(r.updated_at))])
    return ("\ufeff" + out.getvalue()).encode("utf-8"), title


def csv_response(db: Database, actor: Actor, lid: str) -> Response:
    data, _title = responses_csv(db, actor, lid)
    response = Response(data, mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="responses-{lid[:8]}.csv"'
    response.headers["Cache-Control"] = "no-store"
    return response
