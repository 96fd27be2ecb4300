"""Facilitation in real browsers: dot voting on steps and ideas, promotion, secret rounds, editing marks."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import open_board

pytestmark = pytest.mark.browser


def test_step_and_secret_idea_votes_promotion_focus_and_editing_marks(browser, workshop, live_server):
    nora = workshop.join("Nora")
    fac = open_board(browser, live_server, workshop.map_id, workshop.token)
    par = open_board(browser, live_server, workshop.map_id, nora["token"])
    snap = workshop.snapshot()
    steps = [s["id"] for s in snap["steps"]]

    # Every screen says what to do now; the phase's kinds come first in the card editor.
    fac.select_option("[data-testid=phase-select]", "key_moments")
    expect(par.locator("[data-testid=phase-guide]")).to_contain_text("Votez pour les étapes")

    # The facilitator opens a vote on the steps in two clicks (budget 2).
    fac.click("[data-testid=open-round]")
    dialog = fac.locator("[data-testid=round-dialog]")
    expect(dialog.locator("input[name=target][value=step]")).to_be_checked()  # the phase's natural target
    dialog.locator("input[name=budget]").fill("2")
    dialog.locator("[data-action=confirm-round]").click()
    expect(par.locator("[data-testid=dots-left]")).to_have_attribute("data-remaining", "2")
    expect(fac.locator("[data-testid=voters]")).to_have_attribute("data-voters", "0")

    # Two dots on the participant's screen: "0 left"; a third click says why it cannot be.
    cast = lambda sid: par.locator(f".step-head[data-step-id='{sid}'] [data-vote=cast]")  # noqa: E731
    cast(steps[1]).click()
    cast(steps[1]).click()
    dots = par.locator("[data-testid=dots-left]")
    expect(dots).to_have_attribute("data-remaining", "0")
    expect(dots).to_contain_text("0 point")
    cast(steps[2]).click()
    expect(par.locator(".toast-error")).to_contain_text("vos 2 points")
    expect(fac.locator("[data-testid=voters]")).to_have_attribute("data-voters", "1")
    # An open (not secret) round shows live totals to everyone.
    expect(fac.locator(f".step-head[data-step-id='{steps[1]}'] [data-testid=vote-total]")).to_have_attribute(
        "data-votes", "2"
    )
    par.wait_for_timeout(200)
    rounds = workshop.snapshot()["rounds"]
    assert rounds[0]["results"] == [{"target_id": steps[1], "votes": 2}]

    # Taking one back gives a dot again.
    par.locator(f".step-head[data-step-id='{steps[1]}'] [data-vote=retract]").click()
    expect(dots).to_have_attribute("data-remaining", "1")
    cast(steps[1]).click()
    expect(dots).to_have_attribute("data-remaining", "0")

    # Closing shows ranked results on both screens; promoting the top 1 makes a key moment.
    fac.click("[data-testid=close-round]")
    results = par.locator("[data-testid=results]")
    expect(results).to_be_visible()
    expect(results.locator(".result").first).to_have_attribute("data-target-id", steps[1])
    expect(results.locator(".result").first).to_have_attribute("data-votes", "2")
    expect(results).not_to_contain_text("null")
    fac.locator("[data-testid=results] input[name=count]").fill("1")
    fac.click("[data-testid=promote]")
    expect(par.locator(f".step-head[data-step-id='{steps[1]}']")).to_have_class("step-head key-moment voting")
    assert [s["key_moment"] for s in workshop.snapshot()["steps"]][:3] == [False, True, False]

    # Focus: the facilitator brings everyone to a step and releases it.
    workshop.op("focus.set", step_id=steps[4])
    expect(par.locator(f".step-head[data-step-id='{steps[4]}']")).to_have_class("step-head focused")
    expect(par.locator("[data-testid=focus-chip]")).to_have_text(
        f"◎ Tout le monde sur\u00a0: {snap['steps'][4]['title']}"
    )
    fac.click("[data-testid=release-focus]")
    expect(par.locator("[data-testid=focus-chip]")).to_be_hidden()

    # -- the same two people, then: a secret vote on the ideas, and the editing marks. (One test, one
    # server: the browser suite stays under a minute.)
    lane, step = workshop.cell(0, 0)
    workshop.op("phase.set", phase="selection")
    ideas = [
        workshop.op("card.add", token=nora["token"], lane_id=lane, step_id=step, kind="idea", text=f"Idée {i}")["data"][
            "id"
        ]
        for i in range(3)
    ]
    workshop.op("round.open", target="card", budget=3, secret=True, card_kind="idea")
    expect(par.locator("[data-testid=dots-left]")).to_have_attribute("data-remaining", "3")

    # The editing mark: Nora opens a card's editor; the facilitator sees her name on it, then it goes.
    card = par.locator(f"[data-card-id='{ideas[0]}']")
    card.locator(".card-text").dblclick()
    mark = fac.locator(f"[data-card-id='{ideas[0]}'] [data-testid=editing-mark]")
    expect(mark).to_have_text("✎ Nora")
    card.locator("textarea").press("Escape")
    expect(mark).to_have_count(0)

    # Nora votes; the facilitator sees that someone voted, never for what, and no totals.
    par.locator(f"[data-card-id='{ideas[1]}'] [data-vote=cast]").click()
    par.locator(f"[data-card-id='{ideas[1]}'] [data-vote=cast]").click()
    par.locator(f"[data-card-id='{ideas[2]}'] [data-vote=cast]").click()
    expect(par.locator("[data-testid=dots-left]")).to_have_attribute("data-remaining", "0")
    expect(fac.locator("[data-testid=voters]")).to_have_attribute("data-voters", "1")
    expect(fac.locator("[data-testid=vote-status]")).to_contain_text("secret")
    assert fac.locator("[data-testid=vote-total]").count() == 0
    assert par.locator("[data-testid=vote-total]").count() == 0
    assert fac.locator("[data-testid=vote-box] .my-dots").count() == 0

    # Closed: totals and the ranked results; promoting the top 1 selects that idea.
    fac.click("[data-testid=close-round]")
    expect(fac.locator(f"[data-card-id='{ideas[1]}'] [data-testid=vote-total]")).to_have_attribute("data-votes", "2")
    expect(fac.locator("[data-testid=results] .result")).to_have_count(2)
    fac.locator("[data-testid=results] input[name=count]").fill("1")
    fac.click("[data-testid=promote]")
    expect(par.locator(f"[data-card-id='{ideas[1]}']")).to_have_class("card mine selected")
    expect(par.locator(f"[data-card-id='{ideas[2]}']")).not_to_have_class("selected")

    # Silent writing: the phase's kind comes first in the editor; the card is face down for the others.
    fac.click("[data-action=silent]")
    expect(par.locator("[data-testid=silent-mode]")).to_be_visible()
    cell = par.locator(f"[data-cell][data-lane-id='{lane}'][data-step-id='{step}']")
    cell.locator("[data-action=add-card]").click()
    expect(cell.locator(".card-editor select.kind-select")).to_have_value("idea")
    cell.locator("textarea").fill("Écrite en silence")
    cell.locator("textarea").press("Enter")
    hidden = fac.locator(f"[data-cell][data-lane-id='{lane}'][data-step-id='{step}'] [data-face-down]")
    expect(hidden).to_have_count(1)
    expect(hidden.locator(".card-text")).to_have_text("Carte face cachée")
    expect(fac.locator("[data-action=reveal]")).to_have_text("Révéler (1)")
    expect(par.locator("[data-face-down]")).to_have_attribute("data-face-down", "Face cachée\u00a0: vous seul la voyez")
