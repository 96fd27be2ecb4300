"""The op engine on SQLite and on the local PostgreSQL: validation, rights, seq, idempotency, sync."""

from __future__ import annotations

import threading
import uuid

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from workshop import engine, errors, views
from workshop.maptypes import TEMPLATES, template
from workshop.models import Card, Map, OpLog

from .conftest import Board, make_board


def snapshot(board: Board, viewer) -> dict:
    with board.db.read() as s:
        return views.snapshot_for(s, s.get(Map, board.map_id), viewer)


def first_cell(board: Board) -> tuple[str, str]:
    snap = snapshot(board, board.facilitator)
    return snap["lanes"][0]["id"], snap["steps"][0]["id"]


@pytest.mark.parametrize("map_type", sorted(TEMPLATES))
def test_new_map_is_laid_out_from_its_template_through_the_op_log(db, map_type):
    board = make_board(db, map_type, "en")
    snap = snapshot(board, board.facilitator)
    tpl = template(map_type, "en")
    assert [s["title"] for s in snap["stages"]] == [s["title"] for s in tpl["stages"]]
    assert [l["kind"] for l in snap["lanes"]] == [l["kind"] for l in tpl["lanes"]]
    assert len(snap["steps"]) == sum(len(s["steps"]) for s in tpl["stages"])
    # Every step sits under its stage, in the template's order.
    expected = [(st["title"], step) for st in tpl["stages"] for step in st["steps"]]
    stage_title = {s["id"]: s["title"] for s in snap["stages"]}
    assert [(stage_title[s["stage_id"]], s["title"]) for s in snap["steps"]] == expected
    with db.read() as s:
        logged = s.scalar(select(func.count()).select_from(OpLog).where(OpLog.map_id == board.map_id))
    assert snap["seq"] == logged == len(snap["stages"]) + len(snap["steps"]) + len(snap["lanes"])


def test_card_add_is_acked_with_the_next_seq_and_shows_in_every_snapshot(board):
    alice = board.join("Alice", "customer")
    bob = board.join("Bob", "employee")
    lane, step = first_cell(board)
    before = snapshot(board, alice)["seq"]
    ack = board.op(alice, "card.add", lane_id=lane, step_id=step, kind="irritant", text="  Appli qui plante  ")
    assert ack["ok"] and ack["seq"] == before + 1
    assert ack["data"]["text"] == "Appli qui plante"  # trimmed
    assert ack["data"]["perspective"] == "customer" and ack["data"]["author_id"] == alice.id
    for viewer in (alice, bob, board.facilitator):
        cards = snapshot(board, viewer)["cards"]
        assert [(c["id"], c["text"]) for c in cards] == [(ack["data"]["id"], "Appli qui plante")]


def test_same_op_id_applies_once_and_answers_the_first_result(board):
    alice = board.join("Alice")
    lane, step = first_cell(board)
    op_id = str(uuid.uuid4())
    first = board.op(alice, "card.add", op_id=op_id, lane_id=lane, step_id=step, text="Une fois")
    again = board.op(alice, "card.add", op_id=op_id, lane_id=lane, step_id=step, text="Une fois")
    assert again["duplicate"] is True
    assert (again["seq"], again["data"]) == (first["seq"], first["data"])
    assert len(snapshot(board, alice)["cards"]) == 1
    assert snapshot(board, alice)["seq"] == first["seq"]


@pytest.mark.parametrize("resent", ["card.update", "card.move", "card.delete"])
def test_a_resent_op_whose_handler_succeeds_or_refuses_again_answers_its_first_result(board, resent):
    """Whether the second copy's handler would apply again (an edit: the log's unique op_id refuses it)
    or refuse (a delete of a card now gone): the sender gets the first copy's ack, nothing changes twice,
    and no seq is used."""
    alice = board.join("Alice")
    lane, step = first_cell(board)
    card = board.ok(alice, "card.add", lane_id=lane, step_id=step, text="Avant")["id"]
    fields = {
        "card.update": {"text": "Après"},
        "card.move": {"lane_id": lane, "step_id": step, "position": 0},
        "card.delete": {},
    }[resent]
    op_id = str(uuid.uuid4())
    first = board.op(alice, resent, op_id=op_id, id=card, **fields)
    again = board.op(alice, resent, op_id=op_id, id=card, **fields)
    assert first["ok"] and "duplicate" not in first
    assert again == {**first, "duplicate": True}
    snap = snapshot(board, alice)
    assert snap["seq"] == first["seq"]
    cards = {c["id"]: c for c in snap["cards"]}
    if resent == "card.delete":
        assert card not in cards
    else:
        assert cards[card]["version"] == first["data"]["version"]


