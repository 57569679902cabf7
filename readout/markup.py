"""Inline markup of user text (SPEC section 3): text in, tree inlines out.

The whole language::

    **bold**            Strong
    *italic*            Emphasis (may sit inside bold, and bold inside it)
    [text](target)      Link, only when target is http://, https:// or mailto:;
                        any other target prints as the literal source text
    \\x                  the character x itself (a backslash escapes any character)

Nothing else is markup: ``<``, ``&``, ``{{ }}``, ``{% %}`` and reportlab or HTML tags
come out as literal `tree.Text`. A marker without its closing partner is literal text;
an opening marker must be followed by a non-space and a closing one preceded by one,
so ``2 * 3 * 4`` stays arithmetic. Line breaks inside a paragraph are spaces (YAML
folded text); `paragraphs` splits a body on blank lines first, and `body_blocks` also
tells a list paragraph (every line starting with "- ") from a prose one.

`parse_inline` never raises and runs in time polynomial in the text (each attempt to
close a marker is remembered), so hostile input cannot hang it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from . import tree
from .safe_text import is_safe_target

_NEWLINE = re.compile(r"[ \t]*(?:\r\n|\r|\n)[ \t]*")
_BLANK_LINE = re.compile(r"(?:\r\n|\r|\n)[ \t]*(?:\r\n|\r|\n)\s*")
_SPECIAL = re.compile(r"[\\*\[\]]")
# A link target: no spaces, parentheses balanced one level deep, at most 2000 characters.
_TARGET = re.compile(r"\(((?:[^\s()]|\([^\s()]{0,2000}\)){1,2000})\)")

# A parse result: the inlines, the index just past what was consumed, whether closed.
_Result = tuple[tuple[tree.Inline, ...], int, bool]


def paragraphs(text: str | None) -> list[str]:
    """The paragraphs of a body: split on blank lines, each stripped, empty ones dropped."""
    if not text:
        return []
    return [part.strip() for part in _BLANK_LINE.split(text) if part.strip()]


@dataclass(frozen=True, slots=True)
class BodyBlock:
    """A block of a body: a paragraph (``text``), or a bullet list (``items``)."""

    text: str = ""
    items: tuple[str, ...] = ()


_LIST_LINE = re.compile(r"[ \t]*- +(\S.*)")


def body_blocks(text: str | None) -> list[BodyBlock]:
    """The blocks of a body: its paragraphs, where a paragraph whose every line starts
    with "- " is a bullet list of those lines (SPEC section 1)."""
    blocks: list[BodyBlock] = []
    for part in paragraphs(text):
        lines = part.splitlines()
        matches = [_LIST_LINE.fullmatch(line.rstrip()) for line in lines]
        if all(matches):
            blocks.append(BodyBlock(items=tuple(m.group(1) for m in matches if m)))
        else:
            blocks.append(BodyBlock(text=part))
    return blocks


def parse_inline(text: str) -> tuple[tree.Inline, ...]:
    """The inlines of one paragraph of user text; newlines become single spaces."""
    if "\n" in text or "\r" in text:
        text = _NEWLINE.sub(" ", text)
    return _parse_cached(text)


@lru_cache(maxsize=4096)
def _parse_cached(text: str) -> tuple[tree.Inline, ...]:
    return _Parser(text).parse(0, ())[0]


class _Parser:
    """A recursive-descent parser with memoised attempts (position, open markers)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.failed: dict[tuple[str, ...], set[int]] = {}

    def parse(self, start: int, closers: tuple[str, ...]) -> _Result:
        """Parse from ``start`` until ``closers[-1]`` closes, or to the end of the text."""
        nodes, end, closed, heads = self._parse(start, closers)
        if not closed:
            # The scan is deterministic in (position, closers): an attempt with these
            # closers from any position this scan passed through fails the same way.
            self.failed.setdefault(closers, set()).update(heads)
        return nodes, end, closed

    def attempt(self, start: int, closers: tuple[str, ...]) -> _Result | None:
        """`parse` a marked span; ``None`` when it never closes or would be empty."""
        if start in self.failed.get(closers, ()):
            return None
        nodes, end, closed = self.parse(start, closers)
        return (nodes, end, closed) if closed and nodes else None

    def _parse(self, start: int, closers: tuple[str, ...]
               ) -> tuple[tuple[tree.Inline, ...], int, bool, list[int]]:
        s, n = self.text, len(self.text)
        closer = closers[-1] if closers else None
        out = _Builder()
        heads: list[int] = []
        i = start
        while i < n:
            heads.append(i)
            c = s[i]
            if c == "\\":
                if i + 1 < n:
                    out.add_text(s[i + 1])
                    i += 2
                else:
                    out.add_text(c)
                    i += 1
            elif c == "*":
                double = s.startswith("**", i)
                if closer == "**" and double and self._can_close(i):
                    return out.nodes(), i + 2, True, heads
                if double and "**" not in closers and self._can_open(i + 2):
                    span = self.attempt(i + 2, (*closers, "**"))
                    if span:
                        out.add(tree.Strong(span[0]))
                        i = span[1]
                        continue
                if closer == "*" and self._can_close(i):
                    return out.nodes(), i + 1, True, heads
                if not double and "*" not in closers and self._can_open(i + 1):
                    span = self.attempt(i + 1, (*closers, "*"))
                    if span:
                        out.add(tree.Emphasis(span[0]))
                        i = span[1]
                        continue
                width = 2 if double else 1
                out.add_text(s[i:i + width])
                i += width
            elif c == "]" and closer == "]":
                return out.nodes(), i + 1, True, heads
            elif c == "[" and "]" not in closers:
                i = self._link(i, closers, out)
            elif c in "[]":
                out.add_text(c)  # alone, so that the next position is a scan head
                i += 1
            else:
                found = _SPECIAL.search(s, i + 1)
                j = found.start() if found else n
                out.add_text(s[i:j])
                i = j
        return out.nodes(), n, False, heads

    def _link(self, i: int, closers: tuple[str, ...], out: _Builder) -> int:
        """Parse ``[text](target)`` at ``i``; return where to go on."""
        s = self.text
        span = self.attempt(i + 1, (*closers, "]"))
        if span:
            children, end, _ = span
            target = _TARGET.match(s, end)
            if target:
                if is_safe_target(target.group(1)):
                    out.add(tree.Link(target.group(1), children))
                else:
                    out.add_text(target.string[i:target.end()])
                return target.end()
        out.add_text("[")
        return i + 1

    def _can_open(self, after: int) -> bool:
        return after < len(self.text) and not self.text[after].isspace()

    def _can_close(self, at: int) -> bool:
        return at > 0 and not self.text[at - 1].isspace()


class _Builder:
    """Collects inlines, merging neighbouring literal text into one `tree.Text`."""

    def __init__(self) -> None:
        self._nodes: list[tree.Inline] = []
        self._text: list[str] = []

    def add_text(self, text: str) -> None:
        self._text.append(text)

    def add(self, node: tree.Inline) -> None:
        self._flush()
        self._nodes.append(node)

    def nodes(self) -> tuple[tree.Inline, ...]:
        self._flush()
        return tuple(self._nodes)

    def _flush(self) -> None:
        if self._text:
            self._nodes.append(tree.Text("".join(self._text)))
            self._text.clear()
