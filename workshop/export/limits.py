"""Bounds on exports and imports, declared once (docs/api.md, "Exports and import: limits").

- PDF renders: at most `PDF_AT_ONCE` in the whole server process (each takes a core for seconds) and
  `PDF_PER_MEMBER` per member at a time; beyond, 429 `rate_limited` with Retry-After.
- Imports: a facilitator's token of any workshop on this server, at most `IMPORTS_AT_ONCE` at a time,
  and per address a bucket of `IMPORT_BURST` imports refilled at one per `IMPORT_EVERY` seconds.
- Files kept under exports/: the `EXPORTS_KEPT` newest; older ones are removed after each export.
Counters are per process, like the op rate limiter.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import current_app

from ..errors import OpError
from ..i18n import translate
from ..state import RateLimiter

log = logging.getLogger(__name__)

PDF_AT_ONCE = 2
PDF_PER_MEMBER = 1
IMPORTS_AT_ONCE = 2
IMPORT_BURST = 20
IMPORT_EVERY = 15.0
EXPORTS_KEPT = 20
RETRY_AFTER = 5


class Busy(OpError):
    """429 rate_limited, with the seconds to wait for the Retry-After header."""

    def __init__(self, message: str, retry_after: int = RETRY_AFTER):
        super().__init__("rate_limited", message)
        self.retry_after = retry_after


class Gate:
    """At most `total` holders at once, and at most `each` per key; never queues: a caller that
    finds it full is answered at once (the client retries), so waiting work stays bounded."""

    def __init__(self, total: int, each: int):
        self.total, self.each = total, each
        self._held: dict[str, int] = {}
        self._lock = threading.Lock()

    def try_enter(self, key: str) -> bool:
        with self._lock:
            if sum(self._held.values()) >= self.total or self._held.get(key, 0) >= self.each:
                return False
            self._held[key] = self._held.get(key, 0) + 1
            return True

    def leave(self, key: str) -> None:
        with self._lock:
            left = self._held.get(key, 0) - 1
            if left > 0:
                self._held[key] = left
            else:
                self._held.pop(key, None)

    @contextmanager
    def enter(self, key: str, message: str) -> Iterator[None]:
        if not self.try_enter(key):
            raise Busy(message)
        try:
            yield
        finally:
            self.leave(key)


class Limits:
    def __init__(self) -> None:
        self.pdf = Gate(PDF_AT_ONCE, PDF_PER_MEMBER)
        self.imports = Gate(IMPORTS_AT_ONCE, 1)
        self.import_rate = RateLimiter(1.0 / IMPORT_EVERY, IMPORT_BURST)

    def check_import_rate(self, address: str, lang: str) -> None:
        try:
            self.import_rate.check(address)
        except OpError:
            seconds = int(IMPORT_EVERY)
            raise Busy(translate(lang, "impex.err.busy", seconds=seconds), seconds) from None


def limits() -> Limits:
    """This app's counters (one set per app, so that tests with their own app start afresh)."""
    return current_app.extensions.setdefault("parcours.export_limits", Limits())


def prune(folder: Path, keep: int = EXPORTS_KEPT) -> None:
    """Keep the `keep` newest files of exports/: the copies are a convenience, not an archive."""
    try:
        files = sorted(
            (p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")),
            key=lambda p: p.stat().st_mtime,
            reverse=True,
        )
    except OSError:
        return
    for old in files[keep:]:
        try:
            old.unlink()
        except OSError:  # removed meanwhile by another export
            pass
