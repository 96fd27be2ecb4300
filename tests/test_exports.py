"""Exports (PDF, CSV, workshop.json) and the import, through the REST endpoints."""

from __future__ import annotations

import csv
import io
import json
import re
import socket
import uuid
from typing import Any

import pytest
from pypdf import PdfReader

from workshop import demo
from workshop.demo import demo_document
from workshop.export import collect, pdf
from workshop.export.csv_export import safe_cell
from workshop.export.pdf import FetchRefused, SafeFetcher
from workshop.export.typography import NBSP, NNBSP, french

from .api import auth
from .apps import module_app

DEMO_SHEETS = demo_document()["maps"][0]["chantiers"]

HOSTILE = [
    "<img src=x onerror=alert(1)>",
    '<link rel=stylesheet href="http://127.0.0.1:{port}/x.css">',
    '<img src="file:///etc/passwd"> et <img src="http://127.0.0.1:{port}/y.png">',
]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    yield from module_app(tmp_path_factory, "exports")


@pytest.fixture(scope="module")
def http(app):
    return app.test_client()


@pytest.fixture(scope="module")
def glisse(app):
    """The demo workshop at the end of the day: votes, selected ideas, three chantier sheets."""
    db = app.extensions["parcours"].db
    links = demo.create_demo(db)
    return links


def pages(data: bytes) -> list[str]:
    return [p.extract_text() for p in PdfReader(io.BytesIO(data)).pages]


def flat(text: str) -> str:
    """PDF text with line breaks, hyphenation and odd spaces folded, to look for phrases."""
    text = re.sub(r"[-\u2010]\n", "", text)
    return re.sub(r"[\s\u00a0\u202f]+", " ", text)


def exports(wid: str, mid: str) -> list[str]:
    return [
        f"/api/workshops/{wid}/export/chantiers.pdf",
        f"/api/maps/{mid}/export/map.pdf",
        f"/api/workshops/{wid}/export/report.pdf",
        f"/api/workshops/{wid}/export/workshop.json",
        f"/api/maps/{mid}/export/cards.csv",
    ]


# -- who may export ---------------------------------------------------------------------------------


def test_exports_answer_401_without_a_token_and_404_for_another_workshop(http, glisse, api):
    other = api.create(title="Un autre atelier")
    for url in exports(glisse["workshop_id"], glisse["map_id"]):
        res = http.get(url)
        assert res.status_code == 401 and res.get_json()["error"]["code"] == "unauthorized", url
        assert http.get(url, headers=auth("not-a-token")).status_code == 401
        res = http.get(url, headers=auth(other["facilitator_token"]))
        assert res.status_code == 404 and res.get_json()["error"]["code"] == "not_found", url
    # And the other way round: the demo's token does not open the other workshop.
    for url in exports(other["workshop"]["id"], other["map"]["id"]):
        assert http.get(url, headers=auth(glisse["facilitator_token"])).status_code == 404


def test_observers_and_participants_may_export(http, glisse, api):
    observer = api.join(glisse["join_code"], "Projecteur", role="observer")
    participant = api.join(glisse["join_code"], "Nadia", perspective="customer")
    for who in (observer, participant):
        for url in exports(glisse["workshop_id"], glisse["map_id"]):
            res = http.get(url, headers=auth(who["token"]))
            assert res.status_code == 200, (url, res.get_json(silent=True))
            assert res.headers["Content-Disposition"].startswith("attachment; filename=")


# -- the PDFs ---------------------------------------------------------------------------------------


def test_chantiers_pdf_has_a_cover_then_one_a4_page_per_sheet(app, http, glisse):
    res = http.get(
        f"/api/workshops/{glisse['workshop_id']}/export/chantiers.pdf", headers=auth(glisse["facilitator_token"])
    )
    assert res.status_code == 200 and res.mimetype == "application/pdf"
    name = re.search(r'filename="([^"]+)"', res.headers["Content-Disposition"]).group(1)
    assert re.fullmatch(r"glisse-parcours-de-l-usager-occasionnel-chantiers-\d{4}-\d{2}-\d{2}\.pdf", name)
    assert (app.extensions["parcours"].settings.exports_dir / name).read_bytes() == res.data
    reader = PdfReader(io.BytesIO(res.data))
    assert len(reader.pages) == 1 + len(DEMO_SHEETS)
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)  # A4
    text = [flat(t) for t in pages(res.data)]
    assert "FICHES CHANTIER" in text[0] and "Glisse — parcours de l’usager occasionnel" in text[0]
    assert "Objectif de l’atelier".upper() in text[0]
    for sheet, page in zip(DEMO_SHEETS, text[1:]):
        assert flat(sheet["title"]) in page
        for label in ("PROBLÈME", "OBJECTIF", "SOLUTION", "JALONS", "INDICATEURS", "PRÉREQUIS", "RISQUES", "PORTEUR"):
            assert label in page
        assert sheet["owner"] in page
        assert flat(sheet["milestones"][0]["label"]) in page
    assert "18 000 €" in text[1] and "Validée" in text[1] and "11/01/2027" in text[1]
    assert "En cours" in text[2] and "Brouillon" in text[3]


