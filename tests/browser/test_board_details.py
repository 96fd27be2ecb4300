"""Details of the board seen during a real workshop day (issue 9, "details seen on the way")."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import open_board

pytestmark = pytest.mark.browser


def lane_of(snap, kind):
    return next(lane["id"] for lane in snap["lanes"] if lane["kind"] == kind)


def quotes(page, card_id):
    return page.locator(f"[data-card-id='{card_id}'] .card-text").evaluate(
        "(el) => [getComputedStyle(el, '::before').content, getComputedStyle(el, '::after').content]"
    )


def test_verbatims_get_one_pair_of_quotes_and_typed_lanes_keep_their_kind_in_every_phase(
    browser, workshop, live_server
):
    snap = workshop.snapshot()
    irritants, actions = lane_of(snap, "irritants"), lane_of(snap, "customer_actions")
    step = snap["steps"][1]["id"]
    quoted = workshop.op(
        "card.add", lane_id=irritants, step_id=step, kind="verbatim", text="«\u00a0J’ai cru à une arnaque\u00a0»"
    )["data"]["id"]
    plain = workshop.op("card.add", lane_id=irritants, step_id=step, kind="verbatim", text="Trop cher")["data"]["id"]
    page = open_board(browser, live_server, workshop.map_id, workshop.token)
    assert quotes(page, quoted) == ["none", "none"]
    assert quotes(page, plain) == ['"«\u00a0"', '"\u00a0»"']
    expect(page.locator(f"[data-card-id='{quoted}'] .card-text")).to_have_text("«\u00a0J’ai cru à une arnaque\u00a0»")

    # In ideation, a card added in the Irritants lane stays an irritant; a plain lane takes the phase's kind.
    workshop.op("phase.set", phase="ideation")
    expect(page.locator("[data-testid=phase]")).to_have_text("Idéation")
    for lane, kind in ((irritants, "irritant"), (actions, "idea")):
        cell = page.locator(f"[data-cell][data-lane-id='{lane}'][data-step-id='{step}']")
        cell.locator("[data-action=add-card]").click()
        expect(cell.locator(".card-editor select.kind-select")).to_have_value(kind)
        cell.locator("textarea").fill(f"Une carte {kind}")
        cell.locator("textarea").press("Enter")
        expect(cell.locator(f"[data-card-id][data-kind={kind}]")).to_have_count(1)
    page.context.close()


def test_initials_are_letters_and_macro_stages_are_not_called_phases(browser, workshop, live_server):
    zed = workshop.join("Z(")
    paren = workshop.join("(Zoé) Martin")
    page = open_board(browser, live_server, workshop.map_id, workshop.token)
    other = open_board(browser, live_server, workshop.map_id, zed["token"])
    third = open_board(browser, live_server, workshop.map_id, paren["token"])
    expect(page.locator(f"[data-participant-id='{zed['participant']['id']}']")).to_have_text("Z")
    expect(page.locator(f"[data-participant-id='{paren['participant']['id']}']")).to_have_text("ZM")
    add = page.locator("[data-action=add-stage]")
    expect(add).to_have_attribute("aria-label", "Ajouter une macro-étape")
    add.click()
    expect(page.locator(".ask-input")).to_have_attribute("placeholder", "Nom de la macro-étape")
    for p in (page, other, third):
        p.context.close()


FITS = """(el) => {
    const ctx = document.createElement('canvas').getContext('2d');
    ctx.font = getComputedStyle(el).font;
    const text = el.options[el.selectedIndex].text;
    return ctx.measureText(text).width + 28 <= el.getBoundingClientRect().width;
}"""


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_the_phase_selector_and_face_down_marks_are_whole_on_a_laptop(browser, workshop, live_server, size):
    lane, step = workshop.cell(0, 0)
    page = open_board(browser, live_server, workshop.map_id, workshop.token, viewport=size)
    select = page.locator("[data-testid=phase-select]")
    for phase in ("diagnostic", "key_moments", "ideation", "selection", "chantiers", "closed"):
        select.select_option(phase)
        expect(page.locator("[data-testid=phase-bar]")).to_have_attribute("data-phase", phase)
        assert select.evaluate(FITS), phase
    # Nothing in the top bar spills off the screen.
    right = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('#topbar *')].filter((e) => e.offsetParent)"
        ".map((e) => e.getBoundingClientRect().right))"
    )
    assert right <= size[0] + 1
    # A face-down card in the first lane: its mark is inside the card, below the sticky step row
    # (written during ideation: a closed workshop is read-only for participants).
    workshop.op("phase.set", phase="ideation")
    workshop.op("board.silent", silent=True)
    nora = workshop.join("Nora")
    workshop.op("card.add", token=nora["token"], lane_id=lane, step_id=step, kind="note", text="en silence")
    card = page.locator("[data-card-id][data-face-down]")
    expect(card).to_have_count(1)
    position = card.evaluate("(el) => getComputedStyle(el, '::before').position")
    assert position == "static"
    head = page.locator(f".step-head[data-step-id='{step}']").bounding_box()
    assert card.bounding_box()["y"] >= head["y"] + head["height"]
    page.context.close()
