"""What a reader gets out of our documents: words, page by page, part by part.

Test helpers only. The PDF side reads with pdfplumber (in content-stream order, the
order the writer drew the text in), the DOCX side with python-docx (the body in
document order, table cells row by row), the HTML side with the standard library's
html.parser (the article, in document order), the text side by its lines (tables read
back cell by cell from their column rules). Page furniture (the header and footer
drawn in the page margins, the page header and footer of a web page, an e-mail's
marking lines) is kept apart from the body in every format.
"""

from __future__ import annotations

import io
import itertools
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import docx
import pdfplumber
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from pypdf import PdfReader
from pypdf.generic import ContentStream, DictionaryObject

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
    """Every page of a PDF with its words (pdfplumber, in content-stream order), a
    chart read as its alternative text.

    A chart's labels are part of its picture, drawn inside a ``/Span`` whose ``/Alt``
    replaces them for whoever extracts the text (ISO 32000-1 section 14.9.3), as a
    screen reader reads a DOCX picture's ``descr``: each run of a chart's characters
    gives way to the words of the page's next ``/Alt``, at the run's place; an ``/Alt``
    no character run is left for (a chart without labels) ends the page's words."""
    pages = []
    alts = _span_alts(data)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page, page_alts in zip(pdf.pages, alts, strict=True):
            pending = list(page_alts)
            words: list[Word] = []
            for in_chart, run in itertools.groupby(page.chars, key=_in_chart):
                chars = list(run)
                if in_chart:
                    if pending:
                        top, bottom = float(chars[0]["top"]), float(chars[0]["bottom"])
                        words.extend(Word(w, top, bottom) for w in pending.pop(0).split())
                    continue
                words.extend(Word(w["text"], float(w["top"]), float(w["bottom"]))
                             for w in pdfplumber.utils.extract_words(
                                 chars, use_text_flow=True, keep_blank_chars=False))
            bottom = words[-1].bottom if words else 0.0
            words.extend(Word(w, bottom, bottom) for alt in pending for w in alt.split())
            pages.append(Page(float(page.width), float(page.height), tuple(words)))
    return pages


def _in_chart(char: dict[str, object]) -> bool:
    """Whether a character is a chart's label: in a ``/Span`` with an ``/Alt`` and no
    MCID of its own (words in another language are a ``/Span`` element's content, with
    their MCID, and read as they are)."""
    return char.get("tag") == "Span" and char.get("mcid") is None


def _span_alts(data: bytes) -> list[list[str]]:
    """The ``/Alt`` of every ``/Span`` marked-content sequence, page by page, in order."""
    reader = PdfReader(io.BytesIO(data))
    out = []
    for page in reader.pages:
        contents = page.get_contents()
        operations = ContentStream(contents, reader).operations if contents is not None else []
        out.append([str(operands[1]["/Alt"]) for operands, operator in operations
                    if operator == b"BDC" and operands[0] == "/Span"
                    and isinstance(operands[1], DictionaryObject) and "/Alt" in operands[1]])
    return out


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
    """Each paragraph's text; a chart's picture (``Chart N`` in Word's selection pane)
    as its alternative text, what a screen reader reads there."""
    for block in _blocks(container):
        if isinstance(block, Paragraph):
            charts = [str(pr.get("descr")) for pr in block._p.iter(qn("wp:docPr"))
                      if str(pr.get("name", "")).startswith("Chart ")]
            yield " ".join([block.text, *charts]) if charts else block.text
        else:
            for row in block.rows:
                seen: set[int] = set()
                for cell in row.cells:
                    if id(cell._tc) in seen:  # a merged cell comes back once per column
                        continue
                    seen.add(id(cell._tc))
                    yield from _paragraph_texts(cell)


