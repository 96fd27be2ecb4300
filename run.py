"""Start the Parcours server: `python run.py --host 127.0.0.1 --port 5000`.

eventlet is the default async mode and must patch the standard library before anything
else is imported; `--async-mode threading` runs without it. `--async-mode gevent` (optional:
`pip install -e '.[gevent]'`) patches with gevent instead, serves with gevent's WSGI server and
WebSocket through simple-websocket; psycopg notices gevent's patching and waits cooperatively.
"""

from __future__ import annotations

import argparse
import os
import sys


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Parcours workshop board server")
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "5000")))
    parser.add_argument(
        "--async-mode",
        choices=("eventlet", "threading", "gevent"),
        default=os.environ.get("PARCOURS_ASYNC_MODE", "eventlet"),
    )
    return parser.parse_args()


ARGS = _args()
if ARGS.async_mode == "eventlet":
    import warnings

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")  # its maintenance-mode notice
        import eventlet

    eventlet.monkey_patch()
    # psycopg's C wait function polls outside the event loop (psycopg recognises gevent's patching,
    # not eventlet's): under eventlet it must wait through the patched select, a green wait.
    os.environ.setdefault("PSYCOPG_WAIT_FUNC", "wait_select")
elif ARGS.async_mode == "gevent":
    from gevent import monkey

    monkey.patch_all()  # psycopg sees it and waits through gevent's select, cooperatively

import gc  # noqa: E402
import logging  # noqa: E402

from workshop import create_app  # noqa: E402
from workshop.config import Settings  # noqa: E402
from workshop.demo import ensure_demo  # noqa: E402


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = Settings(async_mode=ARGS.async_mode)
    app = create_app(settings)
    base = settings.public_url or f"http://{ARGS.host}:{ARGS.port}"
    if settings.demo:
        links = ensure_demo(app.extensions["parcours"].db, base)
        print(f"Démo / demo workshop: {links['title']}", flush=True)
        print(f"  Animateur / facilitator: {links['facilitator_url']}", flush=True)
        print(f"  Participants / join:     {links['join_url']}  (code {links['join_code']})", flush=True)
    print(f"Parcours on {base}", flush=True)
    # What start-up made (modules, the app, SQLAlchemy's mappers and caches) lives as long as the
    # process: moved out of the collector's reach, it is not walked again by every full collection.
    gc.collect()
    gc.freeze()
    if ARGS.async_mode == "eventlet":
        serve_eventlet(app)
    elif ARGS.async_mode == "gevent":
        serve_gevent(app)
    else:
        serve_threading(app)


# Both servers switch Nagle's algorithm off: an op's event and its ack are two small writes in a
# row, and with Nagle the ack waits for the client's delayed ACK (~40 ms) before it leaves.


def serve_eventlet(app) -> None:  # noqa: ANN001
    import socket

    import eventlet.wsgi

    listener = eventlet.listen((ARGS.host, ARGS.port))
    listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # inherited by accepted sockets
    eventlet.wsgi.server(listener, app, log_output=False)


def serve_gevent(app) -> None:  # noqa: ANN001
    import socket

    from gevent.pywsgi import WSGIServer

    server = WSGIServer((ARGS.host, ARGS.port), app, log=None)  # no access log, as the other two
    server.init_socket()
    server.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # inherited by accepted sockets
    server.serve_forever()


def serve_threading(app) -> None:  # noqa: ANN001
    from werkzeug.serving import WSGIRequestHandler

    class NoDelayHandler(WSGIRequestHandler):
        disable_nagle_algorithm = True

    app.extensions["socketio"].run(
        app,
        host=ARGS.host,
        port=ARGS.port,
        allow_unsafe_werkzeug=True,
        request_handler=NoDelayHandler,
        log_output=False,
    )


if __name__ == "__main__":
    sys.exit(main())
