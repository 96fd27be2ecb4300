"""Lists declared once (workshop/lists.py, workshop/errors.py): every page ships them in its data,
and no browser module keeps a copy of its own (issue #11, point 5)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from workshop import create_app
from workshop.config import Settings
from workshop.lists import shared_lists

JS = Path(__file__).resolve().parents[1] / "static" / "js"
SOURCES = {p.name: p.read_text(encoding="utf-8") for p in JS.glob("*.js")}


def _lists() -> dict[str, list[str]]:
    """Each shared list of names, as a browser module would spell it."""
    shared = shared_lists()
    named = {
        "chantier fields": shared["chantier_fields"],
        "chantier statuses": shared["chantier_statuses"],
        "resonance categories": [row["category"] for row in shared["resonance"]],
        "retried error codes": list(shared["error_codes"]["retry"]),
        "round targets": shared["round_targets"],
    }
    named |= {
        f"card kinds of the {phase} phase": kinds
        for phase, kinds in shared["phase_card_kinds"].items()
        if len(kinds) > 1
    }
    return named


@pytest.mark.parametrize("name", list(_lists()))
def test_no_browser_module_spells_out_a_shared_list(name):
    items = _lists()[name]
    assert len(items) > 1
    copies = []
    for a, b in zip(items, items[1:]):  # two neighbours in a row: a copy of the list
        pair = re.compile(rf"""["']{re.escape(a)}["']\s*[,:]\s*["']?{re.escape(b)}["']""")
        copies += [f"{file}: {a}, {b}" for file, text in SOURCES.items() if pair.search(text)]
    assert copies == [], f"the {name} are in the page data (workshop/lists.py): read PAGE, keep no copy"


def test_no_browser_module_names_a_resonance_situation():
    names = [row["category"] for row in shared_lists()["resonance"]]
    found = [f"{file}: {n}" for n in names for file, text in SOURCES.items() if re.search(rf"""["'`]{n}["'`]""", text)]
    assert found == [], "the six situations and their advice come from PAGE.resonance"


def test_the_pattern_finds_a_copy():
    """The grep above can fail: the list as it was once written in sheets-state.js is caught."""
    pair = re.compile(r"""["']draft["']\s*[,:]\s*["']?validated["']""")
    assert pair.search('export const STATUSES = ["draft", "validated", "in_progress", "done"];')


def test_every_page_carries_the_shared_lists(tmp_path):
    app = create_app(
        Settings(
            database_url=f"sqlite:///{tmp_path / 'lists.db'}", demo=False, secret_key="lists", async_mode="threading"
        )
    )
    html = app.test_client().get("/").get_data(as_text=True)
    data = json.loads(re.search(r'<script type="application/json" id="page-data">(.*?)</script>', html, re.S)[1])
    for key, value in shared_lists().items():
        assert data[key] == json.loads(json.dumps(value)), key
    assert [row["advice"] for row in data["resonance"]] == [f"res.{row['category']}_do" for row in data["resonance"]]
    assert all(row["advice"] in data["catalog"] and row["name"] in data["catalog"] for row in data["resonance"])
