"""Database engines, transaction scopes and the migrations hook.

Writes take the database's write lock at the start of the transaction (SQLite: BEGIN IMMEDIATE;
PostgreSQL: the map row lock taken by the engine), so two writers never deadlock on an upgrade.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
POOL_SIZE, POOL_OVERFLOW = 10, 20
# A request that cannot get a connection fails after this long instead of hanging.
POOL_TIMEOUT = 10


def _sqlite_engine(url: str, *, immediate: bool) -> Engine:
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # noqa: ANN001
        # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own is deferred and late).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    # SQLAlchemy begins a transaction through its dialect's `do_begin`, a no-op for pysqlite; this
    # engine's dialect issues BEGIN itself (IMMEDIATE for the writer: it takes the write lock first).
    # SQLAlchemy's recipe for this is a "begin" connection event, but any connection event makes
    # every statement of the engine run its event dispatch, a measurable share of an op.
    begin = "BEGIN IMMEDIATE" if immediate else "BEGIN"
    engine.dialect.do_begin = lambda dbapi_conn: dbapi_conn.execute(begin)  # type: ignore[method-assign]
    return engine


# A pooled connection unused for this long is checked before use (the server may have restarted).
IDLE_PING_SECONDS = 5.0


def _ping_when_idle(engine: Engine) -> None:
    """Check a pooled connection before use only when it has rested: SQLAlchemy's `pool_pre_ping`
    checks it at every checkout, a round trip to PostgreSQL for every op (a fifth of an op's
    statements). A connection in steady use that the server drops fails its statement instead:
    SQLAlchemy recognises the disconnect and discards the pool's older connections, the op answers
    `unavailable` and the client sends it again. Raising DisconnectionError at checkout makes the
    pool replace the connection (SQLAlchemy's documented pessimistic recipe)."""

    @event.listens_for(engine, "connect")
    @event.listens_for(engine, "checkin")
    def _rested_since(_dbapi_conn, record):  # noqa: ANN001
        record.info["checked_in"] = time.monotonic()  # a new connection needs no ping either

    @event.listens_for(engine, "checkout")
    def _ping_if_rested(dbapi_conn, record, _proxy):  # noqa: ANN001
        if time.monotonic() - record.info.get("checked_in", 0.0) >= IDLE_PING_SECONDS:
            ping(dbapi_conn)


def ping(dbapi_conn: Any) -> None:
    """A round trip on a driver connection that has rested; DisconnectionError if it is gone."""
    try:
        cur = dbapi_conn.cursor()
        try:
            cur.execute("SELECT 1")
        finally:
            cur.close()
        dbapi_conn.rollback()  # ends the ping's transaction; nothing to do in autocommit mode
    except Exception as exc:
        raise DisconnectionError("the pooled connection was closed by the server") from exc


class Database:
    def __init__(self, url: str):
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            self.writer = _sqlite_engine(url, immediate=True)
            self.reader = _sqlite_engine(url, immediate=False)
        else:
            self.writer = self.reader = create_engine(
                url, pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW, pool_timeout=POOL_TIMEOUT
            )
            _ping_when_idle(self.writer)
        # Socket handlers hold at most this many connections at once (admission.py): the rest of
        # the pool stays free for REST requests and the presence heartbeat. SQLite writes one at a time.
        self.socket_workers = 4 if self.is_sqlite else (POOL_SIZE + POOL_OVERFLOW) // 2
        # The op engine's claim and log insert for this database (engine._statements, driver_sql.py).
        self.op_statements: Any = None
        self._write_sessions = sessionmaker(self.writer, expire_on_commit=False)
        self._read_sessions = sessionmaker(self.reader, expire_on_commit=False)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction that commits on success and rolls back on any exception."""
        with self._write_sessions() as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._read_sessions() as session, session.begin():
            yield session

    def migrate(self) -> None:
        """Bring the schema to the newest migration (run on every start)."""
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        with self.writer.connect() as conn:
            if not self.is_sqlite:
                # Several processes may start at once: one migrates, the others wait.
                conn.execute(text("SELECT pg_advisory_lock(472911)"))
            try:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
                conn.commit()
            finally:
                if not self.is_sqlite:
                    conn.execute(text("SELECT pg_advisory_unlock(472911)"))
                    conn.commit()

    def dispose(self) -> None:
        if self.op_statements is not None:
            self.op_statements.close()  # the connections it keeps between ops
        self.writer.dispose()
        if self.reader is not self.writer:
            self.reader.dispose()
