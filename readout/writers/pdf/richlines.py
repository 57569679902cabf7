"""PDF writer: reportlab's line breaker for a paragraph of several styles, without the
branches that never apply to ours.

A paragraph with a bold phrase, a link or a language span is broken by the second half
of reportlab's ``Paragraph.breakLines``: for every word it tries hyphenation, asks
``getAscentDescent`` (a font look-up and a division) and the width of a space again, and
compares the word's style with the previous one attribute by attribute. `rich_lines`
runs the same loop, in the same order of arithmetic, for a paragraph that hyphenates
nothing (no hyphenation language, soft hyphen, URI or embedded hyphenation), is not
bidirectional or auto-leaded and is not the second part of a split paragraph; a shaped
paragraph (Hindi, Urdu), even of one fragment, has its words shaped first, as
reportlab's does (``shapeFragWord``: `shaping.shape_frag_word`);
it remembers each font's ascent, descent and space width for the paragraph, knows a
word's style (and so its line's height) is the previous word's when it is the same
fragment, sums the line's shrinkable spaces only for a word that does not fit without
them (the shrink only widens the line: a word that fits without it fits), and joins the
words of one style on a line once, when the line or the style ends (reportlab adds each
word to the line's text in turn: for shaped text, a new string and glyph list per word).
A word wider than its line (which reportlab would cut) sends the paragraph back to
reportlab, as does any other paragraph: the answer is always reportlab's.
"""

from __future__ import annotations

from functools import reduce
from operator import add
from typing import Any

from reportlab.pdfbase.ttfonts import ShapedStr, _sdSimple
from reportlab.platypus import paragraph as rl
from reportlab.platypus.paraparser import ParaFrag

_SIMPLE = _sdSimple  # the shape data reportlab gives a plain character added to a shaped one
_new = object.__new__

__all__ = ["clone_frag", "rich_lines"]


def clone_frag(frag: Any, **changed: Any) -> Any:
    """``frag.clone(**changed)``: for a `ParaFrag` (whose ``__init__`` only stores its
    keywords), the same attributes in the same order without passing them as keywords."""
    if type(frag) is not ParaFrag:
        return frag.clone(**changed)
    copy = _new(ParaFrag)
    attributes = copy.__dict__
    attributes.update(frag.__dict__)
    attributes.update(changed)
    return copy


def _eligible(paragraph: Any) -> bool:
    style, frags = paragraph.style, paragraph.frags
    shaped = _shaped(style)
    return not (len(frags) < (1 if shaped else 2) or style.wordWrap
                or (style.shaping and not shaped)
                or getattr(style, "hyphenationLang", "") or style.uriWasteReduce
                or style.embeddedHyphenation or rl._processed_frags(frags)
                or getattr(paragraph, "autoLeading", getattr(style, "autoLeading", ""))
                not in ("", "off"))


def _shaped(style: Any) -> bool:
    """Whether reportlab shapes the paragraph's words (its test, in its order)."""
    return bool(style.shaping and bool(rl.getFont(style.fontName).shapable))


def rich_lines(paragraph: Any, width: Any) -> Any:
    """What ``Paragraph.breakLines(width)`` returns for ``paragraph`` (a reportlab
    `Paragraph` of several fragments, or of one shaped one), or ``None`` with nothing
    changed when it is not one this loop answers (see the module)."""
    if not _eligible(paragraph):
        return None
    style = paragraph.style
    widths: Any = [width] if not isinstance(width, (tuple, list)) else width
    first = widths[0]
    rl._handleBulletWidth(paragraph.bulletText, style, widths)
    max_width = widths[0]
    frag_words = rl._getFragWords(paragraph.frags, max_width)
    shy_word = rl._SHYWord
    if any(isinstance(word, shy_word) for word in frag_words):
        widths[0] = first
        return None
    if style.shaping:  # eligible: reportlab shapes each word, as here
        shape = rl.shapeFragWord
        frag_words = [shape(word) for word in frag_words]
    lines = _break(paragraph, frag_words, widths, max_width)
    if lines is None:
        widths[0] = first
    return lines


