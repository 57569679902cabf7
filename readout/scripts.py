"""Which script a text is in, which way it runs, and the language a script implies.

Format-neutral facts both writers need: the PDF writer shapes complex scripts and
lays right-to-left paragraphs out itself; the DOCX writer tells Word (``w:bidi``,
``w:rtl``, ``w:cs``, ``w:lang``) and lets it do the same.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_RTL_TYPES = frozenset({"R", "AL"})
RTL_LANGUAGES = frozenset({"ar", "fa", "ur", "he", "yi", "ps", "sd", "ug", "dv", "ckb"})
# Script of a language's usual writing, where it is not Latin.
_LANGUAGE_SCRIPTS = {
    "hi": "Devanagari", "mr": "Devanagari", "ne": "Devanagari", "sa": "Devanagari",
    "ar": "Arabic", "fa": "Arabic", "ur": "Arabic", "ps": "Arabic", "sd": "Arabic",
    "he": "Hebrew", "yi": "Hebrew", "zh": "Han", "ja": "Han", "ko": "Hangul",
    "ru": "Cyrillic", "uk": "Cyrillic", "be": "Cyrillic", "bg": "Cyrillic", "sr": "Cyrillic",
    "kk": "Cyrillic", "ky": "Cyrillic", "tg": "Cyrillic", "mn": "Cyrillic", "el": "Greek",
}
# The language a run of a script is marked with when the document is in another one.
SCRIPT_LANGUAGES = {"Latin": "en-GB", "Cyrillic": "ru-RU", "Greek": "el-GR",
                    "Devanagari": "hi-IN", "Arabic": "ar-SA", "Hebrew": "he-IL",
                    "Han": "zh-CN", "Hangul": "ko-KR"}
# Scripts Word sets with its complex-script font, and with its East Asian font.
COMPLEX_SCRIPTS = frozenset({"Devanagari", "Arabic", "Hebrew"})
EAST_ASIAN_SCRIPTS = frozenset({"Han", "Hangul"})
_RANGES = (
    (0x0370, 0x0400, "Greek"), (0x0400, 0x0530, "Cyrillic"), (0x0590, 0x0600, "Hebrew"),
    (0x0600, 0x0900, "Arabic"), (0x0900, 0x0980, "Devanagari"), (0x1CD0, 0x1D00, "Devanagari"),
    (0x1F00, 0x2000, "Greek"), (0x2E80, 0xA000, "Han"), (0xA8E0, 0xA900, "Devanagari"),
    (0xAC00, 0xD7B0, "Hangul"), (0xF900, 0xFB00, "Han"), (0xFB1D, 0xFB50, "Hebrew"),
    (0xFB50, 0xFE00, "Arabic"), (0xFE70, 0xFF00, "Arabic"), (0xFF00, 0xFFF0, "Han"),
)


@lru_cache(maxsize=4096)  # a document has a few hundred distinct characters, met often
def char_script(char: str) -> str | None:
    """The script of a letter or digit of ``char``; ``None`` for a neutral character
    (spaces, punctuation, symbols, ASCII digits)."""
    code = ord(char)
    for low, high, script in _RANGES:
        if low <= code < high:
            return script if unicodedata.category(char)[0] in "LMN" or script == "Han" \
                else None
    if char.isalpha():
        return "Latin"
    return None


def script_of(text: str) -> str | None:
    """The script of the first letter of ``text`` with one; ``None`` if it has none."""
    for char in text:
        script = char_script(char)
        if script is not None:
            return script
    return None


def language_script(language: str) -> str:
    """The script ``language`` is usually written in (Latin unless known otherwise)."""
    return _LANGUAGE_SCRIPTS.get(primary(language), "Latin")


def primary(language: str) -> str:
    return (language or "en").split("-")[0].split("_")[0].lower()


def base_level(text: str) -> int:
    """1 when the first strong character of ``text`` is right-to-left (UAX #9 P2-P3)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in _RTL_TYPES:
            return 1
        if kind == "L":
            return 0
    return 0


# A character of a script other than Latin (any of `_RANGES`), and a letter.
_OTHER_SCRIPTS = re.compile("[" + "".join(f"{chr(low)}-{chr(high - 1)}"
                                          for low, high, _ in _RANGES) + "]")
_LETTER = re.compile(r"[^\W\d_]")

_RTL_CHARS = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff"
                        "\U00010800-\U00010fff\U0001e800-\U0001efff]")


def has_rtl(text: str) -> bool:
    """Whether ``text`` holds a right-to-left letter (Hebrew, Arabic script...)."""
    return _RTL_CHARS.search(text) is not None


def is_rtl(text: str, language: str = "") -> bool:
    """Whether a paragraph runs right to left: its first strong character is
    right-to-left (UAX #9 P2), or, in a document in a right-to-left language, it holds
    any right-to-left character (an Urdu bullet that starts with "Su-30 MKI")."""
    if base_level(text) == 1:
        return True
    return primary(language) in RTL_LANGUAGES and has_rtl(text)


def only_latin(text: str) -> bool:
    """Whether ``text`` holds no letter of a script other than Latin (a run of it is
    one Latin run, or neutral)."""
    return _OTHER_SCRIPTS.search(text) is None


def script_runs(text: str) -> list[tuple[str | None, str]]:
    """``text`` cut where its script changes; neutral characters (spaces, punctuation)
    stay with the run before them (or the one after, at the start)."""
    if not text or _OTHER_SCRIPTS.search(text) is None:  # Latin and neutral characters only
        return [("Latin" if _LETTER.search(text) else None, text)]
    runs: list[tuple[str | None, str]] = []
    current: str | None = None
    start = 0
    for index, char in enumerate(text):
        script = char_script(char)
        if script is None or script == current:
            continue
        if current is None:
            current = script
            continue
        runs.append((current, text[start:index]))
        current, start = script, index
    runs.append((current, text[start:]))
    return runs
