"""How long does importing a workshop.json take, and does it grow linearly?

    .venv/bin/python bench/import.py [--cards 2000] [--repeat 1]

Imports, on a fresh SQLite database, generated workshops of N cards (N/4, N/2, N), in two shapes:
- `spread`: the cards spread over a 10 × 5 grid, every fifth one building on an earlier card;
- `chain`: every card in one cell, each building on the next one (the worst case of issue #8: it used to
  cost cubic time, 800 cards 30 s).
Prints wall and CPU seconds per import and per card; the per-card cost should stay flat as N grows
(linear), and N = 2,000 should take under 2 s on an idle machine. The machine is shared: CPU time is
printed beside wall time because it moves less with the others' load.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from import_doc import document  # noqa: E402  (bench/import_doc.py)

from workshop.db import Database  # noqa: E402
from workshop.export import json_io  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cards", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{tmp}/bench.db")
        db.migrate()
        print(f"{'shape':<7} {'cards':>6} {'wall s':>8} {'cpu s':>7} {'ms/card':>8}")
        for shape in ("spread", "chain"):
            for n in (args.cards // 4, args.cards // 2, args.cards):
                doc = document(n, shape)
                best = None
                for _ in range(args.repeat):
                    wall, cpu = time.perf_counter(), time.process_time()
                    json_io.import_workshop(db, doc, "http://bench")
                    took = (time.perf_counter() - wall, time.process_time() - cpu)
                    best = took if best is None or took[0] < best[0] else best
                print(f"{shape:<7} {n:>6} {best[0]:>8.2f} {best[1]:>7.2f} {1000 * best[0] / n:>8.2f}")
        db.dispose()


if __name__ == "__main__":
    main()
