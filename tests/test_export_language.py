"""Exports speak the workshop's language or the one asked for (?lang=), and say what the board says."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from pypdf import PdfReader

from workshop.i18n import translate

from .api import Api, auth
from .apps import module_app


@pytest.fixture(scope="module")
def http(tmp_path_factory):
    for app in module_app(tmp_path_factory, "lang"):
        yield app.test_client()


def text_of(data: bytes) -> str:
    return re.sub(r"[\s\u00a0\u202f]+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))


@pytest.fixture(scope="module")
def french(http) -> dict[str, Any]:
    """A French workshop: a rated step in a situation, a sheet with inverted dates and an undated milestone."""
    ws = http.post("/api/workshops", json={"title": "Atelier français", "locale": "fr"}).get_json()
    token, mid = ws["facilitator_token"], ws["map"]["id"]

    def op(who: str, type_: str, **fields: Any) -> dict[str, Any]:
        return Api(http).ok(who, mid, type_, **fields)

    snap = http.get(f"/api/maps/{mid}", headers=auth(token)).get_json()
    step = snap["steps"][0]["id"]
    for name, side, score in (("Ana", "customer", -2), ("Bob", "employee", -2)):
        who = http.post("/api/join", json={"code": ws["join_code"], "name": name, "perspective": side}).get_json()
        op(who["token"], "emotion.set", step_id=step, score=score)
    sheet = op(
        token,
        "chantier.add",
        title="Fiche à dates inversées",
        start="2027-06-01",
        milestones=[{"date": None, "label": "Lancement"}],
    )
    op(token, "chantier.update", id=sheet["id"], end="2027-01-15")
    return ws


def test_a_french_workshop_exports_in_english_when_asked(http, french):
    wid = french["workshop"]["id"]
    res = http.get(f"/api/workshops/{wid}/export/report.pdf?lang=en", headers=auth(french["facilitator_token"]))
    assert res.status_code == 200
    assert re.search(r'filename="atelier-francais-report-\d{4}-\d{2}-\d{2}\.pdf"', res.headers["Content-Disposition"])
    text = text_of(res.data)
    assert "Workshop report" in text and "Phase: Setup" in text
    assert " :" not in text.replace("Atelier français", "")  # no French spacing in English
    # The situation's advice is the board's own sentence.
    assert translate("en", "res.dead_end_do") in text
    fr = http.get(f"/api/workshops/{wid}/export/report.pdf", headers=auth(french["facilitator_token"]))
    assert "compte-rendu" in fr.headers["Content-Disposition"]
    assert translate("fr", "res.dead_end_do").replace("\u00a0", " ") in text_of(fr.data)


def test_a_sheet_with_inverted_dates_is_flagged_and_an_undated_milestone_says_so(http, french):
    wid = french["workshop"]["id"]
    for lang in ("fr", "en"):
        res = http.get(
            f"/api/workshops/{wid}/export/chantiers.pdf?lang={lang}", headers=auth(french["facilitator_token"])
        )
        text = text_of(res.data)
        assert translate(lang, "sheets.dates_inverted").replace("\u00a0", " ") in text
        assert ("sans date" if lang == "fr" else "no date") in text


def test_the_csv_calls_a_lane_what_the_board_calls_it(http, french):
    mid = french["map"]["id"]
    for lang, word in (("fr", "Ligne"), ("en", "Lane")):
        res = http.get(f"/api/maps/{mid}/export/cards.csv?lang={lang}", headers=auth(french["facilitator_token"]))
        header = next(csv.reader(io.StringIO(res.data.decode("utf-8-sig"))))
        assert word in header and "Couloir" not in header
        assert word.lower() in translate(lang, "lane.add").lower()
    res = http.get(f"/api/maps/{mid}/export/cards.csv?lang=en", headers=auth(french["facilitator_token"]))
    assert next(csv.reader(io.StringIO(res.data.decode("utf-8-sig")))) == [
        "Stage",
        "Step",
        "Key moment",
        "Lane",
        "Kind",
        "Text",
        "Author",
        "Department",
        "Perspective",
        "Channel",
        "Votes",
        "Comments",
        "Selected",
        "Builds on",
        "Id",
    ]


def test_a_long_map_fills_its_pages_evenly():
    from workshop.export.pdf import _map_pages

    def grid(sizes: list[int]) -> dict[str, Any]:
        stages = [{"id": f"s{i}", "title": str(i)} for i in range(len(sizes))]
        return {
            "stages": stages,
            "steps": [{"id": f"{i}-{j}", "stage_id": f"s{i}"} for i, n in enumerate(sizes) for j in range(n)],
        }

    def fill(sizes: list[int]) -> list[int]:
        return [sum(len(g["steps"]) for g in page) for page in _map_pages(grid(sizes))]

    assert fill([11]) == [6, 5]  # not 10 and a lone step on page 2
    assert fill([5, 4, 3]) == [5, 7]  # whole stages, pages near the average
    assert fill([3, 4, 2]) == [9]


def test_curve_labels_stay_inside_the_chart_and_apart():
    from workshop.export.charts import label_y

    height = 30.0
    for cy, other in ((5.0, 5.0), (5.0, 6.0), (25.0, 25.0), (25.0, 24.0), (15.0, None)):
        mine, theirs = label_y(cy, other, True, height), (label_y(other, cy, False, height) if other else None)
        assert 2.0 <= mine <= height - 0.3
        if theirs is not None:
            assert abs(mine - theirs) >= 2.4  # two 2.4 mm labels of one column never overlap


def test_every_export_format_is_one_row_that_makes_its_route_and_its_openapi_path(http):
    from workshop.export.formats import FORMATS
    from workshop.openapi import openapi_document

    # A listening's responses.csv is the listening's own export (workshop/listening/), not a board's.
    rules = {
        r.rule
        for r in http.application.url_map.iter_rules()
        if "/export/" in r.rule and not r.rule.startswith("/api/listenings/")
    }
    assert rules == {"/api" + f.flask_path for f in FORMATS}
    documented = {p for p in openapi_document()["paths"] if "/export/" in p and not p.startswith("/api/listenings/")}
    assert documented == {f.openapi_path for f in FORMATS}