def test_an_op_id_of_another_workshop_sent_to_its_map_answers_not_found_not_its_result(db, board):
    """A refused op looks its op_id up to answer a resend; that lookup must not reach into another
    workshop's log (its data would be answered to a stranger)."""
    alice = board.join("Alice")
    lane, step = first_cell(board)
    op_id = str(uuid.uuid4())
    board.ok(alice, "card.add", op_id=op_id, lane_id=lane, step_id=step, text="Secret de l'atelier A")
    stranger = make_board(db).join("Mallory")
    ack = engine.apply(
        db, board.map_id, stranger, {"op_id": op_id, "type": "card.add", "lane_id": lane, "step_id": step, "text": "x"}
    ).ack
    assert ack == {"ok": False, "error": {"code": "not_found", "message": "no such map", "field": "map_id"}}


def test_a_refusal_of_an_op_never_applied_is_not_taken_for_a_duplicate(board):
    alice = board.join("Alice")
    ack = board.op(alice, "card.delete", id=str(uuid.uuid4()))
    assert ack["ok"] is False and ack["error"]["code"] == "not_found" and "duplicate" not in ack


@pytest.mark.parametrize(
    "raw, code, field",
    [
        ({"op_id": None, "type": "card.add"}, "invalid", "op_id"),
        ({"op_id": "not-a-uuid", "type": "card.add"}, "invalid", "op_id"),
        ({"type": "card.explode"}, "invalid", "type"),
        ({"type": "card.add", "step_id": "x"}, "invalid", "step_id"),
        ({"type": "card.add", "text": "hi", "colour": "red"}, "invalid", "colour"),
        ({"type": "card.add", "kind": "rant", "text": "hi"}, "invalid", "kind"),
        ({"type": "card.add", "text": "x" * 5001}, "too_large", "text"),
        ({"type": "step.update", "title": "t" * 201}, "too_large", "title"),
        ({"type": "timer.start", "seconds": 0}, "invalid", "seconds"),
    ],
)
def test_bad_ops_answer_a_clear_error_and_change_nothing(board, raw, code, field):
    alice = board.join("Alice")
    lane, step = first_cell(board)
    raw = dict(raw)
    raw.setdefault("op_id", str(uuid.uuid4()))
    if raw["type"] == "card.add":
        raw.setdefault("lane_id", lane)
        raw.setdefault("step_id", step)
    if raw["type"] == "step.update":
        raw.setdefault("id", step)
    before = snapshot(board, board.facilitator)
    actor = board.facilitator if raw["type"] == "timer.start" else alice
    from workshop import engine

    ack = engine.apply(board.db, board.map_id, actor, raw).ack
    assert ack["ok"] is False
    assert ack["error"]["code"] == code
    assert ack["error"].get("field") == field
    assert ack["error"]["message"]
    assert snapshot(board, board.facilitator) == before


def test_non_objects_and_huge_ops_are_refused(board):
    from workshop import engine

    for raw in (None, [], "card.add", 42):
        assert engine.apply(board.db, board.map_id, board.facilitator, raw).ack["error"]["code"] == "invalid"
    lane, step = first_cell(board)
    huge = {
        "op_id": str(uuid.uuid4()),
        "type": "card.add",
        "lane_id": lane,
        "step_id": step,
        "text": "x",
        "padding": "y" * 70_000,
    }
    assert engine.apply(board.db, board.map_id, board.facilitator, huge).ack["error"]["code"] == "too_large"


