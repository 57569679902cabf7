"""The canvas every PDF is drawn on: Flate-only streams per document, images once a process.

reportlab decides whether a stream gets its ASCII85 armour from the process-global
``rl_config.useA85``, read when a page, form or image is made. Flipping it around a
build is not thread-safe (under a thread pool, some PDFs came out armoured), so it is
never touched: `PdfCanvas` gives its own pages and forms their Flate-only stream as they
are made, and draws images from `Picture`, whose XObject is decoded and compressed once
per process (the same emblem in every document of a series). The bytes are those
reportlab writes with ``useA85 = 0``; other reportlab users in the process keep theirs.

It also sets a plain RGB fill colour (every paragraph's) from an operator made once
a process, without reportlab's type dispatch: the same state, the same operators.
"""

from __future__ import annotations

import copy
import hashlib
import zlib
from io import BytesIO
from typing import Any

from reportlab.lib.colors import Color
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfdoc, pdfutils
from reportlab.pdfbase.pdfdoc import PDFImageXObject, PDFStream, PDFZCompress
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from .accel import escape_pdf, fp_str
from .image_cache import cached_xobject
from .memo import remember

_MODE_TO_SPACE = {"RGB": "DeviceRGB", "L": "DeviceGray", "CMYK": "DeviceCMYK"}
_FILLS: dict[tuple[float, float, float], str] = {}  # an RGB colour's fill operator
_FILLS_MAX = 4096


class PdfCanvas(Canvas):  # type: ignore[misc]
    """A reportlab canvas whose pages and forms have Flate-only streams (no ASCII85),
    decided per document, and which draws a `Picture` from its per-process XObject."""

    def _escape(self, s: Any) -> str:
        return escape_pdf(s)

    def setFillColor(self, aColor: Any, alpha: Any = None) -> None:
        if type(aColor) is not Color or self._enforceColorSpace:
            super().setFillColor(aColor, alpha)
            return
        rgb = (aColor.red, aColor.green, aColor.blue)
        operator = _FILLS.get(rgb)
        if operator is None:
            operator = remember(_FILLS, rgb, f"{fp_str(rgb)} rg", _FILLS_MAX)
        self._fillColorObj = aColor
        self._code.append(operator)
        if alpha is not None:
            self.setFillAlpha(alpha)
        elif aColor.alpha is not None:
            self.setFillAlpha(aColor.alpha)

    def drawText(self, aTextObject: Any) -> None:
        super().drawText(aTextObject)
        # drawPara may give the text object a method bound to itself: a reference cycle
        aTextObject.__dict__.pop("_do_line", None)

    def showPage(self) -> None:
        pages = self._doc.Pages.pages
        count = len(pages)
        super().showPage()
        for page in pages[count:]:
            _own_stream(page, "page stream")

    def endForm(self, **extra_attributes: Any) -> None:
        name = self._formData[0]
        super().endForm(**extra_attributes)
        form = self._doc.idToObject[pdfdoc.xObjectName(name)]
        _own_stream(form, "xobject form stream")
        form.compression = 0  # its stream has its filters already

    def draw_picture(self, picture: Picture, x: float, y: float, width: float,
                     height: float) -> None:
        """Draw ``picture`` stretched to ``width`` x ``height`` at (x, y), as
        `drawImage` would draw the same image (the same XObject names and operators)."""
        self._currentPageHasImages = 1
        prototype = picture.xobject()
        name = prototype.name
        reg_name = self._doc.getXObjectName(name)
        if reg_name not in self._doc.idToObject:
            image = copy.copy(prototype)
            self._setXObjects(image)
            self._doc.Reference(image, reg_name)
            self._doc.addForm(name, image)
            mask = getattr(prototype, "_smask", None)
            if mask is not None:
                del image._smask
                mask_name = self._doc.getXObjectName(mask.name)
                if mask_name not in self._doc.idToObject:
                    mask = copy.copy(mask)
                    self._setXObjects(mask)
                    image.smask = self._doc.Reference(mask, mask_name)
                else:
                    image.smask = pdfdoc.PDFObjectReference(mask_name)
        self.saveState()
        self.translate(x, y)
        self.scale(width, height)
        self._code.append(f"/{reg_name} Do")
        self.restoreState()
        self._formsinuse.append(name)


