"""Tables as WordprocessingML (like pandoc's Docx/Table).

The table writer is given what it needs from the part being written (its output list
and a function that writes one paragraph), as pandoc's ``Table.hs`` takes
``blocksToOpenXML``, instead of importing the body writer that calls it.
"""

from __future__ import annotations

from collections.abc import Callable

from ... import tree as t
from ...themes import Style, Theme
from .base import Base
from .xml import shading_xml, twips

# Writes one paragraph: (inlines, theme style, paragraph kind, enclosing box style).
WriteParagraph = Callable[[tuple[t.Inline, ...], Style | None, str, Style | None], None]


def write_table(node: t.Table, base: Base, out: list[str], para: WriteParagraph) -> None:
    """``node`` as a ``w:tbl`` appended to ``out``: fixed column widths over the text
    width, the theme's table style, a repeating shaded header row, shaded rows and cells
    per their style; ``para`` writes each cell's paragraph."""
    theme = base.theme
    page = theme.page
    total = twips(page.width_mm - page.margin_left_mm - page.margin_right_mm)
    count = max(1, len(node.widths))
    weights = [max(0.0, w) for w in node.widths] or [1.0]
    whole = sum(weights) or float(count)
    widths = [round(total * (w or whole / count) / whole) for w in weights]
    widths[-1] += total - sum(widths)
    table_style = node.style if node.style is not None and node.style in theme.styles \
        else "table"
    word = theme.style(table_style).word_style if theme.has_style(table_style) else None
    style_id = base.table_ids.get(word or "", base.table_ids.get("Table Grid"))
    out.append("<w:tbl><w:tblPr>")
    if style_id:
        out.append(f'<w:tblStyle w:val="{style_id}"/>')
    # A header row heads the columns; without one, the first column heads the rows
    # (a key-value table), as in the PDF's structure.
    head = node.header is not None
    look = ('w:val="0420" w:firstRow="1" w:lastRow="0" w:firstColumn="0"' if head else
            'w:val="0480" w:firstRow="0" w:lastRow="0" w:firstColumn="1"')
    out.append(f'<w:tblW w:w="{total}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
               f'<w:tblLook {look} w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>'
               "</w:tblPr><w:tblGrid>")
    out.extend(f'<w:gridCol w:w="{w}"/>' for w in widths)
    out.append("</w:tblGrid>")
    if node.header is not None:
        _row(theme, out, para, node.header, widths, table_style, header=True)
    for row in node.rows:
        _row(theme, out, para, row, widths, table_style, header=False)
    out.append("</w:tbl>")


def _row(theme: Theme, out: list[str], para: WriteParagraph, row: t.Row, widths: list[int],
         table_style: str, *, header: bool) -> None:
    """One ``w:tr``. A group's row is its first cell alone, spanning the columns
    (``w:gridSpan``), styled as a header cell unless the row names a style."""
    group = row.group and not header
    row_style = row.style if row.style in theme.styles else (
        "table-header" if header or group else None)
    out.append("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" if header
               else "<w:tr><w:trPr><w:cantSplit/></w:trPr>")
    cells = list(row.cells[:1 if group else len(widths)])
    cells += [t.Cell(())] * ((1 if group else len(widths)) - len(cells))
    spans = [len(widths)] if group else [1] * len(widths)
    for cell, width, span in zip(cells, [sum(widths)] if group else widths, spans,
                                 strict=True):
        own = [theme.styles[name] for name in (cell.style, row_style)
               if name is not None and name in theme.styles]
        style = own[0] if own else theme.styles.get(table_style)
        fill = next((found.background for found in own if found.background), None)
        shading = shading_xml(fill) if fill else ""
        merged = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
        out.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{merged}{shading}'
                   "</w:tcPr>")
        para(cell.children, style, "cell", None)
        out.append("</w:tc>")
    out.append("</w:tr>")
