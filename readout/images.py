"""Images a readout names (a logo): a whole PNG or JPEG within limits, checked once.

`inspect` is called when a readout is validated, so a damaged or oversized image is a
located error of the field that names it, never a crash in a writer. It reads the
image's header (kind and size) and, for a PNG, every chunk with its checksum, without
decoding a pixel; an image over `MAX_PIXELS` is refused before anything is decoded
(a 420 KB PNG of 12000 x 12000 pixels decodes to 1.45 GB).
"""

from __future__ import annotations

import io
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
    from PIL import ImageFile, JpegImagePlugin, PngImagePlugin

    if len(data) > MAX_BYTES:
        raise ImageProblem(f"{name!r} is larger than {MAX_BYTES // (1024 * 1024)} MB; "
                           "save it smaller.")
    plugin: type[ImageFile.ImageFile]
    if data.startswith(PNG_SIGNATURE):
        kind, plugin = "png", PngImagePlugin.PngImageFile
    elif data.startswith(JPEG_SIGNATURE):
        kind, plugin = "jpeg", JpegImagePlugin.JpegImageFile
    else:
        raise ImageProblem(f"{name!r} is not a PNG or JPEG image; save it as one of those.")
    try:
        # The plugin class itself, not Image.open: it reads the header and nothing else
        # (no decompression-bomb warning; our own limit below comes first).
        image = plugin(io.BytesIO(data))
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise ImageProblem(
                f"{name!r} is {width} x {height} pixels; an image has at most "
                f"{MAX_PIXELS // 1_000_000} million pixels (8000 x 6000 is 48 million). "
                "Scale it down.")
        if width < 1 or height < 1:
            raise ValueError("no pixels")
        image.verify()
    except ImageProblem:
        raise
    except Exception:  # Pillow's many ways of saying "damaged": OSError, SyntaxError...
        raise ImageProblem(f"{name!r} is not a whole PNG or JPEG image (it is cut short "
                           "or damaged); export it again.") from None
    return ImageInfo(kind, width, height)


__all__ = ["MAX_BYTES", "MAX_PIXELS", "ImageInfo", "ImageProblem", "inspect"]
