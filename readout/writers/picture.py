"""A `tree.Chart` painted as a PNG picture with Pillow, for the DOCX and HTML writers.

Word has no drawing that the PDF writer could share, so the chart's geometry (laid out
once by `readout.chart`) is painted here into pixels, in the same theme colours and
fonts as the PDF's vector drawing: the same picture, at ``DPI`` dots per inch, which a
writer places like an image with the chart's alternative text.
"""

from __future__ import annotations

import io
import math
import threading
from typing import TYPE_CHECKING

from .. import tree as t
from ..themes import Theme

if TYPE_CHECKING:
    from PIL import ImageFont

DPI = 200
_PX = DPI / 25.4  # pixels in a millimetre
_SHARE = {"start": 0.0, "middle": 0.5, "end": 1.0}  # of a label's width left of its x


def chart_png(chart: t.Chart, theme: Theme) -> bytes:
    """The PNG bytes of ``chart`` in ``theme``; the same chart gives the same bytes."""
    with _LOCK:  # a FreeType face is not to be used by two threads at once
        return _paint(chart, theme)


def _paint(chart: t.Chart, theme: Theme) -> bytes:
    # here: a document without a chart imports neither Pillow nor the chart's layout
    from PIL import Image, ImageDraw

    from ..chart import PT, label_runs, paint_of

    size = (math.ceil(chart.width_mm * _PX), math.ceil(chart.height_mm * _PX))
    image = Image.new("RGB", size, "#ffffff")
    draw = ImageDraw.Draw(image)
    for shape in chart.shapes:
        if isinstance(shape, t.Box):
            paint = paint_of(theme, shape)
            box = (_px(shape.x), _px(shape.y), _px(shape.x + shape.width) - 1,
                   _px(shape.y + shape.height) - 1)
            draw.rectangle(box, fill=paint.fill, outline=paint.stroke,
                           width=_stroke(paint.stroke_pt) if paint.stroke else 0)
        elif isinstance(shape, t.Line):
            paint = paint_of(theme, shape)
            draw.line(((_px(shape.x1), _px(shape.y1)), (_px(shape.x2), _px(shape.y2))),
                      fill=paint.stroke, width=_stroke(paint.stroke_pt))
        elif isinstance(shape, t.Label):
            st = theme.style(shape.style)
            pieces = [(_font(str(path), st.size * PT * _PX), text)
                      for path, text in label_runs(theme, shape.style, shape.text)]
            widths = [font.getlength(text) for font, text in pieces]
            x = shape.x * _PX - _SHARE[shape.anchor] * sum(widths)
            for (font, text), width in zip(pieces, widths, strict=True):
                draw.text((x, shape.y * _PX), text, font=font, fill=st.colour, anchor="ls")
                x += width
        else:
            raise TypeError(f"The DOCX writer cannot paint a chart shape "
                            f"{type(shape).__name__}.")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False, compress_level=9,
               dpi=(DPI, DPI))
    return buffer.getvalue()


def _px(mm: float) -> int:
    return round(mm * _PX)


def _stroke(points: float) -> int:
    from ..chart import PT

    return max(1, round(points * PT * _PX))


_LOCK = threading.Lock()
_FONTS: dict[tuple[str, float], ImageFont.FreeTypeFont] = {}


def _font(path: str, size: float) -> ImageFont.FreeTypeFont:
    key = (path, round(size, 2))
    found = _FONTS.get(key)
    if found is None:
        from PIL import ImageFont

        found = _FONTS[key] = ImageFont.truetype(path, size=key[1])
    return found
