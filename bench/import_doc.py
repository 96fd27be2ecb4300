"""Generated workshop.json documents for the import bench and the import tests."""

from __future__ import annotations

import uuid
from typing import Any


def document(cards: int, shape: str) -> dict[str, Any]:
    """N cards in a 10 × 5 grid (`spread`, every fifth building on an earlier one) or all in one cell,
    each building on the next (`chain`: the worst case of issue #8)."""
    lanes = [{"id": str(uuid.uuid4()), "title": f"Ligne {i}", "kind": "custom", "position": i} for i in range(5)]
    steps = [
        {"id": str(uuid.uuid4()), "title": f"Étape {i}", "stage_id": None, "position": i, "key_moment": False}
        for i in range(10)
    ]
    ids = [str(uuid.uuid4()) for _ in range(cards)]
    rows = []
    for i in range(cards):
        if shape == "chain":
            lane, step, builds_on = lanes[0], steps[0], ids[i + 1] if i + 1 < cards else None
        else:
            lane, step = lanes[i % 5], steps[(i // 5) % 10]
            builds_on = ids[i - 7] if i % 5 == 4 and i >= 7 else None
        rows.append(
            {
                "id": ids[i],
                "lane_id": lane["id"],
                "step_id": step["id"],
                "kind": "note",
                "text": f"Carte {i}",
                "position": i,
                "builds_on": builds_on,
                "visibility": "all",
            }
        )
    return {
        "format": "parcours.workshop",
        "version": 1,
        "workshop": {"title": "Bench", "locale": "fr"},
        "participants": [{"id": "p1", "name": "Animateur", "role": "facilitator"}],
        "maps": [
            {"map": {"title": "Bench", "type": "journey"}, "stages": [], "steps": steps, "lanes": lanes, "cards": rows}
        ],
    }