def _break(paragraph: Any, frag_words: list[Any], widths: Any, max_width: float) -> Any:
    """reportlab's loop over the words (``breakLines``, more than one fragment, with
    ``calcBounds``, hyphenation and bidi off); ``None`` at a word it would cut."""
    style = paragraph.style
    string_width, same_frag = rl.stringWidth, rl.sameFrag
    ascent_descent = rl.getAscentDescent
    fk_break, fk_text, hs_frag = rl._FK_BREAK, rl._FK_TEXT, rl._HSFrag
    frag_line = rl.FragLine
    metrics: dict[tuple[str, float], tuple[float, float]] = {}
    spaces: dict[tuple[str, float], float] = {}

    def font_metrics(name: str, size: float) -> tuple[float, float]:
        found = metrics.get((name, size))
        if found is None:
            found = metrics[name, size] = ascent_descent(name, size)
        return found

    def space(name: str, size: float) -> float:
        found = spaces.get((name, size))
        if found is None:
            found = spaces[name, size] = string_width(" ", name, size)
        return found

    paragraph._width_max = 0
    paragraph.height = line_no = 0
    paragraph._splitLongWordCount = paragraph._hyphenations = 0
    last = len(widths) - 1
    not_justified_breaks = not style.justifyBreaks
    shrinkage, split_long = style.spaceShrinkage, style.splitLongWords
    lines: list[Any] = []
    fw: list[Any] = []
    words: list[Any] = []
    s_fw = 0
    n = 0
    space_width = current = 0.0
    max_size = max_ascent = min_descent = 0.0
    g: Any = None
    g_from: Any = None
    tail: list[Any] = []  # the text still to be added to g's, joined once (`_settle`)
    tail_spaces = 0  # the spaces in ``tail``
    tail_ends_space: bool | None = None  # whether its last non-empty piece ends with one
    for w in frag_words:
        fw.append(w)
        f = w[-1][0]
        font_name, font_size = f.fontName, f.fontSize
        if not words:
            n = 0
            space_width = current = 0
            max_size = font_size
            max_ascent, min_descent = font_metrics(font_name, font_size)
        word_width = w[0]
        f = w[1][0]
        new = current + space_width + word_width if word_width > 0 else current
        line_break = f._fkind == fk_break
        limit = max_width
        if shrinkage and (new > max_width or shrinkage < 0):  # else new <= limit anyway
            shrink = space_width
            for wi in words:
                if wi._fkind == fk_text:
                    count = wi.text.count(" ")
                    if wi is g:
                        count += tail_spaces
                    if count:
                        shrink += count * space(wi.fontName, wi.fontSize)
            shrink *= shrinkage
            limit += shrink
        if (not line_break and new > limit and split_long and not hasattr(f, "cbDefn")):
            at = min(line_no, last)
            if word_width > max(widths[at:at + 1]):
                return None  # reportlab cuts this word
        if not ((new > limit and n > 0) or line_break):
            text = w[1][1]
            if text:
                n += 1
            font_size = f.fontSize
            if f is not g_from or not words:  # else the line has its metrics already
                ascent, descent = font_metrics(f.fontName, font_size)
                max_size = max(max_size, font_size)
                max_ascent = max(max_ascent, ascent)
                min_descent = min(min_descent, descent)
            if not words:
                g = clone_frag(f)
                g_from = f
                words = [g]
                g.text = text
            elif not (f is g_from and "cbDefn" not in f.__dict__
                      and "lineBreak" not in f.__dict__) and not same_frag(g, f):
                tail_spaces, tail_ends_space = _settle(g, tail)
                if space_width:
                    i = len(words) - 1
                    while i >= 0:
                        wi = words[i]
                        i -= 1
                        if wi._fkind == fk_text:
                            if not wi.text.endswith(" "):
                                wi.text += " "
                            break
                g = clone_frag(f)
                g_from = f
                words.append(g)
                g.text = text
            else:
                if space_width and not (g.text.endswith(" ") if tail_ends_space is None
                                        else tail_ends_space):
                    tail.append(" ")
                    tail_spaces += 1
                    tail_ends_space = True
                tail.append(text)
                if text:
                    tail_spaces += text.count(" ")
                    tail_ends_space = text.endswith(" ")
            space_width = space(font_name, font_size) if isinstance(w, hs_frag) else 0
            real = 0
            if len(w) > 2:
                tail_spaces, tail_ends_space = _settle(g, tail)
            for part in w[2:]:
                g = clone_frag(part[0])
                g_from = part[0]
                g.text = part[1]
                if g.text:
                    real = 1
                words.append(g)
                ascent, descent = font_metrics(g.fontName, g.fontSize)
                max_size = max(max_size, g.fontSize)
                max_ascent = max(max_ascent, ascent)
                min_descent = min(min_descent, descent)
            if not text and real:
                n += 1
            current = new
            continue
        tail_spaces, tail_ends_space = _settle(g, tail)
        if line_break:
            g = clone_frag(f)
            g_from = f
            words.append(g)
        if current > paragraph._width_max:
            paragraph._width_max = current
        lines.append(frag_line(extraSpace=max_width - current, wordCount=n,
                               lineBreak=line_break and not_justified_breaks, words=words,
                               fontSize=max_size, ascent=max_ascent, descent=min_descent,
                               maxWidth=max_width, sFW=s_fw))
        s_fw = len(fw) - 1
        line_no += 1
        max_width = widths[min(last, line_no)]
        if line_break:
            words = []
            continue
        space_width = space(font_name, font_size) if isinstance(w, hs_frag) else 0
        current = word_width
        n = 1
        g = clone_frag(f)
        g_from = f
        max_size = g.fontSize
        max_ascent, min_descent = font_metrics(g.fontName, max_size)
        words = [g]
        g.text = w[1][1]
        for part in w[2:]:
            g = clone_frag(part[0])
            g_from = part[0]
            g.text = part[1]
            words.append(g)
            ascent, descent = font_metrics(g.fontName, g.fontSize)
            max_size = max(max_size, g.fontSize)
            max_ascent = max(max_ascent, ascent)
            min_descent = min(min_descent, descent)
    if words:
        tail_spaces, tail_ends_space = _settle(g, tail)
        if current > paragraph._width_max:
            paragraph._width_max = current
        lines.append(frag_line(extraSpace=max_width - current, wordCount=n, lineBreak=False,
                               words=words, fontSize=max_size, ascent=max_ascent,
                               descent=min_descent, maxWidth=max_width, sFW=s_fw))
    paragraph.frags = fw
    return rl.ParaLines(kind=1, lines=lines)


def _settle(word: Any, tail: list[Any]) -> tuple[int, None]:
    """``word.text += piece`` for every piece of ``tail``, in one step; ``tail`` emptied
    (and what the loop knows of it: no space, no end)."""
    if tail:
        word.text = _joined([word.text, *tail])
        tail.clear()
    return 0, None


def _joined(pieces: list[Any]) -> Any:
    """``pieces[0] + pieces[1] + ...`` in one step: a ShapedStr if any piece is one, its
    shape data every piece's in turn (a plain character's the simple glyph's)."""
    if not any(isinstance(piece, ShapedStr) for piece in pieces):
        return "".join(pieces)
    if any(isinstance(piece, ShapedStr) and piece.__shapeData__ is None for piece in pieces):
        return reduce(add, pieces)  # reportlab's own sums, and its error
    data: list[Any] = []
    for piece in pieces:
        if isinstance(piece, ShapedStr):
            data += piece.__shapeData__
        elif piece:
            data += [_SIMPLE] * len(piece)
    return ShapedStr("".join(map(str, pieces)), shapeData=data)
