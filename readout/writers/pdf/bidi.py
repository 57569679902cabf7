"""PDF writer: right-to-left paragraphs (Urdu, Persian, Arabic) in visual order.

HarfBuzz orders the letters inside a word, but reportlab draws a line's words left to
right in the order they were written. `BidiParagraph` lets reportlab break the lines
as usual (logical order), then, only while drawing, puts each line's words in the
order of the Unicode Bidirectional Algorithm (UAX #9, rule L2): levels come from
python-bidi's pure-Python `bidi.algorithm`, with the paragraph's own base direction,
so a Latin name or a number inside an Urdu sentence reads left to right in its place.
The style sets such a paragraph right-aligned with its indents on the right
(`Styles.pstyle`); a bullet is drawn at the right, before the text.
"""

from __future__ import annotations

from typing import Any

from bidi import algorithm
from reportlab.platypus import Paragraph

from ...scripts import is_rtl
from .measure import MemoParagraph
from .shaping import source_text

__all__ = ["BidiParagraph", "is_rtl", "levels", "visual_order"]

def levels(words: list[str], base: int) -> list[int]:
    """The embedding level of each word of a line (that of its first strong
    character, else of its first character), words joined by single spaces."""
    text = " ".join(words)
    storage = algorithm.get_empty_storage()
    storage["base_level"] = base
    storage["base_dir"] = ("L", "R")[base]
    algorithm.get_embedding_levels(text, storage)
    algorithm.explicit_embed_and_overrides(storage)
    algorithm.resolve_weak_types(storage)
    algorithm.resolve_neutral_types(storage, False)
    algorithm.resolve_implicit_levels(storage, False)
    chars = storage["chars"]
    out: list[int] = []
    at = 0
    for word in words:
        span = chars[at:at + len(word)]
        strong = [c["level"] for c in span if c["orig"] in ("L", "R", "AL", "EN", "AN")]
        out.append(strong[0] if strong else (span[0]["level"] if span else base))
        at += len(word) + 1
    return out


def visual_order(word_levels: list[int]) -> list[int]:
    """Indexes of the words in drawing order, left to right (UAX #9 L2)."""
    order = list(range(len(word_levels)))
    if not word_levels:
        return order
    highest = max(word_levels)
    lowest_odd = min(level for level in word_levels if level % 2) if any(
        level % 2 for level in word_levels) else highest + 1
    for level in range(highest, lowest_odd - 1, -1):
        index = 0
        while index < len(order):
            if word_levels[order[index]] >= level:
                end = index
                while end < len(order) and word_levels[order[end]] >= level:
                    end += 1
                order[index:end] = order[index:end][::-1]
                index = end
            else:
                index += 1
    return order


Piece = tuple[Any, Any]  # (fragment, its text in this word, or None for a non-text unit)


def _split_words(frags: list[Any]) -> list[list[Piece]]:
    """The space-separated words of a line's fragments, each a list of pieces (a word
    may span fragments: a bracket in one font, the letters in another); a fragment that
    is no text (an image, a link anchor) is a word of its own."""
    words: list[list[Piece]] = []
    open_word = False
    for frag in frags:
        text = getattr(frag, "text", None)
        if not isinstance(text, str) or getattr(frag, "cbDefn", None) is not None:
            words.append([(frag, None)])
            open_word = False
            continue
        plain = str(text)
        start = 0
        for index, char in enumerate(plain + " "):
            if char != " ":
                continue
            if index > start:
                if open_word and start == 0:
                    words[-1].append((frag, text[start:index]))
                else:
                    words.append([(frag, text[start:index])])
            start = index + 1
        open_word = bool(plain) and not plain.endswith(" ")
    return words


def _visual_line(line: Any, base: int) -> Any:
    words = _split_words(list(line.words))
    texts = ["".join(source_text(str(t)) if t is not None else "\ufffc" for _, t in word)
             for word in words]
    word_levels = levels(texts, base)
    order = visual_order(word_levels)
    frags: list[Any] = []
    for position, index in enumerate(order):
        pieces = words[index] if word_levels[index] % 2 == 0 else words[index][::-1]
        last = position == len(order) - 1
        for number, (frag, text) in enumerate(pieces):
            if text is None:
                frags.append(frag)
                continue
            spaced = not last and number == len(pieces) - 1
            frags.append(frag.clone(text=text + " " if spaced else text))
    clone = line.__class__(**line.__dict__)
    clone.words = frags
    return clone


class BidiParagraph(MemoParagraph):
    """A paragraph whose lines are drawn in bidirectional visual order; ``bullet`` is
    drawn right of the text (a right-to-left list item)."""

    base = 1
    # text, font, size, colour, and how far the bullet's right edge is from the right
    bullet: tuple[str, str, float, Any, float] | None = None

    def draw(self) -> None:
        para = self.blPara
        original = para.lines
        if para.kind == 1:
            para.lines = [_visual_line(line, self.base) for line in original]
        else:
            para.lines = [(space, [words[i] for i in visual_order(levels(words, self.base))])
                          for space, words in original]
        try:
            super().draw()
        finally:
            para.lines = original
        if self.bullet is not None and original:
            text, font, size, colour, at = self.bullet
            first = original[0]
            ascent = getattr(first, "ascent", size) if para.kind == 1 else size
            canv = self.canv
            canv.saveState()
            canv.setFont(font, size)
            canv.setFillColor(colour)
            canv.drawRightString(self.width - at, self.height - ascent, text)
            canv.restoreState()

    def split(self, avail_width: float, avail_height: float) -> list[Any]:
        parts: list[Any] = super().split(avail_width, avail_height)
        for index, part in enumerate(parts):
            if isinstance(part, Paragraph) and not isinstance(part, BidiParagraph):
                part.__class__ = BidiParagraph
            if isinstance(part, BidiParagraph):
                part.base = self.base
                part.bullet = self.bullet if index == 0 else None
        return parts
