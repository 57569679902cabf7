"""Font chains: which family of a chain sets each character of a text.

A theme names, per font role, a chain of families in order of preference (`FontChain`).
Each run of text is set in the first family that covers it, so a Hindi word, a Russian
name and a Chinese place name in one paragraph each get a font that has them. Both
writers segment text with `segments`; `uncovered` finds what no family of a chain has,
so rendering can refuse it (with the field and its line) instead of drawing a box.

The rules, as a typesetter applies them:

* a letter (or a digit, symbol...) takes the first family whose regular face has it;
* a space, punctuation mark, combining mark or joiner is *neutral*: it stays in the
  family of the letter before it (else the one after it) when that family has it, so a
  bracket or a comma in an Arabic phrase is shaped with the phrase;
* a face of the family that lacks a character its regular face has (Devanagari has no
  italic) sets it in the family's upright face of the same weight;
* invisible format characters (joiners, marks of direction) that no family has are
  dropped: they have no glyph to lose.

Only fontTools is imported here (to read character maps); results are cached by file.
"""

from __future__ import annotations

import struct
import sys
import threading
import unicodedata
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .cmap_cache import cached_codes
from .themes import FontFamily, Theme

# Faces of a family, as indexes: regular, bold, italic, bold italic.
REGULAR, BOLD, ITALIC, BOLD_ITALIC = range(4)
_NEUTRAL_CATEGORIES = frozenset({"Zs", "Mn", "Mc", "Me", "Pc", "Pd", "Ps", "Pe", "Pi", "Pf",
                                 "Po", "Cf"})
_LOCK = threading.Lock()


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece of text set in one face: ``family`` indexes the chain, ``face`` the
    family's faces (`REGULAR`...)."""

    family: int
    face: int
    text: str


def face_index(bold: bool, italic: bool) -> int:
    return (BOLD if bold else REGULAR) + (2 if italic else 0)


def face_path(family: FontFamily, face: int) -> Path:
    return (family.regular, family.bold, family.italic, family.bold_italic)[face]


@lru_cache(maxsize=256)
def _cmap(path: str) -> frozenset[int]:
    return cached_codes(path, lambda: _read_codes(path))  # kept across processes


def _read_codes(path: str) -> frozenset[int]:
    try:
        fast = _read_cmap(path)
    except (OSError, KeyError, struct.error):
        fast = None  # fontTools says what is wrong
    if fast is not None:
        return fast
    from fontTools.ttLib import TTFont, TTLibError  # 130 million instructions: rarely

    try:
        with _LOCK:
            font = TTFont(path, lazy=True, fontNumber=0)
            cmap = font.getBestCmap() or {}
            font.close()
    except (OSError, TTLibError, AssertionError, KeyError, struct.error) as exc:
        raise ValueError(f"The font {path} has no readable character map: {exc}") from None
    return frozenset(cmap)


# fontTools' getBestCmap order: the first of these subtables a font has is its map.
_BEST_CMAP = ((3, 10), (0, 6), (0, 4), (3, 1), (0, 3), (0, 2), (0, 1), (0, 0))


def _read_cmap(path: str) -> frozenset[int] | None:
    """The code points of the font's best character map, read straight from its
    ``cmap`` table (formats 4 and 12, those fonts use for Unicode), as fontTools'
    ``getBestCmap`` gives them, without fontTools' glyph names: a millisecond instead of
    tens for a CJK font. ``None`` for another format (fontTools reads those)."""
    with open(path, "rb") as handle:
        head = handle.read(12)
        base = 0
        if head[:4] == b"ttcf":  # a collection: its first font
            base = struct.unpack(">I", head[12:16] if len(head) >= 16 else
                                 handle.read(4))[0]
            handle.seek(base)
            head = handle.read(12)
        count = struct.unpack(">H", head[4:6])[0]
        records = handle.read(16 * count)
        for index in range(count):
            tag, _, offset, length = struct.unpack_from(">4sIII", records, 16 * index)
            if tag == b"cmap":
                handle.seek(offset)
                table = handle.read(length)
                break
        else:
            raise KeyError("no cmap table")
    subtables: dict[tuple[int, int], int] = {}
    for index in range(struct.unpack_from(">H", table, 2)[0]):
        platform, encoding, offset = struct.unpack_from(">HHI", table, 4 + 8 * index)
        subtables.setdefault((platform, encoding), offset)
    for key in _BEST_CMAP:
        if key in subtables:
            return _subtable_codes(table, subtables[key])
    return frozenset()


def _subtable_codes(table: bytes, offset: int) -> frozenset[int] | None:
    """The code points a format 4 or 12 subtable maps to a glyph other than .notdef
    (what fontTools keeps); ``None`` for any other format."""
    kind = struct.unpack_from(">H", table, offset)[0]
    if kind == 12:
        return _format_12(table, offset)
    if kind != 4:
        return None
    count = struct.unpack_from(">H", table, offset + 6)[0] // 2
    length = struct.unpack_from(">H", table, offset + 2)[0]
    words = array("H", table[offset + 14:offset + length])
    if sys.byteorder != "big":
        words.byteswap()
    ends, starts = words[:count], words[count + 1:2 * count + 1]
    deltas, range_offsets = words[2 * count + 1:3 * count + 1], words[3 * count + 1:4 * count + 1]
    glyphs = words[4 * count + 1:]
    codes: set[int] = set()
    for index in range(count - 1):  # the last segment is the 0xFFFF end mark
        start, end, delta = starts[index], ends[index], deltas[index]
        if start > end:
            continue
        if range_offsets[index] == 0:  # glyph = code + delta: .notdef for one code at most
            codes.update(range(start, end + 1))
            codes.discard((-delta) & 0xFFFF if start <= (-delta) & 0xFFFF <= end else -1)
            continue
        first = range_offsets[index] // 2 - count + index
        if first < 0 or first + end - start >= len(glyphs):
            return None  # damaged: fontTools says why
        codes.update(code for code, glyph in zip(range(start, end + 1),
                                                 glyphs[first:first + end - start + 1],
                                                 strict=True)
                     if glyph and (glyph + delta) & 0xFFFF)
    return frozenset(codes)