def test_map_pdf_is_one_a3_landscape_page_with_the_whole_map(http, glisse, api):
    token = glisse["facilitator_token"]
    snap = api.snapshot(token, glisse["map_id"])
    res = http.get(f"/api/maps/{glisse['map_id']}/export/map.pdf", headers=auth(token))
    assert res.status_code == 200
    reader = PdfReader(io.BytesIO(res.data))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (1191, 842)  # A3 landscape
    raw = reader.pages[0].extract_text()
    text = flat(raw)
    for stage in snap["stages"]:
        assert stage["title"].upper() in text
    for step in snap["steps"]:
        assert flat(step["title"]) in text
    for lane in snap["lanes"]:
        assert flat(lane["title"]) in text
    assert "MOMENT CLÉ" in text and "Retenue" in text
    assert "Client" in text and "Collaborateur" in text  # the two emotion curves' legend
    assert "+1,5" in text and "−1,8" in text  # curve values, French decimals
    # Table columns interleave in extracted text and hyphenation splits words: look for the words.
    # Hyphenation splits words over lines, kerning adds spaces: look for each word without spaces.
    packed = re.sub(r"[-\u2010]\n|\s", "", raw)

    def printed(word: str) -> bool:
        return word in packed

    wanted = {w for c in snap["cards"] for w in re.findall(r"\w{4,}", c["text"])}
    assert all(printed(w) for w in wanted), sorted(w for w in wanted if not printed(w))


def test_a_long_map_splits_over_pages_by_macro_stage(http, api):
    ws = api.create(title="Parcours long", locale="fr")
    token, map_id = ws["facilitator_token"], ws["map"]["id"]
    snap = api.snapshot(token, map_id)
    lane = snap["lanes"][0]["id"]
    for stage in snap["stages"]:
        for i in range(4):  # 3 template steps + 4 = 7 steps a stage, 21 in all
            step = api.ok(token, map_id, "step.add", stage_id=stage["id"], title=f"{stage['title']} {i + 1}")
            api.ok(token, map_id, "card.add", lane_id=lane, step_id=step["id"], text=f"Carte {stage['title']} {i}")
    res = http.get(f"/api/maps/{map_id}/export/map.pdf", headers=auth(token))
    text = [flat(t) for t in pages(res.data)]
    assert len(text) == 3  # one macro-stage a page: 7 steps each, two would not fit
    for page, stage in zip(text, snap["stages"]):
        assert stage["title"].upper() in page
        assert f"{stage['title']} 4" in page
        assert all(f"{other['title']} 4" not in page for other in snap["stages"] if other is not stage)


def test_report_pdf(http, glisse):
    res = http.get(
        f"/api/workshops/{glisse['workshop_id']}/export/report.pdf", headers=auth(glisse["facilitator_token"])
    )
    assert res.status_code == 200
    text = flat(" ".join(pages(res.data)))
    for phrase in (
        "COMPTE RENDU D’ATELIER",
        "Comprendre pourquoi six nouveaux inscrits",
        "Participants par direction",
        "Service client",
        "Camille Martin",
        "Opérations terrain",
        "MOMENTS CLÉS",
        "Déverrouiller",
        "RÉSULTATS DES VOTES",
        "IDÉES RETENUES",
        "Remplacer la caution de 50 € par une pré-autorisation",
        "MATRICE DE RÉSONANCE",
        "Moment formidable",
        "Impasse",
        "Cécité",
        "Douleur",
        "Mauvais combat",
        "Coup de chance",
        "Synthèse des chantiers",
        "Se garer sans risquer d’amende",
        "PROBLÈME",
    ):
        assert phrase in text, phrase
    assert len(pages(res.data)) >= 3 + len(DEMO_SHEETS)


