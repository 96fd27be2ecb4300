"""French typography for user text at render time (locale fr): non-breaking spaces where they belong.

- a non-breaking space (U+00A0) before « : » and inside « guillemets »;
- a narrow non-breaking space (U+202F) before « ; ! ? » (Imprimerie nationale);
- a typographic apostrophe (’) between letters.
Spaces are only added where a French reader expects them: "Bonjour!" → "Bonjour !", but
"10:30", "http://x" and "?!" are left alone. English text is returned unchanged.
"""

from __future__ import annotations

import re

NBSP = "\u00a0"
NNBSP = "\u202f"

_SPACE = r"[ \t\u00a0\u202f\u2009]"
_BEFORE_COLON = re.compile(_SPACE + r"+:")
_BEFORE_TALL = re.compile(_SPACE + r"+([;!?])")
# A word glued to ; ! ? followed by a space, the end, or a closing mark.
_GLUED_TALL = re.compile(r"(?<=[\w\)»%€\"”’])([;!?]+)(?=\s|$|[»\)\"”])")
_GLUED_COLON = re.compile(r"(?<=[^\W\d_]|[\)»%€])(:)(?=\s|$)")
_OPEN_GUILLEMET = re.compile(r"«" + _SPACE + r"*")
_CLOSE_GUILLEMET = re.compile(_SPACE + r"*»")
_APOSTROPHE = re.compile(r"(?<=[^\W\d_])'(?=[^\W\d_])")


def french(text: str) -> str:
    if not text:
        return text
    text = _APOSTROPHE.sub("’", text)
    text = _BEFORE_COLON.sub(NBSP + ":", text)
    text = _BEFORE_TALL.sub(NNBSP + r"\1", text)
    text = _GLUED_TALL.sub(NNBSP + r"\1", text)
    text = _GLUED_COLON.sub(NBSP + r"\1", text)
    # Two marks in a row ("?!") keep a single space before the first one.
    text = re.sub(r"([;!?])" + NNBSP + r"(?=[;!?])", r"\1", text)
    text = _OPEN_GUILLEMET.sub("«" + NBSP, text)
    text = _CLOSE_GUILLEMET.sub(NBSP + "»", text)
    return text


def typography(text: str | None, locale: str) -> str:
    """User text as it should print in `locale` (None prints as an empty string)."""
    if text is None:
        return ""
    return french(str(text)) if locale == "fr" else str(text)
