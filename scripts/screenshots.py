"""Screenshots of the board for docs/screenshots/: `make screenshots` (or `.venv/bin/python -m scripts.screenshots`).

Builds the demo workshop in a throw-away SQLite database, serves it with the real `run.py`, and
photographs the pages at 1366×768 (a laptop), 1920×1080 (a projector) and 390×844 (a phone: a
participant, and the facilitator's room controls) with Debian's Chromium.
"""

from __future__ import annotations

import sys
import uuid

from playwright.sync_api import expect, sync_playwright

from tests.browser.conftest import ARGS, CHROMIUM
from tests.server import ROOT, Server, demo_server

OUT = ROOT / "docs" / "screenshots"
SIZES = [(1366, 768), (1920, 1080)]


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with demo_server() as (server, demo):
        shoot(server, demo)
    return 0


def shoot(server: Server, demo: dict) -> None:
    map_id, token = demo["map_id"], demo["facilitator_token"]
    joined = server.api(
        "POST",
        "/api/join",
        json={
            "code": demo["join_code"],
            "name": "Nadia Petit",
            "department": "Agence de Lyon",
            "perspective": "customer",
        },
    ).json()
    # A running exercise, as during a real diagnostic phase.
    server.api(
        "POST",
        f"/api/maps/{map_id}/ops",
        token=token,
        json={"op_id": str(uuid.uuid4()), "type": "timer.start", "seconds": 600, "label": "Irritants, côté client"},
    )
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for width, height in SIZES:
            size = f"{width}x{height}"
            page = browser.new_context(viewport={"width": width, "height": height}).new_page()
            page.goto(f"{server.url}/board/{map_id}#token={token}")
            expect(page.locator("[data-testid=connection]")).to_have_attribute("data-state", "online")
            page.wait_for_timeout(400)
            page.screenshot(path=OUT / f"board-facilitator-{size}.png")

            other = browser.new_context(viewport={"width": width, "height": height}).new_page()
            other.goto(f"{server.url}/board/{map_id}#token={joined['token']}")
            expect(other.locator("[data-testid=connection]")).to_have_attribute("data-state", "online")
            card = other.locator("[data-card-id][data-kind=irritant]").first
            card.locator("[data-action=card-menu]").click()
            cell = other.locator("[data-cell]").nth(1)
            cell.locator("[data-action=add-card]").click()
            cell.locator("textarea").fill("Je ne sais pas où trouver le tarif à la minute")
            other.wait_for_timeout(300)
            other.screenshot(path=OUT / f"board-participant-{size}.png")

            present = browser.new_context(viewport={"width": width, "height": height}).new_page()
            present.goto(f"{server.url}/present/{map_id}#token={token}")
            expect(present.locator("[data-testid=connection]")).to_have_attribute("data-state", "online")
            present.wait_for_timeout(400)
            present.screenshot(path=OUT / f"present-{size}.png")
            for ctx_page in (page, other, present):
                ctx_page.context.close()

        # A participant on a phone (390×844): the board, writing a card, the sheets drawer.
        phone = browser.new_context(
            viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, device_scale_factor=2
        ).new_page()
        phone.goto(f"{server.url}/board/{map_id}#token={joined['token']}")
        expect(phone.locator("[data-testid=connection]")).to_have_attribute("data-state", "online")
        phone.wait_for_timeout(400)
        phone.screenshot(path=OUT / "board-phone-390x844.png")
        cell = phone.locator("[data-cell]").nth(1)
        cell.locator("[data-action=add-card]").tap()
        cell.locator("textarea").fill("Je ne trouve pas le tarif à la minute")
        phone.wait_for_timeout(300)
        phone.screenshot(path=OUT / "board-phone-editor-390x844.png")
        phone.keyboard.press("Escape")
        phone.locator("[data-action=open-sheets]").tap()
        phone.wait_for_timeout(300)
        phone.screenshot(path=OUT / "sheets-phone-390x844.png")
        phone.context.close()

        # The facilitator on a phone: the room controls (timer, pause, +1 min, bell), then the Invite
        # dialog with their own link, new link / new code and co-facilitators.
        lead_phone = browser.new_context(
            viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, device_scale_factor=2
        ).new_page()
        lead_phone.goto(f"{server.url}/board/{map_id}#token={token}")
        expect(lead_phone.locator("[data-testid=connection]")).to_have_attribute("data-state", "online")
        lead_phone.wait_for_timeout(400)
        lead_phone.screenshot(path=OUT / "board-facilitator-390x844.png")
        lead_phone.locator("[data-action=invite]").scroll_into_view_if_needed()
        lead_phone.locator("[data-action=invite]").tap()
        expect(lead_phone.locator("[data-testid=facilitator-section]")).to_be_visible()
        lead_phone.locator("[data-testid=facilitator-section]").scroll_into_view_if_needed()
        lead_phone.wait_for_timeout(300)
        lead_phone.screenshot(path=OUT / "invite-390x844.png")
        lead_phone.context.close()

        # The facilitator leads the room's view: zoomed in, "follow me" on; a participant follows.
        lead = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
        lead.goto(f"{server.url}/board/{map_id}#token={token}")
        expect(lead.locator("[data-testid=connection]")).to_have_attribute("data-state", "online")
        follower = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
        follower.goto(f"{server.url}/board/{map_id}#token={joined['token']}")
        expect(follower.locator("[data-testid=connection]")).to_have_attribute("data-state", "online")
        lead.click("[data-testid=zoom-out]")
        lead.click("[data-testid=zoom-out]")
        lead.click("[data-testid=follow-me]")
        expect(follower.locator("[data-testid=following]")).to_be_visible()
        follower.wait_for_timeout(3800)  # the toasts fade
        follower.screenshot(path=OUT / "board-following-1366x768.png")
        lead.context.close()
        follower.context.close()

        page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
        page.goto(f"{server.url}/")
        page.screenshot(path=OUT / "home-1366x768.png")
        page.goto(f"{server.url}/join/{demo['join_code']}")
        page.screenshot(path=OUT / "join-1366x768.png")
        # The facilitator's invitation: the join link and a QR code to project.
        page.goto(f"{server.url}/board/{map_id}#token={token}")
        expect(page.locator("[data-testid=connection]")).to_have_attribute("data-state", "online")
        page.click("[data-action=invite]")
        page.wait_for_timeout(300)
        page.screenshot(path=OUT / "invite-1366x768.png")
        # Undo after a delete: the card is gone, the toast offers it back (with its comments).
        page.keyboard.press("Escape")
        irritant = page.locator("[data-card-id][data-kind=irritant]").first
        irritant.focus()
        page.keyboard.press("Delete")
        page.locator("[data-testid=confirm] [data-action=confirm]").click()
        expect(page.locator("[data-testid=undo-toast]")).to_be_visible()
        page.screenshot(path=OUT / "undo-toast-1366x768.png")
        browser.close()
    print(f"screenshots in {OUT}")


if __name__ == "__main__":
    sys.exit(main())
