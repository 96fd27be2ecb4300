"""The board in real browsers: two people on one board, offline edits, escaping, joining."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import add_card, open_board

pytestmark = pytest.mark.browser

XSS = "<img src=x onerror=alert(1)>"


def cell(page, lane_id, step_id):
    return page.locator(f"[data-cell][data-lane-id='{lane_id}'][data-step-id='{step_id}']")


def test_two_browsers_see_each_others_cards_moves_and_deletions(browser, workshop, live_server):
    camille = workshop.join("Camille", "employee")
    a = open_board(browser, live_server, workshop.map_id, workshop.token)
    b = open_board(browser, live_server, workshop.map_id, camille["token"])
    snap = workshop.snapshot()
    lane0, lane1 = snap["lanes"][0]["id"], snap["lanes"][3]["id"]
    step0, step1 = snap["steps"][0]["id"], snap["steps"][1]["id"]

    # Both see each other online.
    expect(a.locator(f"[data-testid=presence] [data-participant-id='{camille['participant']['id']}']")).to_be_visible()

    # A card written by the facilitator appears on Camille's screen, and the other way round.
    add_card(a, lane0, step0, "Le client cherche le tarif\nsur le site")
    on_b = cell(b, lane0, step0).locator("[data-card-id]")
    expect(on_b).to_have_count(1)
    expect(on_b.locator(".card-text")).to_have_text("Le client cherche le tarif\nsur le site")
    add_card(b, lane1, step1, "Formulaire trop long")
    mine = cell(a, lane1, step1).locator("[data-card-id]")
    expect(mine.locator(".card-text")).to_have_text("Formulaire trop long")
    expect(mine).to_have_attribute("data-kind", "irritant")  # the irritants lane's default kind
    card_id = mine.get_attribute("data-card-id")

    # Camille drags her card to another cell: the facilitator sees it move.
    target = cell(b, lane1, step0)
    b.locator(f"[data-card-id='{card_id}']").drag_to(target.locator(".cards"))
    expect(cell(a, lane1, step0).locator(f"[data-card-id='{card_id}']")).to_be_visible()
    expect(cell(a, lane1, step1).locator("[data-card-id]")).to_have_count(0)

    # Reorder within a cell: a second card, then the first moves below it.
    add_card(b, lane1, step0, "Deuxième irritant")
    expect(cell(a, lane1, step0).locator("[data-card-id]")).to_have_count(2)
    b.locator(f"[data-card-id='{card_id}']").focus()
    b.keyboard.press("Alt+Shift+ArrowDown")
    expect(cell(a, lane1, step0).locator("[data-card-id]").last).to_have_attribute("data-card-id", card_id)

    # Camille edits her card in place, then deletes it: both show on the facilitator's screen.
    card_b = b.locator(f"[data-card-id='{card_id}']")
    card_b.dblclick()
    card_b.locator("textarea").fill("Formulaire bien trop long")
    card_b.locator("textarea").press("Enter")
    expect(a.locator(f"[data-card-id='{card_id}'] .card-text")).to_have_text("Formulaire bien trop long")
    card_b.locator("[data-action=card-menu]").click()
    b.locator("#panel [data-action=delete-card]").click()
    b.locator("[data-testid=confirm] [data-action=confirm]").click()
    expect(a.locator(f"[data-card-id='{card_id}']")).to_have_count(0)
    expect(b.locator(f"[data-card-id='{card_id}']")).to_have_count(0)
    assert all(c["id"] != card_id for c in workshop.snapshot()["cards"])


def test_a_card_written_offline_arrives_once_after_reconnect(browser, workshop, live_server):
    lea = workshop.join("Léa")
    a = open_board(browser, live_server, workshop.map_id, workshop.token)
    b = open_board(browser, live_server, workshop.map_id, lea["token"])
    lane, step = workshop.cell(3, 2)

    b.context.set_offline(True)
    expect(b.locator("[data-testid=connection]")).to_have_attribute("data-state", "offline")
    add_card(b, lane, step, "Écrit hors ligne")
    expect(cell(b, lane, step).locator(".card-text")).to_have_text("Écrit hors ligne")  # shown at once, pending
    a.wait_for_timeout(300)
    expect(cell(a, lane, step).locator("[data-card-id]")).to_have_count(0)

    b.context.set_offline(False)
    expect(b.locator("[data-testid=connection]")).to_have_attribute("data-state", "online")
    expect(cell(a, lane, step).locator(".card-text")).to_have_text("Écrit hors ligne")
    b.wait_for_timeout(500)
    expect(cell(a, lane, step).locator("[data-card-id]")).to_have_count(1)
    expect(cell(b, lane, step).locator("[data-card-id]")).to_have_count(1)
    assert [c["text"] for c in workshop.snapshot()["cards"]] == ["Écrit hors ligne"]


def test_pending_ops_survive_a_reload(browser, workshop, live_server):
    marc = workshop.join("Marc")
    b = open_board(browser, live_server, workshop.map_id, marc["token"])
    lane, step = workshop.cell(0, 1)
    b.evaluate("window.parcours.conn.pause()")  # the socket stops: nothing can be sent
    expect(b.locator("[data-testid=connection]")).to_have_attribute("data-state", "offline")
    add_card(b, lane, step, "Gardé pendant le rechargement")
    assert workshop.snapshot()["cards"] == []
    b.reload()
    expect(b.locator("[data-testid=connection]")).to_have_attribute("data-state", "online")
    expect(cell(b, lane, step).locator("[data-card-id]")).to_have_count(1)
    b.wait_for_timeout(300)
    assert [c["text"] for c in workshop.snapshot()["cards"]] == ["Gardé pendant le rechargement"]


def test_card_text_is_never_html(browser, workshop, live_server):
    sarah = workshop.join("Sarah")
    a = open_board(browser, live_server, workshop.map_id, workshop.token)
    dialogs = []
    a.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    lane, step = workshop.cell(1, 0)
    add_card(a, lane, step, XSS)
    # Also from another author over REST, with a comment of the same text.
    added = workshop.op("card.add", token=sarah["token"], lane_id=lane, step_id=step, kind="verbatim", text=XSS)
    workshop.op("comment.add", target_id=added["data"]["id"], text=XSS)
    b = open_board(browser, live_server, workshop.map_id, sarah["token"])
    b.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    for page in (a, b):
        texts = cell(page, lane, step).locator(".card-text")
        expect(texts).to_have_count(2)
        assert texts.all_text_contents() == [XSS, XSS]
        assert page.locator("#board img").count() == 0
    a.locator(f"[data-card-id='{added['data']['id']}'] [data-action=card-menu]").click()
    expect(a.locator("#panel .comment-text")).to_have_text(XSS)
    assert a.locator("#panel img").count() == 0
    a.wait_for_timeout(300)
    assert dialogs == []


def test_join_page_leads_to_the_board_and_keeps_the_identity(browser, workshop, live_server):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.goto(workshop.answer["join_url"])
    page.fill("input[name=name]", "Julien Roche")
    page.fill("input[name=department]", "Opérations terrain")
    page.select_option("select[name=perspective]", "employee")
    page.click("button[type=submit]")
    page.wait_for_url(f"**/board/{workshop.map_id}")
    expect(page.locator("[data-testid=connection]")).to_have_attribute("data-state", "online")
    people = workshop.api.call("GET", f"/api/workshops/{workshop.id}", workshop.token).json["participants"]
    julien = next(p for p in people if p["name"] == "Julien Roche")
    assert (julien["department"], julien["perspective"]) == ("Opérations terrain", "employee")
    expect(page.locator(f"[data-testid=presence] [data-participant-id='{julien['id']}']")).to_be_visible()

    # A reload, or the join link again, keeps the same person.
    page.reload()
    expect(page.locator(f"[data-testid=presence] [data-participant-id='{julien['id']}']")).to_be_visible()
    page.goto(workshop.answer["join_url"])
    page.click("#continue")
    page.wait_for_url(f"**/board/{workshop.map_id}")
    expect(page.locator(f"[data-testid=presence] [data-participant-id='{julien['id']}']")).to_be_visible()
    people = workshop.api.call("GET", f"/api/workshops/{workshop.id}", workshop.token).json["participants"]
    assert sum(p["name"] == "Julien Roche" for p in people) == 1


def test_facilitator_controls_reach_every_screen(browser, workshop, live_server):
    ines = workshop.join("Inès")
    a = open_board(browser, live_server, workshop.map_id, workshop.token)
    b = open_board(browser, live_server, workshop.map_id, ines["token"])
    lane, step = workshop.cell(0, 0)

    a.select_option("[data-testid=phase-select]", "ideation")
    expect(b.locator("[data-testid=phase]")).to_have_text("Idéation")

    a.click("[data-action=timer]")
    a.fill("[data-testid=timer-dialog] input[name=minutes]", "3")
    a.fill("[data-testid=timer-dialog] input[name=label]", "Écriture silencieuse")
    a.click("[data-testid=timer-dialog] button[value=start]")
    expect(b.locator("[data-testid=timer] .timer-time")).to_have_text("3:00", timeout=3000)
    expect(b.locator("[data-testid=timer] .timer-label")).to_have_text("Écriture silencieuse")

    # A face-down card stays hidden from the others until the facilitator reveals it.
    workshop.op("card.add", token=ines["token"], lane_id=lane, step_id=step, text="Idée secrète", visibility="author")
    expect(cell(a, lane, step).locator(".card-text")).to_have_text("Carte face cachée")
    expect(cell(b, lane, step).locator(".card-text")).to_have_text("Idée secrète")
    a.click("[data-action=reveal]")
    expect(cell(a, lane, step).locator(".card-text")).to_have_text("Idée secrète")

    # Locked: the participant can no longer add cards; unlocked again, she can.
    a.click("[data-action=lock]")
    expect(b.locator("[data-testid=locked]")).to_be_visible()
    expect(cell(b, lane, step).locator("[data-action=add-card]")).to_have_count(0)
    a.click("[data-action=lock]")
    expect(cell(b, lane, step).locator("[data-action=add-card]")).to_have_count(1)

    # Key moment and a new step, seen by the participant.
    step_head = a.locator(f".step-head[data-step-id='{step}']")
    step_head.hover()
    step_head.locator("[data-action=key-moment]").click()
    expect(b.locator(f".step-head[data-step-id='{step}']")).to_have_class("step-head key-moment")


def test_cards_written_while_the_server_is_down_arrive_once_after_it_restarts(browser, workshop, live_server):
    """kill -9 of the real server mid-workshop: the browser keeps what is written, resends it to the
    restarted server with the same op ids, and both screens end with each card exactly once."""
    nora = workshop.join("Nora")
    a = open_board(browser, live_server, workshop.map_id, workshop.token)
    b = open_board(browser, live_server, workshop.map_id, nora["token"])
    lane, step = workshop.cell(1, 1)
    add_card(b, lane, step, "Avant la panne")
    expect(cell(a, lane, step).locator(".card-text")).to_have_text("Avant la panne")

    live_server.kill()
    expect(b.locator("[data-testid=connection]")).to_have_attribute("data-state", "offline", timeout=30_000)
    add_card(b, lane, step, "Pendant la panne")
    add_card(b, lane, step, "Toujours pendant la panne")
    live_server.start()

    for page in (a, b):
        expect(page.locator("[data-testid=connection]")).to_have_attribute("data-state", "online", timeout=30_000)
        expect(cell(page, lane, step).locator(".card-text")).to_have_text(
            ["Avant la panne", "Pendant la panne", "Toujours pendant la panne"], timeout=15_000
        )
    b.wait_for_timeout(500)
    texts = [c["text"] for c in workshop.snapshot()["cards"]]
    assert sorted(texts) == sorted(["Avant la panne", "Pendant la panne", "Toujours pendant la panne"])


def test_an_edit_overtaken_by_someone_else_says_so_and_offers_their_version(browser, workshop, live_server):
    lane, step = workshop.cell(0, 0)
    card = workshop.op("card.add", lane_id=lane, step_id=step, text="Première version")["data"]
    a = open_board(browser, live_server, workshop.map_id, workshop.token)
    a.locator(f"[data-card-id='{card['id']}'] .card-text").dblclick()
    editor = a.locator(f"[data-card-id='{card['id']}'] textarea")
    expect(editor).to_be_focused()
    editor.fill("Ma version")
    workshop.op("card.update", token=workshop.join("Paul")["token"], id=card["id"], text="Version de Paul")
    note = a.locator(f"[data-card-id='{card['id']}'] .card-overtaken")
    expect(note).to_contain_text("Version de Paul")
    note.locator("[data-action=take-theirs]").click()
    expect(editor).to_have_value("Version de Paul")
    expect(note).to_have_count(0)


@pytest.mark.parametrize("live_server", ["threading"], indirect=True)
def test_the_board_also_runs_on_a_threading_server(browser, workshop, live_server):
    """Without eventlet (async_mode threading): the browser connects, and edits reach the other screen."""
    zoe = workshop.join("Zoé")
    a = open_board(browser, live_server, workshop.map_id, workshop.token)
    b = open_board(browser, live_server, workshop.map_id, zoe["token"])
    lane, step = workshop.cell(2, 0)
    add_card(b, lane, step, "Écrit sans eventlet")
    expect(cell(a, lane, step).locator(".card-text")).to_have_text("Écrit sans eventlet")
    add_card(a, lane, step, "Réponse")
    expect(cell(b, lane, step).locator(".card-text")).to_have_text(["Écrit sans eventlet", "Réponse"])
