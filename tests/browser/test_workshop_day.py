"""A whole workshop day, replayed in real browsers: a facilitator, two participants on laptops and one on
a phone (390×844). Five phases, silent writing, emotion ratings and the mirror, two votes, a chantier sheet
written from the phone, and an export (issue 9, "done when")."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import open_board
from .test_phone import PHONE

pytestmark = pytest.mark.browser


def lane_of(snap, kind):
    return next(lane["id"] for lane in snap["lanes"] if lane["kind"] == kind)


def cell(page, lane, step):
    return page.locator(f"[data-cell][data-lane-id='{lane}'][data-step-id='{step}']")


def write(page, lane, step, text, *, touch=False):
    c = cell(page, lane, step)
    button = c.locator("[data-action=add-card]")
    button.tap() if touch else button.click()
    editor = page.locator(".card-editor textarea")
    editor.fill(text)
    editor.press("Enter")


def open_vote(fac, target, budget):
    fac.click("[data-testid=open-round]")
    dialog = fac.locator("[data-testid=round-dialog]")
    dialog.locator(f"input[name=target][value={target}]").check()
    dialog.locator("input[name=budget]").fill(str(budget))
    dialog.locator("[data-action=confirm-round]").click()


def close_and_promote(fac, count=1):
    fac.click("[data-testid=close-round]")
    fac.locator("[data-testid=results] input[name=count]").fill(str(count))
    fac.click("[data-testid=promote]")


def test_a_full_workshop_day_with_three_participants_one_on_a_phone(browser, workshop, live_server):
    nadia = workshop.join("Nadia Petit", "customer")
    julien = workshop.join("Julien Roche", "employee")
    tim = workshop.join("Tim", "customer")
    snap = workshop.snapshot()
    steps = [s["id"] for s in snap["steps"]]
    irritants, ideas_lane, emotions = (
        lane_of(snap, "irritants"),
        lane_of(snap, "opportunities"),
        lane_of(snap, "emotions"),
    )

    fac = open_board(browser, live_server, workshop.map_id, workshop.token, viewport=(1920, 1080))
    lap1 = open_board(browser, live_server, workshop.map_id, nadia["token"], viewport=(1366, 768))
    lap2 = open_board(browser, live_server, workshop.map_id, julien["token"], viewport=(1366, 768))
    phone = browser.new_context(**PHONE).new_page()
    phone.goto(f"{live_server.url}/board/{workshop.map_id}#token={tim['token']}")
    expect(phone.locator("[data-testid=connection]")).to_have_attribute("data-state", "online")
    everyone = (fac, lap1, lap2, phone)
    for page in everyone:
        expect(page.locator("[data-testid=presence] [data-participant-id]")).to_have_count(4)

    # -- 1. Diagnostic, in silent writing: nobody sees the others' cards until the reveal. --------------
    fac.select_option("[data-testid=phase-select]", "diagnostic")
    fac.click("[data-action=silent]")
    for page in everyone:
        expect(page.locator("[data-testid=silent-mode]")).to_be_visible()
    write(lap1, irritants, steps[1], "50 € bloqués sept jours")
    write(lap2, irritants, steps[1], "Trop d’appels le lundi")
    write(phone, irritants, steps[2], "Le QR code illisible au soleil", touch=True)
    expect(fac.locator("[data-action=reveal]")).to_have_text("Révéler (3)")
    expect(lap1.locator(".card-text", has_text="Trop d’appels le lundi")).to_have_count(0)
    expect(phone.locator("[data-card-id][data-face-down]")).to_have_count(3)
    fac.click("[data-action=silent]")
    fac.click("[data-action=reveal]")
    for page in everyone:
        expect(page.locator(f"[data-lane-id='{irritants}'] [data-card-id][data-kind=irritant]")).to_have_count(3)
        expect(page.locator("[data-card-id][data-face-down]")).to_have_count(0)
    expect(phone.locator(".card-text", has_text="Trop d’appels le lundi")).to_be_visible()

    # Emotions: the customers are happy with the first step, the employee is not.
    cell(lap1, emotions, steps[0]).locator(".emo-face[data-score='2']").click()
    cell(lap2, emotions, steps[0]).locator(".emo-face[data-score='-2']").click()
    cell(phone, emotions, steps[0]).locator(".emo-face[data-score='1']").tap()
    expect(cell(fac, emotions, steps[0]).locator(".emo-dot.employee")).to_have_attribute("data-average", "-2")
    expect(cell(fac, emotions, steps[0]).locator(".emo-dot.customer")).to_have_attribute("data-average", "1.5")

    # -- 2. Key moments: one dot each, on the phone too; the winner becomes a key moment. -----------------
    fac.select_option("[data-testid=phase-select]", "key_moments")
    open_vote(fac, "step", 1)
    for page in (lap1, lap2, phone):
        expect(page.locator("[data-testid=dots-left]")).to_have_attribute("data-remaining", "1")
    lap1.locator(f".step-head[data-step-id='{steps[1]}'] [data-vote=cast]").click()
    lap2.locator(f".step-head[data-step-id='{steps[1]}'] [data-vote=cast]").click()
    phone.locator(f".step-head[data-step-id='{steps[2]}'] [data-vote=cast]").tap()
    expect(phone.locator("[data-testid=dots-left]")).to_have_attribute("data-remaining", "0")
    expect(fac.locator("[data-testid=voters]")).to_have_attribute("data-voters", "3")
    close_and_promote(fac)
    for page in everyone:
        expect(page.locator(f".step-head[data-step-id='{steps[1]}']")).to_have_class(
            __import__("re").compile(r"\bkey-moment\b")
        )

    # -- 3. Ideation: ideas in the opportunities lane, from each screen. ----------------------------------
    fac.select_option("[data-testid=phase-select]", "ideation")
    write(lap1, ideas_lane, steps[1], "Une pré-autorisation de 1 € au lieu de la caution")
    write(lap2, ideas_lane, steps[1], "Un rappel automatique le lundi")
    write(phone, ideas_lane, steps[2], "Un écran plus lumineux", touch=True)
    for page in everyone:
        expect(page.locator(f"[data-lane-id='{ideas_lane}'] [data-card-id][data-kind=idea]")).to_have_count(3)

    # -- 4. Selection: a vote on the ideas; the winner is selected. ---------------------------------------
    fac.select_option("[data-testid=phase-select]", "selection")
    open_vote(fac, "card", 2)
    winner = lap1.locator("[data-card-id]", has_text="pré-autorisation").first.get_attribute("data-card-id")
    for page, touch in ((lap1, False), (lap2, False), (phone, True)):
        cast = page.locator(f"[data-card-id='{winner}'] [data-vote=cast]")
        cast.tap() if touch else cast.click()
    expect(fac.locator("[data-testid=voters]")).to_have_attribute("data-voters", "3")
    close_and_promote(fac)
    for page in everyone:
        expect(page.locator(f"[data-card-id='{winner}']")).to_have_class(__import__("re").compile(r"\bselected\b"))

    # -- 5. Chantiers: the winning idea becomes a sheet; the phone fills in its owner. ----------------------
    fac.select_option("[data-testid=phase-select]", "chantiers")
    fac.locator(f"[data-card-id='{winner}'] [data-action=card-menu]").click()
    fac.click("#panel [data-action=make-sheet]")
    expect(fac.locator("#sheets .sheet-title-input")).to_have_value("Une pré-autorisation de 1 € au lieu de la caution")
    phone.locator("[data-action=open-sheets]").tap()
    phone.locator("#sheets .sheet-item").first.tap()
    owner = phone.locator("#sheets [data-sheet-field=owner] input")
    owner.fill("Inès Lefèvre")
    owner.press("Enter")
    expect(fac.locator("#sheets [data-sheet-field=owner] input")).to_have_value("Inès Lefèvre")
    [sheet] = workshop.snapshot()["chantiers"]
    assert sheet["owner"] == "Inès Lefèvre" and winner in sheet["card_ids"]

    # The mirror: customers happy, employees not, on the first step: "pain".
    fac.click("#sheets [data-tab=mirror]")
    expect(fac.locator(f"[data-testid=resonance] [data-category=pain] [data-step-id='{steps[0]}']")).to_be_visible()

    # -- The day ends: the board is closed and the report is exported. ----------------------------------
    fac.select_option("[data-testid=phase-select]", "closed")
    for page in everyone:
        expect(page.locator("[data-testid=phase]")).to_have_text("Clos")
    fac.click("[data-action=close-sheets]")
    fac.click("[data-action=open-exports]")
    with fac.expect_download(timeout=60000) as info:
        fac.click("[data-testid=export-menu] [data-export=report]")
    with open(info.value.path(), "rb") as f:
        assert f.read(5) == b"%PDF-"
    final = workshop.snapshot()
    assert len([c for c in final["cards"] if c["kind"] == "irritant"]) == 3
    assert [c["id"] for c in final["cards"] if c.get("selected")] == [winner]
    assert [s["key_moment"] for s in final["steps"]][:3] == [False, True, False]
    for page in everyone:
        page.context.close()
