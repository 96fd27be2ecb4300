"""The running counters of Mirror listening (workshop/listening/counters.py) against the SQL aggregate,
their reference: after random sequences of PUTs (new responses, changed answers, the same body again,
the wrong silo, bad bodies, moderation, a deleted step), from one thread and from many at once, the
results read from the counters equal the results computed from the answers, on SQLite and PostgreSQL."""

from __future__ import annotations

import random
import threading
import uuid

import pytest
from sqlalchemy import select

from workshop.errors import OpError
from workshop.listening import counters, service
from workshop.listening import results as agg
from workshop.models import Listening

from .conftest import make_board


def both_results(db, lid):
    with db.read() as s:
        li = s.get(Listening, lid)
        steps = [st["id"] for st in service.ordered_steps(s, li.map_id)]
        return agg.results(s, li, steps), agg.aggregate(s, li, steps)


def counter_rows(db, lid):
    """The counters' non-zero rows (a counter moved back to zero may stay as a row of zeros)."""
    with db.read() as s:
        steps = {
            (c.step_id, c.silo): tuple(getattr(c, k) for k in counters.STEP_COLUMNS)
            for c in s.scalars(
                select(counters.ListeningStepCount).where(counters.ListeningStepCount.listening_id == lid)
            )
        }
        silos = dict(
            s.execute(
                select(counters.ListeningSiloCount.silo, counters.ListeningSiloCount.responses).where(
                    counters.ListeningSiloCount.listening_id == lid
                )
            ).all()
        )
    return {k: v for k, v in steps.items() if any(v)}, {k: v for k, v in silos.items() if v}


def random_answers(rng, steps):
    answers = []
    for sid in rng.sample(steps, rng.randint(1, len(steps))):
        a = {"step_id": sid}
        if rng.random() < 0.8:
            a["score"] = rng.choice([-2, -1, 0, 1, 2, None])
        if rng.random() < 0.3:
            a["important"] = rng.random() < 0.5
        if rng.random() < 0.2:
            a["verbatim"] = rng.choice(["Trop long", "Parfait", "  ", "=1+1"])
        answers.append(a)
    return answers


def put(db, code, rid, answers):
    try:
        _answer, created, _li = service.put_response(db, code, rid, {"answers": answers})
        return 201 if created else 200
    except OpError as err:
        return err.code


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_counters_equal_the_sql_aggregate_after_random_puts(db, seed):
    rng = random.Random(seed)
    board = make_board(db)
    li = service.create(db, board.facilitator, board.map_id, {"invited": {"customer": 30, "employee": 0}}, "")
    with db.read() as s:
        steps = [st["id"] for st in service.ordered_steps(s, board.map_id)]
    codes = li["codes"]
    respondents = [(str(uuid.uuid4()), rng.choice(["customer", "employee"])) for _ in range(12)]
    seen = {"created": 0, "replaced": 0, "conflict": 0, "invalid": 0}
    last: dict[str, list] = {}
    for i in range(120):
        rid, silo = rng.choice(respondents)
        if rid in last and rng.random() < 0.2:
            answers = last[rid]  # the same body again: nothing may move
        else:
            answers = random_answers(rng, steps)
        if rng.random() < 0.05:
            silo = "employee" if silo == "customer" else "customer"  # the other link: refused
        before = counter_rows(db, li["id"]) if answers is last.get(rid) else None
        status = put(db, codes[silo], rid, answers)
        if status in (200, 201):
            last[rid] = answers
            seen["created" if status == 201 else "replaced"] += 1
        else:
            seen[status] = seen.get(status, 0) + 1
        if before is not None:
            assert counter_rows(db, li["id"]) == before, "an idempotent PUT moved the counters"
        if i == 80 and seed == 3:
            # Moderation hides a comment: it leaves the verbatims, not the counts.
            with db.read() as s:
                hidden = agg.verbatims(s, s.get(Listening, li["id"]), steps)
            if hidden:
                service.moderate(db, board.facilitator, li["id"], hidden[0]["id"], {"hidden": True})
        if i % 5 == 4:
            fast, reference = both_results(db, li["id"])
            assert fast == reference
            # What the API serves (the results each process keeps per version) is never behind.
            assert service.get(db, board.facilitator, li["id"], "")["results"] == reference
    assert seen["created"] and seen["replaced"], seen
    fast, reference = both_results(db, li["id"])
    assert fast == reference
    assert sum(s["responses"] for s in fast["silos"].values()) == seen["created"]
    # And a rebuild from the answers gives the very counters the PUTs kept.
    kept = counter_rows(db, li["id"])
    with db.write() as s:
        counters.rebuild(s, [li["id"]])
    assert counter_rows(db, li["id"]) == kept


def test_a_deleted_step_leaves_the_counts_and_a_response_only_there_stops_counting(db):
    board = make_board(db)
    li = service.create(db, board.facilitator, board.map_id, {}, "")
    with db.read() as s:
        steps = [st["id"] for st in service.ordered_steps(s, board.map_id)]
    code = li["codes"]["customer"]
    assert put(db, code, str(uuid.uuid4()), [{"step_id": steps[0], "score": -2}]) == 201
    assert (
        put(db, code, str(uuid.uuid4()), [{"step_id": steps[0], "score": 2}, {"step_id": steps[1], "score": 1}]) == 201
    )
    fast, _ = both_results(db, li["id"])
    assert fast["silos"]["customer"]["responses"] == 2
    board.ok(board.facilitator, "step.delete", id=steps[0])
    fast, reference = both_results(db, li["id"])
    assert fast == reference
    assert fast["silos"]["customer"]["responses"] == 1
    assert [row["step_id"] for row in fast["steps"]] == steps[1:]


