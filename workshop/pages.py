"""HTML pages: home, join, board, present (server-rendered shells; the board runs in ES modules).

Pages carry no workshop content: the board's data comes over Socket.IO with the browser's token
(kept in localStorage), so a page URL alone gives nothing away. What a shell needs is embedded as
JSON in a `<script type="application/json">` element (Jinja's `tojson` escapes it for that place).
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any

import qrcode
import qrcode.image.svg
from flask import Blueprint, Response, abort, make_response, render_template, request, send_file
from sqlalchemy import select

from . import shapes, throttle
from .auth import is_join_code, normal_join_code
from .config import ROOT
from .i18n import LANGS, catalog, translate
from .lists import shared_lists
from .maptypes import CARD_KINDS, CHANNELS, MAP_TYPES, TEMPLATES, template
from .models import Map, Workshop
from .ops.base import plain_id
from .web import base_url, state

bp = Blueprint("pages", __name__)

# Third-party browser code is served from node_modules (installed by `npm ci`), never copied.
VENDOR = {
    "socket.io.esm.min.js": ROOT / "node_modules/socket.io-client/dist/socket.io.esm.min.js",
    "socket.io.esm.min.js.map": ROOT / "node_modules/socket.io-client/dist/socket.io.esm.min.js.map",
    "sortable.esm.js": ROOT / "node_modules/sortablejs/modular/sortable.esm.js",
}
LANG_COOKIE = "parcours_lang"


def _lang(default: str | None = None) -> str:
    """?lang= (remembered in a cookie), then the cookie, then the workshop's locale, then the browser's."""
    for candidate in (request.args.get("lang"), request.cookies.get(LANG_COOKIE), default):
        if candidate in LANGS:
            return candidate
    return request.accept_languages.best_match(LANGS) or "fr"


def _card_kind_of_lane() -> dict[str, str]:
    """The default kind of a new card in a lane of each kind (from the map templates)."""
    out: dict[str, str] = {}
    for tpl in TEMPLATES.values():
        for lane in tpl["lanes"]:
            out.setdefault(lane["kind"], lane["card_kind"])
    return out


def _page(template: str, lang: str, **context: Any) -> Response:
    page = {
        "lang": lang,
        "catalog": catalog(lang),
        "card_kinds": list(CARD_KINDS),
        "channels": list(CHANNELS),
        "lane_card_kind": _card_kind_of_lane(),
        **shared_lists(),  # phases, chantier fields and statuses, resonance, error codes (lists.py)
        "server_now": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        **context.pop("page", {}),
    }

    def t(key: str, **values: Any) -> str:
        return translate(lang, key, **values)

    html = render_template(template, lang=lang, langs=LANGS, t=t, page=page, **context)
    response = make_response(html)
    if request.args.get("lang") in LANGS:
        response.set_cookie(LANG_COOKIE, request.args["lang"], max_age=365 * 24 * 3600, samesite="Lax")
    # The shells embed no secret, but keep them out of shared caches and other sites' frames.
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _not_found(lang: str, message_key: str) -> Response:
    response = _page("notfound.html", lang, message_key=message_key)
    response.status_code = 404
    return response


def _template_card(map_type: str, lang: str) -> dict[str, Any]:
    """What the home page shows of a template (and its preview, static/js/home.js): the lanes by title."""
    tpl = template(map_type, lang)
    return {**tpl, "lanes": [lane["title"] for lane in tpl["lanes"]]}


@bp.get("/")
def home() -> Response:
    lang = _lang()
    templates = {name: _template_card(name, lang) for name in MAP_TYPES}
    return _page("home.html", lang, map_types=MAP_TYPES, templates=templates, page={"templates": templates})


def _too_many(lang: str, err: throttle.RateLimited) -> Response:
    response = _page("notfound.html", lang, message_key="security.too_many_codes", title_key="security.too_many")
    response.status_code = 429
    response.headers["Retry-After"] = str(err.retry_after)
    return response


@bp.get("/join/<code>")
def join_page(code: str) -> Response:
    """Shares POST /api/join's budget of unknown codes per address: guessing codes here is as slow."""
    normal = normal_join_code(code)
    try:
        throttle.check("join_guess")
        workshop = None
        if is_join_code(normal):
            with state().db.read() as s:
                w = s.scalar(select(Workshop).where(Workshop.join_code == normal))
                workshop = shapes.workshop(w) if w else None
        if workshop is None:
            throttle.spend("join_guess")
    except throttle.RateLimited as err:
        return _too_many(_lang(), err)
    if workshop is None:
        return _not_found(_lang(), "notfound.join")
    lang = _lang(workshop["locale"])
    return _page(
        "join.html",
        lang,
        workshop=workshop,
        page={"code": normal, "workshop_id": workshop["id"], "title": workshop["title"]},
    )


def _map_page(template: str, map_id: str) -> Response:
    if plain_id(map_id) is None:
        return _not_found(_lang(), "notfound.board")
    with state().db.read() as s:
        m = s.get(Map, map_id)
        locale = s.get(Workshop, m.workshop_id).locale if m else None
    if m is None:
        return _not_found(_lang(), "notfound.board")
    return _page(template, _lang(locale), page={"map_id": map_id})


@bp.get("/board/<map_id>")
def board(map_id: str) -> Response:
    return _map_page("board.html", map_id)


@bp.get("/present/<map_id>")
def present(map_id: str) -> Response:
    return _map_page("present.html", map_id)


@bp.get("/qr/<code>.svg")
def qr(code: str) -> Response:
    """The join link of a workshop as an SVG QR code, to project. It only encodes the link: any
    well-formed code gets its picture, so the answer never tells whether the workshop exists."""
    normal = normal_join_code(code)
    if not is_join_code(normal):
        abort(404)
    image = qrcode.make(
        f"{base_url()}/join/{normal}",
        image_factory=qrcode.image.svg.SvgPathImage,
        border=2,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
    )
    buf = io.BytesIO()
    image.save(buf)
    response = Response(buf.getvalue(), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


@bp.get("/vendor/<name>")
def vendor(name: str) -> Response:
    path = VENDOR.get(name)
    if path is None or not path.exists():
        abort(404)
    mimetype = "application/json" if name.endswith(".map") else "text/javascript"
    return send_file(path, mimetype=mimetype, max_age=24 * 3600)
