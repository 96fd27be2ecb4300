"""Mirror listening in Chromium: a phone-sized respondent answers; the facilitator's board follows live."""

from __future__ import annotations

import re
import time

import pytest

pytestmark = pytest.mark.browser

from playwright.sync_api import expect  # noqa: E402

from .conftest import open_board  # noqa: E402


def test_a_phone_sized_respondent_answers_and_the_board_shows_the_count_and_the_curve_move(
    browser, workshop, live_server
):
    board = open_board(browser, live_server, workshop.map_id, workshop.token)
    board.click("[data-action=open-mirror]")
    panel = board.locator("[data-testid=listening-panel]")
    expect(panel).to_be_visible()
    panel.locator("input[name=lst-title]").fill("Vague 1")
    panel.locator("input[name=lst-invited-customer]").fill("10")
    panel.locator("[data-action=create-listening]").click()
    expect(panel.locator("[data-testid=listening-count-customer]")).to_have_text("0")
    url = panel.locator("[data-testid=listening-url-customer]").input_value()
    expect(panel.locator("img.qr").first).to_be_visible()

    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = phone.new_page()
    page.goto(url)
    steps = workshop.snapshot()["steps"]
    first = steps[0]["id"]
    block = page.locator(f"[data-step-id='{first}']")
    expect(block).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling on a phone
    block.locator(f"input[name='score-{first}'][value='-2']").check(force=True)
    page.locator(f"input[name='important-{first}']").check()
    page.locator(f"textarea[name='verbatim-{first}']").fill("=Attente interminable")
    # Keyboard only on the second step: the faces are one radio group, arrows move the choice.
    second = steps[1]["id"]
    page.locator(f"input[name='score-{second}'][value='-2']").focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")
    expect(page.locator(f"input[name='score-{second}'][value='-1']")).to_be_checked()
    expect(page.get_by_role("group", name=steps[1]["title"])).to_be_visible()  # the fieldset's legend names it
    page.locator("[data-action=listen-submit]").click()
    expect(page.locator("[data-testid=thanks]")).to_be_visible()

    # Without a reload, the board's counter and the survey curve move.
    expect(panel.locator("[data-testid=listening-count-customer]")).to_have_text("1")
    dot = panel.locator(f"[data-testid=survey-dot][data-side=customer][data-step-id='{first}']")
    expect(dot).to_have_attribute("data-average", "-2")
    expect(panel.locator("[data-testid=listening-verbatims]")).to_contain_text("=Attente interminable")

    # Reopened on the same device, the page shows the saved answers.
    page.reload()
    expect(page.locator(f"input[name='score-{first}'][value='-2']")).to_be_checked()
    expect(page.locator(f"textarea[name='verbatim-{first}']")).to_have_value("=Attente interminable")

    # Closed: the respondent's page says so, clearly.
    panel.locator("[data-action=toggle-listening]").click()
    expect(panel.locator("[data-testid=listening-status]")).to_have_text("Close")
    page.reload()
    expect(page.locator("[data-testid=listen-status]")).to_be_visible()
    expect(page.locator("#listen-form")).to_be_hidden()
    phone.close()
    board.context.close()


def test_a_wrong_listening_code_gets_a_clear_page(browser, live_server):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    response = page.goto(f"{live_server.url}/listen/NOSUCHCODE")
    assert response.status == 404
    expect(page.locator("main")).to_contain_text(re.compile("lien d’écoute|listening link"))
    context.close()


