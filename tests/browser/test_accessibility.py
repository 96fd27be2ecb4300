"""WCAG 2.1 AA (RGAA) checks with axe-core, the reference engine (npm devDependency, injected into each
page): every page and state a person meets, at a phone, a laptop and a projector size, must show zero
violations of any impact. One demo server for the module; pages are reused from state to state."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.api import Api
from tests.conftest import need
from tests.server import ROOT, Server, demo_server

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SIZES = [(390, 844), (1366, 768), (1920, 1080)]
# Every rule axe runs by default (WCAG 2.0/2.1 A and AA, best practices), none switched off.
RUN = "async () => (await axe.run(document, {resultTypes: ['violations']})).violations.map((v) => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 4).map((n) => n.target.join(' '))}))"


@pytest.fixture(scope="module")
def demo(browser) -> Iterator[tuple[Server, dict[str, Any]]]:
    need(AXE.exists(), f"axe-core missing at {AXE} (run `make setup`: npm ci)")
    with demo_server() as (server, links):
        api = Api(server.url)
        links["participant"] = api.join(links["join_code"], "Nadia Petit", perspective="customer")
        links["observer"] = api.join(links["join_code"], "Olivier Observe", role="observer")
        yield server, links


def axe(page: Any, state: str, found: dict[str, list[str]]) -> None:
    """Run axe on the page as it is now; its violations go into `found` under `state`."""
    if not page.evaluate("() => !!window.axe"):
        # Evaluated by the browser's debugger protocol, which the pages' Content-Security-Policy does not
        # govern (a <script> tag would be refused, as it should be for anything else).
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;true")
    for v in page.evaluate(RUN):
        found.setdefault(state, []).append(f"{v['id']} ({v['impact']}): {v['help']} — {v['nodes']}")


def op(server: Server, links: dict[str, Any], type_: str, **fields: Any) -> dict[str, Any]:
    return Api(server.url).ok(links["facilitator_token"], links["map_id"], type_, **fields)


def board(context: Any, server: Server, map_id: str, token: str, path: str = "board") -> Any:
    page = context.new_page()
    page.goto(f"{server.url}/{path}/{map_id}#token={token}")
    expect(page.locator("[data-testid=connection]")).to_have_attribute("data-state", "online")
    expect(page.locator("[data-card-id]").first).to_be_visible()
    page.wait_for_timeout(300)  # the last frame of the first render
    return page


def report(found: dict[str, list[str]]) -> str:
    return "\n".join(f"{state}:\n  " + "\n  ".join(lines) for state, lines in found.items())


def close_dialog(page: Any) -> None:
    page.keyboard.press("Escape")
    expect(page.locator("dialog[open]")).to_have_count(0)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_page_and_state_has_no_axe_violation(browser, demo, size):
    server, links = demo
    map_id = links["map_id"]
    found: dict[str, list[str]] = {}
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    try:
        page = context.new_page()
        page.goto(f"{server.url}/")
        axe(page, "home", found)
        page.goto(f"{server.url}/join/{links['join_code']}")
        axe(page, "join", found)
        page.close()

        # The facilitator's board and everything it opens.
        fac = board(context, server, map_id, links["facilitator_token"])
        axe(fac, "board, facilitator", found)
        # Nothing by colour alone: every card on screen writes its kind out.
        unlabelled = fac.evaluate("""() => [...document.querySelectorAll('[data-card-id]')].filter((c) => {
            const kind = c.querySelector('.card-kind');
            return !kind || !kind.textContent.trim() || kind.getBoundingClientRect().width < 20; }).length""")
        if unlabelled:
            found.setdefault("card kinds", []).append(f"{unlabelled} card(s) show their kind by colour only")
        cell = fac.locator("[data-cell]").nth(1)
        cell.locator("[data-action=add-card]").click()
        expect(cell.locator("textarea")).to_be_focused()
        axe(fac, "card editor open", found)
        cell.locator("textarea").press("Escape")
        card = fac.locator("[data-card-id]").first
        card.focus()
        card.press(" ")
        expect(fac.locator("#panel")).to_be_visible()
        axe(fac, "card details panel", found)
        fac.locator("#panel [data-action=delete-card]").click()
        expect(fac.locator("[data-testid=confirm]")).to_be_visible()
        axe(fac, "confirm dialog", found)
        close_dialog(fac)  # Escape also closes the panel behind
        expect(fac.locator("#panel")).to_be_hidden()
        for action, state in [("invite", "invite dialog"), ("timer", "timer dialog"), ("open-round", "vote dialog")]:
            button = fac.locator(f"[data-action={action}]")
            if not button.is_visible():  # a phone's top bar may fold some tools away
                button.evaluate("(b) => b.click()")
            else:
                button.click()
            expect(fac.locator("dialog[open]")).to_be_visible()
            axe(fac, state, found)
            close_dialog(fac)
        fac.locator("[data-cell]").first.focus()
        fac.keyboard.press("?")
        expect(fac.locator("[data-testid=shortcuts]")).to_be_visible()
        axe(fac, "shortcuts sheet", found)
        close_dialog(fac)
        fac.locator("[data-action=open-sheets]").click()
        expect(fac.locator("#sheets")).to_be_visible()
        axe(fac, "sheets drawer", found)
        fac.locator("#sheets .sheet-item").first.click()
        expect(fac.locator("#sheets [data-testid=sheet]")).to_be_visible()
        axe(fac, "one chantier sheet", found)
        fac.locator("#sheets [data-tab=matrix]").dispatch_event("click")
        axe(fac, "impact/effort matrix", found)
        fac.locator("#sheets [data-tab=mirror]").dispatch_event("click")
        expect(fac.locator("[data-testid=mirror-curves]")).to_be_visible()
        axe(fac, "mirror panel", found)
        fac.locator("#sheets [data-action=close-sheets]").dispatch_event("click")
        fac.locator("[data-action=open-exports]").dispatch_event("click")
        expect(fac.locator("[data-testid=export-menu]")).to_be_visible()
        axe(fac, "export menu", found)
        fac.keyboard.press("Escape")

        # A participant while a vote is open, then its results; an observer; the projector.
        part = board(context, server, map_id, links["participant"]["token"])
        round_ = op(server, links, "round.open", target="card", budget=3, card_kind="idea", secret=False)
        expect(part.locator("[data-testid=vote-status]")).to_be_visible()
        part.locator("[data-vote=cast]").first.click()
        expect(part.locator("[data-testid=dots-left]")).to_have_attribute("data-remaining", "2")
        axe(part, "board, participant, vote open", found)
        op(server, links, "round.close", id=round_["id"])
        expect(part.locator("[data-testid=results]")).to_be_visible()
        axe(part, "vote results panel", found)
        op(server, links, "timer.start", seconds=600, label="Irritants")
        op(server, links, "board.lock", locked=True)
        expect(part.locator("#banner")).to_be_visible()
        expect(part.locator("[data-testid=timer]")).to_be_visible()
        axe(part, "board locked, timer running", found)
        op(server, links, "board.lock", locked=False)
        op(server, links, "timer.stop")
        obs = board(context, server, map_id, links["observer"]["token"])
        axe(obs, "board, observer", found)
        present = board(context, server, map_id, links["facilitator_token"], path="present")
        axe(present, "projector view", found)
    finally:
        context.close()
    assert not found, "axe-core violations:\n" + report(found)


def test_the_respondents_listening_page_has_no_axe_violation(browser, demo):
    """The respondent's page (issue #10, CONTRACT §7) once the route exists."""
    server, links = demo
    r = server.api(
        "POST", f"/api/maps/{links['map_id']}/listenings", token=links["facilitator_token"], json={"title": "Vague 1"}
    )
    if r.status_code in (404, 405):
        pytest.skip("no listening pages yet (/api/maps/{mid}/listenings answers 404): the check runs once they exist")
    assert r.status_code == 201, r.text
    code = r.json()["listening"]["codes"]["customer"]
    found: dict[str, list[str]] = {}
    for width, height in SIZES:
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        page.goto(f"{server.url}/listen/{code}")
        expect(page.locator("[data-step-id]").first).to_be_visible()
        axe(page, f"listening page {width}x{height}", found)
        context.close()
    assert not found, "axe-core violations:\n" + report(found)


