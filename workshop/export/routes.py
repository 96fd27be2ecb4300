"""The export and import endpoints (CONTRACT.md §2).

Each export reads the workshop into plain dicts in the request (collect.py), then renders off the
event loop, in a child process (offload.in_subprocess): a PDF never freezes the boards. An import is database work through
the engine, so it stays in the request (the thread pool would share the green connection pool) and
yields between its ops. Anyone of the workshop may
export (facilitator, participants, observers), and sees in the export what the board shows them.
"""
from __future__ import annotations

import logging
import re
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request
from pydantic import ValidationError

from .. import api
from ..errors import OpError
from ..offload import in_subprocess
from . import collect, csv_export, json_io

log = logging.getLogger(__name__)

bp = Blueprint("exports", __name__, url_prefix="/api")
bp.register_error_handler(OpError, api.op_error)
bp.register_error_handler(ValidationError, api.validation_error)

IMPORT_MAX_BYTES = 16 * 1024 * 1024

_WORDS = {
    "fr": {"chantiers": "chantiers", "map": "carte", "report": "compte-rendu", "cards": "cartes", "workshop": "atelier"},
    "en": {"chantiers": "work-packages", "map": "map", "report": "report", "cards": "cards", "workshop": "workshop"},
}


def slug(text: str, limit: int = 60) -> str:
    text = re.sub(r"[’'‘]", "-", text.replace("œ", "oe").replace("Œ", "Oe"))
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    ascii_text = re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-").lower()
    return ascii_text[:limit].rstrip("-") or "parcours"


def filename(doc: dict[str, Any], kind: str, ext: str, map_title: str | None = None) -> str:
    locale = doc["workshop"].get("locale") or "fr"
    parts = [slug(doc["workshop"]["title"])]
    if map_title and map_title != doc["workshop"]["title"]:
        parts.append(slug(map_title, 40))
    parts += [_WORDS.get(locale, _WORDS["en"])[kind], date.today().isoformat()]
    return "-".join(parts) + "." + ext


def _keep(name: str, data: bytes) -> None:
    """A copy under exports/ (ignored by git); a full disk never fails the download."""
    folder: Path = api.state().settings.exports_dir
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    except OSError:
        log.warning("could not keep a copy of %s under %s", name, folder, exc_info=True)


def _file(data: bytes, name: str, mimetype: str) -> Response:
    _keep(name, data)
    res = Response(data, mimetype=mimetype)
    res.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    res.headers["Cache-Control"] = "private, no-store"
    res.headers["X-Content-Type-Options"] = "nosniff"
    return res


def _workshop_doc(wid: str) -> dict[str, Any]:
    actor = api.current_actor()
    return collect.workshop_document(api.state().db, actor, wid)


def _map_doc(mid: str) -> dict[str, Any]:
    actor = api.current_actor()
    db = api.state().db
    wid = collect.map_workshop_id(db, actor, mid)
    return collect.workshop_document(db, actor, wid)


def _map_title(doc: dict[str, Any], mid: str) -> str:
    return next(m["map"]["title"] for m in doc["maps"] if m["map"]["id"] == mid)


@bp.get("/workshops/<wid>/export/chantiers.pdf")
def chantiers_pdf(wid: str) -> Response:
    doc = _workshop_doc(wid)
    data = in_subprocess("workshop.export.pdf:render_chantiers", doc)
    return _file(data, filename(doc, "chantiers", "pdf"), "application/pdf")


@bp.get("/maps/<mid>/export/map.pdf")
def map_pdf(mid: str) -> Response:
    doc = _map_doc(mid)
    data = in_subprocess("workshop.export.pdf:render_map", doc, mid)
    return _file(data, filename(doc, "map", "pdf", _map_title(doc, mid)), "application/pdf")


@bp.get("/workshops/<wid>/export/report.pdf")
def report_pdf(wid: str) -> Response:
    doc = _workshop_doc(wid)
    data = in_subprocess("workshop.export.pdf:render_report", doc)
    return _file(data, filename(doc, "report", "pdf"), "application/pdf")


@bp.get("/workshops/<wid>/export/workshop.json")
def workshop_json(wid: str) -> Response:
    doc = _workshop_doc(wid)
    data = current_app.json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")
    return _file(data, filename(doc, "workshop", "json"), "application/json")


@bp.get("/maps/<mid>/export/cards.csv")
def cards_csv(mid: str) -> Response:
    doc = _map_doc(mid)
    data = csv_export.cards_csv(doc, mid)
    return _file(data, filename(doc, "cards", "csv", _map_title(doc, mid)), "text/csv")  # werkzeug adds "; charset=utf-8" to text/* itself


@bp.post("/workshops/import")
def import_workshop() -> Any:
    request.max_content_length = IMPORT_MAX_BYTES  # a workshop.json is larger than one op
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise OpError("invalid", "the body must be a workshop.json document")
    answer = json_io.import_workshop(api.state().db, body, api.base_url(),
                                     pause=current_app.extensions["socketio"].sleep)
    return jsonify(answer), 201
