"""The board's zoom and follow-me strings: both languages, every key the page asks for."""
from __future__ import annotations

import re
from pathlib import Path

from workshop.i18n import board
from workshop.i18n.catalogs import EN, FR

ROOT = Path(__file__).resolve().parents[1]


def test_the_board_strings_exist_in_french_and_in_english_and_reach_the_catalogues():
    assert board.FR.keys() == board.EN.keys()
    for key in board.FR:
        assert FR[key] == board.FR[key] and EN[key] == board.EN[key]


def test_every_string_the_viewport_module_asks_for_is_in_both_catalogues():
    source = (ROOT / "static" / "js" / "viewport.js").read_text(encoding="utf-8")
    keys = set(re.findall(r"""\bt\(\s*["']([a-z_]+\.[a-z_.]+)["']""", source))
    keys |= set(re.findall(r'"(view\.[a-z_]+)"', source))
    assert keys, "no t() call found: the pattern is out of date"
    assert sorted(k for k in keys if k not in FR or k not in EN) == []


def test_a_macro_stage_is_never_called_a_phase_in_french():
    assert "phase" not in " ".join(FR[k].lower() for k in FR if k.startswith("stage."))
