"""Quotation marks and apostrophes in the readout's language (SPEC sections 3 and 6).

A press officer types straight quotes (``"…"``, ``'…'``) and apostrophes (``India's``)
on any keyboard; every document prints the language's own marks: “…” and ‘…’ in English
and Hindi, «…» and „…“ in Russian, „…“ and ‚…‘ in German, 「…」 in Japanese. The same
characters reach every format, since this happens to the text before any writer sees it
(`typeset`, applied by the templates' ``inline`` and ``plain`` filters).

The rules, in the order they apply:

* an apostrophe prints ’: a ``'`` between two letters or digits (``India's``,
  ``don't``), before a year's two digits (``'90s``), or after a word where no single
  quote is open (``Ministers' Meeting``);
* a quote opens at the start of the text, after a space, an opening bracket, a dash or
  a slash, and closes after anything else; quotes pair up by kind (double with double,
  single with single), so ``"the 'Make in India' drive"`` nests;
* the marks follow the nesting, not the key pressed: the outermost quotation gets the
  language's first marks and a quotation inside it the second ones, so ``'no'`` and
  ``"no"`` both print “no” at the top level in English, and a quote inside a quotation
  the template already sets in quotation marks gets the inner ones;
* marks typed as such (“ ” ‘ ’ « » „) stay as typed, and count for the nesting;
* nothing changes inside a web or e-mail address written in the text (``o'neil@x.org``);
  a link's target is never text, so it never changes either.

The marks of each language are CLDR's (``common/main/*.xml``, ``<delimiters>``, CLDR 41;
Babel does not carry them), except French, which puts a no-break space inside
guillemets as French typography does.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from . import tree

Marks = tuple[str, str, str, str]  # opening, closing, inner opening, inner closing

_EN: Marks = ("\u201c", "\u201d", "\u2018", "\u2019")      # “ ” ‘ ’
_GUILLEMETS_LOW: Marks = ("\u00ab", "\u00bb", "\u201e", "\u201c")  # « » „ “
_GUILLEMETS_EN: Marks = ("\u00ab", "\u00bb", "\u201c", "\u201d")   # « » “ ”
_LOW: Marks = ("\u201e", "\u201c", "\u201a", "\u2018")     # „ “ ‚ ‘
_ARABIC: Marks = ("\u201d", "\u201c", "\u2019", "\u2018")  # ” “ ’ ‘
_CJK: Marks = ("\u300c", "\u300d", "\u300e", "\u300f")     # 「 」 『 』
_NORDIC: Marks = ("\u201d", "\u201d", "\u2019", "\u2019")  # ” ” ’ ’
# From CLDR 41; a language not listed takes CLDR's root marks, which are the English ones.
QUOTES: dict[str, Marks] = {
    **dict.fromkeys(("en", "hi", "mr", "ne", "bn", "ta", "te", "gu", "pa", "kn", "ml", "or",
                     "as", "zh", "ko", "tr", "id", "ms", "vi", "th", "lv", "az", "da", "mn",
                     "pt", "ps"), _EN),
    **dict.fromkeys(("ru", "uk", "be", "ky"), _GUILLEMETS_LOW),
    **dict.fromkeys(("es", "it", "el", "sq", "kk", "pt-pt"), _GUILLEMETS_EN),
    **dict.fromkeys(("de", "cs", "sk", "sl", "mk", "et"), _LOW),
    **dict.fromkeys(("ar", "ur"), _ARABIC),
    **dict.fromkeys(("sv", "fi"), _NORDIC),
    **dict.fromkeys(("ja", "zh-hant", "zh-tw", "zh-hk", "zh-mo"), _CJK),
    "fr": ("\u00ab\u00a0", "\u00a0\u00bb", "\u201c", "\u201d"),
    "fa": ("\u00ab", "\u00bb", "\u2039", "\u203a"),
    "he": ("\u201d", "\u201d", "\u2019", "\u2019"),
    "pl": ("\u201e", "\u201d", "\u00ab", "\u00bb"),
    "hu": ("\u201e", "\u201d", "\u00bb", "\u00ab"),
    "ro": ("\u201e", "\u201d", "\u00ab", "\u00bb"),
    "bg": ("\u201e", "\u201c", "\u201e", "\u201c"),
    "lt": ("\u201e", "\u201c", "\u201e", "\u201c"),
    "sr": ("\u201e", "\u201c", "\u2018", "\u2018"),
    "hr": ("\u201e", "\u201c", "\u201a", "\u2018"),
    "bs": ("\u201e", "\u201d", "\u2018", "\u2019"),
    "uz": ("\u201c", "\u201d", "\u2019", "\u2018"),
    "ka": ("\u201e", "\u201c", "\u00ab", "\u00bb"),
    "hy": ("\u00ab", "\u00bb", "\u00ab", "\u00bb"),
    "no": ("\u00ab", "\u00bb", "\u2018", "\u2019"),
    "nb": ("\u00ab", "\u00bb", "\u2018", "\u2019"),
    "nn": ("\u00ab", "\u00bb", "\u2018", "\u2019"),
}
APOSTROPHE = "\u2019"

_DOUBLE = frozenset("\"\u201c\u201d\u201e\u201f\u00ab\u00bb\u300c\u300d")
_SINGLE = frozenset("'\u2018\u2019\u201a\u201b\u2039\u203a\u300e\u300f")
_MARKS = _DOUBLE | _SINGLE
_STRAIGHT = re.compile("[\"']")
_ANY_MARK = re.compile("[" + re.escape("".join(sorted(_MARKS))) + "]")
_OPENING_CONTEXT = frozenset("([{<\u2014\u2013\u2012-/\u00a0")
_LEANS_OPEN = frozenset("\"'\u201c\u2018\u201e\u201a\u00ab\u2039\u300c\u300e")
_YEAR = re.compile(r"\d\d(?!\d)")
# Addresses written in the text: web addresses and e-mail addresses stay as typed.
_ADDRESS = re.compile(r"(?:https?://|mailto:|www\.)\S+|[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+")


def quote_marks(language: str) -> Marks:
    """(opening, closing, inner opening, inner closing) quotation marks of ``language``:
    tried whole (``pt-PT``, ``zh-Hant``), then by its first subtag."""
    tag = (language or "en").replace("_", "-").lower()
    parts = tag.split("-")
    for candidate in (tag, "-".join(parts[:2])):
        if candidate in QUOTES:
            return QUOTES[candidate]
    if parts[0] == "zh" and any(part in ("hant", "tw", "hk", "mo") for part in parts[1:]):
        return _CJK
    return QUOTES.get(parts[0], _EN)


def typographic(text: str, language: str) -> str:
    """``text`` (plain text, no inline markup) with its straight quotes and apostrophes
    as the marks of ``language``."""
    if not _STRAIGHT.search(text):
        return text
    changes = _changes(text, quote_marks(language))
    return "".join(changes.get(index, char) for index, char in enumerate(text))


def typeset(nodes: tuple[tree.Inline, ...], language: str) -> tuple[tree.Inline, ...]:
    """``nodes`` with the straight quotes and apostrophes of their text as the marks of
    ``language``. The text of every node counts, across bold, italic and link text (a
    quote may open in bold and close after it); a link's target is never touched."""
    pieces: list[tuple[str, bool]] = []
    _collect(nodes, pieces)
    if not any(_STRAIGHT.search(piece) for piece, _ in pieces):
        return nodes
    return _typeset(nodes, tuple(pieces), quote_marks(language))


