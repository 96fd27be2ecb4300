"""What one running app holds: settings, database, presence and the rate limiters."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .config import Settings
from .db import Database
from .errors import OpError

if TYPE_CHECKING:
    from .presence import Presence


class RateLimiter:
    """A token bucket per actor: bursts of edits are fine, a runaway script is not."""

    def __init__(self, per_second: float, burst: int, what: str = "ops"):
        self.per_second = per_second
        self.burst = burst
        self.message = f"too many {what}: slow down a little"
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def check(self, key: str) -> None:
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(key, (float(self.burst), now))
            tokens = min(self.burst, tokens + (now - last) * self.per_second)
            if tokens < 1:
                self._buckets[key] = (tokens, now)
                raise OpError("rate_limited", self.message)
            self._buckets[key] = (tokens - 1, now)


@dataclass
class AppState:
    settings: Settings
    db: Database
    presence: Presence
    limiter: RateLimiter = field(init=False)
    read_limiter: RateLimiter = field(init=False)
    editing_limiter: RateLimiter = field(init=False)
    viewport_limiter: RateLimiter = field(init=False)

    def __post_init__(self) -> None:
        s = self.settings
        self.limiter = RateLimiter(s.rate_per_second, s.rate_burst)
        self.read_limiter = RateLimiter(s.read_rate_per_second, s.read_burst, "joins and syncs")
        self.editing_limiter = RateLimiter(s.editing_rate_per_second, s.editing_burst, "editing marks")
        # Per app, not per module: two apps in one process (tests, a worker) keep their own buckets.
        self.viewport_limiter = RateLimiter(s.viewport_rate_per_second, s.viewport_burst, "view changes")
