"""Chantier sheets, the impact/effort matrix, emotion ratings and the mirror, exports — in real browsers."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import open_board, sheet_on_two_screens

pytestmark = pytest.mark.browser


def lane_of(snap, kind):
    return next(lane["id"] for lane in snap["lanes"] if lane["kind"] == kind)


def test_two_browsers_co_edit_one_sheet_and_its_place_in_the_matrix(browser, workshop, live_server):
    sheet_id, (a, sa), (b, sb) = sheet_on_two_screens(browser, live_server, workshop, "Caution remplacée")

    # Camille sits in the objective field, typing, not done yet.
    sb.locator("[data-sheet-field=objective] textarea").fill("Diviser par deux les abandons")
    # The facilitator sees where she is.
    expect(sa.locator("[data-sheet-field=objective] .field-mark")).to_contain_text("Camille")
    expect(sa.locator(".sheet-here")).to_contain_text("Camille")

    # A writes the problem (sent on leaving the field), B the owner (sent on Enter).
    sa.locator("[data-sheet-field=problem] textarea").fill("50 € bloqués sept jours")
    sa.locator("[data-sheet-field=problem] textarea").press("Tab")
    expect(sb.locator("[data-sheet-field=problem] textarea")).to_have_value("50 € bloqués sept jours")
    # What Camille is typing stayed under her hands while the problem arrived.
    expect(sb.locator("[data-sheet-field=objective] textarea")).to_have_value("Diviser par deux les abandons")
    sb.locator("[data-sheet-field=owner] input").fill("Inès Lefèvre")
    sb.locator("[data-sheet-field=owner] input").press("Enter")
    expect(sa.locator("[data-sheet-field=owner] input")).to_have_value("Inès Lefèvre")
    expect(sa.locator("[data-sheet-field=objective] .field-mark")).to_be_empty()

    # The facilitator went through the objective (Tab) without typing: that sent nothing over Camille's text.
    # Lists and scales: a department, a milestone, impact and status, from both sides.
    sa.locator("[data-sheet-field=departments] input").fill("Back office")
    sa.locator("[data-sheet-field=departments] input").press("Enter")
    sb.locator("[data-sheet-field=milestones] .adder input[type=date]").fill("2027-03-01")
    sb.locator("[data-sheet-field=milestones] .adder input[type=text]").fill("Nouveaux écrans")
    sb.locator("[data-sheet-field=milestones] .adder input[type=text]").press("Enter")
    sb.locator("[data-sheet-field=impact] [data-value='4']").click()
    sa.locator(".status-select").select_option("validated")
    expect(sb.locator("[data-sheet-field=departments] .chip")).to_have_text(["Back office✕"])
    expect(sa.locator("[data-sheet-field=milestones] .pair-row:not(.adder) input[type=text]")).to_have_value(
        "Nouveaux écrans"
    )
    expect(sa.locator("[data-sheet-field=impact] [data-value='4']")).to_have_attribute("aria-pressed", "true")
    expect(sb.locator(".status-select")).to_have_value("validated")

    sheet = next(s for s in workshop.snapshot()["chantiers"] if s["id"] == sheet_id)
    assert (sheet["problem"], sheet["owner"], sheet["objective"]) == (
        "50 € bloqués sept jours",
        "Inès Lefèvre",
        "Diviser par deux les abandons",
    )
    assert sheet["departments"] == ["Back office"] and sheet["impact"] == 4 and sheet["status"] == "validated"
    assert sheet["milestones"] == [{"date": "2027-03-01", "label": "Nouveaux écrans"}]

    # The impact/effort matrix: the sheet is a numbered dot at its place, and moves when B re-estimates it.
    workshop.op("chantier.add", title="Pas encore estimée")
    sa.locator("[data-sheet-field=effort] [data-value='2']").click()
    a.click("#sheets [data-tab=matrix]")
    matrix = a.locator("[data-testid=matrix]")
    expect(matrix.locator(f".matrix-cell[data-impact='4'][data-effort='2'] [data-sheet-id='{sheet_id}']")).to_have_text(
        "1"
    )
    expect(matrix.locator(".matrix-dot")).to_have_count(1)  # the other sheet is not estimated yet
    sb.locator("[data-sheet-field=effort] [data-value='5']").click()
    expect(
        matrix.locator(f".matrix-cell[data-impact='4'][data-effort='5'] [data-sheet-id='{sheet_id}']")
    ).to_be_visible()
    matrix.locator(f"[data-sheet-id='{sheet_id}']").click()
    expect(a.locator("#sheets .sheet-title-input")).to_have_value("Caution remplacée")


def test_a_sheet_made_from_an_idea_card(browser, workshop, live_server):
    snap = workshop.snapshot()
    step = snap["steps"][1]
    idea = workshop.op(
        "card.add",
        lane_id=lane_of(snap, "opportunities"),
        step_id=step["id"],
        kind="idea",
        text="Pré-autorisation de 1 € au lieu de la caution",
    )["data"]
    irritant = workshop.op(
        "card.add", lane_id=lane_of(snap, "irritants"), step_id=step["id"], kind="irritant", text="<b>50 €</b> bloqués"
    )["data"]
    other = workshop.op(
        "card.add", lane_id=lane_of(snap, "irritants"), step_id=snap["steps"][2]["id"], kind="irritant", text="Ailleurs"
    )["data"]
    a = open_board(browser, live_server, workshop.map_id, workshop.token)
    a.locator(f"[data-card-id='{idea['id']}'] [data-action=card-menu]").click()
    a.click("#panel [data-action=make-sheet]")

    sheet = a.locator("#sheets [data-testid=sheet]")
    expect(sheet.locator(".sheet-title-input")).to_have_value("Pré-autorisation de 1 € au lieu de la caution")
    expect(sheet.locator("[data-sheet-field=step_ids] .step-chip")).to_have_attribute("data-step-id", step["id"])
    expect(sheet.locator("[data-sheet-field=card_ids] .linked-card")).to_have_count(2)
    expect(sheet.locator(f".linked-card[data-card-id='{irritant['id']}'] .linked-text")).to_have_text(
        "<b>50 €</b> bloqués"
    )
    a.wait_for_timeout(200)
    [made] = workshop.snapshot()["chantiers"]
    assert made["title"] == "Pré-autorisation de 1 € au lieu de la caution"
    assert made["step_ids"] == [step["id"]]
    assert set(made["card_ids"]) == {idea["id"], irritant["id"]} and other["id"] not in made["card_ids"]


def test_an_emotion_rating_moves_the_curve_on_the_other_screen(browser, workshop, live_server):
    nadia = workshop.join("Nadia", "customer")
    julien = workshop.join("Julien", "employee")
    snap = workshop.snapshot()
    lane, step = lane_of(snap, "emotions"), snap["steps"][0]["id"]
    a = open_board(browser, live_server, workshop.map_id, workshop.token)
    b = open_board(browser, live_server, workshop.map_id, nadia["token"])
    cell_a = a.locator(f"[data-cell][data-lane-id='{lane}'][data-step-id='{step}']")
    cell_b = b.locator(f"[data-cell][data-lane-id='{lane}'][data-step-id='{step}']")
    expect(cell_a.locator(".emo-dot")).to_have_count(0)

    cell_b.locator(".emo-face[data-score='2']").click()
    expect(cell_b.locator(".emo-face[data-score='2']")).to_have_attribute("aria-pressed", "true")
    expect(cell_a.locator(".emo-dot.customer")).to_have_attribute("data-average", "2")
    # An employee rates the same step badly: the mirror calls it "pain" on the facilitator's screen.
    workshop.op("emotion.set", token=julien["token"], step_id=step, score=-2)
    expect(cell_a.locator(".emo-dot.employee")).to_have_attribute("data-average", "-2")
    a.click("[data-action=open-mirror]")
    expect(a.locator(f"[data-testid=resonance] [data-category=pain] [data-step-id='{step}']")).to_be_visible()
    expect(a.locator(f"[data-testid=mirror-curves] .emo-dot.customer[data-step-id='{step}']")).to_have_attribute(
        "data-average", "2"
    )
    # Nadia takes her rating back (click it again): her dot goes from both screens.
    cell_b.locator(".emo-face[data-score='2']").click()
    expect(cell_a.locator(".emo-dot.customer")).to_have_count(0)
    expect(cell_b.locator(".emo-face[aria-pressed=true]")).to_have_count(0)
    assert [e for e in workshop.snapshot()["emotions"] if e["perspective"] == "customer"] == []


def test_an_observer_downloads_the_chantier_sheets_pdf(browser, workshop, live_server):
    workshop.op("chantier.add", title="Déverrouiller sans réseau", impact=4, effort=3)
    watcher = workshop.join("Chef de projet", role="observer")
    page = open_board(browser, live_server, workshop.map_id, watcher["token"])
    page.click("[data-action=open-exports]")
    with page.expect_download(timeout=20000) as info:
        page.click("[data-testid=export-menu] [data-export=chantiers]")
    download = info.value
    assert download.suggested_filename.endswith(".pdf") and "chantiers" in download.suggested_filename
    with open(download.path(), "rb") as f:
        assert f.read(5) == b"%PDF-"
    # The token never went into a URL.
    assert "token" not in download.url and watcher["token"] not in download.url
    # An observer reads the curves but cannot rate.
    lane = lane_of(workshop.snapshot(), "emotions")
    expect(page.locator(f"[data-cell][data-lane-id='{lane}'] .emo-face").first).to_be_disabled()


def test_a_workshop_json_imported_from_the_home_page_opens_as_a_new_board(browser, workshop, live_server, tmp_path):
    sheet = workshop.op("chantier.add", title="Fiche à reprendre", owner="Inès", start="2027-05-01")["data"]
    workshop.op("chantier.update", id=sheet["id"], end="2027-01-01")  # before its start: kept, and flagged
    wid = workshop.answer["workshop"]["id"]
    exported = live_server.api("GET", f"/api/workshops/{wid}/export/workshop.json", token=workshop.token)
    assert exported.status_code == 200
    path = tmp_path / "atelier.json"
    path.write_bytes(exported.content)
    # An import needs a facilitator's token: this browser leads a board already.
    page = open_board(browser, live_server, workshop.map_id, workshop.token)
    page.goto(f"{live_server.url}/")
    page.set_input_files("#import-file", str(path))
    page.wait_for_url("**/board/**")
    assert workshop.map_id not in page.url
    expect(page.locator("[data-testid=connection]")).to_have_attribute("data-state", "online")
    expect(page.locator("[data-testid=facilitator-bar], #facilitator-bar")).to_be_visible()  # its facilitator
    page.click("[data-action=open-sheets]")
    expect(page.locator("#sheets .sheet-item .sheet-title")).to_have_text(["Fiche à reprendre"])
    page.click("#sheets .sheet-item")
    expect(page.locator("#sheets [data-testid=dates-inverted]")).to_be_visible()
    expect(page.locator("#sheets [data-testid=dates-inverted]")).to_have_text(
        "La fin est avant le début\u00a0: vérifiez les dates."
    )