def test_at_200_percent_zoom_the_board_reflows_and_stays_usable(browser, demo):
    """1366×768 at 200 %: a 683×384 CSS-pixel viewport. The page itself never scrolls sideways (only the
    board inside it does), the skip link reaches the grid, and a card can be written there."""
    server, links = demo
    context = browser.new_context(viewport={"width": 683, "height": 384}, device_scale_factor=2)
    try:
        page = board(context, server, links["map_id"], links["participant"]["token"])
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the page scrolls sideways by {overflow}px at 200 %"
        found: dict[str, list[str]] = {}
        axe(page, "board at 200 %", found)
        assert not found, report(found)
        page.keyboard.press("Tab")
        expect(page.locator(".skip-link")).to_be_focused()
        page.keyboard.press("Enter")
        active = page.locator("#board [data-cell]:focus")
        expect(active).to_have_count(1)
        page.keyboard.press("Enter")
        textarea = page.locator("#board [data-cell] .card-editor textarea")
        expect(textarea).to_be_focused()
        assert textarea.evaluate(
            "(t) => { const r = t.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth; }"
        )
        textarea.press("Escape")
    finally:
        context.close()


def test_with_reduced_motion_nothing_moves(browser, demo):
    server, links = demo
    context = browser.new_context(viewport={"width": 1366, "height": 768}, reduced_motion="reduce")
    try:
        page = board(context, server, links["map_id"], links["participant"]["token"])
        op(server, links, "timer.start", seconds=5)
        expect(page.locator("#timer.ending")).to_be_visible()
        duration = page.evaluate("() => getComputedStyle(document.querySelector('#timer')).animationDuration")
        assert float(duration.rstrip("ms").rstrip("s") or 0) < 0.01 or duration.endswith("ms"), duration
        assert page.evaluate("() => getComputedStyle(document.querySelector('#timer')).animationIterationCount") == "1"
        op(server, links, "timer.stop")
    finally:
        context.close()


