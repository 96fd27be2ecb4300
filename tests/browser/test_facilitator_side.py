"""Issue 9 point 4 in the browser: the facilitator's ratings count on no side until it chooses one
in the Mirror panel, and then on that side only."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import open_board

pytestmark = pytest.mark.browser


def test_the_facilitator_rates_from_no_side_until_it_chooses_one_in_the_mirror(browser, workshop, live_server):
    nadia = workshop.join("Nadia", "customer")
    step = workshop.snapshot()["steps"][0]["id"]
    workshop.op("emotion.set", token=nadia["token"], step_id=step, score=2)
    page = open_board(browser, live_server, workshop.map_id, workshop.token)
    page.click("[data-action=open-mirror]")
    side = page.locator("[data-testid=my-side]")
    expect(side).to_have_attribute("data-side", "none")
    expect(side).to_contain_text("choisissez un côté")

    row = page.locator(f".mirror-rate[data-step-id='{step}']")
    row.locator(".emo-face[data-score='-2']").click()
    expect(row.locator(".emo-face[data-score='-2']")).to_have_attribute("aria-pressed", "true")
    curve = page.locator(f"[data-testid=mirror-curves] .emo-dot.customer[data-step-id='{step}']")
    expect(curve).to_have_attribute("data-average", "2")  # not (2 − 2) / 2: the facilitator counted nowhere
    expect(page.locator(f"[data-testid=mirror-curves] .emo-dot.employee[data-step-id='{step}']")).to_have_count(0)

    side.locator("[data-side-choice=employee]").click()
    expect(page.locator("[data-testid=my-side]")).to_have_attribute("data-side", "employee")
    me = live_server.api("GET", "/api/me", token=workshop.token).json()
    assert me["participant"]["perspective"] == "employee"
    row = page.locator(f".mirror-rate[data-step-id='{step}']")
    row.locator(".emo-face[data-score='-1']").click()
    expect(page.locator(f"[data-testid=mirror-curves] .emo-dot.employee[data-step-id='{step}']")).to_have_attribute(
        "data-average", "-1"
    )
    expect(curve).to_have_attribute("data-average", "2")
    rows = {e["perspective"]: e for e in workshop.snapshot()["emotions"] if e["step_id"] == step}
    assert rows["customer"]["count"] == 1 and rows["employee"]["count"] == 1 and rows["employee"]["mine"] == -1
