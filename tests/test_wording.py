"""Nothing invented: every word a document prints comes from its readout or is one of its
template's own labels.

For every sample (series members included, with their defaults) and every readout
template of the registry, in both formats, the body text is cut down by every phrase of
the readout (its text fields, as typed and in capitals, and its dates as the templates
format them) and by every literal of the template's source (its labels). What is left
must be punctuation only. A doubled little word ("the the") fails anywhere.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from datetime import date, datetime, time
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any

import pytest

import readout
from readout import templating as tm
from readout.api import validated
from readout.localise import translate
from readout.markup import body_blocks, parse_inline
from readout.series import load_series
from readout.tree import plain_text
from readout.typography import typographic

from .conftest import SAMPLES, SERIES
from .extract import comparable, docx_header_rows, docx_words, pdf_body_words

TEMPLATES = tuple(t for t in tm.available_templates()
                  if tm.describe_template(t).renders == "readout")
FILES = sorted(p for p in SAMPLES.glob("*.yaml") if not p.name.endswith(".series.yaml"))
DOUBLED = re.compile(r"\b(the|a|an|of|on|in|to|and|at|for|with|by)\s+\1\b", re.IGNORECASE)
PUNCTUATION = re.compile(r"[\W_]+")
CJK = re.compile("[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]")


@cache
def samples() -> dict[str, readout.Readout]:
    """Every sample readout by id: the files, and the sample series' members merged."""
    found = {doc.id: doc for doc in map(readout.load, FILES)}
    for member in load_series(SERIES).members:
        doc = validated(member.source)[0]
        found.setdefault(doc.id, doc)
    return found


@cache
def rendered_text(sample: str, template: str, fmt: str) -> str:
    doc = samples()[sample]
    data = readout.render(doc, template, fmt)
    if fmt == "docx":
        return " ".join(comparable(docx_words(data)))
    headers = docx_header_rows(readout.render(doc, template, "docx"))
    return " ".join(comparable(pdf_body_words(data, repeated_headers=headers)))


def strings(value: Any) -> Iterator[str]:
    """Every text a readout holds, each paragraph and list item on its own."""
    if isinstance(value, Enum):
        yield str(value.value)
    elif isinstance(value, str):
        for block in body_blocks(value):
            for piece in (block.text, *block.items):
                if piece:  # as typed (straight quotes kept), its markup gone
                    yield plain_text(parse_inline(piece))
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from strings(getattr(value, field.name))
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from strings(item)


def dates(value: Any) -> Iterator[date | time]:
    if isinstance(value, (date, time)):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from dates(getattr(value, field.name))
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from dates(item)


def formatted(value: date | time, language: str) -> Iterator[str]:
    if isinstance(value, datetime):
        yield from (tm.clock(value), tm.clock12(value), tm.zone(value, language))
    if isinstance(value, time):
        yield from (tm.clock(value), tm.clock12(value))
        return
    yield from (tm.longdate(value, language), tm.shortdate(value, language),
                tm.fulldate(value, language), tm.pibdate(value), tm.usdate(value, language),
                tm.usdate(value, language).upper())


def readout_phrases(doc: readout.Readout) -> set[str]:
    phrases: set[str] = set()
    for typed in strings(doc):
        typed = " ".join(typed.split())
        # printed with the language's quotation marks, at the top level or inside a quote
        inside = typographic(tm.quoted(typed, doc.language), doc.language)
        for text in (typed, typographic(typed, doc.language), inside, inside[:-1]):
            bare = text.rstrip(".,;:")  # a quote in prose ends "...terrorism," said X.
            phrases |= {text, text.upper(), text[:1].upper() + text[1:], bare}
    for value in dates(doc):
        phrases |= set(formatted(value, doc.language))
    meeting = doc.meeting
    phrases.add(tm.daterange(meeting.date, meeting.end_date, doc.language))
    return {" ".join(p.split()) for p in phrases if p.strip()}


@cache
def template_literals(template: str, language: str = "en") -> frozenset[str]:
    """The words a template prints itself: its literal text and the strings in its code
    (its messages, as the catalogue of ``language`` gives them too), each cut at its
    ``{placeholders}``."""
    literals: set[str] = set()
    for file in tm.template_files(template):
        if file.suffix != ".j2":
            continue
        source = re.sub(r"\{#.*?#\}", " ", file.read_text(encoding="utf-8"), flags=re.S)
        for code in re.findall(r"\{\{.*?\}\}|\{%.*?%\}", source, flags=re.S):
            literals.update(re.findall(r'"([^"]*)"', code))
        outside = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", "\n", source, flags=re.S)
        literals.update(re.split(r"<[^>]*>|\n", outside))
    literals |= {translate(text, language) for text in literals}
    pieces = {piece for text in literals for piece in re.split(r"\{\w+\}", text)}
    cleaned = {" ".join(piece.split()) for piece in pieces}
    return frozenset({t for t in cleaned if t} | {t.upper() for t in cleaned if t})


def leftover(shown: str, phrases: set[str]) -> list[str]:
    """What ``shown`` still says once every phrase (as whole words; Chinese has no
    spaces between words) is cut out of it."""
    for phrase in sorted(phrases, key=len, reverse=True):
        before = "" if CJK.match(phrase[0]) else r"(?<!\w)"
        after = "" if CJK.match(phrase[-1]) else r"(?!\w)"
        shown = re.sub(f"{before}{re.escape(phrase)}{after}", " | ", shown)
    return [word for word in shown.split() if PUNCTUATION.sub("", word)]


def reads_word_by_word(doc: readout.Readout) -> bool:
    """Whether the PDF's words come back as written: not for right-to-left text (drawn
    in visual order) nor for Chinese (a line breaks between any two characters, which
    extraction reads as a space); test_scripts reads those back, and their DOCX here."""
    return not re.search("[\u0590-\u08ff\u4e00-\u9fff]", " ".join(strings(doc)))


def cases() -> list[tuple[str, str]]:
    return [(sample, template) for sample in sorted(samples()) for template in TEMPLATES]


@pytest.mark.parametrize(("sample", "template"), cases())
def test_every_word_comes_from_the_readout_or_the_template(sample: str, template: str) -> None:
    doc = samples()[sample]
    phrases = readout_phrases(doc) | template_literals(template, doc.language)
    for fmt in ("pdf", "docx") if reads_word_by_word(doc) else ("docx",):
        assert leftover(rendered_text(sample, template, fmt), phrases) == [], fmt


@pytest.mark.parametrize(("sample", "template"), cases())
def test_no_document_doubles_a_little_word(sample: str, template: str) -> None:
    for fmt in ("pdf", "docx"):
        doubled = DOUBLED.search(rendered_text(sample, template, fmt))
        assert doubled is None, doubled.group(0) if doubled else ""


def test_the_check_finds_an_invented_phrase() -> None:
    doc = samples()["2025-06-26-qingdao-in-ru"]
    shown = rendered_text("2025-06-26-qingdao-in-ru", "press-release", "docx")
    phrases = readout_phrases(doc) | template_literals("press-release")
    assert leftover(shown, phrases) == []
    assert leftover(f"{shown} as agreed by all the event", phrases) == [
        "as", "agreed", "by", "all", "the", "event"]
    assert DOUBLED.search("Ahead of the the event")


def test_samples_cover_the_series_members() -> None:
    assert {"2025-06-24-delegation-briefing", "2025-06-27-delegation-debrief"} <= set(samples())
    assert all(Path(str(doc.source)).exists() for doc in samples().values())
