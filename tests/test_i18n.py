"""The two catalogues say the same things: same keys, same placeholders, plural forms where a count
is shown (never "(s)"), every key the pages ask for, a message per error code, and the same plural
choice in Python (Babel) as in the browser (Intl.PluralRules)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from workshop.errors import HTTP_STATUS
from workshop.i18n import EN, FR, PLURAL_FORMS, choose, translate

ROOT = Path(__file__).resolve().parents[1]
NAMES = re.compile(r"\{(\w+)\}")


def _forms(entry):
    return [entry] if isinstance(entry, str) else list(entry.values())


def _placeholders(entry) -> set[str]:
    return {name for text in _forms(entry) for name in NAMES.findall(text)}


def test_french_and_english_have_the_same_keys():
    assert sorted(set(FR) ^ set(EN)) == []


@pytest.mark.parametrize("key", sorted(FR))
def test_each_string_has_the_same_placeholders_in_both_languages(key):
    assert _placeholders(FR[key]) == _placeholders(EN[key])


@pytest.mark.parametrize("key", sorted(FR))
def test_counts_have_plural_forms_not_parentheses(key):
    for catalogue in (FR, EN):
        entry = catalogue[key]
        assert isinstance(entry, str) == isinstance(FR[key], str), f"{key}: plural in one language only"
        assert not any("(s)" in text for text in _forms(entry)), f"{key}: a plural form, not “(s)”"
        if not isinstance(entry, str):
            assert "other" in entry and set(entry) <= set(PLURAL_FORMS), key
            assert "n" in _placeholders(entry) or key.endswith("_n") or len(entry) > 1, key


def test_plural_forms_follow_each_language():
    assert translate("fr", "sheets.count", n=0) == "0 fiche"  # French: 0 and 1 are singular
    assert translate("fr", "sheets.count", n=1) == "1 fiche"
    assert translate("fr", "sheets.count", n=2) == "2 fiches"
    assert translate("en", "sheets.count", n=0) == "0 sheets"
    assert translate("en", "sheets.count", n=1) == "1 sheet"
    assert translate("fr", "sheets.count", n=1_000_000) == "1000000 fiches"  # CLDR's `many` falls back to other
    assert translate("en", "a11y.cards", n=0) == "no cards"  # an explicit zero form wins


def _keys_asked_by_the_pages() -> set[str]:
    keys: set[str] = set()
    for path in (ROOT / "static" / "js").glob("*.js"):
        keys |= set(re.findall(r"""\bt\(\s*["']([a-z0-9_]+\.[a-z0-9_.]+)["']""", path.read_text(encoding="utf-8")))
    for path in (ROOT / "templates").rglob("*.html"):
        keys |= set(re.findall(r"""\bt\(\s*'([a-z0-9_]+\.[a-z0-9_.]+)'""", path.read_text(encoding="utf-8")))
    return {k for k in keys if not k.endswith(("_", "."))}  # a prefix completed at run time


def test_every_key_a_page_asks_for_is_in_both_catalogues():
    keys = _keys_asked_by_the_pages()
    assert len(keys) > 200, "the pattern that finds t('…') calls is out of date"
    assert sorted(k for k in keys if k not in FR or k not in EN) == []


def test_a_macro_stage_is_never_called_a_phase_in_french():
    assert "phase" not in " ".join(text.lower() for k in FR if k.startswith("stage.") for text in _forms(FR[k]))


@pytest.mark.parametrize("code", sorted(HTTP_STATUS))
def test_every_error_code_has_a_message_a_person_can_read(code):
    assert FR.get(f"error.{code}") and EN.get(f"error.{code}")


def test_the_browser_chooses_the_same_plural_forms_as_the_server():
    node = shutil.which("node")
    assert node, "node is needed (make setup installs the npm packages with it)"
    counts = [0, 1, 2, 3, 5, 11, 21, 101, 1_000_000]
    entries = {k: v for k, v in FR.items() if not isinstance(v, str)}
    script = """
      const [entries, counts] = JSON.parse(process.argv[1]);
      const out = {};
      for (const lang of ["fr", "en"]) {
        const rules = new Intl.PluralRules(lang);
        out[lang] = counts.map((n) => Object.fromEntries(Object.entries(entries).map(([k, e]) =>
          [k, n === 0 && "zero" in e ? e.zero : (e[rules.select(n)] ?? e.other)])));
      }
      console.log(JSON.stringify(out));
    """
    for lang, catalogue in (("fr", FR), ("en", EN)):
        plural = {k: catalogue[k] for k in entries}
        run = subprocess.run(
            [node, "-e", script, json.dumps([plural, counts])], capture_output=True, text=True, check=True
        )
        browser = json.loads(run.stdout)[lang]
        assert browser == [{k: choose(lang, e, n) for k, e in plural.items()} for n in counts]