def test_english_workshop_prints_english_labels_and_no_french_spacing(http, api):
    ws = api.create(title="Onboarding journey", locale="en", objective="Why do people leave?")
    token, map_id = ws["facilitator_token"], ws["map"]["id"]
    api.ok(token, map_id, "chantier.add", title="Fix the deposit", problem="Customers ask: why?", effort=2, impact=4)
    text = flat(
        " ".join(
            pages(http.get(f"/api/workshops/{ws['workshop']['id']}/export/chantiers.pdf", headers=auth(token)).data)
        )
    )
    assert "WORK PACKAGE SHEETS" in text and "PROBLEM" in text and "Customers ask: why?" in text
    assert "Fiches chantier" not in text
    text = flat(pages(http.get(f"/api/maps/{map_id}/export/map.pdf", headers=auth(token)).data)[0])
    assert "Customer journey map".upper() in text and "Customer actions" in text
    text = flat(
        " ".join(pages(http.get(f"/api/workshops/{ws['workshop']['id']}/export/report.pdf", headers=auth(token)).data))
    )
    assert "WORKSHOP REPORT" in text and "Participants by department" in text


def test_french_typography_in_the_pdf():
    assert french("Bonjour! Vraiment ? Prix: 50 € ; «oui»") == (
        f"Bonjour{NNBSP}! Vraiment{NNBSP}? Prix{NBSP}: 50 €{NNBSP}; «{NBSP}oui{NBSP}»"
    )
    assert french("à 10:30, http://x.fr, l'appli. Quoi?!") == f"à 10:30, http://x.fr, l’appli. Quoi{NNBSP}?!"


def test_french_typography_reaches_the_pdf(http, api):
    ws = api.create(title="Typographie", locale="fr")
    token, map_id = ws["facilitator_token"], ws["map"]["id"]
    api.ok(token, map_id, "chantier.add", title="Pourquoi pas?", problem="Le client demande: «combien?»")
    doc = http.get(f"/api/workshops/{ws['workshop']['id']}/export/workshop.json", headers=auth(token)).get_json()
    html_text = pdf.render_html("chantiers.html", pdf.chantiers_context(doc))
    assert f"Pourquoi pas{NNBSP}?" in html_text and f"demande{NBSP}: «{NBSP}combien{NNBSP}?{NBSP}»" in html_text
    text = flat(
        " ".join(
            pages(http.get(f"/api/workshops/{ws['workshop']['id']}/export/chantiers.pdf", headers=auth(token)).data)
        )
    )
    # The spaces typed by nobody are in the PDF (pypdf reads the non-breaking ones as spaces).
    assert "Pourquoi pas ?" in text and "demande : « combien ? »" in text


# -- hostile text -----------------------------------------------------------------------------------


def test_the_fetcher_serves_static_files_only():
    fetcher = SafeFetcher()
    css = (pdf.STATIC / "css" / "pdf.css").as_uri()
    assert fetcher(css)["string"].startswith(b"/*")
    for url in (
        "http://127.0.0.1:9/x.css",
        "https://example.com/a.png",
        "file:///etc/passwd",
        css.replace("/css/pdf.css", "/../workshop/config.py"),
        "file://evil.example/static/css/pdf.css",
        "ftp://example.com/x",
        "data:text/css,body{}",
        "//127.0.0.1:9/x",
        "x.css",
    ):
        with pytest.raises(FetchRefused):
            fetcher(url)
    assert len(fetcher.refused) == 9 and fetcher.served == [css]


def test_hostile_card_text_prints_as_text_and_nothing_is_fetched(http, api):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    listener.settimeout(0.2)
    port = listener.getsockname()[1]
    try:
        ws = api.create(title="Atelier <b>piégé</b>")
        token, map_id = ws["facilitator_token"], ws["map"]["id"]
        snap = api.snapshot(token, map_id)
        lane, step = snap["lanes"][0]["id"], snap["steps"][0]["id"]
        texts = [h.format(port=port) for h in HOSTILE]
        cards = [api.ok(token, map_id, "card.add", lane_id=lane, step_id=step, text=t) for t in texts]
        api.ok(
            token,
            map_id,
            "chantier.add",
            title=texts[0],
            problem=texts[1],
            solution=texts[2],
            card_ids=[c["id"] for c in cards],
        )
        for url in exports(ws["workshop"]["id"], map_id):
            assert http.get(url, headers=auth(token)).status_code == 200
        doc = http.get(f"/api/workshops/{ws['workshop']['id']}/export/workshop.json", headers=auth(token)).get_json()
        for render in (
            lambda f: pdf.render_map(doc, map_id, f),
            lambda f: pdf.render_chantiers(doc, f),
            lambda f: pdf.render_report(doc, f),
        ):
            fetcher = SafeFetcher()
            data = render(fetcher)
            assert fetcher.refused == []  # the markup never reached the renderer as markup
            assert all(u.startswith(pdf.STATIC.as_uri() + "/") for u in fetcher.served)
            text = re.sub(r"\s+", "", " ".join(pages(data)))
            for hostile in texts:
                assert re.sub(r"\s+", "", hostile) in text
        with pytest.raises(socket.timeout):
            listener.accept()  # nobody ever called
    finally:
        listener.close()


