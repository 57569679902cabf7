"""Our paragraph markup read without html.parser (`readout.writers.pdf.paraparse`) gives
reportlab's own fragments: the same text pieces, fonts, colours, links, underlines and
line breaks as ``ParaParser().parse`` for any text a readout can hold (markup
characters, entities, quotes, non-breaking spaces, other scripts), and markup of any
other shape is left to reportlab. The parser's calls listed straight from the document
tree (`Styles.parser_calls`) are the ones it reads from that markup, so fragments made
from them without any markup (`paraparse.known`) are reportlab's too."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.platypus.paragraph import cleanBlockQuotedText
from reportlab.platypus.paraparser import ParaParser

from readout import tree as t
from readout.themes import load_theme
from readout.writers.pdf import paraparse
from readout.writers.pdf.measure import MemoParagraph
from readout.writers.pdf.styles import Styles
from readout.writers.pdf.tagging import marks_inline

THEME = load_theme()
STYLES = Styles(THEME)
BODY = THEME.style("body")
PSTYLE = STYLES.pstyle(BODY, 0.0)

_TEXT = st.lists(st.sampled_from([*"ab <>&\"';#/=\xa0\n\té Ж中", "&amp;", "&#39;", "</a>",
                                  "<br/>", "  "]), max_size=12).map("".join)


def _inlines(depth: int = 2) -> st.SearchStrategy[tuple[t.Inline, ...]]:
    leaf = st.one_of(_TEXT.map(t.Text), st.just(t.LineBreak()))
    if depth == 0:
        return st.lists(leaf, max_size=3).map(tuple)
    inner = _inlines(depth - 1)
    node = st.one_of(
        leaf, inner.map(t.Strong), inner.map(t.Emphasis),
        st.builds(t.Link, st.sampled_from(["https://www.mod.gov.in/?a=1&b=\"2\"",
                                           "mailto:press@mod.gov.in", "notes.pdf"]), inner))
    return st.lists(node, max_size=4).map(tuple)


def _fragments(result: tuple[Any, Any, Any]) -> tuple[Any, list[dict[str, Any]], Any]:
    style, frags, bullets = result
    return style, [dict(frag.__dict__) for frag in frags], bullets


def _reportlabs(markup: str) -> tuple[Any, list[dict[str, Any]], Any]:
    parser = ParaParser()
    parser.caseSensitive = 1
    return _fragments(parser.parse(markup, PSTYLE))


@settings(max_examples=300, deadline=None)
@given(_inlines())
def test_any_readout_text_gives_reportlabs_fragments(nodes: tuple[t.Inline, ...]) -> None:
    markup = cleanBlockQuotedText(STYLES.markup(nodes, BODY))
    first, again = paraparse.parse(markup, PSTYLE, 1), paraparse.parse(markup, PSTYLE, 1)
    assert first is not None and again is not None, markup
    assert _fragments(first) == _fragments(again) == _reportlabs(markup)
    assert not set(map(id, first[1])) & set(map(id, again[1]))  # fragments of its own
    parser = ParaParser()
    parser.caseSensitive = 1
    kinds = [type(frag) for frag in parser.parse(markup, PSTYLE)[1]]
    assert [type(frag) for frag in first[1]] == [type(frag) for frag in again[1]] == kinds


def test_a_shape_met_before_takes_its_own_texts() -> None:
    shape = (t.Text("Agreed: "), t.Strong((t.Text("deepen"),)), t.Text(" & more"))
    other = (t.Text("Noted: "), t.Strong((t.Text("the <plan>"),)), t.Text(" & less"))
    for nodes in (shape, other, shape):
        markup = STYLES.markup(nodes, BODY)
        ours = paraparse.parse(markup, PSTYLE, 1)
        assert ours is not None
        assert _fragments(ours) == _reportlabs(markup)
        assert "".join(frag.text for frag in ours[1]) == t.plain_text(nodes)


def test_links_entities_and_breaks_come_through() -> None:
    nodes = (t.Text("R&D <now> \"quoted\" it's"), t.LineBreak(),
             t.Strong((t.Link("https://x.example/?a=1&b=2", (t.Text("site"),)),)))
    markup = STYLES.markup(nodes, BODY)
    ours = paraparse.parse(markup, PSTYLE, 1)
    assert ours is not None
    style, frags, _ = _fragments(ours)
    assert "".join(frag["text"] for frag in frags) == "R&D <now> \"quoted\" it's" + "site"
    assert any(frag.get("lineBreak") for frag in frags)
    assert [frag["link"] for frag in frags if frag["link"]] == [
        [(0, "https://x.example/?a=1&b=2")]]
    assert (style, frags) == _reportlabs(markup)[:2]


@pytest.mark.parametrize("markup", [
    "<b>bold</b> & bare ampersand", "<para leading='3'>x</para>", "a < b", "&nbsp;x",
    "<font name='Helvetica'>single quotes</font>", "<script>x</script>", "<u>x</u >",
])
def test_other_markup_is_left_to_reportlab(markup: str) -> None:
    assert paraparse.parse(markup, PSTYLE, 1) is None
    ours, stock = MemoParagraph(markup, PSTYLE), _reportlabs(cleanBlockQuotedText(markup))
    assert [dict(frag.__dict__) for frag in ours.frags] == stock[1]


def _events(markup: str) -> tuple[tuple[Any, ...], list[str]]:
    events = paraparse._events("<para>" + cleanBlockQuotedText(markup) + "</para>")
    assert events is not None
    return (tuple(("data", None, None) if kind == "data" else (kind, first, attrs)
                  for kind, first, attrs in events),
            [first for kind, first, _ in events if kind == "data"])


@settings(max_examples=300, deadline=None)
@given(_inlines(), st.sampled_from([None, "en", "hi"]),
       st.sampled_from(["", "fr", "rdLink"]))
def test_the_parser_calls_from_the_tree_are_those_read_from_the_markup(
        nodes: tuple[t.Inline, ...], spoken: str | None, lang: str) -> None:
    nodes = (*nodes, t.Text(" an autre langue", lang=lang or None))
    markup = STYLES.markup(nodes, BODY, spoken=spoken)
    calls = STYLES.parser_calls(nodes, BODY, spoken)
    cleaned = cleanBlockQuotedText(markup)
    if calls is None:  # only where the cleaner changes the markup
        assert cleaned != markup
        return
    shape, texts, marks = calls
    assert (shape, texts) == _events(markup)
    assert marks == marks_inline(markup)
    paraparse.parse(cleaned, PSTYLE, 1)  # the shape met
    frags = paraparse.known(shape, texts, PSTYLE, 1)
    assert frags is not None
    parser = ParaParser()
    parser.caseSensitive = 1
    assert list(map(_deep, frags)) == list(map(_deep, parser.parse(cleaned, PSTYLE)[1]))


def _deep(frag: Any) -> dict[str, Any]:
    """A fragment's attributes, an ``<ondraw>``'s callback (an ABag, which has no
    equality of its own) by its attributes."""
    return {key: dict(value.__dict__) if key == "cbDefn" else value
            for key, value in frag.__dict__.items()}


def test_a_shape_not_met_makes_no_fragments() -> None:
    nodes = (t.Text("Never "), t.Emphasis((t.Text("met"),)), t.Text(" before: 12 \u2116"))
    calls = STYLES.parser_calls(nodes, BODY)
    assert calls is not None
    style = STYLES.pstyle(BODY, 17.0)  # a style no paragraph has had
    assert paraparse.known(calls[0], calls[1], style, 1) is None
    paraparse.parse(cleanBlockQuotedText(STYLES.markup(nodes, BODY)), style, 1)
    frags = paraparse.known(calls[0], calls[1], style, 1)
    assert frags is not None
    assert "".join(frag.text for frag in frags) == t.plain_text(nodes)


@pytest.mark.parametrize("text", ["  two spaces", "lead ", " lead", "tab\there",
                                  "line\nend", "zero\u200bwidth"])
def test_white_space_the_cleaner_changes_is_left_to_the_markup(text: str) -> None:
    nodes = (t.Strong((t.Text("Bold"),)), t.Text(text), t.Strong((t.Text("again"),)))
    if text.startswith(" ") or text.endswith(" "):
        nodes = (t.Text(text),)
    assert STYLES.parser_calls(nodes, BODY) is None
