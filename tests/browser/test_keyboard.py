"""A workshop step done with the keyboard alone (issue #12): from the skip link into the grid, arrow keys
between cells, write, edit and move a card, vote, fill a chantier-sheet field — no mouse, no click."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import open_board

pytestmark = pytest.mark.browser


def focused(page, selector: str) -> bool:
    return page.evaluate("(s) => !!document.activeElement && document.activeElement.matches(s)", selector)


def tab_to(page, selector: str, limit: int = 25, key: str = "Tab") -> None:
    """Press Tab until the focus is on `selector` (a person pressing Tab, a bounded number of times)."""
    for _ in range(limit):
        if focused(page, selector):
            return
        page.keyboard.press(key)
    assert focused(page, selector), f"{selector} not reached in {limit} Tab presses"


def test_a_workshop_step_done_with_the_keyboard_alone(browser, workshop, live_server):
    camille = workshop.join("Camille")
    snap = workshop.snapshot()
    lanes, steps = [lane["id"] for lane in snap["lanes"]], [s["id"] for s in snap["steps"]]
    page = open_board(browser, live_server, workshop.map_id, camille["token"])
    keys = page.keyboard

    # The first Tab reaches the skip link, which lands on the first cell of the grid.
    keys.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    keys.press("Enter")
    expect(page.locator(f"[data-cell][data-lane-id='{lanes[0]}'][data-step-id='{steps[0]}']")).to_be_focused()
    # The focus is seen: a solid ring of at least 2 px.
    ring = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, parseFloat(s.outlineWidth)]; }"
    )
    assert ring[0] == "solid" and ring[1] >= 2, ring
    # The grid is one Tab stop: every other cell is out of the Tab order.
    assert page.locator("#board [tabindex='0'][data-nav]").count() == 1

    # Arrow keys: one step right, one lane down; the cell says where it is.
    keys.press("ArrowRight")
    keys.press("ArrowDown")
    target = page.locator(f"[data-cell][data-lane-id='{lanes[1]}'][data-step-id='{steps[1]}']")
    expect(target).to_be_focused()
    expect(target.locator(".cell-where")).to_contain_text(snap["lanes"][1]["title"])
    expect(target.locator(".cell-where")).to_contain_text(snap["steps"][1]["title"])

    # Enter writes a card there; Enter saves it.
    keys.press("Enter")
    expect(target.locator("textarea")).to_be_focused()
    keys.type("Écrit au clavier")
    keys.press("Enter")
    card = target.locator("[data-card-id]")
    expect(card.locator(".card-text")).to_have_text("Écrit au clavier")
    card_id = card.get_attribute("data-card-id")
    # A screen reader hears its kind, its author and its text.
    expect(card).to_have_attribute("aria-label", re.compile(r"^Point de contact, de Camille\s?: Écrit au clavier$"))

    # Back to the card (Shift+Tab past its details button), Enter edits it in place.
    keys.press("Shift+Tab")
    keys.press("Shift+Tab")
    expect(card).to_be_focused()
    keys.press("Enter")
    expect(card.locator("textarea")).to_be_focused()
    keys.press("End")
    keys.type(", puis corrigé")
    keys.press("Enter")
    expect(page.locator(f"[data-card-id='{card_id}'] .card-text")).to_have_text("Écrit au clavier, puis corrigé")

    # Alt+→ moves it to the next step; the focus goes with it.
    expect(page.locator(f"[data-card-id='{card_id}']")).to_be_focused()
    keys.press("Alt+ArrowRight")
    moved = page.locator(
        f"[data-cell][data-lane-id='{lanes[1]}'][data-step-id='{steps[2]}'] [data-card-id='{card_id}']"
    )
    expect(moved).to_be_focused()

    # A vote on the steps: up from the card's cell to the step heads, Tab to its vote button, Enter.
    workshop.op("round.open", target="step", budget=2, secret=False)
    expect(page.locator("[data-testid=vote-status]")).to_be_visible()
    keys.press("Escape")
    expect(page.locator(f"[data-cell][data-lane-id='{lanes[1]}'][data-step-id='{steps[2]}']")).to_be_focused()
    keys.press("ArrowUp")
    keys.press("ArrowUp")
    head = page.locator(f".step-head[data-step-id='{steps[2]}']")
    expect(head).to_be_focused()
    tab_to(page, f".step-head[data-step-id='{steps[2]}'] [data-vote=cast]", limit=4)
    keys.press("Enter")
    expect(page.locator("[data-testid=dots-left]")).to_have_attribute("data-remaining", "1")

    # A chantier sheet: Tab out of the grid to the dock, open the sheets, open the sheet, write its problem.
    sheet_id = workshop.op("chantier.add", title="Tarif lisible")["data"]["id"]
    tab_to(page, "[data-action=open-sheets]")
    keys.press("Enter")
    tab_to(page, f"#sheets .sheet-item[data-sheet-id='{sheet_id}']")
    keys.press("Enter")
    tab_to(page, "#sheets [data-sheet-field=problem] textarea", limit=30)
    keys.type("Le tarif n’apparaît qu’au paiement")
    keys.press("Tab")

    final = workshop.snapshot()
    card_now = next(c for c in final["cards"] if c["id"] == card_id)
    assert (card_now["text"], card_now["lane_id"], card_now["step_id"]) == (
        "Écrit au clavier, puis corrigé",
        lanes[1],
        steps[2],
    )
    sheet = next(c for c in final["chantiers"] if c["id"] == sheet_id)
    assert sheet["problem"] == "Le tarif n’apparaît qu’au paiement"
    # Closing the drawer from the keyboard gives the focus back to the dock.
    tab_to(page, "#sheets [data-action=close-sheets]", limit=30, key="Shift+Tab")
    keys.press("Enter")
    expect(page.locator("#sheets")).to_be_hidden()
    expect(page.locator("[data-action=open-sheets]")).to_be_focused()
