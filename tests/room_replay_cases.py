"""Replay cases for the ops of issue #9, for tests/test_events.py (which lives on main): there,
`CASES.update(ROOM_CASES)` covers chantier.from_winners, timer.pause/resume/extend and board.settings.
Each case takes the test's Scene (duck-typed: ok, card, fac, alice, bob, step) and answers
(actor, op type, fields), like the other cases."""
from __future__ import annotations

from typing import Any, Callable

Case = Callable[[Any], tuple[Any, str, dict[str, Any]]]


def _winners(s: Any) -> tuple[Any, str, dict[str, Any]]:
    idea = s.card(text="Remboursement en 24 h")
    r = s.ok(s.fac, "round.open", target="card", budget=3)
    s.ok(s.alice, "vote.cast", round_id=r["id"], target_id=idea["id"])
    s.ok(s.fac, "round.close", id=r["id"])
    s.ok(s.fac, "round.promote", id=r["id"], count=1)
    return s.fac, "chantier.from_winners", {}


def _paused(s: Any) -> Any:
    s.ok(s.fac, "timer.start", seconds=120, label="Silence")
    return s.ok(s.fac, "timer.pause") and s.fac


ROOM_CASES: dict[str, tuple[str, Case]] = {
    "chantier.update base_version": ("chantier.update", lambda s: (s.bob, "chantier.update", {
        "id": (sheet := s.ok(s.alice, "chantier.add", title="Fiche"))["id"], "problem": "Attente",
        "base_version": sheet["version"]})),
    "chantier.from_winners": ("chantier.from_winners", _winners),
    "timer.pause": ("timer.pause", lambda s: (s.ok(s.fac, "timer.start", seconds=120) and s.fac, "timer.pause", {})),
    "timer.resume": ("timer.resume", lambda s: (_paused(s), "timer.resume", {})),
    "timer.extend": ("timer.extend", lambda s: (s.ok(s.fac, "timer.start", seconds=120) and s.fac, "timer.extend",
                                                {"seconds": 60})),
    "timer.extend paused": ("timer.extend", lambda s: (_paused(s), "timer.extend", {})),
    "board.settings": ("board.settings", lambda s: (s.fac, "board.settings", {"structure_edits": "facilitator"})),
}
