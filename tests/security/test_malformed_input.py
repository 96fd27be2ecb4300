"""Issue 8.5: a NUL byte, a lone surrogate or absurdly deep JSON is a bad request (400/404), never a
500 — on SQLite, which would store NULs silently, and on PostgreSQL, which refuses them."""

from __future__ import annotations

import json

import pytest

BAD_TEXTS = ["a\x00b", "a\ud800b"]


def _raw(body: str) -> dict:
    return {"data": body.encode("utf-8", "surrogatepass"), "content_type": "application/json"}


def _json_text(value: str) -> str:
    """JSON as an attacker sends it: a lone surrogate travels as the escape `\\ud800`."""
    return json.dumps(value)


@pytest.mark.parametrize("text", BAD_TEXTS, ids=["nul", "lone-surrogate"])
def test_bad_text_in_any_field_is_refused_with_400(http, workshop, text):
    t = _json_text(text)
    assert http.post("/api/workshops", **_raw(f'{{"title": {t}}}')).status_code == 400
    assert http.post("/api/workshops", **_raw(f'{{"title": "ok", "objective": {t}}}')).status_code == 400
    assert http.post("/api/join", **_raw(f'{{"code": {t}, "name": "Eve"}}')).status_code == 400
    assert http.post("/api/join", **_raw(f'{{"code": "{workshop.code}", "name": {t}}}')).status_code == 400
    assert (
        http.post("/api/join", **_raw(f'{{"code": "{workshop.code}", "name": "Eve", "department": {t}}}')).status_code
        == 400
    )
    snap = workshop.snapshot()
    lane, step = snap["lanes"][0]["id"], snap["steps"][0]["id"]
    auth = {"Authorization": f"Bearer {workshop.token}"}
    ops = [
        f'{{"op_id": "%s", "type": "card.add", "lane_id": "{lane}", "step_id": "{step}", "text": {t}}}',
        f'{{"op_id": "%s", "type": "step.add", "title": {t}}}',
        f'{{"op_id": "%s", "type": "comment.add", "target_id": "{step}", "text": {t}}}',
        f'{{"op_id": "%s", "type": "chantier.add", "title": "Fiche", "kpis": [{{"name": {t}}}]}}',
        f'{{"op_id": "%s", "type": "timer.start", "seconds": 60, "label": {t}}}',
    ]
    import uuid

    for body in ops:
        r = http.post(f"/api/maps/{workshop.map_id}/ops", headers=auth, **_raw(body % uuid.uuid4()))
        assert r.status_code == 400, (body, r.json)
        assert r.json["error"]["code"] == "invalid"
    # Nothing of it was stored.
    assert all(text not in json.dumps(workshop.snapshot()) for text in BAD_TEXTS)


@pytest.mark.parametrize(
    "path",
    [
        "/board/%00",
        "/present/%00",
        "/join/%00",
        "/qr/%00.svg",
        "/api/maps/%00",
        "/api/workshops/%00",
        "/api/maps/%00/events",
        "/api/maps/%00/export/cards.csv",
        "/api/workshops/%00/export/workshop.json",
        "/join/%ED%A0%80",
        "/board/%ED%A0%80",
    ],
)
def test_a_nul_byte_in_a_path_id_names_nothing(http, workshop, path):
    r = http.get(path, headers={"Authorization": f"Bearer {workshop.token}"})
    assert r.status_code == 404


def test_a_nul_byte_in_a_posted_op_path_names_nothing(http, workshop):
    r = http.post(
        "/api/maps/%00/ops",
        headers={"Authorization": f"Bearer {workshop.token}"},
        json={"op_id": "00000000-0000-4000-8000-000000000000", "type": "board.lock", "locked": True},
    )
    assert r.status_code == 404


@pytest.mark.parametrize("path", ["/api/workshops", "/api/join", "/api/workshops/import", "/api/me", "ops"])
def test_json_nested_ten_thousand_deep_is_a_bad_request(http, workshop, path):
    if path == "ops":
        path = f"/api/maps/{workshop.map_id}/ops"
    deep = '{"title": ' + "[" * 10_000 + "]" * 10_000 + "}"
    method = http.patch if path == "/api/me" else http.post
    r = method(path, headers={"Authorization": f"Bearer {workshop.token}"}, **_raw(deep))
    assert r.status_code == 400, r.data[:200]
    assert r.json["error"]["code"] == "invalid"


def test_a_lone_surrogate_over_socketio_is_refused_as_invalid(app, workshop):
    import uuid

    snap = workshop.snapshot()
    client = app.extensions["socketio"].test_client(
        app, flask_test_client=workshop.http, auth={"token": workshop.token}
    )
    try:
        assert client.emit("join", {"map_id": workshop.map_id}, callback=True)["ok"]
        ack = client.emit(
            "op",
            {
                "map_id": workshop.map_id,
                "op_id": str(uuid.uuid4()),
                "type": "card.add",
                "lane_id": snap["lanes"][0]["id"],
                "step_id": snap["steps"][0]["id"],
                "text": "a\ud800b",
            },
            callback=True,
        )
        assert ack["ok"] is False and ack["error"]["code"] == "invalid"
    finally:
        client.disconnect()


@pytest.mark.parametrize("event", ["join", "sync", "op"])
def test_a_nul_byte_in_a_socket_map_id_names_nothing(app, workshop, event):
    """PostgreSQL refuses a NUL byte in a query: the map id is checked before it gets there."""
    import uuid

    client = app.extensions["socketio"].test_client(
        app, flask_test_client=workshop.http, auth={"token": workshop.token}
    )
    try:
        payload = {
            "map_id": workshop.map_id[:8] + "\x00",
            **(
                {"op_id": str(uuid.uuid4()), "type": "phase.set", "phase": "ideation"}
                if event == "op"
                else {"since": 0}
            ),
        }
        ack = client.emit(event, payload, callback=True)
        assert ack["ok"] is False and ack["error"]["code"] == "not_found"
    finally:
        client.disconnect()
