"""PDF exports with WeasyPrint, rendered from plain dicts (see collect.py), never from the DB.

Safety: the HTML comes from autoescaped Jinja2 templates, and the filters that add markup escape the
text first, so user text is only ever text; and the url_fetcher serves the app's own static files and
nothing else: no http(s), no other file, no data from elsewhere. Whatever a card says, rendering a PDF
never makes the server fetch anything.
Call `render_*` through offload.run_blocking: WeasyPrint is slow and blocking.
"""

from __future__ import annotations

import io
import logging
import math
import mimetypes
import os
import re
import threading
from collections import defaultdict
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from babel.dates import format_date
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from markupsafe import Markup, escape

from ..config import ROOT
from .charts import curve_svg, matrix_svg, signed
from .labels import labels
from .typography import typography

log = logging.getLogger(__name__)

STATIC = (ROOT / "static").resolve()
TEMPLATES = ROOT / "templates" / "pdf"
STYLESHEET = STATIC / "css" / "pdf.css"


class FetchRefused(ValueError):
    """A URL the PDF renderer may not fetch."""


class SafeFetcher:
    """WeasyPrint's url_fetcher: file URLs under the app's static folder, nothing else.

    Records what it served and what it refused (for logs and tests)."""

    def __init__(self, root: Path = STATIC):
        self.root = Path(root).resolve()
        self.served: list[str] = []
        self.refused: list[str] = []
        self._lock = threading.Lock()

    def path_of(self, url: str) -> Path:
        parsed = urlparse(url)
        if parsed.scheme != "file" or parsed.netloc not in ("", "localhost") or parsed.query:
            raise FetchRefused(f"refused to fetch {url[:200]!r}: only the app's static files")
        path = Path(os.path.realpath(unquote(parsed.path)))
        if not path.is_relative_to(self.root) or not path.is_file():
            raise FetchRefused(f"refused to fetch {url[:200]!r}: not one of the app's static files")
        return path

    def __call__(self, url: str, timeout: int = 10, ssl_context: Any = None) -> dict[str, Any]:
        try:
            path = self.path_of(url)
        except FetchRefused:
            with self._lock:
                self.refused.append(url)
            log.warning("PDF export: refused to fetch %r", url[:200])
            raise
        with self._lock:
            self.served.append(url)
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return {"string": path.read_bytes(), "mime_type": mime, "filename": path.name, "redirected_url": url}


# -- Jinja ----------------------------------------------------------------------------------------


def _fmt_date(value: Any, locale: str, short: bool = False) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00")) if "T" in value else date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime):
        value = value.date()
    if short:
        return value.strftime("%d/%m/%Y") if locale == "fr" else value.isoformat()
    # Month names from CLDR (Babel); French writes the first of a month "1er".
    if locale == "fr":
        text = format_date(value, "d\u00a0MMMM y", locale="fr")
        return "1er" + text[1:] if value.day == 1 else text
    return format_date(value, "d MMMM y", locale="en_GB")


@pass_context
def _signed(ctx: Any, value: Any) -> str:
    return signed(value, ctx.get("locale", "fr"))


# A run of more characters than this without a space may break anywhere (pdf.css `.long-word`): a pasted
# URL, "Aaaa…", a long compound. Longer than nearly every French or English word: ordinary words never
# break, and a table column (sized by its content) stays as wide as its longest ordinary word.
LONG_WORD = 20
_SPACES = re.compile(r"([^\S\u00a0\u202f]+)")  # where a line may break: spaces, not the non-breaking ones


def breakable(text: str) -> Markup:
    """`text` escaped, each run of more than LONG_WORD characters without a space in a `long-word` span."""
    parts = _SPACES.split(text)
    return Markup("").join(
        Markup('<span class="long-word">%s</span>') % part if i % 2 == 0 and len(part) > LONG_WORD else escape(part)
        for i, part in enumerate(parts)
    )


@pass_context
def _t(ctx: Any, value: Any) -> Markup:
    """User text in the body: typeset, escaped, its long words breakable."""
    return breakable(typography(value, ctx.get("locale", "fr")))


@pass_context
def _plain(ctx: Any, value: Any) -> str:
    """User text where no markup may go (the document's <title>): typeset only, escaped by Jinja."""
    return typography(value, ctx.get("locale", "fr"))


