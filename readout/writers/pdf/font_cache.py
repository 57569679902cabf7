"""Parsed TrueType fonts kept between processes: a fresh process's first PDF, sooner.

reportlab parses a whole TrueType file when a font is registered (its tables, every
glyph's width and name, the character map): about 8 ms for each face of Noto Sans, so
32 ms of a fresh ``readout render``, which registers a family's four faces. What the
parse yields depends only on the file and on reportlab, so it is kept in the user's
cache folder (see `readout.cache_folder`), one entry per file keyed by its resolved
path, size and modification time and by reportlab's and Python's versions; the file's
bytes are read again each time (subsets are cut from them), the rest is loaded in a
fraction of the parse. A font edited in place gets a new key. The glyph-to-characters
map, which only reportlab's own shaping reads, is not kept but worked out from the
character map when first asked for (with the few glyphs the parse maps otherwise kept
as they were): unpickling it was a quarter of reading an entry.

The entries are read with an unpickler that builds nothing but plain data and
reportlab's name strings, so a damaged or planted entry cannot run code; one that
cannot be read is parsed afresh and rewritten. With the cache off
(``READOUT_CACHE_DIR=``), or no private folder to be had, fonts are parsed as before.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import threading
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

import reportlab
from reportlab import rl_config
from reportlab.pdfbase import ttfonts
from reportlab.pdfbase.ttfonts import TTEncoding, TTFNameBytes, TTFont, TTFontFace

from ...cache_folder import private_folder, read_entry, write_entry

_FORMAT = 2  # bump when what an entry holds changes
_FOLDER = (f"fonts-{_FORMAT}-reportlab{reportlab.Version}-py{sys.version_info[0]}"
           f"{sys.version_info[1]}")
_NOT_KEPT = frozenset({"_ttf_data", "_pdfScale"})  # the file's bytes; a function


def load_font(name: str, path: str, kind: type[TTFont] = TTFont) -> TTFont:
    """``kind(name, path)`` (`TTFont` or a subclass that keeps its constructor), its
    parsed face taken from the cache when it is there."""
    folder = private_folder(_FOLDER)
    if folder is None:
        return kind(name, path)
    entry = folder / (_key(path) + ".pickle")
    state = _read(entry)
    if state is None:
        font = kind(name, path)
        kept = {k: v for k, v in vars(font.face).items() if k not in _NOT_KEPT}
        glyphs = kept.pop("glyphToChar")
        derived = _glyph_to_chars(kept["charToGlyph"])
        fixes = {glyph: chars for glyph, chars in glyphs.items() if derived.get(glyph) != chars}
        fixes.update((glyph, None) for glyph in derived if glyph not in glyphs)
        kept[_FIXES] = fixes
        write_entry(entry, kept)
        return font
    return _font(kind, name, path, state)


_FIXES = "glyphToChar fixes"  # in an entry: where the parse's map differs from the derived


def _glyph_to_chars(char_to_glyph: dict[int, int]) -> dict[int, list[int]]:
    """Each glyph's characters, in the order the character map lists them."""
    glyphs: dict[int, list[int]] = {}
    for char, glyph in char_to_glyph.items():
        glyphs.setdefault(glyph, []).append(char)
    return glyphs


class _Face(TTFontFace):  # type: ignore[misc]
    """A face from the cache, whose ``glyphToChar`` is worked out on first use from the
    character map as it was loaded (reportlab adds to both maps as it shapes)."""

    def __getattr__(self, name: str) -> Any:
        if name != "glyphToChar":
            raise AttributeError(name)
        with _LOCK:
            found = self.__dict__.get(name)
            if found is None:
                loaded, fixes = self.__dict__["_glyph_source"]
                found = _glyph_to_chars(loaded)
                for glyph, chars in fixes.items():
                    if chars is None:
                        del found[glyph]
                    else:
                        found[glyph] = chars
                self.__dict__[name] = found
        return found


_LOCK = threading.Lock()


def _key(path: str) -> str:
    info = os.stat(path)
    where = os.path.realpath(path)
    return hashlib.sha256(f"{where}\0{info.st_size}\0{info.st_mtime_ns}".encode()).hexdigest()


def _font(kind: type[TTFont], name: str, path: str, state: dict[str, Any]) -> TTFont:
    """What ``kind(name, path)`` builds, with the face's parse given."""
    face = _Face.__new__(_Face)
    fixes = state.pop(_FIXES)
    face.__dict__.update(state)
    face.__dict__["_glyph_source"] = (dict(state["charToGlyph"]), fixes)
    with open(path, "rb") as handle:
        face._ttf_data = handle.read()
    units = face.unitsPerEm
    face._pdfScale = (lambda x: x) if units == 1000 else _scale(1000 / units)
    font: Any = object.__new__(kind)
    font.fontName = name
    font.face = face
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    font.shapable = not any(ttfonts.fnmatch(name, pattern)
                            for pattern in ttfonts.unShapedFontGlob)
    return font


def _scale(factor: float) -> Any:
    return lambda x: x * factor  # as reportlab's: the same float for every width


class _PlainData(pickle.Unpickler):
    """Unpickles built-in data and reportlab's `TTFNameBytes`, nothing else."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == ("reportlab.pdfbase.ttfonts", "TTFNameBytes"):
            return TTFNameBytes
        raise pickle.UnpicklingError(f"{module}.{name} is not font data")


def _read(entry: Path) -> dict[str, Any] | None:
    state = read_entry(entry, _PlainData)
    return (state if isinstance(state, dict) and "unitsPerEm" in state
            and isinstance(state.get(_FIXES), dict) and isinstance(state.get("charToGlyph"), dict)
            else None)


__all__ = ["load_font"]