def test_others_changes_are_announced_politely_and_sparingly(browser, workshop, live_server):
    """The live region says a new card in the cell one is on, a vote that opens, the timer's last minute;
    cards written elsewhere are not announced, and a burst in one's cell is said as a count."""
    from .conftest import open_board

    lea = workshop.join("Léa")
    page = open_board(browser, live_server, workshop.map_id, lea["token"])
    live = page.locator("[data-testid=announcer]")
    expect(live).to_have_attribute("aria-live", "polite")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the skip link: on the first cell
    lane, step = workshop.cell(0, 0)
    other_lane, other_step = workshop.cell(2, 3)
    expect(page.locator(f"[data-cell][data-lane-id='{lane}'][data-step-id='{step}']")).to_be_focused()

    workshop.op("card.add", lane_id=other_lane, step_id=other_step, text="Ailleurs")
    workshop.op("card.add", lane_id=lane, step_id=step, text="Le client hésite")
    expect(live).to_have_text(re.compile(r"Nouvelle carte de .+ ici\s?: Le client hésite"))
    assert "Ailleurs" not in live.text_content()

    for i in range(4):
        workshop.op("card.add", lane_id=lane, step_id=step, text=f"Rafale {i}")
    expect(live).to_have_text(re.compile(r"\d nouvelles cartes ici"))

    workshop.op("round.open", target="step", budget=3, secret=False)
    expect(live).to_contain_text("le vote est ouvert")
    workshop.op("timer.start", seconds=45)
    expect(live).to_contain_text("Plus qu’une minute")
