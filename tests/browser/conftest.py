"""Browser tests: Playwright (sync API) driving Debian's Chromium against the real server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.conftest import need

CHROMIUM = os.environ.get("PARCOURS_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    need(os.path.exists(CHROMIUM), f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - a test dependency
        need(False, "playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@dataclass
class Workshop:
    server: Any
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

    def join(self, name: str, perspective: str = "customer", role: str = "participant") -> dict[str, Any]:
        r = self.server.api(
            "POST", "/api/join", json={"code": self.code, "name": name, "perspective": perspective, "role": role}
        )
        assert r.status_code == 201, r.text
        return r.json()

    def snapshot(self, token: str | None = None) -> dict[str, Any]:
        r = self.server.api("GET", f"/api/maps/{self.map_id}", token=token or self.token)
        assert r.status_code == 200, r.text
        return r.json()

    def op(self, type_: str, token: str | None = None, **fields: Any) -> dict[str, Any]:
        import uuid

        r = self.server.api(
            "POST",
            f"/api/maps/{self.map_id}/ops",
            token=token or self.token,
            json={"op_id": str(uuid.uuid4()), "type": type_, **fields},
        )
        assert r.status_code == 200, r.text
        return r.json()

    def cell(self, lane: int = 0, step: int = 0) -> tuple[str, str]:
        snap = self.snapshot()
        return snap["lanes"][lane]["id"], snap["steps"][step]["id"]


@pytest.fixture
def workshop(live_server) -> Workshop:
    r = live_server.api(
        "POST", "/api/workshops", json={"title": "Atelier navigateur", "map_type": "journey", "locale": "fr"}
    )
    assert r.status_code == 201, r.text
    return Workshop(live_server, r.json())


def open_board(browser: Any, server: Any, map_id: str, token: str, viewport=(1366, 768)) -> Any:
    """A new browser context on the board with this token; waits until it is online."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    page = context.new_page()
    page.goto(f"{server.url}/board/{map_id}#token={token}")
    expect(page.locator("[data-testid=connection]")).to_have_attribute("data-state", "online")
    expect(page.locator("[data-cell]").first).to_be_visible()
    return page


def add_card(page: Any, lane_id: str, step_id: str, text: str) -> None:
    cell = page.locator(f"[data-cell][data-lane-id='{lane_id}'][data-step-id='{step_id}']")
    cell.locator("[data-action=add-card]").click()
    editor = cell.locator("textarea")
    editor.fill(text)
    editor.press("Enter")
