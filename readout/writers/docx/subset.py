"""Embedded fonts cut down to what a document shows, fast.

A DOCX embeds its fonts whole unless told otherwise: four faces of Noto Sans with
Devanagari are 2 MB. `cut` keeps the glyph of every character the document uses, the
glyphs HarfBuzz substitutes for them (conjuncts, Arabic joining forms, marks) and the
components of composite glyphs, and empties every other glyph in place. Glyph ids do
not change, so the layout tables stay valid as they are; a document with no complex
script drops them (Word and LibreOffice need them only to shape such scripts). The
file is rebuilt table by table with ``struct``: milliseconds, where fontTools' general
subsetter takes seconds on a font this size.
"""

from __future__ import annotations

import struct
import sys
from array import array
from collections.abc import Iterable
from functools import lru_cache

from .cache import cached_font_parse

_LAYOUT = (b"GSUB", b"GPOS", b"GDEF")
_DROPPED = (b"DSIG", b"hdmx", b"LTSH", b"VDMX", b"kern")
# Composite glyph flags (OpenType 'glyf').
_ARGS_ARE_WORDS, _HAVE_SCALE, _MORE, _XY_SCALE, _TWO_BY_TWO = 0x1, 0x8, 0x20, 0x40, 0x80


def _tables(data: bytes) -> dict[bytes, bytes]:
    count = struct.unpack_from(">H", data, 4)[0]
    out = {}
    for index in range(count):
        tag, _, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * index)
        out[tag] = data[offset:offset + length]
    return out


def _glyph_spans(tables: dict[bytes, bytes]) -> list[tuple[int, int]]:
    glyphs = struct.unpack_from(">H", tables[b"maxp"], 4)[0]
    long_offsets = struct.unpack_from(">h", tables[b"head"], 50)[0] == 1
    loca = tables[b"loca"]
    if long_offsets:
        offsets = struct.unpack_from(f">{glyphs + 1}I", loca)
    else:
        offsets = tuple(2 * o for o in struct.unpack_from(f">{glyphs + 1}H", loca))
    return [(offsets[i], offsets[i + 1]) for i in range(glyphs)]


def _components(glyph: bytes) -> list[int]:
    """The glyph ids a composite glyph is made of (none for a simple one)."""
    if len(glyph) < 10 or struct.unpack_from(">h", glyph, 0)[0] >= 0:
        return []
    out, at = [], 10
    while True:
        flags, gid = struct.unpack_from(">HH", glyph, at)
        out.append(gid)
        at += 4 + (4 if flags & _ARGS_ARE_WORDS else 2)
        if flags & _HAVE_SCALE:
            at += 2
        elif flags & _XY_SCALE:
            at += 4
        elif flags & _TWO_BY_TWO:
            at += 8
        if not flags & _MORE:
            return out


def _cmap(table: bytes) -> dict[int, int]:
    """Unicode code point -> glyph id, from a format 4 or 12 subtable."""
    count = struct.unpack_from(">H", table, 2)[0]
    best: tuple[int, int] | None = None
    for index in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", table, 4 + 8 * index)
        fmt = struct.unpack_from(">H", table, offset)[0]
        if (platform, encoding, fmt) in ((3, 10, 12), (0, 4, 12)):
            best = (offset, 12)
        elif (platform, encoding, fmt) in ((3, 1, 4), (0, 3, 4)) and best is None:
            best = (offset, 4)
    if best is None:
        return {}
    offset, fmt = best
    mapping: dict[int, int] = {}
    if fmt == 12:
        groups = struct.unpack_from(">I", table, offset + 12)[0]
        for group in range(groups):
            start, end, gid = struct.unpack_from(">III", table, offset + 16 + 12 * group)
            for code in range(start, end + 1):
                mapping[code] = gid + code - start
        return mapping
    segments = struct.unpack_from(">H", table, offset + 6)[0] // 2
    base = offset + 14
    ends = struct.unpack_from(f">{segments}H", table, base)
    starts = struct.unpack_from(f">{segments}H", table, base + 2 * segments + 2)
    deltas = struct.unpack_from(f">{segments}h", table, base + 4 * segments + 2)
    ranges_at = base + 6 * segments + 2
    ranges = struct.unpack_from(f">{segments}H", table, ranges_at)
    for seg in range(segments):
        for code in range(starts[seg], ends[seg] + 1):
            if code == 0xFFFF:
                continue
            if ranges[seg] == 0:
                gid = (code + deltas[seg]) & 0xFFFF
            else:
                at = ranges_at + 2 * seg + ranges[seg] + 2 * (code - starts[seg])
                gid = struct.unpack_from(">H", table, at)[0]
                gid = (gid + deltas[seg]) & 0xFFFF if gid else 0
            if gid:
                mapping[code] = gid
    return mapping


