"""The charts of the PDFs, drawn as SVG in millimetres: the emotion curves over the step columns
(map.pdf, report.pdf, and the survey's curves added to them by listening/pdf.py) and the impact /
effort matrix of the sheets. Plain functions of their data; pdf.py places them in the pages."""

from __future__ import annotations

import html
from collections import defaultdict
from typing import Any

from markupsafe import Markup


def signed(value: float | None, locale: str) -> str:
    """+1,5 / −1,2 / 0 (French decimal comma, a real minus sign)."""
    if value is None:
        return ""
    if abs(value) < 0.05:
        return "0"
    text = f"{value:+.1f}".replace("-", "\u2212")
    return text.replace(".", ",") if locale == "fr" else text


def curve_svg(points: list[tuple[float | None, float | None]], col_w: float, height: float, locale: str) -> Markup:
    """The customer and employee emotion curves over the step columns (mm units)."""
    n = len(points)
    width = col_w * n
    top, bottom = 5.0, height - 5.0

    def y(score: float) -> float:
        return top + (2 - score) / 4 * (bottom - top)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.2f}mm" height="{height:.2f}mm" '
        f'viewBox="0 0 {width:.2f} {height:.2f}">'
    ]
    for score in (2, 1, 0, -1, -2):
        dash = "" if score == 0 else ' stroke-dasharray="0.8 1.2"'
        parts.append(
            f'<line x1="0" x2="{width:.2f}" y1="{y(score):.2f}" y2="{y(score):.2f}" '
            f'stroke="{"#9aa3ad" if score == 0 else "#d5dae0"}" stroke-width="0.25"{dash}/>'
        )
    for i in range(1, n):
        parts.append(
            f'<line x1="{i * col_w:.2f}" x2="{i * col_w:.2f}" y1="0" y2="{height:.2f}" '
            f'stroke="#e6e9ed" stroke-width="0.25"/>'
        )
    for score, text in ((2, "+2"), (0, "0"), (-2, "−2")):
        parts.append(
            f'<text x="1" y="{y(score) + (2.2 if score == 2 else -0.6):.2f}" font-size="2.3" '
            f'fill="#8a939c" font-family="DejaVu Sans">{text}</text>'
        )
    for idx, (colour, dash) in ((0, ("#1f6fb2", "")), (1, ("#d9822b", ' stroke-dasharray="2 1.2"'))):
        segment: list[str] = []
        segments: list[list[str]] = []
        for i, pair in enumerate(points):
            value = pair[idx]
            if value is None:
                if segment:
                    segments.append(segment)
                segment = []
                continue
            segment.append(f"{(i + 0.5) * col_w:.2f},{y(value):.2f}")
        if segment:
            segments.append(segment)
        for seg in segments:
            if len(seg) > 1:
                parts.append(
                    f'<polyline points="{" ".join(seg)}" fill="none" stroke="{colour}" '
                    f'stroke-width="0.7" stroke-linejoin="round"{dash}/>'
                )
        for i, pair in enumerate(points):
            value = pair[idx]
            if value is None:
                continue
            cx, cy = (i + 0.5) * col_w, y(value)
            parts.append(
                f'<circle cx="{cx:.2f}" cy="{cy:.2f}" r="1.1" fill="{colour}" stroke="#fff" stroke-width="0.35"/>'
            )
            label = signed(value, locale)
            other = pair[1 - idx]
            ty = label_y(cy, y(other) if other is not None else None, idx == 0, height)
            width_mm = 1.5 * len(label) + 0.6
            parts.append(
                f'<rect x="{cx + 1.3:.2f}" y="{ty - 2.05:.2f}" width="{width_mm:.2f}" height="2.6" '
                f'rx="0.4" fill="#fff" fill-opacity="0.85"/>'
            )
            parts.append(
                f'<text x="{cx + 1.6:.2f}" y="{ty:.2f}" font-size="2.4" fill="{colour}" '
                f'font-family="DejaVu Sans" font-weight="bold">{html.escape(label)}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def label_y(cy: float, other_cy: float | None, first: bool, height: float) -> float:
    """The baseline of a point's value label (2.4 mm text): above the point when it is the higher of the
    column's two points (on a tie: the customer's), below otherwise; flipped when it would leave the
    chart, so that labels neither overlap each other nor get cut at the edges."""
    above, below = cy - 1.7, cy + 3.5
    higher = other_cy is None or cy < other_cy or (cy == other_cy and first)
    ty = above if higher else below
    if ty - 2.0 < 0:
        ty = below
    elif ty > height - 0.3:
        ty = above
    return ty


def matrix_svg(sheets: list[dict[str, Any]], lab: dict[str, Any], size: float = 62.0) -> Markup:
    """Impact (up) against effort (right) of every sheet, numbered like the summary table."""
    pad = 9.0
    cell = (size - pad) / 5
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size:.1f}mm" height="{size:.1f}mm" '
        f'viewBox="0 0 {size:.1f} {size:.1f}">',
        f'<rect x="{pad}" y="0" width="{cell * 2.5:.2f}" height="{cell * 2.5:.2f}" fill="#e3f1e4"/>',
    ]
    for i in range(6):
        parts.append(
            f'<line x1="{pad + i * cell:.2f}" x2="{pad + i * cell:.2f}" y1="0" y2="{5 * cell:.2f}" '
            f'stroke="#c9ced4" stroke-width="0.2"/>'
        )
        parts.append(
            f'<line x1="{pad}" x2="{pad + 5 * cell:.2f}" y1="{i * cell:.2f}" y2="{i * cell:.2f}" '
            f'stroke="#c9ced4" stroke-width="0.2"/>'
        )
    for i in range(5):
        parts.append(
            f'<text x="{pad + (i + 0.5) * cell:.2f}" y="{5 * cell + 3.2:.2f}" font-size="2.4" '
            f'text-anchor="middle" fill="#6b747d" font-family="DejaVu Sans">{i + 1}</text>'
        )
        parts.append(
            f'<text x="{pad - 1.5:.2f}" y="{(4.5 - i) * cell + 0.9:.2f}" font-size="2.4" '
            f'text-anchor="end" fill="#6b747d" font-family="DejaVu Sans">{i + 1}</text>'
        )
    parts.append(
        f'<text x="{pad + 2.5 * cell:.2f}" y="{size - 0.6:.2f}" font-size="2.6" text-anchor="middle" '
        f'fill="#3b4550" font-family="DejaVu Sans">{html.escape(lab["effort"])} →</text>'
    )
    parts.append(
        f'<text x="2.6" y="{2.5 * cell:.2f}" font-size="2.6" text-anchor="middle" fill="#3b4550" '
        f'font-family="DejaVu Sans" transform="rotate(-90 2.6 {2.5 * cell:.2f})">'
        f"{html.escape(lab['impact'])} →</text>"
    )
    crowd: dict[tuple[int, int], int] = defaultdict(int)
    for sheet in sheets:
        effort, impact = sheet.get("effort"), sheet.get("impact")
        if not effort or not impact:
            continue
        k = crowd[(effort, impact)]
        crowd[(effort, impact)] += 1
        cx = pad + (effort - 0.5) * cell + (k % 3 - (0 if k == 0 else 1)) * 3.4 * (1 if k else 0)
        cy = (5.5 - impact) * cell + (k // 3) * 3.4
        parts.append(f'<circle cx="{cx:.2f}" cy="{cy:.2f}" r="2.1" fill="#1f3a5f"/>')
        parts.append(
            f'<text x="{cx:.2f}" y="{cy + 0.95:.2f}" font-size="2.5" text-anchor="middle" fill="#fff" '
            f'font-family="DejaVu Sans" font-weight="bold">{sheet["number"]}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
