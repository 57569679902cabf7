"""Writers: a document tree in, the bytes of one file format out.

Every writer has the same signature, ``(Document, Theme) -> bytes``, and sits in one
registry; an unknown format is a `TemplateError`. Writers never know what a readout is,
nor any file: a format whose pages link to files of their own (HTML with its images
beside it, `write_with_assets`) returns them to the caller, who writes them.

    pdf    the printed document (reportlab)
    docx   the editable document (WordprocessingML)
    html   one self-contained HTML5 page, for the web
    txt    plain UTF-8 text at 72 columns, for an e-mail
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING

from ..errors import TemplateError
from ..names import FORMATS

if TYPE_CHECKING:
    from ..themes import Theme
    from ..tree import Document

Writer = Callable[["Document", "Theme"], bytes]
IMAGE_FOLDER = "images"  # where an HTML page's images go, beside it, when not embedded


def writer_for(fmt: str) -> Writer:
    """The writer of ``fmt`` (one of `FORMATS`), imported on first use."""
    if fmt not in FORMATS:
        raise TemplateError.single(
            "", f"The format {fmt!r} is unknown; choose one of: {', '.join(FORMATS)}.")
    module = import_module(f"{__name__}.{fmt}")
    write: Writer = module.write
    return write


def write_with_assets(fmt: str, document: Document, theme: Theme, *,
                      embed_images: bool = True) -> tuple[bytes, dict[str, bytes]]:
    """The bytes of ``document`` as ``fmt`` and the files it links to, by name relative
    to it. Only an HTML page with ``embed_images=False`` links any (its images, in
    `IMAGE_FOLDER`, named by their content); every other format holds its images."""
    if fmt == "html" and not embed_images:
        from .html import write_page

        page = write_page(document, theme, IMAGE_FOLDER)
        return page.html, page.assets
    return writer_for(fmt)(document, theme), {}


__all__ = ["FORMATS", "IMAGE_FOLDER", "Writer", "write_with_assets", "writer_for"]
