"""Baseline for the PDF writer: a hand-written reportlab script, and the same content as a tree.

``render_baseline()`` renders a two-page press release the way one would by hand
(SimpleDocTemplate, Paragraphs, a bullet list, a Table; the theme's Noto Sans fonts
embedded; a header banner and a "Page X of Y" footer, the count as a form XObject).
``press_release_document()`` is the same content as a `readout.tree.Document`, for
``readout.writers.pdf.write``. Run this file to print both timings and their ratio.
"""

from __future__ import annotations

import struct
import sys
import time
import zlib
from datetime import datetime
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
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import HRFlowable

from readout import tree as t
from readout.themes import FONT_DIR

LEAD = ("Raksha Mantri Shri Rajnath Singh held a bilateral meeting with the Defence Minister "
        "of the Russian Federation on the sidelines of the Shanghai Cooperation Organisation "
        "Defence Ministers' Meeting in Qingdao, China on June 26, 2025.")
SENTENCE = ("The two Ministers reviewed defence cooperation, regional security and "
            "industrial partnerships, and agreed to deepen training exchanges. ")
POINTS = tuple(f"Key point {i}: " + SENTENCE for i in range(1, 7))
ACTIONS = tuple((f"Follow-up action {i} on " + SENTENCE[:50], "Joint Secretary", "2025-09-30")
                for i in range(1, 9))
QUOTE = ("We value our time-tested partnership and will keep working together for peace "
         "and stability in the region.")


def _png(width: int = 40, height: int = 40) -> bytes:
    raw = b"".join(b"\x00" + b"\x0b\x25\x45" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


LOGO = _png()


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


def render_baseline(paragraphs: int = 3) -> bytes:
    """A hand-written reportlab rendering of a two-page press release."""
    regular, bold, italic, _ = _fonts()
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
    cell = ParagraphStyle("cell", parent=body, fontSize=9.5, leading=12.5, spaceAfter=0)
    head = ParagraphStyle("head", parent=cell, fontName=bold)
    banner = ParagraphStyle("banner", parent=centre, fontName=bold,
                            textColor=colors.HexColor("#8b1e3f"))

    story: list[Any] = [
        Image(BytesIO(LOGO), 18 * mm, 18 * mm),
        Paragraph("Government of India", centre), Paragraph("Ministry of Defence", org),
        Paragraph("Press Information Bureau", centre), Spacer(0, 10),
        Paragraph("Raksha Mantri meets Russian Defence Minister in Qingdao", title),
        Paragraph(f"<font name={bold}>New Delhi, June 26, 2025:</font> {LEAD}", body),
        Paragraph("Key points", h1),
    ]
    story += [Paragraph(p, bullet, bulletText="\u2022") for p in POINTS]
    story.append(Paragraph("Discussion", h1))
    story += [Paragraph(SENTENCE * 3, body) for _ in range(paragraphs)]
    story += [Paragraph(QUOTE, quote), Paragraph("Rajnath Singh, Raksha Mantri", body),
              HRFlowable(width="100%", thickness=0.5, color=colors.HexColor("#9aa5b1")),
              Paragraph("Follow-up", h1)]
    rows = [[Paragraph(c, head) for c in ("Action", "Owner", "Due")]]
    rows += [[Paragraph(c, cell) for c in row] for row in ACTIONS]
    width = A4[0] - 44 * mm
    table = Table(rows, colWidths=[width * 0.6, width * 0.25, width * 0.15], repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#9aa5b1")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde3ea")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), regular)]))
    story += [table, PageBreak(), Paragraph("Media contact: press@example.org", body)]

    pages = [0]

    def furniture(canv: Any, doc: Any) -> None:
        pages[0] = canv.getPageNumber()
        top = Paragraph("PUBLIC", banner)
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
                            topMargin=24 * mm, bottomMargin=22 * mm, title="Baseline",
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


def press_release_document(paragraphs: int = 3) -> t.Document:
    """The content of `render_baseline` as a document tree."""
    def para(text: str, style: str | None = None) -> t.Paragraph:
        return t.Paragraph((t.Text(text),), style=style)

    rows = tuple(t.Row(tuple(t.Cell((t.Text(c),)) for c in row)) for row in ACTIONS)
    body: list[t.Block] = [
        t.Section((t.Image(LOGO, 18), para("Government of India", "letterhead-government"),
                   para("Ministry of Defence", "letterhead-organisation"),
                   para("Press Information Bureau", "letterhead-office")), style="letterhead"),
        para("Raksha Mantri meets Russian Defence Minister in Qingdao", "title"),
        t.Paragraph((t.Text("New Delhi, June 26, 2025:", style="dateline"),
                     t.Text(" " + LEAD)), style="lead"),
        t.Heading(1, (t.Text("Key points"),)),
        t.BulletList(tuple((para(p),) for p in POINTS)),
        t.Heading(1, (t.Text("Discussion"),)),
        *(para(SENTENCE * 3) for _ in range(paragraphs)),
        t.Quote((para(QUOTE),), attribution=(t.Text("Rajnath Singh, Raksha Mantri"),)),
        t.Rule(),
        t.Heading(1, (t.Text("Follow-up"),)),
        t.Table((0.6, 0.25, 0.15), t.Row(tuple(t.Cell((t.Text(c),))
                                               for c in ("Action", "Owner", "Due"))), rows),
        t.PageBreak(),
        t.Paragraph((t.Text("Media contact: "),
                     t.Link("mailto:press@example.org", (t.Text("press@example.org"),)))),
    ]
    return t.Document(
        metadata=t.Metadata(title="Baseline", author="Ministry of Defence",
                            created=datetime(2025, 6, 26, 15, 15)),
        body=tuple(body), header=(para("PUBLIC", "banner"),),
        footer=(t.Paragraph((t.Text("Page "), t.PageNumber(), t.Text(" of "),
                             t.PageCount())),))


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
    from readout.themes import load_theme
    from readout.writers.pdf import write

    theme, document = load_theme(), press_release_document()
    repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    base = _time(render_baseline, repeat)
    ours = _time(lambda: write(document, theme), repeat)
    print(f"baseline {base:.2f} ms/doc, readout pdf {ours:.2f} ms/doc, ratio {ours / base:.2f}")


if __name__ == "__main__":
    main()
