"""The statements on an op's hot path, compiled once per database and run on the driver's cursor of
the op's transaction: the seq claim and the log row every op runs, and the one-row change of a card
edit (`ops.base.Context.change`).

Why not through SQLAlchemy's `Connection.execute` like everything else: under load each execution
builds an execution context, processes its parameters and wraps a result, about as much CPU as the
database's own work for these small statements (docs/performance.md, run G). SQLAlchemy still
makes them here, once per dialect (`Compiled`): the SQL string, the parameters' order, and each
column type's bind and result processors, all through its public API, so the SQL sent and the
values stored are the ones it would send and store; only the per-execution objects are skipped.
A driver error comes out as SQLAlchemy's exception, so `engine` and `errors.unavailable` handle it
as any other, and a connection the driver reports lost is invalidated as SQLAlchemy would.

PostgreSQL also pays a round trip per statement (a send, a wake-up on both sides, a wait on the
event loop). There an op's transaction is opened with its claim and closed with its log row:
`BEGIN; UPDATE maps … RETURNING …` and `INSERT INTO op_log …; COMMIT` each go as one simple-query
message, the parameters bound by psycopg's client-side cursor (quoted by libpq's rules, never by
us). An op that changes one row then costs 3 round trips instead of 5. The connection is in
autocommit mode for this (`OpStatements.transaction`), so that psycopg does not send a BEGIN of its
own; if the op fails anywhere, the transaction is rolled back as usual. A failed INSERT never
reaches its COMMIT: the server skips the rest of a message after an error.
"""

from __future__ import annotations

import time
from collections import namedtuple
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Connection
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import ClauseElement


class Compiled:
    """One Core statement as SQLAlchemy compiles it for one dialect, ready for a DBAPI cursor."""

    def __init__(self, stmt: ClauseElement, dialect: Dialect, keys: Sequence[str] | None = None):
        compiled = stmt.compile(dialect=dialect, column_keys=list(keys) if keys is not None else None)
        unknown = set(keys or ()) - set(compiled.binds)
        if unknown:  # SQLAlchemy's execute refuses them too: a value that no column takes is a bug
            raise ValueError(f"no column takes {sorted(unknown)}")
        self.sql: str = compiled.string
        self._order = list(compiled.positiontup or ()) if compiled.positional else None
        # Values the statement carries itself (the `1` of `seq + 1`); the caller's values add to them.
        self._fixed = {name: bind.effective_value for name, bind in compiled.binds.items() if not bind.required}
        self._process: list[tuple[str, Callable[[Any], Any]]] = [
            (name, proc)
            for name, bind in compiled.binds.items()
            if (proc := bind.type.dialect_impl(dialect).bind_processor(dialect)) is not None
        ]
        returned = compiled.effective_returning or []
        self.Row = namedtuple("Row", [column.key for column in returned])  # type: ignore[misc]
        self._results = [
            (i, proc)
            for i, column in enumerate(returned)
            if (proc := column.type.dialect_impl(dialect).result_processor(dialect, None)) is not None
        ]

    def params(self, values: dict[str, Any]) -> Any:
        """The driver's parameters: processed as SQLAlchemy would, in its paramstyle's shape."""
        merged = {**self._fixed, **values}
        for name, proc in self._process:
            if name in merged:
                merged[name] = proc(merged[name])
        return merged if self._order is None else tuple(merged[name] for name in self._order)

    def row(self, raw: Sequence[Any] | None) -> Any:
        """A returned row with SQLAlchemy's result processing (SQLite's 0/1 booleans), or None."""
        if raw is None:
            return None
        if not self._results:
            return self.Row(*raw)
        values = list(raw)
        for i, proc in self._results:
            values[i] = proc(values[i])
        return self.Row(*values)


def _raise_as_sqlalchemy(conn: Connection, exc: Exception, sql: str, params: Any, cursor: Any) -> None:
    """What SQLAlchemy does with a driver error: its exception class (IntegrityError, OperationalError…)
    and, when the connection is lost, the connection invalidated (the pool replaces it)."""
    dialect = conn.dialect
    lost = dialect.is_disconnect(exc, conn.connection.dbapi_connection, cursor)
    if lost:
        conn.invalidate(exc)
    raise DBAPIError.instance(
        sql, params, exc, dialect.loaded_dbapi.Error, connection_invalidated=lost, dialect=dialect
    ) from exc


# Compiled statements per dialect instance (one per engine): forgotten with their engine.
_COMPILED: WeakKeyDictionary[Dialect, dict[Hashable, Compiled]] = WeakKeyDictionary()


def compiled(
    dialect: Dialect, key: Hashable, make: Callable[[], ClauseElement], keys: Sequence[str] | None = None
) -> Compiled:
    """The statement `make()` compiled for `dialect`, once per `key` (two threads may both compile it
    the first time: the same result, kept once)."""
    cache = _COMPILED.setdefault(dialect, {})
    found = cache.get(key)
    if found is None:
        found = cache[key] = Compiled(make(), dialect, keys)
    return found


