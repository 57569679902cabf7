"""Charts laid out once, format-neutrally: data in, a `tree.Chart` of boxes, lines and
labels (millimetres) out.

Both writers paint the same geometry (the PDF as vector graphics, the DOCX as a picture),
so a chart looks the same in both. Text is measured with the theme's own fonts, the ones
the writers draw it in (each piece in the first font of the chain that has it,
`label_runs`), so labels fit where they are put. Labels are not shaped: a Devanagari or
Arabic owner's name prints letter by letter in a chart (the tables beside it shape it).
The styles a chart names:

    chart-label    owner labels, tick labels and the axis title
    chart-legend   legend text
    chart-note     the note after a bar (e.g. "2 overdue")
    chart-axis     the axis line; chart-grid the grid lines
    chart-text     the chart's alternative text, where a format prints it (HTML, text)
    (caller's)     each segment's fill, and the style of the count printed inside it
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

from . import tree
from .fontchain import chain_of, face_path, segments
from .themes import Theme

PT = 25.4 / 72  # millimetres in a point
BAR_MM = 4.6
ROW_GAP_MM = 2.6
GUTTER_MM = 2.5
EDGE_MM = 0.8  # kept clear at the left and right edges
LABEL_SHARE = 0.36  # the owner labels take at most this share of the width
ELLIPSIS = "\u2026"


@dataclass(frozen=True, slots=True)
class Segment:
    """One part of a bar: a count drawn in ``style``, its number printed in ``value_style``."""

    value: int
    style: str
    value_style: str = "chart-label"


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    segments: tuple[Segment, ...]
    note: str = ""

    @property
    def total(self) -> int:
        return sum(segment.value for segment in self.segments)


@dataclass(frozen=True, slots=True)
class Key:
    """A legend entry: what a segment style means."""

    text: str
    style: str


class TextMetrics:
    """Widths of text in a theme's styles, measured with the font files the writers use."""

    def __init__(self, theme: Theme) -> None:
        self.theme = theme

    def size(self, style: str) -> float:
        return float(self.theme.style(style).size)

    def width(self, text: str, style: str) -> float:
        size = self.theme.style(style).size
        return sum(_advance(str(path), piece) * size * PT
                   for path, piece in label_runs(self.theme, style, text))


def label_runs(theme: Theme, style: str | None, text: str) -> list[tuple[Path, str]]:
    """``text`` as the pieces each font of the style's chain sets (`fontchain.segments`):
    the font file and the piece, in order. Both writers draw a label this way."""
    st = theme.style(style)
    families = chain_of(theme, st.font)
    return [(face_path(families[piece.family], piece.face), piece.text)
            for piece in segments(text, families, st.bold, st.italic)]


@lru_cache(maxsize=64)
def _font(path: str) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size=1000)


@lru_cache(maxsize=4096)
def _advance(path: str, text: str) -> float:
    """The advance width of ``text`` in ems."""
    with _LOCK:  # a FreeType face is not to be used by two threads at once
        return float(_font(path).getlength(text)) / 1000


_LOCK = threading.Lock()


def stacked_bars(bars: Sequence[Bar], legend: Sequence[Key], *, width_mm: float,
                 metrics: TextMetrics, alt: str, axis_title: str) -> tree.Chart:
    """Horizontal bars, one per ``bars`` entry top to bottom, each stacked from its
    segments left to right, its total and note after it; a legend above, an axis below."""
    legend_shapes: list[tree.Shape] = []
    top = _legend(legend, metrics, width_mm, legend_shapes) + 2.0
    line = metrics.size("chart-label") * PT * 1.25
    rise = metrics.size("chart-label") * PT * 0.35  # baseline below a line's middle
    labels = [_wrap(b.label, width_mm * LABEL_SHARE, metrics) for b in bars]
    label_w = max((metrics.width(p, "chart-label") for ls in labels for p in ls), default=0.0)
    total_w = max((metrics.width(str(b.total), "chart-label") for b in bars), default=0.0)
    note_w = max((metrics.width(b.note, "chart-note") for b in bars if b.note), default=0.0)
    left = EDGE_MM + label_w + GUTTER_MM
    right = width_mm - EDGE_MM - total_w - GUTTER_MM - (note_w + GUTTER_MM if note_w else 0.0)
    step, ticks = _ticks(max((b.total for b in bars), default=0))
    scale = (right - left) / (step * ticks)
    bar_shapes: list[tree.Shape] = []
    y = top
    for bar, lines in zip(bars, labels, strict=True):
        pitch = max(BAR_MM, len(lines) * line) + ROW_GAP_MM
        middle = y + pitch / 2
        first = middle + rise - (len(lines) - 1) * line / 2
        for index, part in enumerate(lines):
            bar_shapes.append(tree.Label(left - GUTTER_MM, first + index * line, part, "end",
                                         "chart-label"))
        x = left
        for segment in bar.segments:
            if segment.value <= 0:
                continue
            width = segment.value * scale
            bar_shapes.append(tree.Box(x, middle - BAR_MM / 2, width, BAR_MM, segment.style))
            number = str(segment.value)
            if metrics.width(number, segment.value_style) + 1.2 <= width:
                value_rise = metrics.size(segment.value_style) * PT * 0.35
                bar_shapes.append(tree.Label(x + width / 2, middle + value_rise, number,
                                             "middle", segment.value_style))
            x += width
        bar_shapes.append(tree.Label(x + 1.2, middle + rise, str(bar.total), "start",
                                     "chart-label"))
        if bar.note:
            bar_shapes.append(tree.Label(x + 1.2 + total_w + GUTTER_MM, middle + rise,
                                         bar.note, "start", "chart-note"))
        y += pitch
    bottom = y
    grid: list[tree.Shape] = []
    for tick in range(ticks + 1):
        x = left + tick * step * scale
        grid.append(tree.Line(x, top, x, bottom, "chart-axis" if tick == 0 else "chart-grid"))
        grid.append(tree.Label(x, bottom + line, str(tick * step), "middle", "chart-label"))
    axis: list[tree.Shape] = [tree.Line(left, bottom, right, bottom, "chart-axis"),
                              tree.Label((left + right) / 2, bottom + 2 * line + 0.8, axis_title,
                                         "middle", "chart-label")]
    shapes: list[tree.Shape] = [*legend_shapes, *grid, *bar_shapes, *axis]
    return tree.Chart(width_mm=round(width_mm, 3), height_mm=round(bottom + 2 * line + 3.0, 3),
                      shapes=tuple(_rounded(s) for s in shapes), alt=alt)


