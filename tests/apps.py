"""The app under test, made the one way every test layer makes it (tests/conftest.py's `app` and
`http` fixtures use it; layers with their own needs pass settings overrides)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask

from workshop import create_app
from workshop.config import Settings


def make_app(url: str, tmp_path: Path, **overrides: Any) -> Flask:
    """The whole app on `url` (no demo, threading mode, exports under tmp_path)."""
    settings = Settings(
        database_url=url,
        demo=False,
        async_mode="threading",
        secret_key="test",
        exports_dir=tmp_path / "exports",
        **overrides,
    )
    return create_app(settings)


def close(app: Flask) -> None:
    app.extensions["parcours"].presence.stop()
    app.extensions["parcours"].db.dispose()


@contextmanager
def app_on(url: str, tmp_path: Path, **overrides: Any) -> Iterator[Flask]:
    """make_app, closed when done: the body of a fixture of any scope."""
    app = make_app(url, tmp_path, **overrides)
    try:
        yield app
    finally:
        close(app)


def module_app(tmp_path_factory: Any, name: str) -> Iterator[Flask]:
    """An app on its own SQLite file, for a module-scoped fixture (`yield from module_app(...)`): the
    modules that build a demo workshop once and read it in many tests."""
    tmp = tmp_path_factory.mktemp(name)
    with app_on(f"sqlite:///{tmp / f'{name}.db'}", tmp) as app:
        yield app
