"""Settings from the environment, read in one place (CONTRACT.md §0)."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _default_database_url() -> str:
    instance = ROOT / "instance"
    instance.mkdir(exist_ok=True)
    return f"sqlite:///{instance / 'parcours.db'}"


def _secret_key() -> str:
    """A stable secret per instance, so sessions survive restarts without configuration."""
    env = os.environ.get("SECRET_KEY")
    if env:
        return env
    path = ROOT / "instance" / "secret_key"
    path.parent.mkdir(exist_ok=True)
    if not path.exists():
        # Created readable by its owner only (never world-readable, even for a moment).
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    elif path.stat().st_mode & 0o077:
        path.chmod(0o600)  # a key written by an older version
    return path.read_text().strip()


@dataclass(frozen=True)
class Limit:
    """A token bucket: `burst` requests at once, refilled at `per_minute` a minute."""

    burst: int
    per_minute: float


def default_throttles() -> dict[str, Limit]:
    """Per client address (per join code for `join_workshop`), where no login is needed
    (workshop/throttle.py, docs/security.md)."""
    return {
        # Unknown join codes tried (POST /api/join and the /join/<code> page together): a code has
        # 32^8 values, so 2 guesses a minute make finding any workshop hopeless.
        "join_guess": Limit(burst=20, per_minute=2),
        # Joins that succeed: a whole class behind one NAT address joins within a minute.
        "join": Limit(burst=120, per_minute=60),
        # Joins into one workshop, from any address (keyed by its join code): a room of 10, or a
        # seminar of 60 joining at once, gets in; a leaked code cannot add thousands of people.
        "join_workshop": Limit(burst=60, per_minute=30),
        # New workshops (POST /api/workshops).
        "create": Limit(burst=20, per_minute=2),
    }


def _list(name: str) -> list[str]:
    return [x.strip() for x in os.environ.get(name, "").split(",") if x.strip()]


@dataclass
class Settings:
    database_url: str = field(default_factory=lambda: os.environ.get("DATABASE_URL") or _default_database_url())
    message_queue_url: str | None = field(default_factory=lambda: os.environ.get("MESSAGE_QUEUE_URL") or None)
    # Processes sharing a queue must share the channel; tests use their own to stay apart.
    message_queue_channel: str = field(default_factory=lambda: os.environ.get("PARCOURS_MQ_CHANNEL", "parcours"))
    secret_key: str = field(default_factory=_secret_key)
    demo: bool = field(default_factory=lambda: os.environ.get("PARCOURS_DEMO", "1") != "0")
    async_mode: str = field(default_factory=lambda: os.environ.get("PARCOURS_ASYNC_MODE", "eventlet"))
    public_url: str | None = field(default_factory=lambda: os.environ.get("PARCOURS_PUBLIC_URL") or None)
    # Events older than this many seqs are not replayed by sync: the client gets a snapshot.
    replay_limit: int = 1000
    # Per participant: sustained ops per second and burst (CONTRACT.md error code rate_limited).
    # The burst is large so that a client flushing the ops it queued while offline gets through.
    rate_per_second: float = 30.0
    rate_burst: int = 300
    # Snapshots and replays (join, sync, leave) and editing marks, per participant, checked on arrival.
    read_rate_per_second: float = 2.0
    read_burst: int = 20
    editing_rate_per_second: float = 10.0
    editing_burst: int = 40
    # The facilitator's viewport signal: a view dragged by hand is sent at most 4 a second by the client.
    viewport_rate_per_second: float = 5.0
    viewport_burst: int = 10
    exports_dir: Path = ROOT / "exports"
    throttles: dict[str, Limit] = field(default_factory=default_throttles)
    # Host names this server answers to (Host header); empty: any, and links follow the Host header
    # unless PARCOURS_PUBLIC_URL is set. Set one of the two in production (docs/security.md).
    allowed_hosts: list[str] = field(default_factory=lambda: _list("PARCOURS_ALLOWED_HOSTS"))
    # How many reverse proxies in front append to X-Forwarded-For/-Proto/-Host; 0: trust none,
    # the client address is the peer's (the per-address throttles rely on it).
    trusted_proxies: int = field(default_factory=lambda: int(os.environ.get("PARCOURS_TRUSTED_PROXIES", "0") or 0))
