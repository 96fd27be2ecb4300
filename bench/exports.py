"""How long does a PDF export take through the warm worker? (issue #13 point 6)

    .venv/bin/python bench/exports.py [--warm 5] [--sheets 20] [--async-mode eventlet]
    .venv/bin/python bench/exports.py --in-process [--warm 3]      # the renderers alone, for a profiler:
    .venv/bin/py-spy record -o /tmp/pdf.svg -- .venv/bin/python bench/exports.py --in-process

Builds, in a fresh SQLite database and through the importer (the demo is itself a workshop.json):
- the demo workshop (workshop/demo.py: 3 chantier sheets, the Mirror listening included);
- the demo again with N chantier sheets (the demo's sheets repeated, renumbered; default 20).
Then starts the real server (run.py, eventlet by default) and downloads each PDF through its HTTP route
with the facilitator's token: the first call of the run starts the warm worker (cold), then `--warm`
calls of each. For each export it reports the wall time seen by the client (best and median) and the CPU
seconds spent in the worker process (/proc/<pid>/stat: robust on a shared machine, where wall time is
not); plus the worker's RSS and the machine's load average before and after.

The targets (issue #13): demo chantiers.pdf < 1.5 s, 20 sheets < 3 s, report.pdf < 3 s, RSS < 300 MB.
"""

from __future__ import annotations

import argparse
import copy
import io
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workshop.demo import create_demo, demo_document  # noqa: E402
from workshop.export import json_io  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def sheets_document(count: int) -> dict[str, Any]:
    """The demo workshop with `count` chantier sheets: its own sheets over and over, each renumbered
    (title, id, position), the first eight ranked by priority, as a facilitator would."""
    doc = demo_document()
    doc["workshop"]["title"] = f"{doc['workshop']['title']} — {count} chantiers"
    board = doc["maps"][0]
    base = board["chantiers"]
    sheets = []
    for i in range(count):
        sheet = copy.deepcopy(base[i % len(base)])
        sheet.update(id=f"sheet-{i + 1}", position=i, title=f"{sheet['title']} ({i + 1})")
        sheet["priority"] = i + 1 if i < 8 else None
        sheets.append(sheet)
    board["chantiers"] = sheets
    return doc


# -- the worker process, seen from /proc -----------------------------------------------------------


