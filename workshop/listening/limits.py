"""Slowing a runaway respondent down without refusing a crowd (CONTRACT.md §7, issue #10 point 5), and
keeping a crowd of respondents from slowing the boards (issue #10 point 6).

Respondents have no account and may share one office address, so the buckets are keyed by what
a request names, not by its address: one bucket per `rid` (one device) and one per code (one link).
A thousand distinct respondents on one link fit in the code's bucket; a script hammering one rid,
or a flood on one link, gets 429 with the seconds to wait. Buckets live in memory, per process,
and their number is bounded.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager

from .. import throttle
from ..errors import OpError

# One device: a few saves a minute is normal (answers then corrections); bursts of 10.
RID_PER_SECOND, RID_BURST = 0.5, 10.0
# One link: hundreds of respondents in minutes (§7's scale target: 1,000 in 60 s), bursts of 500.
CODE_PER_SECOND, CODE_BURST = 100.0, 500.0
# Reads of the page and of one's own response are cheap but still bounded.
MAX_BUCKETS = 100_000


class RateLimited(throttle.RateLimited):
    """The throttles' refusal (429 with Retry-After, web.op_error), with the listening's words."""

    def __init__(self, retry_after: float, message: str = "too many saves: wait a moment and try again"):
        OpError.__init__(self, "rate_limited", message)
        self.retry_after = max(1, math.ceil(retry_after))


class Buckets:
    """Token buckets by key, the least recently used dropped beyond `MAX_BUCKETS`."""

    def __init__(self, per_second: float, burst: float, max_keys: int = MAX_BUCKETS):
        self.per_second, self.burst, self.max_keys = per_second, burst, max_keys
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """0 when allowed (a token taken), else the seconds until one is available."""
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.pop(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.per_second)
            wait = 0.0
            if tokens < 1:
                wait = (1 - tokens) / self.per_second
            else:
                tokens -= 1
            self._buckets[key] = (tokens, now)
            while len(self._buckets) > self.max_keys:
                self._buckets.popitem(last=False)
            return wait


class ResponseLimiter:
    def __init__(self) -> None:
        self.by_rid = Buckets(RID_PER_SECOND, RID_BURST)
        self.by_code = Buckets(CODE_PER_SECOND, CODE_BURST)

    def check(self, code: str, rid: str) -> None:
        wait = self.by_rid.take(f"{code}:{rid}") or self.by_code.take(code)
        if wait:
            raise RateLimited(wait)


BUSY = "the server is busy with other answers: try again in a moment"


class PutGate:
    """How many saves of responses use the database at once, and how many may wait for it.

    Respondents arrive by the hundred; the boards' ops must not queue behind them. A save holds a
    database connection (and on SQLite the one write lock) for a few milliseconds: at most `slots` of
    them run at once, so the pool and the write lock stay free for the boards' socket workers, and
    at most `max_waiting` more wait (a green wait under eventlet: the hub serves the boards meanwhile).
    The next one, or one that waited `wait` seconds, is answered 429 with a Retry-After; the
    respondent's page saves again after it (PUT is idempotent), so a burst is spread instead of
    queued without end. Per process, like the workers it protects.
    """

    def __init__(self, slots: int, max_waiting: int = 64, wait: float = 5.0, retry_after: float = 2.0):
        self.slots, self.max_waiting, self.wait, self.retry_after = slots, max_waiting, wait, retry_after
        self._free = threading.BoundedSemaphore(slots)
        self._lock = threading.Lock()
        self.waiting = 0

    @contextmanager
    def slot(self) -> Iterator[None]:
        with self._lock:
            if self.waiting >= self.max_waiting:
                raise RateLimited(self.retry_after, BUSY)
            self.waiting += 1
        try:
            got = self._free.acquire(timeout=self.wait)
        finally:
            with self._lock:
                self.waiting -= 1
        if not got:
            raise RateLimited(self.retry_after, BUSY)
        try:
            yield
        finally:
            self._free.release()


def put_slots(is_sqlite: bool) -> int:
    """SQLite writes one transaction at a time anyway; PostgreSQL gets a few of its pool's connections."""
    return 1 if is_sqlite else 4