@lru_cache(maxsize=4096)
def _typeset(nodes: tuple[tree.Inline, ...], pieces: tuple[tuple[str, bool], ...],
             marks: Marks) -> tuple[tree.Inline, ...]:
    whole = "".join(piece for piece, _ in pieces)
    changes = _changes(whole, marks)
    at_change = sorted(changes)
    done: list[str] = []
    at = k = 0
    for piece, is_text in pieces:
        end = at + len(piece)
        parts: list[str] = []
        while k < len(at_change) and at_change[k] < end:
            index = at_change[k]
            parts += [whole[at:index], changes[index]]
            at = index + 1
            k += 1
        if is_text:
            done.append("".join(parts) + whole[at:end])
        at = end
    return _rebuild(nodes, iter(done))


def _collect(nodes: tuple[tree.Inline, ...], out: list[tuple[str, bool]]) -> None:
    """The text of ``nodes`` in reading order: each `tree.Text` (``True``), and a line
    break as ``"\\n"`` (``False``: a boundary a quote may open after, not a node's text)."""
    for node in nodes:
        if isinstance(node, tree.Text):
            out.append((node.text, True))
        elif isinstance(node, (tree.Strong, tree.Emphasis, tree.Link)):
            _collect(node.children, out)
        elif isinstance(node, tree.LineBreak):
            out.append(("\n", False))


