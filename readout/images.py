"""Images a readout names (a logo): a whole PNG or JPEG within limits, checked once.

`inspect` is called when a readout is validated, so a damaged or oversized image is a
located error of the field that names it, never a crash in a writer. It reads the
image's header (kind and size) and, for a PNG, every chunk with its checksum, without
decoding a pixel and without Pillow (see below); an image over `MAX_PIXELS` is refused
before anything is decoded (a 420 KB PNG of 12000 x 12000 pixels decodes to 1.45 GB).
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass

MAX_PIXELS = 50_000_000  # a 48-megapixel camera (8000 x 6000) passes
MAX_BYTES = 25 * 1024 * 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"


class ImageProblem(ValueError):
    """Why an image cannot be used: a sentence about the image called ``name``."""


@dataclass(frozen=True, slots=True)
class ImageInfo:
    kind: str  # 'png' or 'jpeg'
    width: int
    height: int


def inspect(data: bytes, name: str) -> ImageInfo:
    """The kind and size of the image ``data`` (called ``name`` in messages), or an
    `ImageProblem` saying what is wrong with it."""
    if len(data) > MAX_BYTES:
        raise ImageProblem(f"{name!r} is larger than {MAX_BYTES // (1024 * 1024)} MB; "
                           "save it smaller.")
    if data.startswith(PNG_SIGNATURE):
        kind, read = "png", _png
    elif data.startswith(JPEG_SIGNATURE):
        kind, read = "jpeg", _jpeg
    else:
        raise ImageProblem(f"{name!r} is not a PNG or JPEG image; save it as one of those.")
    try:
        width, height, rest = read(data)
        if width * height > MAX_PIXELS:
            raise ImageProblem(
                f"{name!r} is {width} x {height} pixels; an image has at most "
                f"{MAX_PIXELS // 1_000_000} million pixels (8000 x 6000 is 48 million). "
                "Scale it down.")
        if width < 1 or height < 1:
            raise ValueError("no pixels")
        rest()
    except ImageProblem:
        raise
    except (ValueError, IndexError, struct.error):
        raise ImageProblem(f"{name!r} is not a whole PNG or JPEG image (it is cut short "
                           "or damaged); export it again.") from None
    return ImageInfo(kind, width, height)


# Pillow's own reading of these headers costs 140 million instructions of imports (a
# sixth of ``readout validate``); reading them here costs a few thousand. The checks
# are Pillow's: a PNG's header, every chunk's length and checksum up to IEND, image
# data present; a JPEG's markers up to its scan, with a frame header giving the size.
_PNG_DEPTHS = {0: {1, 2, 4, 8, 16}, 2: {8, 16}, 3: {1, 2, 4, 8}, 4: {8, 16}, 6: {8, 16}}
_JPEG_FRAMES = frozenset({*range(0xFFC0, 0xFFC4), *range(0xFFC5, 0xFFC8),
                          *range(0xFFC9, 0xFFCC), *range(0xFFCD, 0xFFD0), 0xFFDE})
_JPEG_BARE = frozenset({0xFFC8, *range(0xFFD0, 0xFFDA), *range(0xFFF0, 0xFFFE)})  # no length


def _png(data: bytes) -> tuple[int, int, Callable[[], None]]:
    position = len(PNG_SIGNATURE)
    length, kind = struct.unpack_from(">I4s", data, position)
    if kind != b"IHDR" or length != 13:
        raise ValueError("no header")
    width, height, depth, colour, compression, filtering, interlace = struct.unpack_from(
        ">IIBBBBB", data, position + 8)
    if depth not in _PNG_DEPTHS.get(colour, ()) or compression or filtering or interlace > 1:
        raise ValueError("an unknown kind of PNG")

    def chunks() -> None:
        at, pixels = position, False
        while True:
            size, name = struct.unpack_from(">I4s", data, at)
            if name == b"IEND":  # as Pillow: its end, not its checksum
                if not pixels:
                    raise ValueError("no image data")
                return
            end = at + 8 + size
            if end + 4 > len(data):
                raise ValueError("cut short")
            if zlib.crc32(data[at + 4:end]) != struct.unpack_from(">I", data, end)[0]:
                raise ValueError("a damaged chunk")
            pixels = pixels or name == b"IDAT"
            at = end + 4
    return width, height, chunks


def _jpeg(data: bytes) -> tuple[int, int, Callable[[], None]]:
    """As Pillow's JpegImageFile opens a JPEG: junk between markers skipped, each known
    marker's segment read whole, the frame header giving the size (8-bit, 1, 3 or 4
    components), quantisation tables checked, up to the scan or the end of the data."""
    at, size, pending = 3, None, True  # Pillow reads FF D8 FF, then takes FF as read
    while True:
        if pending:
            if at >= len(data):
                break
            marker, at = 0xFF00 | data[at], at + 1
        elif at >= len(data):
            break
        elif data[at] != 0xFF:
            at += 1  # junk
            continue
        else:
            if at + 1 >= len(data):
                break
            marker, at = 0xFF00 | data[at + 1], at + 2
        pending = False
        if 0xFFC0 <= marker <= 0xFFFE:
            if marker not in _JPEG_BARE:
                length = struct.unpack_from(">H", data, at)[0] - 2
                segment = data[at + 2:at + 2 + length]
                if length < 0 or len(segment) < length:
                    raise ValueError("cut short")
                at += 2 + length
                if marker in _JPEG_FRAMES:
                    if segment[0] != 8 or segment[5] not in (1, 3, 4):
                        raise ValueError("an unknown kind of JPEG")
                    size = struct.unpack_from(">H", segment, 3)[0], struct.unpack_from(
                        ">H", segment, 1)[0]
                elif marker == 0xFFDB:
                    _quantisation(segment)
            if marker == 0xFFDA:
                break
        elif marker in (0xFF00, 0xFFFF):
            pending = marker == 0xFFFF  # padding: the next byte is a marker's
        else:
            raise ValueError("no marker found")
    if size is None:
        raise ValueError("no frame header")
    return size[0], size[1], lambda: None


def _quantisation(segment: bytes) -> None:
    while segment:
        length = 1 + (1 if segment[0] // 16 == 0 else 2) * 64
        if len(segment) < length:
            raise ValueError("a bad quantisation table")
        segment = segment[length:]


__all__ = ["MAX_BYTES", "MAX_PIXELS", "ImageInfo", "ImageProblem", "inspect"]
