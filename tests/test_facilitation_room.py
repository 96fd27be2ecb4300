"""Running the room (issue #9): sheet edit conflicts, closed phase, structure edits, timer,
winners → sheets (engine); co-facilitators and revoked links (REST and Socket.IO adapters)."""

from __future__ import annotations

from datetime import datetime, timedelta

from .api import auth
from .test_engine import first_cell, snapshot


def sheet_of(board, viewer, sheet_id):
    return next(s for s in snapshot(board, viewer)["chantiers"] if s["id"] == sheet_id)


# -- point 1: a sheet field never loses text silently ----------------------------------------------


def test_a_sheet_save_based_on_an_outdated_field_gets_a_conflict_and_keeps_the_first_text(board):
    ana, ben = board.join("Ana"), board.join("Ben")
    sheet = board.ok(ana, "chantier.add", title="Caution")
    base = sheet["version"]
    board.ok(ana, "chantier.update", id=sheet["id"], problem="Texte d'Ana", base_version=base)
    ack = board.op(ben, "chantier.update", id=sheet["id"], problem="Texte de Ben", base_version=base)
    assert not ack["ok"] and ack["error"]["code"] == "conflict" and ack["error"]["field"] == "problem"
    assert sheet_of(board, ben, sheet["id"])["problem"] == "Texte d'Ana"
    # Having seen Ana's text (the newer version), Ben may replace it or merge both.
    newer = sheet_of(board, ben, sheet["id"])["version"]
    merged = board.ok(ben, "chantier.update", id=sheet["id"], problem="Texte d'Ana\nTexte de Ben", base_version=newer)
    assert merged["problem"] == "Texte d'Ana\nTexte de Ben"


def test_two_people_editing_different_fields_of_one_sheet_never_conflict(board):
    ana, ben = board.join("Ana"), board.join("Ben")
    sheet = board.ok(ana, "chantier.add", title="Caution")
    base = sheet["version"]
    board.ok(ana, "chantier.update", id=sheet["id"], problem="Le problème", base_version=base)
    board.ok(ben, "chantier.update", id=sheet["id"], objective="L'objectif", base_version=base)
    board.ok(ben, "chantier.update", id=sheet["id"], title="Caution remplacée", base_version=base)
    got = sheet_of(board, ana, sheet["id"])
    assert (got["problem"], got["objective"], got["title"]) == ("Le problème", "L'objectif", "Caution remplacée")


def test_one_person_saving_the_same_field_twice_from_one_base_is_not_a_conflict(board):
    ana = board.join("Ana")
    sheet = board.ok(ana, "chantier.add", title="Caution")
    board.ok(ana, "chantier.update", id=sheet["id"], risks="Un", base_version=sheet["version"])
    assert (
        board.ok(ana, "chantier.update", id=sheet["id"], risks="Un, deux", base_version=sheet["version"])["risks"]
        == "Un, deux"
    )


def test_a_chantier_update_without_base_version_still_wins_as_in_the_contract(board):
    ana, ben = board.join("Ana"), board.join("Ben")
    sheet = board.ok(ana, "chantier.add", title="Caution")
    board.ok(ana, "chantier.update", id=sheet["id"], problem="A", base_version=sheet["version"])
    assert board.ok(ben, "chantier.update", id=sheet["id"], problem="B")["problem"] == "B"


def test_a_title_conflict_is_refused_like_any_field(board):
    ana, ben = board.join("Ana"), board.join("Ben")
    sheet = board.ok(ana, "chantier.add", title="Caution")
    board.ok(ana, "chantier.update", id=sheet["id"], title="Titre d'Ana", base_version=sheet["version"])
    ack = board.op(ben, "chantier.update", id=sheet["id"], title="Titre de Ben", base_version=sheet["version"])
    assert ack["error"]["code"] == "conflict" and ack["error"]["field"] == "title"


# -- point 8: closed phase and structure edits -------------------------------------------------------


def test_the_closed_phase_is_read_only_for_participants_but_not_for_the_facilitator(board):
    ana = board.join("Ana")
    lane, step = first_cell(board)
    board.ok(board.facilitator, "phase.set", phase="closed")
    ack = board.op(ana, "card.add", lane_id=lane, step_id=step, text="Trop tard")
    assert ack["error"]["code"] == "locked"
    assert board.op(ana, "emotion.set", step_id=step, score=1)["error"]["code"] == "locked"
    assert board.op(ana, "chantier.add", title="Après coup")["error"]["code"] == "locked"
    board.ok(board.facilitator, "card.add", lane_id=lane, step_id=step, text="Synthèse")
    board.ok(board.facilitator, "phase.set", phase="chantiers")
    board.ok(ana, "card.add", lane_id=lane, step_id=step, text="Rouvert")


