"""Per-address throttles for what needs no login: joining with a code, creating a workshop
(and one per workshop: how many may join it a minute, from any address).

A token bucket per (action, client address). The address is `request.remote_addr`: the peer's
own address unless the app was told to trust reverse proxies (PARCOURS_TRUSTED_PROXIES, applied
by werkzeug's ProxyFix in create_app), so a client cannot pick its own bucket by sending an
`X-Forwarded-For` header. The limits are the settings' `throttles` (config.py), declared once.
"""

from __future__ import annotations

import math
import threading
import time

from flask import current_app, request

from .config import Limit
from .errors import OpError

# Buckets are forgotten once full again; past this many addresses the full ones are dropped first.
MAX_TRACKED = 50_000


class RateLimited(OpError):
    """`rate_limited` with the seconds after which one more request will pass (Retry-After)."""

    def __init__(self, retry_after: int, who: str = "this address"):
        super().__init__("rate_limited", f"too many attempts from {who}: retry in {retry_after} s")
        self.retry_after = retry_after


class Throttle:
    # Whose budget ran out, for the error message (the default: the client's address).
    WHO = {"join_workshop": "people joining this workshop"}

    def __init__(self, limits: dict[str, Limit]):
        self.limits = limits
        self._buckets: dict[tuple[str, str], tuple[float, float]] = {}
        self._lock = threading.Lock()

    def _level(self, key: tuple[str, str], now: float) -> float:
        limit = self.limits[key[0]]
        tokens, last = self._buckets.get(key, (float(limit.burst), now))
        return min(float(limit.burst), tokens + (now - last) * limit.per_minute / 60.0)

    def check(self, action: str, address: str) -> None:
        """Refuse (RateLimited) when `address` has no request left for `action`; take nothing."""
        key, now = (action, address), time.monotonic()
        with self._lock:
            tokens = self._level(key, now)
        if tokens < 1:
            raise RateLimited(self._retry_after(action, tokens))

    def spend(self, action: str, address: str) -> None:
        """Take one request for `action` from `address`'s bucket, refusing when it is empty."""
        key, now = (action, address), time.monotonic()
        with self._lock:
            tokens = self._level(key, now)
            if tokens < 1:
                self._buckets[key] = (tokens, now)
                raise RateLimited(self._retry_after(action, tokens), self.WHO.get(action, "this address"))
            if len(self._buckets) >= MAX_TRACKED:
                self._forget_full(now)
            self._buckets[key] = (tokens - 1, now)

    def _retry_after(self, action: str, tokens: float) -> int:
        return max(1, math.ceil((1 - tokens) * 60.0 / self.limits[action].per_minute))

    def _forget_full(self, now: float) -> None:
        for key in [k for k in self._buckets if self._level(k, now) >= self.limits[k[0]].burst]:
            del self._buckets[key]
        if len(self._buckets) >= MAX_TRACKED:  # still full of active addresses: start over
            self._buckets.clear()


def throttle() -> Throttle:
    return current_app.extensions["parcours_throttle"]


def client_address() -> str:
    return request.remote_addr or "unknown"


def spend(action: str) -> None:
    throttle().spend(action, client_address())


def spend_for(action: str, key: str) -> None:
    """Like spend, for a bucket named by something other than the address (a join code)."""
    throttle().spend(action, key)


def check(action: str) -> None:
    throttle().check(action, client_address())
