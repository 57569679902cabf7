"""Fair baselines for the PDF writer: the seed's press release and internal brief as
hand-written reportlab scripts.

``render_baseline(content)`` makes the press release, ``render_brief_baseline(content)``
the internal brief, the way one would by hand (SimpleDocTemplate and Paragraph styles
with the default theme's sizes, colours and spacing; the theme's Noto Sans fonts
subset-embedded), from `seed_content.content` of the same data readout renders. What
they share with readout's output, so that the comparison is fair:

- Flate-only streams (``rl_config.useA85 = 0``, as readout writes them), invariant;
- the same outline (13 entries for the press release, 21 for the brief: title, headed
  sections, sub-sections) and the same links (the website, and the e-mail as mailto);
- the same furniture: the press release has no header on page 1 (the letterhead names
  the organisation), the brief a banner on every page; a "Page X of Y" footer whose
  count is a form XObject defined after the build;
- headings and quotes kept with what follows, no widows, boxes kept together;
- the same text and markup: letterhead with the emblem, rule, label, title, lead with
  dateline, sections with paragraphs, bullets, sub-bullets and quotes, outcomes,
  background, end mark, boxed contact; the brief's facts box, portion marks, meeting
  and participants tables (header and group rows), talking points,
  follow-up (a table of the structured items), distribution.

What still differs (readout does more): list orphan control (a list's first two and
last two items kept together), a .notdef code for characters the font lacks (the
ToUnicode map still says what they are), the furniture's height measured so the body
never runs under it, page-number paragraphs laid out once with placeholder digits and
drawn as one form per page, and the whole pipeline before reportlab (a Jinja template,
the document tree, theme styles). Run ``bench_pdf.py`` for the ratios.
"""

from __future__ import annotations

from functools import cache
from io import BytesIO
from typing import Any

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import HRFlowable
from seed_content import content as seed_content
from seed_content import rl_markup

from readout.themes import FONT_DIR

rl_config.useA85 = 0  # what one sets by hand to drop the ASCII85 armour (readout has none)

INK, NAVY, NAVY2, GREY, RED = (colors.HexColor(c) for c in (
    "#1b1b1b", "#0b2545", "#13315c", "#4a4a4a", "#8b1e3f"))
RULE, PALE, HEAD = (colors.HexColor(c) for c in ("#9aa5b1", "#f1f3f6", "#dde3ea"))
WIDTH = A4[0] - 44 * mm


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


@cache
def styles() -> dict[str, ParagraphStyle]:
    """The default theme's styles, by hand."""
    regular, bold, italic, bold_italic = _fonts()
    s: dict[str, ParagraphStyle] = {}
    s["body"] = body = ParagraphStyle("body", fontName=regular, fontSize=10.5, leading=14.5,
                                      textColor=INK, spaceAfter=6, allowWidows=0)
    s["centre"] = centre = ParagraphStyle("centre", parent=body, alignment=TA_CENTER,
                                          spaceAfter=0, fontSize=10, leading=13,
                                          textColor=GREY)
    s["org"] = ParagraphStyle("org", parent=centre, fontName=bold, fontSize=15, leading=19,
                              textColor=NAVY)
    s["title"] = ParagraphStyle("title", parent=body, fontName=bold, fontSize=18, leading=23,
                                textColor=NAVY, spaceBefore=4, spaceAfter=10)
    s["h2"] = h2 = ParagraphStyle("h2", parent=body, fontName=bold, fontSize=11.5, leading=15,
                                  textColor=NAVY2, spaceBefore=9, spaceAfter=3,
                                  keepWithNext=1)
    s["h3"] = ParagraphStyle("h3", parent=h2, fontName=bold_italic, fontSize=10.5,
                             leading=14, spaceBefore=6, spaceAfter=2)
    s["bullet"] = bullet = ParagraphStyle("bullet", parent=body, leftIndent=6 * mm,
                                          bulletIndent=1.5 * mm, spaceAfter=2,
                                          bulletFontName=regular)
    s["bullet2"] = ParagraphStyle("bullet2", parent=bullet, leftIndent=12 * mm,
                                  bulletIndent=7.5 * mm)
    s["quote"] = ParagraphStyle("quote", parent=body, fontName=italic, leftIndent=10 * mm,
                                textColor=colors.HexColor("#2b2b2b"), spaceBefore=4,
                                spaceAfter=2, keepWithNext=1)
    s["attribution"] = ParagraphStyle("attribution", parent=body, fontSize=9.5,
                                      leftIndent=10 * mm, textColor=GREY, spaceAfter=8)
    s["label"] = ParagraphStyle("label", parent=body, fontName=bold, fontSize=11, leading=14,
                                textColor=RED, spaceBefore=6, spaceAfter=2)
    s["small"] = ParagraphStyle("small", parent=body, fontSize=9, leading=12, textColor=GREY,
                                spaceAfter=8)
    s["lead"] = ParagraphStyle("lead", parent=body, fontSize=11, leading=15.5, spaceAfter=8)
    s["ends"] = ParagraphStyle("ends", parent=body, fontName=bold, alignment=TA_CENTER,
                               spaceBefore=10, spaceAfter=10)
    s["contact"] = ParagraphStyle("contact", parent=body, fontSize=9.5, leading=13,
                                  spaceAfter=2)
    s["facts"] = ParagraphStyle("facts", parent=body, spaceAfter=4)
    s["header"] = ParagraphStyle("header", parent=centre, fontSize=8.5, leading=11,
                                 alignment=TA_RIGHT)
    s["banner"] = ParagraphStyle("banner", parent=centre, fontName=bold, fontSize=10,
                                 leading=13, textColor=RED)
    s["cell"] = ParagraphStyle("cell", parent=body, fontSize=9.5, leading=12.5, spaceAfter=0)
    s["cell-bold"] = ParagraphStyle("cell-bold", parent=s["cell"], fontName=bold)
    return s