@pass_context
def _d(ctx: Any, value: Any, short: bool = False) -> str:
    return _fmt_date(value, ctx.get("locale", "fr"), short)


@pass_context
def _paras(ctx: Any, value: Any) -> Markup:
    """Plain text with its line breaks, escaped, typeset, its long words breakable."""
    text = typography(value, ctx.get("locale", "fr")).strip()
    if not text:
        return Markup("")
    paras = (Markup("<br>").join(breakable(line) for line in p.split("\n")) for p in text.split("\n\n"))
    return Markup("").join(Markup("<p>%s</p>") % p for p in paras)


_env = Environment(
    loader=FileSystemLoader(str(TEMPLATES)),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
    extensions=["jinja2.ext.loopcontrols"],
)
_env.filters.update(t=_t, plain=_plain, d=_d, paras=_paras, signed=_signed)


def render_html(template: str, context: dict[str, Any]) -> str:
    return _env.get_template(template).render(**context)


def html_to_pdf(html_text: str, fetcher: SafeFetcher | None = None) -> bytes:
    from weasyprint import CSS, HTML  # heavy import, only where a PDF is made

    fetcher = fetcher or SafeFetcher()
    base = STATIC.as_uri() + "/"
    doc = HTML(string=html_text, base_url=base, url_fetcher=fetcher)
    css = CSS(filename=str(STYLESHEET), url_fetcher=fetcher, base_url=base)
    out = io.BytesIO()
    # Tagged PDF/UA-1: structure tree in reading order, /Lang from <html lang>, title shown (RGAA, issue #12).
    doc.write_pdf(out, stylesheets=[css], pdf_variant="pdf/ua-1")
    return out.getvalue()


# -- shaping the document for the templates -------------------------------------------------------


def _short_name(name: str | None) -> str:
    if not name:
        return ""
    parts = name.split()
    if len(parts) < 2:
        return name
    return f"{parts[0]} {parts[-1][0]}."


def _latest_results(rounds: list[dict[str, Any]], target: str) -> dict[str, int]:
    """Votes per target from the latest round on `target` whose results may be shown."""
    for r in reversed(rounds):
        if r["target"] == target and r.get("results") is not None:
            return {row["target_id"]: row["votes"] for row in r["results"]}
    return {}


def _index(doc: dict[str, Any]) -> dict[str, Any]:
    """Lookups shared by every PDF: people, steps, cards, comments counts, votes."""
    people = {p["id"]: p for p in doc["participants"]}
    steps, cards, stages = {}, {}, {}
    for m in doc["maps"]:
        stages.update({s["id"]: s for s in m["stages"]})
        steps.update({s["id"]: {**s, "map_title": m["map"]["title"]} for s in m["steps"]})
        cards.update({c["id"]: c for c in m["cards"]})
    return {"people": people, "steps": steps, "cards": cards, "stages": stages}


def _sheets(doc: dict[str, Any], idx: dict[str, Any]) -> list[dict[str, Any]]:
    """Every chantier sheet of the workshop, ranked ones first, then in map and position order."""
    out = []
    for m_i, m in enumerate(doc["maps"]):
        for c in m["chantiers"]:
            linked_steps = [idx["steps"][s] for s in c.get("step_ids") or [] if s in idx["steps"]]
            linked_cards = [idx["cards"][x] for x in c.get("card_ids") or [] if x in idx["cards"]]
            out.append(
                {
                    **c,
                    "map_title": m["map"]["title"],
                    "map_index": m_i,
                    "linked_steps": linked_steps,
                    "linked_cards": linked_cards,
                    "status": c.get("status") or "draft",
                }
            )
    out.sort(key=lambda c: (c.get("priority") is None, c.get("priority") or 0, c["map_index"], c["position"]))
    for number, sheet in enumerate(out, start=1):
        sheet["number"] = number
        size = sum(len(str(sheet.get(k) or "")) for k in ("problem", "objective", "solution", "prerequisites", "risks"))
        size += 60 * (len(sheet.get("milestones") or []) + len(sheet.get("kpis") or []) + len(linked_cards))
        sheet["density"] = "dense" if size > 2600 else ("compact" if size > 1700 else "")
    return out