def test_the_facilitator_shows_a_hidden_verbatim_again_and_edits_the_invited_counts(browser, workshop, live_server):
    import uuid

    li = live_server.api(
        "POST",
        f"/api/maps/{workshop.map_id}/listenings",
        token=workshop.token,
        json={"title": "Vague 2", "invited": {"customer": 10, "employee": 4}},
    ).json()["listening"]
    first = workshop.snapshot()["steps"][0]["id"]
    for text in ("Accueil glacial", "Très bon conseil"):
        r = live_server.api(
            "PUT",
            f"/api/listen/{li['codes']['customer']}/responses/{uuid.uuid4()}",
            json={"answers": [{"step_id": first, "score": 1, "verbatim": text}]},
        )
        assert r.status_code == 201, r.text
    results = live_server.api("GET", f"/api/listenings/{li['id']}", token=workshop.token).json()["results"]
    cold = next(v for v in results["verbatims"] if v["text"] == "Accueil glacial")
    assert (
        live_server.api(
            "PATCH", f"/api/listenings/{li['id']}/verbatims/{cold['id']}", token=workshop.token, json={"hidden": True}
        ).status_code
        == 200
    )

    board = open_board(browser, live_server, workshop.map_id, workshop.token)
    board.click("[data-action=open-mirror]")
    panel = board.locator("[data-testid=listening-panel]")
    visible = panel.locator("[data-testid=listening-verbatims]")
    expect(visible).to_contain_text("Très bon conseil")
    expect(visible).not_to_contain_text("Accueil glacial")

    # The hidden one is listed apart, for the facilitator only, with a button that shows it again.
    panel.locator("[data-action=show-hidden-verbatims]").click()
    hidden = panel.locator("[data-testid=listening-hidden-verbatims]")
    expect(hidden).to_contain_text("Accueil glacial")
    hidden.locator(f"[data-verbatim-id='{cold['id']}'] [data-action=unhide-verbatim]").click()
    expect(visible).to_contain_text("Accueil glacial")
    expect(panel.locator("[data-testid=listening-hidden-verbatims]")).to_have_count(0)
    again = live_server.api("GET", f"/api/listenings/{li['id']}", token=workshop.token).json()["results"]
    assert "Accueil glacial" in [v["text"] for v in again["verbatims"]]

    # The invited counts are edited after creation; the participation follows (2 responses of 40: 5 %).
    customer_part = panel.locator(".lst-silo[data-silo=customer] .lst-part").first
    expect(customer_part).to_contain_text(re.compile(r"20\s?%"))
    form = panel.locator("[data-testid=listening-invited]")
    expect(form.locator("input[name=lst-edit-invited-customer]")).to_have_value("10")
    form.locator("input[name=lst-edit-invited-customer]").fill("40")
    form.locator("input[name=lst-edit-invited-employee]").fill("")
    form.locator("[data-action=save-invited]").click()
    # A save and a fetch of the results, on a CI machine running two test workers: more than 5 s at times.
    expect(customer_part).to_contain_text(re.compile(r"5\s?%"), timeout=15_000)
    # The page may redraw from its own answer a moment before another reader sees the commit: ask until then.
    deadline = time.monotonic() + 10
    while True:
        listening = live_server.api("GET", f"/api/listenings/{li['id']}", token=workshop.token).json()["listening"]
        if listening["invited"] == {"customer": 40, "employee": None} or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert listening["invited"] == {"customer": 40, "employee": None}

    # A participant sees neither the hidden list nor the form.
    joined = live_server.api("POST", "/api/join", json={"code": workshop.answer["join_code"], "name": "Zoé"}).json()
    member = open_board(browser, live_server, workshop.map_id, joined["token"])
    member.click("[data-action=open-mirror]")
    member_panel = member.locator("[data-testid=listening-panel]")
    expect(member_panel.locator("[data-testid=listening-verbatims]")).to_contain_text("Accueil glacial")
    expect(member_panel.locator("[data-testid=listening-invited]")).to_have_count(0)
    expect(member_panel.locator("[data-action=unhide-verbatim]")).to_have_count(0)
    member.context.close()
    board.context.close()


def test_a_busy_server_makes_the_respondents_page_save_again_after_retry_after(browser, workshop, live_server):
    """The server answers 429 with Retry-After when its saves are full (workshop/listening/limits.py):
    the page sends the same PUT again after the wait, and the respondent only sees the thanks."""
    li = live_server.api(
        "POST", f"/api/maps/{workshop.map_id}/listenings", token=workshop.token, json={"title": "Vague 3"}
    ).json()["listening"]
    first = workshop.snapshot()["steps"][0]["id"]
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    puts = []

    def busy_once(route, request):
        if request.method != "PUT":
            route.continue_()
            return
        puts.append(request.post_data)
        if len(puts) == 1:
            route.fulfill(
                status=429,
                headers={"Retry-After": "1", "Content-Type": "application/json"},
                body='{"error": {"code": "rate_limited", "message": "the server is busy"}}',
            )
        else:
            route.continue_()

    page.route("**/api/listen/*/responses/*", busy_once)
    page.goto(li["urls"]["customer"])
    page.locator(f"input[name='score-{first}'][value='1']").check(force=True)
    page.locator("[data-action=listen-submit]").click()
    expect(page.locator("[data-testid=thanks]")).to_be_visible(timeout=10_000)
    assert len(puts) == 2 and puts[0] == puts[1]  # the same body, sent again
    results = live_server.api("GET", f"/api/listenings/{li['id']}", token=workshop.token).json()["results"]
    assert results["silos"]["customer"]["responses"] == 1
    context.close()
