"""The plain-text writer: a `Document` in, UTF-8 text for an e-mail out.

The same words in the same order as the other formats, in lines at most 72 columns
wide (`wrap`), blocks one blank line apart:

* headings underlined with ``=`` (level 1), ``-`` (2) or ``~`` (3), as wide as the text;
* list items led by ``- ``, nested lists two columns further in, wrapped lines hung
  under the item's text;
* quotes indented four columns, their attribution under them;
* tables as aligned columns (`table`);
* a rule as a line of dashes; centred and right-aligned styles keep their alignment;
* a live link (http(s), mailto) as ``text <target>``, or just its text when that is
  the address itself; an image as nothing (its caption is a paragraph of its own);
  a chart as its text equivalent (its ``alt``), a paragraph in ``chart-text``.

The page furniture of page 1 (``first_header``, else ``header``) is printed above the
body and the footer under it, without the paragraphs that count pages: an internal
document's marking banners are its first and last lines. A theme's watermark (DRAFT)
is a centred line of its own under the header. Theme styles matter only for
alignment; nothing here reads a font.
"""

from __future__ import annotations

from dataclasses import dataclass

from ... import tree as t
from ...coverage import require_fonts
from ...errors import RenderError
from ...safe_text import is_safe_target, printable
from ...themes import Alignment, Style, Theme
from ...tree import Document
from .table import table_lines
from .wrap import place, width, wrap_lines

__all__ = ["write"]

COLUMNS = 72
QUOTE_INDENT = 4
LIST_INDENT = 2
BULLET = "- "
UNDERLINES = {1: "=", 2: "-", 3: "~"}
_ALIGN = {Alignment.CENTER: "center", Alignment.RIGHT: "right"}


def write(document: Document, theme: Theme) -> bytes:
    """The text of ``document``, UTF-8, lines at most 72 columns (but for a word wider).

    A character no font of the theme has is refused as in every format, so that all
    formats of a document carry one text."""
    require_fonts(document, theme)
    top_blocks = document.header if document.first_header is None else document.first_header
    mark = theme.watermark
    parts = [
        _Writer(theme, "header").section(_without_counters(top_blocks)),
        place(printable(mark.text), COLUMNS, "center") if mark is not None else "",
        _Writer(theme, "body").section(document.body),
        _Writer(theme, "footer").section(_without_counters(document.footer)),
    ]
    text = "\n\n".join(part for part in parts if part)
    return (text + "\n").encode("utf-8")


def _without_counters(blocks: tuple[t.Block, ...]) -> tuple[t.Block, ...]:
    """Furniture without its page counts ("Page 2 of 3" means nothing in an e-mail)."""
    return tuple(block for block in blocks
                 if not (isinstance(block, t.Paragraph) and t.has_counters(block.children)))


def inline_text(nodes: tuple[t.Inline, ...]) -> str:
    """What a reader of plain text gets of ``nodes``: the words, line breaks as
    newlines, live links followed by their target in angle brackets."""
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, t.Text):
            parts.append(printable(node.text).replace("\n", " "))
        elif isinstance(node, (t.Strong, t.Emphasis)):
            parts.append(inline_text(node.children))
        elif isinstance(node, t.Link):
            text = inline_text(node.children)
            target = printable(node.target)
            shown = " ".join(text.split())
            if is_safe_target(target) and shown not in (target, target.split(":", 1)[1]):
                parts.append(f"{text} <{target}>")
            else:
                parts.append(text)
        elif isinstance(node, t.LineBreak):
            parts.append("\n")
        elif isinstance(node, (t.PageNumber, t.PageCount)):
            continue
        else:
            raise TypeError(f"The text writer cannot render an inline {type(node).__name__}.")
    return "".join(parts)


TIGHT = 3.0  # points: paragraphs closer than this (a letterhead's lines) share no blank line


@dataclass(frozen=True, slots=True)
class Chunk:
    """The lines of one block, and the space its style keeps around it (paragraphs
    only; ``None`` for any other block)."""

    lines: list[str]
    before: float | None = None
    after: float | None = None


def join(chunks: list[Chunk]) -> str:
    """Chunks one blank line apart, but paragraphs set close together (their spacing
    under `TIGHT`) on consecutive lines."""
    out: list[str] = []
    previous: Chunk | None = None
    for chunk in chunks:
        if previous is not None:
            close = (previous.after is not None and chunk.before is not None
                     and max(previous.after, chunk.before) < TIGHT)
            out.append("\n" if close else "\n\n")
        out.append("\n".join(line.rstrip() for line in chunk.lines))
        previous = chunk
    return "".join(out)


