"""Parcours: a real-time workshop board for customer journey maps."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, jsonify, request
from flask_socketio import SocketIO
from werkzeug.exceptions import HTTPException

from .config import ROOT, Settings
from .db import Database
from .errors import unavailable
from .state import AppState

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None) -> Flask:
    """The app factory; the app's SocketIO is `app.extensions["socketio"]`."""
    from . import api, facilitators, pages, realtime, security, web  # late: they import the op registry and the models
    from .engine import MAX_OP_BYTES  # the contract's limit on one op or request body
    from .export import routes as export_routes
    from .presence import Presence

    settings = settings or Settings()
    app = Flask(__name__, template_folder=str(ROOT / "templates"), static_folder=str(ROOT / "static"))
    app.config.update(SECRET_KEY=settings.secret_key, MAX_CONTENT_LENGTH=MAX_OP_BYTES, JSON_SORT_KEYS=False)
    app.json.sort_keys = False
    db = Database(settings.database_url)
    db.migrate()
    state = AppState(settings, db, Presence(db))
    app.extensions["parcours"] = state

    socketio = SocketIO(
        app,
        async_mode=settings.async_mode,
        message_queue=settings.message_queue_url,
        channel=settings.message_queue_channel,
        # Room for the 64 kB op limit to answer `too_large` instead of dropping the socket.
        max_http_buffer_size=1024 * 1024,
        ping_interval=10,
        ping_timeout=20,
        serializer=realtime.JsonPacket,
    )
    realtime.register(socketio, state)
    state.presence.beat()
    socketio.start_background_task(state.presence.run_heartbeat, socketio.sleep)
    security.install(app, settings)  # after SocketIO(app): see security.install
    app.register_blueprint(api.bp)
    app.register_blueprint(facilitators.bp)
    app.register_blueprint(export_routes.bp)
    app.register_blueprint(pages.bp)
    from .listening import register as register_listening  # Mirror listening (CONTRACT.md §7)

    register_listening(app, socketio)

    @app.get("/healthz")
    def healthz() -> Any:
        return jsonify({"ok": True})

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Any:
        if request.path.startswith("/api/") or exc.code == 413:
            return web.http_error(exc)
        return exc

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> Any:
        passing = unavailable(exc)
        if passing is not None:  # the database is away for a moment: 503, the client tries again
            log.warning("%s: database unavailable (%s)", request.path, type(exc).__name__)
            return jsonify(passing.body()), passing.status
        log.exception("unhandled error on %s", request.path)
        return jsonify({"error": {"code": "internal", "message": "server error"}}), 500

    return app
