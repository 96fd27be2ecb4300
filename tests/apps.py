"""The app under test, made the one way every test layer makes it (tests/conftest.py's `app` and
`http` fixtures use it; layers with their own needs pass settings overrides)."""

from __future__ import annotations

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