def _rebuild(nodes: tuple[tree.Inline, ...], replaced: Iterator[str]
             ) -> tuple[tree.Inline, ...]:
    out: list[tree.Inline] = []
    for node in nodes:
        if isinstance(node, tree.Text):
            text = next(replaced)
            out.append(node if text == node.text else tree.Text(text, node.style, node.lang))
        elif isinstance(node, tree.Strong):
            out.append(tree.Strong(_rebuild(node.children, replaced), node.style))
        elif isinstance(node, tree.Emphasis):
            out.append(tree.Emphasis(_rebuild(node.children, replaced), node.style))
        elif isinstance(node, tree.Link):
            out.append(tree.Link(node.target, _rebuild(node.children, replaced), node.style))
        else:
            out.append(node)
    return tuple(out)


# -- the marks ----------------------------------------------------------------------------------

_OPEN, _CLOSE, _APOSTROPHE = 1, 2, 3


def _changes(text: str, marks: Marks) -> dict[int, str]:
    """Index -> replacement for each straight quote and apostrophe of ``text``."""
    protected = _protected(text)
    found = [m.start() for m in _ANY_MARK.finditer(text) if m.start() not in protected]
    roles, partner = _pair(text, found)
    levels = _levels(found, roles, partner)
    changes: dict[int, str] = {}
    for index in found:
        char = text[index]
        if char not in "\"'":
            continue  # typed as a real mark: kept
        role = roles[index]
        if role == _APOSTROPHE:
            changes[index] = APOSTROPHE
            continue
        inner = levels[index] % 2 == 1
        changes[index] = marks[(2 if inner else 0) + (0 if role == _OPEN else 1)]
    return changes


def _protected(text: str) -> set[int]:
    out: set[int] = set()
    if "@" in text or "/" in text or "www." in text:
        for match in _ADDRESS.finditer(text):
            out.update(range(match.start(), match.end()))
    return out


def _neighbour(text: str, index: int, step: int) -> str | None:
    """The nearest character before (``step`` -1) or after (1) ``index`` that is not a
    quotation mark; ``None`` at the edge of the text."""
    index += step
    while 0 <= index < len(text):
        if text[index] not in _MARKS:
            return text[index]
        index += step
    return None


def _opens_after(char: str | None) -> bool:
    return (char is None or char.isspace() or char in _OPENING_CONTEXT
            or unicodedata.category(char) in ("Ps", "Pi"))


def _is_apostrophe(text: str, index: int) -> bool:
    if text[index] not in "'\u2019":
        return False
    before = text[index - 1] if index else ""
    after = text[index + 1] if index + 1 < len(text) else ""
    if before.isalnum() and after.isalnum():
        return True
    return _opens_after(before or None) and _YEAR.match(text, index + 1) is not None


def _pair(text: str, found: list[int]) -> tuple[dict[int, int], dict[int, int]]:
    """The role of each mark (opening, closing, apostrophe) and each pair's partner."""
    roles: dict[int, int] = {}
    partner: dict[int, int] = {}
    stack: list[int] = []

    def drop_above(depth: int) -> None:
        while len(stack) > depth:
            lost = stack.pop()
            if text[lost] in _SINGLE:
                roles[lost] = _APOSTROPHE  # 'tis: a single mark that never closed
    for index in found:
        if _is_apostrophe(text, index):
            roles[index] = _APOSTROPHE
            continue
        kind = _DOUBLE if text[index] in _DOUBLE else _SINGLE
        before, after = _neighbour(text, index, -1), _neighbour(text, index, 1)
        open_here = next((d for d in range(len(stack) - 1, -1, -1)
                          if text[stack[d]] in kind), None)
        if _opens_after(before):
            opening = (after is not None and not after.isspace()) or (
                open_here is None and text[index] in _LEANS_OPEN)
        else:
            opening = False
        if opening:
            roles[index] = _OPEN
            stack.append(index)
        elif open_here is not None:
            opener = stack[open_here]
            drop_above(open_here + 1)
            stack.pop()
            roles[index] = _CLOSE
            partner[index], partner[opener] = opener, index
        else:
            roles[index] = _APOSTROPHE if kind is _SINGLE else _CLOSE
    drop_above(0)
    return roles, partner


def _levels(found: list[int], roles: dict[int, int], partner: dict[int, int]
            ) -> dict[int, int]:
    """How deep each quotation mark sits: 0 for the outermost quotation."""
    levels: dict[int, int] = {}
    stack: list[int] = []
    for index in found:
        role = roles[index]
        if role == _OPEN:
            levels[index] = len(stack)
            stack.append(index)
        elif role == _CLOSE:
            opener = partner.get(index)
            if opener is not None and opener in stack:
                while stack and stack[-1] != opener:
                    stack.pop()
                stack.pop()
                levels[index] = levels[opener]
            else:
                levels[index] = max(len(stack) - 1, 0)
    return levels
