"""An app on SQLite and on PostgreSQL, its HTTP client, and a workshop made through the API."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from ..apps import close, make_app

__all__ = ["close", "make_app", "new_workshop"]


@pytest.fixture(params=["sqlite", "postgres"])
def app(request, tmp_path) -> Iterator[Flask]:
    """The whole app (every route and wall) on each database."""
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")
    application = make_app(url, tmp_path)
    yield application
    close(application)


@pytest.fixture
def http(app) -> FlaskClient:
    return app.test_client()


@dataclass
class ApiWorkshop:
    http: FlaskClient
    answer: dict[str, Any]

    @property
    def map_id(self) -> str:
        return self.answer["map"]["id"]

    @property
    def token(self) -> str:
        return self.answer["facilitator_token"]

    @property
    def code(self) -> str:
        return self.answer["join_code"]

    def join(self, name: str, **fields: Any) -> dict[str, Any]:
        r = self.http.post("/api/join", json={"code": self.code, "name": name, **fields})
        assert r.status_code == 201, r.json
        return r.json

    def op(self, token: str, type_: str, **fields: Any) -> Any:
        import uuid

        return self.http.post(
            f"/api/maps/{self.map_id}/ops",
            headers={"Authorization": f"Bearer {token}"},
            json={"op_id": str(uuid.uuid4()), "type": type_, **fields},
        )

    def snapshot(self, token: str | None = None) -> dict[str, Any]:
        r = self.http.get(f"/api/maps/{self.map_id}", headers={"Authorization": f"Bearer {token or self.token}"})
        assert r.status_code == 200, r.json
        return r.json


def new_workshop(http: FlaskClient) -> ApiWorkshop:
    r = http.post("/api/workshops", json={"title": "Atelier attaqué", "map_type": "journey", "locale": "fr"})
    assert r.status_code == 201, r.json
    return ApiWorkshop(http, r.json)


@pytest.fixture
def workshop(http) -> ApiWorkshop:
    return new_workshop(http)
