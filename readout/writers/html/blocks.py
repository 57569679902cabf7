"""HTML writer, part 3: the document tree as semantic HTML elements.

Every text is escaped (``&<>"'``) after the characters no output may carry are dropped;
the only markup is the writer's own. A link is live only for a safe target (http(s) or
mailto) or a file beside the page (a relative link); any other prints as its text. Page
numbers and counts have no meaning on the web and are left out of the page (print shows
them in the margin boxes, see `document`).

Blocks map to their HTML elements: a heading to ``<h1>``-``<h3>`` (never more than one
level below the heading before it, so the outline has no gaps), a list to ``<ul>``, a
table to ``<table>`` with ``<th scope>``, a quote to ``<blockquote>`` (in a ``<figure>``
whose ``<figcaption>`` is the attribution, when it has one), an image to ``<img>`` (in a
``<figure>`` with its caption when a ``caption`` paragraph follows it), a chart to the
picture the DOCX writer paints of it (`picture.chart_png`) in a ``<figure>``, its
alternative text both its ``alt`` and, for the eye, the figure's caption, a section to
a ``<div>``. A block whose text runs right to left in a left-to-right document (or the
other way round) gets its own ``dir``.
"""

from __future__ import annotations

import base64
import hashlib
import html
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from io import BytesIO

from ... import tree as t
from ...errors import RenderError
from ...safe_text import is_safe_target, is_sibling_file, printable
from ...themes import Style, Theme
from ..picture import chart_png
from .css import (
    Stylesheet,
    alignment,
    box_declarations,
    inline_declarations,
    number,
    spacing,
    text_declarations,
)

CAPTION_STYLE = "caption"
CHART_TEXT_STYLE = "chart-text"  # a chart's words under its picture (else ``small``)
MAX_IMAGE_SHARE = 0.8  # of the page body's height: the tallest an image is shown, as in print
_PX_PER_MM = 96 / 25.4
MARKER_GAP_MM = 2.5  # about how far before its text a browser sets a list's bullet
_RTL = frozenset({"R", "AL"})

ImageSink = Callable[[bytes, str], str]  # (data, extension) -> the src of the image


def escape(text: str) -> str:
    """``text`` as HTML text or attribute value that shows exactly ``text``."""
    return html.escape(printable(text), quote=True)


