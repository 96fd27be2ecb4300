"""French and English catalogs for every string a person reads on the pages.

One flat dict per language, keys shared by the Jinja templates (`t('key')`) and the browser
(the catalog of the page's language is embedded in the page as JSON; `t("key", {n: 2})` in JS).
Placeholders are `{name}`. French typography: ’ and a non-breaking space (U+00A0) before « : ; ? ! ».
"""
from __future__ import annotations

from typing import Any

from .catalogs import EN, FR

LANGS = ("fr", "en")
CATALOGS: dict[str, dict[str, str]] = {"fr": FR, "en": EN}


def catalog(lang: str) -> dict[str, str]:
    """The strings of `lang`, completed from French where English would miss one."""
    if lang == "fr":
        return FR
    return {**FR, **CATALOGS.get(lang, {})}


def translate(lang: str, key: str, **values: Any) -> str:
    text = CATALOGS.get(lang, FR).get(key) or FR.get(key) or key
    for name, value in values.items():
        text = text.replace("{" + name + "}", str(value))
    return text
