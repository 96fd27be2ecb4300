"""Mirror listening in Chromium: a phone-sized respondent answers; the facilitator's board follows live."""
from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

from playwright.sync_api import expect  # noqa: E402

from .conftest import open_board  # noqa: E402


def test_a_phone_sized_respondent_answers_and_the_board_shows_the_count_and_the_curve_move(browser, workshop, live_server):
    board = open_board(browser, live_server, workshop.map_id, workshop.token)
    board.click("[data-action=open-mirror]")
    panel = board.locator("[data-testid=listening-panel]")
    expect(panel).to_be_visible()
    panel.locator("input[name=lst-title]").fill("Vague 1")
    panel.locator("input[name=lst-invited-customer]").fill("10")
    panel.locator("[data-action=create-listening]").click()
    expect(panel.locator("[data-testid=listening-count-customer]")).to_have_text("0")
    url = panel.locator("[data-testid=listening-url-customer]").input_value()
    expect(panel.locator("img.qr").first).to_be_visible()

    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = phone.new_page()
    page.goto(url)
    steps = workshop.snapshot()["steps"]
    first = steps[0]["id"]
    block = page.locator(f"[data-step-id='{first}']")
    expect(block).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling on a phone
    block.locator(f"input[name='score-{first}'][value='-2']").check(force=True)
    page.locator(f"input[name='important-{first}']").check()
    page.locator(f"textarea[name='verbatim-{first}']").fill("=Attente interminable")
    # Keyboard only on the second step: the faces are one radio group, arrows move the choice.
    second = steps[1]["id"]
    page.locator(f"input[name='score-{second}'][value='-2']").focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")
    expect(page.locator(f"input[name='score-{second}'][value='-1']")).to_be_checked()
    expect(page.get_by_role("group", name=steps[1]["title"])).to_be_visible()  # the fieldset's legend names it
    page.locator("[data-action=listen-submit]").click()
    expect(page.locator("[data-testid=thanks]")).to_be_visible()

    # Without a reload, the board's counter and the survey curve move.
    expect(panel.locator("[data-testid=listening-count-customer]")).to_have_text("1")
    dot = panel.locator(f"[data-testid=survey-dot][data-side=customer][data-step-id='{first}']")
    expect(dot).to_have_attribute("data-average", "-2")
    expect(panel.locator("[data-testid=listening-verbatims]")).to_contain_text("=Attente interminable")

    # Reopened on the same device, the page shows the saved answers.
    page.reload()
    expect(page.locator(f"input[name='score-{first}'][value='-2']")).to_be_checked()
    expect(page.locator(f"textarea[name='verbatim-{first}']")).to_have_value("=Attente interminable")

    # Closed: the respondent's page says so, clearly.
    panel.locator("[data-action=toggle-listening]").click()
    expect(panel.locator("[data-testid=listening-status]")).to_have_text("Close")
    page.reload()
    expect(page.locator("[data-testid=listen-status]")).to_be_visible()
    expect(page.locator("#listen-form")).to_be_hidden()
    phone.close()
    board.context.close()


def test_a_wrong_listening_code_gets_a_clear_page(browser, live_server):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    response = page.goto(f"{live_server.url}/listen/NOSUCHCODE")
    assert response.status == 404
    expect(page.locator("main")).to_contain_text(re.compile("lien d’écoute|listening link"))
    context.close()
