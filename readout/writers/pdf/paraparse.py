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
"""

from __future__ import annotations

import re
from html import unescape
from typing import Any

from reportlab.platypus.paraparser import ParaParser

__all__ = ["parse"]

_TOKEN = re.compile(
    r"<(?P<end>/)?(?P<tag>[a-z]+)(?P<attrs>(?: [a-z]+=\"[^\"<>]*\")*)(?P<empty>/)?>"
    r"|&(?:(?P<entity>amp|lt|gt|quot)|#(?P<char>[0-9]+));")
_ATTR = re.compile(r' ([a-z]+)="([^"]*)"')
_SPECIAL = re.compile("[<&]")
_CDATA = frozenset(("script", "style"))  # html.parser reads their content as text


def _events(text: str) -> list[tuple[str, Any, Any]] | None:
    """The calls ``HTMLParser.feed(text)`` makes, or ``None`` if ``text`` is not of
    the shape `parse` knows."""
    events: list[tuple[str, Any, Any]] = []
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
                attrs = [(name, unescape(value) if value else value)
                         for name, value in _ATTR.findall(token["attrs"])]
                events.append(("empty" if token["empty"] else "start", tag, attrs))
        elif entity is not None:
            events.append(("entity", entity, None))
        else:
            events.append(("char", token["char"], None))
        at = token.end()
    if at < len(text):
        events.append(("data", text[at:], None))
    return events


def parse(text: str, style: Any, case_sensitive: int) -> tuple[Any, Any, Any] | None:
    """``ParaParser().parse(text, style)`` (style, fragments, bullet fragments) for
    markup of our shape; ``None`` for any other."""
    if text.startswith("<para"):
        return None
    wrapped = "<para>" + text + "</para>"
    events = _events(wrapped)
    if events is None:
        return None
    parser = ParaParser()
    parser.caseSensitive = case_sensitive
    parser._setup_for_parse(style)
    parser.rawdata = wrapped
    handlers = {"data": parser.handle_data, "end": parser.handle_endtag,
                "entity": parser.handle_entityref, "char": parser.handle_charref}
    for kind, first, attrs in events:
        if kind == "start":
            parser.handle_starttag(first, attrs)
        elif kind == "empty":
            parser.handle_startendtag(first, attrs)
        else:
            handlers[kind](first)
    parser.rawdata = ""
    result: tuple[Any, Any, Any] = parser._complete_parse()
    return result
