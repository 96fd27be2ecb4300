"""Hostile imports and greedy exports (issue #8 points 3, 5 and 6): who may import, how much, how
often; documents of the wrong shape answer 400 (never 500) with an error that says what to change;
exports are bounded in concurrency and in the files they leave behind."""

from __future__ import annotations

import copy
import json
import uuid
from typing import Any

import pytest

from workshop.config import Limit, default_throttles
from workshop.export import json_io, limits

from ..api import auth
from ..apps import close, make_app


@pytest.fixture
def app(tmp_path):
    # The per-address throttles on joining and creating have their own tests; these make many workshops.
    open_door = Limit(burst=100_000, per_minute=100_000)
    application = make_app(
        f"sqlite:///{tmp_path / 'sec.db'}", tmp_path, throttles={k: open_door for k in default_throttles()}
    )
    yield application
    close(application)


@pytest.fixture
def http(app):
    return app.test_client()


def small_doc() -> dict[str, Any]:
    """A valid document with one step, one lane, two cards, a sheet and a vote."""
    return {
        "format": "parcours.workshop",
        "version": 1,
        "workshop": {"title": "Petit", "locale": "fr"},
        "participants": [
            {"id": "f", "name": "Animateur", "role": "facilitator"},
            {"id": "p", "name": "Ana", "role": "participant", "perspective": "customer"},
        ],
        "maps": [
            {
                "map": {"title": "Parcours", "type": "journey"},
                "steps": [{"id": "s", "title": "Arriver", "position": 0}],
                "lanes": [{"id": "l", "title": "Irritants", "kind": "irritants", "position": 0}],
                "cards": [
                    {
                        "id": "c1",
                        "lane_id": "l",
                        "step_id": "s",
                        "kind": "idea",
                        "text": "Une",
                        "position": 0,
                        "author_id": "p",
                    },
                    {
                        "id": "c2",
                        "lane_id": "l",
                        "step_id": "s",
                        "kind": "idea",
                        "text": "Deux",
                        "position": 1,
                        "builds_on": "c1",
                        "author_id": "p",
                    },
                ],
                "chantiers": [{"id": "k", "title": "Fiche", "position": 0, "step_ids": ["s"], "card_ids": ["c1"]}],
                "rounds": [
                    {
                        "id": "r",
                        "target": "card",
                        "budget": 2,
                        "open": False,
                        "votes": [{"participant_id": "p", "target_id": "c1"}],
                    }
                ],
            }
        ],
    }


def post_import(http, token: str | None, body: Any, **kwargs: Any):
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    headers = {**(auth(token) if token else {}), **kwargs.pop("headers", {})}
    return http.post(
        "/api/workshops/import" + kwargs.pop("query", ""), data=data, content_type="application/json", headers=headers
    )


# -- who may import, how much, how often -------------------------------------------------------------


def test_an_import_needs_a_facilitators_token_of_this_server(http, api):
    ws = api.create()
    joined = http.post("/api/join", json={"code": ws["join_code"], "name": "Ana"}).get_json()
    res = post_import(http, None, small_doc())
    assert res.status_code == 401 and res.get_json()["error"]["code"] == "unauthorized"
    assert post_import(http, "not-a-token", small_doc()).status_code == 401
    res = post_import(http, joined["token"], small_doc())
    assert res.status_code == 403 and res.get_json()["error"]["code"] == "forbidden"
    res = post_import(http, ws["facilitator_token"], small_doc())  # any workshop's facilitator
    assert res.status_code == 201, res.get_json()
    assert res.get_json()["workshop"]["id"] != ws["workshop"]["id"]


def test_imports_from_one_address_are_rate_limited_with_retry_after(http, api):
    token = api.create()["facilitator_token"]
    answers = [post_import(http, token, b"{}").status_code for _ in range(limits.IMPORT_BURST + 3)]
    assert answers[: limits.IMPORT_BURST] == [400] * limits.IMPORT_BURST
    res = post_import(http, token, b"{}")
    assert res.status_code == 429 and res.get_json()["error"]["code"] == "rate_limited"
    assert int(res.headers["Retry-After"]) > 0
    # Another address is not slowed down by this one.
    other = http.post(
        "/api/workshops/import",
        data=b"{}",
        content_type="application/json",
        headers=auth(token),
        environ_base={"REMOTE_ADDR": "10.9.8.7"},
    )
    assert other.status_code == 400


