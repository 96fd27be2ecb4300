"""The workshop as plain data, read in one transaction: the `workshop.json` document.

Every export starts here, in the request (the DB is only touched here); the PDFs and the CSV are
then rendered from these plain dicts off the event loop. What a viewer may see is decided by
views.snapshot_for (face-down cards, secret rounds); on top of the snapshot the document adds:
- individual emotion scores (`ratings`, all of them in the facilitator's export: an import gives
  back the same curves; a participant's export carries only its own);
- the individual votes of non-secret rounds (`votes`); a secret round only ever has its totals.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from .. import shapes, views
from ..db import Database
from ..errors import OpError
from ..models import Map, Participant, Round, Vote, Workshop, iso
from ..ops.base import Actor

FORMAT = "parcours.workshop"
VERSION = 1

_SNAPSHOT_DROP = ("my_votes", "participants", "timer", "seq")


def _canonical_order(snap: dict[str, Any], people_rank: dict[str, int]) -> None:
    """Lists in an order that does not depend on ids (the snapshot sorts some by id), so that the
    same workshop gives the same document whatever its ids: an import exports like its original."""
    step_rank = {s["id"]: i for i, s in enumerate(snap["steps"])}
    lane_rank = {l["id"]: l["position"] for l in snap["lanes"]}
    far = 1 << 30
    snap["cards"].sort(
        key=lambda c: (step_rank.get(c["step_id"], far), lane_rank.get(c["lane_id"], far), c["position"])
    )
    card_rank = {c["id"]: i for i, c in enumerate(snap["cards"])}
    snap["emotions"].sort(key=lambda e: (step_rank.get(e["step_id"], far), e["perspective"]))
    snap["ratings"].sort(key=lambda r: (step_rank.get(r["step_id"], far), people_rank.get(r["participant_id"], far)))
    ranks = {"step": step_rank, "card": card_rank, "chantier": {c["id"]: c["position"] for c in snap["chantiers"]}}
    for r in snap["rounds"]:
        if r.get("results"):
            rank = ranks.get(r["target"], {})
            r["results"].sort(key=lambda row: (-row["votes"], rank.get(row["target_id"], far)))


def _map_document(session: Any, m: Map, viewer: Actor, people_rank: dict[str, int]) -> dict[str, Any]:
    snap = views.snapshot_for(session, m, viewer)
    for key in _SNAPSHOT_DROP:
        snap.pop(key, None)
    snap["map"] = {**snap["map"], "position": m.position}
    for row in snap["emotions"]:
        row.pop("mine", None)
    for item in snap["cards"] + snap["chantiers"]:
        item.pop("version", None)  # a live-editing counter, not content: an import starts it again
    snap["ratings"] = views.ratings_for(session, m.id, viewer)
    rounds = {r.id: r for r in session.scalars(select(Round).where(Round.map_id == m.id))}
    for shape in snap["rounds"]:
        r = rounds[shape["id"]]
        shape["opened_at"], shape["closed_at"] = iso(r.opened_at), iso(r.closed_at)
        if r.secret:
            shape["votes"] = None  # nobody may see who voted for what
        else:
            shape["votes"] = [
                {"participant_id": p, "target_id": t}
                for p, t in session.execute(
                    select(Vote.participant_id, Vote.target_id).where(Vote.round_id == r.id).order_by(Vote.ts, Vote.id)
                )
            ]
    from ..listening.export import map_document as listenings_of  # Mirror listening (CONTRACT.md §7)

    snap["listenings"] = listenings_of(session, m.id, viewer)
    _canonical_order(snap, people_rank)
    return snap


def workshop_document(
    db: Database, viewer: Actor, workshop_id: str, map_ids: list[str] | None = None
) -> dict[str, Any]:
    """The complete workshop as `viewer` may see it; `map_ids` limits the maps (None: all)."""
    if viewer.workshop_id != workshop_id:
        raise OpError("not_found", "no such workshop")
    with db.read() as s:
        w = s.get(Workshop, workshop_id)
        if w is None:
            raise OpError("not_found", "no such workshop")
        maps = list(s.scalars(select(Map).where(Map.workshop_id == w.id).order_by(Map.position, Map.created_at)))
        if map_ids is not None:
            maps = [m for m in maps if m.id in map_ids]
        people = list(
            s.scalars(
                select(Participant)
                .where(Participant.workshop_id == w.id)
                .order_by(Participant.created_at, Participant.id)
            )
        )
        people_rank = {p.id: i for i, p in enumerate(people)}
        workshop = shapes.workshop(w)
        workshop.pop("join_code", None)  # a way in, not content
        return {
            "format": FORMAT,
            "version": VERSION,
            "exported_at": iso(datetime.now(UTC)),
            "workshop": workshop,
            "participants": [{k: v for k, v in shapes.participant(p).items() if k != "online"} for p in people],
            "maps": [_map_document(s, m, viewer, people_rank) for m in maps],
        }


def map_workshop_id(db: Database, viewer: Actor, map_id: str) -> str:
    """The workshop of `map_id` when the viewer belongs to it; another workshop's map is not found."""
    with db.read() as s:
        m = s.get(Map, map_id)
        if m is None or m.workshop_id != viewer.workshop_id:
            raise OpError("not_found", "no such map")
        return m.workshop_id
