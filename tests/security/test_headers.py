"""Issue 8.7: headers on every answer, hosts allowed, the secret key private, the OpenAPI document
saying what the server does (uuid ids, 413, 429, Allow on 405)."""

from __future__ import annotations

import stat

from workshop import config

from ..apps import close, make_app
from .conftest import new_workshop


def test_every_page_has_a_content_security_policy_and_nosniff(sqlite_app):
    http = sqlite_app.test_client()
    workshop = new_workshop(http)
    for path in (
        "/",
        f"/join/{workshop.code}",
        f"/board/{workshop.map_id}",
        f"/present/{workshop.map_id}",
        "/join/QQQQQQQQ",
        "/no/such/page",
        f"/qr/{workshop.code}.svg",
        "/healthz",
        "/api/openapi.json",
        "/static/js/board.js",
    ):
        r = http.get(path)
        csp = r.headers.get("Content-Security-Policy", "")
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp, path
        assert "unsafe-eval" not in csp and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
        assert r.headers.get("X-Content-Type-Options") == "nosniff", path


def test_api_json_is_never_cached(sqlite_app):
    http = sqlite_app.test_client()
    workshop = new_workshop(http)
    auth = {"Authorization": f"Bearer {workshop.token}"}
    for method, path in (
        ("GET", f"/api/maps/{workshop.map_id}"),
        ("GET", f"/api/workshops/{workshop.answer['workshop']['id']}"),
        ("GET", f"/api/maps/{workshop.map_id}/events?since=0"),
        ("GET", "/api/me"),
        ("POST", "/api/join"),
        ("GET", "/api/maps/nope"),
    ):
        r = http.open(path, method=method, headers=auth, json={} if method == "POST" else None)
        assert r.headers.get("Cache-Control") == "no-store", (path, r.status_code)
    r = http.post("/api/workshops", json={"title": "Jetons"})
    assert r.status_code == 201 and r.headers["Cache-Control"] == "no-store"  # it carries a token


def test_a_wrong_method_answers_405_with_allow(sqlite_app):
    r = sqlite_app.test_client().delete("/api/join")
    assert r.status_code == 405 and "POST" in r.headers["Allow"]
    assert r.json["error"]["code"] == "invalid"


def test_hosts_outside_the_allow_list_are_refused_and_links_follow_the_allowed_host(sqlite_url, tmp_path):
    app = make_app(sqlite_url, tmp_path, allowed_hosts=["board.example.org"])
    try:
        http = app.test_client()
        r = http.post("/api/workshops", json={"title": "Hôte"}, headers={"Host": "evil.example.com"})
        assert r.status_code == 400
        assert http.get("/", headers={"Host": "evil.example.com"}).status_code == 400
        r = http.post("/api/workshops", json={"title": "Hôte"}, headers={"Host": "board.example.org"})
        assert r.status_code == 201 and r.json["join_url"].startswith("http://board.example.org/join/")
    finally:
        close(app)


def test_the_generated_secret_key_is_readable_by_its_owner_only(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setattr(config, "ROOT", tmp_path)
    key = config._secret_key()
    path = tmp_path / "instance" / "secret_key"
    assert len(key) == 64 and stat.S_IMODE(path.stat().st_mode) == 0o600
    path.chmod(0o644)  # written by an older version
    assert config._secret_key() == key and stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_openapi_document_says_ids_are_uuids_and_bodies_may_be_too_large(sqlite_app):
    doc = sqlite_app.test_client().get("/api/openapi.json").json
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            for param in operation.get("parameters", []):
                if param["in"] == "path" and param["name"] != "code":  # a listening's code is not an id
                    assert param["schema"].get("format") == "uuid", (path, param)
            if "requestBody" in operation:
                assert "413" in operation["responses"], (method, path)
    assert "429" in doc["paths"]["/api/join"]["post"]["responses"]
    assert "429" in doc["paths"]["/api/workshops"]["post"]["responses"]
    assert "patch" in doc["paths"]["/api/me"]


def test_cards_csv_names_its_charset_once(sqlite_app):
    http = sqlite_app.test_client()
    workshop = new_workshop(http)
    r = http.get(f"/api/maps/{workshop.map_id}/export/cards.csv", headers={"Authorization": f"Bearer {workshop.token}"})
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "text/csv; charset=utf-8"


def test_socket_io_long_polling_answers_carry_the_same_walls(sqlite_app):
    """Engine.IO answers polling itself, below Flask: its answers get nosniff and no-store too."""
    http = sqlite_app.test_client()
    r = http.get("/socket.io/?EIO=4&transport=polling")
    assert r.status_code == 200 and r.data.startswith(b"0{")  # an Engine.IO open packet
    assert r.headers.get("X-Content-Type-Options") == "nosniff"
    assert r.headers.get("Cache-Control") == "no-store"
    assert "default-src 'none'" in r.headers.get("Content-Security-Policy", "")
    assert http.get("/socket.io/?EIO=4&transport=polling&sid=nope").headers.get("X-Content-Type-Options") == "nosniff"


def test_no_answer_sets_a_session_cookie_and_the_flask_session_cannot_be_written(sqlite_app):
    """Callers are known by their bearer token only: no page, API answer or Socket.IO handshake
    sets a session cookie (the one cookie is the page language a visitor chose), and code that tried
    to keep something in `flask.session` would fail loudly."""
    import flask
    import pytest

    http = sqlite_app.test_client()
    workshop = new_workshop(http)
    for path in (
        "/",
        f"/join/{workshop.code}",
        f"/board/{workshop.map_id}?lang=en",
        "/socket.io/?EIO=4&transport=polling",
    ):
        cookies = http.get(path).headers.getlist("Set-Cookie")
        assert not [c for c in cookies if c.startswith("session=")], (path, cookies)
    with sqlite_app.test_request_context("/"), pytest.raises(RuntimeError):
        flask.session["who"] = "someone"
