"""What a reader gets out of our documents: words, page by page, part by part.

Test helpers only. The PDF side reads with pdfplumber (in content-stream order, the
order the writer drew the text in), the DOCX side with python-docx (the body in
document order, table cells row by row). Page furniture (the header and footer drawn in
the page margins) is kept apart from the body on both sides.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import docx
import pdfplumber
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from readout.localise import catalogue

BULLET = "\u2022"


def _page_forms() -> list[str]:
    """'Page {page} of {count}' in English and in every built-in catalogue."""
    folder = Path(str(resources.files("readout.templates"))) / "_messages"
    forms = {"Page {page} of {count}"}
    forms.update(catalogue(path.stem).get("Page {page} of {count}", "")
                 for path in folder.glob("*.yaml"))
    return sorted(form for form in forms if form)


def page_texts(number: int, total: int) -> list[str]:
    """'Page 2 of 3' in every language, in reading order and, for a right-to-left line
    (drawn in visual order), with its words the other way round."""
    out = []
    for form in _page_forms():
        text = form.replace("{page}", str(number)).replace("{count}", str(total))
        out += [text, " ".join(reversed(text.split()))]
    return out


def _page_pattern() -> re.Pattern[str]:
    patterns = []
    for form in _page_forms():
        words = [re.escape(w).replace(r"\{page\}", r"\d+").replace(r"\{count\}", r"\d+")
                 for w in form.split()]
        patterns += [r"\s+".join(words), r"\s+".join(reversed(words))]
    return re.compile(r"(?:.*\s·\s)?(?:" + "|".join(patterns) + r")\Z")


_PAGE_LINE = _page_pattern()


@dataclass(frozen=True)
class Word:
    text: str
    top: float      # distance from the top of the page, points
    bottom: float


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    words: tuple[Word, ...]   # every word of the page, in drawing order

    def band(self, top: float | None = None, bottom: float | None = None) -> list[str]:
        """Words whose box lies above ``top`` (from the top) or below ``bottom``."""
        out = []
        for word in self.words:
            above = top is not None and word.bottom <= top
            below = bottom is not None and word.top >= bottom
            if above or below:
                out.append(word.text)
        return out

    def lines(self) -> list[str]:
        """The page's text lines, top to bottom (words grouped by their top)."""
        rows: dict[int, list[tuple[float, str]]] = {}
        for word in self.words:
            rows.setdefault(round(word.top), []).append((word.top, word.text))
        return [" ".join(text for _, text in rows[key]) for key in sorted(rows)]


def pdf_pages(data: bytes) -> list[Page]:
    """Every page of a PDF with its words (pdfplumber, in content-stream order)."""
    pages = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            words = page.extract_words(use_text_flow=True, keep_blank_chars=False)
            pages.append(Page(float(page.width), float(page.height),
                              tuple(Word(w["text"], float(w["top"]), float(w["bottom"]))
                                    for w in words)))
    return pages


def pdf_body_words(data: bytes, top_margin: float = 60.0,
                   bottom_margin: float = 60.0,
                   repeated_headers: list[list[str]] | None = None) -> list[str]:
    """The words of a PDF's body: page furniture (header and footer bands) left out.

    The default theme's header sits 10 mm from the top edge and its footer 10 mm from
    the bottom, inside margins of 24 and 22 mm: anything within ``top_margin`` points of
    the top or ``bottom_margin`` points of the bottom is furniture. A table header row
    repeated at the top of a later page (one of ``repeated_headers``, each a row's words,
    see `docx_header_rows`) is furniture too: the DOCX holds it once.
    """
    words: list[str] = []
    for number, page in enumerate(pdf_pages(data)):
        body = [word.text for word in page.words
                if not (word.bottom <= top_margin or word.top >= page.height - bottom_margin)]
        for header in repeated_headers or ():
            if number and header and body[:len(header)] == header:
                body = body[len(header):]
                break
        words.extend(body)
    return words