def _children(pid: int) -> list[int]:
    try:
        return [int(x) for x in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def worker_pid(server_pid: int) -> int | None:
    for child in _children(server_pid):
        try:
            if b"workshop.offload" in Path(f"/proc/{child}/cmdline").read_bytes():
                return child
        except OSError:
            continue
    return None


def cpu_seconds(pid: int | None) -> float:
    """User + system CPU of a process (0 when it is gone)."""
    if pid is None:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime (fields 14 and 15 of stat)


def rss_mb(pid: int | None) -> float:
    if pid is None:
        return 0.0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


# -- timing ------------------------------------------------------------------------------------------


@dataclass
class Case:
    label: str
    path: str
    token: str
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    pages: int = 0
    size: int = 0


def fetch(base: str, case: Case, server_pid: int) -> tuple[float, float]:
    """One download: (wall seconds, worker CPU seconds)."""
    before_pid = worker_pid(server_pid)
    before = cpu_seconds(before_pid)
    start = time.perf_counter()
    res = requests.get(base + case.path, headers={"Authorization": f"Bearer {case.token}"}, timeout=300)
    wall = time.perf_counter() - start
    res.raise_for_status()
    assert res.content.startswith(b"%PDF"), res.content[:100]
    pid = worker_pid(server_pid)
    cpu = cpu_seconds(pid) - (before if pid == before_pid else 0.0)
    case.size = len(res.content)
    case.pages = len(PdfReader(io.BytesIO(res.content)).pages)
    return wall, cpu


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def over_http(args: argparse.Namespace, tmp: Path) -> None:
    from tests.server import Server
    from workshop.db import Database

    url = f"sqlite:///{tmp / 'bench.db'}"
    db = Database(url)
    db.migrate()
    demo = create_demo(db)
    many = json_io.import_workshop(db, sheets_document(args.sheets), "", "fr")
    db.dispose()
    server = Server(url, async_mode=args.async_mode, log_path=tmp / "server.log").start()
    n = args.sheets
    cases = [
        Case("demo chantiers.pdf (3 sheets)", f"/api/workshops/{demo['workshop_id']}/export/chantiers.pdf", ""),
        Case("demo map.pdf", f"/api/maps/{demo['map_id']}/export/map.pdf", ""),
        Case("demo report.pdf", f"/api/workshops/{demo['workshop_id']}/export/report.pdf", ""),
        Case("demo report.pdf, ?lang=en", f"/api/workshops/{demo['workshop_id']}/export/report.pdf?lang=en", ""),
        Case(f"chantiers.pdf ({n} sheets)", f"/api/workshops/{many['workshop']['id']}/export/chantiers.pdf", ""),
        Case(f"report.pdf ({n} sheets)", f"/api/workshops/{many['workshop']['id']}/export/report.pdf", ""),
    ]
    for case in cases:
        case.token = many["facilitator_token"] if f"({n} sheets)" in case.label else demo["facilitator_token"]
    load_before = _load()
    try:
        assert server.proc is not None
        spid = server.proc.pid
        cold_wall, _ = fetch(server.url, cases[0], spid)
        cold_pid = worker_pid(spid)
        peak = rss_mb(cold_pid)
        for case in cases:
            for _ in range(args.warm):
                wall, cpu = fetch(server.url, case, spid)
                case.walls.append(wall)
                case.cpus.append(cpu)
                peak = max(peak, rss_mb(worker_pid(spid)))
        last_pid = worker_pid(spid)
        rss_end = rss_mb(last_pid)
    finally:
        server.stop()
    load_after = _load()
    print(f"server: run.py --async-mode {args.async_mode}, SQLite; {os.cpu_count()} CPUs")
    print(f"load average (1, 5, 15 min) before: {load_before}; after: {load_after}")
    print(f"first export of the run (cold worker: start Python, import the app and WeasyPrint): {cold_wall:.2f} s")
    print(
        f"worker RSS: {rss_end:.0f} MB at the end, {peak:.0f} MB at most"
        f" ({'same process throughout' if cold_pid == last_pid else 'the worker was replaced'})"
    )
    print()
    print(f"| export ({args.warm} warm calls each) | pages | wall best | wall median | worker CPU median |")
    print("|---|---|---|---|---|")
    for case in cases:
        print(
            f"| {case.label} | {case.pages} | {min(case.walls):.2f} s | {statistics.median(case.walls):.2f} s"
            f" | {statistics.median(case.cpus):.2f} s |"
        )


def in_process(args: argparse.Namespace, tmp: Path) -> None:
    """The three renderers in this process, on documents read like the routes read them: what a
    profiler should look at (no HTTP, no worker)."""
    from workshop import create_app
    from workshop.auth import actor_of, participant_for
    from workshop.config import Settings
    from workshop.export import collect, pdf

    app = create_app(
        Settings(
            database_url=f"sqlite:///{tmp / 'bench.db'}",
            demo=False,
            async_mode="threading",
            secret_key="bench",
            exports_dir=tmp / "exports",
        )
    )
    db = app.extensions["parcours"].db
    demo = create_demo(db)
    many = json_io.import_workshop(db, sheets_document(args.sheets), "", "fr")

    def document(token: str, workshop_id: str) -> dict[str, Any]:
        with db.read() as s:
            actor = actor_of(participant_for(s, token))
        return collect.workshop_document(db, actor, workshop_id)

    small = document(demo["facilitator_token"], demo["workshop_id"])
    large = document(many["facilitator_token"], many["workshop"]["id"])
    renders = [
        ("demo chantiers", lambda: pdf.render_chantiers(small)),
        ("demo map", lambda: pdf.render_map(small, demo["map_id"])),
        ("demo report", lambda: pdf.render_report(small)),
        (f"chantiers, {args.sheets} sheets", lambda: pdf.render_chantiers(large)),
    ]
    print(f"load average before: {_load()}")
    print(f"| render (in process, {args.warm} calls after one warm-up) | CPU best | CPU median | wall median |")
    print("|---|---|---|---|")
    for label, render in renders:
        render()
        cpus, walls = [], []
        for _ in range(args.warm):
            wall, cpu = time.perf_counter(), time.process_time()
            render()
            cpus.append(time.process_time() - cpu)
            walls.append(time.perf_counter() - wall)
        print(f"| {label} | {min(cpus):.2f} s | {statistics.median(cpus):.2f} s | {statistics.median(walls):.2f} s |")
    print(f"load average after: {_load()}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--warm", type=int, default=5, help="warm calls per export")
    parser.add_argument("--sheets", type=int, default=20)
    parser.add_argument("--async-mode", default="eventlet", choices=["eventlet", "threading", "gevent"])
    parser.add_argument("--in-process", action="store_true", help="time the renderers alone, in this process")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        (in_process if args.in_process else over_http)(args, Path(tmp))


if __name__ == "__main__":
    main()