def direction(text: str) -> str | None:
    """``rtl`` or ``ltr`` by the first strong character of ``text`` (UAX #9 P2-P3)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in _RTL:
            return "rtl"
        if kind == "L":
            return "ltr"
    return None


def embedded(data: bytes, extension: str) -> str:
    """An image as a ``data:`` URI: the page needs no other file."""
    mime = "image/png" if extension == "png" else "image/jpeg"
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def asset_name(data: bytes, extension: str) -> str:
    """The file name of an image written beside the page: named by its content, so one
    logo used by many documents is one file."""
    return f"{hashlib.sha256(data).hexdigest()[:16]}.{extension}"


@dataclass(frozen=True, slots=True)
class Ctx:
    """Where blocks are being written. ``floor`` is the indent (mm, from the text's
    left edge) the enclosing container already gives; ``para`` the style of an unstyled
    paragraph here."""

    para: Style
    floor: float = 0.0
    boxed: bool = False
    furniture: bool = False


class Builder:
    """Writes the blocks of one document; collects the stylesheet it needs."""

    def __init__(self, theme: Theme, css: Stylesheet, image_src: ImageSink, base_dir: str
                 ) -> None:
        self.theme = theme
        self.css = css
        self.image_src = image_src
        self.base_dir = base_dir  # the document's direction
        self.level = 0           # the level of the last heading written
        self.out: list[str] = []

    # -- styles ------------------------------------------------------------------------
    def own_style(self, name: str | None, fallback: Style) -> Style:
        found = self.theme.styles.get(name) if name is not None else None
        return found or fallback

    def block_class(self, st: Style, ctx: Ctx, *, box: bool = True) -> str:
        """The class of a paragraph-like block in ``st`` here: its text, its spacing, its
        indent beyond what the container gives, and its box (unless already in one)."""
        indent = max(st.indent_mm - ctx.floor, 0.0)
        decls = (*text_declarations(st, self.theme), *spacing(st.space_before,
                                                             st.space_after, indent))
        if box and not ctx.boxed:
            decls += box_declarations(st)
        if st.keep_with_next:
            decls += (("break-after", "avoid-page"),)
        return self.css.use("s-", st.name, decls)

    def inline_class(self, name: str | None) -> str | None:
        if name is None or name not in self.theme.inlines:
            return None
        decls = inline_declarations(self.theme.inline(name), self.theme)
        return self.css.use("i-", name, decls) if decls else None

    # -- inlines -----------------------------------------------------------------------
    def inlines(self, nodes: tuple[t.Inline, ...]) -> str:
        return "".join(self.inline(node) for node in nodes)

    def inline(self, node: t.Inline) -> str:
        if isinstance(node, t.Text):
            text = escape(node.text)
            name = self.inline_class(node.style)
            if text and (name or node.lang):
                return f'<span{self._class_attr(node.style)}{lang_attr(node.lang)}>{text}</span>'
            return text
        if isinstance(node, (t.Strong, t.Emphasis)):
            tag = "strong" if isinstance(node, t.Strong) else "em"
            return f"<{tag}{self._class_attr(node.style)}>{self.inlines(node.children)}</{tag}>"
        if isinstance(node, t.Link):
            inner = self.inlines(node.children)
            if not (is_safe_target(node.target) or is_sibling_file(node.target)):
                return inner
            style = node.style if node.style else "link"
            return f'<a href="{escape(node.target)}"{self._class_attr(style)}>{inner}</a>'
        if isinstance(node, t.LineBreak):
            return "<br>"
        if isinstance(node, (t.PageNumber, t.PageCount)):
            return ""
        raise TypeError(f"The HTML writer cannot render an inline {type(node).__name__}.")

    def _class_attr(self, style: str | None) -> str:
        name = self.inline_class(style)
        return f' class="{name}"' if name else ""

    def _dir_attr(self, text: str) -> str:
        found = direction(text)
        return f' dir="{found}"' if found is not None and found != self.base_dir else ""

    # -- blocks ------------------------------------------------------------------------
    def blocks(self, nodes: tuple[t.Block, ...], ctx: Ctx) -> None:
        index = 0
        while index < len(nodes):
            node = nodes[index]
            following = nodes[index + 1] if index + 1 < len(nodes) else None
            if isinstance(node, t.Image) and self._is_caption(following):
                assert isinstance(following, t.Paragraph)
                self.image(node, ctx, following)
                index += 2
                continue
            self.block(node, ctx)
            index += 1

    def _is_caption(self, node: t.Block | None) -> bool:
        return isinstance(node, t.Paragraph) and node.style == CAPTION_STYLE

    def block(self, node: t.Block, ctx: Ctx) -> None:
        if isinstance(node, t.Paragraph):
            self.paragraph("p", node.children, self.own_style(node.style, ctx.para), ctx,
                           node.lang)
        elif isinstance(node, t.Heading):
            self.heading(node, ctx)
        elif isinstance(node, t.BulletList):
            self.bullets(node, ctx, 1)
        elif isinstance(node, t.Table):
            self.table(node, ctx)
        elif isinstance(node, t.Quote):
            self.quote(node, ctx)
        elif isinstance(node, t.Section):
            self.section(node, ctx)
        elif isinstance(node, t.Rule):
            st = self.theme.style(node.style, "rule")
            line = self.theme.rule(st)
            decls = (("border", "0"),
                     ("border-top", f"{number(line.width)}pt solid {line.colour}"),
                     *spacing(st.space_before, st.space_after,
                              max(st.indent_mm - ctx.floor, 0.0)))
            self.out.append(f'<hr class="{self.css.use("s-", st.name, decls)}">')
        elif isinstance(node, t.Spacer):
            height = max(0.0, float(node.height))
            name = self.css.use("sp-", number(height).replace(".", "_"),
                                (("height", f"{number(height)}pt"),))
            self.out.append(f'<div class="{name}"></div>')
        elif isinstance(node, t.PageBreak):
            if not ctx.boxed and not ctx.furniture:
                name = self.css.use("page-", "break", (("break-after", "page"),))
                self.out.append(f'<div class="{name}"></div>')
        elif isinstance(node, t.Image):
            self.image(node, ctx, None)
        elif isinstance(node, t.Chart):
            self.chart(node, ctx)
        else:
            raise TypeError(f"The HTML writer cannot render a block {type(node).__name__}.")

    def paragraph(self, tag: str, nodes: tuple[t.Inline, ...], st: Style, ctx: Ctx,
                  lang: str | None = None) -> None:
        text = t.plain_text(nodes)
        self.out.append(f'<{tag} class="{self.block_class(st, ctx)}"{lang_attr(lang)}'
                        f'{self._dir_attr(text)}>{self.inlines(nodes)}</{tag}>')

    def heading(self, node: t.Heading, ctx: Ctx) -> None:
        level = min(max(node.level, 1), 3)
        st = self.theme.style(node.style, f"heading{level}")
        if ctx.furniture:  # a heading in the page furniture is not one of the document
            self.paragraph("p", node.children, st, ctx)
            return
        level = min(level, self.level + 1)
        self.level = level
        self.paragraph(f"h{level}", node.children, st, ctx)

    def bullets(self, node: t.BulletList, ctx: Ctx, depth: int,
                parent_indent: float | None = None) -> None:
        st = self.own_style(node.style, self.theme.list_level(depth) or self.theme.style("body"))
        if parent_indent is None:
            step = max(st.indent_mm - ctx.floor, 0.0)
        else:  # a nested list starts further in than its parent, by a step at least
            step = max(st.indent_mm - parent_indent, self.theme.layout.list_step_mm)
        list_class = self.css.use("s-", st.name, (
            *text_declarations(st, self.theme), ("margin", "0"),
            ("padding-inline-start", f"{number(step)}mm"),
            ("list-style-type", "disc" if depth % 2 else "circle")))
        item_class = self.css.use("s-", st.name + "-item", (
            ("margin-block", f"{number(st.space_before)}pt {number(st.space_after)}pt"),
            ("padding-inline-start",
             f"{number(max(self.theme.layout.bullet_gap_mm - MARKER_GAP_MM, 0.0))}mm")))
        inner = replace(ctx, para=replace(st, space_before=0.0, space_after=0.0,
                                          indent_mm=0.0))
        self.out.append(f'<ul class="{list_class}">')
        for item in node.items:
            opening = f'<li class="{item_class}"{self._dir_attr(_item_text(item))}>'
            rest = item
            if item and isinstance(item[0], t.Paragraph) and (
                    item[0].style is None or not self.theme.has_style(item[0].style)):
                opening += self.inlines(item[0].children)
                rest = item[1:]
            self.out.append(opening)
            for block in rest:
                if isinstance(block, t.BulletList):
                    self.bullets(block, inner, depth + 1,
                                 parent_indent=max(st.indent_mm, ctx.floor))
                else:
                    self.block(block, inner)
            self.out[-1] += "</li>"
        self.out.append("</ul>")

    def table(self, node: t.Table, ctx: Ctx) -> None:
        st = self.theme.style(node.style, "table")
        columns = max(len(node.widths), 1)
        rows = ([node.header] if node.header is not None else []) + list(node.rows)
        if any(len(row.cells) > columns for row in rows):
            raise RenderError.single("", f"A table row has more cells than its {columns} "
                                         "columns.")
        if not rows:
            return
        layout = self.theme.layout
        grid = self.theme.grid(st)
        after = st.space_after or ctx.para.space_after
        table_class = self.css.use("s-", st.name, (
            *text_declarations(st, self.theme), ("border-collapse", "collapse"),
            ("width", f"calc(100% - {number(max(st.indent_mm - ctx.floor, 0.0))}mm)"),
            *spacing(st.space_before, after, max(st.indent_mm - ctx.floor, 0.0))))
        self.css.add(f".{table_class} :is(th,td)", (
            ("border", f"{number(grid.width)}pt solid {grid.colour}"),
            ("padding", f"{number(layout.cell_padding_y)}pt {number(layout.cell_padding_x)}pt"),
            ("vertical-align", "top"), ("text-align", "inherit"), ("font-weight", "inherit")))
        weights = [max(float(w), 0.0) for w in node.widths] or [1.0]
        total = sum(weights) or float(columns)
        self.out.append(f'<table class="{table_class}"><colgroup>')
        for weight in weights:
            share = number(100 * (weight or 1.0) / total)
            name = self.css.use("w-", share.replace(".", "_"), (("width", f"{share}%"),))
            self.out.append(f'<col class="{name}">')
        self.out.append("</colgroup>")
        if node.header is not None:
            self.out.append("<thead>")
            self.row(node.header, "table-header", columns, "col")
            self.out.append("</thead>")
        self.out.append("<tbody>")
        for index, row in enumerate(node.rows):
            if row.group:  # a group's rows are a row group, under their heading
                if index:
                    self.out.append("</tbody><tbody>")
                self.group_row(row, columns)
            else:
                self.row(row, "table", columns, None if node.header is not None else "row")
        self.out.append("</tbody></table>")

    def group_row(self, row: t.Row, columns: int) -> None:
        """A row naming its group of rows: its first cell, heading the row group."""
        st = self.theme.style(row.style, "table")
        cell = row.cells[0] if row.cells else t.Cell(())
        cell_st = self.own_style(cell.style, st)
        attrs = ""
        if cell.style and self.theme.has_style(cell.style):
            attrs = f' class="{self._row_class(cell_st)}"'
        attrs += self._dir_attr(t.plain_text(cell.children))
        span = f' colspan="{columns}"' if columns > 1 else ""
        self.out.append(f'<tr class="{self._row_class(st)}"><th{span} scope="rowgroup"'
                        f"{attrs}>{self.inlines(cell.children)}</th></tr>")

    def row(self, row: t.Row, default: str, columns: int, scope: str | None) -> None:
        st = self.theme.style(row.style, default)
        self.out.append(f'<tr class="{self._row_class(st)}">')
        for index in range(columns):
            cell = row.cells[index] if index < len(row.cells) else t.Cell(())
            cell_st = self.own_style(cell.style, st)
            attrs = ""
            if cell.style and self.theme.has_style(cell.style):
                attrs = f' class="{self._row_class(cell_st)}"'
            text = t.plain_text(cell.children)
            attrs += self._dir_attr(text)
            header = scope == "col" or (scope == "row" and index == 0)
            tag = "th" if header else "td"
            scope_attr = f' scope="{scope}"' if header else ""
            self.out.append(f"<{tag}{scope_attr}{attrs}>{self.inlines(cell.children)}</{tag}>")
        self.out.append("</tr>")

    def _row_class(self, st: Style) -> str:
        decls = text_declarations(st, self.theme)
        if st.background:
            decls += (("background-color", st.background),)
        return self.css.use("s-", st.name, decls)

    def quote(self, node: t.Quote, ctx: Ctx) -> None:
        st = self.theme.style(node.style, "quote")
        inner = ctx
        quote_class = ""
        if st.boxed and not ctx.boxed:
            indent = max(st.indent_mm - ctx.floor, 0.0)
            quote_class = self.css.use("s-", st.name + "-box", (
                *box_declarations(st), *spacing(st.space_before, st.space_after, indent)))
            inner = replace(ctx, floor=max(st.indent_mm, ctx.floor), boxed=True)
        else:
            quote_class = self.css.use("s-", "quote-block", (("margin", "0"),))
        inner = replace(inner, para=st)
        attribution = node.attribution
        if attribution:
            figure = self.css.use("s-", "quote-figure", (("margin", "0"),))
            self.out.append(f'<figure class="{figure}">')
        self.out.append(f'<blockquote class="{quote_class}"{lang_attr(node.lang)}>')
        self.blocks(node.children, inner)
        self.out.append("</blockquote>")
        if attribution:
            att = self.theme.style(None, "attribution")
            self.paragraph("figcaption", attribution, att, inner)
            self.out.append("</figure>")

    def section(self, node: t.Section, ctx: Ctx) -> None:
        if node.style is None or not self.theme.has_style(node.style):
            self.blocks(node.children, ctx)
            return
        st = self.theme.style(node.style, "body")
        indent = max(st.indent_mm - ctx.floor, 0.0)
        decls = (*text_declarations(st, self.theme),
                 *spacing(st.space_before, st.space_after, indent))
        if not ctx.boxed:
            decls += box_declarations(st)
        name = self.css.use("s-", st.name, decls)
        self.css.add(f".{name}>:first-child", (("margin-top", "0"),))
        self.css.add(f".{name}>:last-child", (("margin-bottom", "0"),))
        self.out.append(f'<div class="{name}">')
        inner = replace(ctx, para=self.theme.contents(st), floor=max(st.indent_mm, ctx.floor),
                        boxed=ctx.boxed or st.boxed)
        self.blocks(node.children, inner)
        self.out.append("</div>")

    def image(self, node: t.Image, ctx: Ctx, caption: t.Paragraph | None) -> None:
        data = bytes(node.data)
        if data.startswith(b"\x89PNG\r\n\x1a\n"):
            extension = "png"
        elif data.startswith(b"\xff\xd8\xff"):
            extension = "jpg"
        else:
            raise RenderError.single("", f"The image {node.alt!r} is neither PNG nor JPEG.")
        pixel_w, pixel_h = _image_size(data, node.alt)
        st = self.own_style(node.style, ctx.para)
        page = self.theme.page
        ratio = pixel_h / max(pixel_w, 1)
        body_height = page.height_mm - page.margin_top_mm - page.margin_bottom_mm
        width_mm = min(max(node.width_mm, 1.0), page.text_width_mm,
                       MAX_IMAGE_SHARE * body_height / ratio)
        width = max(round(width_mm * _PX_PER_MM), 1)
        height = max(round(width_mm * ratio * _PX_PER_MM), 1)
        holder = self.css.use("s-", st.name + "-image", (
            ("text-align", alignment(st)),
            *spacing(st.space_before, st.space_after, max(st.indent_mm - ctx.floor, 0.0))))
        self.css.add("img", (("max-width", "100%"), ("height", "auto"),
                             ("max-height", f"{number(MAX_IMAGE_SHARE * body_height)}mm")))
        img = (f'<img src="{escape(self.image_src(data, extension))}" alt="{escape(node.alt)}"'
               f' width="{width}" height="{height}">')
        if caption is None:
            self.out.append(f'<div class="{holder}">{img}</div>')
            return
        self.out.append(f'<figure class="{holder}">{img}')
        self.paragraph("figcaption", caption.children,
                       self.own_style(caption.style, ctx.para), ctx)
        self.out.append("</figure>")


    def chart(self, node: t.Chart, ctx: Ctx) -> None:
        """A chart as its picture, at its own size, in a figure (a chart, not decoration),
        its text equivalent under it (`CHART_TEXT_STYLE`) for a reader who cannot make the
        picture out; a screen reader has it once, as the picture's ``alt``."""
        data = chart_png(node, self.theme)
        width = max(round(node.width_mm * _PX_PER_MM), 1)
        height = max(round(node.height_mm * _PX_PER_MM), 1)
        st = self.own_style(node.style, ctx.para)
        holder = self.css.use("s-", st.name + "-chart", (
            ("margin-inline", "0"),
            *spacing(st.space_before, st.space_after, max(st.indent_mm - ctx.floor, 0.0))))
        self.css.add("img", (("max-width", "100%"), ("height", "auto")))
        text_class = self.block_class(self.theme.style(CHART_TEXT_STYLE, "small"), ctx)
        alt = escape(printable(node.alt))
        self.out.append(f'<figure class="{holder}"><img src="'
                        f'{escape(self.image_src(data, "png"))}" alt="{alt}" '
                        f'width="{width}" height="{height}"><figcaption class="{text_class}"'
                        f'{self._dir_attr(node.alt)} aria-hidden="true">{alt}</figcaption>'
                        f'</figure>')


def _item_text(item: tuple[t.Block, ...]) -> str:
    first = item[0] if item else None
    return t.plain_text(first.children) if isinstance(first, t.Paragraph) else ""


def _image_size(data: bytes, alt: str) -> tuple[int, int]:
    """The image's size in pixels, read from its header (nothing is decoded)."""
    from PIL import Image

    try:
        with Image.open(BytesIO(data)) as picture:
            width, height = picture.size
    except Exception:  # Pillow's many error types, whose text shows memory addresses
        raise RenderError.single("", f"The image {alt!r} cannot be read; it is "
                                     "damaged.") from None
    return int(width), int(height)


def lang_attr(lang: str | None) -> str:
    """The ``lang`` attribute of a passage in another language (none without one)."""
    return f' lang="{escape(lang)}"' if lang else ""