def execute(
    conn: Connection, statement: Compiled, values: dict[str, Any], *, sql: str | None = None, client_side: bool = False
) -> Any:
    """Run a compiled statement (or `sql`, the same with more around it) in the connection's open
    transaction and answer its first returned row as `statement.row` makes it (None: no row)."""
    params = statement.params(values)
    sql = sql or statement.sql
    dbapi_conn = conn.connection.driver_connection
    cursor = None
    try:
        if client_side:
            from psycopg import ClientCursor

            cursor = ClientCursor(dbapi_conn)
            cursor.execute(sql, params)
            while cursor.description is None and cursor.nextset():
                pass  # past BEGIN's answer to the statement's own
        else:
            cursor = dbapi_conn.cursor()
            cursor.execute(sql, params)
        return statement.row(cursor.fetchone()) if cursor.description is not None else None
    except conn.dialect.loaded_dbapi.Error as exc:
        _raise_as_sqlalchemy(conn, exc, sql, params, cursor)
    finally:
        if cursor is not None:
            cursor.close()


class OpStatements:
    """An op's transaction, claim and log insert on one database.

    Between ops it keeps up to `keep` connections out of the pool, ready: a checkout and check-in of
    the pool, a new Connection object and (PostgreSQL) the switch to autocommit and back cost more
    Python than the op's BEGIN and COMMIT. A kept connection that rested `rested` seconds is pinged
    before use, as the pool pings its own (db.py); one that failed is closed, never kept."""

    def __init__(
        self,
        engine: Engine,
        claim: ClauseElement,
        log_insert: ClauseElement,
        log_keys: Sequence[str],
        *,
        keep: int,
        rested: float,
        ping: Callable[[Any], None],
    ):
        self.engine = engine
        self.is_postgres = engine.dialect.name == "postgresql"
        self._keep, self._rested, self._ping = keep, rested, ping
        self._kept: list[tuple[Connection, float]] = []  # (connection, since): list.pop/append are atomic
        self.claim = Compiled(claim, engine.dialect)
        self.log_insert = Compiled(log_insert, engine.dialect, log_keys)
        # PostgreSQL: BEGIN travels with the claim and COMMIT with the log row (one message each).
        self._claim_sql = "BEGIN; " + self.claim.sql if self.is_postgres else None
        self._log_sql = self.log_insert.sql + "; COMMIT" if self.is_postgres else None

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """An op's write transaction, on a kept connection. SQLite: BEGIN IMMEDIATE (the dialect's
        `do_begin`, db.py) and a COMMIT by SQLAlchemy. PostgreSQL: the claim begins it and the log
        insert commits it (see the module's docstring); SQLAlchemy's transaction around them only
        rolls back what failed (psycopg commits nothing when the server says no transaction is open)."""
        conn = self._take()
        try:
            with conn.begin():
                yield conn
        finally:
            self._give_back(conn)

    def _take(self) -> Connection:
        while self._kept:
            try:
                conn, since = self._kept.pop()
            except IndexError:  # another thread took the last one
                break
            if time.monotonic() - since < self._rested:
                return conn
            try:
                self._ping(conn.connection.driver_connection)
                return conn
            except Exception:
                conn.invalidate()
                conn.close()
        conn = self.engine.connect()
        if self.is_postgres:
            conn.execution_options(isolation_level="AUTOCOMMIT")  # reset by the pool on its return
        return conn

    def _give_back(self, conn: Connection) -> None:
        if conn.invalidated:
            # A lost connection: the others may be lost too (the server restarted). Give them all
            # back to the pool, which replaces every connection older than the loss (SQLAlchemy's
            # own rule after a disconnect), instead of letting each fail one op of its own.
            conn.close()
            self.close()
        elif conn.closed or conn.in_transaction() or len(self._kept) >= self._keep:
            conn.close()
        else:
            self._kept.append((conn, time.monotonic()))

    def close(self) -> None:
        """Give the kept connections back to the pool."""
        while self._kept:
            try:
                conn, _since = self._kept.pop()
            except IndexError:
                break
            conn.close()

    def run_claim(self, conn: Connection, map_id: str) -> Any:
        """The next seq of the map, with the columns the engine reads (None: no such map)."""
        return execute(conn, self.claim, {"p_map": map_id}, sql=self._claim_sql, client_side=self.is_postgres)

    def run_log_insert(self, conn: Connection, row: dict[str, Any]) -> None:
        """The op's log row; on PostgreSQL, with the COMMIT that ends the op's transaction."""
        execute(conn, self.log_insert, row, sql=self._log_sql, client_side=self.is_postgres)