# -- CSV --------------------------------------------------------------------------------------------


def test_cards_csv_opens_in_a_spreadsheet(http, glisse, api):
    token = glisse["facilitator_token"]
    snap = api.snapshot(token, glisse["map_id"])
    res = http.get(f"/api/maps/{glisse['map_id']}/export/cards.csv", headers=auth(token))
    assert res.status_code == 200 and res.mimetype == "text/csv"
    assert res.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(res.data.decode("utf-8-sig"), newline="")))
    assert len(rows) == len(snap["cards"])
    assert list(rows[0])[:8] == ["Macro-étape", "Étape", "Moment clé", "Ligne", "Type", "Texte", "Auteur", "Direction"]
    by_text = {r["Texte"]: r for r in rows}
    caution = next(r for t, r in by_text.items() if t.startswith("Remplacer la caution de 50"))
    assert caution["Étape"] == "Installer l’appli et s’inscrire" and caution["Auteur"] == "Inès Lefèvre"
    assert caution["Type"] == "Idée" and caution["Retenue"] == "oui" and int(caution["Votes"]) == 6
    assert caution["Direction"] == "Back office facturation" and caution["Macro-étape"] == "Avant-vente"
    assert {c["text"] for c in snap["cards"]} == set(by_text)  # quotes, accents, € and line breaks intact


def test_cards_csv_defuses_formulas(http, api):
    ws = api.create(title="Formules")
    token, map_id = ws["facilitator_token"], ws["map"]["id"]
    snap = api.snapshot(token, map_id)
    lane, step = snap["lanes"][0]["id"], snap["steps"][0]["id"]
    for text in (
        '=HYPERLINK("http://evil.example","clic")',
        "+33 1 23",
        "-2 points",
        "@SUM(A1)",
        'Dit "bonjour",\nà tous',
    ):
        api.ok(token, map_id, "card.add", lane_id=lane, step_id=step, text=text)
    rows = list(
        csv.DictReader(
            io.StringIO(
                http.get(f"/api/maps/{map_id}/export/cards.csv", headers=auth(token)).data.decode("utf-8-sig"),
                newline="",
            )
        )
    )
    assert [r["Texte"] for r in rows] == [
        '\'=HYPERLINK("http://evil.example","clic")',
        "'+33 1 23",
        "'-2 points",
        "'@SUM(A1)",
        'Dit "bonjour",\nà tous',
    ]
    assert safe_cell(3) == 3 and safe_cell("ok") == "ok"


# -- workshop.json and its import -------------------------------------------------------------------

_VOLATILE = {
    "exported_at",
    "created_at",
    "ts",
    "opened_at",
    "closed_at",
    "version",
    "join_code",
    "id",
    "workshop_id",
    "map_id",
}
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def normalise(doc: Any) -> Any:
    """The document without timestamps and versions, each id replaced by the order it first appears in."""
    names: dict[str, str] = {}

    def walk(value: Any, key: str | None = None) -> Any:
        if isinstance(value, dict):
            out = {}
            for k, v in value.items():
                if k in _VOLATILE and not (k == "id" and isinstance(v, str) and _UUID.match(v)):
                    continue
                out[k] = walk(v, k)
            return out
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, str) and _UUID.match(value):
            return names.setdefault(value, f"#{len(names)}")
        return value

    return walk(doc)