def test_roles(board):
    alice = board.join("Alice")
    watcher = board.join("Projecteur", role="observer")
    lane, step = first_cell(board)
    assert board.op(alice, "stage.add", title="Fidélisation")["error"]["code"] == "forbidden"
    assert board.op(alice, "lane.add", title="Canaux")["error"]["code"] == "forbidden"
    assert board.op(alice, "phase.set", phase="ideation")["error"]["code"] == "forbidden"
    assert board.op(alice, "step.update", id=step, key_moment=True)["error"]["code"] == "forbidden"
    assert board.op(watcher, "card.add", lane_id=lane, step_id=step, text="vu")["error"]["code"] == "forbidden"
    # Participants may add and rename steps.
    new_step = board.ok(alice, "step.add", title="Payer")
    assert board.ok(alice, "step.update", id=new_step["id"], title="Régler")["title"] == "Régler"


def test_only_the_author_or_the_facilitator_deletes_a_card_or_a_comment(board):
    alice, bob = board.join("Alice"), board.join("Bob")
    lane, step = first_cell(board)
    card = board.ok(alice, "card.add", lane_id=lane, step_id=step, text="À moi")
    note = board.ok(alice, "comment.add", target_id=card["id"], text="Vrai chez nous aussi")
    assert board.op(bob, "comment.delete", id=note["id"])["error"]["code"] == "forbidden"
    assert board.op(bob, "card.delete", id=card["id"])["error"]["code"] == "forbidden"
    # Anyone may edit and move any visible card.
    assert board.ok(bob, "card.update", id=card["id"], text="À nous")["version"] == 2
    assert board.ok(board.facilitator, "card.delete", id=card["id"]) == {"id": card["id"]}
    snap = snapshot(board, alice)
    assert snap["cards"] == [] and snap["comments"] == []  # its comments went with it


def test_locked_board_refuses_everyone_but_the_facilitator(board):
    alice = board.join("Alice")
    lane, step = first_cell(board)
    assert board.ok(board.facilitator, "board.lock", locked=True)["locked"] is True
    assert board.op(alice, "card.add", lane_id=lane, step_id=step, text="x")["error"]["code"] == "locked"
    assert board.ok(board.facilitator, "card.add", lane_id=lane, step_id=step, text="x")
    board.ok(board.facilitator, "board.lock", locked=False)
    assert board.ok(alice, "card.add", lane_id=lane, step_id=step, text="y")


def test_a_token_never_reaches_another_workshop(db):
    mine, theirs = make_board(db), make_board(db)
    intruder = theirs.join("Eve")
    lane, step = first_cell(mine)
    from workshop import engine

    for actor in (intruder, theirs.facilitator):
        ack = engine.apply(
            db,
            mine.map_id,
            actor,
            {"op_id": str(uuid.uuid4()), "type": "card.add", "lane_id": lane, "step_id": step, "text": "x"},
        ).ack
        assert ack["error"]["code"] == "not_found"
    # Ids of another map are unknown here too.
    their_lane, their_step = first_cell(theirs)
    ack = mine.op(mine.facilitator, "card.add", lane_id=their_lane, step_id=their_step, text="x")
    assert ack["error"]["code"] == "not_found" and ack["error"]["field"] == "lane_id"


def test_refused_ops_leave_no_gap_in_seq(board):
    alice = board.join("Alice")
    lane, step = first_cell(board)
    start = snapshot(board, alice)["seq"]
    seqs = []
    for i in range(6):
        if i % 2:
            assert not board.op(alice, "stage.add", title="refusé")["ok"]
        else:
            seqs.append(board.op(alice, "card.add", lane_id=lane, step_id=step, text=f"c{i}")["seq"])
    assert seqs == [start + 1, start + 2, start + 3]


