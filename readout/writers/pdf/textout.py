"""PDF writer: a line's text operators for the theme's fonts, written in one pass.

For every run of text it draws, reportlab's ``PDFTextObject._formatText`` splits the
text into font subsets (`accel.FastTTFont.splitString`: a glyph code per character),
escapes each subset's bytes for a PDF string literal and wraps them in ``Tj``. A
document's text is almost all in the font's first subset (its first 256 distinct
characters), so `format_text` keeps, for each font and document, every character's
escaped code in that subset (`FastTTFont.first_subset_text`) and writes a run made
only of characters already there with one ``str.translate``. Anything else (a new
character, another subset, a font or canvas that is not ours, shaped or byte text)
goes to reportlab's own, so the operators are always reportlab's. Installed once, at
import, on ``PDFTextObject`` (recorded in `accel.ORIGINALS`).
"""

from __future__ import annotations

from typing import Any

from reportlab.pdfgen import textobject
from reportlab.pdfgen.textobject import PDFTextObject

from .accel import ORIGINALS, FastTTFont
from .canvas import PdfCanvas

__all__ = ["format_text", "install"]

_original_format_text = PDFTextObject._formatText


def format_text(self: Any, text: Any) -> str:
    """``PDFTextObject._formatText(text)``: the operators that draw ``text`` in the
    text object's font, switching to the font's subset first when another is set."""
    if type(text) is str and text:
        font = textobject.pdfmetrics_getFont(self._fontname)
        canvas = self._canvas
        if isinstance(font, FastTTFont) and type(canvas)._escape is PdfCanvas._escape:
            doc = canvas._doc
            escaped = font.first_subset_text(text, doc)
            if escaped is not None:
                if self._curSubset == 0:
                    return f"({escaped}) Tj"
                fp_str = textobject.fp_str
                head = (f"{font.getSubsetInternalName(0, doc)} {fp_str(self._fontsize)} Tf "
                        f"{fp_str(self._leading)} TL")
                self._curSubset = 0
                return f"{head} ({escaped}) Tj"
    result: str = _original_format_text(self, text)
    return result


def install() -> None:
    """Put `format_text` on ``PDFTextObject`` (once)."""
    if PDFTextObject._formatText is _original_format_text:
        ORIGINALS.append((PDFTextObject, "_formatText", _original_format_text))
        PDFTextObject._formatText = format_text


install()