def test_concurrent_saves_of_the_same_responses_count_once(db):
    """Many threads saving a few responses at once (PostgreSQL: row locks, retries on the rid's
    unique key): whatever the interleaving, the counters equal the aggregate of what was stored."""
    board = make_board(db)
    li = service.create(db, board.facilitator, board.map_id, {}, "")
    with db.read() as s:
        steps = [st["id"] for st in service.ordered_steps(s, board.map_id)]
    rids = [str(uuid.uuid4()) for _ in range(4)]
    errors: list[BaseException] = []

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        try:
            for _ in range(12):
                put(db, li["codes"]["customer"], rng.choice(rids), random_answers(rng, steps))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    fast, reference = both_results(db, li["id"])
    assert fast == reference
    assert fast["silos"]["customer"]["responses"] == len(rids)


def test_an_import_counts_what_it_loads(db):
    """workshop.json's listenings are loaded without the PUT: the import rebuilds their counters."""
    from workshop.listening.export import import_listenings

    board = make_board(db)
    with db.read() as s:
        steps = [st["id"] for st in service.ordered_steps(s, board.map_id)]
    old1, old2 = str(uuid.uuid4()), str(uuid.uuid4())
    doc = {
        "title": "Vague",
        "status": "closed",
        "invited": {"customer": 4},
        "responses": [
            {"silo": "customer", "answers": [{"step_id": old1, "score": 2, "important": True}]},
            {"silo": "employee", "answers": [{"step_id": old1, "score": -1}, {"step_id": old2, "verbatim": "Bof"}]},
        ],
    }
    import_listenings(db, board.map_id, [doc], {old1: steps[0], old2: steps[1]})
    with db.read() as s:
        lid = s.scalar(select(Listening.id).where(Listening.map_id == board.map_id))
    fast, reference = both_results(db, lid)
    assert fast == reference
    assert fast["silos"]["customer"]["responses"] == 1 and fast["silos"]["employee"]["responses"] == 1
    assert fast["steps"][0]["customer"]["distribution"] == [0, 0, 0, 0, 1]


def test_migration_0006_counts_the_answers_given_before_it(db):
    """A database answered before the counters existed: the upgrade fills them from the answers."""
    from alembic import command
    from alembic.config import Config

    from workshop.db import MIGRATIONS

    board = make_board(db)
    li = service.create(db, board.facilitator, board.map_id, {"invited": {"customer": 5}}, "")
    with db.read() as s:
        steps = [st["id"] for st in service.ordered_steps(s, board.map_id)]
    rng = random.Random(6)
    for _ in range(8):
        silo = rng.choice(["customer", "employee"])
        assert put(db, li["codes"][silo], str(uuid.uuid4()), random_answers(rng, steps)) in (201, "invalid")
    before = both_results(db, li["id"])
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with db.writer.connect() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0005")
        conn.commit()
    db.migrate()
    after = both_results(db, li["id"])
    assert after == before and after[0] == after[1]


def test_the_results_are_computed_once_per_change_and_every_change_is_served_at_once(db):
    """Every open Mirror panel asks for the results after the same `listening` event: the first
    computes them, the next are served the same ones while nothing changed; a saved response (a new
    one, or only its comment edited), a moderated verbatim, new invited counts and a deleted step
    each give new results on the very next request, equal to the SQL aggregate."""
    board = make_board(db)
    li = service.create(db, board.facilitator, board.map_id, {"invited": {"customer": 4}}, "")
    with db.read() as s:
        steps = [st["id"] for st in service.ordered_steps(s, board.map_id)]
    code, rid = li["codes"]["customer"], str(uuid.uuid4())

    def served():
        return service.get(db, board.facilitator, li["id"], "")["results"]

    def check(answer, change):
        _, reference = both_results(db, li["id"])
        assert answer == reference, change
        return answer

    assert put(db, code, rid, [{"step_id": steps[0], "score": 1, "verbatim": "Lent"}]) == 201
    first = check(served(), "a new response")
    assert served() is first  # nothing changed: not computed again
    changes = [
        ("a comment edited", lambda: put(db, code, rid, [{"step_id": steps[0], "score": 1, "verbatim": "Très lent"}])),
        (
            "a verbatim hidden",
            lambda: service.moderate(db, board.facilitator, li["id"], first["verbatims"][0]["id"], {"hidden": True}),
        ),
        ("invited counts", lambda: service.update(db, board.facilitator, li["id"], {"invited": {"customer": 8}}, "")),
        ("a step deleted", lambda: board.ok(board.facilitator, "step.delete", id=steps[1])),
    ]
    before = first
    for change, make in changes:
        make()
        now = check(served(), change)
        assert now != before, change
        assert served() is now, change
        before = now
    assert before["verbatims"] == [] and before["silos"]["customer"]["invited"] == 8
