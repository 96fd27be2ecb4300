"""Emotions and their customer ↔ employee mirror; chantier sheets edited field by field."""

from __future__ import annotations

import pytest

from workshop import views

from .test_engine import first_cell, snapshot


@pytest.mark.parametrize(
    "customer, employee, category",
    [
        (1.0, 1.0, "great_moment"),
        (0.5, None, "lucky_break"),
        (2, 0.4, "lucky_break"),
        (1, -1, "pain"),
        (-1, 1, "wrong_fight"),
        (-0.5, None, "blindness"),
        (-2, -0.5, "dead_end"),
        (0.4, 2, None),
        (None, -2, None),
        (None, None, None),
    ],
)
def test_resonance_categories_follow_the_contract_table(customer, employee, category):
    assert views.category(customer, employee) == category


def test_emotions_average_per_perspective_and_each_rater_sees_only_its_own_score(board):
    clients = [board.join(f"C{i}", "customer") for i in range(3)]
    staff = [board.join(f"E{i}", "employee") for i in range(2)]
    nobody = board.join("Sans camp")  # no perspective: counts as customer
    step = snapshot(board, board.facilitator)["steps"][0]["id"]
    for actor, score in zip(clients + staff + [nobody], [2, 1, 2, -1, -2, 1]):
        data = board.ok(actor, "emotion.set", step_id=step, score=score)
        assert data["mine"] == score and "rater_id" not in data
    assert data["resonance"] == {"step_id": step, "customer": 1.5, "employee": -1.5, "category": "pain"}
    rows = {r["perspective"]: r for r in snapshot(board, staff[0])["emotions"]}
    assert (rows["customer"]["average"], rows["customer"]["count"], rows["customer"]["mine"]) == (1.5, 4, None)
    assert (rows["employee"]["average"], rows["employee"]["count"], rows["employee"]["mine"]) == (-1.5, 2, -1)
    # Clearing a score removes it from the average.
    board.ok(staff[1], "emotion.set", step_id=step, score=None)
    [res] = [r for r in snapshot(board, staff[0])["resonance"] if r["step_id"] == step]
    assert res == {"step_id": step, "customer": 1.5, "employee": -1.0, "category": "pain"}


@pytest.mark.parametrize("score", [3, -3, 1.5, "1", True])
def test_emotion_scores_are_integers_from_minus_two_to_two(board, score):
    step = snapshot(board, board.facilitator)["steps"][0]["id"]
    ack = board.op(board.join("A"), "emotion.set", step_id=step, score=score)
    assert ack["error"]["code"] == "invalid" and ack["error"]["field"] == "score"


def test_a_chantier_sheet_is_co_edited_field_by_field(board):
    alice, bob = board.join("Alice"), board.join("Bob")
    lane, step = first_cell(board)
    idea = board.ok(alice, "card.add", lane_id=lane, step_id=step, kind="idea", text="Caution remboursée en 24 h")
    sheet = board.ok(
        alice,
        "chantier.add",
        title="Caution express",
        problem="La caution bloque 50 €",
        step_ids=[step],
        card_ids=[idea["id"]],
        departments="Finance",
    )
    assert sheet["status"] == "draft" and sheet["departments"] == ["Finance"] and sheet["step_ids"] == [step]
    # Two people edit different fields: both edits stay.
    board.ok(alice, "chantier.update", id=sheet["id"], owner="Camille", effort=2, impact=5)
    after = board.ok(
        bob,
        "chantier.update",
        id=sheet["id"],
        kpis=[{"name": "Délai de remboursement", "target": "< 24 h"}],
        milestones=[{"date": "2027-01-15", "label": "Pilote Lyon"}],
        budget=15000,
    )
    assert (after["owner"], after["effort"], after["impact"], after["budget"]) == ("Camille", 2, 5, "15000")
    assert after["milestones"] == [{"date": "2027-01-15", "label": "Pilote Lyon"}]
    assert after["problem"] == "La caution bloque 50 €" and after["version"] == 3
    assert snapshot(board, bob)["chantiers"] == [after]
    for bad, field in (
        ({"effort": 6}, "effort"),
        ({"status": "shipped"}, "status"),
        ({"card_ids": [step]}, "card_ids.0"),
    ):
        ack = board.op(bob, "chantier.update", id=sheet["id"], **bad)
        assert ack["error"]["field"] == field, ack
    # Dates in either order are kept (the board edits one field at a time); the sheet flags them.
    inverted = board.ok(bob, "chantier.update", id=sheet["id"], start="2027-02-01", end="2027-01-01")
    assert (inverted["start"], inverted["end"]) == ("2027-02-01", "2027-01-01")
    assert board.op(bob, "chantier.delete", id=sheet["id"])["error"]["code"] == "forbidden"
    board.ok(board.facilitator, "chantier.delete", id=sheet["id"])
    assert snapshot(board, bob)["chantiers"] == []