def test_structure_edits_can_be_reserved_to_the_facilitator(board):
    ana = board.join("Ana")
    step = snapshot(board, ana)["steps"][0]["id"]
    # Default: allowed, as CONTRACT §3 says for step.add and step.update.
    assert snapshot(board, ana)["map"]["structure_edits"] == "all"
    board.ok(ana, "step.update", id=step, title="Renommée")
    assert board.op(ana, "board.settings", structure_edits="facilitator")["error"]["code"] == "forbidden"
    assert (
        board.ok(board.facilitator, "board.settings", structure_edits="facilitator")["structure_edits"] == "facilitator"
    )
    assert board.op(ana, "step.update", id=step, title="Encore")["error"]["code"] == "forbidden"
    assert board.op(ana, "step.add", title="Nouvelle")["error"]["code"] == "forbidden"
    board.ok(board.facilitator, "step.add", title="Par l'animateur")
    lane, _ = first_cell(board)
    board.ok(ana, "card.add", lane_id=lane, step_id=step, text="Les cartes restent ouvertes")
    assert board.op(ana, "board.settings", structure_edits="everyone")["error"]["code"] == "invalid"


# -- point 11: timer ---------------------------------------------------------------------------------


def _ends(data):
    return datetime.fromisoformat(data["timer"]["ends_at"].replace("Z", "+00:00"))


def test_a_paused_timer_keeps_its_remaining_time_and_resumes_from_there(board):
    f = board.facilitator
    started = board.ok(f, "timer.start", seconds=300, label="Écriture")
    paused = board.ok(f, "timer.pause")
    assert paused["timer"]["paused_at"] is not None and paused["timer"]["label"] == "Écriture"
    assert snapshot(board, board.join("Ana"))["timer"]["paused_at"] == paused["timer"]["paused_at"]
    left = _ends(paused) - datetime.fromisoformat(paused["timer"]["paused_at"].replace("Z", "+00:00"))
    assert timedelta(seconds=299) <= left <= timedelta(seconds=300)
    resumed = board.ok(f, "timer.resume")
    assert resumed["timer"]["paused_at"] is None and _ends(resumed) >= _ends(started)
    extended = board.ok(f, "timer.extend")
    assert _ends(extended) - _ends(resumed) == timedelta(seconds=60)
    board.ok(f, "timer.stop")
    assert board.op(f, "timer.pause")["error"]["code"] == "conflict"


def test_a_minute_more_on_a_paused_timer_adds_to_what_is_left(board):
    f = board.facilitator
    board.ok(f, "timer.start", seconds=30)
    paused = board.ok(f, "timer.pause")
    more = board.ok(f, "timer.extend", seconds=60)
    assert (
        _ends(more) - _ends(paused) == timedelta(seconds=60)
        and more["timer"]["paused_at"] == paused["timer"]["paused_at"]
    )


def test_participants_cannot_pause_or_extend_the_timer(board):
    ana = board.join("Ana")
    board.ok(board.facilitator, "timer.start", seconds=60)
    for type_ in ("timer.pause", "timer.resume", "timer.extend"):
        assert board.op(ana, type_)["error"]["code"] == "forbidden"


# -- point 9: winners become sheets ------------------------------------------------------------------


def test_retained_ideas_become_one_sheet_each_once(board):
    lane, step = first_cell(board)
    f = board.facilitator
    ideas = [
        board.ok(f, "card.add", lane_id=lane, step_id=step, kind="idea", text=t)["id"]
        for t in ("Caution remboursée en 24 h\nDétails", "Un seul formulaire", "Pas retenue")
    ]
    round_ = board.ok(f, "round.open", target="card", budget=3)
    ana = board.join("Ana")
    for target in (ideas[0], ideas[0], ideas[1]):
        board.ok(ana, "vote.cast", round_id=round_["id"], target_id=target)
    board.ok(f, "round.close", id=round_["id"])
    board.ok(f, "round.promote", id=round_["id"], count=2)
    made = board.ok(f, "chantier.from_winners")["chantiers"]
    assert [(s["title"], s["step_ids"], s["card_ids"]) for s in made] == [
        ("Caution remboursée en 24 h", [step], [ideas[0]]),
        ("Un seul formulaire", [step], [ideas[1]]),
    ]
    assert made[0]["solution"] == "Caution remboursée en 24 h\nDétails"
    # Again: nothing new, the sheets are not doubled.
    assert board.ok(f, "chantier.from_winners")["chantiers"] == []
    assert len(snapshot(board, ana)["chantiers"]) == 2
    assert board.op(ana, "chantier.from_winners")["error"]["code"] == "forbidden"


