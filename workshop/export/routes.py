"""The export and import endpoints (CONTRACT.md §2).

Each export reads the workshop into plain dicts in the request (collect.py), then renders off the
event loop, in a child process (offload.in_subprocess): a PDF never freezes the boards. An import is database work through
the engine, so it stays in the request (the thread pool would share the green connection pool) and
yields between its ops. Anyone of the workshop may
export (facilitator, participants, observers), and sees in the export what the board shows them.
"""

from __future__ import annotations

import importlib
import json
import logging
import re
import unicodedata
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

from .. import web
from ..errors import OpError
from ..i18n import LANGS, translate
from ..offload import in_subprocess
from . import collect, json_io
from .formats import FORMATS, Format
from .limits import Busy, limits, prune

log = logging.getLogger(__name__)

bp = Blueprint("exports", __name__, url_prefix="/api")
web.answer_errors(bp)


@bp.errorhandler(Busy)
def busy(err: Busy) -> Any:
    response, status = web.op_error(err)
    response.headers["Retry-After"] = str(err.retry_after)
    return response, status


def slug(text: str, limit: int = 60) -> str:
    text = re.sub(r"[’'‘]", "-", text.replace("œ", "oe").replace("Œ", "Oe"))
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    ascii_text = re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-").lower()
    return ascii_text[:limit].rstrip("-") or "parcours"


def filename(doc: dict[str, Any], kind: str, ext: str, map_title: str | None = None) -> str:
    locale = doc.get("lang") or doc["workshop"].get("locale") or "fr"
    parts = [slug(doc["workshop"]["title"])]
    if map_title and map_title != doc["workshop"]["title"]:
        parts.append(slug(map_title, 40))
    parts += [translate(locale if locale in LANGS else "en", f"file.{kind}"), date.today().isoformat()]
    return "-".join(parts) + "." + ext


def _keep(name: str, data: bytes) -> None:
    """A copy under exports/ (ignored by git), only the newest few (limits.EXPORTS_KEPT); a full disk
    never fails the download."""
    folder: Path = web.state().settings.exports_dir
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    except OSError:
        log.warning("could not keep a copy of %s under %s", name, folder, exc_info=True)
    prune(folder)


def _file(data: bytes, name: str, content_type: str) -> Response:
    _keep(name, data)
    res = Response(data, content_type=content_type)  # as given: mimetype= would add a second charset
    res.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    res.headers["Cache-Control"] = "private, no-store"
    res.headers["X-Content-Type-Options"] = "nosniff"
    return res


def _with_lang(doc: dict[str, Any]) -> dict[str, Any]:
    """Exports speak the workshop's language, or the one asked for with ?lang= (file name and text)."""
    lang = request.args.get("lang")
    return {**doc, "lang": lang} if lang in LANGS else doc


def _map_title(doc: dict[str, Any], mid: str) -> str:
    return next(m["map"]["title"] for m in doc["maps"] if m["map"]["id"] == mid)


def _callable(target: str) -> Callable[..., bytes]:
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


def render_json(doc: dict[str, Any]) -> bytes:
    """workshop.json: the document itself (without the export's `lang`, which is not content)."""
    return json.dumps({k: v for k, v in doc.items() if k != "lang"}, ensure_ascii=False, indent=1).encode("utf-8")


def _render_pdf(actor: Any, doc: dict[str, Any], target: str, *args: Any) -> bytes:
    """Render in a child process, within the PDF gate (limits.py): a member renders one PDF at a time
    and the server a couple; beyond, 429 with Retry-After rather than a queue of CPU-bound work."""
    locale = doc.get("lang") or doc["workshop"].get("locale") or "fr"
    with limits().pdf.enter(actor.id, translate(locale, "export.busy", seconds=5)):
        return in_subprocess(target, doc, *args)


def _export_view(fmt: Format) -> Callable[[str], Response]:
    """The endpoint of one format (formats.FORMATS): read the document as this member may see it,
    render it, answer it as a named file."""

    def view(scope_id: str) -> Response:
        actor = web.current_actor()
        db = web.state().db
        map_id = scope_id if fmt.scope == "map" else None
        workshop_id = collect.map_workshop_id(db, actor, scope_id) if map_id else scope_id
        doc = _with_lang(collect.workshop_document(db, actor, workshop_id))
        args = (map_id,) if map_id else ()
        data = _render_pdf(actor, doc, fmt.render, *args) if fmt.pdf else _callable(fmt.render)(doc, *args)
        name = filename(doc, fmt.key, fmt.ext, _map_title(doc, map_id) if map_id else None)
        return _file(data, name, fmt.content_type)

    view.__name__ = f"export_{fmt.key}"
    view.__doc__ = fmt.summary
    return view


for _fmt in FORMATS:
    bp.add_url_rule(_fmt.flask_path, endpoint=f"export_{_fmt.key}", view_func=_export_view(_fmt), methods=["GET"])


def _import_lang() -> str:
    """The importer's language: ?lang=, then the browser's, then French."""
    if request.args.get("lang") in LANGS:
        return request.args["lang"]
    return request.accept_languages.best_match(LANGS) or "fr"


def _importer(lang: str) -> Any:
    """A facilitator of any workshop on this server (CONTRACT.md §2: a facilitator's token may be required)."""
    try:
        actor = web.current_actor()
    except OpError:
        raise OpError("unauthorized", translate(lang, "impex.err.token")) from None
    if not actor.is_facilitator:
        raise OpError("forbidden", translate(lang, "impex.err.not_facilitator"))
    return actor


def _import_body(lang: str) -> bytes:
    too_large = OpError("too_large", translate(lang, "impex.err.too_large", mb=json_io.MAX_BYTES // (1024 * 1024)))
    if (request.content_length or 0) > json_io.MAX_BYTES:
        raise too_large
    request.max_content_length = json_io.MAX_BYTES  # a workshop.json is larger than one op
    try:
        return request.get_data(cache=False)
    except RequestEntityTooLarge:
        raise too_large from None


@bp.post("/workshops/import")
def import_workshop() -> Any:
    """A new workshop from a workshop.json (json_io). Checked in this order, cheapest first: a
    facilitator's token, the address's import rate, the size, then one import at a time per importer."""
    lang = _import_lang()
    actor = _importer(lang)
    limits().check_import_rate(request.remote_addr or "?", lang)
    data = _import_body(lang)
    with limits().imports.enter(actor.id, translate(lang, "impex.err.busy", seconds=5)):
        answer = json_io.import_workshop(
            web.state().db, data, web.base_url(), lang, pause=current_app.extensions["socketio"].sleep
        )
    return jsonify(answer), 201
