"""A participant on a phone (390×844, touch): every action within reach, nothing under something else
(issue 9, point 7)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import open_board
from .test_board_details import FITS

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


def open_phone(browser, server, map_id, token):
    page = browser.new_context(**PHONE).new_page()
    page.goto(f"{server.url}/board/{map_id}#token={token}")
    expect(page.locator("[data-testid=connection]")).to_have_attribute("data-state", "online")
    expect(page.locator("[data-cell]").first).to_be_visible()
    return page


def box(page, selector):
    return page.locator(selector).first.bounding_box()


def inside_screen(b, width=390, height=844) -> bool:
    return (
        b is not None
        and b["x"] >= -0.5
        and b["y"] >= -0.5
        and b["x"] + b["width"] <= width + 0.5
        and b["y"] + b["height"] <= height + 0.5
    )


OVERLAPS = """() => {
    const els = [...document.querySelectorAll('#topbar .topbar-left > *, #topbar .topbar-right > *, #topbar .titles > *')]
      .filter((el) => el.offsetParent !== null && el.getBoundingClientRect().width > 0 && !el.classList.contains('titles'));
    const out = [];
    for (let i = 0; i < els.length; i++) for (let j = i + 1; j < els.length; j++) {
        const a = els[i].getBoundingClientRect(), b = els[j].getBoundingClientRect();
        if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1)
            out.push(`${els[i].className || els[i].id} × ${els[j].className || els[j].id}`);
        }
    for (const el of els) if (el.getBoundingClientRect().right > innerWidth + 1) out.push(`${el.className} off screen`);
    return out;
}"""


@pytest.mark.parametrize("role", ["participant", "facilitator"])
def test_the_header_never_overlaps_itself_on_a_phone(browser, workshop, live_server, role):
    token = workshop.token if role == "facilitator" else workshop.join("Zoé Martin-Lefèvre de la Tour")["token"]
    page = open_phone(browser, live_server, workshop.map_id, token)
    workshop.op("timer.start", seconds=300, label="Irritants")
    expect(page.locator("[data-testid=timer]")).to_be_visible()
    assert page.evaluate(OVERLAPS) == []
    assert box(page, "#topbar")["height"] < (150 if role == "facilitator" else 70)
    if role == "facilitator":  # the facilitator's tools are all reachable by scrolling their row
        bar = page.locator("#facilitator-bar")
        assert bar.evaluate("(el) => getComputedStyle(el).overflowX") == "auto"
        assert page.locator("[data-testid=phase-select]").evaluate(FITS)  # not squeezed to its arrow
    page.context.close()


def test_a_participant_on_a_phone_writes_edits_comments_and_reads_the_sheets(browser, workshop, live_server):
    nadia = workshop.join("Nadia")
    snap = workshop.snapshot()
    lanes, steps = snap["lanes"], snap["steps"]
    workshop.op(
        "chantier.add", title="Remplacer la caution de 50 € par une pré-autorisation de 1 €", impact=4, effort=2
    )
    page = open_phone(browser, live_server, workshop.map_id, nadia["token"])

    # Writing a card: the editor is a sheet at the bottom, wholly on screen, in 16 px type.
    cell = page.locator(f"[data-cell][data-lane-id='{lanes[3]['id']}'][data-step-id='{steps[2]['id']}']")
    cell.locator("[data-action=add-card]").tap()
    editor = page.locator(".card-editor")
    expect(editor.locator("textarea")).to_be_focused()
    expect(editor.locator("[data-testid=editor-where]")).to_have_text(f"{lanes[3]['title']} · {steps[2]['title']}")
    assert inside_screen(editor.bounding_box())
    assert editor.locator("textarea").evaluate("(el) => parseFloat(getComputedStyle(el).fontSize)") >= 16
    editor.locator("textarea").fill("Le QR code ne se lit pas au soleil")
    save = editor.locator("[data-action=save-card]")
    assert inside_screen(save.bounding_box()) and save.bounding_box()["height"] >= 40
    save.tap()
    card = cell.locator("[data-card-id]")
    expect(card.locator(".card-text")).to_have_text("Le QR code ne se lit pas au soleil")

    # Rating a step: faces big enough for a thumb.
    face = page.locator(
        f"[data-cell][data-lane-id='{next(l['id'] for l in lanes if l['kind'] == 'emotions')}'] .emo-face"
    ).first
    assert face.bounding_box()["width"] >= 32

    # Its details and a comment: the panel takes the whole screen; "Edit" steps aside for the card.
    card.locator("[data-action=card-menu]").tap()
    panel = page.locator("#panel")
    expect(panel).to_be_visible()
    assert panel.bounding_box()["width"] >= 389
    panel.locator(".comment-form textarea").fill("Même à l’ombre")
    panel.locator(".comment-form button[type=submit]").tap()
    expect(panel.locator(".comment-text")).to_have_text("Même à l’ombre")
    panel.locator("[data-field=edit]").tap()
    expect(panel).to_be_hidden()
    edit = card.locator("textarea.card-edit")
    expect(edit).to_be_focused()
    assert inside_screen(edit.bounding_box())
    edit.fill("Le QR code ne se lit pas en plein soleil")
    edit.press("Enter")
    expect(card.locator(".card-text")).to_have_text("Le QR code ne se lit pas en plein soleil")

    # The sheets drawer: the whole width, titles on lines of words, every tab on screen.
    page.locator("[data-action=open-sheets]").tap()
    drawer = page.locator("#sheets")
    expect(drawer).to_be_visible()
    assert drawer.bounding_box()["width"] >= 389
    title = drawer.locator(".sheet-title").first
    assert title.bounding_box()["width"] > 200 and title.bounding_box()["height"] < 80
    for tab in ("list", "matrix", "mirror"):
        assert inside_screen(drawer.locator(f".sheet-tab[data-tab={tab}]").bounding_box())
    drawer.locator(".sheet-tab[data-tab=mirror]").tap()
    expect(drawer.locator(".sheet-tab[data-tab=mirror]")).to_have_attribute("aria-selected", "true")
    drawer.locator("[data-action=close-sheets]").tap()
    expect(drawer).to_be_hidden()

    # Focus on a far step: its column comes into view clear of the sticky lane labels.
    workshop.op("focus.set", step_id=steps[5]["id"])
    head = page.locator(f".step-head[data-step-id='{steps[5]['id']}']")
    expect(head).to_have_class("step-head focused")
    page.wait_for_timeout(700)  # the smooth scroll
    corner = box(page, ".corner-step")
    b = head.bounding_box()
    assert b["x"] >= corner["x"] + corner["width"] - 1 and b["x"] + b["width"] <= 391

    # The dock never hides the last lane: scrolled to the end, the lane sits above it.
    page.evaluate("() => { const w = document.getElementById('board-wrap'); w.scrollTop = w.scrollHeight; }")
    page.wait_for_timeout(100)
    last = page.locator(f".lane-head[data-lane-id='{lanes[-1]['id']}']").bounding_box()
    assert last["y"] + last["height"] <= box(page, ".sheet-dock")["y"] + 1
    page.context.close()


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_the_dock_never_hides_the_bottom_left_lane_on_a_laptop_or_a_projector(browser, workshop, live_server, size):
    page = open_board(browser, live_server, workshop.map_id, workshop.token, viewport=size)
    page.evaluate("() => { const w = document.getElementById('board-wrap'); w.scrollTop = w.scrollHeight; }")
    page.wait_for_timeout(100)
    lanes = workshop.snapshot()["lanes"]
    last = page.locator(f".lane-head[data-lane-id='{lanes[-1]['id']}']").bounding_box()
    assert last["y"] + last["height"] <= box(page, ".sheet-dock")["y"] + 1
    page.context.close()


THUMB = 44  # px: WCAG 2.5.5's target size, for the room controls a facilitator uses on a phone

CROWDED = """(selector) => {
    const els = [...document.querySelectorAll(selector)].filter((el) => el.offsetParent !== null);
    const out = [];
    for (let i = 0; i < els.length; i++) for (let j = i + 1; j < els.length; j++) {
        const a = els[i].getBoundingClientRect(), b = els[j].getBoundingClientRect();
        if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1)
            out.push(`${els[i].textContent} × ${els[j].textContent}`);
    }
    return out;
}"""


def test_the_room_controls_are_thumb_sized_and_on_screen_on_a_phone(browser, workshop, live_server):
    """The timer's pause / +1 min / sound and the Invite dialog's facilitator part (own link, new link,
    new code, co-facilitators) at 390×844: on screen, apart, 44 px targets, and they work."""
    for name in ("Camille Martin", "Inès Lefèvre", "Julien Roche-Dupont de la Salle"):
        workshop.join(name)
    page = open_phone(browser, live_server, workshop.map_id, workshop.token)
    workshop.op("timer.start", seconds=300, label="Irritants")
    expect(page.locator("[data-testid=timer]")).to_be_visible()

    tools = [
        "[data-action=quick-timer]",
        "[data-action=quick-timer-stop]",
        "[data-action=timer-pause]",
        "[data-action=timer-extend]",
        "[data-testid=timer-sound]",
    ]
    for selector in tools:
        b = box(page, selector)
        assert inside_screen(b), selector
        assert b["width"] >= THUMB and b["height"] >= THUMB, (selector, b)
    assert page.evaluate(CROWDED, ".quick-timers button") == []
    assert page.evaluate(OVERLAPS) == []
    assert box(page, "#topbar")["height"] < 150
    # They work: pause, +1 minute, the bell.
    ends = workshop.snapshot()["timer"]["ends_at"]
    page.locator("[data-action=timer-extend]").tap()
    expect(page.locator("[data-action=timer-pause]")).to_have_attribute("aria-pressed", "false")
    page.wait_for_function("(old) => window.parcours.store.state.timer.ends_at !== old", arg=ends)
    page.locator("[data-action=timer-pause]").tap()
    expect(page.locator("[data-action=timer-pause]")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("[data-testid=timer]")).to_have_class(re.compile(r"\bpaused\b"))
    bell = page.locator("[data-testid=timer-sound]")
    pressed = bell.get_attribute("aria-pressed")
    bell.tap()
    expect(bell).not_to_have_attribute("aria-pressed", pressed)

    # The Invite dialog, reached in the facilitator's row of tools.
    invite = page.locator("[data-action=invite]")
    invite.scroll_into_view_if_needed()
    assert inside_screen(invite.bounding_box()) and invite.bounding_box()["height"] >= THUMB
    invite.tap()
    dialog = page.locator("[data-testid=invite]")
    expect(dialog.locator("[data-testid=facilitator-link]")).to_contain_text(workshop.token)
    expect(dialog.locator("[data-testid=cofacilitators] li")).to_have_count(3)
    assert inside_screen(dialog.bounding_box())
    buttons = dialog.locator("button")
    for i in range(buttons.count()):
        button = buttons.nth(i)
        button.scroll_into_view_if_needed()
        b = button.bounding_box()
        assert inside_screen(b), (button.text_content(), b)
        assert b["height"] >= THUMB, (button.text_content(), b)
    assert (
        page.evaluate(
            CROWDED,
            "[data-testid=invite] button, [data-testid=invite] input, "
            "[data-testid=invite] code, [data-testid=cofacilitators] li > span",
        )
        == []
    )
    # Promoting from the phone works; so does a new facilitator link (the old one stops at once).
    row = dialog.locator("[data-testid=cofacilitators] li", has_text="Julien Roche-Dupont de la Salle")
    row.locator("[data-action=promote]").tap()
    expect(row.locator("[data-action=demote]")).to_be_visible()
    dialog.locator("[data-action=renew-facilitator-link]").tap()
    page.locator("[data-testid=confirm] [data-action=confirm]").tap()
    expect(dialog.locator("[data-testid=facilitator-link]")).not_to_contain_text(workshop.token)
    page.context.close()
