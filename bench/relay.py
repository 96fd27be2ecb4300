"""The yardstick: a bare Flask-SocketIO relay with the same wire shape as Parcours, in memory.

    python bench/relay.py --port 5001 [--async-mode eventlet|threading|gevent]

`join` enters a room; `op` gets a seq, is emitted to the room as an `event` and acked. No database,
no validation: what Flask-SocketIO itself costs, for bench/fanout.py to compare against.
"""

from __future__ import annotations

import argparse
import sys

parser = argparse.ArgumentParser()
parser.add_argument("--host", default="127.0.0.1")
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--async-mode", choices=("eventlet", "threading", "gevent"), default="eventlet")
ARGS = parser.parse_args()
if ARGS.async_mode == "eventlet":
    import eventlet

    eventlet.monkey_patch()
elif ARGS.async_mode == "gevent":
    from gevent import monkey

    monkey.patch_all()

import threading  # noqa: E402

from flask import Flask  # noqa: E402
from flask_socketio import SocketIO, join_room  # noqa: E402

app = Flask(__name__)
socketio = SocketIO(app, async_mode=ARGS.async_mode)
seqs: dict[str, int] = {}
lock = threading.Lock()


@app.get("/healthz")
def healthz() -> dict:
    return {"ok": True}


@socketio.on("join")
def on_join(payload: dict) -> dict:
    join_room(payload["map_id"])
    return {"ok": True, "snapshot": {"seq": seqs.get(payload["map_id"], 0)}}


@socketio.on("op")
def on_op(payload: dict) -> dict:
    with lock:
        seq = seqs[payload["map_id"]] = seqs.get(payload["map_id"], 0) + 1
    event = {
        "map_id": payload["map_id"],
        "seq": seq,
        "op_id": payload["op_id"],
        "type": payload["type"],
        "data": {k: v for k, v in payload.items() if k not in ("map_id", "op_id", "type")},
    }
    socketio.emit("event", event, to=payload["map_id"])
    return {"ok": True, "seq": seq}


if __name__ == "__main__":
    if ARGS.async_mode == "eventlet":
        import socket

        import eventlet.wsgi

        listener = eventlet.listen((ARGS.host, ARGS.port))
        listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        eventlet.wsgi.server(listener, app, log_output=False)
    elif ARGS.async_mode == "gevent":  # as run.py serves it
        import socket

        from gevent.pywsgi import WSGIServer

        server = WSGIServer((ARGS.host, ARGS.port), app, log=None)
        server.init_socket()
        server.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        server.serve_forever()
    else:
        from werkzeug.serving import WSGIRequestHandler

        class NoDelayHandler(WSGIRequestHandler):
            disable_nagle_algorithm = True

        socketio.run(
            app,
            host=ARGS.host,
            port=ARGS.port,
            allow_unsafe_werkzeug=True,
            request_handler=NoDelayHandler,
            log_output=False,
        )
    sys.exit(0)