def test_silent_writing_hides_text_from_everyone_but_the_author_until_revealed(board):
    alice, bob = board.join("Alice"), board.join("Bob")
    lane, step = first_cell(board)
    ack = board.op(alice, "card.add", lane_id=lane, step_id=step, text="Mon secret", visibility="author")
    assert ack["data"]["text"] == "Mon secret" and ack["data"]["hidden"] is True
    for viewer in (bob, board.facilitator):
        [card] = snapshot(board, viewer)["cards"]
        assert card["hidden"] is True and card["text"] is None
    assert snapshot(board, alice)["cards"][0]["text"] == "Mon secret"
    assert board.op(bob, "card.update", id=ack["data"]["id"], text="vu")["error"]["code"] == "forbidden"
    revealed = board.ok(board.facilitator, "cards.reveal")
    assert [c["text"] for c in revealed["cards"]] == ["Mon secret"]
    [card] = snapshot(board, bob)["cards"]
    assert card["hidden"] is False and card["text"] == "Mon secret"


def test_sync_replays_events_redacted_per_viewer_or_sends_a_snapshot(board):
    alice, bob = board.join("Alice"), board.join("Bob")
    lane, step = first_cell(board)
    since = snapshot(board, bob)["seq"]
    board.ok(alice, "card.add", lane_id=lane, step_id=step, text="visible")
    board.ok(alice, "card.add", lane_id=lane, step_id=step, text="caché", visibility="author")
    with board.db.read() as s:
        m = s.get(Map, board.map_id)
        events = views.events_since(s, m, since, bob, replay_limit=1000)["events"]
        assert [e["seq"] for e in events] == [since + 1, since + 2]
        assert [e["data"]["text"] for e in events] == ["visible", None]
        assert events[1]["actor_id"] == alice.id and events[1]["type"] == "card.add"
        assert views.events_since(s, m, since, alice, 1000)["events"][1]["data"]["text"] == "caché"
        assert "snapshot" in views.events_since(s, m, 0, bob, replay_limit=5)
        assert "snapshot" in views.events_since(s, m, m.seq + 10, bob, replay_limit=1000)
        assert views.events_since(s, m, m.seq, bob, 1000) == {"events": []}


def test_cards_move_between_cells_and_positions_stay_dense(board):
    alice = board.join("Alice")
    snap = snapshot(board, alice)
    lane_a, lane_b = snap["lanes"][0]["id"], snap["lanes"][1]["id"]
    step = snap["steps"][0]["id"]
    a, b, c = (board.ok(alice, "card.add", lane_id=lane_a, step_id=step, text=t) for t in "abc")
    board.ok(alice, "card.move", id=c["id"], lane_id=lane_a, step_id=step, position=0)
    board.ok(alice, "card.move", id=a["id"], lane_id=lane_b, step_id=step, position=0)
    cards = {(x["lane_id"], x["position"]): x["text"] for x in snapshot(board, alice)["cards"]}
    assert cards == {(lane_a, 0): "c", (lane_a, 1): "b", (lane_b, 0): "a"}


def test_steps_reorder_within_their_stage_and_deleting_one_removes_its_cards(board):
    snap = snapshot(board, board.facilitator)
    stage = snap["stages"][0]["id"]
    in_stage = [s for s in snap["steps"] if s["stage_id"] == stage]
    last = in_stage[-1]
    board.ok(board.facilitator, "step.move", id=last["id"], position=0)
    after = [s for s in snapshot(board, board.facilitator)["steps"] if s["stage_id"] == stage]
    assert after[0]["id"] == last["id"] and [s["position"] for s in after] == list(range(len(after)))
    card = board.ok(board.facilitator, "card.add", lane_id=snap["lanes"][0]["id"], step_id=last["id"], text="x")
    gone = board.ok(board.facilitator, "step.delete", id=last["id"])
    assert gone == {"id": last["id"], "card_ids": [card["id"]]}
    assert snapshot(board, board.facilitator)["cards"] == []