def export_locale(doc: dict[str, Any]) -> str:
    """The language of an export: the one asked for (`lang`, set by the route from ?lang=), else the workshop's."""
    return doc.get("lang") or doc["workshop"].get("locale") or "fr"


def _base(doc: dict[str, Any]) -> dict[str, Any]:
    locale = export_locale(doc)
    return {
        "locale": locale,
        "L": labels(locale),
        "workshop": doc["workshop"],
        "today": date.today(),
        "participants": [p for p in doc["participants"]],
    }


def chantiers_context(doc: dict[str, Any]) -> dict[str, Any]:
    idx = _index(doc)
    ctx = _base(doc)
    sheets = _sheets(doc, idx)
    ctx.update(
        sheets=sheets, matrix=matrix_svg(sheets, ctx["L"]), people=idx["people"], kind_class=lambda k: f"kind-{k}"
    )
    return ctx


MAX_STEPS_PER_PAGE = 10
LANE_HEAD_MM = 34.0
CONTENT_W_MM = 400.0  # A3 landscape (420 mm) minus the margins


def _map_pages(m: dict[str, Any]) -> list[list[dict[str, Any]]]:
    """The steps split into pages by macro-stage: whole stages per page while they fit, a stage
    longer than a page split into parts."""
    groups: list[dict[str, Any]] = []
    for stage in m["stages"] + [{"id": None, "title": ""}]:
        steps = [s for s in m["steps"] if s["stage_id"] == stage["id"]]
        if stage["id"] is None:
            known = {st["id"] for st in m["stages"]}
            steps = [s for s in m["steps"] if s["stage_id"] not in known]
        # A stage longer than a page: parts of even length (11 steps: 6 + 5, not 10 + 1).
        parts = max(1, math.ceil(len(steps) / MAX_STEPS_PER_PAGE))
        chunk = max(1, math.ceil(len(steps) / parts))
        for start in range(0, len(steps), chunk):
            groups.append({"stage": stage, "steps": steps[start : start + chunk], "continued": start > 0})
    # Pages of even fill: a stage joins the page when that brings it nearer the average page.
    total = sum(len(g["steps"]) for g in groups)
    target = total / max(1, math.ceil(total / MAX_STEPS_PER_PAGE))
    pages: list[list[dict[str, Any]]] = []
    count = 0
    for group in groups:
        if not group["steps"]:
            continue
        size = len(group["steps"])
        if pages and count + size <= MAX_STEPS_PER_PAGE and abs(count + size - target) <= abs(count - target):
            pages[-1].append(group)
            count += len(group["steps"])
        else:
            pages.append([group])
            count = len(group["steps"])
    return pages or [[]]


def _map_view(doc: dict[str, Any], m: dict[str, Any], idx: dict[str, Any], lab: dict[str, Any]) -> dict[str, Any]:
    step_votes = _latest_results(m["rounds"], "step")
    card_votes = _latest_results(m["rounds"], "card")
    comments = defaultdict(int)
    for c in m["comments"]:
        comments[c["target_id"]] += 1
    cells: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for c in sorted(m["cards"], key=lambda c: c["position"]):
        author = idx["people"].get(c.get("author_id") or "", {})
        cells[(c["lane_id"], c["step_id"])].append(
            {
                **c,
                "votes": card_votes.get(c["id"], 0),
                "comments": comments.get(c["id"], 0),
                "author": _short_name(author.get("name")),
            }
        )
    reso = {r["step_id"]: r for r in m["resonance"]}
    kinds_used = sorted(
        {c["kind"] for c in m["cards"]}, key=lambda k: list(lab["kinds"]).index(k) if k in lab["kinds"] else 99
    )
    pages = []
    for groups in _map_pages(m):
        steps = [s for g in groups for s in g["steps"]]
        col_w = (CONTENT_W_MM - LANE_HEAD_MM) / max(len(steps), 6)
        points = [(reso.get(s["id"], {}).get("customer"), reso.get(s["id"], {}).get("employee")) for s in steps]
        has_curve = any(a is not None or b is not None for a, b in points)
        pages.append(
            {
                "groups": groups,
                "steps": steps,
                "col_w": col_w,
                "curve": curve_svg(points, col_w, 30.0, export_locale(doc)) if steps else Markup(""),
                "has_curve": has_curve,
            }
        )
    emotion_lane = next((l for l in m["lanes"] if l["kind"] == "emotions"), None)
    return {
        "map": m["map"],
        "lanes": m["lanes"],
        "cells": cells,
        "pages": pages,
        "step_votes": step_votes,
        "kinds_used": kinds_used,
        "emotion_lane": emotion_lane,
        "reso": reso,
        "has_rounds": bool(step_votes or card_votes),
    }


