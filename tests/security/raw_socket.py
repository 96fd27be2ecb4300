"""A Socket.IO client at the wire level (Engine.IO 4 over a WebSocket), to send frames as fast as a
hostile script would: no client library pacing, no reconnection, every ack counted."""

from __future__ import annotations

import json
import time
from typing import Any

import websocket


class RawSocket:
    def __init__(self, base_url: str, token: str):
        url = base_url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
        self.ws = websocket.create_connection(url, timeout=30, enable_multithread=True)
        assert self.ws.recv().startswith("0"), "no Engine.IO open packet"
        self.ws.send("40" + json.dumps({"token": token}))
        self.next_id = 0
        self.acks: dict[int, Any] = {}
        self.events: list[tuple[str, Any]] = []
        while True:
            frame = self._recv()
            if frame.startswith("40"):
                break
            assert not frame.startswith("44"), f"connection refused: {frame}"

    def _recv(self) -> str:
        frame = self.ws.recv()
        if frame == "2":  # the server's ping
            self.ws.send("3")
        elif frame.startswith("43"):
            digits = len(frame) - len(frame[2:].lstrip("0123456789"))
            self.acks[int(frame[2:digits])] = json.loads(frame[digits:])[0]
        elif frame.startswith("42"):
            name, *args = json.loads(frame[2:])
            self.events.append((name, args[0] if args else None))
        return frame

    def send(self, event: str, payload: Any) -> int:
        """Send one event asking for an ack; answer its id without waiting."""
        self.next_id += 1
        self.ws.send(f"42{self.next_id}" + json.dumps([event, payload]))
        return self.next_id

    def send_raw(self, frame: str) -> None:
        self.ws.send(frame)

    def call(self, event: str, payload: Any, timeout: float = 30) -> Any:
        ack_id = self.send(event, payload)
        self.wait_for(lambda: ack_id in self.acks, timeout)
        return self.acks[ack_id]

    def wait_for(self, done: Any, timeout: float) -> None:
        stop = time.monotonic() + timeout
        while not done():
            if time.monotonic() > stop:
                raise AssertionError(f"timed out; {len(self.acks)} acks of {self.next_id} sent")
            self.ws.settimeout(max(0.05, stop - time.monotonic()))
            try:
                self._recv()
            except websocket.WebSocketTimeoutException:
                pass

    def close(self) -> None:
        self.ws.close()
