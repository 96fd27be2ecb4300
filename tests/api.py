"""One client of the REST API for every test layer, used as a script would use it (CONTRACT.md).

`Api(http)` calls the app through Flask's test client (server and security tests); `Api(url)` calls a
real server (`run.py`: browser and end-to-end tests) with requests. Both answer a `Reply` with the same
fields, so each helper is written once for both. `Workshop` is a workshop made through the API, with
the calls tests make of it: join, op, snapshot.

The Socket.IO side has its own clients, one per way of connecting: Flask-SocketIO's test client
(`connect` in tests/test_socket.py) and a participant's live client (tests/e2e/client.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import requests
from flask.testing import FlaskClient


def auth(token: str | None) -> dict[str, str]:
    """The header that says who calls (none without a token)."""
    return {"Authorization": f"Bearer {token}"} if token else {}


@dataclass(frozen=True)
class Reply:
    status_code: int
    json: Any  # the JSON body; None when the body is not JSON
    text: str
    headers: Mapping[str, str]


class Api:
    """The REST API of one app (a Flask test client) or one server (its base URL)."""

    def __init__(self, target: FlaskClient | str):
        self.http: FlaskClient | None = None if isinstance(target, str) else target
        self.url = target if isinstance(target, str) else ""

    def call(
        self,
        method: str,
        path: str,
        token: str | None = None,
        *,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> Reply:
        headers = {**(headers or {}), **auth(token)}
        if self.http is None:
            r = requests.request(method, self.url + path, json=json, headers=headers, timeout=30)
            try:
                body = r.json()
            except ValueError:
                body = None
            return Reply(r.status_code, body, r.text, r.headers)
        res = self.http.open(path, method=method, json=json, headers=headers)
        return Reply(res.status_code, res.get_json(silent=True), res.get_data(as_text=True), res.headers)

    def create(self, title: str = "Atelier", **body: Any) -> dict[str, Any]:
        """POST /api/workshops: the answer (workshop, first map, facilitator token, join code)."""
        r = self.call("POST", "/api/workshops", json={"title": title, **body})
        assert r.status_code == 201, r.text
        return r.json

    def workshop(self, title: str = "Atelier", **body: Any) -> Workshop:
        return Workshop(self, self.create(title, **body))

    def join(self, code: str, name: str, **fields: Any) -> dict[str, Any]:
        """POST /api/join: the participant and its token."""
        r = self.call("POST", "/api/join", json={"code": code, "name": name, **fields})
        assert r.status_code == 201, r.text
        return r.json

    def send(self, token: str, map_id: str, type_: str, **fields: Any) -> Reply:
        """An op over REST with a fresh op_id, whatever the answer."""
        return self.call(
            "POST", f"/api/maps/{map_id}/ops", token, json={"op_id": str(uuid.uuid4()), "type": type_, **fields}
        )

    def op(self, token: str, map_id: str, type_: str, **fields: Any) -> dict[str, Any]:
        """An op that must be applied: its ack (`["data"]` is what it made or changed)."""
        r = self.send(token, map_id, type_, **fields)
        assert r.status_code == 200, r.text
        return r.json

    def ok(self, token: str, map_id: str, type_: str, **fields: Any) -> dict[str, Any]:
        """An op that must be applied: the `data` of its ack."""
        return self.op(token, map_id, type_, **fields)["data"]

    def snapshot(self, token: str, map_id: str) -> dict[str, Any]:
        r = self.call("GET", f"/api/maps/{map_id}", token)
        assert r.status_code == 200, r.text
        return r.json


@dataclass
class Workshop:
    """A workshop made through the API; ops and snapshots are the facilitator's unless a token is given."""

    api: Api
    answer: dict[str, Any]

    @property
    def id(self) -> str:
        return self.answer["workshop"]["id"]

    @property
    def map_id(self) -> str:
        return self.answer["map"]["id"]

    @property
    def token(self) -> str:
        return self.answer["facilitator_token"]

    @property
    def code(self) -> str:
        return self.answer["join_code"]

    @property
    def http(self) -> FlaskClient | None:
        """The Flask test client underneath (for Flask-SocketIO's test client), None for a real server."""
        return self.api.http

    def join(
        self, name: str, perspective: str = "customer", role: str = "participant", **fields: Any
    ) -> dict[str, Any]:
        return self.api.join(self.code, name, perspective=perspective, role=role, **fields)

    def send(self, type_: str, token: str | None = None, **fields: Any) -> Reply:
        return self.api.send(token or self.token, self.map_id, type_, **fields)

    def op(self, type_: str, token: str | None = None, **fields: Any) -> dict[str, Any]:
        return self.api.op(token or self.token, self.map_id, type_, **fields)

    def snapshot(self, token: str | None = None) -> dict[str, Any]:
        return self.api.snapshot(token or self.token, self.map_id)

    def cell(self, lane: int = 0, step: int = 0) -> tuple[str, str]:
        """(lane id, step id) of a cell, by position."""
        snap = self.snapshot()
        return snap["lanes"][lane]["id"], snap["steps"][step]["id"]