class _OutlinedDoc(SimpleDocTemplate):  # type: ignore[misc]
    """Headings enter the outline as they are drawn (the usual afterFlowable recipe)."""

    def afterFlowable(self, flowable: Any) -> None:
        entry = getattr(flowable, "outline", None)
        if entry is None:
            return
        text, level = entry
        key = f"h{id(flowable)}"
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(text, key, level=level, closed=False)


def heading(markup: str, style: ParagraphStyle, title: str, level: int) -> Paragraph:
    para = Paragraph(markup, style)
    para.outline = (title, level)
    return para


def bullets(items: list[tuple[str, list[str]]], prefixes: list[str] | None = None
            ) -> list[Any]:
    s = styles()
    flows: list[Any] = []
    for index, (text, subs) in enumerate(items):
        prefix = prefixes[index] if prefixes else ""
        flows.append(Paragraph(prefix + rl_markup(text), s["bullet"], bulletText="\u2022"))
        flows += [Paragraph(rl_markup(sub), s["bullet2"], bulletText="\u2022") for sub in subs]
    return flows


def section(entry: dict[str, Any], heading_style: str, level: int, mark: str = "") -> list[Any]:
    s = styles()
    title = (f"({entry['classification']}) " if mark else "") + entry["heading"]
    flows: list[Any] = [heading(mark + rl_markup(entry["heading"]), s[heading_style],
                                title, level)]
    flows += [Paragraph(rl_markup(text), s["body"]) for text in entry["paragraphs"]]
    flows += bullets(entry["bullets"])
    for text, who in entry["quotes"]:
        flows += [Paragraph(rl_markup(text), s["quote"]),
                  Paragraph(rl_markup(who), s["attribution"])]
    return flows


def box(rows: list[Any]) -> Any:
    return KeepTogether([Table([[row] for row in rows], colWidths=[WIDTH], style=TableStyle([
        ("BACKGROUND", (0, 0), (-1, -1), PALE), ("BOX", (0, 0), (-1, -1), 0.5, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 6), ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, 0), 6), ("BOTTOMPADDING", (0, -1), (-1, -1), 6)]))])


def _build(story: list[Any], c: dict[str, Any], header: list[Any], footer: str,
           first_page_header: bool, subject: str, above_footer: tuple[Any, ...] = ()) -> bytes:
    regular = _fonts()[0]
    pages = [0]

    def furniture(canv: Any, doc: Any) -> None:
        pages[0] = canv.getPageNumber()
        if first_page_header or canv.getPageNumber() > 1:
            y = A4[1] - 10 * mm
            for flow in header:
                flow.wrapOn(canv, WIDTH, 50)
                y -= flow.height
                flow.drawOn(canv, 22 * mm, y)
        y = 10 * mm + 11
        for flow in above_footer:
            flow.wrapOn(canv, WIDTH, 50)
            flow.drawOn(canv, 22 * mm, y)
            y += flow.height
        text = f"{footer}Page {canv.getPageNumber()} of "
        text_w = pdfmetrics.stringWidth(text, regular, 8.5)
        x = (A4[0] - text_w - pdfmetrics.stringWidth("0", regular, 8.5)) / 2
        canv.saveState()
        canv.setFont(regular, 8.5)
        canv.setFillColor(GREY)
        canv.drawString(x, 10 * mm + 2.5, text)
        canv.translate(x + text_w, 10 * mm + 2.5)
        canv.doForm("pagecount")
        canv.restoreState()

    buffer = BytesIO()
    pad = 6  # SimpleDocTemplate's frame padding: the text area is the theme's
    doc = _OutlinedDoc(buffer, pagesize=A4, leftMargin=22 * mm - pad,
                       rightMargin=22 * mm - pad, topMargin=24 * mm - pad,
                       bottomMargin=22 * mm - pad, title=c["title"],
                       author=c["organisation"], subject=subject, creator="baseline",
                       invariant=1, initialFontName=regular, lang="en")
    doc._doSave = 0
    doc.build(story, onFirstPage=furniture, onLaterPages=furniture)
    canv = doc.canv
    canv.showOutline()
    canv.beginForm("pagecount")
    canv.setFont(regular, 8.5)
    canv.setFillColor(GREY)
    canv.drawString(0, 0, str(pages[0]))
    canv.endForm()
    canv.save()
    return buffer.getvalue()


