"""Issue 8.6: where no login is needed, an address cannot guess join codes, tell which exist, or
create workshops without limit; a class joining from one NAT address still gets in."""

from __future__ import annotations

from workshop.config import Limit, default_throttles

from ..apps import close, make_app
from .conftest import new_workshop


def _guess_budget(app) -> int:
    return app.extensions["parcours"].settings.throttles["join_guess"].burst


def test_guessing_join_codes_is_stopped_with_429_and_retry_after(app, http, workshop):
    for i in range(_guess_budget(app)):
        r = http.post("/api/join", json={"code": f"QQQQQQ{i:02d}", "name": "Eve"})
        assert r.status_code == 404
    r = http.post("/api/join", json={"code": "QQQQQQQQ", "name": "Eve"})
    assert r.status_code == 429 and r.json["error"]["code"] == "rate_limited"
    assert int(r.headers["Retry-After"]) > 0
    # The right code answers the same from this address now: the throttle is no oracle either.
    r = http.post("/api/join", json={"code": workshop.code, "name": "Eve"})
    assert r.status_code == 429
    # Another address is not affected.
    r = http.post("/api/join", json={"code": workshop.code, "name": "Zoé"}, environ_base={"REMOTE_ADDR": "10.9.8.7"})
    assert r.status_code == 201


def test_the_join_page_shares_the_budget_of_guesses(sqlite_app):
    http = sqlite_app.test_client()
    workshop = new_workshop(http)
    for _ in range(_guess_budget(sqlite_app)):
        assert http.get("/join/QQQQQQQQ").status_code == 404
    page = http.get(f"/join/{workshop.code}")
    assert page.status_code == 429 and int(page.headers["Retry-After"]) > 0
    assert b"Trop de codes" in page.data or b"Too many codes" in page.data
    assert http.post("/api/join", json={"code": workshop.code, "name": "Eve"}).status_code == 429


def test_the_qr_code_of_a_code_tells_nothing_about_its_existence(sqlite_app):
    http = sqlite_app.test_client()
    workshop = new_workshop(http)
    known, unknown = http.get(f"/qr/{workshop.code}.svg"), http.get("/qr/QQQQQQQQ.svg")
    assert known.status_code == unknown.status_code == 200
    assert known.mimetype == unknown.mimetype == "image/svg+xml"
    assert http.get("/qr/not-a-code!.svg").status_code == 404


def test_a_whole_class_joins_from_one_address(sqlite_app):
    http = sqlite_app.test_client()
    workshop = new_workshop(http)
    for i in range(60):
        assert http.post("/api/join", json={"code": workshop.code, "name": f"Élève {i}"}).status_code == 201


def test_workshop_creation_is_throttled_per_address(sqlite_app):
    http = sqlite_app.test_client()
    burst = sqlite_app.extensions["parcours"].settings.throttles["create"].burst
    for _ in range(burst):
        assert http.post("/api/workshops", json={"title": "Spam"}).status_code == 201
    r = http.post("/api/workshops", json={"title": "Spam"})
    assert r.status_code == 429 and r.json["error"]["code"] == "rate_limited" and "Retry-After" in r.headers


def _guess_from(http, forwarded_for: str) -> int:
    """One wrong join code, with the address a proxy would have added; the answer's status."""
    return http.post(
        "/api/join", json={"code": "QQQQQQQQ", "name": "Eve"}, headers={"X-Forwarded-For": forwarded_for}
    ).status_code


def test_x_forwarded_for_is_ignored_unless_a_proxy_is_trusted(sqlite_url, tmp_path):
    tight = {**default_throttles(), "join_guess": Limit(burst=1, per_minute=1)}
    direct = make_app(sqlite_url, tmp_path, throttles=tight)
    try:
        http = direct.test_client()
        assert _guess_from(http, "1.1.1.1") == 404
        assert _guess_from(http, "2.2.2.2") == 429  # a forged header does not give a fresh bucket
    finally:
        close(direct)
    proxied = make_app(sqlite_url, tmp_path, throttles=tight, trusted_proxies=1)
    try:
        http = proxied.test_client()
        assert _guess_from(http, "1.1.1.1") == 404
        # Behind a trusted proxy, the address it saw is the client's.
        assert _guess_from(http, "2.2.2.2") == 404
        assert _guess_from(http, "2.2.2.2") == 429
    finally:
        close(proxied)


def test_a_leaked_code_cannot_fill_a_workshop_from_many_addresses(sqlite_app):
    """The per-address budgets do not stop a botnet: one workshop takes so many joins a minute, from
    anywhere; another workshop is not affected."""
    http = sqlite_app.test_client()
    workshop, other = new_workshop(http), new_workshop(http)
    burst = sqlite_app.extensions["parcours"].settings.throttles["join_workshop"].burst
    for i in range(burst):
        r = http.post(
            "/api/join",
            json={"code": workshop.code.lower(), "name": f"Bot {i}"},
            environ_base={"REMOTE_ADDR": f"10.1.{i // 250}.{i % 250}"},
        )
        assert r.status_code == 201, r.json
    r = http.post("/api/join", json={"code": workshop.code, "name": "Bot"}, environ_base={"REMOTE_ADDR": "10.2.0.1"})
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
    assert "joining this workshop" in r.json["error"]["message"]
    r = http.post("/api/join", json={"code": other.code, "name": "Zoé"}, environ_base={"REMOTE_ADDR": "10.2.0.1"})
    assert r.status_code == 201
