"""A newcomer's first workshop, from the home page to a card on every screen."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_create_from_home_invite_with_the_qr_code_join_and_write(browser, live_server):
    facilitator = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = facilitator.new_page()
    page.goto(f"{live_server.url}/?lang=en")
    page.fill("input[name=title]", "Claims journey")
    page.fill("textarea[name=objective]", "Find the three moments that hurt most")
    page.check("input[name=map_type][value=blueprint]")
    expect(page.locator("[data-testid=template-preview]")).to_contain_text("Back office (invisible)")
    page.select_option("select[name=locale]", "en")
    page.click("button[type=submit]")
    page.wait_for_url("**/board/*")
    expect(page.locator("[data-testid=connection]")).to_have_attribute("data-state", "online")
    # The service blueprint's lanes, in English, and the facilitator's controls.
    expect(page.locator("body")).to_contain_text("Back office (invisible)")
    page.click("[data-action=invite]")
    invite = page.locator("[data-testid=invite]")
    expect(invite.locator("img.qr")).to_be_visible()
    join_url = invite.locator("input").input_value()
    assert "/join/" in join_url
    qr = live_server.api("GET", "/qr/" + join_url.rsplit("/", 1)[1] + ".svg")
    assert qr.status_code == 200 and qr.headers["Content-Type"].startswith("image/svg")
    page.keyboard.press("Escape")

    participant = browser.new_context(viewport={"width": 1366, "height": 768})
    other = participant.new_page()
    other.goto(join_url)
    other.fill("input[name=name]", "Ana")
    other.select_option("select[name=perspective]", "customer")
    other.click("button[type=submit]")
    other.wait_for_url("**/board/*")
    expect(other.locator("[data-testid=connection]")).to_have_attribute("data-state", "online")
    cell = other.locator("[data-cell]").nth(3)
    cell.locator("[data-action=add-card]").click()
    editor = cell.locator("textarea")
    expect(editor).to_be_focused()
    editor.type("Nobody calls back after the claim")
    editor.press("Enter")
    # The facilitator sees Ana arrive and her card appear, with no reload.
    expect(page.locator("[data-testid=presence] [data-participant-id]")).to_have_count(2)
    expect(page.locator("[data-card-id] .card-text", has_text="Nobody calls back after the claim")).to_be_visible()
    facilitator.close()
    participant.close()
