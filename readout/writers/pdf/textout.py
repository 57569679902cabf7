"""PDF writer: a line's text operators for the theme's fonts, written in one pass.

For every run of text it draws, reportlab's ``PDFTextObject._formatText`` splits the
text into font subsets (`accel.FastTTFont.splitString`: a glyph code per character),
escapes each subset's bytes for a PDF string literal and wraps them in ``Tj``. A
document's text is almost all in the font's first subset (its first 256 distinct
characters), so `format_text` keeps, for each font and document, every character's
escaped code in that subset (`FastTTFont.first_subset_text`) and writes a run made
only of characters already there with one ``str.translate``. Anything else (a new
character, another subset, a font or canvas that is not ours, byte text) goes to
reportlab's own, so the operators are always reportlab's. Installed once, at
import, on ``PDFTextObject`` (recorded in `accel.ORIGINALS`).

A line of a paragraph of several styles (a portion mark in bold before the text, a
word in italics) is drawn by reportlab's ``_putFragLine``, which, word by word, also
measures the text and keeps the positions where links, underlines and backgrounds
start and end. `put_frag_line` draws a line of plain text fragments (no image,
callback, link, underline or background; no end dots; a fixed leading) with the
same font, colour, rise and text operators in the same order, without the measuring
that only those need; any other line goes to reportlab's. Installed once, at import,
in ``reportlab.platypus.paragraph`` (recorded in `accel.ORIGINALS`).

A shaped run (a ``ShapedStr``: HarfBuzz glyphs with their offsets, see `shaping`) is
written by `shaped_text` with reportlab's arithmetic, but per glyph only where a glyph
is moved: reportlab's loop makes three items per glyph (the offset before it, its code,
the correction after it), drops the zeros, joins neighbouring codes and adds
neighbouring numbers; almost every glyph has no offset, so the codes between two moved
glyphs are one slice. A glyph raised or lowered (a mark below a consonant, an Arabic
vowel sign) ends the run where reportlab ends it, with the same ``Ts`` operators, set
by the same ``setRise``. A run whose shape data does not match its text (or holds a
negative cluster, or an offset that is not a finite number) goes to reportlab's own.
"""

from __future__ import annotations

from itertools import pairwise
from math import isfinite
from operator import itemgetter
from typing import Any

from reportlab.pdfbase.ttfonts import ShapedStr
from reportlab.pdfgen import textobject
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import paragraph

from .accel import ORIGINALS, FastTTFont, escape_pdf
from .canvas import PdfCanvas

__all__ = ["format_text", "install", "put_frag_line", "shaped_text"]

_CLUSTER, _Y_OFFSET = itemgetter(0), itemgetter(4)  # ShapeData fields

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
    elif type(text) is ShapedStr and text:
        found = shaped_text(self, text)
        if found is not None:
            return found
    result: str = _original_format_text(self, text)
    return result


def shaped_text(self: Any, text: Any) -> str | None:
    """``PDFTextObject._formatText(text)`` for a shaped run, or ``None`` (nothing
    changed) for a run this does not answer (see the module)."""
    font = textobject.pdfmetrics_getFont(self._fontname)
    canvas = self._canvas
    data = text.__shapeData__
    if (not isinstance(font, FastTTFont) or not font.shapable
            or type(canvas)._escape is not PdfCanvas._escape or data is None
            or len(data) != len(text) or min(map(_CLUSTER, data)) < 0):
        return None
    moved = [i for i, sd in enumerate(data)
             if sd.x_offset or sd.width - sd.x_advance + sd.x_offset]
    raised = [i for i, y in enumerate(map(_Y_OFFSET, data)) if y] if any(
        map(_Y_OFFSET, data)) else []
    doc = canvas._doc
    if not moved and not raised:  # reportlab's operators are the unshaped text's then
        escaped = font.first_subset_text(text, doc)
        if escaped is not None and self._curSubset == 0:
            return f"({escaped}) Tj"
    base, size = self._rise, self._fontsize
    rises = {i: base + size * data[i].y_offset / 1000 for i in raised}
    if not all(map(isfinite, rises.values())):
        return None
    fp_str = textobject.fp_str
    state = (self._code, self._x, self._y)
    out: list[str] = []
    heads: dict[int, str] = {}
    next_moved = 0  # the first of ``moved`` not yet drawn
    try:
        self._code = out  # where setRise writes
        start = 0
        for subset, codes in font.splitString(text, doc):
            if subset != self._curSubset:
                head = heads.get(subset)
                if head is None:
                    head = heads[subset] = (f"{font.getSubsetInternalName(subset, doc)} "
                                            f"{fp_str(size)} Tf {fp_str(self._leading)} TL")
                out.append(head)
                self._curSubset = subset
            end = start + len(codes)
            if not raised and (next_moved == len(moved) or moved[next_moved] >= end):
                out.append(f"({escape_pdf(codes)}) Tj")  # one run, nothing moved
                start = end
                continue
            for first, last in _groups(start, end, raised, rises, base):
                rise = rises.get(first, base)
                if rise != self._rise:
                    self.setRise(rise)
                shifted = []
                while next_moved < len(moved) and moved[next_moved] < last:
                    shifted.append((moved[next_moved] - first, data[moved[next_moved]]))
                    next_moved += 1
                out.append(_run(codes[first - start:last - start], shifted, fp_str))
                if self._rise != base:
                    self.setRise(base)
            start = end
        if self._rise != base:
            self.setRise(base)
    finally:
        self._code, self._x, self._y = state
    return " ".join(out)


