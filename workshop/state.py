"""What one running app holds: settings, database, presence and the rate limiter."""
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

    def __init__(self, per_second: float, burst: int):
        self.per_second = per_second
        self.burst = burst
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def check(self, key: str) -> None:
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(key, (float(self.burst), now))
            tokens = min(self.burst, tokens + (now - last) * self.per_second)
            if tokens < 1:
                self._buckets[key] = (tokens, now)
                raise OpError("rate_limited", "too many ops: slow down a little")
            self._buckets[key] = (tokens - 1, now)


@dataclass
class AppState:
    settings: Settings
    db: Database
    presence: "Presence"
    limiter: RateLimiter = field(init=False)

    def __post_init__(self) -> None:
        self.limiter = RateLimiter(self.settings.rate_per_second, self.settings.rate_burst)
