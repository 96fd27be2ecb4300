"""Fixtures shared by every level of tests: databases, workshops, real servers.

A test that needs PostgreSQL, Redis or Chromium and cannot find it fails under CI (CI=true)
and is skipped, with the reason, elsewhere.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from workshop import engine, services
from workshop.auth import actor_of
from workshop.db import Database
from workshop.models import Participant
from workshop.ops.base import Actor

from .api import Api
from .apps import close, make_app
from .server import Server

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
PG_ADMIN_URL = os.environ.get("PARCOURS_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("PARCOURS_TEST_REDIS", "redis://127.0.0.1:6379/0")


def need(condition: bool, reason: str) -> None:
    """Skip when a service is missing, but fail under CI, where it must be there."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"required under CI: {reason}")
    pytest.skip(reason)


def postgres_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL.replace("+psycopg", ""), connect_timeout=3):
            return True
    except Exception:
        return False


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database for one test, dropped afterwards."""
    need(postgres_available(), f"PostgreSQL not reachable at {PG_ADMIN_URL}")
    import psycopg

    name = f"parcours_test_{uuid.uuid4().hex[:12]}"
    admin = PG_ADMIN_URL.replace("+psycopg", "")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def redis_reachable(url: str = REDIS_URL) -> bool:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
        return True
    except redis.RedisError:
        return False


@pytest.fixture
def two_servers(pg_url, tmp_path) -> Iterator[list[Server]]:
    """Two real `run.py` processes on one PostgreSQL database and Redis (their own channel), started
    one after the other (the first migrates; the second finds the schema ready)."""
    need(redis_reachable(), f"Redis not reachable at {REDIS_URL}")
    env = {"MESSAGE_QUEUE_URL": REDIS_URL, "PARCOURS_MQ_CHANNEL": f"parcours-test-{uuid.uuid4().hex[:8]}"}
    servers = [Server(pg_url, env=env, log_path=tmp_path / f"server{i}.log") for i in range(2)]
    try:
        for server in servers:
            server.start()
        yield servers
    finally:
        for server in servers:
            server.stop()


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'parcours.db'}"


@pytest.fixture
def app(request, tmp_path):
    """The whole app, on SQLite unless the test is parametrized with "postgres" (tests/security/ runs
    every test on both)."""
    database = getattr(request, "param", "sqlite")
    application = make_app(request.getfixturevalue("pg_url" if database == "postgres" else "sqlite_url"), tmp_path)
    yield application
    close(application)


@pytest.fixture
def http(app):
    return app.test_client()


@pytest.fixture
def api(http) -> Api:
    """The REST API of `app`, through tests/api.py's client (the browser tests' is a real server's)."""
    return Api(http)


@pytest.fixture(params=["sqlite", "postgres"])
def db(request) -> Iterator[Database]:
    """The engine tests run on both databases."""
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")
    database = Database(url)
    database.migrate()
    yield database
    database.dispose()


@dataclass
class Board:
    """A workshop with one laid-out map, as the facilitator made it."""

    db: Database
    answer: dict[str, Any]
    facilitator: Actor

    @property
    def map_id(self) -> str:
        return self.answer["map"]["id"]

    def join(self, name: str, perspective: str | None = None, role: str = "participant") -> Actor:
        joined = services.join(
            self.db, {"code": self.answer["join_code"], "name": name, "perspective": perspective, "role": role}
        )
        with self.db.read() as s:
            return actor_of(s.get(Participant, joined["participant"]["id"]))

    def op(self, actor: Actor, type_: str, **fields: Any) -> dict[str, Any]:
        """Apply an op and answer its ack (a fresh op_id unless one is given)."""
        raw = {"op_id": fields.pop("op_id", None) or str(uuid.uuid4()), "type": type_, **fields}
        return engine.apply(self.db, self.map_id, actor, raw).ack

    def ok(self, actor: Actor, type_: str, **fields: Any) -> dict[str, Any]:
        ack = self.op(actor, type_, **fields)
        assert ack["ok"], ack
        return ack["data"]


def make_board(database: Database, map_type: str = "journey", locale: str = "fr") -> Board:
    answer, facilitator = services.create_workshop(
        database, {"title": "Atelier test", "map_type": map_type, "locale": locale}, "http://test"
    )
    return Board(database, answer, facilitator)


@pytest.fixture
def board(db) -> Board:
    return make_board(db)


@pytest.fixture
def live_server(request, tmp_path) -> Iterator[Server]:
    """The real `run.py` on a free port with its own SQLite database; eventlet unless a test asks
    for another async mode with `@pytest.mark.parametrize("live_server", ["threading"], indirect=True)`."""
    mode = getattr(request, "param", "eventlet")
    server = Server(f"sqlite:///{tmp_path / 'live.db'}", async_mode=mode, log_path=tmp_path / "server.log").start()
    yield server
    server.stop()
