"""Baseline for the PDF writer: the seed press release as a hand-written reportlab script.

``render_baseline()`` renders the seed sample's press release the way one would by hand
(SimpleDocTemplate and Paragraph styles; letterhead with the emblem, rule, label, title,
lead with dateline, headed sections with bullets, sub-bullets and quotes, outcomes,
background, end mark, a boxed media contact; the theme's Noto Sans fonts embedded; a
header and a "Page X of Y" footer, the count as a form XObject). Its words come from the
seed YAML (`seed_content`), so it carries the same text as ``readout render``. Run this
file to print its timing next to ``readout.render(seed, "press-release", "pdf")``;
``bench_render.py`` reports all templates and formats.
"""

from __future__ import annotations

import sys
import time
from functools import cache
from io import BytesIO
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Image,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import HRFlowable
from seed_content import SEED, rl_markup
from seed_content import content as seed_content

from readout.themes import FONT_DIR


@cache
def _fonts() -> tuple[str, str, str, str]:
    names = ("BaseNoto", "BaseNoto-Bold", "BaseNoto-Italic", "BaseNoto-BoldItalic")
    files = ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "NotoSans-Italic.ttf",
             "NotoSans-BoldItalic.ttf")
    for name, file_name in zip(names, files, strict=True):
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR.joinpath(file_name))))
    pdfmetrics.registerFontFamily(names[0], normal=names[0], bold=names[1], italic=names[2],
                                  boldItalic=names[3])
    return names


