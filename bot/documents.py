"""Render the development plan as HTML and PDF, with the person's words verbatim."""

from __future__ import annotations

import html
import importlib.util
from pathlib import Path
from typing import Optional

from fpdf import FPDF

from bot.plan import PlanDocument

_FONT_CANDIDATES = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
)


def _unicode_font() -> Optional[Path]:
    """A TrueType font with wide Unicode coverage (system DejaVu, or the copy matplotlib ships)."""
    for candidate in _FONT_CANDIDATES:
        if candidate.exists():
            return candidate
    spec = importlib.util.find_spec("matplotlib")
    if spec and spec.origin:
        bundled = Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf"
        if bundled.exists():
            return bundled
    return None


# The one inline style of an HTML plan document; the channel allows exactly this by its hash (bot/channels/headers.py).
HTML_STYLE = ("body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;line-height:1.5;color:#212b32}"
              "h1{color:#005eb8}dt{font-weight:600;margin-top:.8rem}dd{margin:0 0 0 1rem;white-space:pre-wrap}")


def _date(document: PlanDocument) -> str:
    return document.created.strftime("%-d %B %Y")


def render_html(document: PlanDocument) -> str:
    """A self-contained, printable HTML page; every piece of text is escaped."""
    e = html.escape
    parts = [
        "<!doctype html><html lang='en-GB'><head><meta charset='utf-8'>",
        f"<title>{e(document.title)}</title>",
        f"<style>{HTML_STYLE}</style>",
        "</head><body>",
        f"<h1>{e(document.title)}</h1>",
        f"<p>Prepared on {_date(document)}. This is yours: share it only if you choose.</p>",
    ]
    if document.segment:
        parts.append(f"<h2>Where I sit on the framework</h2><p><strong>{e(document.segment)}</strong></p>")
        if document.placement_explanation:
            parts.append(f"<p>{e(document.placement_explanation)}</p>")
    if document.interventions:
        parts.append("<h2>Development options I chose</h2><ul>")
        parts.extend(f"<li>{e(name)}</li>" for name in document.interventions)
        parts.append("</ul>")
    if document.review_date:
        parts.append(f"<p><strong>Review by:</strong> {document.review_date.strftime('%-d %B %Y')}</p>")
    for title, items in document.sections:
        parts.append(f"<h2>{e(title)}</h2><dl>")
        for item in items:
            parts.append(f"<dt>{e(item.question)}</dt><dd>{e(item.answer)}</dd>")
        parts.append("</dl>")
    parts.append("</body></html>")
    return "".join(parts)


def render_pdf(document: PlanDocument) -> bytes:
    """The same plan as a PDF (Unicode text where a DejaVu font is available)."""
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    font = _unicode_font()
    family = "Helvetica"
    if font is not None:
        pdf.add_font("DejaVu", "", str(font))
        family = "DejaVu"

    def text(value: str) -> str:
        # Core fonts are Latin-1 only; without DejaVu, replace what they cannot draw.
        return value if family == "DejaVu" else value.encode("latin-1", "replace").decode("latin-1")

    def heading(value: str, size: int = 13) -> None:
        pdf.set_font(family, size=size)
        pdf.set_text_color(0, 94, 184)
        pdf.multi_cell(0, 8, text(value), new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(33, 43, 50)

    def paragraph(value: str, size: int = 11) -> None:
        pdf.set_font(family, size=size)
        pdf.multi_cell(0, 6, text(value), new_x="LMARGIN", new_y="NEXT")

    heading(document.title, 18)
    paragraph(f"Prepared on {_date(document)}. This is yours: share it only if you choose.")
    if document.segment:
        heading("Where I sit on the framework")
        paragraph(document.segment)
        if document.placement_explanation:
            paragraph(document.placement_explanation)
    if document.interventions:
        heading("Development options I chose")
        for name in document.interventions:
            paragraph(f"- {name}")
    if document.review_date:
        paragraph(f"Review by: {document.review_date.strftime('%-d %B %Y')}")
    for title, items in document.sections:
        heading(title)
        for item in items:
            pdf.set_font(family, size=10)
            pdf.set_text_color(66, 84, 98)
            pdf.multi_cell(0, 5, text(item.question), new_x="LMARGIN", new_y="NEXT")
            pdf.set_text_color(33, 43, 50)
            paragraph(item.answer)
            pdf.ln(2)
    return bytes(pdf.output())
