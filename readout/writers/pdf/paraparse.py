"""PDF writer: our paragraph markup read without html.parser, into reportlab's own fragments.

reportlab reads a paragraph's markup with ``ParaParser``, an ``html.parser.HTMLParser``
whose tokenizer (pure Python, a regular expression per tag and attribute) costs more
than everything the parser then does with the tags. The markup `styles.Styles` writes
is a small regular language: ``<font name=".." color="..">``, ``<a href="..">``,
``<u>``, ``<br/>``, their end tags, and the escapes ``&amp; &lt; &gt; &quot; &#39;``.
`parse` tokenizes exactly that with one expression and gives reportlab's parser the
very calls ``HTMLParser.feed`` would make (start tags with their lower-cased
attributes, unescaped; end tags; text between them; entity and character references
one by one), so the fragments, and the PDF, are the ones reportlab makes. Markup of any
other shape returns ``None``, and the caller lets reportlab parse it as always.

What the parser makes of a run of text is a copy of the fragment on top of its tag
stack with the text set: it depends on the tags around the text, never on the text.
So the fragments of each *shape* of markup (its tags, attributes and escapes, with the
texts left out) for each style are made once by the parser (`_Template`); a paragraph
of a known shape gets fresh copies of them with its own texts, the very fragments the
parser would make (their colour and link values shared, which nothing changes).
`known` gives them for a shape that `styles.Styles.parser_calls` lists straight from the
document tree, with no markup to read at all.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from html import unescape
from typing import Any

from reportlab.platypus.paraparser import ParaFrag, ParaParser

from .memo import remember

__all__ = ["known", "parse"]

_TOKEN = re.compile(
    r"<(?P<end>/)?(?P<tag>[a-z]+)(?P<attrs>(?: [a-z]+=\"[^\"<>]*\")*)(?P<empty>/)?>"
    r"|&(?:(?P<entity>amp|lt|gt|quot)|#(?P<char>[0-9]+));")
_ATTR = re.compile(r' ([a-z]+)="([^"]*)"')
_SPECIAL = re.compile("[<&]")
_CDATA = frozenset(("script", "style"))  # html.parser reads their content as text


Event = tuple[str, Any, Any]  # (kind, the tag, text or reference, its attributes)


def _events(text: str) -> list[Event] | None:
    """The calls ``HTMLParser.feed(text)`` makes, or ``None`` if ``text`` is not of
    the shape `parse` knows."""
    events: list[Event] = []
    at = 0
    for special in _SPECIAL.finditer(text):
        start = special.start()
        if start < at:
            continue
        token = _TOKEN.match(text, start)
        if token is None:
            return None
        if at < start:
            events.append(("data", text[at:start], None))
        tag, entity = token["tag"], token["entity"]
        if tag is not None:
            if tag in _CDATA or (token["end"] and (token["attrs"] or token["empty"])):
                return None
            if token["end"]:
                events.append(("end", tag, None))
            else:
                attrs = tuple((name, unescape(value) if value else value)
                              for name, value in _ATTR.findall(token["attrs"]))
                events.append(("empty" if token["empty"] else "start", tag, attrs))
        elif entity is not None:
            events.append(("entity", entity, None))
        else:
            events.append(("char", token["char"], None))
        at = token.end()
    if at < len(text):
        events.append(("data", text[at:], None))
    return events


@dataclass(frozen=True)
class _Template:
    """The parser's result for one shape of markup and one style: its fragments, and
    for each run of text (in order) the index of the fragment it made."""

    style: Any
    frags: list[Any]
    slots: tuple[int, ...]


_TEMPLATES: dict[tuple[int, int, tuple[Event, ...]], _Template] = {}
_TEMPLATES_MAX = 4096


def _run(events: list[Event], style: Any, case_sensitive: int, wrapped: str
         ) -> tuple[tuple[Any, Any, Any], tuple[int, ...]]:
    """What reportlab's parser makes of ``events``, and the fragment each text made."""
    parser = ParaParser()
    parser.caseSensitive = case_sensitive
    parser._setup_for_parse(style)
    parser.rawdata = wrapped
    handlers = {"end": parser.handle_endtag, "entity": parser.handle_entityref,
                "char": parser.handle_charref}
    slots: list[int] = []
    for kind, first, attrs in events:
        if kind == "data":
            before = len(parser.fragList)
            parser.handle_data(first)
            slots.append(before if len(parser.fragList) == before + 1 else -1)
        elif kind == "start":
            parser.handle_starttag(first, list(attrs))
        elif kind == "empty":
            parser.handle_startendtag(first, list(attrs))
        else:
            handlers[kind](first)
    parser.rawdata = ""
    result: tuple[Any, Any, Any] = parser._complete_parse()
    return result, tuple(slots)


def _copied(frag: Any) -> Any:
    """``copy.copy(frag)``: for reportlab's `ParaFrag` (a plain object) a new one with
    the same attributes, without the copy protocol's look-ups."""
    if type(frag) is not ParaFrag:
        return copy.copy(frag)
    made = object.__new__(ParaFrag)
    made.__dict__.update(frag.__dict__)
    return made


def parse(text: str, style: Any, case_sensitive: int) -> tuple[Any, Any, Any] | None:
    """``ParaParser().parse(text, style)`` (style, fragments, bullet fragments) for
    markup of our shape; ``None`` for any other."""
    if text.startswith("<para"):
        return None
    wrapped = "<para>" + text + "</para>"
    events = _events(wrapped)
    if events is None:
        return None
    texts = [first for kind, first, _ in events if kind == "data"]
    shape = tuple(("data", None, None) if kind == "data" else (kind, first, attrs)
                  for kind, first, attrs in events)
    frags = known(shape, texts, style, case_sensitive)
    if frags is not None:
        return style, frags, None
    result, slots = _run(events, style, case_sensitive, wrapped)
    parsed_style, made, bullets = result
    if made is not None and bullets is None and parsed_style is style and all(
            slot >= 0 for slot in slots):
        remember(_TEMPLATES, (id(style), case_sensitive, shape),
                 _Template(style, [_copied(f) for f in made], slots), _TEMPLATES_MAX)
    return result


def known(shape: tuple[Event, ...], texts: list[str], style: Any, case_sensitive: int
          ) -> list[Any] | None:
    """The fragments `parse` gives markup of ``shape`` (its events, each text as
    ``("data", None, None)``) with ``texts``, when `parse` has met that shape in
    ``style`` before; ``None`` (nothing made) when it has not."""
    template = _TEMPLATES.get((id(style), case_sensitive, shape))
    if template is None or template.style is not style:
        return None
    frags = [_copied(frag) for frag in template.frags]
    for slot, value in zip(template.slots, texts, strict=True):
        frags[slot].text = value
    return frags