def test_workshop_json_is_complete_and_holds_no_secret(http, glisse):
    res = http.get(
        f"/api/workshops/{glisse['workshop_id']}/export/workshop.json", headers=auth(glisse["facilitator_token"])
    )
    assert res.status_code == 200 and res.mimetype == "application/json"
    doc = res.get_json()
    raw = res.data.decode()
    assert "token" not in raw and glisse["facilitator_token"] not in raw and glisse["join_code"] not in raw
    assert doc["format"] == "parcours.workshop" and doc["workshop"]["title"].startswith("Glisse")
    assert {p["name"] for p in doc["participants"]} >= {"Camille Martin", "Karim Haddad", "Animateur"}
    assert all(set(p) == {"id", "name", "role", "department", "perspective"} for p in doc["participants"])
    (m,) = doc["maps"]
    assert len(m["cards"]) == 45 and m["comments"] and m["ratings"] and len(m["chantiers"]) == 3
    assert [r["target"] for r in m["rounds"]] == ["step", "card"] and all(r["votes"] for r in m["rounds"])
    assert sum(1 for c in m["cards"] if c["selected"]) == 3


def test_export_import_export_gives_the_same_workshop(http, glisse):
    first = http.get(
        f"/api/workshops/{glisse['workshop_id']}/export/workshop.json", headers=auth(glisse["facilitator_token"])
    ).get_json()
    res = http.post(
        "/api/workshops/import",
        data=json.dumps(first),
        content_type="application/json",
        headers=auth(glisse["facilitator_token"]),
    )
    assert res.status_code == 201, res.get_json()
    answer = res.get_json()
    assert {"workshop", "map", "facilitator_token", "join_code", "join_url", "facilitator_url"} <= set(answer)
    assert answer["workshop"]["id"] != glisse["workshop_id"] and answer["imported"]["notes"] == []
    second = http.get(
        f"/api/workshops/{answer['workshop']['id']}/export/workshop.json", headers=auth(answer["facilitator_token"])
    ).get_json()
    assert normalise(second) == normalise(first)
    old_ids = set(re.findall(r"[0-9a-f-]{36}", json.dumps(first)))
    assert not old_ids & set(re.findall(r"[0-9a-f-]{36}", json.dumps(second)))  # all new ids
    # A card's author stays its author; the new facilitator token works, the old one does not.
    card = next(c for c in second["maps"][0]["cards"] if c["text"].startswith("Remplacer la caution de 50"))
    assert next(p["name"] for p in second["participants"] if p["id"] == card["author_id"]) == "Inès Lefèvre"
    assert (
        http.get(f"/api/workshops/{answer['workshop']['id']}", headers=auth(glisse["facilitator_token"])).status_code
        == 404
    )


def test_import_of_a_second_map_and_english_locale(http, api):
    ws = api.create(title="Two maps", locale="en", objective="Both sides")
    token = ws["facilitator_token"]
    res = http.post(
        f"/api/workshops/{ws['workshop']['id']}/maps",
        headers=auth(token),
        json={"title": "Back stage", "map_type": "blueprint"},
    )
    second_map = res.get_json()["map"]["id"]
    snap = api.snapshot(token, second_map)
    alice = api.join(ws["join_code"], "Alice", perspective="employee", department="Support")
    card = api.ok(
        alice["token"],
        second_map,
        "card.add",
        lane_id=snap["lanes"][1]["id"],
        step_id=snap["steps"][0]["id"],
        text="Too many forms",
        kind="irritant",
    )
    api.ok(
        token,
        second_map,
        "card.add",
        lane_id=snap["lanes"][1]["id"],
        step_id=snap["steps"][0]["id"],
        text="One form",
        kind="idea",
        builds_on=card["id"],
        position=0,
    )
    api.ok(alice["token"], second_map, "emotion.set", step_id=snap["steps"][0]["id"], score=-2)
    api.ok(token, second_map, "board.lock", locked=True)
    first = http.get(f"/api/workshops/{ws['workshop']['id']}/export/workshop.json", headers=auth(token)).get_json()
    answer = http.post("/api/workshops/import", json=first, headers=auth(token)).get_json()
    second = http.get(
        f"/api/workshops/{answer['workshop']['id']}/export/workshop.json", headers=auth(answer["facilitator_token"])
    ).get_json()
    assert normalise(second) == normalise(first)
    assert [m["map"]["type"] for m in second["maps"]] == ["journey", "blueprint"]
    assert second["maps"][1]["map"]["locked"] is True