def _format_12(table: bytes, offset: int) -> frozenset[int] | None:
    length, _, groups = struct.unpack_from(">III", table, offset + 4)
    if length != 16 + 12 * groups or offset + length > len(table):
        return None  # damaged: fontTools says why
    words = array("I", table[offset + 16:offset + length])
    if sys.byteorder != "big":
        words.byteswap()
    codes: set[int] = set()
    for index in range(0, 3 * groups, 3):
        start, end, glyph = words[index], words[index + 1], words[index + 2]
        codes.update(range(start + (glyph == 0), end + 1))
    return frozenset(codes)


def characters(path: Path) -> frozenset[int]:
    """The code points the font file ``path`` has glyphs for."""
    return _cmap(str(path))


@lru_cache(maxsize=64)
def glyph_characters(path: Path) -> frozenset[str]:
    """The characters the font file ``path`` has glyphs for (`characters` as text: a
    string is tested against it without a conversion per character)."""
    return frozenset(map(chr, characters(path)))


def covers(family: FontFamily, char: str) -> bool:
    """Whether ``family`` (its regular face) has a glyph for ``char``."""
    return ord(char) in characters(family.regular)


def is_neutral(char: str) -> bool:
    """Spaces, punctuation, combining marks and format characters."""
    return unicodedata.category(char) in _NEUTRAL_CATEGORIES


def _invisible(char: str) -> bool:
    return unicodedata.category(char) == "Cf" or char in "\n\r\t"


def uncovered(text: str, families: Sequence[FontFamily]) -> list[str]:
    """The characters of ``text``, in order of first appearance, that no family of
    ``families`` has (invisible format characters aside)."""
    seen: dict[str, None] = {}
    for char in set(text):
        if char in seen or _invisible(char) or char == "\u00a0":
            continue
        if not any(covers(family, char) for family in families):
            seen[char] = None
    return sorted(seen, key=text.index)


def segments(text: str, families: Sequence[FontFamily], bold: bool = False,
             italic: bool = False) -> list[Segment]:
    """``text`` cut into runs, each set in one face of one family of the chain.

    A character no family covers goes to the first family (callers check coverage
    before layout, see `uncovered`; tabs and line ends stay for the writer), except a
    format character (a joiner, a direction mark), which is dropped.
    """
    if not text:
        return []
    wanted = face_index(bold, italic)
    if characters(face_path(families[0], wanted)).issuperset(map(ord, text)):
        return [Segment(0, wanted, text)]  # the common case, at C speed
    first = [_first_family(char, families) for char in text]
    chosen = _resolve_neutrals(text, first, families)
    out: list[Segment] = []
    pieces: list[str] = []
    current: tuple[int, int] | None = None
    for char, family in zip(text, chosen, strict=True):
        if family < 0:
            continue
        key = (family, _face_for(families[family], wanted, char))
        if key != current and pieces:
            assert current is not None
            out.append(Segment(current[0], current[1], "".join(pieces)))
            pieces = []
        current = key
        pieces.append(char)
    if pieces and current is not None:
        out.append(Segment(current[0], current[1], "".join(pieces)))
    return out


def _first_family(char: str, families: Sequence[FontFamily]) -> int:
    for index, family in enumerate(families):
        if covers(family, char):
            return index
    return -1 if unicodedata.category(char) == "Cf" else 0


def _resolve_neutrals(text: str, first: list[int], families: Sequence[FontFamily]
                      ) -> list[int]:
    """Neutral characters join the family of the nearest letter before (else after)
    them, when that family has them."""
    chosen = list(first)
    previous = -1
    pending: list[int] = []
    for index, char in enumerate(text):
        if not is_neutral(char):
            for at in pending:
                if previous < 0 and covers(families[first[index]], text[at]):
                    chosen[at] = first[index]
            pending = []
            previous = first[index]
            continue
        if previous >= 0 and covers(families[previous], char):
            chosen[index] = previous
        elif previous < 0:
            pending.append(index)
    return chosen


def _face_for(family: FontFamily, wanted: int, char: str) -> int:
    """The face ``wanted`` if it has ``char``, else the upright face of its weight."""
    if wanted == REGULAR or ord(char) in characters(face_path(family, wanted)):
        return wanted
    upright = wanted & BOLD
    if ord(char) in characters(face_path(family, upright)):
        return upright
    return REGULAR


@lru_cache(maxsize=64)
def chain_characters(families: Iterable[FontFamily]) -> frozenset[int]:
    """Every code point some family of ``families`` (a tuple) covers."""
    found: set[int] = set()
    for family in families:
        found |= characters(family.regular)
    return frozenset(found)


def chain_of(theme: Theme, role: str) -> tuple[FontFamily, ...]:
    """The families of role ``role``'s chain in ``theme`` (the body's for an unknown role)."""
    return theme.chain(role).families