def _groups(start: int, end: int, raised: list[int], rises: dict[int, float], base: float
            ) -> list[tuple[int, int]]:
    """The glyphs ``start`` to ``end`` as runs drawn at one rise (reportlab ends a run
    where a glyph's rise differs from the run's): (first, after the last) each."""
    bounds = [start]
    edges = {at for glyph in raised for at in (glyph, glyph + 1) if start < at < end}
    for at in sorted(edges):
        if rises.get(at, base) != rises.get(at - 1, base):
            bounds.append(at)
    bounds.append(end)
    return list(pairwise(bounds))


def _run(codes: bytes, moved: list[tuple[int, Any]], fp_str: Any) -> str:
    """The ``Tj`` or ``TJ`` operator drawing ``codes`` (one subset's), where ``moved``
    gives the glyphs shifted from their pen position (index in ``codes``, ShapeData)."""
    items: list[Any] = []  # code runs (bytes) and numbers, zeros left out
    at = 0
    for i, sd in moved:
        before = -sd.x_offset
        after = sd.width - sd.x_advance + sd.x_offset
        if before:
            if at < i:
                items.append(codes[at:i])
            items.append(before)
            at = i
        if after:
            items.append(codes[at:i + 1])
            items.append(after)
            at = i + 1
    if at < len(codes):
        items.append(codes[at:])
    parts: list[str] = []
    numbers: list[Any] = []
    for item in items:
        if type(item) is bytes:
            if numbers:
                _add_number(parts, sum(numbers), fp_str)
                numbers = []
            parts.append(f"({escape_pdf(item)})")
        else:
            numbers.append(item)
    if numbers:
        _add_number(parts, sum(numbers), fp_str)
    if len(parts) == 1 and parts[0].startswith("("):
        return f"{parts[0]} Tj"
    return f"[{' '.join(parts)}] TJ"


def _add_number(parts: list[str], value: Any, fp_str: Any) -> None:
    written: str = fp_str(value)
    if written != "0":
        parts.append(written)


_original_put_frag_line = paragraph._putFragLine


def put_frag_line(cur_x: float, tx: Any, line: Any, last: Any, kind: str) -> None:
    """``paragraph._putFragLine(cur_x, tx, line, last, kind)``: draw one line of a
    paragraph of several styles (see the module)."""
    xs = tx.XtraState
    words = line.words
    if xs.autoLeading in ("min", "max") or xs.backColor or (last and xs.style.endDots):
        return _original_put_frag_line(cur_x, tx, line, last, kind)  # type: ignore[no-any-return]
    for f in words:
        if hasattr(f, "cbDefn") or f.us_lines or f.link or getattr(f, "backColor", None):
            return _original_put_frag_line(cur_x, tx, line, last, kind)  # type: ignore[no-any-return]
    leading = xs.leading
    if tx._leading != leading:
        tx.setLeading(leading)
    final = words[-1]
    for f in words:
        size = f.fontSize
        if (tx._fontname, tx._fontsize) != (f.fontName, size):
            tx._setFont(f.fontName, size)
        colour = f.textColor
        if xs.textColor != colour:
            xs.textColor = colour
            tx.setFillColor(colour)
        rise = f.rise
        if xs.rise != rise:
            xs.rise = rise
            tx.setRise(rise)
        tx._textOut(f.text, f is final)  # moves no origin: nothing to put back
    return None


def install() -> None:
    """Put `format_text` on ``PDFTextObject`` and `put_frag_line` in reportlab's
    paragraph module (once)."""
    if PDFTextObject._formatText is _original_format_text:
        ORIGINALS.append((PDFTextObject, "_formatText", _original_format_text))
        PDFTextObject._formatText = format_text
    if paragraph._putFragLine is _original_put_frag_line:
        ORIGINALS.append((paragraph, "_putFragLine", _original_put_frag_line))
        paragraph._putFragLine = put_frag_line


install()
