"""The document tree: the pivot between templates and writers.

A template turns a readout into a `Document`; a writer turns any `Document` into
bytes. The set of nodes is small and closed, like pandoc's AST: every writer must
handle every node below, and no node exists for one writer's sake. New needs become
a ``style`` name on an existing node, which the theme resolves.

Blocks::

    Heading      a heading of level 1-3 (enters the PDF outline)
    Paragraph    a run of inlines
    BulletList   items, each a tuple of blocks (a nested list is a block of an item)
    Table        columns with relative widths, an optional header row, body rows
    Quote        quoted blocks with an optional attribution line
    Rule         a horizontal line
    Spacer       vertical space, in points
    PageBreak    a forced page break
    Image        a PNG or JPEG, given as bytes, with a width in millimetres
    Chart        a drawing laid out once (boxes, lines, labels in millimetres), with alt text
    Section      a group of blocks under one style (a letterhead, a boxed note)

Inlines::

    Text         literal text, never markup
    Strong       bold inlines
    Emphasis     italic inlines
    Link         inlines that link to an http(s) or mailto target, or to a file beside
                 the document (a bare file name: no scheme, no folder, no '..')
    LineBreak    a line break inside a paragraph
    PageNumber   the current page number (in headers and footers)
    PageCount    the number of pages (in headers and footers)

Every node carries an optional ``style``: a name the theme maps to fonts, sizes,
colours and spacing. On a block, the whole style applies; on an inline, only its font,
weight, slant and colour. A block without a style takes the theme's default for its
kind (``body``, ``heading1``-``heading3``, ``list``, ``table``, ``table-header``,
``quote``, ``attribution``, ``rule``; ``header`` and ``footer`` for page furniture).
A writer ignores a style name the theme does not define.

A passage in another language than the document's (`Metadata.language`) says so: a
`Paragraph` or a `Quote` has a ``lang``, which the blocks inside a quote inherit, and
so does a `Text` (words quoted inside a sentence of the document's language). The
DOCX writer marks its runs ``w:lang``, the HTML writer writes ``lang`` (and ``dir``
when the passage runs the other way), the PDF writer sets its direction and
hyphenation by it and gives a paragraph's or a quote's structure element its /Lang, and
a `Text` a Span element with its /Lang (in a paragraph drawn left to right); plain text
has no way to say it.

A paragraph in the style ``caption`` right after an image is that image's caption
(HTML: its ``<figcaption>``).

A `Chart` is laid out before any writer sees it (`readout.chart`): every box, line
and label has its place, so the PDF (vector) and the DOCX (a picture painted from the
same geometry) show the same drawing. Its parts take theme styles like any node: a box
is filled with its style's ``background`` and outlined with ``border_colour``; a line is
drawn in ``border_colour`` (else ``colour``) at ``border_width``; a label is set in the
style's font, size and colour.

Page furniture is not a node but a property of the `Document`: ``header`` and
``footer`` blocks repeat on every page (they may hold `PageNumber` and `PageCount`).
``first_header``, when not ``None``, replaces ``header`` on page 1 only (an empty tuple
leaves page 1 without a header, e.g. under a letterhead); the footer is the same on
every page.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, TypeAlias, get_args


@dataclass(frozen=True, slots=True)
class Text:
    """Literal text; writers print it exactly, never interpret it. ``lang`` (a BCP 47
    tag) when it is in another language than its paragraph's."""

    text: str
    style: str | None = None
    lang: str | None = None


@dataclass(frozen=True, slots=True)
class Strong:
    children: tuple[Inline, ...]
    style: str | None = None


@dataclass(frozen=True, slots=True)
class Emphasis:
    children: tuple[Inline, ...]
    style: str | None = None


@dataclass(frozen=True, slots=True)
class Link:
    """A live link. ``target`` is http(s) or mailto, or a sibling file (a bare file name,
    `safe_text.is_sibling_file`) that the caller let the template name; the reader
    refuses any other."""

    target: str
    children: tuple[Inline, ...]
    style: str | None = None


@dataclass(frozen=True, slots=True)
class LineBreak:
    style: str | None = None


@dataclass(frozen=True, slots=True)
class PageNumber:
    style: str | None = None


@dataclass(frozen=True, slots=True)
class PageCount:
    style: str | None = None


Inline: TypeAlias = Text | Strong | Emphasis | Link | LineBreak | PageNumber | PageCount


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading; ``level`` is 1, 2 or 3. Headings form the PDF outline."""

    level: int
    children: tuple[Inline, ...]
    style: str | None = None


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A run of inlines; ``lang`` (a BCP 47 tag) when it is in another language than
    the document's."""

    children: tuple[Inline, ...]
    style: str | None = None
    lang: str | None = None


@dataclass(frozen=True, slots=True)
class BulletList:
    """A bulleted list; each item is a tuple of blocks (paragraphs, a nested list)."""

    items: tuple[tuple[Block, ...], ...]
    style: str | None = None


@dataclass(frozen=True, slots=True)
class Cell:
    children: tuple[Inline, ...]
    style: str | None = None


@dataclass(frozen=True, slots=True)
class Row:
    """A table row. ``group``: the row names the group of rows after it (a delegation
    over its members) in its first cell, which spans the row; its other cells are
    empty. Read as a heading of those rows (a PDF's TH spanning the columns, HTML's
    ``<th colspan scope="rowgroup">``)."""

    cells: tuple[Cell, ...]
    style: str | None = None
    group: bool = False


