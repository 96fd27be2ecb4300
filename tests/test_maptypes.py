"""The three map templates: a new map is laid out with the titles people have always seen in its
language (the texts live in the catalogues, workshop/i18n/, under `tpl.`), and the home page
describes each template in the page's language."""

from __future__ import annotations

import html
import json
import re

import pytest

from workshop import views
from workshop.i18n import EN, FR
from workshop.maptypes import MAP_TYPES, TEMPLATES
from workshop.models import Map

from .conftest import make_board

# (stage, its steps) in order, then the lanes top to bottom: written out, not read from the
# catalogue, so that a changed or mistyped entry shows here.
EXPECTED = {
    ("journey", "fr"): (
        [
            ("Avant-vente", ["Découvrir l’offre", "Se renseigner", "Comparer"]),
            ("Vente", ["Souscrire / Acheter", "Payer", "Recevoir"]),
            ("Après-vente", ["Utiliser", "Demander de l’aide", "Renouveler"]),
        ],
        [
            "Actions du client",
            "Points de contact",
            "Enchantements",
            "Irritants",
            "Attentes",
            "Courbe des émotions",
            "Vécu des collaborateurs",
            "Opportunités",
            "Promesse de marque",
        ],
    ),
    ("journey", "en"): (
        [
            ("Pre-sale", ["Discover the offer", "Find out more", "Compare"]),
            ("Sale", ["Sign up / Buy", "Pay", "Receive"]),
            ("After-sale", ["Use", "Ask for help", "Renew"]),
        ],
        [
            "Customer actions",
            "Touchpoints",
            "Delights",
            "Pain points",
            "Expectations",
            "Emotion curve",
            "Employee experience",
            "Opportunities",
            "Brand promise",
        ],
    ),
    ("blueprint", "fr"): (
        [
            ("Avant-vente", ["Prendre contact", "Obtenir un devis"]),
            ("Vente", ["Souscrire / Acheter", "Être livré ou installé", "Prendre en main"]),
            ("Après-vente", ["Signaler un problème", "Obtenir une solution", "Être facturé", "Renouveler ou résilier"]),
        ],
        [
            "Actions du client",
            "Points de contact et preuves",
            "Front office (visible)",
            "Back office (invisible)",
            "Processus de support",
            "Irritants et incohérences",
            "Simplifications",
        ],
    ),
    ("blueprint", "en"): (
        [
            ("Pre-sale", ["Get in touch", "Get a quote"]),
            ("Sale", ["Sign up / Buy", "Get delivered or set up", "Get started"]),
            ("After-sale", ["Report a problem", "Get a solution", "Get invoiced", "Renew or cancel"]),
        ],
        [
            "Customer actions",
            "Touchpoints and evidence",
            "Front office (visible)",
            "Back office (invisible)",
            "Support processes",
            "Pain points and inconsistencies",
            "Simplifications",
        ],
    ),
    ("experience", "fr"): (
        [
            ("Prendre conscience du besoin", ["Ressentir le besoin", "S’informer"]),
            ("Choisir", ["Comparer les solutions", "Demander conseil"]),
            ("Acheter", ["Acheter", "Recevoir"]),
            ("Utiliser", ["Prendre en main", "Utiliser au quotidien", "Demander de l’aide"]),
            ("Partager / Quitter", ["Recommander", "Renouveler ou quitter"]),
        ],
        ["Ce qu’il fait", "Ce qu’il pense", "Ce qu’il se demande", "Ce qu’il ressent", "Ses besoins", "Opportunités"],
    ),
    ("experience", "en"): (
        [
            ("Become aware of the need", ["Feel the need", "Look for information"]),
            ("Choose", ["Compare the options", "Ask for advice"]),
            ("Buy", ["Buy", "Receive"]),
            ("Use", ["Get started", "Use every day", "Ask for help"]),
            ("Share / Leave", ["Recommend", "Renew or leave"]),
        ],
        ["What they do", "What they think", "What they ask", "What they feel", "Needs", "Opportunities"],
    ),
}


def _layout(snap: dict) -> tuple[list, list]:
    """(stage title, its step titles) in order, then the lane titles, as the board shows them."""
    steps: dict[str, list[str]] = {s["id"]: [] for s in snap["stages"]}
    for step in snap["steps"]:
        steps[step["stage_id"]].append(step["title"])
    return [(s["title"], steps[s["id"]]) for s in snap["stages"]], [lane["title"] for lane in snap["lanes"]]


@pytest.mark.parametrize("map_type, lang", sorted(EXPECTED))
def test_a_new_map_is_laid_out_in_the_language_of_its_workshop(db, map_type, lang):
    board = make_board(db, map_type, lang)
    with db.read() as s:
        snap = views.snapshot_for(s, s.get(Map, board.map_id), board.facilitator)
    assert _layout(snap) == EXPECTED[map_type, lang]


def test_a_map_added_later_is_laid_out_in_the_workshop_language_and_named_after_its_template(http):
    created = http.post("/api/workshops", json={"title": "Atelier", "map_type": "journey", "locale": "en"}).json
    auth = {"Authorization": f"Bearer {created['facilitator_token']}"}
    r = http.post(f"/api/workshops/{created['workshop']['id']}/maps", json={"map_type": "experience"}, headers=auth)
    assert r.status_code == 201, r.json
    assert r.json["map"]["title"] == "Experience map"
    snap = http.get(f"/api/maps/{r.json['map']['id']}", headers=auth).json
    assert _layout(snap) == EXPECTED["experience", "en"]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_home_page_describes_each_template_in_its_language(http, lang):
    page = http.get(f"/?lang={lang}").get_data(as_text=True)
    shown = json.loads(re.search(r'<script type="application/json" id="page-data">(.*?)</script>', page, re.S)[1])
    for map_type in MAP_TYPES:
        stages, lanes = EXPECTED[map_type, lang]
        preview = shown["templates"][map_type]
        assert [(s["title"], s["steps"]) for s in preview["stages"]] == stages
        assert preview["lanes"] == lanes
        assert html.escape(preview["title"], quote=False) in page  # the template's card, not only its preview
    assert (
        shown["templates"]["journey"]["title"] == {"fr": "Carte du parcours client", "en": "Customer journey map"}[lang]
    )


def test_every_text_of_the_templates_is_in_both_catalogues():
    """Lane titles included: a row's own, or the `tpl.lane.<kind>` it gets when it names none."""
    keys = set()
    for tpl in TEMPLATES.values():
        keys |= {tpl["title"], tpl["description"]} | {lane["title"] for lane in tpl["lanes"]}
        keys |= {stage["title"] for stage in tpl["stages"]} | {k for s in tpl["stages"] for k in s["steps"]}
    assert sorted(k for k in keys if k not in FR or k not in EN) == []
