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
        path.write_text(secrets.token_hex(32))
    return path.read_text().strip()


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
    exports_dir: Path = ROOT / "exports"
