"""A large import on the real (eventlet) server does not hold the others up: another board's ops and
/healthz are answered while it runs. No timing is asserted, only the order of what happened."""

from __future__ import annotations

import sys
import threading
import uuid
from pathlib import Path

import pytest
import requests

# serial: it measures that other boards stay responsive, or kills and restarts processes; it runs
# alone after the parallel run (Makefile `test`), so that the other tests neither slow it nor feel it.
pytestmark = [pytest.mark.e2e, pytest.mark.serial]
CARDS = 1000

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.import_doc import document  # noqa: E402


def test_other_boards_keep_working_during_a_large_import(live_server):
    ws = live_server.api("POST", "/api/workshops", json={"title": "Pendant l’import"}).json()
    token, mid = ws["facilitator_token"], ws["map"]["id"]
    snap = live_server.api("GET", f"/api/maps/{mid}", token).json()
    lane, step = snap["lanes"][0]["id"], snap["steps"][0]["id"]
    result: dict[str, object] = {}

    def run_import() -> None:
        try:
            res = requests.post(
                f"{live_server.url}/api/workshops/import",
                json=document(CARDS, "chain"),
                headers={"Authorization": f"Bearer {token}"},
                timeout=600,
            )
            result["status"] = res.status_code
            result["cards"] = res.json().get("imported", {}).get("cards")
        except Exception as exc:  # shown by the assertion below
            result["status"] = repr(exc)

    importer = threading.Thread(target=run_import)
    importer.start()
    answered_during = 0
    for i in range(200):  # bounded: stops once one op got through while the import was still running
        if not importer.is_alive():
            break
        op = live_server.api(
            "POST",
            f"/api/maps/{mid}/ops",
            token,
            json={
                "op_id": str(uuid.uuid4()),
                "type": "card.add",
                "lane_id": lane,
                "step_id": step,
                "text": f"pendant {i}",
            },
        )
        health = live_server.api("GET", "/healthz")
        if op.status_code == 200 and health.status_code == 200 and importer.is_alive():
            answered_during += 1
            if answered_during >= 3:
                break
    importer.join(timeout=600)
    assert result.get("status") == 201 and result.get("cards") == CARDS, result
    assert answered_during >= 1, "no op of another board was answered while the import ran"
