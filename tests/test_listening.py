"""Mirror listening (CONTRACT.md §7) through the REST adapter: silos, idempotency, the respondent's key
kept secret, closing, deleted steps, bad inputs, limits, the CSV export and the live counters."""

from __future__ import annotations

import csv
import io
import time
import uuid

import pytest

from workshop.listening import limits

from .api import auth


@pytest.fixture
def ws(http):
    res = http.post("/api/workshops", json={"title": "Atelier", "map_type": "journey", "locale": "fr"})
    ws = res.get_json()
    snap = http.get(f"/api/maps/{ws['map']['id']}", headers=auth(ws["facilitator_token"])).get_json()
    ws["steps"] = [s["id"] for s in snap["steps"]]
    ws["lanes"] = snap["lanes"]
    return ws


def create_listening(http, ws, **body):
    res = http.post(f"/api/maps/{ws['map']['id']}/listenings", json=body, headers=auth(ws["facilitator_token"]))
    assert res.status_code == 201, res.get_json()
    return res.get_json()["listening"]


def put(http, code, rid, answers):
    return http.put(f"/api/listen/{code}/responses/{rid}", json={"answers": answers})


def results(http, ws, lid):
    res = http.get(f"/api/listenings/{lid}", headers=auth(ws["facilitator_token"]))
    assert res.status_code == 200, res.get_json()
    return res.get_json()["results"]


def test_the_facilitator_gets_two_secret_links_and_members_see_neither(http, ws):
    li = create_listening(http, ws, title="Vague 1", invited={"customer": 100, "employee": 20})
    assert li["codes"]["customer"] != li["codes"]["employee"]
    assert li["urls"]["customer"].endswith(f"/listen/{li['codes']['customer']}")
    assert li["invited"] == {"customer": 100, "employee": 20} and li["status"] == "open"
    alice = http.post("/api/join", json={"code": ws["join_code"], "name": "Alice"}).get_json()
    listed = http.get(f"/api/maps/{ws['map']['id']}/listenings", headers=auth(alice["token"])).get_json()
    assert listed["listenings"][0]["codes"] is None and listed["listenings"][0]["urls"] is None
    assert (
        http.post(f"/api/maps/{ws['map']['id']}/listenings", json={}, headers=auth(alice["token"])).status_code == 403
    )
    assert (
        http.patch(f"/api/listenings/{li['id']}", json={"status": "closed"}, headers=auth(alice["token"])).status_code
        == 403
    )
    assert http.get(f"/api/listenings/{li['id']}").status_code == 401


def test_another_workshop_cannot_see_a_listening(http, ws):
    li = create_listening(http, ws)
    other = http.post("/api/workshops", json={"title": "Autre"}).get_json()
    assert http.get(f"/api/listenings/{li['id']}", headers=auth(other["facilitator_token"])).status_code == 404
    assert (
        http.get(f"/api/maps/{ws['map']['id']}/listenings", headers=auth(other["facilitator_token"])).status_code == 404
    )


def test_the_respondent_page_data_names_its_silo_and_the_steps_but_no_answers(http, ws):
    li = create_listening(http, ws, title="Vague 1")
    res = http.get(f"/api/listen/{li['codes']['employee']}")
    data = res.get_json()
    assert data["listening"] == {"title": "Vague 1", "silo": "employee", "status": "open", "locale": "fr"}
    assert [s["id"] for s in data["steps"]] == ws["steps"]
    assert all(s["stage"] for s in data["steps"])
    assert http.get("/api/listen/NOPE").status_code == 404
    page = http.get(f"/listen/{li['codes']['customer']}")
    assert page.status_code == 200 and b'id="listen-form"' in page.data
    assert http.get("/listen/WRONGCODE").status_code == 404


