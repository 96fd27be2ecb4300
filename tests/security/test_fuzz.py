"""A fuzz run of the OpenAPI document (schemathesis, in process): whatever it sends, no 5xx.

Bounded: EXAMPLES generated requests per operation and mode (valid-looking and invalid bodies), against
the app on SQLite and on PostgreSQL with a real facilitator token and, for half the requests, the real workshop and map
ids (so bodies reach the engine's validation rather than a 404). The PDF exports are left to their own
tests (slow by nature). The operations are read from the document the app serves, without a server:
schemathesis's pytest plugin does not run on this pytest, so hypothesis draws its cases directly.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.errors import Unsatisfiable  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402

from tests.conftest import PG_ADMIN_URL, need, postgres_available  # noqa: E402
from workshop.config import Limit, default_throttles  # noqa: E402
from workshop.openapi import openapi_document  # noqa: E402

from ..apps import close, make_app  # noqa: E402
from .conftest import new_workshop  # noqa: E402

EXAMPLES = 30  # per operation, mode and database: about a minute in all on an idle machine
OPEN = Limit(burst=100_000, per_minute=100_000)  # the throttles have their own tests; fuzz the bodies
SCHEMA = schemathesis.openapi.from_dict(openapi_document())
OPERATIONS = {op.label: op for op in (r.ok() for r in SCHEMA.get_all_operations()) if not op.path.endswith(".pdf")}


def _has_inputs(operation) -> bool:
    """Invalid requests can be made only where there is a body, a path or a query to get wrong."""
    return bool(list(operation.body)) or any(
        str(p.location).split(".")[-1].lower() in ("path", "query") for p in operation.iter_parameters()
    )


RUNS = [(label, GenerationMode.POSITIVE) for label in sorted(OPERATIONS)] + [
    (label, GenerationMode.NEGATIVE) for label in sorted(OPERATIONS) if _has_inputs(OPERATIONS[label])
]


@contextmanager
def _database(kind: str, tmp) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{tmp / 'fuzz.db'}"
        return
    need(postgres_available(), f"PostgreSQL not reachable at {PG_ADMIN_URL}")
    import psycopg

    name, admin = f"parcours_fuzz_{uuid.uuid4().hex[:12]}", PG_ADMIN_URL.replace("+psycopg", "")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def fuzz_target(request, tmp_path_factory):
    """PostgreSQL matters: it refuses what SQLite stores silently (a NUL byte)."""
    tmp = tmp_path_factory.mktemp("fuzz")
    with _database(request.param, tmp) as url:
        app = make_app(url, tmp, throttles={k: OPEN for k in default_throttles()})
        try:
            yield app, new_workshop(app.test_client())
        finally:
            close(app)


@pytest.mark.parametrize(("label", "mode"), RUNS, ids=[f"{label} {mode.value}" for label, mode in RUNS])
def test_no_generated_request_gets_a_server_error(label, mode, fuzz_target):
    app, workshop = fuzz_target
    operation = OPERATIONS[label]
    ids = {"wid": workshop.answer["workshop"]["id"], "mid": workshop.map_id}

    @given(case=operation.as_strategy(mode), real_ids=st.booleans())
    @settings(
        max_examples=EXAMPLES, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
    )
    def fuzz(case, real_ids):
        if real_ids and case.path_parameters:
            case.path_parameters = {k: ids.get(k, v) for k, v in case.path_parameters.items()}
        response = case.call(app=app, headers={"Authorization": f"Bearer {workshop.token}"})
        assert response.status_code < 500, (case.method, case.formatted_path, case.body, response.text[:300])

    try:
        fuzz()
    except Unsatisfiable:
        # Only free-form path strings to get wrong (e.g. a listening code): no invalid request exists.
        assert mode == GenerationMode.NEGATIVE
        pytest.skip(f"{label}: no request can break this operation's schema")
