"""Socket.IO and REST adapters through Flask's and Flask-SocketIO's test clients, several clients a room."""

from __future__ import annotations

import uuid

import pytest

from workshop import create_app
from workshop.config import Settings


def connect(app, http, token):
    client = app.extensions["socketio"].test_client(app, flask_test_client=http, auth={"token": token})
    assert client.is_connected()
    return client


def events_of(client):
    return [p["args"][0] for p in client.get_received() if p["name"] == "event"]


def op(client, map_id, type_, **fields):
    return client.emit("op", {"map_id": map_id, "op_id": str(uuid.uuid4()), "type": type_, **fields}, callback=True)


def test_every_member_receives_every_event_once_in_seq_order(app, http, api):
    ws = api.create()
    map_id = ws["map"]["id"]
    people = [api.join(ws["join_code"], f"P{i}") for i in range(4)]
    clients = [connect(app, http, p["token"]) for p in people]
    snaps = [c.emit("join", {"map_id": map_id}, callback=True) for c in clients]
    assert all(s["ok"] for s in snaps)
    snap = snaps[0]["snapshot"]
    lane, step = snap["lanes"][0]["id"], snap["steps"][0]["id"]
    for c in clients:
        c.get_received()
    acks = [op(c, map_id, "card.add", lane_id=lane, step_id=step, text=f"carte {i}") for i, c in enumerate(clients)]
    assert [a["ok"] for a in acks] == [True] * 4
    expected = sorted(a["seq"] for a in acks)
    for c in clients:
        got = events_of(c)
        assert [e["seq"] for e in got] == expected
        assert {e["data"]["text"] for e in got} == {f"carte {i}" for i in range(4)}
        assert all(set(e) == {"map_id", "seq", "op_id", "type", "actor_id", "data", "ts"} for e in got)


def test_a_hidden_card_reaches_everyone_redacted_but_its_author(app, http, api):
    ws = api.create()
    map_id = ws["map"]["id"]
    alice, bob = api.join(ws["join_code"], "Alice"), api.join(ws["join_code"], "Bob")
    ca, cb = connect(app, http, alice["token"]), connect(app, http, bob["token"])
    cf = connect(app, http, ws["facilitator_token"])
    snap = ca.emit("join", {"map_id": map_id}, callback=True)["snapshot"]
    for c in (cb, cf):
        c.emit("join", {"map_id": map_id}, callback=True)
    for c in (ca, cb, cf):
        c.get_received()
    ack = op(
        ca,
        map_id,
        "card.add",
        lane_id=snap["lanes"][0]["id"],
        step_id=snap["steps"][0]["id"],
        text="secret",
        visibility="author",
    )
    [mine], [bobs], [facs] = events_of(ca), events_of(cb), events_of(cf)
    assert mine["seq"] == bobs["seq"] == facs["seq"] == ack["seq"]
    assert mine["data"]["text"] == "secret"
    assert bobs["data"]["text"] is None and facs["data"]["text"] is None and bobs["data"]["hidden"] is True


def test_rest_ops_are_broadcast_to_the_room_and_answer_contract_errors(app, http, api):
    ws = api.create()
    map_id, token = ws["map"]["id"], ws["facilitator_token"]
    watcher = api.join(ws["join_code"], "Écran", role="observer")
    screen = connect(app, http, watcher["token"])
    screen.emit("join", {"map_id": map_id}, callback=True)
    screen.get_received()
    auth = {"Authorization": f"Bearer {token}"}
    res = http.post(
        f"/api/maps/{map_id}/ops",
        json={"op_id": str(uuid.uuid4()), "type": "phase.set", "phase": "diagnostic"},
        headers=auth,
    )
    assert res.status_code == 200 and res.get_json()["data"]["phase"] == "diagnostic"
    [event] = events_of(screen)
    assert event["type"] == "phase.set" and event["seq"] == res.get_json()["seq"]
    # The observer reads but never writes.
    res = http.post(
        f"/api/maps/{map_id}/ops",
        json={"op_id": str(uuid.uuid4()), "type": "phase.set", "phase": "closed"},
        headers={"Authorization": f"Bearer {watcher['token']}"},
    )
    assert res.status_code == 403 and res.get_json()["error"]["code"] == "forbidden"


