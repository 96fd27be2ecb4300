"""The docs name what the code declares: every op type, error code, REST route and setting.

One subtest per item, so a new op or setting without its line in the docs fails by name.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from workshop.errors import HTTP_STATUS
from workshop.ops import REGISTRY

from .apps import close, make_app

ROOT = Path(__file__).resolve().parent.parent
API_DOC = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _documented() -> str:
    """docs/api.md stands on its own: a clean clone may not have the contract beside it."""
    return API_DOC


def _env_vars() -> list[str]:
    found: set[str] = set()
    for path in [ROOT / "run.py", *(ROOT / "workshop").rglob("*.py")]:
        found.update(re.findall(r"os\.environ(?:\.get)?[(\[]\s*[\"']([A-Z][A-Z0-9_]+)[\"']", path.read_text()))
    return sorted(found - {"HOST", "PORT"})


def _api_routes() -> list[str]:
    app = make_app("sqlite://", Path("/nonexistent"))  # the routes only: no request is made
    try:
        rules = {re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", r.rule) for r in app.url_map.iter_rules()}
    finally:
        close(app)  # else its presence thread polls an in-memory database that has no tables
    return sorted(r for r in rules if r.startswith("/api/") and r != "/api/<path:rest>")


@pytest.mark.parametrize("type_", sorted(REGISTRY))
def test_every_op_type_is_documented(type_):
    assert f"`{type_}`" in _documented()


@pytest.mark.parametrize("code", sorted(HTTP_STATUS))
def test_every_error_code_is_documented(code):
    assert f"`{code}`" in _documented()


@pytest.mark.parametrize("name", _env_vars())
def test_every_setting_read_from_the_environment_is_in_the_readme(name):
    assert f"`{name}`" in README


@pytest.mark.parametrize("route", _api_routes())
def test_every_rest_route_is_documented(route):
    # Path parameters are named freely in prose ({mid}, {map_id}): compare the fixed segments.
    pattern = re.escape(route)
    pattern = re.sub(r"\\\{\w+\\\}", r"\\{\\w+\\}", pattern)
    assert re.search(pattern, _documented()), route
