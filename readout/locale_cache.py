"""Babel's locale data for a language, merged once across processes.

The first date a fresh process formats in a language makes Babel read that locale's
CLDR files and every parent's (``en_IN``: root, en, en_001, en_IN), merge them in
Python, and read ``global.dat`` (470 KB) only to learn each locale's parent: about 85
million instructions (17 ms) for one long date. The merged data depends only on Babel's
files, so it is kept in the user's cache folder (see `cache_folder`), one entry per
locale in a folder named by Babel's and Python's versions, stamped with the size and
modification time of ``global.dat`` and of the locale's own file, and handed to Babel's
own in-process cache before Babel looks for it: formatting then reads one entry.

Entries are read with an unpickler that builds plain data and Babel's own pattern,
alias and plural-rule classes, nothing else, so a damaged or planted entry cannot run
code: Babel then loads the locale as it always does, and the entry is rewritten.
"""

from __future__ import annotations

import pickle
import re
import sys
from pathlib import Path
from typing import Any

import babel
from babel import localedata

from .cache_folder import Stamps, file_stamps, private_folder, read_entry, write_entry

_FOLDER = f"babel-1-{babel.__version__}-py{sys.version_info[0]}{sys.version_info[1]}"
_NAME = re.compile(r"[A-Za-z]{2,8}(?:_[A-Za-z0-9]{1,8})*")
_CLASSES = frozenset({("babel.localedata", "Alias"), ("babel.dates", "DateTimePattern"),
                      ("babel.plural", "PluralRule"), ("babel.numbers", "NumberPattern")})


def warm(name: str) -> None:
    """Give Babel the merged data of locale ``name`` (``en_IN``) from the cache, or
    keep what Babel loads; nothing when Babel has it already or caches are off."""
    if name in localedata._cache or not _NAME.fullmatch(name):
        return
    folder = private_folder(_FOLDER)
    if folder is None:
        return
    stamps = file_stamps((Path(babel.__file__).parent / "global.dat",
                          Path(localedata.resolve_locale_filename(name))))
    if not stamps:
        return
    entry = folder / f"{name}.pickle"
    found = _read(entry)
    if found is not None and found[0] == stamps:
        with localedata._cache_lock:
            localedata._cache.setdefault(name, found[1])
        return
    write_entry(entry, (stamps, localedata.load(name)))


class _LocaleData(pickle.Unpickler):
    """Unpickles plain data and Babel's own data classes, nothing else."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _CLASSES:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not locale data")


def _read(entry: Path) -> tuple[Stamps, dict[str, Any]] | None:
    found = read_entry(entry, _LocaleData)
    if isinstance(found, tuple) and len(found) == 2 and isinstance(found[1], dict):
        return found
    return None


__all__ = ["warm"]
