"""Fonts' character maps kept across processes: what `fontchain` reads of each face.

``readout validate`` checks that the default theme's fonts have every character of the
readout, and each writer segments text by the fonts that have it; reading a character
map (7,000 codes for Noto Sans SC) was 7 ms of every fresh ``validate``. The codes
depend only on the font file, so they are kept in the user's cache folder (see
`cache_folder`), one entry per file named by its resolved path, stamped with its size
and modification time (a font edited in place is read again), as an array of codes in
``marshal`` data, which builds nothing but strings, numbers and bytes and is checked on
reading: an entry that is damaged or not of that shape is read over and rewritten.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from array import array
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .cache_folder import file_stamps, private_folder, read_marshal, write_bytes
from .version import VERSION

_FOLDER = f"cmaps-1-readout{VERSION}-{sys.byteorder}"


def cached_codes(path: str, read: Callable[[], frozenset[int]]) -> frozenset[int]:
    """The codes ``read()`` finds in the font file ``path``, from the cache when the file
    is unchanged."""
    folder = private_folder(_FOLDER)
    if folder is None:
        return read()
    where = os.path.realpath(path)
    entry = folder / (hashlib.sha256(where.encode()).hexdigest()[:32] + ".marshal")
    stamps = file_stamps([Path(where)])
    found = _read(entry, where, stamps)
    if found is not None:
        return found
    codes = read()
    if stamps:
        write_bytes(entry, marshal.dumps((where, stamps, array("I", sorted(codes)).tobytes())))
    return codes


def _read(entry: Path, source: str, stamps: Any) -> frozenset[int] | None:
    held = read_marshal(entry)
    if not (isinstance(held, tuple) and len(held) == 3):
        return None
    where, kept, packed = held
    if where != source or kept != stamps or not stamps or not isinstance(packed, bytes):
        return None
    try:
        return frozenset(array("I", packed))
    except ValueError:  # not a whole number of codes: read again
        return None


__all__ = ["cached_codes"]