def test_deleting_a_stage_keeps_its_steps(board):
    snap = snapshot(board, board.facilitator)
    stage = snap["stages"][0]
    steps = [s["id"] for s in snap["steps"] if s["stage_id"] == stage["id"]]
    board.ok(board.facilitator, "stage.delete", id=stage["id"])
    after = snapshot(board, board.facilitator)
    assert stage["id"] not in [s["id"] for s in after["stages"]]
    assert {s["id"]: s["stage_id"] for s in after["steps"] if s["id"] in steps} == {i: None for i in steps}
    assert [s["position"] for s in after["stages"]] == list(range(len(after["stages"])))


def test_phase_timer_and_lock_show_in_the_snapshot(board):
    board.ok(board.facilitator, "phase.set", phase="ideation")
    timer = board.ok(board.facilitator, "timer.start", seconds=300, label="Écriture silencieuse")["timer"]
    snap = snapshot(board, board.facilitator)
    assert snap["map"]["phase"] == "ideation"
    assert snap["timer"] == timer and timer["label"] == "Écriture silencieuse" and timer["ends_at"].endswith("Z")
    board.ok(board.facilitator, "timer.stop")
    assert snapshot(board, board.facilitator)["timer"] is None


def test_concurrent_ops_get_unique_gapless_seqs(db):
    """Eight threads hammer one map: every op is acked once with its own seq, none lost."""
    board = make_board(db)
    lane, step = first_cell(board)
    people = [board.join(f"P{i}") for i in range(8)]
    start = snapshot(board, board.facilitator)["seq"]
    acks: list[dict] = []
    lock = threading.Lock()

    def work(actor):
        for i in range(10):
            ack = board.op(actor, "card.add", lane_id=lane, step_id=step, text=f"{actor.name}-{i}")
            with lock:
                acks.append(ack)

    threads = [threading.Thread(target=work, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(a["ok"] for a in acks), [a for a in acks if not a["ok"]][:3]
    assert sorted(a["seq"] for a in acks) == list(range(start + 1, start + 81))
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Card)) == 80
        logged = list(s.scalars(select(OpLog.seq).where(OpLog.map_id == board.map_id).order_by(OpLog.seq)))
    assert logged == list(range(1, start + 81))


def test_the_event_a_viewer_gets_live_is_the_one_sync_replays_from_the_log(board):
    """The op's log row (written on the driver's cursor, driver_sql.py) reads back as the event that
    was broadcast: same seq, type, actor, data and timestamp, on both databases."""
    alice = board.join("Alice")
    lane, step = first_cell(board)
    since = snapshot(board, alice)["seq"]
    raw = {"op_id": str(uuid.uuid4()), "type": "card.add", "lane_id": lane, "step_id": step, "text": "Été « noté » ✓"}
    added = engine.apply(board.db, board.map_id, alice, raw)
    update = {"op_id": str(uuid.uuid4()), "type": "card.update", "id": added.ack["data"]["id"], "text": "x" * 2000}
    updated = engine.apply(board.db, board.map_id, alice, update)
    with board.db.read() as s:
        replayed = views.events_since(s, s.get(Map, board.map_id), since, alice, 1000)["events"]
    assert replayed == [views.redact(added.event, alice), views.redact(updated.event, alice)]


def test_after_ops_a_pooled_connection_still_rolls_a_failed_transaction_back(board):
    """An op's transaction on PostgreSQL runs its connection in autocommit mode (driver_sql.py): the
    connection must be back in transaction mode when the pool hands it to anyone else."""
    alice = board.join("Alice")
    lane, step = first_cell(board)
    card = board.ok(alice, "card.add", lane_id=lane, step_id=step, text="avant")
    for i in range(12):  # more than the connections the pool holds at rest: each one is reused
        board.ok(alice, "card.update", id=card["id"], text=f"op {i}")
        with pytest.raises(RuntimeError), board.db.write() as s:
            s.get(Card, card["id"]).text = "jamais écrit"
            s.flush()
            raise RuntimeError("refused after the write")
    assert [c["text"] for c in snapshot(board, alice)["cards"]] == ["op 11"]


