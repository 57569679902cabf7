"""Babel's locale data for a language, merged once across processes.

The first date a fresh process formats in a language makes Babel read that locale's
CLDR files and every parent's (``en_IN``: root, en, en_001, en_IN), merge them in
Python, and read ``global.dat`` (470 KB) only to learn each locale's parent: about 85
million instructions (17 ms) for one long date. The merged data depends only on Babel's
files, so it is kept in the user's cache folder (see `cache_folder`), one entry per
locale in a folder named by Babel's and Python's versions, stamped with the size and
modification time of ``global.dat`` and of the locale's own file, and handed to Babel's
own in-process cache before Babel looks for it: formatting then reads one entry. Each of
the locale's sections (``months``, ``date_formats``, ``languages``...) is kept packed
and unpacked when Babel first asks for it: a date needs a handful of the forty-odd, and
unpacking them all was half the cost of reading the entry (8 ms).

Entries are read with an unpickler that builds plain data and Babel's own pattern,
alias and plural-rule classes, nothing else, so a damaged or planted entry cannot run
code: Babel then loads the locale as it always does, and the entry is rewritten (a
section that cannot be unpacked when asked for: the whole locale is loaded by Babel
then, and the entry rewritten).
"""

from __future__ import annotations

import io
import pickle
import re
import sys
from pathlib import Path
from typing import Any

import babel
from babel import localedata

from .cache_folder import Stamps, file_stamps, private_folder, read_entry, write_entry
from .version import VERSION

_FOLDER = (f"babel-2-{babel.__version__}-py{sys.version_info[0]}{sys.version_info[1]}"
           f"-readout{VERSION}")
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
            localedata._cache.setdefault(name, _Sections(name, entry, stamps, found[1]))
        return
    _write(entry, stamps, localedata.load(name))


def _write(entry: Path, stamps: Stamps, data: dict[str, Any]) -> None:
    write_entry(entry, (stamps, {key: _Packed(pickle.dumps(value, pickle.HIGHEST_PROTOCOL))
                                 for key, value in data.items()}))


class _Packed(bytes):
    """A section of locale data not unpacked yet: its pickle."""


class _Sections(dict[Any, Any]):
    """A locale's data whose sections are unpacked when first read (by key, or by
    Babel's walking the data); one that cannot be unpacked has Babel load the whole
    locale afresh, and the entry rewritten."""

    def __init__(self, name: str, entry: Path, stamps: Stamps, packed: dict[Any, Any]
                 ) -> None:
        super().__init__(packed)
        self._source = (name, entry, stamps)

    def __getitem__(self, key: Any) -> Any:
        value = super().__getitem__(key)
        if isinstance(value, _Packed):
            value = self._unpack(key, value)
        return value

    def get(self, key: Any, default: Any = None) -> Any:
        try:
            return self[key]
        except KeyError:
            return default

    def values(self) -> Any:
        return [self[key] for key in self]

    def items(self) -> Any:
        return [(key, self[key]) for key in self]

    def copy(self) -> dict[Any, Any]:  # Babel builds a child locale on its parent's copy
        return dict(self.items())

    def __reduce__(self) -> Any:  # a copy is a plain dict of the unpacked data
        return (dict, (self.items(),))

    def _unpack(self, key: Any, packed: _Packed) -> Any:
        try:
            value = _LocaleData(io.BytesIO(packed)).load()
        except Exception:
            name, entry, stamps = self._source
            fresh = _babel_load(name)
            self.update(fresh)
            _write(entry, stamps, fresh)
            return fresh[key]
        self[key] = value
        return value


def _babel_load(name: str) -> dict[str, Any]:
    """The locale's data as Babel loads and merges it, past its in-process cache."""
    with localedata._cache_lock:
        held = localedata._cache.pop(name, None)
        try:
            return localedata.load(name)
        finally:
            if held is not None:
                localedata._cache[name] = held


class _LocaleData(pickle.Unpickler):
    """Unpickles plain data and Babel's own data classes, nothing else."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _CLASSES:
            return super().find_class(module, name)
        if (module, name) == (__name__, "_Packed"):
            return _Packed
        raise pickle.UnpicklingError(f"{module}.{name} is not locale data")


def _read(entry: Path) -> tuple[Stamps, dict[str, _Packed]] | None:
    found = read_entry(entry, _LocaleData)
    if (isinstance(found, tuple) and len(found) == 2 and isinstance(found[1], dict)
            and all(isinstance(value, _Packed) for value in found[1].values())):
        return found
    return None


__all__ = ["warm"]
