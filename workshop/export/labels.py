"""The words printed on the exports, as the templates read them (`L.sheet`, `L.phases.setup`).

They live in the one catalogue (workshop/i18n/<lang>.json) under `pdf.`: `pdf.sheet` becomes
`L.sheet`, `pdf.phases.setup` becomes `L.phases.setup`. The six situations, their advice and the
inverted-dates warning are the board's own entries, so the board and the PDF say the same thing.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from ..i18n import LANGS, catalog

PREFIX = "pdf."


@lru_cache(maxsize=len(LANGS))
def _words(locale: str) -> dict[str, Any]:
    words = catalog(locale)
    out: dict[str, Any] = {}
    for key, text in words.items():
        if key.startswith(PREFIX):
            group, _, name = key[len(PREFIX) :].partition(".")
            if name:
                out.setdefault(group, {})[name] = text
            else:
                out.setdefault(group, text)
    situations = [key[4:-3] for key in words if key.startswith("res.") and key.endswith("_do")]
    out["categories"] = {c: words[f"res.{c}"] for c in situations}
    out["category_actions"] = {c: words[f"res.{c}_do"] for c in situations}
    out["dates_inverted"] = words["sheets.dates_inverted"]
    return out


def labels(locale: str) -> dict[str, Any]:
    """The export's words in `locale` (French for a language the app does not have)."""
    return _words(locale if locale in LANGS else "fr")
