"""How wide a text is in a TrueType font, from its ``cmap`` and ``hmtx`` tables.

Word sizes a watermark by its shape, not by its font size: the shape must be as wide as
the text at the size the PDF draws it, or Word stretches the letters. Only what that
needs is read: the format 4 character map (the Basic Multilingual Plane) and the
advance widths; a character the map lacks counts as the font's average width.
"""

from __future__ import annotations

import struct
from functools import lru_cache
from pathlib import Path


def text_width(path: Path, text: str) -> float:
    """The advance width of ``text`` at 1 point, in points."""
    units, advances, average = _metrics(str(path))
    return sum(advances.get(ord(char), average) for char in text) / units


@lru_cache(maxsize=16)
def _metrics(path: str) -> tuple[int, dict[int, int], int]:
    """(units per em, advance by code point, average advance) of a font file."""
    data = Path(path).read_bytes()
    count = struct.unpack_from(">H", data, 4)[0]
    tables = {data[12 + 16 * i:16 + 16 * i]: struct.unpack_from(">I", data, 20 + 16 * i)[0]
              for i in range(count)}
    units = struct.unpack_from(">H", data, tables[b"head"] + 18)[0]
    metrics_count = struct.unpack_from(">H", data, tables[b"hhea"] + 34)[0]
    hmtx = tables[b"hmtx"]
    widths = [struct.unpack_from(">H", data, hmtx + 4 * i)[0] for i in range(metrics_count)]
    average = struct.unpack_from(">h", data, tables[b"OS/2"] + 2)[0] if b"OS/2" in tables \
        else sum(widths) // max(len(widths), 1)
    advances: dict[int, int] = {}
    for code, glyph in _format4(data, tables[b"cmap"]).items():
        advances[code] = widths[min(glyph, metrics_count - 1)]
    return units, advances, average


def _format4(data: bytes, cmap: int) -> dict[int, int]:
    """Code point -> glyph id from the (3, 1) or (0, x) format 4 subtable, if any."""
    for index in range(struct.unpack_from(">H", data, cmap + 2)[0]):
        platform, encoding, offset = struct.unpack_from(">HHI", data, cmap + 4 + 8 * index)
        at = cmap + offset
        if (platform, encoding) in ((3, 1), (0, 3), (0, 4)) and \
                struct.unpack_from(">H", data, at)[0] == 4:
            break
    else:
        return {}
    segments = struct.unpack_from(">H", data, at + 6)[0] // 2
    ends = struct.unpack_from(f">{segments}H", data, at + 14)
    starts = struct.unpack_from(f">{segments}H", data, at + 16 + 2 * segments)
    deltas = struct.unpack_from(f">{segments}h", data, at + 16 + 4 * segments)
    ranges_at = at + 16 + 6 * segments
    offsets = struct.unpack_from(f">{segments}H", data, ranges_at)
    glyphs: dict[int, int] = {}
    for i, (start, end, delta, range_offset) in enumerate(
            zip(starts, ends, deltas, offsets, strict=True)):
        for code in range(start, min(end, 0xFFFE) + 1):
            if range_offset == 0:
                glyph = (code + delta) & 0xFFFF
            else:
                where = ranges_at + 2 * i + range_offset + 2 * (code - start)
                glyph = struct.unpack_from(">H", data, where)[0]
                glyph = (glyph + delta) & 0xFFFF if glyph else 0
            if glyph:
                glyphs[code] = glyph
    return glyphs