@pytest.mark.parametrize(
    "method, path, kwargs, status, code",
    [
        ("post", "/api/workshops", {"data": "not json", "content_type": "application/json"}, 400, "invalid"),
        ("post", "/api/workshops", {"json": []}, 400, "invalid"),
        ("post", "/api/workshops", {"json": {"title": ""}}, 400, "invalid"),
        ("post", "/api/workshops", {"json": {"title": "x", "map_type": "mindmap"}}, 400, "invalid"),
        ("post", "/api/workshops", {"json": {"title": "x" * 70_000}}, 413, "too_large"),
        ("post", "/api/join", {"json": {"code": "NOPE1234", "name": "Z"}}, 404, "not_found"),
        ("get", "/api/maps/whatever", {}, 401, "unauthorized"),
        ("get", "/api/nothing-here", {}, 404, "not_found"),
        ("delete", "/api/workshops", {}, 405, "invalid"),
    ],
)
def test_rest_errors_have_the_contract_shape(http, method, path, kwargs, status, code):
    res = getattr(http, method)(path, **kwargs)
    assert res.status_code == status
    body = res.get_json()
    assert body["error"]["code"] == code and body["error"]["message"]


def test_rest_reads_and_sync_with_a_token(app, http, api):
    ws = api.create(locale="en", objective="Fewer drop-outs")
    wid, map_id = ws["workshop"]["id"], ws["map"]["id"]
    alice = api.join(ws["join_code"], "Alice", department="Support", perspective="employee")
    assert alice["workshop_id"] == wid and alice["map_ids"] == [map_id]
    auth = {"Authorization": f"Bearer {alice['token']}"}
    body = http.get(f"/api/workshops/{wid}", headers=auth).get_json()
    assert body["workshop"]["objective"] == "Fewer drop-outs"
    roles = {p["name"]: p["role"] for p in body["participants"]}
    assert roles == {"Facilitator": "facilitator", "Alice": "participant"}
    assert all("token" not in p and "token_hash" not in p for p in body["participants"])
    snap = http.get(f"/api/maps/{map_id}", headers=auth).get_json()
    assert snap["lanes"][0]["title"] == "Customer actions"
    events = http.get(f"/api/maps/{map_id}/events?since={snap['seq'] - 2}", headers=auth).get_json()["events"]
    assert [e["seq"] for e in events] == [snap["seq"] - 1, snap["seq"]]
    assert http.get(f"/api/maps/{map_id}/events?since=abc", headers=auth).status_code == 400
    # Another workshop's token sees nothing of this one.
    other = api.create()
    foreign = {"Authorization": f"Bearer {other['facilitator_token']}"}
    assert http.get(f"/api/maps/{map_id}", headers=foreign).status_code == 404
    assert http.get(f"/api/workshops/{wid}", headers=foreign).status_code == 404
    added = http.post(f"/api/workshops/{wid}/maps", json={"map_type": "blueprint"}, headers=auth)
    assert added.status_code == 403
    added = http.post(
        f"/api/workshops/{wid}/maps",
        json={"map_type": "blueprint"},
        headers={"Authorization": f"Bearer {ws['facilitator_token']}"},
    )
    assert added.status_code == 201 and added.get_json()["map"]["title"] == "Service blueprint"


def test_bad_token_is_refused_and_bad_socket_payloads_get_error_acks(app, http, api):
    client = app.extensions["socketio"].test_client(app, flask_test_client=http, auth={"token": "forged"})
    assert not client.is_connected()
    ws = api.create()
    c = connect(app, http, ws["facilitator_token"])
    for payload in (None, "x", {"map_id": 3}, {"map_id": str(uuid.uuid4())}):
        ack = c.emit("join", payload, callback=True)
        assert ack["ok"] is False and ack["error"]["code"] in ("invalid", "not_found")
    ack = c.emit("op", {"map_id": ws["map"]["id"], "type": "card.add"}, callback=True)
    assert ack["error"] == {"code": "invalid", "message": "op_id: a client-made UUID is required", "field": "op_id"}
    ack = c.emit("sync", {"map_id": ws["map"]["id"], "since": "yesterday"}, callback=True)
    assert ack["error"]["code"] == "invalid"
    assert c.emit("sync", {"map_id": ws["map"]["id"], "since": 0}, callback=True)["ok"]


def test_presence_follows_connections(app, http, api):
    ws = api.create()
    map_id = ws["map"]["id"]
    alice = api.join(ws["join_code"], "Alice")
    fac = connect(app, http, ws["facilitator_token"])
    fac.emit("join", {"map_id": map_id}, callback=True)
    ca = connect(app, http, alice["token"])
    snap = ca.emit("join", {"map_id": map_id}, callback=True)["snapshot"]
    assert {p["name"]: p["online"] for p in snap["participants"]} == {"Animateur": True, "Alice": True}
    presence = [p["args"][0] for p in fac.get_received() if p["name"] == "presence"]
    assert {p["name"] for p in presence[-1]["participants"]} == {"Animateur", "Alice"}
    ca.disconnect()
    presence = [p["args"][0] for p in fac.get_received() if p["name"] == "presence"]
    assert [p["name"] for p in presence[-1]["participants"]] == ["Animateur"]


