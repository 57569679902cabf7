"""PDF writer, part 3: the document tree as reportlab flowables.

Lengths in a style's ``indent_mm`` are measured from the left margin; a container
(quote, section, list item) sets a floor that the text inside never starts left of.
Boxed styles (background or border) become a one-column table, one row per child, so a
long box splits across pages. Page numbers make a paragraph `Deferred`.

Each block gets its structure element (`tagging`) under ``Ctx.tag`` as it is built; a
table without a header row reads as a key-value table: each row's first cell heads
its row. Headings take levels that never skip (`HeadingLevels`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, TableStyle
from reportlab.platypus import PageBreak as RLPageBreak
from reportlab.platypus import Spacer as RLSpacer
from reportlab.platypus import Table as RLTable
from reportlab.platypus.flowables import HRFlowable

from ... import tree as t
from ...errors import RenderError
from ...hyphenation import applies
from ...scripts import has_rtl
from ...themes import Alignment, Style, Theme
from ..headings import HeadingLevels
from .bidi import BidiParagraph, is_rtl
from .canvas import Picture, image_xobject
from .flow import Deferred, Forms, Gap, Indented, Outline, OutlineHeading, colour
from .longtable import LongTable, TableRows
from .longtable import moved as _moved
from .measure import MemoParagraph
from .paraparse import known
from .shaping import needs_shaping
from .standards import PDF_A, device_rgb
from .styles import Styles, has_cjk, has_counters
from .tagging import Elem, artifact, content, decor, marks_inline, tagged_class

BULLET = "\u2022"
_H_ALIGN = {Alignment.CENTER: "CENTER", Alignment.RIGHT: "RIGHT"}
MAX_IMAGE_SHARE = 0.8  # of the page body's height: the tallest an image is drawn


@dataclass(frozen=True, slots=True)
class Ctx:
    """Where blocks are being laid out. Lengths in points; ``floor`` and ``left`` are
    absolute indents from the left margin (text never starts left of ``floor``)."""

    left: float
    width: float
    floor: float
    para: Style          # the style of an unstyled paragraph here
    align: Alignment     # alignment of an image here
    outline: bool        # headings enter the outline
    boxed: bool = False  # inside a box: no page breaks, no box of its own
    tag: Elem | None = None  # the structure element blocks here go under (None: untagged)
    lang: str | None = None  # the language of a passage in another one (a quote's)


def _split_in_row(st: Style, vpad: float) -> float:
    """The least height of a row's part left on a page when the row itself splits.

    A row moves to the next page whole when it can; one taller than the room left (a
    400-word action) splits inside its cells, leaving at least two lines on each page."""
    return float(2 * st.leading + 2 * vpad)


def _row_height(cells: list[Any], widths: list[float], hpad: float, vpad: float) -> float:
    return float(max((cell.wrap(width - 2 * hpad, 1e9)[1] for cell, width in zip(
        cells, widths, strict=True)), default=0.0) + 2 * vpad)


def _row_tag(table: Elem | None, head: bool, first: bool) -> Elem | None:
    """A new TR of ``table``, in its THead for the header row, else in its TBody."""
    if table is None:
        return None
    group = "THead" if head else "TBody"
    if first or table.kids[-1].role != group:  # type: ignore[union-attr]
        return table.add(group).add("TR")
    return table.kids[-1].add("TR")  # type: ignore[union-attr]


def _cell_tag(row: Elem | None, head: bool, row_header: bool, group: int = 0
              ) -> Elem | None:
    """A new cell of ``row``: a TH heading its column or its row, else a TD; the first
    cell of a group's row (``group``: the columns it spans) heads the rows of its group,
    in every column."""
    if row is None:
        return None
    if group:
        return row.add("TH", scope="Column", span=group)
    if head or row_header:
        return row.add("TH", scope="Column" if head else "Row")
    return row.add("TD")


def keep_list_ends(flows: list[Any]) -> None:
    """Orphan and widow control for a list: its first item stays with the second and
    its last with the one before, so no page starts or ends with one lone item."""
    items = [f for f in flows if not isinstance(f, Gap)]
    if len(items) >= 2:
        items[0].keepWithNext = 1
        items[-2].keepWithNext = 1


class BidiHeading(OutlineHeading, BidiParagraph):
    """A right-to-left heading that enters the outline."""


class Builder(Styles):
    """Turns blocks into flowables for one document."""

    def __init__(self, theme: Theme, forms: Forms, outline: Outline,
                 language: str = "", tagged: bool = True) -> None:
        super().__init__(theme)
        self.language = language  # the document's: its paragraphs' default direction
        self.forms = forms
        self.outline = outline
        self.levels = HeadingLevels()
        self.decor = decor if tagged else None  # tables' backgrounds and grids: artifacts
        page = theme.page
        self.frame_height = (page.height_mm - page.margin_top_mm - page.margin_bottom_mm) * mm

    def paragraph(self, nodes: tuple[t.Inline, ...], st: Style, left: float,
                  bullet: float | None = None, cell: bool = False,
                  heading: tuple[str, int] | None = None, tag: Elem | None = None,
                  label: Elem | None = None, lang: str | None = None,
                  is_heading: bool = False) -> Any:
        plain = t.plain_text(nodes)
        rtl = is_rtl(plain, lang or self.language)
        mixed = not rtl and has_rtl(plain)  # right-to-left words in a left-to-right line
        shaped, cjk = needs_shaping(plain), has_cjk(plain)
        hyphenate = not (rtl or shaped or cjk) and applies(self.theme, st, is_heading)
        ps = self.pstyle(st, left, None if rtl else bullet, cell, shaped=shaped, rtl=rtl,
                         cjk=cjk, hyphenation=(lang or self.language) if hyphenate else "")
        bullet_text = BULLET if bullet is not None and not rtl else None
        if (rtl or mixed) and tag is not None:  # drawn in visual order: readers get it
            tag.actual = plain                     # in logical order
        if has_counters(nodes):
            def make(page: str, total: str) -> Any:
                return MemoParagraph(self.markup(nodes, st, (page, total), links=False), ps,
                                     bulletText=bullet_text)
            return content(Deferred(make, self.forms), tag)
        if not (rtl or mixed):  # drawn in reading order: where its lines broke, words
            #                     in another language and links are marked
            spoken = (lang or self.language) if tag is not None else None
            cls: Any = MemoParagraph if heading is None else OutlineHeading
            if tag is not None:  # made as what `content` makes of it
                cls = tagged_class(cls)
            para, spans = self._memo(cls, nodes, st, ps, spoken, plain, bullet_text)
            if heading is not None:
                para.entry = (self.outline, heading[0], heading[1])
                return content(para, tag, source=plain, spans=spans)
            return content(para, tag, label, plain, spans)
        text = self.markup(nodes, st)
        if heading is not None:
            para = BidiHeading(text, ps)
            if mixed:
                para.base = 0
            para.entry = (self.outline, heading[0], heading[1])
            return content(para, tag, spans=marks_inline(text))
        if mixed:
            ordered = BidiParagraph(text, ps, bulletText=bullet_text)
            ordered.base = 0
            return content(ordered, tag, label)
        mirrored = BidiParagraph(text, ps)
        if bullet is not None:
            mirrored.bullet = (BULLET, ps.bulletFontName, ps.fontSize, ps.textColor, bullet)
        return content(mirrored, tag, label)

    def _memo(self, cls: Any, nodes: tuple[t.Inline, ...], st: Style,
              ps: Any, spoken: str | None, plain: str, bullet_text: str | None
              ) -> tuple[Any, bool]:
        """A paragraph of ``cls`` of ``nodes``, and whether it marks elements inside it
        (`marks_inline`): its fragments made straight from the tree when the parser has
        met their shape (`paraparse.known`), else read from its markup."""
        calls = self.parser_calls(nodes, st, spoken)
        if calls is not None:
            frags = known(calls[0], calls[1], ps, 1)
            if frags is not None:
                return cls.of_fragments(plain, frags, ps, bullet_text), calls[2]
        text = self.markup(nodes, st, spoken=spoken)
        return cls(text, ps, bulletText=bullet_text), marks_inline(text)

    # -- blocks -----------------------------------------------------------------------
    def blocks(self, nodes: tuple[t.Block, ...], ctx: Ctx) -> list[Any]:
        out: list[Any] = []
        for node in nodes:
            self.block(node, ctx, out)
        return out

    def block(self, node: t.Block, ctx: Ctx, out: list[Any]) -> None:
        if isinstance(node, t.Paragraph):
            st = self.own_style(node.style, ctx.para)
            lang = node.lang or ctx.lang
            tag = ctx.tag.add("P", lang=node.lang) if ctx.tag else None
            self._own_box(st, ctx, out, lambda s, c: [
                self.paragraph(node.children, s, self._left(s, c), tag=tag, lang=lang)])
        elif isinstance(node, t.Heading):
            level = min(max(node.level, 1), 3)
            st = self.style(node.style, f"heading{level}")
            title = " ".join(t.plain_text(node.children).split())
            read_as = self.levels.level(level) if ctx.outline else level
            entry = (title, read_as - 1) if ctx.outline else None
            tag = ctx.tag.add(f"H{read_as}") if ctx.tag else None
            self._own_box(st, ctx, out, lambda s, c: [
                self.paragraph(node.children, s, self._left(s, c), heading=entry, tag=tag,
                               is_heading=True)])
        elif isinstance(node, t.BulletList):
            self.bullets(node, ctx, 1, ctx.floor, out)
        elif isinstance(node, t.Table):
            self.table(node, ctx, out)
        elif isinstance(node, t.Quote):
            self.quote(node, ctx, out)
        elif isinstance(node, t.Section):
            self.section(node, ctx, out)
        elif isinstance(node, t.Rule):
            st = self.style(node.style, "rule")
            left = self._left(st, ctx)
            rule = self.theme.rule(st)
            line = HRFlowable(width=ctx.width - left, thickness=rule.width,
                              color=colour(rule.colour), hAlign="LEFT",
                              spaceBefore=st.space_before, spaceAfter=st.space_after)
            out.append(artifact(Indented(line, left) if left else line, ctx.tag))
        elif isinstance(node, t.Spacer):
            out.append(RLSpacer(0, max(0.0, float(node.height))))
        elif isinstance(node, t.PageBreak):
            if not ctx.boxed:
                out.append(RLPageBreak())
        elif isinstance(node, t.Image):
            out.append(self.image(node, ctx))
        elif isinstance(node, t.Chart):
            out.append(self.chart(node, ctx))
        else:
            raise TypeError(f"The PDF writer cannot render a block {type(node).__name__}.")

    def _own_box(self, st: Style, ctx: Ctx, out: list[Any], make: Any) -> None:
        """A paragraph whose own style is boxed, in its box (unless already in one)."""
        if not st.boxed or ctx.boxed:
            out.extend(make(st.unboxed() if st.boxed else st, ctx))
            return
        indent = max(st.indent_mm * mm, ctx.floor)
        inner = replace(st.unboxed(), space_before=0.0, space_after=0.0, indent_mm=0.0)
        self._group(st, indent, ctx, lambda c: make(inner, c), ctx, out)

    def _left(self, st: Style, ctx: Ctx) -> float:
        return float(max(st.indent_mm * mm, ctx.floor) - ctx.left)

    def image(self, node: t.Image, ctx: Ctx) -> Any:
        """An image at its width, or narrower so that it is never taller than
        `MAX_IMAGE_SHARE` of the page's body (a 1 x 100000 pixel logo still fits)."""
        data = bytes(node.data)
        if not (data.startswith(b"\x89PNG\r\n\x1a\n") or data.startswith(b"\xff\xd8\xff")):
            raise RenderError.single("", f"The image {node.alt!r} is neither PNG nor JPEG.")
        if self.theme.pdf_standard == PDF_A:
            data = device_rgb(data)
        st = self.own_style(node.style, ctx.para)
        align = st.alignment if node.style and self.theme.has_style(node.style) else ctx.align
        try:
            xobject = image_xobject(data)
        except Exception:  # PIL's many error types, whose text shows memory addresses
            raise RenderError.single("", f"The image {node.alt!r} cannot be read; it is "
                                         "damaged.") from None
        left = max(ctx.floor - ctx.left, 0.0)
        width = min(max(node.width_mm, 1.0) * mm, ctx.width - left)
        ratio = xobject.height / max(xobject.width, 1)
        width = min(width, MAX_IMAGE_SHARE * self.frame_height / ratio)
        img = Picture(data, width, width * ratio)
        img.hAlign = _H_ALIGN.get(align, "LEFT")
        img.spaceBefore, img.spaceAfter = st.space_before, st.space_after
        flow = Indented(img, left) if left else img
        if not node.alt.strip():  # decorative
            return artifact(flow, ctx.tag)
        return content(flow, ctx.tag.add("Figure", alt=node.alt) if ctx.tag else None)

    def chart(self, node: t.Chart, ctx: Ctx) -> Any:
        from .chart import ChartFlowable  # here: reportlab.graphics only for a chart

        st = self.own_style(node.style, ctx.para)
        flowable = ChartFlowable(node, self)
        flowable.hAlign = "LEFT"
        flowable.spaceBefore, flowable.spaceAfter = st.space_before, st.space_after
        left = max(ctx.floor - ctx.left, 0.0)
        flow = Indented(flowable, left) if left else flowable
        return content(flow, ctx.tag.add("Figure", alt=node.alt) if ctx.tag else None)

    def bullets(self, node: t.BulletList, ctx: Ctx, depth: int, parent: float,
                out: list[Any]) -> None:
        st = self.own_style(node.style, self.theme.list_level(depth) or self.body)
        step = self.theme.layout.list_step_mm * mm
        text_at = ctx.floor + st.indent_mm * mm
        if depth > 1 and text_at <= parent:
            text_at = parent + step
        left = text_at - ctx.left
        bullet_at = max(0.0, left - self.theme.layout.bullet_gap_mm * mm)
        inner = replace(ctx, floor=text_at, para=st)
        start = len(out)
        listed = ctx.tag.add("L") if ctx.tag else None
        for item in node.items:
            entry = listed.add("LI") if listed else None
            label = entry.add("Lbl") if entry else None
            body = entry.add("LBody") if entry else None
            if not item or not isinstance(item[0], t.Paragraph):
                out.append(self.paragraph((t.Text("\u00a0"),), st, left, bullet_at,
                                          tag=body.add("P") if body else None, label=label))
            for index, block in enumerate(item):
                if isinstance(block, t.Paragraph):
                    pst = self.own_style(block.style, st)
                    out.append(self.paragraph(block.children, pst, left,
                                              bullet_at if index == 0 else None,
                                              tag=body.add("P") if body else None,
                                              label=label if index == 0 else None))
                elif isinstance(block, t.BulletList):
                    self.bullets(block, replace(ctx, tag=body), depth + 1, text_at, out)
                else:
                    self.block(block, replace(inner, tag=body), out)
        if depth == 1:
            keep_list_ends(out[start:])
        if depth == 1 and out and ctx.para.space_after > st.space_after:
            out.append(Gap(after=ctx.para.space_after - st.space_after))

    def table(self, node: t.Table, ctx: Ctx, out: list[Any]) -> None:
        st = self.style(node.style, "table")
        columns = max(len(node.widths), 1)
        rows = ([node.header] if node.header is not None else []) + list(node.rows)
        if any(len(row.cells) > columns for row in rows):
            raise RenderError.single("", f"A table row has more cells than its {columns} "
                                         "columns.")
        left = self._left(st, ctx)
        avail = ctx.width - left
        weights = [max(float(w), 0.0) for w in node.widths] or [1.0]
        total = sum(weights) or float(columns)
        col_widths = [avail * (w or 1.0) / total for w in weights]
        hpad, vpad = self.theme.layout.cell_padding_x, self.theme.layout.cell_padding_y
        grid = self.theme.grid(st)
        commands: list[tuple[Any, ...]] = [
            ("FONTNAME", (0, 0), (-1, -1), self.face(st.font, False, False)),
            ("GRID", (0, 0), (-1, -1), grid.width, colour(grid.colour)),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), hpad), ("RIGHTPADDING", (0, 0), (-1, -1), hpad),
            ("TOPPADDING", (0, 0), (-1, -1), vpad), ("BOTTOMPADDING", (0, 0), (-1, -1), vpad),
        ]
        data: list[list[Any]] = []
        per_row: list[list[tuple[Any, ...]]] = []  # each row's own commands, for row 0
        kept: list[int] = []
        groups: set[int] = set()  # the rows whose first cell spans the row
        table_tag = ctx.tag.add("Table") if ctx.tag else None
        for r, row in enumerate(rows):
            head = r == 0 and node.header is not None
            default = "table-header" if head else "table"
            row_tag = _row_tag(table_tag, head, r == 0)
            row_st = self.style(row.style, default)
            own: list[tuple[Any, ...]] = []
            if row_st.background:
                own.append(("BACKGROUND", (0, 0), (-1, 0), colour(row_st.background)))
            if row_st.keep_with_next and r + 1 < len(rows):  # e.g. a group's name row
                kept.append(r)
            group = row.group and not head  # its first cell spans the row
            if group:
                own.append(("SPAN", (0, 0), (-1, 0)))
                groups.add(r)
            cells: list[Any] = []
            for c in range(columns):
                cell = row.cells[c] if c < len(row.cells) else t.Cell(())
                cell_st = self.own_style(cell.style, row_st)
                if cell.style and cell_st.background:
                    own.append(("BACKGROUND", (c, 0), (c, 0), colour(cell_st.background)))
                if group and c:  # under the first: empty, not drawn
                    cells.append(artifact(self.paragraph((), cell_st, 0.0, cell=True),
                                          row_tag))
                    continue
                cell_tag = _cell_tag(row_tag, head, c == 0 and node.header is None,
                                     columns if group else 0)
                cells.append(self.paragraph(cell.children, cell_st, 0.0, cell=True,
                                            tag=cell_tag))
            data.append(cells)
            per_row.append(own)
        if not data:
            return
        header = 1 if node.header is not None else 0
        # A table longer than a page is laid out a chunk of rows at a time (`LongTable`),
        # any other as one reportlab table; a row stays with the next only where the two
        # fit on a page. (Cells remember their wrapping: measuring them costs once.)
        def height(row: int) -> float:
            if row in groups:
                return _row_height(data[row][:1], [sum(col_widths)], hpad, vpad)
            return _row_height(data[row], col_widths, hpad, vpad)

        heights = [height(r) for r in range(len(data))]
        kept = [r for r in kept if heights[r] + heights[r + 1] < self.frame_height]
        space_after = st.space_after or ctx.para.space_after
        table: Any
        if sum(heights[header:]) > self.frame_height:  # more than a page: it will split
            table = LongTable(TableRows(
                header=data[0] if header else None, rows=data[header:],
                row_commands=per_row[header:], header_commands=per_row[0] if header else [],
                base=commands, kept=frozenset(r - header for r in kept if r >= header),
                widths=col_widths, split_in_row=_split_in_row(st, vpad),
                heights=heights[header:], page=self.frame_height, render=self.decor),
                space_before=st.space_before, space_after=space_after)
        else:
            for r, own in enumerate(per_row):
                commands.extend(_moved(command, r) for command in own)
            commands.extend(("NOSPLIT", (0, r), (-1, r + 1)) for r in kept)
            table = RLTable(data, colWidths=col_widths, repeatRows=header, hAlign="LEFT",
                            style=TableStyle(commands), splitInRow=_split_in_row(st, vpad),
                            renderCB=self.decor)
            table.spaceBefore, table.spaceAfter = st.space_before, space_after
        out.append(Indented(table, left) if left else table)

    def quote(self, node: t.Quote, ctx: Ctx, out: list[Any]) -> None:
        st = self.style(node.style, "quote")
        indent = max(st.indent_mm * mm, ctx.floor)
        att = self.style(None, "attribution")
        quoted = ctx.tag.add("BlockQuote", lang=node.lang) if ctx.tag else None

        def fill(inner: Ctx) -> list[Any]:
            flows = self.blocks(node.children, inner)
            if node.attribution:
                at_left = max(att.indent_mm * mm, inner.floor) - inner.left
                flows.append(self.paragraph(node.attribution, att, at_left,
                                            tag=quoted.add("P") if quoted else None))
            return flows

        self._group(st, indent, ctx, fill, replace(ctx, floor=indent, para=st, tag=quoted,
                                                   lang=node.lang or ctx.lang), out)

    def section(self, node: t.Section, ctx: Ctx, out: list[Any]) -> None:
        sect = ctx.tag.add("Sect") if ctx.tag else None
        if node.style is None or not self.theme.has_style(node.style):
            out.extend(self.blocks(node.children, replace(ctx, tag=sect)))
            return
        st = self.style(node.style, "body")
        indent = max(st.indent_mm * mm, ctx.floor)
        inner = replace(ctx, floor=indent, para=self.theme.contents(st), align=st.alignment,
                        tag=sect)
        before = len(out)
        self._group(st, indent, ctx, lambda c: self.blocks(node.children, c), inner, out)
        if len(out) > before and not st.boxed:
            out.insert(before, Gap(before=st.space_before))
            out.append(Gap(after=st.space_after))

    def _group(self, st: Style, indent: float, ctx: Ctx, fill: Any, inner: Ctx,
               out: list[Any]) -> None:
        """Blocks under ``st``: in place, or in a box (background/border) that splits."""
        if not st.boxed:
            out.extend(fill(inner))
            return
        left = indent - ctx.left
        width = ctx.width - left
        pad = st.padding
        boxed = replace(inner, left=indent + pad, floor=indent + pad,
                        width=width - 2 * pad, boxed=True)
        flows = fill(boxed)
        if not flows:
            return
        commands: list[tuple[Any, ...]] = [
            ("FONTNAME", (0, 0), (-1, -1), self.face(st.font, False, False)),
            ("LEFTPADDING", (0, 0), (-1, -1), pad),
            ("RIGHTPADDING", (0, 0), (-1, -1), pad),
            ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, 0), pad),
            ("BOTTOMPADDING", (0, -1), (-1, -1), pad),
        ]
        if st.background:
            commands.append(("BACKGROUND", (0, 0), (-1, -1), colour(st.background)))
        if st.border is not None:
            commands.append(("BOX", (0, 0), (-1, -1), st.border.width,
                             colour(st.border.colour)))
        box = RLTable([[f] for f in flows], colWidths=[width], hAlign="LEFT",
                      style=TableStyle(commands), splitInRow=_split_in_row(st, 0.0),
                      renderCB=self.decor)
        box.spaceBefore, box.spaceAfter = st.space_before, st.space_after
        # A box stays whole on one page unless it is longer than a page.
        out.append(KeepTogether([Indented(box, left) if left else box]))