def test_an_import_larger_than_the_cap_answers_413(http, api):
    token = api.create()["facilitator_token"]
    res = post_import(http, token, b" " * (json_io.MAX_BYTES + 1))
    assert res.status_code == 413 and res.get_json()["error"]["code"] == "too_large"
    assert "8" in res.get_json()["error"]["message"]


def test_too_many_items_answer_too_large_before_anything_is_made(app, http, api):
    token = api.create()["facilitator_token"]
    doc = small_doc()
    doc["maps"][0]["comments"] = [{"id": f"x{i}", "target_id": "s", "text": "."} for i in range(json_io.MAX_ITEMS)]
    res = post_import(http, token, doc)
    assert res.status_code == 413 and res.get_json()["error"]["code"] == "too_large"


# -- documents of the wrong shape: 400, never 500 ----------------------------------------------------


def _broken(path: str, value: Any) -> dict[str, Any]:
    doc = copy.deepcopy(small_doc())
    target: Any = doc
    *parents, last = path.split(".")
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    target[int(last) if last.isdigit() else last] = value
    return doc


WRONG_TYPES = [
    ("maps.0.cards.0.position", "first"),
    ("maps.0.cards.0.position", [1]),
    ("maps.0.steps.0.position", {"a": 1}),
    ("maps.0.lanes.0.position", None),
    ("maps.0.cards.1.builds_on", 42),
    ("maps.0.cards.1.builds_on", ["c1"]),
    ("maps.0.chantiers.0.step_ids", "s"),
    ("maps.0.chantiers.0.step_ids", [1, 2]),
    ("maps.0.chantiers.0.card_ids", {"c1": True}),
    ("maps.0.rounds.0.votes", "all"),
    ("maps.0.rounds.0.votes", [1]),
    ("maps.0.rounds.0.votes", [{"participant_id": "p"}]),
    ("maps.0.rounds.0.budget", "many"),
    ("maps.0.rounds.0.results", [{"target_id": "c1", "votes": -3}]),
    ("maps.0.cards.0.text", {"nested": ["x"]}),
    ("maps.0.cards.0.kind", "bogus"),
    ("maps.0.chantiers.0.end", "not a date"),
    ("maps.0.map", []),
    ("participants", {"f": 1}),
    ("workshop", "Atelier"),
]


@pytest.mark.parametrize("path,value", WRONG_TYPES, ids=[f"{p}={v!r}"[:60] for p, v in WRONG_TYPES])
def test_a_document_with_a_wrong_type_answers_400_naming_the_field(app, http, path, value, api):
    token = api.create()["facilitator_token"]
    from workshop.models import Workshop

    with app.extensions["parcours"].db.read() as s:
        before = s.query(Workshop).count()
    res = post_import(http, token, _broken(path, value), query="?lang=en")
    body = res.get_json()
    assert res.status_code == 400, body
    assert body["error"]["code"] == "invalid"
    head = path.rsplit(".", 1)[0] if path.count(".") >= 3 else path.split(".")[0]
    assert head in body["error"].get("field", "") + body["error"]["message"], body
    with app.extensions["parcours"].db.read() as s:
        assert s.query(Workshop).count() == before  # nothing left behind


def test_deep_nesting_answers_400(http, api):
    token = api.create()["facilitator_token"]
    deep = '{"workshop": {"title": "x"}, "maps": ' + "[" * 20_000 + "]" * 20_000 + "}"
    res = post_import(http, token, deep.encode())
    assert res.status_code == 400 and res.get_json()["error"]["code"] == "invalid"
    deep_field = '{"workshop": {"title": ' + "[" * 20_000 + "]" * 20_000 + "}}"
    assert post_import(http, token, deep_field.encode()).status_code == 400


def test_cards_building_on_each_other_in_a_loop_are_refused(http, api):
    token = api.create()["facilitator_token"]
    doc = _broken("maps.0.cards.0.builds_on", "c2")
    res = post_import(http, token, doc, query="?lang=en")
    assert res.status_code == 400 and "loop" in res.get_json()["error"]["message"]


