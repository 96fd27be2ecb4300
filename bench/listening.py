"""Mirror listening at scale (issue #10, point 6), against one real server process.

    .venv/bin/python bench/listening.py [--respondents 1000] [--seconds 50] [--results 10000] [--panels 10] [--pg URL]

1. Starts run.py (eventlet) on a free port with a fresh SQLite database; a board with 12 steps and
   ten participants connected with python-socketio.
2. Baseline: the ten participants take turns sending `card.add` for as long as the survey will last;
   fan-out = emit → the event has reached all ten (as bench/latency.py).
   With `--panels N` (10 by default) N of them have the Mirror tab open: every `listening` event makes
   each fetch the results, as static/js/listening-panel.js does.
3. Same again while `--respondents` respondents (distinct rids, 12 answers each) PUT their response,
   their arrivals spread evenly over `--seconds`, from a separate process (32 threads) so that the
   respondents' Python does not slow the board's clients. Measures PUT latency.
4. Checks that every response is stored once (counts from the API and rows in the database).
5. Results for `--results` responses: fills a fresh database (SQLite, and PostgreSQL with --pg) with
   that many responses of 12 answers, then times `GET /api/listenings/{lid}`'s computation in-process.
Prints one table; compare the ratios within one run (the machine is shared and noisy).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import queue
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import requests
import socketio

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.server import Server  # noqa: E402

STEPS = 12


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p * (len(values) - 1))))] if values else float("nan")


def ms(v: float) -> float:
    return round(v * 1000, 1)


# -- the respondents, in their own process ------------------------------------------------------------


def _respondents(url: str, code: str, steps: list[str], n: int, seconds: float, out: multiprocessing.Queue) -> None:
    from concurrent.futures import ThreadPoolExecutor

    session_local = threading.local()
    start = time.perf_counter()

    def one(i: int) -> tuple[int, float]:
        delay = start + i * seconds / n - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        http = getattr(session_local, "http", None) or requests.Session()
        session_local.http = http
        rid = str(uuid.uuid4())
        body = {
            "answers": [
                {"step_id": s, "score": (i + k) % 5 - 2, "important": (i + k) % 4 == 0} for k, s in enumerate(steps)
            ]
        }
        t0 = time.perf_counter()
        res = http.put(f"{url}/api/listen/{code}/responses/{rid}", json=body, timeout=60)
        return res.status_code, time.perf_counter() - t0

    with ThreadPoolExecutor(max_workers=32) as pool:
        results = list(pool.map(one, range(n)))
    out.put(
        {
            "statuses": [s for s, _ in results],
            "latencies": [t for _, t in results],
            "elapsed": time.perf_counter() - start,
        }
    )


RESULTS_GAP = 3.0  # static/js/listening-panel.js RESULTS_GAP_MS: at most one fetch every 3 s per panel


def _panels(url: str, token: str, panels: int, inbox: multiprocessing.Queue, out: multiprocessing.Queue) -> None:
    """As static/js/listening-panel.js does with the Mirror tab open: a `listening` event makes the
    member fetch the results, at most once every RESULTS_GAP seconds, the last change always fetched
    (here `panels` members, one after the other)."""
    http = requests.Session()
    times: list[float] = []
    last = float("-inf")
    while (lid := inbox.get()) is not None:
        wait = last + RESULTS_GAP - time.monotonic()
        if wait > 0:  # events meanwhile are taken by this one fetch
            time.sleep(wait)
            try:
                while (more := inbox.get_nowait()) is not None:
                    lid = more
                inbox.put(None)  # the end, seen while draining: stop after this round
            except queue.Empty:
                pass
        last = time.monotonic()
        for _ in range(panels):
            t0 = time.perf_counter()
            try:
                res = http.get(f"{url}/api/listenings/{lid}", headers={"Authorization": f"Bearer {token}"}, timeout=30)
            except requests.RequestException:
                break
            if res.status_code == 200:
                times.append(time.perf_counter() - t0)
    out.put(times)


# -- the board --------------------------------------------------------------------------------------


class Board:
    def __init__(self, server: Server, panels: int = 0):
        self.server = server
        self.panels = panels
        # The panels fetch from their own process: their Python must not slow the board's clients here.
        self.fetches: multiprocessing.Queue = multiprocessing.Queue(maxsize=100)
        self.fetched: multiprocessing.Queue = multiprocessing.Queue()
        self.fetch_times: list[float] = []
        ws = server.api("POST", "/api/workshops", json={"title": "Bench", "map_type": "journey"}).json()
        self.map_id, self.token = ws["map"]["id"], ws["facilitator_token"]
        snap = server.api("GET", f"/api/maps/{self.map_id}", token=self.token).json()
        for i in range(len(snap["steps"]), STEPS):
            server.api(
                "POST",
                f"/api/maps/{self.map_id}/ops",
                token=self.token,
                json={"op_id": str(uuid.uuid4()), "type": "step.add", "title": f"Étape {i + 1}"},
            )
        snap = server.api("GET", f"/api/maps/{self.map_id}", token=self.token).json()
        self.steps = [s["id"] for s in snap["steps"]][:STEPS]
        self.lane = snap["lanes"][0]["id"]
        self.arrived: dict[int, float] = {}
        self.seen: dict[int, int] = {}
        self.listening_events = 0
        self.lock = threading.Lock()
        self.fetcher = multiprocessing.Process(
            target=_panels, args=(server.url, self.token, panels, self.fetches, self.fetched), daemon=True
        )
        self.fetcher.start()
        self.clients = []
        for i in range(10):
            token = server.api("POST", "/api/join", json={"code": ws["join_code"], "name": f"B{i}"}).json()["token"]
            sio = socketio.Client()
            sio.on("event", self._on_event)
            sio.on("listening", self._on_listening)
            sio.connect(server.url, auth={"token": token}, transports=["websocket"])
            sio.call("join", {"map_id": self.map_id})
            self.clients.append(sio)

    def _on_event(self, event: dict) -> None:
        with self.lock:
            self.seen[event["seq"]] = self.seen.get(event["seq"], 0) + 1
            if self.seen[event["seq"]] == 10:
                self.arrived[event["seq"]] = time.perf_counter()

    def _on_listening(self, event: dict) -> None:
        with self.lock:
            self.listening_events += 1
            first = self.listening_events % 10 == 1  # each event reaches the ten clients: one round of fetches
        if first and self.panels and event.get("listening_id"):
            try:
                self.fetches.put_nowait(event["listening_id"])
            except queue.Full:
                pass

    def edit(self, stop: threading.Event | None = None, rounds: int = 10, pause: float = 0.05) -> list[float]:
        """Fan-out times of card.add ops, each client in turn, until `stop` (or `rounds` rounds)."""
        fanouts = []
        n = 0
        while (stop is None and n < rounds) or (stop is not None and not stop.is_set()):
            n += 1
            for sio in self.clients:
                start = time.perf_counter()
                ack = sio.call(
                    "op",
                    {
                        "map_id": self.map_id,
                        "op_id": str(uuid.uuid4()),
                        "type": "card.add",
                        "lane_id": self.lane,
                        "step_id": self.steps[0],
                        "text": f"carte {n}",
                    },
                )
                deadline = time.perf_counter() + 5
                while ack["seq"] not in self.arrived and time.perf_counter() < deadline:
                    time.sleep(0.0005)
                fanouts.append(self.arrived.get(ack["seq"], deadline) - start)
                time.sleep(pause)
        return fanouts

    def close(self) -> None:
        self.fetches.put(None)
        self.fetch_times = self.fetched.get(timeout=60)
        self.fetcher.join()
        for sio in self.clients:
            sio.disconnect()


def survey_run(args: argparse.Namespace) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        db_url, drop = f"sqlite:///{tmp}/bench.db", None
        if args.survey_db == "postgres":
            from fanout import pg_database  # a fresh database of its own, dropped after

            db_url, drop = pg_database()
        server = Server(db_url, log_path=Path(tmp) / "server.log").start()
        try:
            board = Board(server, args.panels)
            li = server.api(
                "POST",
                f"/api/maps/{board.map_id}/listenings",
                token=board.token,
                json={"invited": {"customer": args.respondents}},
            ).json()["listening"]
            board.edit(rounds=2)  # warm up
            # The baseline lasts as long as the survey: both sides get as many samples and as much of the
            # shared machine's background noise (a 10-round baseline compared ~100 ops with ~700).
            quiet = threading.Event()
            threading.Timer(
                args.baseline_seconds if args.baseline_seconds is not None else args.seconds, quiet.set
            ).start()
            alone = board.edit(stop=quiet)
            out: multiprocessing.Queue = multiprocessing.Queue()
            proc = multiprocessing.Process(
                target=_respondents,
                args=(server.url, li["codes"]["customer"], board.steps, args.respondents, args.seconds, out),
            )
            stop = threading.Event()
            proc.start()
            holder: dict = {}
            editor = threading.Thread(target=lambda: holder.setdefault("f", board.edit(stop=stop)))
            editor.start()
            survey = out.get(timeout=args.seconds + 300)
            proc.join()
            stop.set()
            editor.join()
            time.sleep(1.5)
            during = holder["f"]
            results = server.api("GET", f"/api/listenings/{li['id']}", token=board.token).json()["results"]
            board.close()
        finally:
            server.stop()
        from sqlalchemy import create_engine, text

        engine = create_engine(db_url)
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT count(*), count(DISTINCT rid) FROM listening_responses")).one()
            answers = conn.execute(text("SELECT count(*) FROM listening_answers")).scalar()
        engine.dispose()
        if drop is not None:
            drop()
    lat = survey["latencies"]
    return {
        "respondents": args.respondents,
        "seconds": round(survey["elapsed"], 1),
        "created": survey["statuses"].count(201),
        "other": len(lat) - survey["statuses"].count(201),
        "stored": rows[0],
        "distinct": rows[1],
        "answers": answers,
        "api_count": results["silos"]["customer"]["responses"],
        "put_p50": ms(statistics.median(lat)),
        "put_p99": ms(pct(lat, 0.99)),
        "alone_p50": ms(statistics.median(alone)),
        "alone_p99": ms(pct(alone, 0.99)),
        "during_p50": ms(statistics.median(during)),
        "during_p99": ms(pct(during, 0.99)),
        "ratio_p99": round(pct(during, 0.99) / pct(alone, 0.99), 2),
        "board_ops": (len(alone), len(during)),
        "listening_events": board.listening_events // 10,
        "fetches": len(board.fetch_times),
        "fetch_p50": ms(statistics.median(board.fetch_times)) if board.fetch_times else None,
        "fetch_p99": ms(pct(board.fetch_times, 0.99)) if board.fetch_times else None,
    }


# -- results for many responses -----------------------------------------------------------------------


def results_time(url: str, n: int, verbatim_rate: float) -> tuple[float, float]:
    """Fill `url` with n responses of 12 answers each (a comment on `verbatim_rate` of the responses),
    then time the results (median and max of 5)."""
    from sqlalchemy import insert, text

    from workshop import services
    from workshop.db import Database
    from workshop.listening import counters, service
    from workshop.listening import results as agg
    from workshop.models import Listening, ListeningAnswer, ListeningResponse

    db = Database(url)
    db.migrate()
    answer, fac = services.create_workshop(db, {"title": "Bench"}, "")
    map_id = answer["map"]["id"]
    with db.read() as s:
        missing = STEPS - len(service.ordered_steps(s, map_id))
    services.apply_all(db, map_id, fac, [{"type": "step.add", "title": f"Étape {i}"} for i in range(missing)])
    with db.read() as s:
        steps = [st["id"] for st in service.ordered_steps(s, map_id)]
    assert len(steps) == STEPS
    li = service.create(db, fac, map_id, {"invited": {"customer": n, "employee": n}}, "")
    for chunk in range(0, n, 1000):
        responses, answers = [], []
        for i in range(chunk, min(n, chunk + 1000)):
            rid, silo = str(uuid.uuid4()), ("customer", "employee")[i % 2]
            responses.append({"id": rid, "listening_id": li["id"], "rid": str(uuid.uuid4()), "silo": silo})
            for k, sid in enumerate(steps):
                answers.append(
                    {
                        "id": str(uuid.uuid4()),
                        "response_id": rid,
                        "listening_id": li["id"],
                        "silo": silo,
                        "step_id": sid,
                        "score": (i * 7 + k) % 5 - 2,
                        "important": (i + k) % 3 == 0,
                        "verbatim": f"Un commentaire {i}"
                        if k == i % STEPS and (i * 7919 % 1000) < verbatim_rate * 1000
                        else None,
                    }
                )
        with db.write() as s:
            s.execute(insert(ListeningResponse), responses)
            s.execute(insert(ListeningAnswer), answers)
    with db.write() as s:  # loaded without the PUT, as an import does: count them once
        counters.rebuild(s, [li["id"]])
    if not db.is_sqlite:
        with db.writer.connect() as conn:  # what autovacuum does after a bulk load in production
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
    times, scans, aggregates = [], [], []
    got = service.get(db, fac, li["id"], "")  # what the API serves (computed once, then shared)
    for _ in range(5):
        # The computation itself, as the first request after a change pays it (service.get serves
        # the same results again until the listening changes: not what is timed here).
        t0 = time.perf_counter()
        with db.read() as s:
            agg.results(s, s.get(Listening, li["id"]), steps)
        times.append(time.perf_counter() - t0)
        # A yardstick measured alongside, for a load-independent ratio: one full read of every answer row.
        t0 = time.perf_counter()
        with db.read() as s:
            s.execute(text("SELECT sum(length(verbatim)), sum(score) FROM listening_answers")).all()
        scans.append(time.perf_counter() - t0)
        # The SQL aggregate over every answer (the results before the counters; the tests' reference).
        t0 = time.perf_counter()
        with db.read() as s:
            li_row = s.get(Listening, li["id"])
            reference = agg.aggregate(s, li_row, steps)
        aggregates.append(time.perf_counter() - t0)
    assert got["results"]["silos"]["customer"]["responses"] + got["results"]["silos"]["employee"]["responses"] == n
    assert got["results"] == reference
    db.dispose()
    return statistics.median(times), max(times), statistics.median(scans), statistics.median(aggregates)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--respondents", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=50.0, help="spread the respondents' arrivals over this")
    parser.add_argument(
        "--baseline-seconds",
        type=float,
        default=None,
        help="how long the ten board clients edit alone first (default: as long as --seconds)",
    )
    parser.add_argument("--results", type=int, default=10000)
    parser.add_argument("--verbatim-rate", type=float, default=0.2, help="share of responses with one comment")
    parser.add_argument("--pg", default=None, help="also time the results on this PostgreSQL URL (an empty database)")
    parser.add_argument("--skip-survey", action="store_true")
    parser.add_argument(
        "--survey-db", choices=("sqlite", "postgres"), default="sqlite", help="the server's database for the survey"
    )
    parser.add_argument(
        "--panels",
        type=int,
        default=10,
        help="board members whose Mirror tab is open: each fetches the results on listening events, at most every 3 s",
    )
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}", flush=True)
    if not args.skip_survey:
        r = survey_run(args)
        print(
            "| respondents | within (s) | 201 | other | rows | distinct rids | answers | API count "
            "| PUT p50 / p99 (ms) | board fan-out alone p50 / p99 | during survey p50 / p99 | p99 ratio | listening events |"
        )
        print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        print(
            f"| {r['respondents']} | {r['seconds']} | {r['created']} | {r['other']} | {r['stored']} | {r['distinct']} "
            f"| {r['answers']} | {r['api_count']} | {r['put_p50']} / {r['put_p99']} | {r['alone_p50']} / {r['alone_p99']} "
            f"| {r['during_p50']} / {r['during_p99']} | {r['ratio_p99']} | {r['listening_events']} |",
            flush=True,
        )
        print(
            f"board ops measured alone / during: {r['board_ops']}; results fetched by the open Mirror panels: "
            f"{r['fetches']}, p50 / p99 {r['fetch_p50']} / {r['fetch_p99']} ms"
        )
    with tempfile.TemporaryDirectory() as tmp:
        med, worst, scan, aggregate = results_time(f"sqlite:///{tmp}/results.db", args.results, args.verbatim_rate)
        print(
            f"results for {args.results} responses ({args.verbatim_rate:.0%} with a comment) on SQLite: median "
            f"{ms(med)} ms, max {ms(worst)} ms; one full read of the answers {ms(scan)} ms; "
            f"the SQL aggregate {ms(aggregate)} ms",
            flush=True,
        )
    if args.pg:
        med, worst, scan, aggregate = results_time(args.pg, args.results, args.verbatim_rate)
        print(
            f"results for {args.results} responses ({args.verbatim_rate:.0%} with a comment) on PostgreSQL: median "
            f"{ms(med)} ms, max {ms(worst)} ms; one full read of the answers {ms(scan)} ms; "
            f"the SQL aggregate {ms(aggregate)} ms"
        )
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