def render_baseline() -> bytes:
    """A hand-written reportlab rendering of the seed press release (`seed_content`)."""
    regular, bold, italic, bold_italic = _fonts()
    ink, navy, grey = colors.HexColor("#1b1b1b"), colors.HexColor("#0b2545"), \
        colors.HexColor("#4a4a4a")
    body = ParagraphStyle("body", fontName=regular, fontSize=10.5, leading=14.5,
                          textColor=ink, spaceAfter=6)
    centre = ParagraphStyle("centre", parent=body, alignment=TA_CENTER, spaceAfter=0,
                            fontSize=10, leading=13, textColor=grey)
    org = ParagraphStyle("org", parent=centre, fontName=bold, fontSize=15, leading=19,
                         textColor=navy)
    title = ParagraphStyle("title", parent=body, fontName=bold, fontSize=18, leading=23,
                           textColor=navy, spaceBefore=4, spaceAfter=10)
    h1 = ParagraphStyle("h1", parent=body, fontName=bold, fontSize=13, leading=17,
                        textColor=navy, spaceBefore=12, spaceAfter=4, keepWithNext=1)
    bullet = ParagraphStyle("bullet", parent=body, leftIndent=6 * mm, bulletIndent=1.5 * mm,
                            spaceAfter=2, bulletFontName=regular)
    quote = ParagraphStyle("quote", parent=body, fontName=italic, leftIndent=10 * mm)

    h2 = ParagraphStyle("h2", parent=h1, fontSize=11.5, leading=15, spaceBefore=9,
                        spaceAfter=3, textColor=colors.HexColor("#13315c"))
    h3 = ParagraphStyle("h3", parent=h2, fontName=bold_italic, fontSize=10.5, leading=14,
                        spaceBefore=6, spaceAfter=2)
    bullet2 = ParagraphStyle("bullet2", parent=bullet, leftIndent=12 * mm,
                             bulletIndent=7.5 * mm)
    attribution = ParagraphStyle("attribution", parent=body, fontSize=9.5, leftIndent=10 * mm,
                                 textColor=grey, spaceAfter=8)
    label = ParagraphStyle("label", parent=body, fontName=bold, fontSize=11, leading=14,
                           textColor=colors.HexColor("#8b1e3f"), spaceBefore=6, spaceAfter=2)
    small = ParagraphStyle("small", parent=body, fontSize=9, leading=12, textColor=grey,
                           spaceAfter=8)
    lead = ParagraphStyle("lead", parent=body, fontSize=11, leading=15.5, spaceAfter=8)
    ends = ParagraphStyle("ends", parent=body, fontName=bold, alignment=TA_CENTER,
                          spaceBefore=10, spaceAfter=10)
    contact = ParagraphStyle("contact", parent=body, fontSize=9.5, leading=13, spaceAfter=2)
    header = ParagraphStyle("header", parent=centre, fontSize=8.5, leading=11, alignment=2)
    c = seed_content()

    def section(entry: dict[str, Any], heading: ParagraphStyle) -> list[Any]:
        flows: list[Any] = [Paragraph(rl_markup(entry["heading"]), heading)]
        flows += [Paragraph(rl_markup(text), body) for text in entry["paragraphs"]]
        for text, subs in entry["bullets"]:
            flows.append(Paragraph(rl_markup(text), bullet, bulletText="\u2022"))
            flows += [Paragraph(rl_markup(sub), bullet2, bulletText="\u2022") for sub in subs]
        for text, who in entry["quotes"]:
            flows += [Paragraph(rl_markup(text), quote), Paragraph(rl_markup(who), attribution)]
        return flows

    width = A4[0] - 44 * mm
    story: list[Any] = [
        Image(BytesIO(c["logo"]), 18 * mm, 18 * mm),
        Paragraph(c["government"], centre), Paragraph(c["organisation"], org),
        Paragraph(c["office"], centre), Spacer(0, 10),
        HRFlowable(width="100%", thickness=0.5, color=colors.HexColor("#9aa5b1"),
                   spaceBefore=6, spaceAfter=6),
        Paragraph("PRESS RELEASE", label), Paragraph(c["release_time"], small),
        Paragraph(rl_markup(c["title"]), title),
        Paragraph(f"<b>{rl_markup(c['dateline'])}</b>{rl_markup(c['lead'][0])}", lead),
    ]
    story += [Paragraph(rl_markup(text), lead) for text in c["lead"][1:]]
    for entry in c["sections"]:
        story += section(entry, h2)
    story.append(Paragraph("Outcomes", h2))
    story += [Paragraph(rl_markup(text), bullet, bulletText="\u2022") for text in c["outcomes"]]
    story.append(Paragraph("Background", h2))
    for entry in c["context"]:
        story += section(entry, h3)
    story.append(Paragraph("\u2014 ENDS \u2014", ends))
    box = [[Paragraph("<b>Media contact</b>", contact)]]
    box += [[Paragraph(rl_markup(line), contact)] for line in c["contact"]]
    story.append(Table(box, colWidths=[width], style=TableStyle([
        ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#f1f3f6")),
        ("BOX", (0, 0), (-1, -1), 0.5, colors.HexColor("#9aa5b1")),
        ("LEFTPADDING", (0, 0), (-1, -1), 6), ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, 0), 6), ("BOTTOMPADDING", (0, -1), (-1, -1), 6)])))

    pages = [0]

    def furniture(canv: Any, doc: Any) -> None:
        pages[0] = canv.getPageNumber()
        top = Paragraph(c["organisation"], header)
        top.wrapOn(canv, width, 50)
        top.drawOn(canv, 22 * mm, A4[1] - 10 * mm - top.height)
        text = f"Page {canv.getPageNumber()} of "
        text_w = pdfmetrics.stringWidth(text, regular, 8.5)
        x = (A4[0] - text_w - pdfmetrics.stringWidth("0", regular, 8.5)) / 2
        canv.saveState()
        canv.setFont(regular, 8.5)
        canv.setFillColor(grey)
        canv.drawString(x, 10 * mm + 2.5, text)
        canv.translate(x + text_w, 10 * mm + 2.5)
        canv.doForm("pagecount")
        canv.restoreState()

    buffer = BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=22 * mm, rightMargin=22 * mm,
                            topMargin=24 * mm, bottomMargin=22 * mm, title=c["title"],
                            author="Ministry of Defence", creator="baseline", invariant=1,
                            initialFontName=regular, lang="en")
    doc._doSave = 0
    doc.build(story, onFirstPage=furniture, onLaterPages=furniture)
    canv = doc.canv
    canv.beginForm("pagecount")
    canv.setFont(regular, 8.5)
    canv.setFillColor(grey)
    canv.drawString(0, 0, str(pages[0]))
    canv.endForm()
    canv.save()
    return buffer.getvalue()


def _time(render: Any, repeat: int) -> float:
    render()  # warm-up: imports, font registration
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(repeat):
            render()
        best = min(best, (time.perf_counter() - start) / repeat)
    return best * 1000


def main() -> None:
    import readout

    seed = readout.load(SEED)
    repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    base = _time(render_baseline, repeat)
    ours = _time(lambda: readout.render(seed, "press-release", "pdf"), repeat)
    print(f"baseline {base:.2f} ms/doc, readout pdf {ours:.2f} ms/doc, ratio {ours / base:.2f}")


if __name__ == "__main__":
    main()
