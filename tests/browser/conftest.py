"""Browser tests: Playwright (sync API) driving Debian's Chromium against the real server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from tests.api import Api, Workshop
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


@pytest.fixture
def workshop(live_server) -> Workshop:
    return Api(live_server.url).workshop("Atelier navigateur", map_type="journey", locale="fr")


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


def open_sheet(page: Any, sheet_id: str) -> Any:
    """Open a sheet from the sheets drawer; answers the sheet's form."""
    from playwright.sync_api import expect

    page.click("[data-action=open-sheets]")
    page.click(f"#sheets .sheet-item[data-sheet-id='{sheet_id}']")
    expect(page.locator(f"#sheets [data-sheet='{sheet_id}']")).to_be_visible()
    return page.locator(f"#sheets [data-sheet='{sheet_id}']")


def sheet_on_two_screens(browser: Any, server: Any, workshop: Workshop, title: str) -> tuple[str, Any, Any]:
    """A new sheet open on two boards: the facilitator's and Camille's (employee side); answers its id
    and (page, sheet form) for each."""
    camille = workshop.join("Camille", "employee")
    sheet_id = workshop.op("chantier.add", title=title)["data"]["id"]
    a = open_board(browser, server, workshop.map_id, workshop.token)
    b = open_board(browser, server, workshop.map_id, camille["token"])
    return sheet_id, (a, open_sheet(a, sheet_id)), (b, open_sheet(b, sheet_id))
