"""The demo workshop made on first start: `demo_workshop.json`, a workshop.json document loaded through
the importer (export/json_io.py), so through the same engine and the same checks as any import — one
loader, and the demo doubles as the import's fixture.

Its links are kept in `instance/demo.json` (tokens are stored hashed in the database, so the
facilitator link could not be printed again otherwise).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .auth import actor_of, participant_for
from .config import ROOT
from .db import Database
from .export import json_io
from .listening.demo import seed_demo_listening
from .models import Workshop

DOCUMENT = Path(__file__).resolve().parent / "demo_workshop.json"
LINKS = ROOT / "instance" / "demo.json"


def ensure_demo(db: Database, base_url: str, links_file: Path = LINKS) -> dict[str, Any]:
    """The demo's links, creating the demo workshop when this database does not have it yet."""
    if links_file.exists():
        links = json.loads(links_file.read_text())
        with db.read() as s:
            if s.get(Workshop, links.get("workshop_id", "")) is not None:
                return _with_base(links, base_url)
    links = create_demo(db)
    links_file.parent.mkdir(exist_ok=True)
    links_file.write_text(json.dumps(links, indent=2))
    links_file.chmod(0o600)
    return _with_base(links, base_url)


def _with_base(links: dict[str, Any], base_url: str) -> dict[str, Any]:
    return {
        **links,
        "join_url": f"{base_url}/join/{links['join_code']}",
        "facilitator_url": f"{base_url}/board/{links['map_id']}#token={links['facilitator_token']}",
    }


def demo_document() -> dict[str, Any]:
    """The demo as a workshop.json document (a day of workshop: cards, votes, selected ideas, sheets)."""
    return json.loads(DOCUMENT.read_text(encoding="utf-8"))


def create_demo(db: Database) -> dict[str, Any]:
    answer = json_io.import_workshop(db, demo_document(), "", "fr")
    with db.read() as s:
        facilitator = actor_of(participant_for(s, answer["facilitator_token"]))
    seed_demo_listening(db, facilitator, answer["map"]["id"])  # Mirror listening (CONTRACT.md §7)
    return {
        "title": answer["workshop"]["title"],
        "workshop_id": answer["workshop"]["id"],
        "map_id": answer["map"]["id"],
        "join_code": answer["join_code"],
        "facilitator_token": answer["facilitator_token"],
    }