def _legend(legend: Sequence[Key], metrics: TextMetrics, width_mm: float,
            shapes: list[tree.Shape]) -> float:
    """The legend as one row of swatches and names; returns the y below it."""
    size = metrics.size("chart-legend") * PT
    x, y = EDGE_MM, 1.0
    for key in legend:
        text_w = metrics.width(key.text, "chart-legend")
        if x > EDGE_MM and x + size + 1.5 + text_w > width_mm - EDGE_MM:
            x, y = EDGE_MM, y + size * 1.6
        shapes.append(tree.Box(x, y, size, size, style=key.style))
        shapes.append(tree.Label(x + size + 1.5, y + size * 0.85, key.text, "start",
                                 "chart-legend"))
        x += size + 1.5 + text_w + 5.0
    return y + size + 1.5


def _wrap(text: str, width: float, metrics: TextMetrics) -> list[str]:
    """``text`` in at most two lines of ``width``, the last cut with an ellipsis if need be."""
    words = text.split()
    first: list[str] = []
    while words and (not first or metrics.width(" ".join([*first, words[0]]),
                                                "chart-label") <= width):
        first.append(words.pop(0))
    lines = [" ".join(first), " ".join(words)] if words else [" ".join(first)]
    return [_cut(part, width, metrics) for part in lines]


def _cut(text: str, width: float, metrics: TextMetrics) -> str:
    """``text`` shortened with an ellipsis until it fits ``width``."""
    if metrics.width(text, "chart-label") <= width:
        return text
    low, high = 0, len(text)
    while low < high:
        mid = (low + high + 1) // 2
        if metrics.width(text[:mid].rstrip() + ELLIPSIS, "chart-label") <= width:
            low = mid
        else:
            high = mid - 1
    return text[:low].rstrip() + ELLIPSIS


def _ticks(largest: int) -> tuple[int, int]:
    """A round step and the number of steps that cover ``largest`` (at most 8 steps)."""
    if largest <= 0:
        return 1, 1
    magnitude = 10 ** max(0, int(math.log10(largest)) - 1)
    for factor in (1, 2, 5, 10, 20, 50, 100):
        step = factor * magnitude
        if largest / step <= 8:
            return step, math.ceil(largest / step)
    return largest, 1  # pragma: no cover - unreachable: factor 100 always fits


def _rounded(shape: tree.Shape) -> tree.Shape:
    """Coordinates to a thousandth of a millimetre: stable bytes across platforms."""
    if isinstance(shape, tree.Box):
        return tree.Box(round(shape.x, 3), round(shape.y, 3), round(shape.width, 3),
                        round(shape.height, 3), shape.style)
    if isinstance(shape, tree.Line):
        return tree.Line(round(shape.x1, 3), round(shape.y1, 3), round(shape.x2, 3),
                         round(shape.y2, 3), shape.style)
    return tree.Label(round(shape.x, 3), round(shape.y, 3), shape.text, shape.anchor,
                      shape.style)


@dataclass(frozen=True, slots=True)
class Paint:
    """How a writer paints a box or a line: colours ``#rrggbb`` (or none) and a width."""

    fill: str | None
    stroke: str | None
    stroke_pt: float


def paint_of(theme: Theme, shape: tree.Box | tree.Line) -> Paint:
    """The one rule both writers follow: a box takes its style's background and border,
    a line is drawn as a rule of its style (`Theme.rule`)."""
    st = theme.style(shape.style)
    if isinstance(shape, tree.Box):
        border = st.border
        return Paint(st.background, border.colour if border else None,
                     border.width if border else 0.0)
    line = theme.rule(st)
    return Paint(None, line.colour, line.width)