def test_put_creates_then_replaces_and_the_same_body_changes_nothing(http, ws):
    li = create_listening(http, ws)
    code, rid = li["codes"]["customer"], str(uuid.uuid4())
    body = [
        {"step_id": ws["steps"][0], "score": -2, "important": True, "verbatim": "Trop long"},
        {"step_id": ws["steps"][1], "score": 1},
    ]
    first = put(http, code, rid, body)
    assert first.status_code == 201
    again = put(http, code, rid, body)
    assert again.status_code == 200
    assert again.get_json() == first.get_json()  # updated_at included: nothing changed
    assert rid not in str(first.get_json())
    replaced = put(http, code, rid, [{"step_id": ws["steps"][1], "score": 2}])
    assert replaced.status_code == 200
    assert replaced.get_json()["response"]["answers"] == [
        {"step_id": ws["steps"][1], "score": 2, "important": False, "verbatim": None}
    ]
    got = http.get(f"/api/listen/{code}/responses/{rid}").get_json()
    assert got == replaced.get_json()
    r = results(http, ws, li["id"])
    assert r["silos"]["customer"]["responses"] == 1
    assert r["steps"][0]["customer"]["count"] == 0 and r["steps"][1]["customer"]["average"] == 2


def test_a_rid_first_used_in_one_silo_is_refused_in_the_other(http, ws):
    li = create_listening(http, ws)
    rid = str(uuid.uuid4())
    assert put(http, li["codes"]["customer"], rid, [{"step_id": ws["steps"][0], "score": 1}]).status_code == 201
    res = put(http, li["codes"]["employee"], rid, [{"step_id": ws["steps"][0], "score": -1}])
    assert res.status_code == 409 and res.get_json()["error"]["code"] == "conflict"
    assert http.get(f"/api/listen/{li['codes']['employee']}/responses/{rid}").status_code == 404
    r = results(http, ws, li["id"])
    assert r["silos"]["employee"]["responses"] == 0 and r["steps"][0]["customer"]["average"] == 1


def test_results_per_silo_give_averages_distributions_importance_participation_and_the_category(http, ws):
    li = create_listening(http, ws, invited={"customer": 4})
    s0 = ws["steps"][0]
    for score in (2, 1, 1):
        put(
            http, li["codes"]["customer"], str(uuid.uuid4()), [{"step_id": s0, "score": score, "important": score == 2}]
        )
    put(http, li["codes"]["customer"], str(uuid.uuid4()), [{"step_id": s0, "important": True, "verbatim": "Bof"}])
    for score in (-2, -1):
        put(http, li["codes"]["employee"], str(uuid.uuid4()), [{"step_id": s0, "score": score}])
    r = results(http, ws, li["id"])
    assert r["silos"] == {
        "customer": {"responses": 4, "invited": 4, "participation": 1.0},
        "employee": {"responses": 2, "invited": None, "participation": None},
    }
    row = r["steps"][0]
    assert row["customer"] == {"average": 1.33, "count": 3, "distribution": [0, 0, 0, 2, 1], "important": 2}
    assert row["employee"] == {"average": -1.5, "count": 2, "distribution": [1, 1, 0, 0, 0], "important": 0}
    assert row["category"] == "pain"
    assert r["steps"][1]["category"] is None and r["steps"][1]["customer"]["average"] is None
    [v] = r["verbatims"]
    assert v["text"] == "Bof" and v["silo"] == "customer" and v["step_id"] == s0 and v["score"] is None


def test_the_rid_appears_nowhere_in_results_listings_or_exports(http, ws):
    li = create_listening(http, ws)
    rid = str(uuid.uuid4())
    put(http, li["codes"]["customer"], rid, [{"step_id": ws["steps"][0], "score": 1, "verbatim": "Super"}])
    fac = auth(ws["facilitator_token"])
    for url in (
        f"/api/listenings/{li['id']}",
        f"/api/listenings/{li['id']}?moderation=1",
        f"/api/maps/{ws['map']['id']}/listenings",
        f"/api/listenings/{li['id']}/export/responses.csv",
        f"/api/workshops/{ws['workshop']['id']}/export/workshop.json",
    ):
        body = http.get(url, headers=fac).get_data(as_text=True)
        assert rid not in body, url
    assert results(http, ws, li["id"])["verbatims"][0]["id"] != rid