def pdf_words(data: bytes) -> list[str]:
    """Every word a PDF shows, in drawing order (furniture included)."""
    return [word.text for page in pdf_pages(data) for word in page.words]


def pdf_text(data: bytes) -> str:
    """All the text of a PDF, whitespace normalised to single spaces."""
    return " ".join(pdf_words(data))


def _blocks(container: DocxDocument | object) -> Iterator[Paragraph | Table]:
    yield from container.iter_inner_content()  # type: ignore[attr-defined]


def _paragraph_texts(container: DocxDocument | object) -> Iterator[str]:
    for block in _blocks(container):
        if isinstance(block, Paragraph):
            yield block.text
        else:
            for row in block.rows:
                seen: set[int] = set()
                for cell in row.cells:
                    if id(cell._tc) in seen:  # a merged cell comes back once per column
                        continue
                    seen.add(id(cell._tc))
                    yield from _paragraph_texts(cell)


def docx_paragraphs(data: bytes) -> list[str]:
    """The text of every body paragraph of a DOCX, in order, table cells included."""
    return list(_paragraph_texts(docx.Document(io.BytesIO(data))))


def docx_words(data: bytes) -> list[str]:
    """The words of a DOCX body (python-docx), in document order, table cells included;
    headers and footers left out."""
    return [word for text in docx_paragraphs(data) for word in text.split()]


def docx_header_rows(data: bytes) -> list[list[str]]:
    """The words of each table header row (``w:tblHeader``, repeated on every page)."""
    document = docx.Document(io.BytesIO(data))
    rows: list[list[str]] = []
    for table in document.tables:
        for row in table.rows:
            tr_pr = row._tr.trPr
            if tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None:
                rows.append([w for cell in row.cells for w in cell.text.split()])
    return rows


def docx_text(data: bytes) -> str:
    return " ".join(docx_words(data))


def docx_furniture(data: bytes) -> dict[str, list[str]]:
    """The paragraph texts of the default header and footer of each section."""
    document = docx.Document(io.BytesIO(data))
    out: dict[str, list[str]] = {"header": [], "footer": []}
    for section in document.sections:
        out["header"] += [p.text for p in section.header.paragraphs]
        out["footer"] += [p.text for p in section.footer.paragraphs]
    return out


def docx_parts(data: bytes) -> dict[str, bytes]:
    """Every part of a DOCX package, unzipped."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: package.read(name) for name in package.namelist()}


def is_furniture_line(line: str) -> bool:
    """A PDF footer line: 'Page X of Y' (in any built-in language), maybe after a
    reference and a middle dot."""
    return bool(_PAGE_LINE.match(line))


def comparable(words: list[str]) -> list[str]:
    """Words with the PDF's bullet glyphs dropped (a DOCX list bullet is numbering)."""
    return [word for word in words if word != BULLET]


@dataclass(frozen=True)
class Look:
    """What a reader can tell of a paragraph's look, the same way in either format."""

    font: str                   # family name without spaces, e.g. "NotoSans"
    bold: bool
    italic: bool
    size: float                 # points
    colour: str                 # "#rrggbb"
    alignment: str              # left | center | right | justify
    background: str | None      # "#rrggbb" of the box, if any
    border: tuple[str, float] | None  # colour and width (points) of the box, if any

    @property
    def boxed(self) -> bool:
        return self.background is not None or self.border is not None


def _hex(rgb: tuple[float, ...]) -> str:
    return "#" + "".join(f"{round(v * 255):02x}" for v in rgb)


