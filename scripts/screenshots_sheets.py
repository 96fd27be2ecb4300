"""Screenshots of the chantier sheets, the matrix, the emotion curves and the mirror for docs/screenshots/:
`.venv/bin/python -m scripts.screenshots_sheets` (the demo workshop, served by the real `run.py`)."""

from __future__ import annotations

import sys

from playwright.sync_api import expect, sync_playwright

from tests.browser.conftest import ARGS, CHROMIUM
from tests.server import ROOT, Server, demo_server

OUT = ROOT / "docs" / "screenshots"
SIZES = [(1366, 768), (1920, 1080)]


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with demo_server() as (server, demo):
        shoot(server, demo, errors := [])
    for e in errors:
        print("console:", e)
    return 0


def shoot(server: Server, demo: dict, errors: list) -> None:
    map_id, token = demo["map_id"], demo["facilitator_token"]
    joined = server.api(
        "POST",
        "/api/join",
        json={
            "code": demo["join_code"],
            "name": "Nadia Petit",
            "department": "Agence de Lyon",
            "perspective": "employee",
        },
    ).json()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for width, height in SIZES:
            size = f"{width}x{height}"
            page = browser.new_context(viewport={"width": width, "height": height}, locale="fr-FR").new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(f"{server.url}/board/{map_id}#token={token}")
            expect(page.locator("[data-testid=connection]")).to_have_attribute("data-state", "online")
            other = browser.new_context(viewport={"width": width, "height": height}, locale="fr-FR").new_page()
            other.goto(f"{server.url}/board/{map_id}#token={joined['token']}")
            expect(other.locator("[data-testid=connection]")).to_have_attribute("data-state", "online")

            # The emotions lane: faces and both curves, in view.
            lane = page.locator(".lane-head.lane-emotions")
            lane.scroll_into_view_if_needed()
            page.locator("#board-wrap").evaluate(
                "(el, y) => el.scrollTop = y - 150", lane.evaluate("el => el.offsetTop")
            )
            page.locator(".emo .emo-face[data-score='1']").nth(2).click()
            page.wait_for_timeout(300)
            page.screenshot(path=OUT / f"emotions-lane-{size}.png")

            page.click("[data-action=open-mirror]")
            page.wait_for_timeout(300)
            page.screenshot(path=OUT / f"emotions-mirror-{size}.png")
            page.locator("[data-testid=resonance]").scroll_into_view_if_needed()
            page.wait_for_timeout(200)
            page.screenshot(path=OUT / f"emotions-resonance-{size}.png")

            page.click("#sheets [data-tab=list]")
            page.wait_for_timeout(200)
            page.screenshot(path=OUT / f"sheets-list-{size}.png")
            # Nadia is in the first sheet, writing the risks: the facilitator sees where.
            other.click("[data-action=open-sheets]")
            other.locator(".sheet-item").first.click()
            other.locator("[data-sheet-field=risks] textarea").click()
            page.locator(".sheet-item").first.click()
            page.locator("[data-sheet-field=owner] input").click()
            page.wait_for_timeout(400)
            page.screenshot(path=OUT / f"sheets-sheet-{size}.png")
            page.locator("[data-sheet-field=card_ids]").scroll_into_view_if_needed()
            page.wait_for_timeout(200)
            page.screenshot(path=OUT / f"sheets-sheet-bottom-{size}.png")
            page.click("#sheets [data-tab=matrix]")
            page.wait_for_timeout(200)
            page.screenshot(path=OUT / f"sheets-matrix-{size}.png")
            page.click("[data-action=open-exports]")
            page.wait_for_timeout(200)
            page.screenshot(path=OUT / f"sheets-exports-{size}.png")
            present = browser.new_context(viewport={"width": width, "height": height}, locale="fr-FR").new_page()
            present.goto(f"{server.url}/present/{map_id}#token={token}")
            expect(present.locator("[data-testid=connection]")).to_have_attribute("data-state", "online")
            lane = present.locator(".lane-head.lane-emotions")
            present.locator("#board-wrap").evaluate(
                "(el, y) => el.scrollTop = y - 150", lane.evaluate("el => el.offsetTop")
            )
            present.wait_for_timeout(300)
            present.screenshot(path=OUT / f"emotions-present-{size}.png")
            for p in (page, other, present):
                p.context.close()
        browser.close()
    print(f"screenshots in {OUT}")


if __name__ == "__main__":
    sys.exit(main())
