"""Zoom, "fit the map to the screen", "bring everyone here" and "follow me", in real browsers (issue 9, point 6)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import open_board

pytestmark = pytest.mark.browser


def lanes_fully_on_screen(page) -> list[bool]:
    """For each lane label: is it wholly inside the window (no scrolling needed to read it)?"""
    return page.evaluate("""() => [...document.querySelectorAll('.lane-head[data-lane-id]')].map((el) => {
        const r = el.getBoundingClientRect();
        return r.top >= 0 && r.bottom <= innerHeight + 1 && r.left >= 0 && r.right <= innerWidth + 1;
    })""")


def steps_fully_on_screen(page) -> list[bool]:
    return page.evaluate("""() => [...document.querySelectorAll('.step-head[data-step-id]')].map((el) => {
        const r = el.getBoundingClientRect();
        return r.left >= 0 && r.right <= innerWidth + 1 && r.top >= 0 && r.bottom <= innerHeight + 1;
    })""")


SEES = """([step, lane]) => {
    const wrap = document.getElementById('board-wrap').getBoundingClientRect();
    const corner = document.querySelector('.corner-step').getBoundingClientRect();
    const col = document.querySelector(`.step-head[data-step-id="${step}"]`).getBoundingClientRect();
    const ok = col.left >= corner.right - 1 && col.right <= wrap.right + 1;
    if (!lane) return ok;
    const row = document.querySelector(`.lane-head[data-lane-id="${lane}"]`).getBoundingClientRect();
    return ok && row.top >= corner.bottom - 1 && Math.min(row.bottom, row.top + 120) <= wrap.bottom + 1;
}"""


def sees(page, step_id: str, lane_id: str | None = None) -> bool:
    """Is that step's column (and that lane's row) wholly in view, clear of the sticky labels?"""
    return page.evaluate(SEES, [step_id, lane_id])


def comes_to_see(page, step_id: str, lane_id: str | None = None) -> None:
    page.wait_for_function(SEES, arg=[step_id, lane_id])


def centre(page) -> dict:
    return page.evaluate("() => ({...window.parcours.viewport.centre(), zoom: window.parcours.viewport.zoom})")


@pytest.mark.parametrize("size", [(1920, 1080), (1366, 768)])
def test_the_projector_fits_every_lane_and_step_of_the_map_on_the_screen(browser, workshop, live_server, size):
    lane, step = workshop.cell(0, 0)
    for i in range(4):  # some text, so that the lanes have their real height
        workshop.op("card.add", lane_id=lane, step_id=step, kind="note", text=f"Une remarque assez longue numéro {i}")
    page = browser.new_context(viewport={"width": size[0], "height": size[1]}).new_page()
    page.goto(f"{live_server.url}/present/{workshop.map_id}#token={workshop.token}")
    expect(page.locator("[data-testid=connection]")).to_have_attribute("data-state", "online")
    expect(page.locator("[data-testid=zoom-fit]")).to_have_attribute("aria-pressed", "true")
    page.wait_for_function("() => window.parcours.viewport.zoom < 1")
    assert all(lanes_fully_on_screen(page)), lanes_fully_on_screen(page)
    assert all(steps_fully_on_screen(page))
    # A card added during the session: the projector fits again, nothing falls off the bottom.
    lanes = workshop.snapshot()["lanes"]
    for i in range(5):
        workshop.op("card.add", lane_id=lanes[-1]["id"], step_id=step, kind="note", text=f"Encore une idée {i}")
    expect(page.locator(f"[data-cell][data-lane-id='{lanes[-1]['id']}'] [data-card-id]")).to_have_count(5)
    page.wait_for_timeout(200)
    assert all(lanes_fully_on_screen(page))
    # Zooming in by hand leaves the fit; "Fit" brings it back.
    before = page.evaluate("() => window.parcours.viewport.zoom")
    page.click("[data-testid=zoom-in]")
    expect(page.locator("[data-testid=zoom-fit]")).to_have_attribute("aria-pressed", "false")
    assert page.evaluate("() => window.parcours.viewport.zoom") > before
    page.click("[data-testid=zoom-fit]")
    page.wait_for_timeout(100)
    assert all(lanes_fully_on_screen(page))
    page.context.close()


def test_zoom_buttons_keys_and_ctrl_wheel_change_the_board_and_the_choice_survives_a_reload(
    browser, workshop, live_server
):
    page = open_board(browser, live_server, workshop.map_id, workshop.token)
    level = page.locator("[data-testid=zoom-level]")
    expect(level).to_have_text("100\u00a0%")
    page.click("[data-testid=zoom-out]")
    expect(level).to_have_text("90\u00a0%")
    page.locator("#board-wrap").focus()
    page.keyboard.press("-")
    expect(level).to_have_text("75\u00a0%")
    page.keyboard.press("+")
    expect(level).to_have_text("90\u00a0%")
    # The grid itself is scaled, its columns still fill the screen's width.
    width = page.evaluate("() => document.getElementById('board').getBoundingClientRect().width")
    assert width >= page.viewport_size["width"] - 30
    # Typing in a card editor never zooms.
    lane, step = workshop.cell(0, 0)
    cell = page.locator(f"[data-cell][data-lane-id='{lane}'][data-step-id='{step}']")
    cell.locator("[data-action=add-card]").click()
    cell.locator("textarea").type("1+1-2")
    expect(level).to_have_text("90\u00a0%")
    cell.locator("textarea").press("Escape")
    page.keyboard.press("Shift+Digit1")
    expect(page.locator("[data-testid=zoom-fit]")).to_have_attribute("aria-pressed", "true")
    assert all(lanes_fully_on_screen(page))
    page.keyboard.press("Shift+Digit0")
    expect(level).to_have_text("100\u00a0%")
    page.mouse.move(600, 400)
    page.keyboard.down("Control")
    page.mouse.wheel(0, 200)
    page.keyboard.up("Control")
    page.wait_for_function("() => window.parcours.viewport.zoom < 0.9")
    zoom = page.evaluate("() => window.parcours.viewport.zoom")
    page.reload()
    expect(page.locator("[data-testid=connection]")).to_have_attribute("data-state", "online")
    page.wait_for_timeout(200)
    assert abs(page.evaluate("() => window.parcours.viewport.zoom") - zoom) < 0.001
    page.context.close()


def test_bring_everyone_here_and_follow_me_until_released(browser, workshop, live_server):
    nora = workshop.join("Nora")
    tim = workshop.join("Tim")
    snap = workshop.snapshot()
    steps, lanes = [s["id"] for s in snap["steps"]], [lane["id"] for lane in snap["lanes"]]
    fac = open_board(browser, live_server, workshop.map_id, workshop.token, viewport=(1920, 1080))
    par = open_board(browser, live_server, workshop.map_id, nora["token"], viewport=(1366, 768))
    phone = open_board(browser, live_server, workshop.map_id, tim["token"], viewport=(390, 844))
    present = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    present.goto(f"{live_server.url}/present/{workshop.map_id}#token={workshop.token}")
    expect(present.locator("[data-testid=connection]")).to_have_attribute("data-state", "online")
    # Participants have the zoom, not the facilitator's tools.
    expect(par.locator("[data-testid=zoom-fit]")).to_be_visible()
    expect(par.locator("[data-testid=bring-here]")).to_have_count(0)
    expect(present.locator("[data-testid=bring-here]")).to_have_count(0)

    # The facilitator looks at a step far right, lower lanes, at 125 %, and brings everyone there.
    fac.evaluate(
        f"() => {{ const v = window.parcours.viewport; v.setZoom(1.25); v.centreOn({{step_id: '{steps[-2]}', lane_id: '{lanes[4]}'}}); }}"
    )
    target = centre(fac)  # as near that step as the facilitator's screen can scroll
    far = target["step_id"]
    assert far in steps[len(steps) // 2 :] and target["lane_id"] in lanes[3:] and target["zoom"] == 1.25
    fac.click("[data-testid=bring-here]")
    for page in (par, phone, present):
        page.wait_for_function("() => window.parcours.viewport.zoom === 1.25")
        assert sees(page, far, target["lane_id"])
        expect(page.locator("[data-testid=following]")).to_be_hidden()
    expect(par.locator(".toast")).to_contain_text("vous a amené à sa vue")

    # Follow me: every move of the facilitator's view is followed, until released.
    fac.click("[data-testid=follow-me]")
    expect(fac.locator("[data-testid=follow-me]")).to_have_attribute("aria-pressed", "true")
    expect(par.locator("[data-testid=following]")).to_contain_text("Vous suivez Animateur")
    fac.evaluate(f"() => window.parcours.viewport.centreOn({{step_id: '{steps[1]}', lane_id: '{lanes[0]}'}})")
    now = centre(fac)["step_id"]
    assert now != far
    for page in (par, phone, present):
        comes_to_see(page, now)
    fac.click("[data-testid=zoom-fit]")
    par.wait_for_function("() => window.parcours.viewport.fit === true")

    # Tim stops following on his phone: he stays where he is while the others keep following.
    phone.click("[data-testid=stop-following]")
    expect(phone.locator("[data-testid=following]")).to_be_hidden()
    fac.click("[data-testid=zoom-level]")  # back to 100 %
    fac.evaluate(f"() => window.parcours.viewport.centreOn({{step_id: '{far}', lane_id: '{lanes[2]}'}})")
    comes_to_see(par, far)
    phone.wait_for_timeout(600)
    assert phone.evaluate("() => window.parcours.viewport.fit") is True  # still the fit it had, not 100 %

    # Released: the chip goes; a participant's own scrolling is theirs again.
    fac.click("[data-testid=follow-me]")
    expect(par.locator("[data-testid=following]")).to_be_hidden()
    expect(par.locator(".toast").last).to_contain_text("ne guide plus la vue")
    par.evaluate(f"() => window.parcours.viewport.centreOn({{step_id: '{steps[0]}'}})")
    fac.evaluate(f"() => window.parcours.viewport.centreOn({{step_id: '{steps[-1]}'}})")
    par.wait_for_timeout(600)
    assert sees(par, steps[0]) and not sees(par, steps[-1])
    # A leader who vanishes (tab closed) does not leave anyone following forever.
    fac.click("[data-testid=follow-me]")
    expect(par.locator("[data-testid=following]")).to_be_visible()
    fac.context.close()
    expect(par.locator("[data-testid=following]")).to_be_hidden(timeout=20000)
    for page in (par, phone, present):
        page.context.close()
