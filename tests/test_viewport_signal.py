"""The `viewport` signal ("bring everyone here", "follow me"): facilitator only, validated, bounded, not stored."""

from __future__ import annotations

import uuid

from tests.test_socket import connect


def signals(client):
    return [p["args"][0] for p in client.get_received() if p["name"] == "viewport"]


def test_the_facilitators_view_reaches_every_other_screen_of_the_map_and_nothing_is_stored(app, http, api):
    ws = api.create()
    map_id = ws["map"]["id"]
    nora = api.join(ws["join_code"], "Nora")
    fac, par, projector = (
        connect(app, http, t) for t in (ws["facilitator_token"], nora["token"], ws["facilitator_token"])
    )
    snap = [c.emit("join", {"map_id": map_id}, callback=True) for c in (fac, par, projector)][0]["snapshot"]
    for c in (fac, par, projector):
        c.get_received()
    view = {
        "map_id": map_id,
        "zoom": 0.75,
        "fit": False,
        "step_id": snap["steps"][3]["id"],
        "lane_id": snap["lanes"][2]["id"],
        "follow": True,
    }
    assert fac.emit("viewport", view, callback=True) == {"ok": True}
    expected = {**view, "participant_id": snap["participants"][0]["id"], "name": "Animateur"}
    assert signals(par) == [expected]
    assert signals(projector) == [expected]  # the same facilitator's other screen follows too
    assert signals(fac) == []  # never echoed to the screen that leads
    # Not an op: the map's seq did not move, and a fresh snapshot knows nothing of it.
    again = http.get(f"/api/maps/{map_id}", headers={"Authorization": f"Bearer {ws['facilitator_token']}"}).get_json()
    assert again["seq"] == snap["seq"]


def test_a_participant_cannot_lead_and_bad_views_are_refused_in_the_contracts_shape(app, http, api):
    ws = api.create()
    map_id = ws["map"]["id"]
    nora = api.join(ws["join_code"], "Nora")
    fac, par = connect(app, http, ws["facilitator_token"]), connect(app, http, nora["token"])
    for c in (fac, par):
        c.emit("join", {"map_id": map_id}, callback=True)
        c.get_received()
    ok = {"map_id": map_id, "zoom": 1}
    assert par.emit("viewport", ok, callback=True)["error"]["code"] == "forbidden"
    assert signals(fac) == []
    for bad, field in [
        ({**ok, "zoom": 50}, "zoom"),
        ({**ok, "step_id": "x"}, "step_id"),
        ({**ok, "html": "<b>"}, "html"),
        ({**ok, "follow": "yes"}, "follow"),
    ]:
        err = fac.emit("viewport", bad, callback=True)["error"]
        assert (err["code"], err["field"]) == ("invalid", field)
    assert fac.emit("viewport", {"zoom": 1}, callback=True)["error"]["code"] == "invalid"
    other = api.create()
    assert fac.emit("viewport", {**ok, "map_id": other["map"]["id"]}, callback=True)["error"]["code"] == "not_found"
    assert signals(par) == []


def test_a_runaway_leader_is_throttled(app, http, api):
    ws = api.create()
    map_id = ws["map"]["id"]
    fac = connect(app, http, ws["facilitator_token"])
    fac.emit("join", {"map_id": map_id}, callback=True)
    burst = app.extensions["parcours"].settings.viewport_burst  # a fresh app: its own full bucket
    answers = [
        fac.emit("viewport", {"map_id": map_id, "zoom": 1, "step_id": str(uuid.uuid4())}, callback=True)
        for _ in range(burst + 5)
    ]
    codes = [a.get("error", {}).get("code") for a in answers]
    assert codes[:burst] == [None] * burst
    assert "rate_limited" in codes[burst:]
