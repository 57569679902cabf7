"""Read the small XML a template renders into a `tree.Document`.

The markup is closed: an element or attribute not listed below is a `TemplateError`
that names the template, the element and the line and column of the rendered markup
(`templating` maps them back to the template's own line). A ``style`` that is not one
of the theme's styles is an error too, with a suggestion, when the caller gives the
theme's style names. DOCTYPE and entity declarations are refused, so no markup can
expand or fetch anything.

::

    <document title author subject language>      (attributes override the metadata
      <header>…</header> <footer>…</footer>        given by the caller; the theme is
                                                   chosen when rendering, not here)
      <first-header>…</first-header>                   (optional: the header of page 1)
      <body>…</body>
    </document>

    blocks   <h1|h2|h3 style>inlines</h1>    <p style lang>inlines</p>
             <ul style><li>inlines | <p>, <ul></li></ul>
             <table widths="0.5 0.25 0.25" style>
               <thead><tr><td style>inlines</td>…</tr></thead>  <tr style><td>…</td></tr>
             </table>
             <quote style lang><p>…</p> <attribution>inlines</attribution></quote>
             <section style>blocks</section>   <hr style/>   <spacer height="6" style/>
             <pagebreak/>   <img src="logo" width-mm="20" alt="…" style/>
             <chart src="actions" alt="…" style/>
    inlines  <b style> <i style> <a href style> <span style lang> <br/>
             <page-number style/> <page-count style/>

``<header>``, ``<first-header>``, ``<footer>`` and ``<body>`` may each appear once, in any
order, and hold blocks. ``<first-header>`` replaces ``<header>`` on page 1 only; an empty
``<first-header/>`` leaves page 1 without a header (the footer is the same on every page).

``<img src>`` is a key of the ``images`` the caller passes, never a path: the reader
opens no file; ``<chart src>`` likewise names one of the ``charts`` (laid out already,
see `readout.chart`), and its ``alt``, when given, replaces the chart's own. ``<a href>``
must be http(s) or mailto, or one of the ``siblings`` the caller passes: names of files
beside the document (a series digest links to its members' documents). Whitespace
inside text collapses to one space and is stripped at the edges of a block (and around
``<br/>``), so template indentation never reaches the document; a no-break space
(U+00A0) is kept.
``lang`` is a BCP 47 tag (``ru``, ``hi-IN``): the language of a passage in another
language than the document's; empty, it says nothing.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Collection, Mapping
from pyexpat import ExpatError, ParserCreate
from typing import Any, ClassVar, NoReturn

from . import tree
from .errors import TemplateError
from .safe_text import is_safe_target, is_sibling_file

_SPACE = re.compile(r"[ \t\r\n]+")


def _collapsed(text: str) -> str:
    """``text`` with each run of XML whitespace as one space (a no-break space kept);
    most text has nothing to collapse, and is returned as it is."""
    if "\n" in text or "  " in text or "\t" in text or "\r" in text:
        return _SPACE.sub(" ", text)
    return text
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")

_BLOCK_ATTRS: dict[str, frozenset[str]] = {
    "h1": frozenset({"style"}), "h2": frozenset({"style"}), "h3": frozenset({"style"}),
    "p": frozenset({"style", "lang"}), "ul": frozenset({"style"}),
    "table": frozenset({"widths", "style"}), "quote": frozenset({"style", "lang"}),
    "section": frozenset({"style"}), "hr": frozenset({"style"}),
    "spacer": frozenset({"height", "style"}), "pagebreak": frozenset({"style"}),
    "img": frozenset({"src", "width-mm", "alt", "style"}),
    "chart": frozenset({"src", "alt", "style"}),
}
_INLINE_ATTRS: dict[str, frozenset[str]] = {
    "b": frozenset({"style"}), "i": frozenset({"style"}), "a": frozenset({"href", "style"}),
    "span": frozenset({"style", "lang"}), "br": frozenset(), "page-number": frozenset({"style"}),
    "page-count": frozenset({"style"}),
}
_OTHER_ATTRS: dict[str, frozenset[str]] = {
    "document": frozenset({"title", "author", "subject", "language"}),
    "header": frozenset(), "first-header": frozenset(), "footer": frozenset(),
    "body": frozenset(), "li": frozenset(),
    "thead": frozenset(), "tr": frozenset({"style", "group"}), "td": frozenset({"style"}),
    "attribution": frozenset(),
}
KNOWN_ELEMENTS = frozenset(_BLOCK_ATTRS) | frozenset(_INLINE_ATTRS) | frozenset(_OTHER_ATTRS)


@dataclasses.dataclass(frozen=True, slots=True)
class StyleNames:
    """The styles a document may name: those of the theme it will be rendered with."""

    theme: str
    names: Collection[str]


def read(xml_text: str, *, name: str = "<template>", images: Mapping[str, bytes] | None = None,
         metadata: tree.Metadata | None = None,
         styles: StyleNames | None = None,
         charts: Mapping[str, tree.Chart] | None = None,
         siblings: frozenset[str] = frozenset()) -> tree.Document:
    """The document that ``xml_text`` describes.

    ``name`` is the template that rendered it (for messages); ``images`` maps the
    ``src`` of each allowed ``<img>`` to its bytes, ``charts`` that of each ``<chart>``
    to the chart; ``siblings`` are the file names an ``<a href>`` may name (each a
    bare name, see `safe_text.is_sibling_file`); ``metadata`` is the base the ``<document>``
    attributes override (``Metadata(title="")`` when ``None``); ``styles``, when given,
    are the only style names the markup may use. A problem's line and column are those
    of the rendered markup.
    """
    root = _parse_plain(xml_text)
    places: _Places
    if root is None:
        root, places = _parse(xml_text, name)
    else:
        places = _LatePlaces(root, xml_text, name)
    reader = _Reader(name, places, images or {}, xml_text.splitlines(), styles, charts or {},
                     frozenset(s for s in siblings if is_sibling_file(s)))
    return reader.document(root, metadata or tree.Metadata(title=""))


def _parse_plain(xml_text: str) -> ET.Element | None:
    """The elements of markup with no declaration, comment, processing instruction or
    namespace in it (what templates render), parsed by the C parser alone, without a
    callback per element; ``None`` for any other markup, or any the C parser refuses:
    `_parse` then parses it again with each element's place, refusing what it must, or
    failing with its exact message."""
    if "<!" in xml_text or "<?" in xml_text or "xmlns" in xml_text or "xml:" in xml_text:
        return None
    parser = ET.XMLParser()
    try:
        parser.feed(xml_text)
        return parser.close()
    except ET.ParseError:
        return None


class _LatePlaces:
    """Each element's line and column, found only when a problem needs one: by parsing
    the markup again with places (`_parse`) and taking the element at the same place in
    document order."""

    def __init__(self, root: ET.Element, xml_text: str, name: str) -> None:
        self.root, self.xml_text, self.name = root, xml_text, name

    def get(self, key: int, default: tuple[int, int]) -> tuple[int, int]:
        order = next((index for index, element in enumerate(self.root.iter())
                      if id(element) == key), None)
        if order is None:
            return default
        again, places = _parse(self.xml_text, self.name)
        for index, element in enumerate(again.iter()):
            if index == order:
                return places.get(id(element), default)
        return default


_Places = dict[int, tuple[int, int]] | _LatePlaces


def _parse(xml_text: str, name: str) -> tuple[ET.Element, dict[int, tuple[int, int]]]:
    """Parse with expat, refusing DTDs; return the root and each element's line and
    column (1-based)."""
    builder = ET.TreeBuilder()
    parser = ParserCreate()
    places: dict[int, tuple[int, int]] = {}

    def refuse(*_: Any) -> NoReturn:
        raise TemplateError.single(name, "The rendered markup declares a DOCTYPE or an "
                                   "entity; templates may not.", line=parser.CurrentLineNumber,
                                   column=parser.CurrentColumnNumber + 1)

    def start(tag: str, attrs: dict[str, str]) -> None:
        places[id(builder.start(tag, attrs))] = (parser.CurrentLineNumber,
                                                 parser.CurrentColumnNumber + 1)

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    parser.StartElementHandler = start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    parser.buffer_text = True
    try:
        parser.Parse(xml_text, True)
    except ExpatError as exc:
        rendered = xml_text.splitlines()
        line = rendered[exc.lineno - 1].strip() if 0 < exc.lineno <= len(rendered) else ""
        raise TemplateError.single(
            name, f"The template rendered malformed markup ({_expat_message(exc)}; "
            f"rendered: {line[:100]!r}).", line=exc.lineno, column=exc.offset + 1) from None
    finally:  # the handlers close over the parser: let go of them, and it is freed
        for handler in _HANDLERS:
            setattr(parser, handler, None)
    return builder.close(), places


_HANDLERS = ("StartDoctypeDeclHandler", "EntityDeclHandler", "UnparsedEntityDeclHandler",
             "ExternalEntityRefHandler", "StartElementHandler", "EndElementHandler",
             "CharacterDataHandler")


def _expat_message(exc: ExpatError) -> str:
    return str(exc).split(":", 1)[0]


class _Reader:
    """Turns elements into nodes; one method per element kind, failing on the unknown."""

    def __init__(self, name: str, places: _Places,
                 images: Mapping[str, bytes], source: list[str],
                 styles: StyleNames | None, charts: Mapping[str, tree.Chart],
                 siblings: frozenset[str]) -> None:
        self.name = name
        self.source = source
        self.places = places
        self.images = images
        self.styles = styles
        self.charts = charts
        self.siblings = siblings

    # -- errors and checks ---------------------------------------------------------------

    def fail(self, element: ET.Element, message: str) -> NoReturn:
        line, column = self.places.get(id(element), (0, 0))
        if 0 < line <= len(self.source):
            message += f" (rendered: {self.source[line - 1].strip()[:100]!r})"
        raise TemplateError.single(self.name, message, line=line, column=column)

    def check(self, element: ET.Element, allowed: frozenset[str]) -> None:
        if element.attrib and not allowed.issuperset(element.attrib):
            unknown = sorted(set(element.attrib) - allowed)
            choices = ", ".join(sorted(allowed)) or "none"
            self.fail(element, f"<{element.tag}> has no attribute {unknown[0]!r} "
                               f"(its attributes: {choices}).")
        style = element.get("style")
        if style is not None and self.styles is not None and style not in self.styles.names:
            guess = difflib.get_close_matches(style, sorted(self.styles.names), n=1)
            hint = (f"did you mean {guess[0]!r}?" if guess else
                    f"its styles are: {', '.join(sorted(self.styles.names))}.")
            self.fail(element, f'<{element.tag} style="{style}">: the theme '
                               f"{self.styles.theme!r} has no style {style!r}; {hint}")

    def unknown(self, element: ET.Element, where: str, expected: str) -> NoReturn:
        known = element.tag in KNOWN_ELEMENTS
        what = "is not allowed" if known else "is not a known element"
        self.fail(element, f"<{element.tag}> {what} in <{where}>; expected {expected}.")

    def no_text(self, element: ET.Element, text: str | None) -> None:
        if text and text.strip():
            self.fail(element, f"Text {text.strip()[:40]!r} stands directly in "
                               f"<{element.tag}>; put it in a <p>.")

    # -- the document ----------------------------------------------------------------------

    def document(self, root: ET.Element, base: tree.Metadata) -> tree.Document:
        if root.tag != "document":
            self.fail(root, f"The markup must start with <document>, not <{root.tag}>.")
        if "theme" in root.attrib:
            self.fail(root, "<document theme=...> is not read: a document's theme is chosen "
                            "when it is rendered (readout render --theme FILE, or theme= in "
                            "Python); remove the attribute.")
        self.check(root, _OTHER_ATTRS["document"])
        self.no_text(root, root.text)
        parts: dict[str, tuple[tree.Block, ...]] = {}
        for child in root:
            self.no_text(root, child.tail)
            if child.tag not in ("header", "first-header", "footer", "body"):
                self.unknown(child, "document",
                             "<header>, <first-header>, <footer> or <body>")
            if child.tag in parts:
                self.fail(child, f"<document> has more than one <{child.tag}>.")
            self.check(child, _OTHER_ATTRS[child.tag])
            parts[child.tag] = self.block_children(child)
        if "body" not in parts:
            self.fail(root, "<document> has no <body>.")
        attrs = root.attrib
        metadata = dataclasses.replace(
            base, title=attrs.get("title", base.title), author=attrs.get("author", base.author),
            subject=attrs.get("subject", base.subject),
            language=attrs.get("language", base.language))
        return tree.Document(metadata=metadata, body=parts["body"],
                             header=parts.get("header", ()), footer=parts.get("footer", ()),
                             first_header=parts.get("first-header"))

    # -- blocks ------------------------------------------------------------------------------

    def block_children(self, element: ET.Element) -> tuple[tree.Block, ...]:
        self.no_text(element, element.text)
        blocks: list[tree.Block] = []
        for child in element:
            blocks.append(self.block(child, element.tag))
            self.no_text(element, child.tail)
        return tuple(blocks)

    def block(self, element: ET.Element, where: str) -> tree.Block:
        handler = self.BLOCKS.get(element.tag)
        if handler is None:
            self.unknown(element, where, "a block (" + ", ".join(
                f"<{tag}>" for tag in self.BLOCKS) + ")")
        self.check(element, _BLOCK_ATTRS[element.tag])
        return handler(self, element)

    def heading(self, element: ET.Element) -> tree.Block:
        return tree.Heading(int(element.tag[1]), self.inlines(element), element.get("style"))

    def paragraph(self, element: ET.Element) -> tree.Block:
        return tree.Paragraph(self.inlines(element), element.get("style"), self.lang(element))

    def lang(self, element: ET.Element) -> str | None:
        """The ``lang`` of ``element``: a BCP 47 tag, or ``None`` when it has none."""
        value = (element.get("lang") or "").strip()
        if not value:
            return None
        if not _LANGUAGE_TAG.fullmatch(value):
            self.fail(element, f"<{element.tag} lang={value!r}> is not a language tag; use "
                               "a BCP 47 tag such as en, hi-IN or ru.")
        return value

    def section(self, element: ET.Element) -> tree.Block:
        return tree.Section(self.block_children(element), element.get("style"))

    def rule(self, element: ET.Element) -> tree.Block:
        self.empty(element)
        return tree.Rule(element.get("style"))

    def page_break(self, element: ET.Element) -> tree.Block:
        self.empty(element)
        return tree.PageBreak(element.get("style"))

    def spacer(self, element: ET.Element) -> tree.Block:
        self.empty(element)
        return tree.Spacer(self.number(element, "height"),
                           element.get("style"))

    def image(self, element: ET.Element) -> tree.Block:
        self.empty(element)
        src = element.get("src")
        if src is None or src not in self.images:
            allowed = ", ".join(repr(key) for key in sorted(self.images)) or "none"
            self.fail(element, f"<img src={src!r}> names no image this document may use "
                               f"(available: {allowed}).")
        return tree.Image(self.images[src], self.number(element, "width-mm"),
                          alt=element.get("alt", ""), style=element.get("style"))

    def chart(self, element: ET.Element) -> tree.Block:
        self.empty(element)
        src = element.get("src")
        if src is None or src not in self.charts:
            allowed = ", ".join(repr(key) for key in sorted(self.charts)) or "none"
            self.fail(element, f"<chart src={src!r}> names no chart this document may use "
                               f"(available: {allowed}).")
        chart = self.charts[src]
        alt = element.get("alt")
        return dataclasses.replace(chart, alt=alt if alt is not None else chart.alt,
                                   style=element.get("style"))

    def bullet_list(self, element: ET.Element) -> tree.Block:
        self.no_text(element, element.text)
        items: list[tuple[tree.Block, ...]] = []
        for child in element:
            self.no_text(element, child.tail)
            if child.tag != "li":
                self.unknown(child, "ul", "<li>")
            self.check(child, _OTHER_ATTRS["li"])
            items.append(self.item(child))
        return tree.BulletList(tuple(items), element.get("style"))

    def item(self, element: ET.Element) -> tuple[tree.Block, ...]:
        """An item: inlines become a paragraph; <p> and <ul> children are blocks."""
        blocks: list[tree.Block] = []
        raw: list[_Raw] = [element.text or ""]

        def flush() -> None:
            inlines = _tidy(raw)
            if inlines:
                blocks.append(tree.Paragraph(inlines))
            raw.clear()

        for child in element:
            if child.tag in ("p", "ul"):
                flush()
                blocks.append(self.block(child, "li"))
            else:
                raw.extend(self.inline(child, "li"))
            raw.append(child.tail or "")
        flush()
        return tuple(blocks)

    def table(self, element: ET.Element) -> tree.Block:
        self.no_text(element, element.text)
        widths = self.widths(element)
        header: tree.Row | None = None
        rows: list[tree.Row] = []
        for child in element:
            self.no_text(element, child.tail)
            if child.tag == "thead" and header is None and not rows:
                self.check(child, _OTHER_ATTRS["thead"])
                self.no_text(child, child.text)
                head_rows = list(child)
                if len(head_rows) != 1 or head_rows[0].tag != "tr":
                    self.fail(child, "<thead> holds exactly one <tr>.")
                self.no_text(child, head_rows[0].tail)
                header = self.row(head_rows[0], len(widths))
            elif child.tag == "tr":
                rows.append(self.row(child, len(widths)))
            else:
                self.unknown(child, "table", "one <thead> first, then <tr> rows")
        return tree.Table(widths, header, tuple(rows), element.get("style"))

    def widths(self, element: ET.Element) -> tuple[float, ...]:
        text = element.get("widths")
        if text is None:
            self.fail(element, "<table> needs widths, e.g. widths=\"0.6 0.4\".")
        try:
            widths = tuple(float(part) for part in text.split())
        except ValueError:
            self.fail(element, f"<table widths={text!r}> must be numbers separated by spaces.")
        if not widths or any(not 0 < w <= 1 for w in widths):
            self.fail(element, f"<table widths={text!r}> must be numbers between 0 and 1.")
        return widths

    def row(self, element: ET.Element, columns: int) -> tree.Row:
        self.check(element, _OTHER_ATTRS["tr"])
        self.no_text(element, element.text)
        cells: list[tree.Cell] = []
        for child in element:
            self.no_text(element, child.tail)
            if child.tag != "td":
                self.unknown(child, "tr", "<td>")
            self.check(child, _OTHER_ATTRS["td"])
            cells.append(tree.Cell(self.inlines(child), child.get("style")))
        if len(cells) != columns:
            self.fail(element, f"This row has {len(cells)} cells; the table has {columns} "
                               "columns (widths).")
        group = element.get("group", "false")
        if group not in ("true", "false"):
            self.fail(element, f'<tr group="{group}">: write group="true" for a row that '
                               'names the group of rows after it, or leave it out.')
        if group == "true" and any(cell.children for cell in cells[1:]):
            self.fail(element, '<tr group="true"> names its group in its first cell, which '
                               "spans the row: leave its other cells empty.")
        return tree.Row(tuple(cells), element.get("style"), group=group == "true")

    def quote(self, element: ET.Element) -> tree.Block:
        self.no_text(element, element.text)
        children: list[tree.Block] = []
        attribution: tuple[tree.Inline, ...] = ()
        for child in element:
            self.no_text(element, child.tail)
            if child.tag == "attribution":
                self.check(child, _OTHER_ATTRS["attribution"])
                attribution = self.inlines(child)
            else:
                children.append(self.block(child, "quote"))
        return tree.Quote(tuple(children), attribution, element.get("style"),
                          self.lang(element))

    def empty(self, element: ET.Element) -> None:
        if len(element) or (element.text and element.text.strip()):
            self.fail(element, f"<{element.tag}/> must be empty.")

    def number(self, element: ET.Element, attribute: str) -> float:
        text = element.get(attribute)
        if text is None:
            self.fail(element, f"<{element.tag}> needs a {attribute} attribute.")
        try:
            value = float(text)
        except ValueError:
            value = -1.0
        if not 0 <= value < 10_000:
            self.fail(element, f"<{element.tag} {attribute}={text!r}> must be a number "
                               "from 0 up.")
        return value

    # -- inlines -----------------------------------------------------------------------------

    def inlines(self, element: ET.Element) -> tuple[tree.Inline, ...]:
        """The tidied inline content of a block-level element that holds text."""
        if not len(element):  # text alone (most paragraphs and cells): what _tidy makes
            text = _collapsed(element.text or "").strip(" ")
            return (tree.Text(text),) if text else ()
        raw: list[_Raw] = [element.text or ""]
        for child in element:
            raw.extend(self.inline(child, element.tag))
            raw.append(child.tail or "")
        return _tidy(raw)

    def inline(self, element: ET.Element, where: str) -> list[_Raw]:
        """One inline element as raw pieces (whitespace not yet tidied)."""
        tag = element.tag
        if tag not in _INLINE_ATTRS:
            self.unknown(element, where, "text or an inline (" + ", ".join(
                f"<{known}>" for known in _INLINE_ATTRS) + ")")
        self.check(element, _INLINE_ATTRS[tag])
        style = element.get("style")
        if tag in ("br", "page-number", "page-count"):
            self.empty(element)
            leaf: dict[str, tree.Inline] = {"br": tree.LineBreak(), "page-number":
                                            tree.PageNumber(style), "page-count":
                                            tree.PageCount(style)}
            return [leaf[tag]]
        raw: list[_Raw] = [element.text or ""]
        for child in element:
            raw.extend(self.inline(child, tag))
            raw.append(child.tail or "")
        if tag == "span":
            lang = self.lang(element)
            return [_Styled(piece, style, lang) if style or lang else piece for piece in raw]
        kind: type[_Wrap] = {"b": _StrongRaw, "i": _EmphasisRaw, "a": _LinkRaw}[tag]
        href = ""
        if tag == "a":
            href = element.get("href") or ""
            if not (is_safe_target(href) or href in self.siblings):
                self.fail(element, f"<a href={href!r}>: a link must be http://, https:// or "
                                   "mailto:, or a document this one may link to.")
        return [kind(raw, style, href)]

    # The reader of each block element, as plain functions: bound methods kept on the
    # reader would hold it in a reference cycle, left to the garbage collector.
    BLOCKS: ClassVar[dict[str, Callable[[_Reader, ET.Element], tree.Block]]] = {
        "h1": heading, "h2": heading, "h3": heading, "p": paragraph,
        "ul": bullet_list, "table": table, "quote": quote,
        "section": section, "hr": rule, "spacer": spacer,
        "pagebreak": page_break, "img": image, "chart": chart,
    }


# -- whitespace tidying ------------------------------------------------------------------------
# Inline content is first collected as "raw" pieces: strings (untidied text), finished leaf
# inlines, styled text and wrappers. `_tidy` then collapses whitespace across the whole run
# of a block (a space at the end of <b>x </b> and one at the start of the next text count
# once) and strips it at the block's edges and around line breaks.


@dataclasses.dataclass(slots=True)
class _Styled:
    piece: _Raw
    style: str | None
    lang: str | None = None


@dataclasses.dataclass(slots=True)
class _Wrap:
    children: list[_Raw]
    style: str | None
    href: str = ""


class _StrongRaw(_Wrap):
    pass


class _EmphasisRaw(_Wrap):
    pass


class _LinkRaw(_Wrap):
    pass


_Raw = str | tree.Inline | _Styled | _Wrap


def _tidy(raw: list[_Raw]) -> tuple[tree.Inline, ...]:
    state = _TidyState()
    nodes = state.build(raw, None, None)
    _strip_end(nodes)
    return tuple(node for node in map(_frozen, nodes) if node is not None)


_TEXT, _LEAF, _STRONG, _EMPHASIS, _LINK = range(5)
_WRAP_KINDS: dict[type, int] = {}  # filled below, once the wrapper classes exist


class _TidyState:
    """Walks the raw pieces in reading order, remembering whether a space is due."""

    def __init__(self) -> None:
        self.at_line_start = True
        self.after_space = False

    def build(self, raw: list[_Raw], style: str | None, lang: str | None) -> list[_Node]:
        out: list[_Node] = []
        for piece in raw:
            if type(piece) is str:
                text = self.text(piece)
                if text:
                    out.append(_Node(_TEXT, text, style, None, None, lang))
            elif isinstance(piece, _Styled):
                out.extend(self.build([piece.piece], piece.style or style, piece.lang or lang))
            elif isinstance(piece, _Wrap):
                children = self.build(piece.children, None, lang)
                out.append(_Node(_WRAP_KINDS.get(type(piece), _LINK), piece.href,
                                 piece.style or style, children, None, None))
            elif isinstance(piece, tree.LineBreak):
                _strip_end(out)
                out.append(_Node(_LEAF, "", None, None, piece, None))
                self.at_line_start, self.after_space = True, False
            elif isinstance(piece, str):  # a str subclass: text like any other
                text = self.text(piece)
                if text:
                    out.append(_Node(_TEXT, text, style, None, None, lang))
            else:
                leaf = piece if piece.style or style is None else dataclasses.replace(
                    piece, style=style)
                out.append(_Node(_LEAF, "", None, None, leaf, None))
                self.at_line_start, self.after_space = False, False
        return out

    def text(self, text: str) -> str:
        text = _collapsed(text)
        if text.startswith(" ") and (self.at_line_start or self.after_space):
            text = text[1:]
        if text:
            self.at_line_start = False
            self.after_space = text.endswith(" ")
        return text


class _Node:
    """A mutable inline while tidying; frozen into a `tree` node at the end. ``text``
    is a text's text or a link's target; ``children``, a wrapper's (else ``None``)."""

    __slots__ = ("children", "kind", "lang", "leaf", "style", "text")

    def __init__(self, kind: int, text: str, style: str | None,
                 children: list[_Node] | None, leaf: tree.Inline | None,
                 lang: str | None) -> None:
        self.kind, self.text, self.style = kind, text, style
        self.children, self.leaf, self.lang = children, leaf, lang


def _strip_end(nodes: list[_Node]) -> None:
    """Remove trailing spaces at the end of ``nodes`` (recursing into the last wrapper)."""
    while nodes:
        last = nodes[-1]
        if last.kind == _TEXT:
            last.text = last.text.rstrip(" ")
            if last.text:
                return
            nodes.pop()
        elif last.kind == _LEAF:
            return
        else:
            assert last.children is not None
            _strip_end(last.children)
            if last.children:
                return
            nodes.pop()


def _frozen(node: _Node) -> tree.Inline | None:
    kind = node.kind
    if kind == _TEXT:
        return tree.Text(node.text, node.style, node.lang) if node.text else None
    if kind == _LEAF:
        return node.leaf
    assert node.children is not None
    children = tuple(child for child in map(_frozen, node.children) if child is not None)
    if not children:
        return None
    if kind == _STRONG:
        return tree.Strong(children, node.style)
    if kind == _EMPHASIS:
        return tree.Emphasis(children, node.style)
    return tree.Link(node.text, children, node.style)


_WRAP_KINDS.update({_StrongRaw: _STRONG, _EmphasisRaw: _EMPHASIS})