def _letterhead(c: dict[str, Any]) -> list[Any]:
    s = styles()
    return [Image(BytesIO(c["logo"]), 18 * mm, 18 * mm),
            Paragraph(rl_markup(c["government"]), s["centre"]),
            Paragraph(rl_markup(c["organisation"]), s["org"]),
            Paragraph(rl_markup(c["office"]), s["centre"]), Spacer(0, 10),
            HRFlowable(width="100%", thickness=0.5, color=RULE, spaceBefore=6, spaceAfter=6)]


def render_baseline(c: dict[str, Any] | None = None) -> bytes:
    """A hand-written reportlab rendering of the press release of ``c`` (`seed_content`)."""
    c = c or seed_content()
    s = styles()
    story: list[Any] = [
        *_letterhead(c),
        Paragraph("PRESS RELEASE", s["label"]), Paragraph(c["release_time"], s["small"]),
        heading(rl_markup(c["title"]), s["title"], c["title"], 0),
        Paragraph(f"<b>{rl_markup(c['dateline'])}</b>{rl_markup(c['lead'][0])}", s["lead"]),
    ]
    story += [Paragraph(rl_markup(text), s["lead"]) for text in c["lead"][1:]]
    for entry in c["sections"]:
        story += section(entry, "h2", 1)
    story.append(heading("Outcomes", s["h2"], "Outcomes", 1))
    story += bullets([(text, []) for text in c["outcomes"]])
    story.append(heading("Background", s["h2"], "Background", 1))
    for entry in c["context"]:
        story += section(entry, "h3", 2)
    story.append(Paragraph("\u2014 ENDS \u2014", s["ends"]))
    email = rl_markup(c["email"])
    lines = [Paragraph("<b>Media contact</b>", s["contact"]),
             Paragraph(rl_markup(c["contact"][0]), s["contact"]),
             Paragraph(f'E-mail: <a href="mailto:{email}" color="#0563c1"><u>{email}</u></a>',
                       s["contact"]),
             Paragraph(rl_markup(c["contact"][2]), s["contact"])]
    story.append(box(lines))
    header = [Paragraph(rl_markup(c["organisation"]), s["header"])]
    return _build(story, c, header, "", False, "Press release")


_KINDS = {"bilateral": "Bilateral meeting", "multilateral": "Multilateral meeting",
          "call": "Telephone call", "visit": "Visit", "other": "Meeting"}
_TYPES = {"agreement": "Agreed", "decision": "Decided", "action": "Action",
          "statement": "Stated"}


def _mark(level: str) -> str:
    return f'<font color="#8b1e3f"><b>({level})</b></font> '


def _table(rows: list[list[Any]], widths: list[float], header: bool,
           extra: list[tuple[Any, ...]]) -> Table:
    commands = [("GRID", (0, 0), (-1, -1), 0.5, RULE), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                *extra]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), HEAD))
    return Table(rows, colWidths=[WIDTH * w for w in widths], repeatRows=1 if header else 0,
                 hAlign="LEFT", style=TableStyle(commands))


_STATUSES = {"open": "Open", "in-progress": "In progress", "done": "Done"}


def follow_up(items: list[Any]) -> list[Any]:
    """The brief's follow-up: structured items (text, owner, due, status) as a table
    with a header row, as readout prints them; lines of text as bullets after it."""
    from datetime import date

    s = styles()
    actions = [item for item in items if isinstance(item, dict)]
    flows: list[Any] = []
    if actions:
        rows: list[list[Any]] = [[Paragraph(t, s["cell-bold"])
                                  for t in ("Action", "Owner", "Due", "Status")]]
        for item in actions:
            due = f"{date.fromisoformat(item['due']):%-d %b %Y}" if item.get("due") else "\u2014"
            rows.append([Paragraph(rl_markup(item["text"]), s["cell"]),
                         Paragraph(rl_markup(item.get("owner") or "\u2014"), s["cell"]),
                         Paragraph(due, s["cell"]),
                         Paragraph(_STATUSES.get(item.get("status", ""), "\u2014"), s["cell"])])
        flows.append(_table(rows, [0.44, 0.28, 0.14, 0.14], True, []))
    return flows + bullets([(item, []) for item in items if isinstance(item, str)])