class _Writer:
    """Turns blocks into chunks of lines, one chunk a block."""

    def __init__(self, theme: Theme, default: str) -> None:
        self.theme = theme
        self.default = default

    def section(self, blocks: tuple[t.Block, ...]) -> str:
        return join(self.blocks(blocks, 0, self.theme.style(None, self.default)))

    def style(self, name: str | None, fallback: Style) -> Style:
        found = self.theme.styles.get(name) if name is not None else None
        return found or fallback

    def blocks(self, nodes: tuple[t.Block, ...], indent: int, para: Style) -> list[Chunk]:
        chunks: list[Chunk] = []
        for node in nodes:
            chunks.extend(chunk for chunk in self.block(node, indent, para) if chunk.lines)
        return chunks

    def block(self, node: t.Block, indent: int, para: Style) -> list[Chunk]:
        if isinstance(node, t.Paragraph):
            st = self.style(node.style, para)
            return [Chunk(self.paragraph(node.children, st, indent), st.space_before,
                          st.space_after)]
        if isinstance(node, t.Heading):
            level = min(max(node.level, 1), 3)
            lines = self.paragraph(node.children, self.theme.style(
                node.style, f"heading{level}"), indent, aligned=False)
            if self.default != "body" or not lines:
                return [Chunk(lines)]
            rule = UNDERLINES[level] * max(width(line.strip()) for line in lines)
            return [Chunk([*lines, " " * indent + rule])]
        if isinstance(node, t.BulletList):
            return [Chunk(self.bullets(node, indent))]
        if isinstance(node, t.Table):
            return [Chunk(self.table(node, indent))]
        if isinstance(node, t.Quote):
            st = self.theme.style(node.style, "quote")
            inner = indent + QUOTE_INDENT
            chunks = self.blocks(node.children, inner, st)
            if node.attribution:
                attribution = self.paragraph(node.attribution,
                                             self.theme.style(None, "attribution"), inner)
                if chunks:
                    chunks[-1] = Chunk([*chunks[-1].lines, *attribution])
                else:
                    chunks.append(Chunk(attribution))
            return chunks
        if isinstance(node, t.Section):
            st = self.style(node.style, para)
            return self.blocks(node.children, indent, self.theme.contents(st)
                               if node.style and self.theme.has_style(node.style) else para)
        if isinstance(node, t.Rule):
            return [Chunk([" " * indent + "-" * (COLUMNS - indent)])]
        if isinstance(node, t.Chart):
            st = self.theme.style("chart-text", "small")
            return [Chunk(self.paragraph((t.Text(node.alt),), st, indent), st.space_before,
                          st.space_after)]
        if isinstance(node, (t.Spacer, t.PageBreak, t.Image)):
            return []
        raise TypeError(f"The text writer cannot render a block {type(node).__name__}.")

    def paragraph(self, nodes: tuple[t.Inline, ...], st: Style, indent: int,
                  aligned: bool = True) -> list[str]:
        room = COLUMNS - indent
        align = _ALIGN.get(st.alignment, "left") if aligned else "left"
        lines = [line for line in wrap_lines(inline_text(nodes), room)]
        while lines and not lines[-1]:
            lines.pop()
        return [" " * indent + place(line, room, align) if line else "" for line in lines]

    def bullets(self, node: t.BulletList, indent: int) -> list[str]:
        text_at = indent + len(BULLET)
        room = COLUMNS - text_at
        out: list[str] = []
        for item in node.items:
            first = True
            for block in item or (t.Paragraph(()),):
                if isinstance(block, t.BulletList):
                    out.extend(self.bullets(block, text_at))
                    first = False
                    continue
                if isinstance(block, t.Paragraph):
                    lines = wrap_lines(inline_text(block.children), room) or [""]
                else:
                    lines = [line[text_at:] if line.startswith(" " * text_at) else line
                             for chunk in self.block(block, text_at, self.theme.style("body"))
                             for line in chunk.lines]
                for number, line in enumerate(lines):
                    lead = BULLET if first and number == 0 else " " * len(BULLET)
                    out.append(" " * indent + lead + line if line else "")
                first = False
        return out

    def table(self, node: t.Table, indent: int) -> list[str]:
        columns = max(len(node.widths), 1)
        if any(len(row.cells) > columns for row in (node.header, *node.rows) if row):
            raise RenderError.single("", f"A table row has more cells than its {columns} "
                                         "columns.")

        def cells(row: t.Row) -> list[str]:
            texts = [inline_text(cell.children) for cell in row.cells[:columns]]
            return texts + [""] * (columns - len(texts))

        header = cells(node.header) if node.header is not None else None
        rows = [cells(row) for row in node.rows]
        if header is None and not rows:
            return []
        shares = [max(float(w), 0.0) or 1.0 for w in node.widths] or [1.0]
        groups = frozenset(i for i, row in enumerate(node.rows) if row.group)
        lines = table_lines(header, rows, shares, COLUMNS - indent, groups)
        return [" " * indent + line if line else "" for line in lines]
