"""Mirror listening in the PDFs, from the workshop.json document (plain dicts, rendered off the event
loop like the rest): the report's "Mirror listening" section (templates/pdf/_listening_report.html) and
the survey curves of map.pdf (templates/pdf/_listening_map.html). Curves are drawn by the map PDF's own
`export.charts.curve_svg`, so both PDFs draw every curve alike."""

from __future__ import annotations

import html
from typing import Any

from markupsafe import Markup

from ..export.charts import curve_svg
from ..i18n import translate

REPORT_WIDTH_MM = 170.0  # A4 portrait content width
VERBATIMS_PER_SILO = 5
CURVE_MM = 30.0  # the height export.pdf gives the workshop's curve on map.pdf


def _latest_with_answers(m: dict[str, Any]) -> dict[str, Any] | None:
    """The newest listening of the map that has at least one response."""
    for li in reversed(m.get("listenings") or []):
        silos = li["results"]["silos"]
        if silos["customer"]["responses"] or silos["employee"]["responses"]:
            return li
    return None


def _points(li: dict[str, Any], steps: list[dict[str, Any]]) -> list[tuple[float | None, float | None]]:
    rows = {r["step_id"]: r for r in li["results"]["steps"]}
    return [
        (
            rows.get(s["id"], {}).get("customer", {}).get("average"),
            rows.get(s["id"], {}).get("employee", {}).get("average"),
        )
        for s in steps
    ]


def report_sections(doc: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Per map id, its listenings with answers: participation, both curves, the matrix, some verbatims."""
    locale = doc["workshop"].get("locale") or "fr"
    out: dict[str, list[dict[str, Any]]] = {}
    for m in doc["maps"]:
        steps = m["steps"]
        titles = {s["id"]: s["title"] for s in steps}
        sections = []
        for li in m.get("listenings") or []:
            r = li["results"]
            if not (r["silos"]["customer"]["responses"] or r["silos"]["employee"]["responses"]) or not steps:
                continue
            col_w = REPORT_WIDTH_MM / len(steps)
            chosen: list[dict[str, Any]] = []
            for silo in ("customer", "employee"):
                chosen += [{**v, "step": titles.get(v["step_id"], "")} for v in r["verbatims"] if v["silo"] == silo][
                    :VERBATIMS_PER_SILO
                ]
            sections.append(
                {
                    "title": li["title"],
                    "status": li["status"],
                    "silos": [
                        {
                            "silo": silo,
                            **r["silos"][silo],
                            "percent": None
                            if r["silos"][silo]["participation"] is None
                            else round(100 * r["silos"][silo]["participation"]),
                        }
                        for silo in ("customer", "employee")
                    ],
                    "curve": curve_svg(_points(li, steps), col_w, 34.0, locale),
                    "step_titles": [s["title"] for s in steps],
                    "col_w": col_w,
                    "rows": [{"title": titles.get(row["step_id"], ""), **row} for row in r["steps"]],
                    "verbatims": chosen,
                }
            )
        if sections:
            out[m["map"]["id"]] = sections
    return out


def _survey_marks(points: list[tuple[float | None, float | None]], col_w: float, height: float, label: str) -> str:
    """The survey's curves as SVG elements in `export.charts.curve_svg`'s coordinates (mm): dotted, square marks."""
    top, bottom = 4.0, height - 4.0

    def y(score: float) -> float:
        return top + (2 - score) / 4 * (bottom - top)

    parts = []
    for idx, colour in ((0, "#1f6fb2"), (1, "#d9822b")):
        run: list[str] = []
        for i, pair in enumerate(points + [(None, None)]):
            value = pair[idx]
            if value is None:
                if len(run) > 1:
                    parts.append(
                        f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" stroke-width="0.45" '
                        f'stroke-dasharray="0.4 0.9" stroke-linecap="round"/>'
                    )
                run = []
                continue
            cx, cy = (i + 0.5) * col_w, y(value)
            run.append(f"{cx:.2f},{cy:.2f}")
            parts.append(
                f'<rect x="{cx - 0.8:.2f}" y="{cy - 0.8:.2f}" width="1.6" height="1.6" fill="#fff" '
                f'stroke="{colour}" stroke-width="0.4"/>'
            )
    parts.append(
        f'<text x="{col_w * len(points) - 1:.2f}" y="3" font-size="2.2" fill="#8a939c" text-anchor="end" '
        f'font-family="DejaVu Sans">{html.escape(label)}</text>'
    )
    return "".join(parts)


def add_survey_curves(view: dict[str, Any], m: dict[str, Any], locale: str) -> None:
    """map.pdf: the newest listening's curves drawn into the workshop's own curve on every page (dotted,
    square marks), so the map stays on its one A3 page."""
    li = _latest_with_answers(m)
    if li is None:
        return
    r = li["results"]["silos"]
    label = (
        f"{translate(locale, 'pdf.listening')} ▪ ┈ {translate(locale, 'emo.customer')} "
        f"{r['customer']['responses']} · {translate(locale, 'emo.employee')} {r['employee']['responses']}"
    )
    for page in view["pages"]:
        curve = str(page.get("curve") or "")
        if not page["steps"] or not curve.endswith("</svg>"):
            continue
        marks = _survey_marks(_points(li, page["steps"]), page["col_w"], CURVE_MM, label)
        page["curve"] = Markup(curve[: -len("</svg>")] + marks + "</svg>")
        page["has_curve"] = True


def report_labels(locale: str) -> dict[str, str]:
    keys = (
        "pdf.listening",
        "pdf.listening_participation",
        "pdf.listening_verbatims",
        "lst.open",
        "lst.closed",
        "lst.matrix",
        "emo.customer",
        "emo.employee",
    )
    return {k.split(".", 1)[1]: translate(locale, k) for k in keys}
