"""The PDFs are tagged (PDF/UA-1): a structure tree a screen reader follows in the sheet's order,
the document's language, and its title shown instead of the file name (issue #12)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from workshop import demo

from .apps import module_app


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    yield from module_app(tmp_path_factory, "a11y")


@pytest.fixture(scope="module")
def glisse(app) -> dict[str, Any]:
    return demo.create_demo(app.extensions["parcours"].db)


def fetch(app, path: str, token: str) -> PdfReader:
    res = app.test_client().get(path, headers={"Authorization": f"Bearer {token}"})
    assert res.status_code == 200 and res.mimetype == "application/pdf"
    return PdfReader(io.BytesIO(res.data))


def roles(node: Any, out: list[str]) -> list[str]:
    """The structure elements' types, depth first: the order a screen reader reads them in."""
    node = node.get_object()
    if isinstance(node, DictionaryObject):
        if "/S" in node:
            out.append(str(node["/S"]))
        kids = node.get("/K")
        if kids is not None:
            kids = kids.get_object()
            for kid in kids if isinstance(kids, list) else [kids]:
                if not isinstance(kid, int) and hasattr(kid, "get_object"):
                    roles(kid, out)
    return out


@pytest.mark.parametrize("name", ["chantiers", "map", "report"])
def test_every_pdf_is_tagged_in_french_with_its_title_shown(app, glisse, name):
    wid, mid = glisse["workshop_id"], glisse["map_id"]
    path = f"/api/maps/{mid}/export/map.pdf" if name == "map" else f"/api/workshops/{wid}/export/{name}.pdf"
    reader = fetch(app, path, glisse["facilitator_token"])
    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a pypdf BooleanObject)
    assert str(catalog["/Lang"]) == "fr"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712
    assert "Glisse" in reader.metadata.title
    found = roles(catalog["/StructTreeRoot"], [])
    assert found[0] == "/Document" and len(found) > 20
    assert "/H1" in found or "/H2" in found, found[:40]


def test_a_chantier_sheet_reads_in_the_order_of_the_sheet(app, glisse):
    reader = fetch(app, f"/api/workshops/{glisse['workshop_id']}/export/chantiers.pdf", glisse["facilitator_token"])
    text = reader.pages[1].extract_text()
    labels = ["PROBLÈME", "OBJECTIF", "SOLUTION"]
    at = [text.find(label) for label in labels]
    assert all(i >= 0 for i in at) and at == sorted(at), (at, text[:600])
    # The structure follows the page: a heading before the first paragraph, no stray untagged text.
    found = roles(reader.trailer["/Root"]["/StructTreeRoot"], [])
    first_heading = min(i for i, r in enumerate(found) if r in ("/H1", "/H2", "/H3"))
    assert first_heading < found.index("/P")