def test_a_closed_listening_refuses_answers_and_reopening_accepts_them(http, ws):
    li = create_listening(http, ws)
    fac = auth(ws["facilitator_token"])
    res = http.patch(f"/api/listenings/{li['id']}", json={"status": "closed"}, headers=fac)
    assert res.get_json()["listening"]["status"] == "closed"
    refused = put(http, li["codes"]["customer"], str(uuid.uuid4()), [{"step_id": ws["steps"][0], "score": 1}])
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "closed"
    assert http.get(f"/api/listen/{li['codes']['customer']}").get_json()["listening"]["status"] == "closed"
    http.patch(f"/api/listenings/{li['id']}", json={"status": "open", "invited": {"employee": 5}}, headers=fac)
    assert (
        put(http, li["codes"]["customer"], str(uuid.uuid4()), [{"step_id": ws["steps"][0], "score": 1}]).status_code
        == 201
    )
    assert results(http, ws, li["id"])["silos"]["employee"]["invited"] == 5


def test_deleting_a_step_drops_its_answers_and_a_response_left_without_answers(http, ws):
    li = create_listening(http, ws)
    only_first, both = str(uuid.uuid4()), str(uuid.uuid4())
    put(http, li["codes"]["customer"], only_first, [{"step_id": ws["steps"][0], "score": -2, "verbatim": "Non"}])
    put(
        http,
        li["codes"]["customer"],
        both,
        [{"step_id": ws["steps"][0], "score": 2}, {"step_id": ws["steps"][1], "score": 1}],
    )
    ack = http.post(
        f"/api/maps/{ws['map']['id']}/ops",
        headers=auth(ws["facilitator_token"]),
        json={"op_id": str(uuid.uuid4()), "type": "step.delete", "id": ws["steps"][0]},
    )
    assert ack.status_code == 200
    r = results(http, ws, li["id"])
    assert r["silos"]["customer"]["responses"] == 1
    assert ws["steps"][0] not in [row["step_id"] for row in r["steps"]]
    assert r["verbatims"] == []
    csv_text = http.get(
        f"/api/listenings/{li['id']}/export/responses.csv", headers=auth(ws["facilitator_token"])
    ).get_data(as_text=True)
    assert "Non" not in csv_text
    refused = put(http, li["codes"]["customer"], only_first, [{"step_id": ws["steps"][0], "score": 1}])
    assert refused.status_code == 400 and refused.get_json()["error"]["field"] == "answers.0.step_id"


@pytest.mark.parametrize(
    "answers, field",
    [
        ([], "answers"),
        ([{"step_id": "S0", "score": 3}], "answers.0.score"),
        ([{"step_id": "S0", "score": -3}], "answers.0.score"),
        ([{"step_id": "S0", "score": 1.5}], "answers.0.score"),
        ([{"step_id": "S0", "score": "1"}], "answers.0.score"),
        ([{"step_id": "S0", "score": True}], "answers.0.score"),
        ([{"step_id": "S0", "score": 1, "mood": "x"}], "answers.0.mood"),
        ([{"step_id": "S0", "score": 1}, {"step_id": "S0", "score": 2}], "answers.1.step_id"),
        ([{"step_id": "not-a-uuid", "score": 1}], "answers.0.step_id"),
        ([{"step_id": "00000000-0000-4000-8000-000000000000", "score": 1}], "answers.0.step_id"),
        ([{"step_id": "S0", "score": None, "important": True}], "answers"),
        ([{"step_id": "S0", "score": None, "verbatim": "   "}], "answers"),
    ],
)
def test_bad_answers_are_refused_with_the_field_named(http, ws, answers, field):
    li = create_listening(http, ws)
    for a in answers:
        if a.get("step_id") == "S0":
            a["step_id"] = ws["steps"][0]
    res = put(http, li["codes"]["customer"], str(uuid.uuid4()), answers)
    assert res.status_code == 400, res.get_json()
    assert res.get_json()["error"] == {**res.get_json()["error"], "code": "invalid", "field": field}