def docx_row_cells(row: object) -> list[str]:
    """A DOCX table row's text per column, as a reader sees it: a merged cell's text in
    its first column, empty strings in the columns it spans (python-docx repeats it)."""
    out: list[str] = []
    for tc in row._tr.tc_lst:  # type: ignore[attr-defined]
        out += [_Cell(tc, row).text] + [""] * (tc.grid_span - 1)  # type: ignore[arg-type]
    return out


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
        chars = [c for c in page.chars if not c["text"].isspace()]  # what the eye sees
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


# -- HTML --------------------------------------------------------------------------------

_HTML_BLOCKS = frozenset({"p", "li", "th", "td", "h1", "h2", "h3", "div", "figcaption",
                          "blockquote", "br", "tr", "ul", "table", "header", "footer",
                          "article", "figure", "hr", "section", "main"})


@dataclass
class HtmlPage:
    """What a reader of an HTML page gets: the article's text, the page furniture's,
    the links, the images, the head's properties (html.parser, the standard library)."""

    article: list[str]
    furniture: dict[str, list[str]]
    links: list[str]
    images: list[dict[str, str]]
    meta: dict[str, str]
    title: str
    root: dict[str, str]
    tags: list[tuple[str, dict[str, str]]]   # every start tag, in order
    style: str


class _HtmlReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = HtmlPage([], {"header": [], "footer": []}, [], [], {}, "", {}, [], "")
        self.stack: list[tuple[str, str]] = []   # (tag, where its text goes)
        self.where = ""
        self.in_title = self.in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {key: value or "" for key, value in attrs}
        self.page.tags.append((tag, values))
        where = self.where
        if tag == "article":
            where = "article"
        elif tag in ("header", "footer") and "page-" + tag in values.get("class", ""):
            where = tag
        if tag == "html":
            self.page.root = values
        elif tag == "meta" and "name" in values:
            self.page.meta[values["name"]] = values.get("content", "")
        elif tag == "a" and "href" in values:
            self.page.links.append(values["href"])
        elif tag == "img":
            self.page.images.append(values)
        self.in_title |= tag == "title"
        self.in_style |= tag == "style"
        if tag in _HTML_BLOCKS:
            self._text(" ")
        if tag not in ("meta", "img", "br", "hr", "col", "link"):
            self.stack.append((tag, self.where))
            self.where = where

    def handle_endtag(self, tag: str) -> None:
        if tag in _HTML_BLOCKS:
            self._text(" ")
        while self.stack:
            open_tag, where = self.stack.pop()
            if open_tag == tag:
                self.where = where
                break
        self.in_title &= tag != "title"
        self.in_style &= tag != "style"

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.page.title += data
        elif self.in_style:
            self.page.style += data
        else:
            self._text(data)

    def _text(self, data: str) -> None:
        if self.where == "article":
            self.page.article.append(data)
        elif self.where in ("header", "footer"):
            self.page.furniture[self.where].append(data)


def html_page(data: bytes) -> HtmlPage:
    reader = _HtmlReader()
    reader.feed(data.decode("utf-8"))
    reader.close()
    return reader.page


def html_words(data: bytes) -> list[str]:
    """The words of the page's article (its body), in document order; the page
    furniture above and below it left out."""
    return "".join(html_page(data).article).split()


def html_furniture(data: bytes) -> dict[str, list[str]]:
    """The text of the page header and footer, whitespace normalised."""
    furniture = html_page(data).furniture
    return {part: [" ".join("".join(texts).split())] if "".join(texts).strip() else []
            for part, texts in furniture.items()}


# -- plain text --------------------------------------------------------------------------