@dataclass(frozen=True, slots=True)
class Table:
    """A table. ``widths`` are relative column widths that sum to about 1.

    ``header`` is repeated on every page a table spans; every row has
    ``len(widths)`` cells. A table without a header reads as key and value (meeting
    facts): each row's first cell heads the row (a PDF's TH with /Scope /Row, a DOCX's
    first column).
    """

    widths: tuple[float, ...]
    header: Row | None
    rows: tuple[Row, ...]
    style: str | None = None


@dataclass(frozen=True, slots=True)
class Quote:
    """Quoted blocks, set off from the text, with an optional attribution; ``lang``
    (a BCP 47 tag) when the words quoted are in another language than the document's
    (the attribution is in the document's)."""

    children: tuple[Block, ...]
    attribution: tuple[Inline, ...] = ()
    style: str | None = None
    lang: str | None = None


@dataclass(frozen=True, slots=True)
class Rule:
    style: str | None = None


@dataclass(frozen=True, slots=True)
class Spacer:
    height: float
    style: str | None = None


@dataclass(frozen=True, slots=True)
class PageBreak:
    style: str | None = None


@dataclass(frozen=True, slots=True)
class Image:
    """A PNG or JPEG image, ``width_mm`` wide (height keeps the aspect ratio)."""

    data: bytes
    width_mm: float
    alt: str = ""
    style: str | None = None


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle of a chart: top-left corner and size, in millimetres."""

    x: float
    y: float
    width: float
    height: float
    style: str | None = None


@dataclass(frozen=True, slots=True)
class Line:
    """A straight line of a chart, from (x1, y1) to (x2, y2), in millimetres."""

    x1: float
    y1: float
    x2: float
    y2: float
    style: str | None = None


Anchor: TypeAlias = Literal["start", "middle", "end"]


@dataclass(frozen=True, slots=True)
class Label:
    """One line of text of a chart; ``y`` is its baseline, ``x`` where ``anchor`` sits."""

    x: float
    y: float
    text: str
    anchor: Anchor = "start"
    style: str | None = None


Shape: TypeAlias = Box | Line | Label


@dataclass(frozen=True, slots=True)
class Chart:
    """A drawing ``width_mm`` x ``height_mm``, its shapes painted in order (y runs down
    from the top edge). ``alt`` says in words what it shows, for those who cannot see it."""

    width_mm: float
    height_mm: float
    shapes: tuple[Shape, ...]
    alt: str
    style: str | None = None


@dataclass(frozen=True, slots=True)
class Section:
    """Blocks grouped under one style, e.g. a letterhead or a boxed banner."""

    children: tuple[Block, ...]
    style: str | None = None


Block: TypeAlias = (
    Heading
    | Paragraph
    | BulletList
    | Table
    | Quote
    | Rule
    | Spacer
    | PageBreak
    | Image
    | Chart
    | Section
)

BLOCK_TYPES: tuple[type, ...] = get_args(Block)
INLINE_TYPES: tuple[type, ...] = get_args(Inline)


@dataclass(frozen=True, slots=True)
class Metadata:
    """Document properties; ``created`` fixes every date a writer stores.

    ``classification`` is the document's protective marking ("" for a public
    document): writers record it among the document's properties (`marked_subject`
    in the PDF Subject and DOCX subject, and a DOCX custom property).
    """

    title: str
    author: str = ""
    subject: str = ""
    keywords: tuple[str, ...] = ()
    language: str = "en"
    created: datetime = datetime(2000, 1, 1)
    classification: str = ""

    @property
    def marked_subject(self) -> str:
        """The subject, led by the marking when there is one: "SECRET — Internal brief"."""
        if not self.classification:
            return self.subject
        return f"{self.classification} — {self.subject}" if self.subject else self.classification


@dataclass(frozen=True, slots=True, weakref_slot=True)  # `coverage` remembers the last
class Document:
    """A whole document: page furniture repeated on every page, and the body.

    ``first_header`` is the header of page 1: ``None`` (the default) gives page 1
    ``header`` like every other page; ``()`` gives it no header.
    """

    metadata: Metadata
    body: tuple[Block, ...]
    header: tuple[Block, ...] = ()
    footer: tuple[Block, ...] = ()
    first_header: tuple[Block, ...] | None = None


def blocks_within(blocks: tuple[Block, ...]) -> Iterator[Block]:
    """Every block of ``blocks`` and, depth first, the blocks inside them (a section's,
    a quote's, a list item's), in reading order: for what looks at a tree whole."""
    for block in blocks:
        yield block
        if isinstance(block, (Section, Quote)):
            yield from blocks_within(block.children)
        elif isinstance(block, BulletList):
            for item in block.items:
                yield from blocks_within(item)


def plain_text(inlines: tuple[Inline, ...]) -> str:
    """The text a reader sees in ``inlines``, page numbers aside."""
    parts: list[str] = []
    for node in inlines:
        if isinstance(node, Text):
            parts.append(node.text)
        elif isinstance(node, (Strong, Emphasis, Link)):
            parts.append(plain_text(node.children))
        elif isinstance(node, LineBreak):
            parts.append("\n")
    return "".join(parts)


def has_counters(inlines: tuple[Inline, ...]) -> bool:
    """Whether ``inlines`` hold a page number or count (a line of page furniture such as
    "Page 2 of 3", which only paged formats can show)."""
    return any(isinstance(node, (PageNumber, PageCount))
               or (isinstance(node, (Strong, Emphasis, Link)) and has_counters(node.children))
               for node in inlines)