def test_bad_bodies_rids_codes_and_unknown_fields_are_refused_without_a_crash(http, ws):
    li = create_listening(http, ws)
    code = li["codes"]["customer"]
    good = {"answers": [{"step_id": ws["steps"][0], "score": 1}]}
    assert (
        http.put(f"/api/listen/{code}/responses/{uuid.uuid4()}", data="{", content_type="application/json").status_code
        == 400
    )
    assert http.put(f"/api/listen/{code}/responses/{uuid.uuid4()}", json=[1]).status_code == 400
    res = http.put(f"/api/listen/{code}/responses/{uuid.uuid4()}", json={**good, "ip": "1.2.3.4"})
    assert res.status_code == 400 and res.get_json()["error"]["field"] == "ip"
    res = http.put(f"/api/listen/{code}/responses/not-a-uuid", json=good)
    assert res.status_code == 400 and res.get_json()["error"]["field"] == "rid"
    res = http.put(f"/api/listen/WRONG/responses/{uuid.uuid4()}", json=good)
    assert res.status_code == 404 and res.get_json()["error"]["code"] == "not_found"
    fac = auth(ws["facilitator_token"])
    for body in ({"invited": {"customer": -1}}, {"status": "paused"}, {"title": "x" * 201}, {"color": "red"}):
        res = http.patch(f"/api/listenings/{li['id']}", json=body, headers=fac)
        assert res.status_code in (400, 413) and "error" in res.get_json(), body


def test_a_verbatim_over_1000_characters_and_a_body_over_64_kb_are_too_large(http, ws):
    li = create_listening(http, ws)
    code = li["codes"]["customer"]
    res = put(http, code, str(uuid.uuid4()), [{"step_id": ws["steps"][0], "verbatim": "x" * 1001}])
    assert res.status_code == 413 and res.get_json()["error"]["code"] == "too_large"
    assert put(http, code, str(uuid.uuid4()), [{"step_id": ws["steps"][0], "verbatim": "x" * 1000}]).status_code == 201
    huge = {"answers": [{"step_id": ws["steps"][0], "score": 1}], "pad": "x" * 70_000}
    res = http.put(f"/api/listen/{code}/responses/{uuid.uuid4()}", json=huge)
    assert res.status_code == 413 and res.get_json()["error"]["code"] == "too_large"


def test_a_runaway_device_is_slowed_down_but_a_crowd_behind_one_address_is_not(http, ws):
    li = create_listening(http, ws)
    code = li["codes"]["customer"]
    answers = [{"step_id": ws["steps"][0], "score": 1}]
    rid = str(uuid.uuid4())
    statuses = [put(http, code, rid, answers).status_code for _ in range(int(limits.RID_BURST) + 3)]
    assert statuses.count(429) >= 2
    res = put(http, code, rid, answers)
    assert res.status_code == 429 and int(res.headers["Retry-After"]) >= 1
    assert res.get_json()["error"]["code"] == "rate_limited"
    # Two hundred other people on the same test client (one address) all get through.
    crowd = [put(http, code, str(uuid.uuid4()), answers).status_code for _ in range(200)]
    assert crowd == [201] * 200


