"""Where a word may break at a line end, by the dictionary of its language (SPEC section 6).

The dictionaries are pyphen's (LibreOffice's hyphenation patterns): English, Russian,
French, German and some forty more; Hindi, Urdu and Chinese have none there, and a
script that is shaped (Devanagari, Arabic) is never broken inside a word. Both paged
formats break at the same points: the PDF writer gives reportlab the dictionary, the
DOCX writer marks them in the words with soft hyphens (``w:softHyphen``), which Word
uses only where a line needs them. Web pages and plain text are not hyphenated.

Which text is hyphenated: paragraphs set justified (where ragged spacing shows most),
and every paragraph when the theme says ``hyphenate: true``; nothing when it says
``false``; headings never. Words shorter than `MIN_WORD` letters stay whole, as do
names and acronyms (any word with a capital: Kashmir, BrahMos), words with a digit
(S-400) and addresses.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache

import pyphen

from .themes import Alignment, Style, Theme

MIN_WORD = 6
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_BREAKABLE = re.compile(r"[A-Za-zÀ-ɏͰ-ϿЀ-ԯ]+")  # Latin, Greek, Cyrillic letters
_ADDRESS = re.compile(r"\S*(?:@|://|www\.)\S*")


def applies(theme: Theme, style: Style, heading: bool = False) -> bool:
    """Whether text in ``style`` is hyphenated under ``theme`` (a heading never is)."""
    if heading:
        return False
    if theme.hyphenate is not None:
        return theme.hyphenate
    return style.alignment is Alignment.JUSTIFY


@lru_cache(maxsize=32)
def dictionary(language: str) -> pyphen.Pyphen | None:
    """The hyphenation dictionary of ``language`` (a BCP 47 tag), or ``None``."""
    tag = (language or "").replace("-", "_")
    found = pyphen.language_fallback(tag) if tag else None
    return pyphen.Pyphen(lang=found) if found else None


def breaks(word: str, language: str) -> tuple[int, ...]:
    """Where ``word`` may break (indices into it), by the language's dictionary."""
    return _breaks(word, language) if _is_breakable(word) else ()


@lru_cache(maxsize=8192)
def _breaks(word: str, language: str) -> tuple[int, ...]:
    found = dictionary(language)
    return tuple(found.positions(word)) if found is not None else ()


def _is_breakable(word: str) -> bool:
    return (len(word) >= MIN_WORD and _BREAKABLE.fullmatch(word) is not None
            and not any(char.isupper() for char in word))


def pieces(text: str, language: str) -> Iterator[str]:
    """``text`` cut at every point a word of it may break (joined, it is ``text``)."""
    protected = [match.span() for match in _ADDRESS.finditer(text)] if (
        "@" in text or "/" in text or "www." in text) else []
    start = 0
    for match in _WORD.finditer(text):
        if any(low <= match.start() < high for low, high in protected):
            continue
        for point in breaks(match.group(), language):
            at = match.start() + point
            yield text[start:at]
            start = at
    yield text[start:]


def reportlab_hyphenator(language: str) -> Callable[[str], list[tuple[str, str]]] | None:
    """A hyphenator for reportlab's ``hyphenationLang``: a word to its (head, tail)
    splits, longest head first, by `breaks`; ``None`` without a dictionary."""
    if dictionary(language) is None:
        return None
    return _splitter(language)


@lru_cache(maxsize=32)
def _splitter(language: str) -> Callable[[str], list[tuple[str, str]]]:
    def split(word: str) -> list[tuple[str, str]]:
        letters = _WORD.search(word)
        if letters is None:
            return []
        offset, core = letters.start(), letters.group()
        return [(word[:offset + point], word[offset + point:])
                for point in reversed(breaks(core, language))]
    return split