def postgres_card(board: Board) -> tuple[object, dict]:
    """A participant and a card of theirs, on PostgreSQL only (SQLite has no server to drop connections)."""
    if board.db.is_sqlite:
        pytest.skip("PostgreSQL's connections only: SQLite has no server to drop them")
    alice = board.join("Alice")
    lane, step = first_cell(board)
    return alice, board.ok(alice, "card.add", lane_id=lane, step_id=step, text="avant")


def terminate_backend(url: str, pid: int) -> None:
    """Have PostgreSQL drop one connection, from a connection outside the pool."""
    admin = create_engine(url, poolclass=NullPool)
    with admin.connect() as other:
        other.exec_driver_sql(f"SELECT pg_terminate_backend({int(pid)})")
    admin.dispose()


def test_a_connection_the_server_dropped_under_the_claim_answers_unavailable_and_is_replaced(board):
    """The claim runs on the driver's cursor (driver_sql.py): when PostgreSQL drops the connection
    under it, the error must come out as SQLAlchemy's (so the op answers `unavailable` and the client
    resends) and the connection must leave the pool, so that the next op applies."""
    alice, card = postgres_card(board)
    statements = engine._statements(board.db)
    first: list[BaseException] = []
    with pytest.raises(OperationalError) as raised, statements.transaction() as conn:
        terminate_backend(board.db.url, conn.exec_driver_sql("SELECT pg_backend_pid()").scalar())
        try:
            statements.run_claim(conn, board.map_id)
        except BaseException as exc:
            first.append(exc)
            raise
    # The claim's own error comes out (invalidated, the connection is not rolled back a second time).
    assert first == [raised.value] and raised.value.connection_invalidated
    assert errors.unavailable(raised.value) is not None
    assert board.ok(alice, "card.update", id=card["id"], text="après")["text"] == "après"


def test_a_value_no_column_takes_is_refused_when_its_statement_is_compiled(db):
    from workshop.driver_sql import Compiled
    from workshop.ops.base import _change_by_id

    with pytest.raises(ValueError, match="bogus"):
        Compiled(_change_by_id(Card), db.writer.dialect, ["p_id", "p_map", "text", "bogus"])


def test_a_card_edit_refused_after_its_row_was_written_leaves_the_card_as_it_was(board):
    """`card.update` writes its row first and checks the row as written (ops.base.Context.change):
    every refusal that comes after the write must roll it back, text and version alike."""
    alice, bob = board.join("Alice"), board.join("Bob")
    lane, step = first_cell(board)
    card = board.ok(alice, "card.add", lane_id=lane, step_id=step, text="avant")
    hidden = board.ok(alice, "card.add", lane_id=lane, step_id=step, text="secret", visibility="author")
    refusals = [
        (bob, hidden["id"], {"text": "vu"}, "forbidden"),  # face down: its author's until revealed
        (bob, card["id"], {"text": "retenue", "selected": True}, "forbidden"),  # the facilitator's call
        (bob, card["id"], {"text": "boucle", "builds_on": card["id"]}, "invalid"),
    ]
    for actor, card_id, fields, code in refusals:
        assert board.op(actor, "card.update", id=card_id, **fields)["error"]["code"] == code
    kept = {c["id"]: (c["text"], c["version"], c.get("selected")) for c in snapshot(board, alice)["cards"]}
    assert kept == {card["id"]: ("avant", 1, card.get("selected")), hidden["id"]: ("secret", 1, hidden.get("selected"))}


def test_a_kept_connection_the_server_dropped_while_it_rested_is_replaced_before_the_next_op(board):
    """The engine keeps its connections between ops (driver_sql.OpStatements): one that rested is
    pinged before use, like the pool's own, so that an op after a quiet spell applies at once
    instead of answering `unavailable`; the dropped one is not kept."""
    alice, card = postgres_card(board)
    statements = engine._statements(board.db)
    [(kept, _since)] = statements._kept
    terminate_backend(board.db.url, kept.connection.driver_connection.info.backend_pid)
    statements._rested = 0.0  # as if the quiet spell had lasted
    assert board.ok(alice, "card.update", id=card["id"], text="après")["text"] == "après"
    assert len(statements._kept) == 1 and statements._kept[0][0] is not kept