def test_responses_csv_neutralises_formulas_keeps_negative_scores_as_numbers_and_omits_rids(http, ws):
    li = create_listening(http, ws)
    rid = str(uuid.uuid4())
    put(
        http,
        li["codes"]["employee"],
        rid,
        [
            {"step_id": ws["steps"][0], "score": -2, "verbatim": '=HYPERLINK("http://x")'},
            {"step_id": ws["steps"][1], "score": -1, "verbatim": "-1+1"},
            {"step_id": ws["steps"][2], "score": 0, "verbatim": "@SUM(A1)"},
            {"step_id": ws["steps"][3], "score": 2, "verbatim": "+33 6"},
        ],
    )
    alice = http.post("/api/join", json={"code": ws["join_code"], "name": "Alice"}).get_json()
    assert http.get(f"/api/listenings/{li['id']}/export/responses.csv", headers=auth(alice["token"])).status_code == 403
    res = http.get(f"/api/listenings/{li['id']}/export/responses.csv", headers=auth(ws["facilitator_token"]))
    assert res.status_code == 200 and res.mimetype == "text/csv"
    text = res.get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Silo", "Macro-étape", "Étape", "Score", "Important", "Verbatim", "Mis à jour"]
    body = rows[1:]
    assert [r[3] for r in body] == ["-2", "-1", "0", "2"]
    assert [r[5] for r in body] == ['\'=HYPERLINK("http://x")', "'-1+1", "'@SUM(A1)", "'+33 6"]
    assert all(r[0] == "collaborateur" for r in body)
    assert rid not in text


def test_a_hidden_verbatim_leaves_results_and_exports_and_stays_hidden_when_edited(http, ws):
    li = create_listening(http, ws)
    rid = str(uuid.uuid4())
    put(http, li["codes"]["customer"], rid, [{"step_id": ws["steps"][0], "score": -2, "verbatim": "Insulte"}])
    [v] = results(http, ws, li["id"])["verbatims"]
    fac = auth(ws["facilitator_token"])
    res = http.patch(f"/api/listenings/{li['id']}/verbatims/{v['id']}", json={"hidden": True}, headers=fac)
    assert res.status_code == 200
    r = results(http, ws, li["id"])
    assert r["verbatims"] == [] and r["steps"][0]["customer"]["count"] == 1
    assert "Insulte" not in http.get(f"/api/listenings/{li['id']}/export/responses.csv", headers=fac).get_data(
        as_text=True
    )
    put(http, li["codes"]["customer"], rid, [{"step_id": ws["steps"][0], "score": -2, "verbatim": "Insulte 2"}])
    assert results(http, ws, li["id"])["verbatims"] == []
    hidden = http.get(f"/api/listenings/{li['id']}?moderation=1", headers=fac).get_json()["hidden_verbatims"]
    assert [h["text"] for h in hidden] == ["Insulte 2"]


def test_members_joined_to_the_map_get_a_merged_listening_event_with_the_counts(app, http, ws):
    li = create_listening(http, ws)
    client = app.extensions["socketio"].test_client(
        app, flask_test_client=http, auth={"token": ws["facilitator_token"]}
    )
    assert client.emit("join", {"map_id": ws["map"]["id"]}, callback=True)["ok"]
    client.get_received()
    for _ in range(5):
        put(http, li["codes"]["customer"], str(uuid.uuid4()), [{"step_id": ws["steps"][0], "score": 1}])
    put(http, li["codes"]["employee"], str(uuid.uuid4()), [{"step_id": ws["steps"][0], "score": 1}])
    got: list = []
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        got += [p["args"][0] for p in client.get_received() if p["name"] == "listening"]
        if got and got[-1]["silos"] == {"customer": {"responses": 5}, "employee": {"responses": 1}}:
            break
        time.sleep(0.1)
    assert got[-1] == {
        "map_id": ws["map"]["id"],
        "listening_id": li["id"],
        "silos": {"customer": {"responses": 5}, "employee": {"responses": 1}},
    }
    assert len(got) <= 3  # six responses, merged
    client.disconnect()


