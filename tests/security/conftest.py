"""The security tests run the whole app (every route and wall) on SQLite and on PostgreSQL: the root
conftest's `app` and `http`, parametrized here; a workshop made through the API (tests/api.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from ..api import Api, Workshop
from ..apps import app_on


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Each test on both databases, unless its module makes its own app (other settings)."""
    if "app" in metafunc.fixturenames and not hasattr(metafunc.module, "app"):
        metafunc.parametrize("app", ["sqlite", "postgres"], indirect=True)


@pytest.fixture
def sqlite_app(sqlite_url, tmp_path) -> Iterator[Flask]:
    """The app on SQLite alone, for the walls that do not depend on the database (headers, throttles)."""
    with app_on(sqlite_url, tmp_path) as application:
        yield application


def new_workshop(http: FlaskClient) -> Workshop:
    return Api(http).workshop("Atelier attaqué", map_type="journey", locale="fr")


@pytest.fixture
def workshop(http) -> Workshop:
    return new_workshop(http)