def map_context(doc: dict[str, Any], map_id: str) -> dict[str, Any]:
    idx = _index(doc)
    ctx = _base(doc)
    m = next(m for m in doc["maps"] if m["map"]["id"] == map_id)
    ctx.update(view=_map_view(doc, m, idx, ctx["L"]), lane_head_mm=LANE_HEAD_MM)
    from ..listening.pdf import add_survey_curves  # Mirror listening (CONTRACT.md §7)

    add_survey_curves(ctx["view"], m, ctx["locale"])
    return ctx


def report_context(doc: dict[str, Any]) -> dict[str, Any]:
    idx = _index(doc)
    ctx = _base(doc)
    lab = ctx["L"]
    by_department: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for p in doc["participants"]:
        if p["role"] == "facilitator":
            continue
        by_department[p.get("department") or lab["no_department"]].append(p)
    maps = []
    for m in doc["maps"]:
        step_votes = _latest_results(m["rounds"], "step")
        titles = {s["id"]: s["title"] for s in m["steps"]}
        titles.update({c["id"]: (c["text"] or lab["hidden_card"]) for c in m["cards"]})
        titles.update({c["id"]: c["title"] for c in m["chantiers"]})
        rounds = []
        for r in m["rounds"]:
            if r.get("results") is None:
                continue
            rows = [{"title": titles.get(x["target_id"], "?"), "votes": x["votes"]} for x in r["results"][:12]]
            rounds.append({**r, "rows": rows, "total": sum(x["votes"] for x in r["results"])})
        key_moments = [{**s, "votes": step_votes.get(s["id"])} for s in m["steps"] if s["key_moment"]]
        selected = [
            {**c, "author": idx["people"].get(c.get("author_id") or "", {}).get("name", "")}
            for c in m["cards"]
            if c.get("selected")
        ]
        stage_titles = {s["id"]: s["title"] for s in m["stages"]}
        resonance = [
            {
                **r,
                "title": titles.get(r["step_id"], ""),
                "stage": stage_titles.get(idx["steps"].get(r["step_id"], {}).get("stage_id") or "", ""),
            }
            for r in m["resonance"]
        ]
        counts = defaultdict(int)
        for c in m["cards"]:
            counts[c["kind"]] += 1
        maps.append(
            {
                "map": m["map"],
                "steps": m["steps"],
                "cards": m["cards"],
                "key_moments": key_moments,
                "rounds": rounds,
                "selected": selected,
                "resonance": resonance,
                "comments": len(m["comments"]),
                "kind_counts": dict(counts),
            }
        )
    sheets = _sheets(doc, idx)
    ctx.update(
        by_department=sorted(by_department.items(), key=lambda kv: (kv[0] == lab["no_department"], kv[0])),
        maps=maps,
        sheets=sheets,
        matrix=matrix_svg(sheets, lab),
        people=idx["people"],
        facilitators=[p for p in doc["participants"] if p["role"] == "facilitator"],
    )
    from ..listening.pdf import report_labels, report_sections  # Mirror listening (CONTRACT.md §7)

    ctx.update(listening_sections=report_sections(doc), LL=report_labels(ctx["locale"]))
    return ctx


def render_chantiers(doc: dict[str, Any], fetcher: SafeFetcher | None = None) -> bytes:
    return html_to_pdf(render_html("chantiers.html", chantiers_context(doc)), fetcher)


def render_map(doc: dict[str, Any], map_id: str, fetcher: SafeFetcher | None = None) -> bytes:
    return html_to_pdf(render_html("map.html", map_context(doc, map_id)), fetcher)


def render_report(doc: dict[str, Any], fetcher: SafeFetcher | None = None) -> bytes:
    return html_to_pdf(render_html("report.html", report_context(doc)), fetcher)