def test_import_refuses_bad_documents_without_leaving_anything_behind(app, http, api):
    db = app.extensions["parcours"].db
    headers = auth(api.create()["facilitator_token"])
    from workshop.models import Workshop

    with db.read() as s:
        before = s.query(Workshop).count()
    for body in (
        [],
        {"workshop": {}},
        {"format": "other", "workshop": {"title": "x"}},
        {"workshop": {"title": "x"}, "maps": [{"map": {"title": "m", "type": "nope"}}]},
    ):
        res = http.post("/api/workshops/import", json=body, headers=headers)
        assert res.status_code == 400 and res.get_json()["error"]["code"] == "invalid", body
    bad_card = {
        "workshop": {"title": "Cassé"},
        "participants": [],
        "maps": [
            {
                "map": {"title": "m", "type": "journey"},
                "lanes": [{"id": "l", "title": "L", "kind": "custom", "position": 0}],
                "steps": [{"id": "s", "title": "S", "stage_id": None, "position": 0}],
                "cards": [{"id": "c", "lane_id": "l", "step_id": "s", "kind": "bogus", "text": "x", "position": 0}],
            }
        ],
    }
    res = http.post("/api/workshops/import", json=bad_card, headers=headers)
    assert res.status_code == 400 and "cards.0" in res.get_json()["error"]["message"]
    assert (
        http.post(
            "/api/workshops/import", data="{not json", content_type="application/json", headers=headers
        ).status_code
        == 400
    )
    with db.read() as s:
        assert s.query(Workshop).count() == before


def test_import_takes_more_than_one_op_of_body(http, glisse):
    doc = http.get(
        f"/api/workshops/{glisse['workshop_id']}/export/workshop.json", headers=auth(glisse["facilitator_token"])
    ).get_json()
    for sheet in doc["maps"][0]["chantiers"]:
        sheet["risks"] = "r" * 4000
    body = json.dumps(doc)
    assert len(body) > 64 * 1024
    assert (
        http.post(
            "/api/workshops/import",
            data=body,
            content_type="application/json",
            headers=auth(glisse["facilitator_token"]),
        ).status_code
        == 201
    )


def test_individual_emotion_scores_leave_only_in_the_facilitators_export(tmp_path):
    from sqlalchemy import select

    from workshop.auth import actor_of
    from workshop.db import Database
    from workshop.demo import create_demo
    from workshop.models import Participant

    db = Database(f"sqlite:///{tmp_path / 'r.db'}")
    db.migrate()
    links = create_demo(db)
    with db.read() as s:
        people = [
            actor_of(p) for p in s.scalars(select(Participant).where(Participant.workshop_id == links["workshop_id"]))
        ]
    facilitator = next(p for p in people if p.is_facilitator)
    someone = next(p for p in people if p.role == "participant")
    full = collect.workshop_document(db, facilitator, links["workshop_id"])["maps"][0]["ratings"]
    own = collect.workshop_document(db, someone, links["workshop_id"])["maps"][0]["ratings"]
    assert len({r["participant_id"] for r in full}) > 1
    assert own and {r["participant_id"] for r in own} == {someone.id}
    db.dispose()


def _layout_pages(data: bytes, tmp_path) -> list[list[str]]:
    """Each page's lines as poppler lays them out (columns kept), blank lines dropped."""
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils' pdftotext is needed to read the table layout")
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [[line for line in page.split("\n") if line.strip()] for page in text.split("\f")]


