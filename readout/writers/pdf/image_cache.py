"""Images decoded and compressed once across processes: a fresh process's first PDF
without Pillow.

A PNG becomes a PDF image by decoding it (Pillow) and compressing its pixels again
(zlib): about 90 million instructions for the seed's emblem, and Pillow's import another
100 million, in every fresh ``readout render`` whose document shows an image (the
emblem is on every page one). What comes out depends only on the image's bytes and on
the versions of reportlab, Pillow and zlib, so the XObject's plain data (its name, size,
colour space, stream and soft mask) is kept in the user's cache folder (see
`readout.cache_folder`), one entry per image named by the digest of its bytes, in a
folder named by those versions: a changed image is another entry. Entries are
``marshal`` data (which builds no objects but plain values), checked field by field on
reading; one that is damaged or not of that shape is made again and rewritten. With the
cache off (``READOUT_CACHE_DIR=``) every process decodes its images.
"""

from __future__ import annotations

import marshal
import sys
import zlib
from collections.abc import Callable
from functools import cache
from typing import Any

import reportlab
from reportlab.pdfbase.pdfdoc import PDFImageXObject

from ...cache_folder import private_folder, read_marshal, write_bytes

_FORMAT = 1  # bump when what an entry holds changes

# The XObject's attributes an entry keeps, and the types each may have.
_FIELDS: dict[str, tuple[type, ...]] = {
    "name": (str,), "width": (int,), "height": (int,), "bitsPerComponent": (int,),
    "colorSpace": (str,), "streamContent": (bytes,), "_filters": (tuple,),
    "mask": (type(None), tuple, str), "_dotrans": (int,), "_decode": (list,),
}
_SMASK = "_smask"


@cache
def _folder_name() -> str:
    from PIL import __version__ as pillow  # the package's version only, not PIL.Image

    return (f"images-{_FORMAT}-reportlab{reportlab.Version}-pillow{pillow}-zlib"
            f"{zlib.ZLIB_RUNTIME_VERSION}-py{sys.version_info[0]}{sys.version_info[1]}")


def cached_xobject(digest: str, make: Callable[[], Any]) -> Any:
    """The image XObject ``make()`` gives for the image whose bytes have the SHA-256
    ``digest``, taken from the cache when it is there."""
    folder = private_folder(_folder_name())
    if folder is None:
        return make()
    entry = folder / f"{digest}.marshal"
    found = _xobject(read_marshal(entry))
    if found is not None:
        return found
    image = make()
    state = _state(image)
    if state is not None:
        write_bytes(entry, marshal.dumps(state))
    return image


def _state(image: Any) -> dict[str, Any] | None:
    """The XObject's kept attributes; ``None`` if it has any other (not ours to keep)."""
    state = dict(vars(image))
    mask = state.pop(_SMASK, None)
    if set(state) - set(_FIELDS):
        return None
    if mask is not None:
        inner = _state(mask)
        if inner is None:
            return None
        state[_SMASK] = inner
    return state


def _xobject(state: Any, nested: bool = False) -> Any:
    """The XObject of an entry's data, or ``None`` when it is not of the kept shape."""
    if not isinstance(state, dict) or "streamContent" not in state:
        return None
    image = PDFImageXObject.__new__(PDFImageXObject)
    for key, value in state.items():
        if key == _SMASK and not nested:
            value = _xobject(value, nested=True)
            if value is None:
                return None
        elif not isinstance(value, _FIELDS.get(key, ())):
            return None
        setattr(image, key, value)
    return image


__all__ = ["cached_xobject"]