def test_winners_to_sheets_skips_ideas_already_linked_to_a_sheet(board):
    lane, step = first_cell(board)
    f = board.facilitator
    idea = board.ok(f, "card.add", lane_id=lane, step_id=step, kind="idea", text="Déjà une fiche")["id"]
    other = board.ok(f, "card.add", lane_id=lane, step_id=step, kind="idea", text="Nouvelle fiche")["id"]
    board.ok(f, "chantier.add", title="Existante", card_ids=[idea])
    made = board.ok(f, "chantier.from_winners", card_ids=[idea, other])["chantiers"]
    assert [s["card_ids"] for s in made] == [[other]]


# -- point 5: co-facilitators, revoking links (REST) -------------------------------------------------


def test_a_promoted_participant_gets_the_facilitator_rights_and_can_be_demoted(http, api):
    ws = http.post("/api/workshops", json={"title": "Atelier"}).get_json()
    wid, mid, boss = ws["workshop"]["id"], ws["map"]["id"], ws["facilitator_token"]
    ana = http.post("/api/join", json={"code": ws["join_code"], "name": "Ana"}).get_json()
    assert api.send(ana["token"], mid, "phase.set", phase="ideation").status_code == 403
    # A participant cannot promote itself.
    res = http.post(
        f"/api/workshops/{wid}/facilitators",
        headers=auth(ana["token"]),
        json={"participant_id": ana["participant"]["id"]},
    )
    assert res.status_code == 403 and res.get_json()["error"]["code"] == "forbidden"
    res = http.post(
        f"/api/workshops/{wid}/facilitators", headers=auth(boss), json={"participant_id": ana["participant"]["id"]}
    )
    assert res.status_code == 200 and res.get_json()["participant"]["role"] == "facilitator"
    assert api.send(ana["token"], mid, "phase.set", phase="ideation").status_code == 200
    # The co-facilitator cannot demote the workshop's creator.
    creator = http.get("/api/me", headers=auth(boss)).get_json()["participant"]["id"]
    res = http.delete(f"/api/workshops/{wid}/facilitators/{creator}", headers=auth(ana["token"]))
    assert res.status_code == 403
    res = http.delete(f"/api/workshops/{wid}/facilitators/{ana['participant']['id']}", headers=auth(boss))
    assert res.status_code == 200 and res.get_json()["participant"]["role"] == "participant"
    assert api.send(ana["token"], mid, "phase.set", phase="closed").status_code == 403
    res = http.post(f"/api/workshops/{wid}/facilitators", headers=auth(boss), json={"participant_id": "nope"})
    assert res.status_code == 400 and res.get_json()["error"]["field"] == "participant_id"


def test_a_leaked_facilitator_link_stops_working_once_renewed(app):
    http = app.test_client()
    ws = http.post("/api/workshops", json={"title": "Atelier"}).get_json()
    wid, mid, old = ws["workshop"]["id"], ws["map"]["id"], ws["facilitator_token"]
    leaked = app.extensions["socketio"].test_client(app, flask_test_client=http, auth={"token": old})
    assert leaked.emit("join", {"map_id": mid}, callback=True)["ok"]
    res = http.post(f"/api/workshops/{wid}/facilitator-link", headers=auth(old), json={"map_id": mid})
    assert res.status_code == 200
    new = res.get_json()["facilitator_token"]
    assert res.get_json()["facilitator_url"].endswith(f"/board/{mid}#token={new}")
    assert http.get(f"/api/maps/{mid}", headers=auth(old)).status_code == 401
    assert http.get(f"/api/maps/{mid}", headers=auth(new)).status_code == 200
    assert not leaked.is_connected()
    again = app.extensions["socketio"].test_client(app, flask_test_client=http, auth={"token": old})
    assert not again.is_connected()


def test_a_renewed_join_code_refuses_the_old_one_and_participants_keep_their_place(app):
    http = app.test_client()
    ws = http.post("/api/workshops", json={"title": "Atelier"}).get_json()
    wid, mid = ws["workshop"]["id"], ws["map"]["id"]
    ana = http.post("/api/join", json={"code": ws["join_code"], "name": "Ana"}).get_json()
    res = http.post(f"/api/workshops/{wid}/join-code", headers=auth(ana["token"]))
    assert res.status_code == 403
    res = http.post(f"/api/workshops/{wid}/join-code", headers=auth(ws["facilitator_token"]))
    code = res.get_json()["join_code"]
    assert code != ws["join_code"] and res.get_json()["join_url"].endswith(f"/join/{code}")
    assert http.post("/api/join", json={"code": ws["join_code"], "name": "Zoé"}).status_code == 404
    assert http.post("/api/join", json={"code": code, "name": "Zoé"}).status_code == 201
    assert http.get(f"/api/maps/{mid}", headers=auth(ana["token"])).status_code == 200
