"""Generate ``emblem.png``: the letterhead emblem used by the sample readouts.

A dark navy disc inside a gold ring, with a gold 24-spoke wheel at its centre.
Pure Python (``zlib`` + ``struct``), no imaging library; the output is the same
bytes on every run. Run from anywhere::

    python samples/assets/make_emblem.py

It is a neutral placeholder, not any government's official emblem.
"""

from __future__ import annotations

import math
import struct
import zlib
from pathlib import Path

SIZE = 256
SAMPLES = 4  # supersampling per axis, for smooth (anti-aliased) edges

NAVY = (16, 32, 72)
GOLD = (201, 162, 39)
CLEAR = (0, 0, 0)

CENTRE = SIZE / 2
R_OUTER = 124.0  # outer edge of the gold ring
R_RING = 112.0  # inner edge of the gold ring: the navy disc starts here
R_LINE_OUT = 104.0  # thin gold line inside the disc
R_LINE_IN = 101.0
R_WHEEL_OUT = 62.0  # rim of the wheel
R_WHEEL_IN = 55.0
R_HUB = 11.0
SPOKES = 24
SPOKE_HALF_WIDTH = 1.6


def colour_at(x: float, y: float) -> tuple[tuple[int, int, int], bool]:
    """The colour at a point, and whether the point is inside the emblem at all."""
    dx, dy = x - CENTRE, y - CENTRE
    r = math.hypot(dx, dy)
    if r > R_OUTER:
        return CLEAR, False
    if r > R_RING:
        return GOLD, True
    if R_LINE_IN <= r <= R_LINE_OUT:
        return GOLD, True
    if R_WHEEL_IN <= r <= R_WHEEL_OUT or r <= R_HUB:
        return GOLD, True
    if r < R_WHEEL_IN:
        # distance from the point to the nearest spoke's centre line
        step = 2 * math.pi / SPOKES
        angle = math.atan2(dy, dx) % step
        offset = min(angle, step - angle)
        if r * math.sin(offset) <= SPOKE_HALF_WIDTH:
            return GOLD, True
    return NAVY, True


def render() -> bytes:
    """Raw RGBA scanlines, each prefixed by PNG filter byte 0."""
    rows = bytearray()
    n = SAMPLES * SAMPLES
    for py in range(SIZE):
        rows.append(0)
        for px in range(SIZE):
            red = green = blue = covered = 0
            for sy in range(SAMPLES):
                for sx in range(SAMPLES):
                    (cr, cg, cb), inside = colour_at(
                        px + (sx + 0.5) / SAMPLES, py + (sy + 0.5) / SAMPLES
                    )
                    if inside:
                        red, green, blue, covered = red + cr, green + cg, blue + cb, covered + 1
            if covered:
                rows += bytes(
                    (red // covered, green // covered, blue // covered, 255 * covered // n)
                )
            else:
                rows += b"\0\0\0\0"
    return bytes(rows)


def chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def png(width: int, height: int, raw: bytes) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def main() -> None:
    out = Path(__file__).with_name("emblem.png")
    out.write_bytes(png(SIZE, SIZE, render()))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
