"""Running the room (issue #9) in real browsers: a sheet field edited by two people, the closed phase
and the structure-edits switch, the timer's pause and +1 minute, winners → sheets, the facilitator's
link and co-facilitators, undo / redo."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import open_board, sheet_on_two_screens

pytestmark = pytest.mark.browser


def test_two_people_writing_the_same_sheet_field_both_see_both_texts(browser, workshop, live_server):
    sheet_id, (a, sa), (b, sb) = sheet_on_two_screens(browser, live_server, workshop, "Caution remplacée")
    problem_a = sa.locator("[data-sheet-field=problem] textarea")
    problem_b = sb.locator("[data-sheet-field=problem] textarea")

    # Camille is writing the problem; meanwhile the facilitator writes it too and saves first.
    problem_b.fill("Les clients attendent sept jours")
    problem_a.fill("50 € bloqués")
    problem_a.press("Tab")
    # Camille is told before she saves, and her text stays under her hands.
    expect(sb.locator("[data-sheet-field=problem] [data-testid=sheet-conflict]")).to_contain_text("50 € bloqués")
    expect(problem_b).to_have_value("Les clients attendent sept jours")

    # She saves anyway: the server refuses to replace the facilitator's text; she sees both.
    problem_b.press("Tab")
    note = sb.locator("[data-sheet-field=problem] [data-testid=sheet-conflict]")
    expect(note.locator("[data-part=theirs]")).to_have_text("50 € bloqués")
    expect(note.locator("[data-part=mine]")).to_have_text("Les clients attendent sept jours")
    expect(problem_b).to_have_value("Les clients attendent sept jours")
    expect(problem_a).to_have_value("50 € bloqués")
    sheet = next(s for s in workshop.snapshot()["chantiers"] if s["id"] == sheet_id)
    assert sheet["problem"] == "50 € bloqués"

    # Keeping both: each screen shows both texts.
    note.locator("[data-action=conflict-both]").click()
    both = "50 € bloqués\nLes clients attendent sept jours"
    expect(problem_a).to_have_value(both)
    expect(problem_b).to_have_value(both)
    expect(note).to_be_hidden()

    # Two people on two different fields never get in each other's way.
    sa.locator("[data-sheet-field=risks] textarea").fill("Fraude")
    sb.locator("[data-sheet-field=objective] textarea").fill("Rembourser en 24 h")
    sa.locator("[data-sheet-field=risks] textarea").press("Tab")
    sb.locator("[data-sheet-field=objective] textarea").press("Tab")
    expect(sa.locator("[data-sheet-field=objective] textarea")).to_have_value("Rembourser en 24 h")
    expect(sb.locator("[data-sheet-field=risks] textarea")).to_have_value("Fraude")
    assert b.locator("[data-testid=sheet-conflict]:visible").count() == 0

    # Rows of a list (milestones) edited by both: the same — nothing replaced silently.
    workshop.op("chantier.update", id=sheet_id, milestones=[{"date": "2027-01-15", "label": "Pilote"}])
    label_a = sa.locator("[data-sheet-field=milestones] .pair-row:not(.adder) input[type=text]")
    label_b = sb.locator("[data-sheet-field=milestones] .pair-row:not(.adder) input[type=text]")
    expect(label_b).to_have_value("Pilote")
    label_b.fill("Pilote à Lyon")
    label_a.fill("Pilote à Lille")
    label_a.press("Enter")
    # The facilitator's save is on the server (in B's store of record) before Camille saves hers.
    b.wait_for_function(
        """(id) => (window.parcours.store.state.extra.chantiers || []).some(
        (s) => s.id === id && (s.milestones || []).some((m) => m.label === "Pilote à Lille"))""",
        arg=sheet_id,
    )
    label_b.press("Enter")
    ms_note = sb.locator("[data-sheet-field=milestones] [data-testid=sheet-conflict]")
    expect(ms_note.locator("[data-part=mine]")).to_contain_text("Pilote à Lyon")
    expect(ms_note.locator("[data-part=theirs]")).to_contain_text("Pilote à Lille")
    ms_note.locator("[data-action=conflict-both]").click()
    expect(label_a).to_have_count(2)
    sheet = next(s for s in workshop.snapshot()["chantiers"] if s["id"] == sheet_id)
    assert [m["label"] for m in sheet["milestones"]] == ["Pilote à Lille", "Pilote à Lyon"]


def test_closed_phase_and_facilitator_only_steps_show_on_the_participants_board(browser, workshop, live_server):
    nora = workshop.join("Nora")
    fac = open_board(browser, live_server, workshop.map_id, workshop.token)
    par = open_board(browser, live_server, workshop.map_id, nora["token"])
    expect(par.locator("[data-action=rename-step]").first).to_be_visible()
    expect(par.locator("[data-action=add-step]").first).to_be_visible()

    fac.click("[data-action=structure-edits]")
    expect(fac.locator("[data-action=structure-edits]")).to_have_attribute("aria-pressed", "true")
    expect(par.locator("[data-action=rename-step]")).to_have_count(0)
    expect(par.locator("[data-action=add-step]")).to_have_count(0)
    expect(par.locator("[data-action=add-card]").first).to_be_visible()  # cards stay open
    expect(fac.locator("[data-action=rename-step]").first).to_be_visible()

    fac.locator("[data-testid=phase-select]").select_option("closed")
    expect(par.locator("#banner")).to_have_text("L’atelier est clos\u00a0: la carte est en lecture seule.")
    expect(par.locator("[data-action=add-card]")).to_have_count(0)
    expect(fac.locator("[data-action=add-card]").first).to_be_visible()


def test_the_timer_pauses_resumes_gets_a_minute_more_and_its_sound_is_a_device_choice(browser, workshop, live_server):
    nora = workshop.join("Nora")
    fac = open_board(browser, live_server, workshop.map_id, workshop.token)
    par = open_board(browser, live_server, workshop.map_id, nora["token"])
    fac.click("[data-action=quick-timer][data-minutes='5']")
    expect(par.locator("[data-testid=timer]")).to_be_visible()
    fac.click("[data-action=timer-pause]")
    expect(par.locator("[data-testid=timer]")).to_have_class("timer paused")
    expect(par.locator("[data-testid=timer] .timer-label")).to_contain_text("en pause")
    frozen = par.locator("[data-testid=timer] .timer-time").inner_text()
    assert frozen in ("5:00", "4:59"), frozen
    fac.click("[data-action=timer-extend]")
    expect(par.locator("[data-testid=timer] .timer-time")).to_have_text("6:00" if frozen == "5:00" else "5:59")
    fac.click("[data-action=timer-pause]")  # now "resume"
    expect(par.locator("[data-testid=timer]")).not_to_have_class("timer paused")
    expect(fac.locator("[data-action=timer-pause]")).to_have_attribute("aria-pressed", "false")

    # The sound is off by default, and turning it on is remembered on this device only.
    bell = par.locator("[data-testid=timer-sound]")
    expect(bell).to_have_attribute("aria-pressed", "false")
    bell.click()
    expect(bell).to_have_attribute("aria-pressed", "true")
    par.reload()
    expect(par.locator("[data-testid=timer-sound]")).to_have_attribute("aria-pressed", "true")
    expect(fac.locator("[data-testid=timer-sound]")).to_have_attribute("aria-pressed", "false")
    # A short timer runs out: the chime plays once on the device that asked for it, never on the other.
    workshop.op("timer.start", seconds=2)
    par.wait_for_function("() => window.parcours.sound.played === 1")  # a function: the CSP refuses eval
    expect(par.locator("[data-testid=timer]")).to_have_class("timer over")
    assert fac.evaluate("window.parcours.sound.played") == 0


def test_retained_ideas_become_sheets_in_one_step(browser, workshop, live_server):
    snap = workshop.snapshot()
    lane, step = snap["lanes"][0]["id"], snap["steps"][1]["id"]
    ideas = [
        workshop.op("card.add", lane_id=lane, step_id=step, kind="idea", text=text)["data"]["id"]
        for text in ("Remboursement en 24 h", "Un seul formulaire")
    ]
    round_id = workshop.op("round.open", target="card", budget=2)["data"]["id"]
    nora = workshop.join("Nora")
    for idea in ideas:
        workshop.op("vote.cast", token=nora["token"], round_id=round_id, target_id=idea)
    fac = open_board(browser, live_server, workshop.map_id, workshop.token)
    fac.click("[data-testid=close-round]")
    fac.locator("[data-testid=results] input[name=count]").fill("2")
    fac.click("[data-testid=promote]")
    fac.click("[data-testid=winners-to-sheets] button")
    fac.click("[data-action=open-sheets]")
    expect(fac.locator("#sheets .sheet-item")).to_have_count(2)
    sheets = workshop.snapshot()["chantiers"]
    assert sorted((s["title"], s["step_ids"][0], s["card_ids"][0]) for s in sheets) == sorted(
        [("Remboursement en 24 h", step, ideas[0]), ("Un seul formulaire", step, ideas[1])]
    )


def test_the_facilitator_finds_their_link_promotes_a_co_facilitator_and_revokes_a_leaked_link(
    browser, workshop, live_server
):
    nora = workshop.join("Nora")
    fac = open_board(browser, live_server, workshop.map_id, workshop.token)
    par = open_board(browser, live_server, workshop.map_id, nora["token"])
    # Participants have no Invite dialog and never see a facilitator link.
    expect(par.locator("[data-action=invite]")).to_have_count(0)
    assert workshop.token not in par.content()

    zoe = workshop.join("Zoé")  # joined, not online: listed all the same
    fac.click("[data-action=invite]")
    dialog = fac.locator("[data-testid=invite]")
    expect(dialog.locator("[data-testid=facilitator-link]")).to_have_text(workshop.answer["facilitator_url"])
    expect(
        dialog.locator(f"[data-testid=cofacilitators] li[data-participant-id='{zoe['participant']['id']}']")
    ).to_contain_text("Zoé")

    # Nora becomes co-facilitator: her own board reloads with the facilitator's controls.
    dialog.locator(f"[data-testid=cofacilitators] li[data-participant-id='{nora['participant']['id']}'] button").click()
    expect(par.locator("[data-action=invite]")).to_be_visible()
    expect(par.locator("[data-testid=phase-select]")).to_be_visible()

    # A new facilitator link: the old one stops working, this browser keeps working with the new one.
    dialog.locator("[data-action=renew-facilitator-link]").click()
    fac.locator("[data-testid=confirm] [data-action=confirm]").click()
    expect(dialog.locator("[data-testid=facilitator-link]")).not_to_have_text(workshop.answer["facilitator_url"])
    new_link = dialog.locator("[data-testid=facilitator-link]").inner_text()
    r = live_server.api("GET", f"/api/maps/{workshop.map_id}", token=workshop.token)
    assert r.status_code == 401
    new_token = new_link.split("#token=")[1]
    assert live_server.api("GET", f"/api/maps/{workshop.map_id}", token=new_token).status_code == 200
    dialog.locator("form.dialog-actions button").click()
    expect(fac.locator("[data-testid=connection]")).to_have_attribute("data-state", "online")
    expect(fac.locator("[data-testid=phase-select]")).to_be_visible()

    # A new join code: the old one no longer lets anyone in.
    fac.click("[data-action=invite]")
    dialog = fac.locator("[data-testid=invite]")
    old_code = workshop.code
    dialog.locator("[data-action=renew-join-code]").click()
    fac.locator("[data-testid=confirm] [data-action=confirm]").click()
    expect(dialog.locator(".join-code strong")).not_to_have_text(old_code)
    r = live_server.api("POST", "/api/join", json={"code": old_code, "name": "Intrus"})
    assert r.status_code == 404


def test_undo_and_redo_of_ones_own_changes_reach_every_screen_and_survive_a_reload(browser, workshop, live_server):
    from .conftest import add_card

    nora = workshop.join("Nora")
    fac = open_board(browser, live_server, workshop.map_id, workshop.token)
    par = open_board(browser, live_server, workshop.map_id, nora["token"])
    lane, step = workshop.cell(0, 0)
    add_card(par, lane, step, "Première idée")
    card = fac.locator("[data-card]:has-text('Première idée'), [data-card-id]:has-text('Première idée')").first
    expect(card).to_be_visible()
    card_id = card.get_attribute("data-card-id")

    # Ctrl+Z outside a text field takes the card back, on every screen; Ctrl+Shift+Z brings it back.
    par.locator("body").press("Control+z")
    expect(fac.locator(f"[data-card-id='{card_id}']")).to_have_count(0)
    par.locator("body").press("Control+Shift+z")
    expect(fac.locator(f"[data-card-id='{card_id}'] .card-text")).to_have_text("Première idée")

    # An edit in place, then a reload: the undo stack is still there.
    par.locator(f"[data-card-id='{card_id}'] .card-text").dblclick()
    par.locator(f"[data-card-id='{card_id}'] textarea").fill("Idée réécrite")
    par.locator(f"[data-card-id='{card_id}'] textarea").press("Enter")
    expect(fac.locator(f"[data-card-id='{card_id}'] .card-text")).to_have_text("Idée réécrite")
    par.reload()
    expect(par.locator("[data-testid=connection]")).to_have_attribute("data-state", "online")
    expect(par.locator(f"[data-card-id='{card_id}'] .card-text")).to_have_text("Idée réécrite")
    par.locator("body").press("Control+z")
    expect(fac.locator(f"[data-card-id='{card_id}'] .card-text")).to_have_text("Première idée")

    # A delete offers "undo" in a toast; the card comes back with its id.
    par.locator(f"[data-card-id='{card_id}']").focus()
    par.keyboard.press("Delete")
    par.locator("[data-testid=confirm] [data-action=confirm]").click()
    expect(fac.locator(f"[data-card-id='{card_id}']")).to_have_count(0)
    par.locator("[data-testid=undo-toast] button").click()
    expect(fac.locator(f"[data-card-id='{card_id}'] .card-text")).to_have_text("Première idée")

    # Someone else's later edit is never overwritten by an undo.
    workshop.op("card.update", id=card_id, text="Corrigée par l'animateur")
    expect(par.locator(f"[data-card-id='{card_id}'] .card-text")).to_have_text("Corrigée par l'animateur")
    par.locator("body").press("Control+z")
    expect(par.locator(".toast-error")).to_contain_text("Impossible d’annuler")
    expect(fac.locator(f"[data-card-id='{card_id}'] .card-text")).to_have_text("Corrigée par l'animateur")


def test_undoing_a_delete_brings_back_what_everyone_saw(browser, workshop, live_server):
    """A card deleted with a comment on it comes back with the comment (toast, then Ctrl+Z), for the
    other participant too and after a reload; a deleted lane comes back with its cards."""
    from .conftest import add_card

    nora, lea = workshop.join("Nora"), workshop.join("Léa")
    fac = open_board(browser, live_server, workshop.map_id, workshop.token)
    par = open_board(browser, live_server, workshop.map_id, nora["token"])
    other = open_board(browser, live_server, workshop.map_id, lea["token"])
    lane, step = workshop.cell(0, 0)
    add_card(par, lane, step, "Caution trop longue")
    card = other.locator("[data-card-id]:has-text('Caution trop longue')")
    expect(card).to_be_visible()
    card_id = card.get_attribute("data-card-id")
    workshop.op("comment.add", token=lea["token"], target_id=card_id, text="Sept jours, vécu")
    on_other = other.locator(f"[data-card-id='{card_id}'] .card-comments")
    expect(on_other).to_have_text("❝ 1")

    def delete_it():
        par.locator(f"[data-card-id='{card_id}']").focus()
        par.keyboard.press("Delete")
        par.locator("[data-testid=confirm] [data-action=confirm]").click()
        expect(other.locator(f"[data-card-id='{card_id}']")).to_have_count(0)

    # The toast's "undo": the card and its comment, on Léa's screen.
    delete_it()
    par.locator("[data-testid=undo-toast] button").click()
    expect(on_other).to_have_text("❝ 1")
    expect(other.locator(f"[data-card-id='{card_id}'] .card-text")).to_have_text("Caution trop longue")

    # Ctrl+Z, after Nora reloaded between the delete and the undo.
    delete_it()
    par.reload()
    expect(par.locator("[data-testid=connection]")).to_have_attribute("data-state", "online")
    par.locator("body").press("Control+z")
    expect(on_other).to_have_text("❝ 1")
    other.reload()
    expect(other.locator(f"[data-card-id='{card_id}'] .card-comments")).to_have_text("❝ 1")
    comments = [c["text"] for c in workshop.snapshot()["comments"] if c["target_id"] == card_id]
    assert comments == ["Sept jours, vécu"]

    # The facilitator deletes a whole lane by mistake: the toast brings it back with its card.
    fac.locator(f".lane-head[data-lane-id='{lane}']").hover()
    fac.locator(f".lane-head[data-lane-id='{lane}'] [data-action=delete-lane]").click()
    fac.locator("[data-testid=confirm] [data-action=confirm]").click()
    expect(other.locator(f"[data-card-id='{card_id}']")).to_have_count(0)
    expect(fac.locator("[data-testid=undo-toast]")).to_contain_text("Ligne supprimée")
    fac.locator("[data-testid=undo-toast] button").click()
    expect(other.locator(f"[data-card-id='{card_id}'] .card-comments")).to_have_text("❝ 1")
    assert workshop.snapshot()["lanes"][0]["id"] == lane


HEADER = """() => {
    const sel = ['.brand', '.titles', '#timer', '.facilitator-bar', '.presence', '.connection', '.shortcuts-btn', '.langs'];
    const els = [...document.querySelectorAll(sel.map((s) => `#topbar ${s}`).join(', '))]
      .filter((el) => el.offsetParent !== null && el.getBoundingClientRect().width > 0);
    const out = [];
    for (let i = 0; i < els.length; i++) for (let j = i + 1; j < els.length; j++) {
        const a = els[i].getBoundingClientRect(), b = els[j].getBoundingClientRect();
        if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1)
            out.push(`${els[i].className} × ${els[j].className}`);
    }
    for (const el of els) if (el.getBoundingClientRect().right > innerWidth + 1) out.push(`${el.className} off screen`);
    return out;
}"""


@pytest.mark.parametrize("size", [(1280, 720), (1366, 768), (1920, 1080)])
def test_the_facilitators_header_with_a_timer_running_fits_a_laptop(browser, workshop, live_server, size):
    """With the room controls and a running timer, the header once ran past 1366 px: the timer covered
    the workshop's title and the language switch was cut. Now nothing overlaps, the title shows, and
    every tool can be reached (the tools' row scrolls sideways when it must)."""
    fac = open_board(browser, live_server, workshop.map_id, workshop.token, viewport=size)
    workshop.op("timer.start", seconds=300, label="Irritants, côté client")
    expect(fac.locator("[data-testid=timer]")).to_be_visible()
    assert fac.evaluate(HEADER) == []
    assert fac.locator("#topbar .board-title").bounding_box()["width"] >= 80
    assert fac.evaluate("() => document.getElementById('topbar').scrollWidth") <= size[0]
    for action in ("invite", "timer"):
        tool = fac.locator(f".facilitator-bar [data-action={action}]")
        tool.scroll_into_view_if_needed()
        b = tool.bounding_box()
        assert b["x"] >= 0 and b["x"] + b["width"] <= size[0] + 0.5, action
    projector = fac.locator(".facilitator-bar a[href^='/present/']")
    projector.scroll_into_view_if_needed()
    assert projector.bounding_box()["x"] + projector.bounding_box()["width"] <= size[0] + 0.5
    fac.context.close()


def test_the_export_menu_speaks_the_language_the_board_is_read_in(browser, workshop, live_server):
    """A French workshop read with the English board: its report comes in English, file name included."""
    page = open_board(browser, live_server, workshop.map_id, workshop.token)
    page.goto(f"{live_server.url}/board/{workshop.map_id}?lang=en#token={workshop.token}")
    expect(page.locator("[data-testid=connection]")).to_have_attribute("data-state", "online")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.click("[data-action=open-exports]")
    with page.expect_download(timeout=30000) as info:
        page.click("[data-testid=export-menu] [data-export=report]")
    name = info.value.suggested_filename
    assert "-report-" in name and "compte-rendu" not in name, name
    page.goto(f"{live_server.url}/board/{workshop.map_id}?lang=fr#token={workshop.token}")
    expect(page.locator("[data-testid=connection]")).to_have_attribute("data-state", "online")
    page.click("[data-action=open-exports]")
    with page.expect_download(timeout=30000) as info:
        page.click("[data-testid=export-menu] [data-export=report]")
    assert "compte-rendu" in info.value.suggested_filename
    page.context.close()
