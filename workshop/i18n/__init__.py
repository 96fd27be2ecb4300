"""French and English: every string a person reads, one catalogue per language.

The catalogues are data files, `fr.json` and `en.json` beside this module, read by Python (the
exports, the errors), by the Jinja templates (`t('key')`) and by the browser (the page's catalogue is
embedded in its page data; `t("key", {n: 2})` in static/js/dom.js). One flat object a language; keys
are `area.what`. Placeholders are `{name}`.

Plurals: a value may be an object of CLDR plural forms, `{"one": "{n} carte", "other": "{n} cartes"}`,
chosen by the value of the `n` placeholder with the language's CLDR rule (Babel here, Intl.PluralRules
in the browser: the same CLDR data). A form the language has but the entry lacks (French `many`) falls
back to `other`; an optional `zero` form is used for 0 (like ICU's `=0`), since "no cards" reads better
than "0 cards".

Why not gettext / Flask-Babel: two languages, one team, and the browser needs the same strings as JSON
anyway; keyed JSON files serve all three readers without a compile step. Should a third language come
with translators and their tools, gettext catalogues (Flask-Babel) are the ecosystem's way, and the keys
here map one-to-one onto message ids.

French typography: ’ and a non-breaking space (U+00A0, written \\u00a0 in the files) before « : ; ? ! »
and after «.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from babel import Locale

LANGS = ("fr", "en")
Entry = str | dict[str, str]
PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")


def _load(lang: str) -> dict[str, Entry]:
    return json.loads((Path(__file__).parent / f"{lang}.json").read_text(encoding="utf-8"))


FR: dict[str, Entry] = _load("fr")
EN: dict[str, Entry] = _load("en")
CATALOGS: dict[str, dict[str, Entry]] = {"fr": FR, "en": EN}
_LOCALES = {lang: Locale.parse(lang) for lang in LANGS}


def catalog(lang: str) -> dict[str, Entry]:
    """The strings of `lang`, completed from French where English would miss one."""
    if lang == "fr":
        return FR
    return {**FR, **CATALOGS.get(lang, {})}


def plural_form(lang: str, n: Any) -> str:
    """The CLDR plural category of `n` in `lang` ('one', 'other', 'many'…)."""
    try:
        return _LOCALES.get(lang, _LOCALES["fr"]).plural_form(abs(n))
    except (TypeError, ValueError):
        return "other"


def choose(lang: str, entry: Entry, n: Any) -> str:
    """The text of an entry for the count `n`: a plain string as it is, plural forms by CLDR."""
    if isinstance(entry, str):
        return entry
    if n == 0 and "zero" in entry:
        return entry["zero"]
    return entry.get(plural_form(lang, n)) or entry["other"]


def translate(lang: str, key: str, **values: Any) -> str:
    entry = CATALOGS.get(lang, FR).get(key) or FR.get(key) or key
    text = choose(lang if key in CATALOGS.get(lang, {}) else "fr", entry, values.get("n"))
    for name, value in values.items():
        text = text.replace("{" + name + "}", str(value))
    return text