def test_openapi_describes_every_op_and_endpoint(http):
    doc = http.get("/api/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    from workshop.ops import REGISTRY

    ops = {ref["$ref"].rsplit("/", 1)[1] for ref in doc["components"]["schemas"]["Op"]["oneOf"]}
    assert ops == {"op_" + t.replace(".", "_") for t in REGISTRY}
    card_add = doc["components"]["schemas"]["op_card_add"]
    assert {"op_id", "type", "lane_id", "step_id", "text"} <= set(card_add["required"])
    for path in ("/api/workshops", "/api/join", "/api/maps/{mid}/ops", "/api/maps/{mid}/events", "/healthz"):
        assert path in doc["paths"]


def test_presence_is_shared_through_the_database_and_a_dead_process_stops_counting(app, http, tmp_path, api):
    """Two apps on one database stand for two processes: each sees the other's participants."""
    from datetime import timedelta

    from workshop.models import Server
    from workshop.presence import STALE_AFTER

    other_settings = Settings(
        database_url=app.extensions["parcours"].settings.database_url,
        demo=False,
        async_mode="threading",
        secret_key="test",
    )
    other = create_app(other_settings)
    try:
        ws = api.create()
        map_id = ws["map"]["id"]
        alice = api.join(ws["join_code"], "Alice")
        here = connect(app, http, ws["facilitator_token"])
        here.emit("join", {"map_id": map_id}, callback=True)
        there = other.extensions["socketio"].test_client(other, auth={"token": alice["token"]})
        snap = there.emit("join", {"map_id": map_id}, callback=True)["snapshot"]
        assert {p["name"] for p in snap["participants"] if p["online"]} == {"Animateur", "Alice"}
        assert app.extensions["parcours"].presence.online_on(map_id) == {
            alice["participant"]["id"],
            snap["participants"][0]["id"],
        }
        # The other process dies without a word: once its heartbeat is stale, Alice is offline.
        other_presence = other.extensions["parcours"].presence
        other_presence.stop()
        with app.extensions["parcours"].db.write() as s:
            s.get(Server, other_presence.server_id).seen_at -= STALE_AFTER + timedelta(seconds=1)
        assert app.extensions["parcours"].presence.online_on(map_id) == {snap["participants"][0]["id"]}
    finally:
        other.extensions["parcours"].presence.stop()
        other.extensions["parcours"].db.dispose()


def test_a_runaway_client_is_slowed_down_not_disconnected(app, http, api):
    ws = api.create()
    c = connect(app, http, ws["facilitator_token"])
    limiter = app.extensions["parcours"].limiter
    limiter.burst, limiter.per_second = 3, 0.001
    codes = [op(c, ws["map"]["id"], "phase.set", phase="diagnostic").get("error", {}).get("code") for _ in range(5)]
    assert codes == [None, None, None, "rate_limited", "rate_limited"]
    assert c.is_connected()


def test_editing_marks_reach_the_others_and_clear_when_the_editor_leaves(app, http, api):
    ws = api.create()
    map_id = ws["map"]["id"]
    alice, bob = api.join(ws["join_code"], "Alice"), api.join(ws["join_code"], "Bob")
    ca, cb = connect(app, http, alice["token"]), connect(app, http, bob["token"])
    for c in (ca, cb):
        c.emit("join", {"map_id": map_id}, callback=True)
        c.get_received()
    card = str(uuid.uuid4())
    assert ca.emit("editing", {"map_id": map_id, "target_id": card, "editing": True}, callback=True) == {"ok": True}
    marks = [p["args"][0] for p in cb.get_received() if p["name"] == "editing"]
    assert marks == [
        {
            "map_id": map_id,
            "target_id": card,
            "participant_id": alice["participant"]["id"],
            "name": "Alice",
            "editing": True,
        }
    ]
    assert not [p for p in ca.get_received() if p["name"] == "editing"]  # not echoed to the editor
    late = connect(app, http, ws["facilitator_token"])
    assert late.emit("join", {"map_id": map_id}, callback=True)["editing"] == marks  # marks already open
    ca.disconnect()
    marks = [p["args"][0] for p in cb.get_received() if p["name"] == "editing"]
    assert [(m["target_id"], m["editing"]) for m in marks] == [(card, False)]
    assert cb.emit("editing", {"map_id": map_id, "target_id": 5}, callback=True)["error"]["code"] == "invalid"