@lru_cache(maxsize=32)
def _parsed(data: bytes) -> tuple[dict[bytes, bytes], list[tuple[int, int]], dict[int, int]]:
    tables = _tables(data)
    spans, cmap = cached_font_parse(data, _spans_and_cmap)
    return tables, spans, cmap


def _spans_and_cmap(data: bytes) -> tuple[list[tuple[int, int]], dict[int, int]]:
    tables = _tables(data)
    return _glyph_spans(tables), _cmap(tables[b"cmap"])


def _shaped_glyphs(data: bytes, texts: Iterable[str]) -> set[int]:
    import uharfbuzz  # here: a cut kept in the DOCX cache needs no shaping

    font = uharfbuzz.Font(uharfbuzz.Face(data))
    found: set[int] = set()
    for text in texts:
        buffer = uharfbuzz.Buffer()
        buffer.add_str(text)
        buffer.guess_segment_properties()
        uharfbuzz.shape(font, buffer, {})
        found.update(info.codepoint for info in buffer.glyph_infos)
    return found


def cut(data: bytes, characters: str, shaped: tuple[str, ...] = ()) -> bytes:
    """The font ``data`` with only the glyphs of ``characters`` (and of ``shaped``, runs
    HarfBuzz shapes, whose layout tables are then kept); glyph ids unchanged."""
    tables, spans, cmap = _parsed(data)
    glyf = tables[b"glyf"]
    keep = {0} | {cmap[ord(c)] for c in characters if ord(c) in cmap}
    if shaped:
        keep |= _shaped_glyphs(data, shaped)
    queue = list(keep)
    while queue:
        start, end = spans[queue.pop()]
        for component in _components(glyf[start:end]):
            if component not in keep and component < len(spans):
                keep.add(component)
                queue.append(component)
    pieces, offsets, at = [], [], 0
    for gid, (start, end) in enumerate(spans):
        offsets.append(at)
        if gid in keep and end > start:
            piece = glyf[start:end]
            piece += b"\0" * (-len(piece) % 4)
            pieces.append(piece)
            at += len(piece)
    offsets.append(at)
    out = {tag: table for tag, table in tables.items()
           if tag not in _DROPPED and (shaped or tag not in _LAYOUT)}
    out[b"glyf"] = b"".join(pieces)
    out[b"loca"] = struct.pack(f">{len(offsets)}I", *offsets)
    head = bytearray(tables[b"head"])
    struct.pack_into(">h", head, 50, 1)  # long loca offsets
    struct.pack_into(">I", head, 8, 0)  # checkSumAdjustment, set below
    out[b"head"] = bytes(head)
    out[b"post"] = struct.pack(">I", 0x00030000) + tables[b"post"][4:32]  # no glyph names
    return _assemble(out)


def _checksum(data: bytes) -> int:
    """The OpenType checksum: the sum of the big-endian 32-bit words, modulo 2**32."""
    words = array("L" if array("I").itemsize < 4 else "I", data + b"\0" * (-len(data) % 4))
    if sys.byteorder == "little":
        words.byteswap()
    return sum(words) & 0xFFFFFFFF


def _assemble(tables: dict[bytes, bytes]) -> bytes:
    tags = sorted(tables)
    count = len(tags)
    power = 1 << (count.bit_length() - 1)
    header = struct.pack(">IHHHH", 0x00010000, count, power * 16, power.bit_length() - 1,
                         count * 16 - power * 16)
    directory, body = [], []
    offset = 12 + 16 * count
    for tag in tags:
        table = tables[tag]
        directory.append(struct.pack(">4sIII", tag, _checksum(table), offset, len(table)))
        padded = table + b"\0" * (-len(table) % 4)
        body.append(padded)
        offset += len(padded)
    font = bytearray(header + b"".join(directory) + b"".join(body))
    head_at = 12 + 16 * count + sum(len(b) for tag, b in zip(tags, body, strict=True)
                                    if tag < b"head")
    adjustment = (0xB1B0AFBA - _checksum(bytes(font))) & 0xFFFFFFFF
    struct.pack_into(">I", font, head_at + 8, adjustment)
    return bytes(font)
