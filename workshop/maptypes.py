"""The three map templates (customer journey map, service blueprint, experience map).

Plain data: a template gives the macro-stages with their generic steps (the columns) and the lanes
(the rows); each lane has a ``kind`` from LANE_KINDS and a ``card_kind``, the default kind of a new
card in that lane. Every text a person reads is a key of the catalogues (workshop/i18n/fr.json and
en.json, under ``tpl.``): ``template(map_type, lang)`` gives the template with its texts in a
language. Texts shared by several templates share a key ("Avant-vente" is one entry). A lane's title
is ``tpl.lane.<kind>`` unless its row names another: a lane of the same kind may have its own title in
one template (the blueprint's opportunities are its "Simplifications").

A new map is laid out in the workshop's language when it is made (services.template_ops); its titles
are then the map's own data, renamed freely, and never follow a change of the catalogue.
"""

from __future__ import annotations

from typing import Any

from .i18n import translate

LANE_KINDS = (
    # customer journey map
    "customer_actions",
    "touchpoints",
    "enchantments",
    "irritants",
    "expectations",
    "emotions",
    "employee",
    "opportunities",
    "promise",
    # service blueprint
    "evidence",
    "front_office",
    "back_office",
    "support",
    # experience map
    "does",
    "thinks",
    "asks",
    "feels",
    "needs",
    # a lane added by the facilitator that fits none of the above
    "custom",
)

CARD_KINDS = ("note", "irritant", "enchantment", "idea", "expectation", "question", "touchpoint", "verbatim", "process")

CHANNELS = ("web", "app", "phone", "agency", "email", "mail", "chat", "social")

MAP_TYPES = ("journey", "blueprint", "experience")


TEMPLATES: dict[str, dict[str, Any]] = {
    "journey": {
        "title": "tpl.journey.title",
        "description": "tpl.journey.description",
        "stages": [
            {
                "title": "tpl.stage.pre_sale",
                "steps": ["tpl.step.discover_offer", "tpl.step.find_out_more", "tpl.step.compare"],
            },
            {"title": "tpl.stage.sale", "steps": ["tpl.step.sign_up", "tpl.step.pay", "tpl.step.receive"]},
            {"title": "tpl.stage.after_sale", "steps": ["tpl.step.use", "tpl.step.ask_for_help", "tpl.step.renew"]},
        ],
        "lanes": [
            {"kind": "customer_actions", "card_kind": "note"},
            {"kind": "touchpoints", "card_kind": "touchpoint"},
            {"kind": "enchantments", "card_kind": "enchantment"},
            {"kind": "irritants", "card_kind": "irritant"},
            {"kind": "expectations", "card_kind": "expectation"},
            {"kind": "emotions", "card_kind": "note"},
            {"kind": "employee", "card_kind": "note"},
            {"kind": "opportunities", "card_kind": "idea"},
            {"kind": "promise", "card_kind": "note"},
        ],
    },
    "blueprint": {
        "title": "tpl.blueprint.title",
        "description": "tpl.blueprint.description",
        "stages": [
            {"title": "tpl.stage.pre_sale", "steps": ["tpl.step.get_in_touch", "tpl.step.get_a_quote"]},
            {
                "title": "tpl.stage.sale",
                "steps": ["tpl.step.sign_up", "tpl.step.get_delivered", "tpl.step.get_started"],
            },
            {
                "title": "tpl.stage.after_sale",
                "steps": [
                    "tpl.step.report_a_problem",
                    "tpl.step.get_a_solution",
                    "tpl.step.get_invoiced",
                    "tpl.step.renew_or_cancel",
                ],
            },
        ],
        "lanes": [
            {"kind": "customer_actions", "card_kind": "note"},
            {"kind": "evidence", "card_kind": "touchpoint"},
            {"kind": "front_office", "card_kind": "process"},
            {"kind": "back_office", "card_kind": "process"},
            {"kind": "support", "card_kind": "process"},
            {"kind": "irritants", "title": "tpl.lane.irritants_inconsistencies", "card_kind": "irritant"},
            {"kind": "opportunities", "title": "tpl.lane.simplifications", "card_kind": "idea"},
        ],
    },
    "experience": {
        "title": "tpl.experience.title",
        "description": "tpl.experience.description",
        "stages": [
            {"title": "tpl.stage.become_aware", "steps": ["tpl.step.feel_the_need", "tpl.step.look_for_information"]},
            {"title": "tpl.stage.choose", "steps": ["tpl.step.compare_the_options", "tpl.step.ask_for_advice"]},
            {"title": "tpl.stage.buy", "steps": ["tpl.step.buy", "tpl.step.receive"]},
            {
                "title": "tpl.stage.use",
                "steps": ["tpl.step.get_started", "tpl.step.use_every_day", "tpl.step.ask_for_help"],
            },
            {"title": "tpl.stage.share_or_leave", "steps": ["tpl.step.recommend", "tpl.step.renew_or_leave"]},
        ],
        "lanes": [
            {"kind": "does", "card_kind": "note"},
            {"kind": "thinks", "card_kind": "note"},
            {"kind": "asks", "card_kind": "question"},
            {"kind": "feels", "card_kind": "note"},
            {"kind": "needs", "card_kind": "expectation"},
            {"kind": "opportunities", "card_kind": "idea"},
        ],
    },
}


def _default_lane_titles(templates: dict[str, dict[str, Any]]) -> None:
    """A lane row without a title gets ``tpl.lane.<kind>``: the one place where that default is made, so
    that every row of TEMPLATES has its title."""
    for tpl in templates.values():
        for lane in tpl["lanes"]:
            lane.setdefault("title", f"tpl.lane.{lane['kind']}")


_default_lane_titles(TEMPLATES)


def template(map_type: str, lang: str) -> dict[str, Any]:
    """The template of `map_type` with its texts in `lang` (a new dict, the caller may change it
    freely); ValueError for an unknown type."""
    try:
        tpl = TEMPLATES[map_type]
    except (KeyError, TypeError):
        raise ValueError(f"unknown map type: {map_type!r} (expected one of {', '.join(MAP_TYPES)})") from None

    def text(key: str) -> str:
        return translate(lang, key)

    return {
        "title": text(tpl["title"]),
        "description": text(tpl["description"]),
        "stages": [{"title": text(s["title"]), "steps": [text(x) for x in s["steps"]]} for s in tpl["stages"]],
        "lanes": [{**lane, "title": text(lane["title"])} for lane in tpl["lanes"]],
    }
