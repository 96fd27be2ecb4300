"""REST and the respondent's page for Mirror listening (CONTRACT.md §7); thin over `service`."""

from __future__ import annotations

import io
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from ..web import answer_errors, base_url, current_actor, state
from . import export, service

bp = Blueprint("listening", __name__)


def _ext() -> Any:
    return current_app.extensions["listening"]


def _json_body() -> Any:
    return request.get_json(silent=True)


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


answer_errors(bp)


# -- members of the workshop ----------------------------------------------------------------------


@bp.post("/api/maps/<mid>/listenings")
def create(mid: str) -> Any:
    listening = service.create(state().db, current_actor(), mid, _json_body(), base_url())
    _ext().notifier.touch(listening["id"], listening["map_id"])  # other members' panels list it
    return jsonify({"listening": listening}), 201


@bp.get("/api/maps/<mid>/listenings")
def list_(mid: str) -> Any:
    return _no_store(jsonify({"listenings": service.list_for_map(state().db, current_actor(), mid, base_url())}))


@bp.get("/api/listenings/<lid>")
def get(lid: str) -> Any:
    moderation = request.args.get("moderation") in ("1", "true")
    return _no_store(jsonify(service.get(state().db, current_actor(), lid, base_url(), moderation=moderation)))


@bp.patch("/api/listenings/<lid>")
def update(lid: str) -> Any:
    listening = service.update(state().db, current_actor(), lid, _json_body(), base_url())
    _ext().notifier.touch(listening["id"], listening["map_id"])  # closed or reopened: panels follow
    return jsonify({"listening": listening})


@bp.patch("/api/listenings/<lid>/verbatims/<vid>")
def moderate(lid: str, vid: str) -> Any:
    actor = current_actor()
    answer, map_id = service.moderate(state().db, actor, lid, vid, _json_body())
    _ext().notifier.touch(lid, map_id)  # the hidden verbatim leaves every panel
    return jsonify({"verbatim": answer})


@bp.get("/api/listenings/<lid>/export/responses.csv")
def responses_csv(lid: str) -> Any:
    return export.csv_response(state().db, current_actor(), lid)


# -- respondents (anyone with the code) ------------------------------------------------------------


@bp.get("/api/listen/<code>")
def public(code: str) -> Any:
    return _no_store(jsonify(service.public_view(state().db, code)))


@bp.put("/api/listen/<code>/responses/<rid>")
def put_response(code: str, rid: str) -> Any:
    _ext().limiter.check(code.strip().upper(), rid.strip().lower())
    body = _json_body()  # read before taking a slot: a slow upload holds no database connection
    # Let the loop serve what is waiting (a board's op) before this save blocks it on the database:
    # under eventlet a burst of saves would otherwise run back to back ahead of it.
    current_app.extensions["socketio"].sleep(0)
    with _ext().gate.slot():
        answer, created, li = service.put_response(state().db, code, rid, body)
    _ext().notifier.touch(li.id, li.map_id)
    return _no_store(jsonify(answer)), 201 if created else 200


@bp.get("/api/listen/<code>/responses/<rid>")
def get_response(code: str, rid: str) -> Any:
    return _no_store(jsonify(service.get_response(state().db, code, rid)))


@bp.get("/listen/<code>")
def page(code: str) -> Response:
    from ..pages import _lang, _not_found, _page  # late: pages imports the api, as we do

    info = service.code_info(state().db, code)
    if info is None:
        return _not_found(_lang(), "listen.wrong_code")
    _lid, _mid, silo, locale = info
    return _page("listen.html", _lang(locale), page={"code": code.strip().upper(), "silo": silo})


@bp.get("/qr/listen/<code>.svg")
def qr(code: str) -> Response:
    """A listening link as an SVG QR code, drawn like the board's join QR code (pages.qr)."""
    import qrcode
    import qrcode.image.svg

    if service.code_info(state().db, code) is None:
        return Response(status=404)
    image = qrcode.make(
        f"{base_url()}/listen/{code.strip().upper()}",
        image_factory=qrcode.image.svg.SvgPathImage,
        border=2,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
    )
    buf = io.BytesIO()
    image.save(buf)
    response = Response(buf.getvalue(), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response
