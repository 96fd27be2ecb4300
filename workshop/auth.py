"""Bearer tokens: random secrets handed out once, stored only as their SHA-256."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import Participant
from .ops.base import Actor

# An unambiguous alphabet for join codes read aloud or typed from a projector.
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_token() -> str:
    return secrets.token_urlsafe(32)  # 256 bits


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_join_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))


def normal_join_code(code: str) -> str:
    """Join codes are read aloud and typed: case, spaces and dashes do not matter."""
    return code.strip().upper().replace("-", "").replace(" ", "")


def is_join_code(code: str) -> bool:
    """A normalised code that new_join_code could have made (or an older, longer one): worth a lookup."""
    return 4 <= len(code) <= 32 and all(ch in _CODE_ALPHABET for ch in code)


def actor_of(p: Participant) -> Actor:
    return Actor(id=p.id, workshop_id=p.workshop_id, role=p.role, perspective=p.perspective, name=p.name)


def participant_for(session: Session, token: str | None) -> Participant | None:
    if not token or not isinstance(token, str) or len(token) > 200:
        return None
    return session.scalar(select(Participant).where(Participant.token_hash == hash_token(token)))