def test_report_pdf_keeps_each_table_row_whole_and_named_on_every_page(http, glisse, tmp_path, api):
    """A big workshop: the resonance table runs over pages. Each row is on one page whole (its two-line
    stage name and step title together), and every page of the table starts with a row that names its
    macro-stage: a step outside any stage says so ("—"), never an empty cell that reads as a split."""
    ws = api.create(title="Grand atelier", locale="fr")
    token, map_id = ws["facilitator_token"], ws["map"]["id"]
    ana = api.join(ws["join_code"], "Ana", perspective="customer")["token"]
    bob = api.join(ws["join_code"], "Bob", perspective="employee")["token"]
    steps = [api.ok(token, map_id, "step.add", title="Hors macro-étape, au titre long sur deux lignes")["id"]]
    for k in range(5):
        stage = api.ok(token, map_id, "stage.add", title=f"Macro-étape supplémentaire {k}")
        steps += [
            api.ok(
                token,
                map_id,
                "step.add",
                stage_id=stage["id"],
                title=f"Étape {k}.{i} au titre assez long pour deux lignes",
            )["id"]
            for i in range(6)
        ]
    for i, step in enumerate(steps):
        api.ok(ana, map_id, "emotion.set", step_id=step, score=(i % 5) - 2)
        api.ok(bob, map_id, "emotion.set", step_id=step, score=2 - (i % 3) * 2)
    res = http.get(f"/api/workshops/{ws['workshop']['id']}/export/report.pdf", headers=auth(token))
    assert res.status_code == 200
    table_pages = 0
    for lines in _layout_pages(res.data, tmp_path):
        page = flat(" ".join(lines))
        # A row is whole on its page: each title's two lines, each stage name's two lines.
        assert page.count("au titre assez long") == page.count("pour deux lignes"), page
        assert page.count("Macro-étape") == page.count("supplémentaire"), page
        heads = [i for i, line in enumerate(lines) if "COLLABORATEUR" in line and "SITUATION" in line]
        if not heads:
            continue
        table_pages += 1
        first_row = lines[heads[0] + 1]
        assert first_row[:3].strip(), f"a page of the table starts with an empty macro-stage cell: {first_row!r}"
        assert heads[-1] < len(lines) - 2, "the table's header alone at the foot of a page"
        outside = [line for line in lines if "Hors macro-étape" in line]
        assert all(line.lstrip().startswith("—") for line in outside), outside
    assert table_pages >= 2  # the table did run over a page break
    demo = http.get(
        f"/api/workshops/{glisse['workshop_id']}/export/report.pdf", headers=auth(glisse["facilitator_token"])
    )
    for lines in _layout_pages(demo.data, tmp_path):
        heads = [i for i, line in enumerate(lines) if "COLLABORATEUR" in line and "SITUATION" in line]
        if heads:
            assert lines[heads[0] + 1][:3].strip(), lines[heads[0] : heads[0] + 3]


# -- long words ---------------------------------------------------------------------------------------

MM = 72 / 25.4  # PDF points in a millimetre

Box = tuple[float, float, float, str]  # a printed word: x_min, y_min, x_max (points from the top left), text


def _unbroken(letter: str, length: int) -> str:
    """A word without any break opportunity whose pieces say where they come from: "c00c01c02…c"."""
    return "".join(f"{letter}{i:02d}" for i in range(100))[: length - 1] + letter


def _word_boxes(data: bytes, tmp_path) -> list[tuple[float, list[Box]]]:
    """Each page's width and its words as poppler places them. poppler drops the letters that fall off
    the page, so a word cut at the page's edge comes out short."""
    import shutil
    import subprocess
    from html import unescape

    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils' pdftotext is needed to read where the words are")
    path = tmp_path / "boxes.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    word = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>')
    return [
        (
            float(re.search(r'width="([\d.]+)"', page).group(1)),
            [(float(m[1]), float(m[2]), float(m[3]), unescape(m[4])) for m in word.finditer(page)],
        )
        for page in out.split("<page ")[1:]
    ]


def _pieces(page: list[Box], long_word: str) -> list[Box]:
    """The lines a long word was broken into on a page, in reading order (in capitals too, as some
    headings print, but not a lone capital: "P" is somebody's initial)."""

    def piece(text: str) -> bool:
        return long_word[0] in text.lower() and (text in long_word or len(text) > 1 and text.lower() in long_word)

    return sorted((w for w in page if piece(w[3])), key=lambda w: (w[1], w[0]))


