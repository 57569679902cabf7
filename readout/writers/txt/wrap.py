"""Plain-text writer, part 2: how wide text is on a fixed-pitch screen, and lines of it.

A character is as wide as a terminal or a mail client in a fixed-pitch font shows it:
East Asian wide and full-width characters (Chinese, Japanese, Korean, most emoji) take
two columns, combining marks and format characters none, everything else one. Lines
break at spaces, and between two East Asian wide characters (which have no spaces
between words), never inside a word: a word wider than the line stands alone on its
line, whole.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Never at the start of a line (closing marks) or at its end (opening marks), as in
# the line-breaking rules of Chinese and Japanese (kinsoku).
_NO_START = frozenset(
    "\u3001\u3002\uff0c\uff0e\u30fb\uff1a\uff1b\uff1f\uff01\uff09\u300d\u300f\u3011"
    "\u3015\u3009\u300b\u3019\u3017\uff5d\uff3d\u30fc\u3005\u303b\u309d\u309e\u30fd"
    "\u30fe\u2026\u2025")
_NO_END = frozenset("\uff08\u300c\u300e\u3010\u3014\u3008\u300a\u3018\u3016\uff5b\uff3b")


@lru_cache(maxsize=4096)
def char_width(char: str) -> int:
    """The columns ``char`` takes: 0, 1 or 2."""
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def width(text: str) -> int:
    """The columns ``text`` takes on one line."""
    if text.isascii():
        return len(text)
    return sum(char_width(char) for char in text)


def _is_wide(char: str) -> bool:
    return char_width(char) == 2


def _may_break(before: str, after: str) -> bool:
    """A line may break between two characters of one word next to a wide character,
    but not before a closing mark, after an opening one, or next to narrow punctuation."""
    wide_before, wide_after = _is_wide(before), _is_wide(after)
    if not (wide_before or wide_after) or after in _NO_START or before in _NO_END:
        return False
    narrow = after if wide_before and not wide_after else before if not wide_before else ""
    return not (narrow and unicodedata.category(narrow)[0] in "PS")


def pieces(text: str) -> list[tuple[str, bool]]:
    """``text`` cut where a line may break: each piece with whether a space came before
    it (a break between two wide characters has none)."""
    out: list[tuple[str, bool]] = []
    for word in text.split(" "):
        if not word:
            continue
        if word.isascii():  # no wide character: no break inside it
            out.append((word, True))
            continue
        spaced = True
        start = 0
        for index in range(1, len(word)):
            before, after = word[index - 1], word[index]
            if _may_break(before, after):
                out.append((word[start:index], spaced))
                spaced, start = False, index
        out.append((word[start:], spaced))
    return out


def wrap(text: str, columns: int) -> list[str]:
    """``text`` (one paragraph, no newlines) as lines at most ``columns`` wide, but for
    a word wider than that, which gets a line of its own."""
    lines: list[str] = []
    line, used = "", 0
    for piece, spaced in pieces(" ".join(text.split())):
        piece_width = width(piece)
        gap = 1 if spaced and line else 0
        if line and used + gap + piece_width > columns:
            lines.append(line)
            line, used = piece, piece_width
        else:
            line += " " * gap + piece
            used += gap + piece_width
    if line:
        lines.append(line)
    return lines


def wrap_lines(text: str, columns: int) -> list[str]:
    """Like `wrap`, for text whose newlines are line breaks of its own."""
    out: list[str] = []
    for part in text.split("\n"):
        out.extend(wrap(part, columns) or [""])
    return out


def longest_word(text: str) -> int:
    """The width of the widest piece of ``text`` that may not be broken."""
    return max((width(piece) for piece, _ in pieces(" ".join(text.split()))), default=0)


def place(line: str, columns: int, align: str) -> str:
    """``line`` set left, centred or right in ``columns``."""
    room = columns - width(line)
    if room <= 0 or align == "left":
        return line
    return " " * (room // 2 if align == "center" else room) + line
