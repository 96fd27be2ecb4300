"""The export formats, declared once: routes.py builds its endpoints from this table and openapi.py its
paths, so that a new format (say, listenings.csv) is one more row here and one renderer.

`scope` says what the URL names (a workshop or a map); `render` is "module:function" called with the
workshop document (and the map id for map exports); `pdf` renders go to a child process within the
PDF gate (limits.py); the others run in the request. Nothing here imports Flask.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Format:
    key: str  # the file's word (routes.filename) and its URL name
    ext: str
    scope: Literal["workshop", "map"]
    content_type: str
    render: str  # "package.module:function"
    summary: str

    @property
    def name(self) -> str:
        return f"{self.key}.{self.ext}"

    @property
    def pdf(self) -> bool:
        return self.ext == "pdf"

    @property
    def flask_path(self) -> str:
        return f"/{self.scope}s/<scope_id>/export/{self.name}"

    @property
    def openapi_path(self) -> str:
        return f"/api/{self.scope}s/{{{'wid' if self.scope == 'workshop' else 'mid'}}}/export/{self.name}"


FORMATS: tuple[Format, ...] = (
    Format(
        "chantiers",
        "pdf",
        "workshop",
        "application/pdf",
        "workshop.export.pdf:render_chantiers",
        "Chantier sheets as PDF: a cover, then one A4 page per sheet",
    ),
    Format(
        "map",
        "pdf",
        "map",
        "application/pdf",
        "workshop.export.pdf:render_map",
        "The whole map as PDF (A3 landscape), emotion curves included",
    ),
    Format(
        "report",
        "pdf",
        "workshop",
        "application/pdf",
        "workshop.export.pdf:render_report",
        "Workshop report as PDF: objective, participants, key moments, votes, resonance, sheets",
    ),
    Format(
        "workshop",
        "json",
        "workshop",
        "application/json",
        "workshop.export.routes:render_json",
        "The complete workshop (maps, cards, votes, sheets, participants without tokens)",
    ),
    Format(
        "cards",
        "csv",
        "map",
        "text/csv; charset=utf-8",
        "workshop.export.csv_export:cards_csv",
        "The map's cards, one a row (UTF-8 with BOM, header row)",
    ),
)