def test_import_errors_speak_the_users_language_and_say_what_to_change(http, api):
    token = api.create()["facilitator_token"]
    doc = _broken("maps.0.cards.0.text", "x" * 5001)
    fr = post_import(http, token, doc, headers={"Accept-Language": "fr-FR,fr;q=0.9"}).get_json()["error"]
    en = post_import(http, token, doc, query="?lang=en").get_json()["error"]
    assert fr["field"] == en["field"] == "maps.0.cards.0.text"
    assert "La carte n°\u00a01 de la carte «\u00a0Parcours\u00a0»" in fr["message"] and "5000" in fr["message"]
    assert "raccourcissez" in fr["message"]
    assert en["message"].startswith("Card no. 1 of map “Parcours”") and "shorten it" in en["message"]
    assert "\u00a0:" not in en["message"]


def test_an_exported_sheet_with_inverted_dates_imports_back(http, api):
    ws = api.create()
    token, mid = ws["facilitator_token"], ws["map"]["id"]
    add = http.post(
        f"/api/maps/{mid}/ops",
        headers=auth(token),
        json={"op_id": str(uuid.uuid4()), "type": "chantier.add", "title": "Fiche", "start": "2027-05-01"},
    )
    sheet = add.get_json()["data"]
    upd = http.post(
        f"/api/maps/{mid}/ops",
        headers=auth(token),
        json={"op_id": str(uuid.uuid4()), "type": "chantier.update", "id": sheet["id"], "end": "2027-01-01"},
    )
    assert upd.status_code == 200, upd.get_json()
    doc = http.get(f"/api/workshops/{ws['workshop']['id']}/export/workshop.json", headers=auth(token)).get_json()
    res = post_import(http, token, doc)
    assert res.status_code == 201, res.get_json()


# -- exports: bounded ---------------------------------------------------------------------------------


def test_exports_leave_only_the_newest_files_behind(app, http, api):
    ws = api.create()
    for _ in range(limits.EXPORTS_KEPT + 5):
        assert (
            http.get(f"/api/maps/{ws['map']['id']}/export/cards.csv", headers=auth(ws["facilitator_token"])).status_code
            == 200
        )
        api.create(title=f"Autre {uuid.uuid4().hex[:6]}")  # file names differ by workshop
        ws = api.create(title=f"Atelier {uuid.uuid4().hex[:6]}")
    files = [p for p in app.extensions["parcours"].settings.exports_dir.iterdir() if not p.name.startswith(".")]
    assert 0 < len(files) <= limits.EXPORTS_KEPT


def test_pdf_exports_beyond_the_limit_answer_429_with_retry_after(app, http, api):
    ws = api.create()
    member = http.post("/api/join", json={"code": ws["join_code"], "name": "Obs", "role": "observer"}).get_json()
    url = f"/api/workshops/{ws['workshop']['id']}/export/report.pdf"
    gate = app.extensions.setdefault("parcours.export_limits", limits.Limits()).pdf
    # The same member while one of its PDFs renders:
    assert gate.try_enter(member["participant"]["id"])
    res = http.get(url, headers=auth(member["token"]))
    assert res.status_code == 429 and res.get_json()["error"]["code"] == "rate_limited"
    assert int(res.headers["Retry-After"]) > 0
    gate.leave(member["participant"]["id"])
    # Anyone while the server renders as many PDFs as it allows:
    for i in range(limits.PDF_AT_ONCE):
        assert gate.try_enter(f"someone-{i}")
    res = http.get(url, headers=auth(ws["facilitator_token"]))
    assert res.status_code == 429 and "Retry-After" in res.headers
    for i in range(limits.PDF_AT_ONCE):
        gate.leave(f"someone-{i}")
    assert http.get(url, headers=auth(member["token"])).status_code == 200


def test_cards_csv_says_its_charset_once(http, api):
    ws = api.create()
    res = http.get(f"/api/maps/{ws['map']['id']}/export/cards.csv", headers=auth(ws["facilitator_token"]))
    assert res.status_code == 200
    assert res.headers["Content-Type"].lower().count("charset") == 1
    assert res.headers["Content-Type"].lower().replace(" ", "") == "text/csv;charset=utf-8"
