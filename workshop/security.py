"""The HTTP walls around every route: parsing that cannot crash, path values that reach the database
only as plain text, response headers, trusted proxies and hosts. docs/security.md explains each.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Request, Response, abort, request
from flask.json.provider import DefaultJSONProvider
from flask.sessions import SessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import Settings
from .ops.base import is_plain_text
from .throttle import Throttle

log = logging.getLogger(__name__)

# Pages run ES modules from this origin only and embed their data as a JSON block (not a script);
# styles stay open to inline `style` attributes, which the board sets for positions and colours.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)


class SafeJSONProvider(DefaultJSONProvider):
    """Too deep a JSON body is a malformed body (400), not a crash: RecursionError becomes the
    ValueError that request.get_json() already answers."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            return super().loads(s, **kwargs)
        except RecursionError:
            raise ValueError("JSON nested too deeply") from None


def _plain_path_values(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """A path id with a NUL byte or a lone surrogate names nothing: 404 before any query."""
    for value in (values or {}).values():
        if isinstance(value, str) and not is_plain_text(value):
            abort(404)


def _headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    if request.path.startswith("/api/") and response.mimetype == "application/json":
        headers.setdefault("Cache-Control", "no-store")  # tokens and workshop content: never cached
    return response


class EngineIOHeaders:
    """Socket.IO's long-polling answers come from the Engine.IO middleware, which Flask's
    after_request never sees: the same `nosniff` and `no-store` walls for them here (a polling
    answer carries workshop content, and a browser must never guess it is HTML)."""

    ADDED = (
        ("X-Content-Type-Options", "nosniff"),
        ("Cache-Control", "no-store"),
        ("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"),
    )

    def __init__(self, wsgi_app: Any, prefix: str = "/socket.io"):
        self.wsgi_app, self.prefix = wsgi_app, prefix

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        if not environ.get("PATH_INFO", "").startswith(self.prefix):
            return self.wsgi_app(environ, start_response)

        def with_headers(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            present = {name.lower() for name, _ in headers}
            headers = list(headers) + [(n, v) for n, v in self.ADDED if n.lower() not in present]
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        return self.wsgi_app(environ, with_headers)


class NoCookieSession(SessionInterface):
    """Parcours has no cookie session: every caller is known by its bearer token (auth.py). Flask
    would otherwise open one for every request and every Socket.IO event (Flask-SocketIO pushes a
    request context per event), building a signing serializer each time (~0.1 ms of an op's CPU)
    for a cookie nobody reads. `flask.session` is Flask's null session: writing to it fails loudly."""

    def open_session(self, app: Flask, request: Request) -> None:
        return None

    def save_session(self, app: Flask, session: Any, response: Response) -> None:
        return None


def install(app: Flask, settings: Settings) -> None:
    """Call after SocketIO(app): ProxyFix then sees Socket.IO requests too."""
    app.session_interface = NoCookieSession()
    app.json = SafeJSONProvider(app)
    app.json.sort_keys = False
    app.url_value_preprocessor(_plain_path_values)
    app.after_request(_headers)
    app.extensions["parcours_throttle"] = Throttle(settings.throttles)
    app.wsgi_app = EngineIOHeaders(app.wsgi_app)  # type: ignore[method-assign]
    if settings.allowed_hosts:
        app.config["TRUSTED_HOSTS"] = list(settings.allowed_hosts)  # other Host headers: 400
    elif not settings.public_url:
        log.warning(
            "neither PARCOURS_PUBLIC_URL nor PARCOURS_ALLOWED_HOSTS is set: join links and QR codes "
            "follow the request's Host header (fine on a trusted network; see docs/security.md)"
        )
    if settings.trusted_proxies > 0:
        n = settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]