def render_brief_baseline(c: dict[str, Any] | None = None) -> bytes:
    """A hand-written reportlab rendering of the internal brief of ``c``."""
    from datetime import date

    c = c or seed_content()
    s = styles()
    brief, marking = c["brief"], "OFFICIAL"

    def h2(text: str, mark: str | None) -> Paragraph:
        title = (f"({mark}) " if mark else "") + text
        return heading((_mark(mark) if mark else "") + rl_markup(text), s["h2"], title, 1)

    facts = [("Reference", brief["reference"]), ("Version", brief["version"]),
             ("Date", c["release_date"])]
    story: list[Any] = [
        Paragraph("INTERNAL BRIEF", s["label"]),
        heading(rl_markup(c["title"]), s["title"], c["title"], 0),
        box([Paragraph(f"<b>{k}:</b> {rl_markup(v)}", s["facts"]) for k, v in facts]
            + [Paragraph(f'<b>Classification:</b> <font name="{_fonts()[1]}" '
                         f'color="#8b1e3f">{marking}</font>', s["facts"]),
               Paragraph(f"<b>Issued by:</b> {rl_markup(c['organisation'])}, "
                         f"{rl_markup(c['government'])}", s["facts"])]),
        h2("Purpose", marking),
        *[Paragraph(rl_markup(p), s["body"]) for p in [" ".join(brief["purpose"].split())]],
        h2("Summary", c["classification"]),
        *[Paragraph(rl_markup(p), s["body"]) for p in c["lead"]],
        h2("The meeting", c["classification"]),
    ]
    m = c["meeting"]
    day = date.fromisoformat(m["date"])
    rows = [("Kind", _KINDS[m["kind"]]), ("Date", f"{day:%A, %-d %B %Y}"),
            ("Venue", m["venue"]), ("Event", m["event"]),
            ("Setting", m["setting"][:1].upper() + m["setting"][1:] + " the event")]
    story.append(_table([[Paragraph(f"<b>{k}</b>", s["cell"]),
                          Paragraph(rl_markup(v), s["cell"])] for k, v in rows],
                        [0.24, 0.76], False, []))
    story.append(h2("Participants", None))
    people: list[list[Any]] = [[Paragraph(t, s["cell-bold"]) for t in ("Name", "Title", "Role")]]
    extra: list[tuple[Any, ...]] = []
    countries: dict[str, list[dict[str, Any]]] = {}
    for person in c["participants"]:
        countries.setdefault(person.get("country", ""), []).append(person)
    for country, group in countries.items():
        r = len(people)
        extra += [("BACKGROUND", (0, r), (-1, r), PALE), ("NOSPLIT", (0, r), (-1, r + 1))]
        people.append([Paragraph(rl_markup(country), s["cell-bold"]), "", ""])
        for person in group:
            name = f"{person.get('honorific', '')} {person['name']}".strip()
            title = rl_markup(person["title"])
            if person.get("organisation") and person["organisation"] not in person["title"]:
                title += (f'<br/><font size="9" color="#4a4a4a">'
                          f'{rl_markup(person["organisation"])}</font>')
            people.append([Paragraph(_mark(person.get("classification", c["classification"]))
                                     + rl_markup(name), s["cell"]),
                           Paragraph(title, s["cell"]),
                           Paragraph(person["role"].capitalize(), s["cell"])])
    story.append(_table(people, [0.3, 0.5, 0.2], True, extra))
    story.append(h2("Key points", None))
    for entry in c["all_sections"]:
        story += section(entry, "h3", 2, _mark(entry["classification"]))
    story.append(h2("Talking points", marking))
    story += bullets([(t, []) for t in brief["talking_points"]])
    story.append(h2("Outcomes", None))
    story += bullets([(text, []) for text, _, _ in c["all_outcomes"]],
                     [f"{_mark(level)}<b>{_TYPES[kind]}:</b> "
                      for _, kind, level in c["all_outcomes"]])
    story.append(h2("Background", None))
    for entry in c["all_context"]:
        story += section(entry, "h3", 2, _mark(entry["classification"]))
    story.append(h2("Follow-up", marking))
    story += follow_up(brief["follow_up"])
    story.append(box([Paragraph(f"<b>Prepared by:</b> {rl_markup(brief['prepared_by'])}",
                                s["facts"]),
                      Paragraph(f"<b>Cleared by:</b> {rl_markup(brief['cleared_by'])}",
                                s["facts"])]))
    story.append(h2("Distribution", marking))
    story += bullets([(t, []) for t in brief["distribution"]])
    header = [Paragraph(marking, s["banner"])]
    return _build(story, c, header, f"{brief['reference']} \u00b7 ", True,
                  f"{marking} \u2014 Internal brief", (Paragraph(marking, s["banner"]),))


__all__ = ["render_baseline", "render_brief_baseline", "styles"]
