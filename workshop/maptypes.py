"""The three map templates (customer journey map, service blueprint, experience map).

Plain data, bilingual: every human-readable value is a ``{"fr": ..., "en": ...}`` dict, French
first (the method and its vocabulary are French). A template gives the macro-stages with their
generic steps (the columns) and the lanes (the rows); each lane has a ``kind`` from LANE_KINDS
and a ``card_kind``, the default kind of a new card in that lane.

French typography: typographic apostrophes (’) and a non-breaking space (U+00A0) before
« : ; ? ! » and inside « guillemets ».
"""

from __future__ import annotations

import copy
from typing import Any

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
        "title": {"fr": "Carte du parcours client", "en": "Customer journey map"},
        "description": {
            "fr": "Le parcours vu par le client, étape par étape\u00a0: ce qu’il fait, ce qu’il vit "
            "et ce qu’il ressent, face au vécu des collaborateurs.",
            "en": "The journey from the customer’s point of view, step by step: what they do, "
            "go through and feel, opposite the employees’ experience.",
        },
        "stages": [
            {
                "title": {"fr": "Avant-vente", "en": "Pre-sale"},
                "steps": [
                    {"fr": "Découvrir l’offre", "en": "Discover the offer"},
                    {"fr": "Se renseigner", "en": "Find out more"},
                    {"fr": "Comparer", "en": "Compare"},
                ],
            },
            {
                "title": {"fr": "Vente", "en": "Sale"},
                "steps": [
                    {"fr": "Souscrire / Acheter", "en": "Sign up / Buy"},
                    {"fr": "Payer", "en": "Pay"},
                    {"fr": "Recevoir", "en": "Receive"},
                ],
            },
            {
                "title": {"fr": "Après-vente", "en": "After-sale"},
                "steps": [
                    {"fr": "Utiliser", "en": "Use"},
                    {"fr": "Demander de l’aide", "en": "Ask for help"},
                    {"fr": "Renouveler", "en": "Renew"},
                ],
            },
        ],
        "lanes": [
            {
                "kind": "customer_actions",
                "title": {"fr": "Actions du client", "en": "Customer actions"},
                "card_kind": "note",
            },
            {
                "kind": "touchpoints",
                "title": {"fr": "Points de contact", "en": "Touchpoints"},
                "card_kind": "touchpoint",
            },
            {"kind": "enchantments", "title": {"fr": "Enchantements", "en": "Delights"}, "card_kind": "enchantment"},
            {"kind": "irritants", "title": {"fr": "Irritants", "en": "Pain points"}, "card_kind": "irritant"},
            {"kind": "expectations", "title": {"fr": "Attentes", "en": "Expectations"}, "card_kind": "expectation"},
            {"kind": "emotions", "title": {"fr": "Courbe des émotions", "en": "Emotion curve"}, "card_kind": "note"},
            {
                "kind": "employee",
                "title": {"fr": "Vécu des collaborateurs", "en": "Employee experience"},
                "card_kind": "note",
            },
            {"kind": "opportunities", "title": {"fr": "Opportunités", "en": "Opportunities"}, "card_kind": "idea"},
            {"kind": "promise", "title": {"fr": "Promesse de marque", "en": "Brand promise"}, "card_kind": "note"},
        ],
    },
    "blueprint": {
        "title": {"fr": "Plan de service (blueprint)", "en": "Service blueprint"},
        "description": {
            "fr": "Les actions du client face aux processus visibles, invisibles et de support, "
            "pour repérer les incohérences et les simplifications.",
            "en": "The customer’s actions opposite the visible, invisible and support processes, "
            "to find inconsistencies and simplifications.",
        },
        "stages": [
            {
                "title": {"fr": "Avant-vente", "en": "Pre-sale"},
                "steps": [
                    {"fr": "Prendre contact", "en": "Get in touch"},
                    {"fr": "Obtenir un devis", "en": "Get a quote"},
                ],
            },
            {
                "title": {"fr": "Vente", "en": "Sale"},
                "steps": [
                    {"fr": "Souscrire / Acheter", "en": "Sign up / Buy"},
                    {"fr": "Être livré ou installé", "en": "Get delivered or set up"},
                    {"fr": "Prendre en main", "en": "Get started"},
                ],
            },
            {
                "title": {"fr": "Après-vente", "en": "After-sale"},
                "steps": [
                    {"fr": "Signaler un problème", "en": "Report a problem"},
                    {"fr": "Obtenir une solution", "en": "Get a solution"},
                    {"fr": "Être facturé", "en": "Get invoiced"},
                    {"fr": "Renouveler ou résilier", "en": "Renew or cancel"},
                ],
            },
        ],
        "lanes": [
            {
                "kind": "customer_actions",
                "title": {"fr": "Actions du client", "en": "Customer actions"},
                "card_kind": "note",
            },
            {
                "kind": "evidence",
                "title": {"fr": "Points de contact et preuves", "en": "Touchpoints and evidence"},
                "card_kind": "touchpoint",
            },
            {
                "kind": "front_office",
                "title": {"fr": "Front office (visible)", "en": "Front office (visible)"},
                "card_kind": "process",
            },
            {
                "kind": "back_office",
                "title": {"fr": "Back office (invisible)", "en": "Back office (invisible)"},
                "card_kind": "process",
            },
            {
                "kind": "support",
                "title": {"fr": "Processus de support", "en": "Support processes"},
                "card_kind": "process",
            },
            {
                "kind": "irritants",
                "title": {"fr": "Irritants et incohérences", "en": "Pain points and inconsistencies"},
                "card_kind": "irritant",
            },
            {"kind": "opportunities", "title": {"fr": "Simplifications", "en": "Simplifications"}, "card_kind": "idea"},
        ],
    },
    "experience": {
        "title": {"fr": "Carte d’expérience", "en": "Experience map"},
        "description": {
            "fr": "Le besoin du client de bout en bout, de l’achat à l’usage, raconté comme une "
            "histoire\u00a0: ce qu’il fait, pense, se demande et ressent.",
            "en": "The customer’s whole need, from buying to using, told as a story: what they "
            "do, think, ask and feel.",
        },
        "stages": [
            {
                "title": {"fr": "Prendre conscience du besoin", "en": "Become aware of the need"},
                "steps": [
                    {"fr": "Ressentir le besoin", "en": "Feel the need"},
                    {"fr": "S’informer", "en": "Look for information"},
                ],
            },
            {
                "title": {"fr": "Choisir", "en": "Choose"},
                "steps": [
                    {"fr": "Comparer les solutions", "en": "Compare the options"},
                    {"fr": "Demander conseil", "en": "Ask for advice"},
                ],
            },
            {
                "title": {"fr": "Acheter", "en": "Buy"},
                "steps": [
                    {"fr": "Acheter", "en": "Buy"},
                    {"fr": "Recevoir", "en": "Receive"},
                ],
            },
            {
                "title": {"fr": "Utiliser", "en": "Use"},
                "steps": [
                    {"fr": "Prendre en main", "en": "Get started"},
                    {"fr": "Utiliser au quotidien", "en": "Use every day"},
                    {"fr": "Demander de l’aide", "en": "Ask for help"},
                ],
            },
            {
                "title": {"fr": "Partager / Quitter", "en": "Share / Leave"},
                "steps": [
                    {"fr": "Recommander", "en": "Recommend"},
                    {"fr": "Renouveler ou quitter", "en": "Renew or leave"},
                ],
            },
        ],
        "lanes": [
            {"kind": "does", "title": {"fr": "Ce qu’il fait", "en": "What they do"}, "card_kind": "note"},
            {"kind": "thinks", "title": {"fr": "Ce qu’il pense", "en": "What they think"}, "card_kind": "note"},
            {"kind": "asks", "title": {"fr": "Ce qu’il se demande", "en": "What they ask"}, "card_kind": "question"},
            {"kind": "feels", "title": {"fr": "Ce qu’il ressent", "en": "What they feel"}, "card_kind": "note"},
            {"kind": "needs", "title": {"fr": "Ses besoins", "en": "Needs"}, "card_kind": "expectation"},
            {"kind": "opportunities", "title": {"fr": "Opportunités", "en": "Opportunities"}, "card_kind": "idea"},
        ],
    },
}


def template(map_type: str) -> dict[str, Any]:
    """A copy of the template of `map_type` (the caller may change it freely);
    ValueError for an unknown type."""
    try:
        return copy.deepcopy(TEMPLATES[map_type])
    except (KeyError, TypeError):
        raise ValueError(f"unknown map type: {map_type!r} (expected one of {', '.join(MAP_TYPES)})") from None


def label(value: dict[str, str] | str, locale: str) -> str:
    """The text of a bilingual value in `locale`, falling back to French (a plain string as is)."""
    if isinstance(value, str):
        return value
    return value.get(locale) or value["fr"]
