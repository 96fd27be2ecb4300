"""The lists the server and the browser share, declared once here and shipped in every page's data
(workshop/pages.py `shared_lists`), the way the phases always were. The browser keeps no copy of
them (tests/test_lists.py greps static/js for one).
"""

from __future__ import annotations

from typing import Any

# Workshop phases, in the order the facilitator walks them (CONTRACT.md §3, `phase.set`).
PHASES = ("setup", "diagnostic", "key_moments", "ideation", "selection", "chantiers", "closed")

# The card kinds each phase asks for, best first (empty: nothing in particular); the add-card editor
# offers them first and a plain lane starts with the first one (static/js/phases.js).
PHASE_CARD_KINDS: dict[str, tuple[str, ...]] = {
    "setup": (),
    "diagnostic": ("irritant", "enchantment", "verbatim", "note", "question", "touchpoint", "expectation"),
    "key_moments": (),
    "ideation": ("idea",),
    "selection": ("idea",),
    "chantiers": (),
    "closed": (),
}

# What a dot vote may be on, and the target a phase suggests for a new round (static/js/voting.js).
ROUND_TARGETS = ("step", "card", "chantier")
PHASE_ROUND_TARGET = {"key_moments": "step", "ideation": "card", "selection": "card", "chantiers": "chantier"}

# Text limits of every op field (ops/base.py): a title or a one-line field, and a free text.
SHORT_MAX = 200
TEXT_MAX = 5000

# A chantier sheet's fields besides title (CONTRACT.md §4), in the order the sheet shows them
# (static/js/sheet-form.js draws one box per field; the status sits in its bar), and how the sheet
# edits the textual ones.
CHANTIER_FIELDS = (
    "problem",
    "objective",
    "solution",
    "owner",
    "sponsor",
    "departments",
    "impact",
    "effort",
    "start",
    "end",
    "milestones",
    "kpis",
    "prerequisites",
    "risks",
    "budget",
    "status",
    "step_ids",
    "card_ids",
)
CHANTIER_TEXT_FIELDS = ("problem", "objective", "solution", "prerequisites", "risks")  # up to TEXT_MAX
CHANTIER_LINE_FIELDS = ("owner", "sponsor", "budget")  # one line, up to SHORT_MAX
CHANTIER_STATUSES = ("draft", "validated", "in_progress", "done")

# The two sides of the mirror; a rating stored with UNCOUNTED (a facilitator that chose no side,
# CONTRACT.md §6) shows as its rater's `mine` and counts in no average.
SIDES = ("customer", "employee")
UNCOUNTED = "none"

# CONTRACT.md §4, Resonance: the six situations of the customer ↔ employee mirror, as (customer
# reading, employee reading) → category. A reading is "positive" from an average of 0.5, "negative"
# from −0.5, else "none". Each category's name and advice are the catalog's `res.<category>` and
# `res.<category>_do`.
RESONANCE = (
    ("great_moment", "positive", "positive"),
    ("lucky_break", "positive", "none"),
    ("pain", "positive", "negative"),
    ("wrong_fight", "negative", "positive"),
    ("blindness", "negative", "none"),
    ("dead_end", "negative", "negative"),
)
RESONANCE_THRESHOLD = 0.5  # a reading is positive from +0.5, negative from −0.5
RESONANCE_CATEGORIES = tuple(category for category, _, _ in RESONANCE)


# Ops on one row that is its author's, and the roles that may send them on anyone's row too. The
# handlers (`card.delete`, `comment.delete`, `card.restore`) read it through `Context.require_author`;
# the page data ships it for the browser's rights (static/js/rights.js `mayOnRow`). Op registrations
# give the roles that may send an op at all; this is the rule about whose row it is.
AUTHOR_OPS = {
    "card.delete": ("facilitator",),
    "card.restore": ("facilitator",),
    "comment.delete": ("facilitator",),
}


def shared_lists() -> dict[str, Any]:
    """What every page's data carries of the lists above (and the error codes, errors.py, and each op
    type's roles, ops/)."""
    from .errors import CLIENT_RETRY, HTTP_STATUS
    from .ops import REGISTRY

    return {
        "phases": list(PHASES),
        "phase_card_kinds": {phase: list(kinds) for phase, kinds in PHASE_CARD_KINDS.items()},
        "round_targets": list(ROUND_TARGETS),
        "phase_round_target": PHASE_ROUND_TARGET,
        "chantier_fields": list(CHANTIER_FIELDS),
        "chantier_limits": {
            **{n: TEXT_MAX for n in CHANTIER_TEXT_FIELDS},
            **{n: SHORT_MAX for n in CHANTIER_LINE_FIELDS},
        },
        "chantier_multiline": list(CHANTIER_TEXT_FIELDS),
        "chantier_statuses": list(CHANTIER_STATUSES),
        "resonance": [
            {"category": c, "customer": cu, "employee": em, "name": f"res.{c}", "advice": f"res.{c}_do"}
            for c, cu, em in RESONANCE
        ],
        "resonance_threshold": RESONANCE_THRESHOLD,
        "sides": list(SIDES),
        "error_codes": {"status": {**HTTP_STATUS, "internal": 500}, "retry": CLIENT_RETRY},
        # Who may send each op type (its registration, ops/*.py), and the types the map's
        # `structure_edits` setting may reserve: the browser's rights (static/js/rights.js).
        "op_roles": {type_: sorted(spec.roles) for type_, spec in REGISTRY.items()},
        "structure_ops": sorted(type_ for type_, spec in REGISTRY.items() if spec.structure),
        "author_ops": {type_: list(roles) for type_, roles in AUTHOR_OPS.items()},
    }