def test_a_word_longer_than_its_box_breaks_inside_the_box_in_every_pdf(http, api, tmp_path):
    """A pasted URL or "Aaaa…" with no space: each PDF prints all of it, broken over lines inside its own
    box (a map column, a half or a third of a sheet, the page), and table headings still print whole."""
    ws = api.create(title="Mots longs", locale="fr")
    token, map_id = ws["facilitator_token"], ws["map"]["id"]
    snap = api.snapshot(token, map_id)
    first, lane = snap["steps"][0]["id"], snap["lanes"][0]["id"]
    words = {  # as long as each field allows, up to 300 characters
        "card": _unbroken("c", 300),
        "problem": _unbroken("p", 300),
        "risks": _unbroken("r", 300),
        "solution": _unbroken("s", 300),
        "owner": _unbroken("o", 200),
        "title": _unbroken("t", 200),
        "milestone": _unbroken("m", 200),
        "kpi": _unbroken("k", 200),
        "step": _unbroken("e", 200),
        "lane": _unbroken("l", 200),
        "listening": _unbroken("n", 200),
        "verbatim": _unbroken("v", 300),
    }
    api.ok(token, map_id, "step.update", id=first, title=words["step"])
    api.ok(token, map_id, "step.update", id=snap["steps"][1]["id"], title="Deuxième")
    api.ok(token, map_id, "lane.update", id=lane, title=words["lane"])
    card = api.ok(token, map_id, "card.add", lane_id=lane, step_id=first, text=words["card"])
    api.ok(
        token,
        map_id,
        "chantier.add",
        title=words["title"],
        problem=words["problem"],
        objective="Court",
        solution=words["solution"],
        risks=words["risks"],
        owner=words["owner"],
        milestones=[{"label": words["milestone"]}],
        kpis=[{"name": words["kpi"], "target": "10"}],
        step_ids=[first],
        card_ids=[card["id"]],
    )
    listening = http.post(f"/api/maps/{map_id}/listenings", json={"title": words["listening"]}, headers=auth(token))
    code = listening.get_json()["listening"]["codes"]["customer"]
    answers = [{"step_id": first, "score": 2, "verbatim": words["verbatim"]}]
    assert http.put(f"/api/listen/{code}/responses/{uuid.uuid4()}", json={"answers": answers}).status_code == 201
    wid = ws["workshop"]["id"]
    for name, url, margin in (
        ("map", f"/api/maps/{map_id}/export/map.pdf", 10 * MM),
        ("chantiers", f"/api/workshops/{wid}/export/chantiers.pdf", 15 * MM),
        ("report", f"/api/workshops/{wid}/export/report.pdf", 15 * MM),
    ):
        res = http.get(url, headers=auth(token))
        assert res.status_code == 200
        boxes = _word_boxes(res.data, tmp_path)
        printed = {key: "" for key in words}
        for width, page in boxes:
            outside = [w for w in page if w[0] < margin - 0.5 or w[2] > width - margin + 0.5]
            assert outside == [], (name, outside[:3])  # nothing in or past the page's margins
            for key, long_word in words.items():
                printed[key] += "".join(w[3].lower() for w in _pieces(page, long_word))
            if name == "map" or {"PORTEUR", "STATUT"} <= {w[3] for w in page}:
                continue  # no sheet on this page (the table of the sheets is not one)
            # A sheet's fields stay in their half (problem | objective, milestones | KPIs,
            # prerequisites | risks), the owner in their third.
            middle, third = width / 2, margin + (width - 2 * margin) / 3
            for key, (left, right) in {
                "problem": (margin, middle),
                "milestone": (margin, middle),
                "owner": (margin, third),
                "kpi": (middle, width - margin),
                "risks": (middle, width - margin),
            }.items():
                pieces = _pieces(page, words[key])
                assert all(left <= w[0] and w[2] <= right for w in pieces), (name, key, pieces[:2])
        # Every long word prints whole, once or more, with no letter lost at an edge.
        sheet = {"title", "owner", "problem", "solution", "milestone", "kpi", "risks", "step", "card"}
        shown = {"map": {"card", "step", "lane"}, "chantiers": sheet, "report": sheet | {"listening", "verbatim"}}
        assert {key for key, text in printed.items() if text} == shown[name]
        for key in shown[name]:
            assert printed[key].replace(words[key], "") == "", (name, key, printed[key][:80])
        headings = {w[3] for _, page in boxes for w in page}
        if name == "map":
            # The card and the step's title stay in the first step's column, the lane's title in its head.
            page = boxes[0][1]
            next_column = min(w[0] for w in page if w[3] == "Deuxième")
            first_column = min(w[0] for w in _pieces(page, words["step"]))
            assert max(w[2] for w in _pieces(page, words["card"])) < next_column
            assert max(w[2] for w in _pieces(page, words["step"])) < next_column
            assert max(w[2] for w in _pieces(page, words["lane"])) < first_column
        else:
            assert {"PORTEUR", "STATUT", "IMPACT", "EFFORT"} <= headings
        if name == "report":
            assert {"COLLABORATEUR", "SITUATION"} <= headings


def test_only_long_words_are_marked_breakable_and_they_stay_escaped():
    long_word = "<b>" + "a" * 30 + "</b>"
    marked = pdf.breakable(f"Un mot {long_word} et\u00a0: la suite")
    assert marked == ('Un mot <span class="long-word">&lt;b&gt;' + "a" * 30 + "&lt;/b&gt;</span> et\u00a0: la suite")
    assert pdf.breakable("anticonstitutionnel à l’usage") == "anticonstitutionnel à l’usage"
