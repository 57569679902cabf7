"""Writers: a document tree in, the bytes of one file format out.

Every writer has the same signature, ``(Document, Theme) -> bytes``, and sits in one
registry; an unknown format is a `TemplateError`. Writers never know what a readout is.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from ..errors import TemplateError
from ..themes import Theme
from ..tree import Document

Writer = Callable[[Document, Theme], bytes]
FORMATS = ("pdf", "docx")


def writer_for(fmt: str) -> Writer:
    """The writer of ``fmt`` ('pdf' or 'docx'), imported on first use."""
    if fmt not in FORMATS:
        raise TemplateError.single(
            "", f"The format {fmt!r} is unknown; choose one of: {', '.join(FORMATS)}.")
    module = import_module(f"{__name__}.{fmt}")
    write: Writer = module.write
    return write