_DASHES = re.compile(r"^( *)(-+(?:  +-+)*)$")
_LINK_TARGET = re.compile(r"\s<(?:https?|mailto):[^\s<>]*>")
_BULLET_LEAD = re.compile(r"^( *)- ")
_UNDERLINE = re.compile(r"^ *(=+|-+|~+)$")


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def _columns_of(text: str) -> list[int]:
    """The display column at which each character of ``text`` starts."""
    at, out = 0, []
    for char in text:
        out.append(at)
        if not (unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf")):
            at += 2 if _wide(char) else 1
    return out


def _cut(line: str, start: int, end: int | None) -> str:
    """The characters of ``line`` whose display column is in [start, end)."""
    cols = _columns_of(line)
    return "".join(char for char, col in zip(line, cols, strict=True)
                   if col >= start and (end is None or col < end)).strip()


def _joined(lines: list[str]) -> str:
    """Lines of one paragraph back as one text (no space between two wide characters)."""
    out = ""
    for line in lines:
        text = line.strip()
        if out and text and not (_wide(out[-1]) and _wide(text[0])):
            out += " "
        out += text
    return out


def _spans(line: str, spans: list[tuple[int, int]]) -> bool:
    """Whether ``line`` of a text table runs across its columns (a group's row)."""
    cols = dict(zip(_columns_of(line), line, strict=True))
    return any(cols.get(at, " ") != " " for (_, end), (start, _) in itertools.pairwise(spans)
               for at in range(end, start))


def _table_words(lines: list[str], spans: list[tuple[int, int]], header: list[str]) -> str:
    """A text table's cells, row by row and cell by cell (the other formats' order)."""
    starts = [start for start, _ in spans]
    rows: list[list[str]] = []
    multiline = bool(lines) and not lines[0].strip()  # rows one blank line apart
    current: list[str] = []
    for line in lines:
        if not line.strip():
            if current:
                rows.append(current)
            current = []
        elif multiline:
            current.append(line)
        else:
            rows.append([line])
    if current:
        rows.append(current)
    if header:
        rows.insert(0, header)
    cells: list[str] = []
    for row in rows:
        if any(_spans(line, spans) for line in row):  # a group's row: its first cell
            cells.append(_joined(row))
            continue
        for index, start in enumerate(starts):
            end = starts[index + 1] if index + 1 < len(starts) else None
            cells.append(_joined([_cut(line, start, end) for line in row]))
    return " ".join(cells)


def txt_parts(data: bytes) -> list[str]:
    """A text's lines, grouped into blocks (tables whole), with what a reader of the
    other formats reads of each: underlines, rules, bullets and dashes dropped, tables
    read cell by cell."""
    lines = data.decode("utf-8").split("\n")
    out: list[str] = []
    index = 0
    while index < len(lines):
        if not lines[index].strip():
            index += 1
            continue
        end = index
        while end < len(lines) and lines[end].strip():
            end += 1
        block = lines[index:end]
        if len(block) > 1 and _UNDERLINE.match(block[-1]):  # a heading and its underline
            out.append(_joined(block[:-1]))
            index = end
            continue
        dash = next((k for k, line in enumerate(block) if _DASHES.match(line)), None)
        if dash is None:
            out.append(_joined([_BULLET_LEAD.sub(r"\1", line) for line in block]))
            index = end
            continue
        if dash == 0 and len(block) == 1 and len(block[0].split()) == 1:  # a rule
            index = end
            continue
        rule = block[dash]
        match = _DASHES.match(rule)
        assert match is not None
        spans = [(m.start(), m.end()) for m in re.finditer(r"-+", rule)]
        header = block[:dash]
        body: list[str] = []
        cursor = index + dash + 1
        while cursor < len(lines) and lines[cursor] != rule:
            body.append(lines[cursor])
            cursor += 1
        if header:  # the words of any text above the header in the block come first
            out.append(_table_words(body, spans, header))
        else:
            out.append(_table_words(body, spans, []))
        index = cursor + 1
    return out


def txt_words(data: bytes, furniture: frozenset[str] = frozenset()) -> list[str]:
    """The words of a text's body, in order: leading and trailing lines that are page
    furniture (``furniture``: the marking, say) dropped, link targets left out (the
    other formats hold them in the link), headings, rules, bullets and table dashes
    dropped."""
    lines = data.decode("utf-8").split("\n")
    while lines and (not lines[0].strip() or lines[0].strip() in furniture):
        lines.pop(0)
    while lines and (not lines[-1].strip() or lines[-1].strip() in furniture):
        lines.pop()
    text = "\n".join(lines)
    text = _LINK_TARGET.sub("", text)
    return " ".join(txt_parts(text.encode("utf-8"))).split()


def txt_link_targets(data: bytes) -> list[str]:
    return [m.group()[2:-1] for m in _LINK_TARGET.finditer(data.decode("utf-8"))]


# -- any format --------------------------------------------------------------------------


def spanning_rows(data: bytes, fmt: str) -> list[str]:
    """The text of each table row drawn as one cell across its table's columns."""
    if fmt == "pdf":
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            rows = [row for page in pdf.pages for table in page.extract_tables()
                    for row in table]
        return [" ".join((row[0] or "").split()) for row in rows
                if len(row) > 1 and row[0] and all(cell is None for cell in row[1:])]
    if fmt == "docx":
        document = docx.Document(io.BytesIO(data))
        return [" ".join("".join(p.text for p in tr.tc_lst[0].xpath(".//w:t")).split())
                for table in document.tables for tr in table._tbl.tr_lst
                if len(tr.tc_lst) == 1 and len(table.columns) > 1
                and tr.tc_lst[0].grid_span == len(table.columns)]
    if fmt == "html":
        page = data.decode("utf-8")
        out = []
        for table in re.findall(r"<table\b.*?</table>", page, re.S):
            columns = len(re.findall(r"<col\b", table))
            for attrs, inner in re.findall(r"<tr[^>]*>\s*<t[hd]([^>]*)>(.*?)</t[hd]>\s*</tr>",
                                           table, re.S):
                if f'colspan="{columns}"' in attrs:
                    out.append(" ".join(re.sub(r"<[^>]+>", "", inner).split()))
        return out
    if fmt == "txt":
        lines, out, index = data.decode("utf-8").split("\n"), [], 0
        while index < len(lines):
            rule = lines[index]
            spans = [(m.start(), m.end()) for m in re.finditer(r"-+", rule)]
            index += 1
            if not _DASHES.match(rule) or len(spans) < 2:
                continue
            while index < len(lines) and lines[index] != rule:  # the rows, to the last rule
                if _spans(lines[index], spans):
                    out.append(" ".join(lines[index].split()))
                index += 1
            index += 1
        return out
    raise AssertionError(f"no reader of {fmt!r}: add one to tests/extract.py")


def words_of(data: bytes, fmt: str, *, furniture: frozenset[str] = frozenset(),
             repeated_headers: list[list[str]] | None = None) -> list[str]:
    """The words of a document's body as a reader of ``fmt`` gets them, in order, bullet
    glyphs and page furniture left out (a text's furniture lines are ``furniture``; a
    PDF's table header rows repeated on later pages are ``repeated_headers``)."""
    if fmt == "pdf":
        return comparable(pdf_body_words(data, repeated_headers=repeated_headers))
    if fmt == "docx":
        return comparable(docx_words(data))
    if fmt == "html":
        return html_words(data)
    if fmt == "txt":
        return txt_words(data, furniture)
    raise AssertionError(f"no reader of {fmt!r}: add one to tests/extract.py")


def visible_text(data: bytes, fmt: str) -> str:
    """Everything a reader sees, page furniture and properties included."""
    if fmt == "pdf":
        return pdf_text(data)
    if fmt == "docx":
        furniture = docx_furniture(data)
        return " ".join([docx_text(data), *furniture["header"], *furniture["footer"]])
    if fmt == "html":
        page = html_page(data)
        return " ".join(" ".join([*page.article, *page.furniture["header"],
                                  *page.furniture["footer"], page.title, page.style,
                                  *page.meta.values()]).split())
    if fmt == "txt":
        return " ".join(data.decode("utf-8").split())
    raise AssertionError(f"no reader of {fmt!r}: add one to tests/extract.py")


def pdf_raw_strings(data: bytes) -> bytes:
    """The PDF's bytes plus every stream decompressed: wherever a string could hide."""
    chunks = [data]
    for match in re.finditer(rb"stream\r?\n", data):
        end = data.find(b"endstream", match.end())
        try:
            chunks.append(zlib.decompressobj().decompress(data[match.end():end]))
        except zlib.error:
            continue
    return b"\n".join(chunks)


def raw_strings(data: bytes, fmt: str) -> bytes:
    """Every byte a tool could get at: the file, its streams or parts unpacked."""
    if fmt == "pdf":
        return pdf_raw_strings(data)
    if fmt == "docx":
        return b"\n".join([data, *docx_parts(data).values()])
    if fmt in ("html", "txt"):
        return data
    raise AssertionError(f"no reader of {fmt!r}: add one to tests/extract.py")


def pdf_link_targets(data: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(data))
    targets = []
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action is not None and "/URI" in action:
                targets.append(str(action["/URI"]))
    return targets


def docx_link_targets(data: bytes) -> list[str]:
    out = []
    for name, part in docx_parts(data).items():
        if name.endswith(".rels"):
            out += re.findall(r'Target="([^"]*)"', part.decode("utf-8"))
    return out


def link_targets(data: bytes, fmt: str) -> list[str]:
    """The targets of the live links (for text: the ``<target>`` after a link's text)."""
    if fmt == "pdf":
        return pdf_link_targets(data)
    if fmt == "docx":
        return docx_link_targets(data)
    if fmt == "html":
        return html_page(data).links
    if fmt == "txt":
        return txt_link_targets(data)
    raise AssertionError(f"no reader of {fmt!r}: add one to tests/extract.py")


def css_rules(stylesheet: str) -> dict[str, dict[str, str]]:
    """The declarations of each single-class rule (``.name{...}``) of a stylesheet."""
    rules: dict[str, dict[str, str]] = {}
    for name, body in re.findall(r"(?:^|\n|\})\.([A-Za-z0-9_-]+)\{([^{}]*)\}", stylesheet):
        declarations = {}
        for item in body.split(";"):
            prop, _, value = item.partition(":")
            declarations[prop.strip()] = value.strip()
        rules[name] = declarations
    return rules


def _css_family(value: str) -> str:
    first = re.match(r'"((?:[^"\\]|\\.)*)"', value)
    text = first.group(1) if first else value.split(",")[0]
    return re.sub(r"\\([0-9a-fA-F]{1,6}) ?", lambda m: chr(int(m.group(1), 16)), text)


def html_look(data: bytes) -> Look:
    """The look of the article's first paragraph, from the page's stylesheet: its own
    class's text properties, the box of its class or of the section around it."""
    page = html_page(data)
    rules = css_rules(page.style)
    tags = page.tags
    start = next(i for i, (tag, _) in enumerate(tags) if tag == "article")
    index = next(i for i in range(start, len(tags)) if tags[i][0] == "p")
    own = rules[tags[index][1]["class"]]
    around = tags[index - 1][1].get("class", "") if tags[index - 1][0] == "div" else ""
    box = own if ("background-color" in own or "border" in own) else rules.get(around, {})
    border = box.get("border")
    width, _, colour = border.split(" ") if border else ("", "", "")
    alignment = {"start": "left", "end": "right"}.get(own["text-align"], own["text-align"])
    return Look(font=_css_family(own["font-family"]).replace(" ", ""),
                bold=own["font-weight"] == "700", italic=own["font-style"] == "italic",
                size=round(float(own["font-size"].removesuffix("pt")), 2),
                colour=own["color"], alignment=alignment,
                background=box.get("background-color"),
                border=(colour, float(width.removesuffix("pt"))) if border else None)
