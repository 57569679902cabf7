"""PDF writer: a `tree.Chart` as vector graphics (reportlab.graphics).

The geometry is the chart's own (`readout.chart` laid it out); this module only paints
it, in the theme's colours and fonts. In a tagged PDF the chart is a Figure with the
chart's alternative text (`blocks`); the drawing itself also sits in a marked-content
sequence whose property list carries that text (``/Alt``, ISO 32000-1 section 14.9.3),
so that text extraction reads it in place of the labels, tagged or not.
"""

from __future__ import annotations

from typing import Any

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from ... import tree as t
from ...chart import paint_of
from ...fontchain import chain_of, segments
from .flow import colour
from .styles import Styles


class ChartFlowable(Flowable):  # type: ignore[misc]
    """A chart drawn at its own size, inside an ``/Alt``-carrying marked-content span."""

    def __init__(self, chart: t.Chart, styles: Styles) -> None:
        super().__init__()
        self.chart = chart
        self.drawing = _drawing(chart, styles)
        self.width, self.height = self.drawing.width, self.drawing.height

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        alt = self.chart.alt.encode("utf-16-be").hex().upper()
        self.canv._code.append(f"/Span <</Alt <FEFF{alt}> >> BDC")
        renderPDF.draw(self.drawing, self.canv, 0, 0)
        self.canv._code.append("EMC")


def _drawing(chart: t.Chart, styles: Styles) -> Any:
    theme = styles.theme
    height = chart.height_mm * mm
    drawing = Drawing(chart.width_mm * mm, height)
    body = styles.body
    drawing.initialFontName = styles.face(body.font, body.bold, body.italic)  # not Helvetica
    drawing.initialFontSize = body.size
    for shape in chart.shapes:
        if isinstance(shape, t.Box):
            paint = paint_of(theme, shape)
            drawing.add(Rect(shape.x * mm, height - (shape.y + shape.height) * mm,
                             shape.width * mm, shape.height * mm,
                             fillColor=colour(paint.fill) if paint.fill else None,
                             strokeColor=colour(paint.stroke) if paint.stroke else None,
                             strokeWidth=paint.stroke_pt))
        elif isinstance(shape, t.Line):
            paint = paint_of(theme, shape)
            drawing.add(Line(shape.x1 * mm, height - shape.y1 * mm, shape.x2 * mm,
                             height - shape.y2 * mm, strokeColor=colour(paint.stroke or "#000"),
                             strokeWidth=paint.stroke_pt))
        elif isinstance(shape, t.Label):
            _label(drawing, shape, styles, height)
        else:
            raise TypeError(f"The PDF writer cannot paint a chart shape {type(shape).__name__}.")
    return drawing


def _label(drawing: Any, label: t.Label, styles: Styles, height: float) -> None:
    """A label, each piece in the face of the chain that has it, placed from its anchor."""
    st = styles.theme.style(label.style)
    pieces = [(styles.chain_faces(st.font, p.family)[p.face], p.text) for p in segments(
        label.text, chain_of(styles.theme, st.font), st.bold, st.italic)]
    widths = [stringWidth(text, face, st.size) for face, text in pieces]
    x = label.x * mm - {"start": 0.0, "middle": 0.5, "end": 1.0}[label.anchor] * sum(widths)
    for (face, text), width in zip(pieces, widths, strict=True):
        drawing.add(String(x, height - label.y * mm, text, fontName=face, fontSize=st.size,
                           fillColor=colour(st.colour), textAnchor="start"))
        x += width