def test_the_demo_has_a_closed_listening_with_customer_and_employee_responses(tmp_path):
    from sqlalchemy import select

    from workshop.auth import actor_of
    from workshop.db import Database
    from workshop.demo import create_demo
    from workshop.listening import service
    from workshop.models import Listening, Participant

    db = Database(f"sqlite:///{tmp_path / 'demo.db'}")
    db.migrate()
    demo = create_demo(db)
    with db.read() as s:
        li = s.scalar(select(Listening).where(Listening.map_id == demo["map_id"]))
        fac = actor_of(
            s.scalar(
                select(Participant).where(
                    Participant.workshop_id == demo["workshop_id"], Participant.role == "facilitator"
                )
            )
        )
    got = service.get(db, fac, li.id, "http://x")
    assert got["listening"]["status"] == "closed"
    silos = got["results"]["silos"]
    assert silos["customer"]["responses"] == 40 and silos["employee"]["responses"] == 12
    assert 0 < silos["customer"]["participation"] < 1
    assert {r["category"] for r in got["results"]["steps"]} & {"pain", "blindness", "dead_end", "wrong_fight"}
    assert {v["silo"] for v in got["results"]["verbatims"]} == {"customer", "employee"}
    db.dispose()


def test_the_openapi_document_describes_every_listening_route(app, http):
    doc = http.get("/api/openapi.json").get_json()
    rules = {
        str(r.rule).replace("<", "{").replace(">", "}")
        for r in app.url_map.iter_rules()
        if r.endpoint.startswith("listening.") and not r.rule.startswith("/qr/")
    }
    assert rules <= set(doc["paths"])
    assert "ResponseBody" in doc["components"]["schemas"] and "Answer" in doc["components"]["schemas"]


def test_workshop_json_carries_listenings_and_responses_without_rids_and_an_import_gives_the_same_results(http, ws):
    li = create_listening(http, ws, title="Vague 1", invited={"customer": 10})
    rids = [str(uuid.uuid4()) for _ in range(3)]
    put(http, li["codes"]["customer"], rids[0], [{"step_id": ws["steps"][0], "score": -2, "verbatim": "Trop cher"}])
    put(http, li["codes"]["customer"], rids[1], [{"step_id": ws["steps"][0], "score": 1, "verbatim": "Caché"}])
    put(http, li["codes"]["employee"], rids[2], [{"step_id": ws["steps"][1], "score": 2, "important": True}])
    hidden = next(v for v in results(http, ws, li["id"])["verbatims"] if v["text"] == "Caché")
    fac = auth(ws["facilitator_token"])
    http.patch(f"/api/listenings/{li['id']}/verbatims/{hidden['id']}", json={"hidden": True}, headers=fac)
    res = http.get(f"/api/workshops/{ws['workshop']['id']}/export/workshop.json", headers=fac)
    text = res.get_data(as_text=True)
    assert not any(rid in text for rid in rids) and li["codes"]["customer"] not in text and "Caché" not in text
    [exported] = res.get_json()["maps"][0]["listenings"]
    assert exported["title"] == "Vague 1" and len(exported["responses"]) == 3
    alice = http.post("/api/join", json={"code": ws["join_code"], "name": "Alice"}).get_json()
    theirs = http.get(f"/api/workshops/{ws['workshop']['id']}/export/workshop.json", headers=auth(alice["token"]))
    [seen] = theirs.get_json()["maps"][0]["listenings"]
    assert "responses" not in seen and seen["results"]["silos"] == exported["results"]["silos"]

    imported = http.post("/api/workshops/import", json=res.get_json(), headers=fac)
    assert imported.status_code == 201, imported.get_json()
    new = imported.get_json()
    listed = http.get(f"/api/maps/{new['map']['id']}/listenings", headers=auth(new["facilitator_token"])).get_json()[
        "listenings"
    ]
    [copy] = listed
    assert copy["codes"]["customer"] != li["codes"]["customer"] and copy["invited"]["customer"] == 10
    again = http.get(f"/api/listenings/{copy['id']}", headers=auth(new["facilitator_token"])).get_json()["results"]
    before = exported["results"]
    assert again["silos"] == before["silos"]
    assert [(r["customer"], r["employee"], r["category"]) for r in again["steps"]] == [
        (r["customer"], r["employee"], r["category"]) for r in before["steps"]
    ]
    assert [v["text"] for v in again["verbatims"]] == ["Trop cher"]
    # The old respondent keys open nothing on the imported listening.
    assert (
        put(
            http, copy["codes"]["customer"], rids[0], [{"step_id": again["steps"][0]["step_id"], "score": 1}]
        ).status_code
        == 201
    )


