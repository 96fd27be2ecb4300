"""Screenshots of facilitation (phases, dot voting, results) for docs/screenshots/voting-*.png:
`.venv/bin/python -m scripts.screenshots_voting [OUT_DIR]`.

Builds the demo workshop in a throw-away SQLite database, serves it with the real `run.py`, runs a vote on
the steps and a secret vote on the ideas, and photographs them at 1366×768 and 1920×1080.
"""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from tests.browser.conftest import ARGS, CHROMIUM
from tests.server import ROOT, Server, demo_server

SIZES = [(1366, 768), (1920, 1080)]


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    for width, height in SIZES:
        with demo_server() as (server, demo):
            shoot(server, demo, out, (width, height))
    print(f"screenshots in {out}")
    return 0


def shoot(server: Server, demo: dict, out: Path, size: tuple[int, int]) -> None:
    map_id, token = demo["map_id"], demo["facilitator_token"]
    tag = f"{size[0]}x{size[1]}"

    def op(tok: str, **fields) -> dict:
        r = server.api("POST", f"/api/maps/{map_id}/ops", token=tok, json={"op_id": str(uuid.uuid4()), **fields})
        assert r.status_code == 200, r.text
        return r.json()

    def join(name: str, perspective: str = "customer") -> str:
        return server.api(
            "POST",
            "/api/join",
            json={"code": demo["join_code"], "name": name, "department": "Agence", "perspective": perspective},
        ).json()["token"]

    nadia = join("Nadia Petit")
    others = [join(n) for n in ("Paul Girard", "Inès Moreau", "Hugo Lemaire")]
    snap = server.api("GET", f"/api/maps/{map_id}", token=token).json()
    steps = [s["id"] for s in snap["steps"]]
    op(token, type="phase.set", phase="key_moments")
    op(token, type="timer.start", seconds=300, label="Vote sur les étapes")

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        ctx = lambda: browser.new_context(viewport={"width": size[0], "height": size[1]})  # noqa: E731
        fac = ctx().new_page()
        fac.goto(f"{server.url}/board/{map_id}#token={token}")
        expect(fac.locator("[data-testid=connection]")).to_have_attribute("data-state", "online")
        par = ctx().new_page()
        par.goto(f"{server.url}/board/{map_id}#token={nadia}")
        expect(par.locator("[data-testid=connection]")).to_have_attribute("data-state", "online")

        # The facilitator opens a vote on the steps: the dialog.
        fac.click("[data-testid=open-round]")
        fac.wait_for_timeout(200)
        fac.screenshot(path=out / f"voting-open-dialog-{tag}.png")
        fac.locator("[data-testid=round-dialog] [data-action=confirm-round]").click()
        expect(par.locator("[data-testid=dots-left]")).to_be_visible()
        round_id = server.api("GET", f"/api/maps/{map_id}", token=token).json()["rounds"][-1]["id"]
        for i, tok in enumerate(others):
            for target in (steps[1], steps[4 + i], steps[1]):
                op(tok, type="vote.cast", round_id=round_id, target_id=target)
        par.locator(f".step-head[data-step-id='{steps[4]}'] [data-vote=cast]").click()
        par.locator(f".step-head[data-step-id='{steps[4]}'] [data-vote=cast]").click()
        expect(par.locator("[data-testid=dots-left]")).to_have_attribute("data-remaining", "1")
        par.wait_for_timeout(300)
        par.screenshot(path=out / f"voting-participant-{tag}.png")
        fac.wait_for_timeout(100)
        fac.screenshot(path=out / f"voting-facilitator-open-{tag}.png")

        # Closed: the ranked results, and "promote the top N".
        fac.click("[data-testid=close-round]")
        expect(fac.locator("[data-testid=results]")).to_be_visible()
        fac.wait_for_timeout(300)
        fac.screenshot(path=out / f"voting-results-{tag}.png")
        fac.locator("[data-testid=results] input[name=count]").fill("2")
        fac.click("[data-testid=promote]")
        fac.click("[data-action=hide-results]")

        # A secret vote on the ideas: the facilitator sees how many voted, never for what.
        op(token, type="phase.set", phase="selection")
        op(token, type="board.silent", silent=True)
        idea_round = op(token, type="round.open", target="card", budget=3, secret=True, card_kind="idea")["data"]["id"]
        ideas = [c["id"] for c in snap["cards"] if c["kind"] == "idea" and not c["hidden"]]
        for tok in others[:2]:
            op(tok, type="vote.cast", round_id=idea_round, target_id=ideas[0])
        idea = par.locator(f"[data-card-id='{ideas[0]}']")
        idea.scroll_into_view_if_needed()
        idea.locator("[data-vote=cast]").click()
        expect(fac.locator("[data-testid=voters]")).to_have_attribute("data-voters", "3")
        fac.locator(f"[data-card-id='{ideas[0]}']").scroll_into_view_if_needed()
        fac.wait_for_timeout(300)
        fac.screenshot(path=out / f"voting-secret-facilitator-{tag}.png")
        par.wait_for_timeout(200)
        par.screenshot(path=out / f"voting-secret-participant-{tag}.png")

        # Silent writing, focus and an editing mark, as the facilitator sees them.
        lane = next(c["lane_id"] for c in snap["cards"] if c["id"] == ideas[0])
        step = next(c["step_id"] for c in snap["cards"] if c["id"] == ideas[0])
        cell = par.locator(f"[data-cell][data-lane-id='{lane}'][data-step-id='{step}']")
        cell.locator("[data-action=add-card]").click()
        cell.locator("textarea").fill("Une caution remboursée en un clic depuis l’appli")
        cell.locator("textarea").press("Enter")
        op(token, type="focus.set", step_id=step)
        par.locator(f"[data-card-id='{ideas[0]}'] .card-text").dblclick()
        expect(fac.locator("[data-testid=editing-mark]")).to_be_visible()
        fac.locator(f"[data-card-id='{ideas[0]}']").scroll_into_view_if_needed()
        fac.wait_for_timeout(500)
        fac.screenshot(path=out / f"voting-silent-focus-{tag}.png")
        browser.close()


if __name__ == "__main__":
    sys.exit(main())