def pdf_look(data: bytes) -> Look:
    """The look of the first page's text: its first character's face, size and colour,
    how its lines align, and the box drawn around it (pdfplumber)."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        chars = page.chars
        first = chars[0]
        rows: dict[int, list[dict[str, float]]] = {}
        for char in chars:
            rows.setdefault(round(char["top"]), []).append(char)
        lines = [(min(c["x0"] for c in row), max(c["x1"] for c in row))
                 for _, row in sorted(rows.items())]
        fills = [r for r in page.rects if r["fill"]]
        background = _hex(fills[0]["non_stroking_color"]) if fills else None
        edges = page.lines + [r for r in page.rects if r["stroke"]]
        border = ((_hex(edges[0]["stroking_color"]), float(edges[0]["linewidth"]))
                  if edges else None)
    name = first["fontname"].split("+")[-1]
    family, _, face = name.partition("-")
    # Noto's italic files name their family "NotoSansItalic" ("NotoSansItalic-Italic").
    return Look(font=family.removesuffix("Italic"), bold="Bold" in face, italic="Italic" in face,
                size=round(float(first["size"]), 2), colour=_hex(first["non_stroking_color"]),
                alignment=_alignment(lines), background=background,
                border=border)


def _alignment(lines: list[tuple[float, float]]) -> str:
    """How lines of different lengths sit: flush on both sides but the last (justify),
    flush left, flush right, or centred."""
    starts = [start for start, _ in lines]
    ends = [end for _, end in lines]
    flush_left = max(starts) - min(starts) < 0.5
    flush_right = max(ends) - min(ends) < 0.5
    if flush_left and len(lines) > 2 and max(ends[:-1]) - min(ends[:-1]) < 0.5 \
            and ends[-1] < ends[0] - 5:
        return "justify"
    if flush_left and not flush_right:
        return "left"
    if flush_right and not flush_left:
        return "right"
    middles = [(start + end) / 2 for start, end in lines]
    if max(middles) - min(middles) < 0.5:
        return "center"
    return "unknown"


def docx_look(data: bytes) -> Look:
    """The effective look of the first body paragraph of a DOCX: direct formatting,
    then its style and the styles it is based on, then the document defaults."""
    document = docx.Document(io.BytesIO(data))
    paragraph = document.paragraphs[0]
    run = paragraph.runs[0]
    chain = []
    style = paragraph.style
    while style is not None:
        chain.append(style)
        style = style.base_style
    defaults = document.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/"
                                            f"{qn('w:rPr')}")

    def run_value(get: object) -> object:
        for source in [run.font, *(s.font for s in chain)]:
            value = get(source)  # type: ignore[operator]
            if value is not None:
                return value
        return None

    size = run_value(lambda f: f.size)
    if size is None:
        size_el = defaults.find(qn("w:sz")) if defaults is not None else None
        size_pt = int(size_el.get(qn("w:val"))) / 2 if size_el is not None else 10.0
    else:
        size_pt = size.pt  # type: ignore[attr-defined]
    font = run_value(lambda f: f.name)
    if font is None and defaults is not None:
        fonts = defaults.find(qn("w:rFonts"))
        font = fonts.get(qn("w:ascii")) if fonts is not None else None
    colour = run_value(lambda f: f.color.rgb if f.color.type is not None else None)
    alignment = paragraph.paragraph_format.alignment
    for style in chain:
        if alignment is None:
            alignment = style.paragraph_format.alignment
    names = {None: "left", 0: "left", 1: "center", 2: "right", 3: "justify"}
    p_pr = paragraph._p.pPr
    shading = p_pr.find(qn("w:shd")) if p_pr is not None else None
    borders = p_pr.find(qn("w:pBdr")) if p_pr is not None else None
    side = borders.find(qn("w:top")) if borders is not None else None
    return Look(
        font=str(font).replace(" ", ""), bold=bool(run_value(lambda f: f.bold)),
        italic=bool(run_value(lambda f: f.italic)), size=round(size_pt, 2),
        colour="#" + str(colour or "000000").lower(),
        alignment=names[int(alignment) if alignment is not None else None],
        background="#" + shading.get(qn("w:fill")).lower() if shading is not None else None,
        border=("#" + side.get(qn("w:color")).lower(), int(side.get(qn("w:sz"))) / 8)
        if side is not None else None)
