"""cards.csv: one card a row, for a spreadsheet (UTF-8 with a BOM so that Excel reads the accents)."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from typing import Any

from ..i18n import translate
from .labels import labels

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# The columns in order; their headers are the catalogue's `csv.<column>` entries.
COLUMNS = (
    "stage",
    "step",
    "key_moment",
    "lane",
    "kind",
    "text",
    "author",
    "department",
    "perspective",
    "channel",
    "votes",
    "comments",
    "selected",
    "builds_on",
    "id",
)


def safe_cell(value: Any) -> Any:
    """A cell a spreadsheet shows as text: anything that could start a formula gets an apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def cards_csv(doc: dict[str, Any], map_id: str) -> bytes:
    locale = doc.get("lang") or doc["workshop"].get("locale") or "fr"
    lab = labels(locale)
    yes, no = translate(locale, "csv.yes"), translate(locale, "csv.no")
    m = next(m for m in doc["maps"] if m["map"]["id"] == map_id)
    people = {p["id"]: p for p in doc["participants"]}
    stages = {s["id"]: s for s in m["stages"]}
    steps = {s["id"]: s for s in m["steps"]}
    lanes = {l["id"]: l for l in m["lanes"]}
    step_order = {s["id"]: i for i, s in enumerate(m["steps"])}
    lane_order = {l["id"]: l["position"] for l in m["lanes"]}
    votes: dict[str, int] = defaultdict(int)
    for r in m["rounds"]:
        if r["target"] == "card":
            for row in r.get("results") or []:
                votes[row["target_id"]] += row["votes"]
    comments: dict[str, int] = defaultdict(int)
    for c in m["comments"]:
        comments[c["target_id"]] += 1
    out = io.StringIO()
    writer = csv.writer(out, dialect="excel", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([translate(locale, f"csv.{column}") for column in COLUMNS])
    cards = sorted(
        m["cards"],
        key=lambda c: (step_order.get(c["step_id"], 1 << 30), lane_order.get(c["lane_id"], 1 << 30), c["position"]),
    )
    for c in cards:
        step = steps.get(c["step_id"], {})
        author = people.get(c.get("author_id") or "", {})
        writer.writerow(
            [
                safe_cell(v)
                for v in (
                    stages.get(step.get("stage_id") or "", {}).get("title", ""),
                    step.get("title", ""),
                    yes if step.get("key_moment") else no,
                    lanes.get(c["lane_id"], {}).get("title", ""),
                    lab["kinds"].get(c["kind"], c["kind"]),
                    c["text"] if c["text"] is not None else f"({lab['hidden_card']})",
                    author.get("name", ""),
                    author.get("department") or "",
                    lab["perspectives"].get(c.get("perspective") or "", ""),
                    lab["channels"].get(c.get("channel") or "", c.get("channel") or ""),
                    votes.get(c["id"], 0),
                    comments.get(c["id"], 0),
                    yes if c.get("selected") else no,
                    c.get("builds_on") or "",
                    c["id"],
                )
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")
