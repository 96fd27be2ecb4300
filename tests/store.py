"""A client-side board store written from CONTRACT.md alone, as an outside script would write it.

It starts from a snapshot, applies events strictly in seq order (buffering early ones) and keeps
positions dense the way the server does, so its state can be compared with the server's snapshot.
"""
from __future__ import annotations

import threading
from typing import Any


def _place(items: list[dict[str, Any]], item: dict[str, Any], position: int | None) -> list[dict[str, Any]]:
    rest = [x for x in items if x["id"] != item["id"]]
    index = len(rest) if position is None else max(0, min(position, len(rest)))
    rest.insert(index, item)
    for i, x in enumerate(rest):
        x["position"] = i
    return rest


class BoardStore:
    def __init__(self, snapshot: dict[str, Any]):
        self.lock = threading.Lock()
        self.seq = snapshot["seq"]
        self.received: list[int] = []
        self.early: dict[int, dict[str, Any]] = {}
        self.map = dict(snapshot["map"])
        self.stages = {s["id"]: dict(s) for s in snapshot["stages"]}
        self.steps = {s["id"]: dict(s) for s in snapshot["steps"]}
        self.lanes = {s["id"]: dict(s) for s in snapshot["lanes"]}
        self.cards = {c["id"]: dict(c) for c in snapshot["cards"]}
        self.comments = {c["id"]: dict(c) for c in snapshot["comments"]}
        self.timer = snapshot["timer"]

    # -- ordering --------------------------------------------------------------------------

    def receive(self, event: dict[str, Any]) -> None:
        with self.lock:
            self.received.append(event["seq"])
            if event["seq"] <= self.seq:
                return
            self.early[event["seq"]] = event
            while self.seq + 1 in self.early:
                self._apply(self.early.pop(self.seq + 1))
                self.seq += 1

    # -- reducers ------------------------------------------------------------------------------

    def _cell(self, lane_id: str, step_id: str) -> list[dict[str, Any]]:
        cards = [c for c in self.cards.values() if c["lane_id"] == lane_id and c["step_id"] == step_id]
        return sorted(cards, key=lambda c: c["position"])

    def _renumber(self, items: list[dict[str, Any]]) -> None:
        for i, x in enumerate(sorted(items, key=lambda x: x["position"])):
            x["position"] = i

    def _apply(self, event: dict[str, Any]) -> None:
        type_, data = event["type"], event["data"]
        kind, _, verb = type_.partition(".")
        if type_ in ("phase.set", "board.lock", "board.silent", "focus.set"):
            self.map.update(data)
        elif kind == "timer":
            self.timer = data["timer"]
        elif type_ == "cards.reveal":
            for card in data["cards"]:
                self.cards[card["id"]] = card
        elif kind == "card":
            self._card(verb, data)
        elif kind == "comment":
            if verb == "add":
                self.comments[data["id"]] = data
            else:
                self.comments.pop(data["id"], None)
        elif kind in ("stage", "step", "lane"):
            self._grid(kind, verb, data)

    def _card(self, verb: str, data: dict[str, Any]) -> None:
        if verb == "delete":
            card = self.cards.pop(data["id"])
            self._renumber(self._cell(card["lane_id"], card["step_id"]))
            for cid in [c["id"] for c in self.comments.values() if c["target_id"] == data["id"]]:
                del self.comments[cid]
            return
        old = self.cards.get(data["id"])
        card = dict(data)
        if old is not None:
            del self.cards[data["id"]]
            self._renumber(self._cell(old["lane_id"], old["step_id"]))
        cell = self._cell(card["lane_id"], card["step_id"])
        for c in _place(cell, card, data["position"]):
            self.cards[c["id"]] = c

    def _grid(self, kind: str, verb: str, data: dict[str, Any]) -> None:
        table = {"stage": self.stages, "step": self.steps, "lane": self.lanes}[kind]
        if verb == "delete":
            gone = table.pop(data["id"])
            for cid in data.get("card_ids", []):
                self.cards.pop(cid, None)
            loose = [s for s in self.steps.values() if s["stage_id"] is None]
            for offset, sid in enumerate(data.get("step_ids", [])):
                self.steps[sid].update(stage_id=None, position=len(loose) + offset)
            if kind == "step":
                self._renumber([s for s in self.steps.values() if s["stage_id"] == gone["stage_id"]])
            else:
                self._renumber(list(table.values()))
            return
        old = table.get(data["id"])
        table[data["id"]] = dict(data)
        if kind == "step" and old is not None and old["stage_id"] != data["stage_id"]:
            self._renumber([s for s in self.steps.values() if s["stage_id"] == old["stage_id"]])
        # Siblings of the touched item are renumbered by the server the same way.
        if kind == "step":
            group = [s for s in self.steps.values() if s["stage_id"] == data["stage_id"]]
        else:
            group = list(table.values())
        ordered = _place(sorted((x for x in group if x["id"] != data["id"]), key=lambda x: x["position"]),
                         table[data["id"]], data["position"])
        for x in ordered:
            table[x["id"]] = x

    # -- comparison ---------------------------------------------------------------------------

    def view(self) -> dict[str, Any]:
        """The parts of the board a user sees, in a comparable form."""
        with self.lock:
            return board_view({
                "map": self.map, "seq": self.seq, "stages": list(self.stages.values()),
                "steps": list(self.steps.values()), "lanes": list(self.lanes.values()),
                "cards": list(self.cards.values()), "comments": list(self.comments.values()),
                "timer": self.timer,
            })


def board_view(snap: dict[str, Any]) -> dict[str, Any]:
    def by_id(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
        return {x["id"]: x for x in items}

    return {
        "map": {k: snap["map"][k] for k in ("locked", "phase")},
        "seq": snap["seq"],
        "stages": by_id(snap["stages"]),
        "steps": by_id(snap["steps"]),
        "lanes": by_id(snap["lanes"]),
        "cards": by_id(snap["cards"]),
        "comments": by_id(snap["comments"]),
        "timer": snap["timer"],
    }