def _own_stream(thing: Any, comment: str) -> None:
    """Give a page or form the stream reportlab would give it with ``useA85 = 0``."""
    if thing.Contents or not thing.stream:
        return
    stream = PDFStream(content=thing.stream)
    if thing.compression:
        stream.filters = [PDFZCompress]
    stream.__Comment__ = comment
    thing.Contents = stream


class Picture(Flowable):  # type: ignore[misc]
    """A PNG or JPEG drawn at ``width`` x ``height`` points, like reportlab's `Image`
    with ``mask='auto'`` (alpha kept), from an XObject made once per process."""

    def __init__(self, data: bytes, width: float, height: float) -> None:
        super().__init__()
        self.data = data
        self.drawWidth, self.drawHeight = width, height
        self.hAlign = "CENTER"

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.drawWidth, self.drawHeight

    def draw(self) -> None:
        self.canv.draw_picture(self, 0, 0, self.drawWidth, self.drawHeight)

    def xobject(self) -> Any:
        return image_xobject(self.data)


_IMAGES: dict[str, Any] = {}
_IMAGES_MAX = 64


def image_xobject(data: bytes) -> Any:
    """The image XObject of ``data`` (PNG or JPEG bytes), decoded and compressed once a
    process (and kept across processes, see `image_cache`); keyed by the bytes' digest,
    so a changed file is a new image."""
    key = hashlib.sha256(data).hexdigest()
    found = _IMAGES.get(key)
    if found is None:
        found = remember(_IMAGES, key, cached_xobject(
            key, lambda: _make_xobject(ImageReader(BytesIO(data)))), _IMAGES_MAX)
    return found


def _make_xobject(reader: Any, mask: Any = "auto") -> Any:
    """What ``PDFImageXObject(name, reader, mask)`` and ``Canvas.drawImage`` make of an
    image with ``useA85 = 0``: the name drawImage gives it, Flate (or the JPEG's own
    DCT) data, and a soft mask from the alpha channel."""
    image = PDFImageXObject.__new__(PDFImageXObject)
    image.mask = mask
    raw = reader.getRGBData()  # first, as drawImage does: it sets the mode and alpha
    alpha = reader._dataA
    jpeg = reader.jpeg_fh()
    marks = alpha.getRGBData() if mask == "auto" and alpha else str(mask).encode("utf8")
    image.name = pdfdoc._digester(raw + marks)
    image.bitsPerComponent = 8
    if jpeg:
        info = pdfutils.readJPEGInfo(jpeg)
        jpeg.seek(0)
        image.width, image.height = info[0], info[1]
        image.colorSpace = {1: "DeviceGray", 3: "DeviceRGB"}.get(info[2], "DeviceCMYK")
        if image.colorSpace == "DeviceCMYK":
            image._dotrans = 1
        image.streamContent = jpeg.read()
        image._filters = ("DCTDecode",)
        image.mask = None
        return image
    image.width, image.height = reader.getSize()
    image.streamContent = zlib.compress(raw)
    image._filters = ("FlateDecode",)
    image.colorSpace = _MODE_TO_SPACE[reader.mode]
    if mask == "auto":
        if alpha:
            image.mask = None
            soft = _make_xobject(alpha, None)
            soft.name = pdfdoc._digester(alpha.getRGBData())
            soft._decode = [0, 1]
            image._smask = soft
        else:
            colour = reader.getTransparent()
            image.mask = ((colour[0], colour[0], colour[1], colour[1], colour[2], colour[2])
                          if colour else None)
    return image