def test_report_pdf_has_a_mirror_listening_section_once_a_listening_has_answers(http, ws):
    from pypdf import PdfReader

    fac = auth(ws["facilitator_token"])
    li = create_listening(http, ws, title="Vague de mai", invited={"customer": 4})
    url = f"/api/workshops/{ws['workshop']['id']}/export/report.pdf"
    before = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(http.get(url, headers=fac).data)).pages)
    assert "Vague de mai" not in before  # no answers yet: no section
    put(
        http,
        li["codes"]["customer"],
        str(uuid.uuid4()),
        [{"step_id": ws["steps"][0], "score": 2, "verbatim": "Parfait"}],
    )
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(http.get(url, headers=fac).data)).pages)
    assert (
        "Vague de mai".upper() in text.upper()
        and "Participation par silo" in text
        and "25 %" in text.replace("\u00a0", " ")
    )
    assert "Parfait" in text


def test_closing_a_listening_tells_the_members_panels(app, http, ws):
    li = create_listening(http, ws)
    client = app.extensions["socketio"].test_client(
        app, flask_test_client=http, auth={"token": ws["facilitator_token"]}
    )
    assert client.emit("join", {"map_id": ws["map"]["id"]}, callback=True)["ok"]
    client.get_received()
    http.patch(f"/api/listenings/{li['id']}", json={"status": "closed"}, headers=auth(ws["facilitator_token"]))
    got: list = []
    deadline = time.monotonic() + 10
    while not got and time.monotonic() < deadline:
        got = [p["args"][0] for p in client.get_received() if p["name"] == "listening"]
        time.sleep(0.1)
    assert got and got[0]["listening_id"] == li["id"]
    client.disconnect()


def test_saves_beyond_the_gate_wait_or_are_told_to_come_back_and_nothing_is_half_stored(app, http, ws):
    """At most `slots` saves use the database at once and `max_waiting` wait; the next is answered
    429 with a Retry-After at once, and a save that waited too long too (issue #10: respondents
    cannot queue without end in front of the boards)."""
    gate = limits.PutGate(slots=1, max_waiting=1, wait=0.3, retry_after=2)
    app.extensions["listening"].gate = gate
    li = create_listening(http, ws)
    code = li["codes"]["customer"]
    answers = [{"step_id": ws["steps"][0], "score": 1}]
    with gate.slot():  # a save in progress
        started = time.monotonic()
        waited = put(http, code, str(uuid.uuid4()), answers)  # waits its 0.3 s, then comes back later
        assert time.monotonic() - started >= 0.3
        assert waited.status_code == 429 and waited.headers["Retry-After"] == "2"
        assert waited.get_json()["error"]["code"] == "rate_limited"
        gate.waiting = 1  # the one place in the queue is taken: the next save is refused without waiting
        started = time.monotonic()
        refused = put(http, code, str(uuid.uuid4()), answers)
        assert refused.status_code == 429 and time.monotonic() - started < 0.25
        gate.waiting = 0
    assert results(http, ws, li["id"])["silos"]["customer"]["responses"] == 0
    assert put(http, code, str(uuid.uuid4()), answers).status_code == 201  # the slot is free again
    assert results(http, ws, li["id"])["silos"]["customer"]["responses"] == 1
