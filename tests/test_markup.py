"""Inline markup (SPEC section 3): what a reader sees of the text a user typed."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from readout import markup
from readout import tree as t
from readout.markup import paragraphs, parse_inline
from readout.safe_text import is_safe_target

CVE_2023_33733 = ("<para><font color=\"[[[getattr(pow, Word('__globals__'))['os']"
                  ".system('touch /tmp/pwned')]]]\">x</font></para>")


def test_bold_becomes_strong() -> None:
    assert parse_inline("a **bold** word") == (
        t.Text("a "), t.Strong((t.Text("bold"),)), t.Text(" word"))


def test_italic_becomes_emphasis() -> None:
    assert parse_inline("the *Make in India* initiative") == (
        t.Text("the "), t.Emphasis((t.Text("Make in India"),)), t.Text(" initiative"))


def test_italic_inside_bold() -> None:
    assert parse_inline("**bold *and italic* text**") == (t.Strong((
        t.Text("bold "), t.Emphasis((t.Text("and italic"),)), t.Text(" text"))),)


def test_bold_inside_italic() -> None:
    assert parse_inline("*it **b** it*") == (t.Emphasis((
        t.Text("it "), t.Strong((t.Text("b"),)), t.Text(" it"))),)


@pytest.mark.parametrize("target", ["https://www.mod.gov.in/", "http://example.org/a?b=1&c=2",
                                    "mailto:media-cell@example.gov.in"])
def test_links_with_safe_targets_are_live(target: str) -> None:
    assert parse_inline(f"see [the site]({target}).") == (
        t.Text("see "), t.Link(target, (t.Text("the site"),)), t.Text("."))


def test_link_text_may_hold_bold_and_italic() -> None:
    assert parse_inline("[**Ministry** of *Defence*](https://www.mod.gov.in/)") == (
        t.Link("https://www.mod.gov.in/", (t.Strong((t.Text("Ministry"),)), t.Text(" of "),
                                           t.Emphasis((t.Text("Defence"),)))),)


def test_link_target_may_hold_balanced_parentheses() -> None:
    (link,) = parse_inline("[SCO](https://en.wikipedia.org/wiki/SCO_(organisation))")
    assert isinstance(link, t.Link)
    assert link.target == "https://en.wikipedia.org/wiki/SCO_(organisation)"


@pytest.mark.parametrize("source", [
    "[click](javascript:alert(1))",
    "[click](JavaScript:alert(document.cookie))",
    "[click](data:text/html;base64,PHNjcmlwdD4=)",
    "[click](file:///etc/passwd)",
    "[click](ftp://example.org/x)",
    "[click](/relative/path)",
    "[click](vbscript:msgbox)",
    "[click](https://)",
])
def test_links_with_other_targets_print_their_source(source: str) -> None:
    assert parse_inline(source) == (t.Text(source),)


def test_backslash_escapes_the_next_character() -> None:
    assert parse_inline(r"figures marked \* are provisional") == (
        t.Text("figures marked * are provisional"),)
    assert parse_inline(r"\*\*not bold\*\* and \[not](https://x.org) a link") == (
        t.Text("**not bold** and [not](https://x.org) a link"),)
    assert parse_inline("a \\\\ b") == (t.Text("a \\ b"),)


def test_a_trailing_backslash_is_literal() -> None:
    assert parse_inline("ends with \\") == (t.Text("ends with \\"),)


@pytest.mark.parametrize("source", ["**unclosed bold", "*unclosed italic", "[no target]",
                                    "[unclosed](https://x.org", "closing only**", "a ** b",
                                    "2 * 3 * 4", "** spaced**", "[](https://x.org)"])
def test_unclosed_or_detached_markers_are_literal(source: str) -> None:
    assert parse_inline(source) == (t.Text(source),)


@pytest.mark.parametrize("hostile", [
    CVE_2023_33733, "{{ 7*7 }}", "{% for x in y %}{% endfor %}", "{# comment #}",
    "<b>not bold</b> &amp; <script>alert(1)</script>", "&lt;&#x41;&nbsp;", "<![CDATA[x]]>",
    "<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>&e;", "%(name)s {0} ${x}",
])
def test_hostile_strings_come_back_literally(hostile: str) -> None:
    assert parse_inline(hostile) == (t.Text(hostile),)


def test_newlines_inside_a_paragraph_become_spaces() -> None:
    assert parse_inline("Minister Belousov reiterated\nRussia's ties  \n  with India") == (
        t.Text("Minister Belousov reiterated Russia's ties with India"),)


def test_markup_may_span_a_folded_line() -> None:
    assert parse_inline("the *Make in India,\nMake for the World* initiative") == (
        t.Text("the "), t.Emphasis((t.Text("Make in India, Make for the World"),)),
        t.Text(" initiative"))


def test_paragraphs_split_on_blank_lines() -> None:
    body = "First line\ncontinues.\n\n  \nSecond paragraph.\n\n\nThird.\n"
    assert paragraphs(body) == ["First line\ncontinues.", "Second paragraph.", "Third."]
    assert paragraphs("") == []
    assert paragraphs(None) == []
    assert paragraphs("\n \n") == []


@pytest.mark.parametrize(("target", "safe"), [
    ("https://x.org", True), ("HTTPS://X.ORG", True), ("mailto:a@b.c", True),
    ("javascript:x", False), ("https://x.org/a b", False), ("http:", False),
    ("https://x.org/\"onmouseover", False), ("mailto:", False),
])
def test_is_safe_target(target: str, safe: bool) -> None:
    assert is_safe_target(target) is safe


HOSTILE_UNITS = ("*a ", "**a ", "[a", "[a](", "*a **b [c ", "[*", "**[*", "(")


def scan_steps(text: str, monkeypatch: pytest.MonkeyPatch) -> int:
    """How many positions the parser visits for ``text``: its work, not its time."""
    visited = [0]
    scan = markup._Parser._parse

    def counting(parser: Any, start: int, closers: tuple[str, ...]) -> Any:
        result = scan(parser, start, closers)
        visited[0] += len(result[3])
        return result

    monkeypatch.setattr(markup._Parser, "_parse", counting)
    markup._parse_cached.cache_clear()
    assert t.plain_text(parse_inline(text))
    monkeypatch.undo()
    return visited[0]


@pytest.mark.parametrize("unit", HOSTILE_UNITS)
def test_hostile_input_costs_work_in_proportion_to_its_length(
        unit: str, monkeypatch: pytest.MonkeyPatch) -> None:
    prefix = "[x](" if unit == "(" else ""
    short = scan_steps(prefix + unit * 1000, monkeypatch)
    long = scan_steps(prefix + unit * 4000, monkeypatch)
    assert long <= 4.5 * short, (unit, short, long)
    assert long <= 10 * len(prefix + unit * 4000), (unit, long)


MARKUP_FREE = st.text(st.characters(blacklist_characters="*[]\\\r\n",
                                    blacklist_categories=("Cs",)))


@given(MARKUP_FREE)
def test_text_without_markup_round_trips_exactly(text: str) -> None:
    inlines = parse_inline(text)
    assert t.plain_text(inlines) == text
    assert all(isinstance(node, t.Text) for node in inlines)


@given(st.text())
def test_never_raises_and_returns_tree_inlines(text: str) -> None:
    inlines = parse_inline(text)
    assert all(isinstance(node, t.INLINE_TYPES) for node in inlines)
    assert "\n" not in t.plain_text(inlines)


@given(st.text(alphabet="*[]()\\ ab:/h", max_size=60))
def test_links_are_always_safe(text: str) -> None:
    def links(nodes: tuple[t.Inline, ...]) -> list[t.Link]:
        found: list[t.Link] = []
        for node in nodes:
            if isinstance(node, t.Link):
                found.append(node)
            if isinstance(node, (t.Strong, t.Emphasis, t.Link)):
                found.extend(links(node.children))
        return found

    assert all(is_safe_target(link.target) for link in links(parse_inline(text)))
