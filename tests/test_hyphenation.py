"""Hyphenation where a dictionary exists (SPEC section 6): the points come from pyphen, the
PDF breaks lines there and the DOCX marks them with soft hyphens for Word; justified
text is hyphenated, other text when the theme says so, never headings, names or words
of a script without a dictionary; the same input gives the same bytes."""

from __future__ import annotations

import io
import re
import tempfile
from functools import cache
from itertools import pairwise
from pathlib import Path

import docx
import pdfplumber
import pymupdf
import pyphen
import pytest

import readout
from readout.hyphenation import breaks, dictionary, pieces
from readout.themes import Theme, load_theme

from .conftest import SAMPLES

ENGLISH = SAMPLES / "2025-06-26-qingdao-in-ru.yaml"
RUSSIAN = SAMPLES / "2025-06-26-qingdao-ru-in.ru.yaml"
HINDI = SAMPLES / "2025-06-26-qingdao-in-ru.hi.yaml"
THEMES = {
    "on": "extends: default\nhyphenate: true\n",
    "justified": "extends: default\nstyles:\n  body:\n    alignment: justify\n",
    "off": "extends: default\nhyphenate: false\nstyles:\n  body:\n    alignment: justify\n",
}


_FOLDER = tempfile.TemporaryDirectory(prefix="readout-hyphen-")  # gone with the process


@cache
def theme(name: str) -> Theme:
    path = Path(_FOLDER.name) / f"{name}.yaml"
    path.write_text(f"name: {name}\n" + THEMES[name], encoding="utf-8")
    return load_theme(path)


@cache
def rendered(path: Path, fmt: str, name: str | None, template: str = "press-release") -> bytes:
    return readout.render(readout.load(path), template, fmt,
                          theme=theme(name) if name else None)


def pdf_lines(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [line for page in pdf.pages for line in (page.extract_text() or "").splitlines()]


def hyphenated_breaks(lines: list[str]) -> list[tuple[str, str]]:
    """(head, tail) of each word a line break cut with a hyphen the writer added."""
    out = []
    for line, following in pairwise(lines):
        head = re.search(r"(\w+)-$", line)
        tail = re.match(r"(\w+)", following)
        if head and tail:
            out.append((head.group(1), tail.group(1)))
    return out


def source_words(path: Path) -> set[str]:
    return set(re.findall(r"\w+", path.read_text(encoding="utf-8")))


# -- the points --------------------------------------------------------------------------------

def test_the_points_are_the_dictionarys() -> None:
    assert breaks("modernisation", "en-GB") == tuple(
        pyphen.Pyphen(lang="en_GB").positions("modernisation"))
    assert breaks("modernisation", "en") == (3, 6, 9)
    assert breaks("сотрудничество", "ru") == tuple(
        pyphen.Pyphen(lang="ru").positions("сотрудничество"))
    assert breaks("सहयोग", "hi") == () and dictionary("hi") is None and dictionary("ur") is None


@pytest.mark.parametrize("word", ["Kashmir", "BrahMos", "S400", "short", "cooperation2"])
def test_names_acronyms_digits_and_short_words_stay_whole(word: str) -> None:
    assert breaks(word, "en") == ()


def test_pieces_join_back_and_leave_addresses_alone() -> None:
    text = "Write to media-cell@example.gov.in about cooperation, see https://mod.gov.in/cooperation"
    cut = list(pieces(text, "en"))
    assert "".join(cut) == text and len(cut) > 1
    assert not any(piece.endswith(("media-c", "exam", "mod.gov.in/co")) for piece in cut)


# -- the PDF -----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", [None, "off"])
def test_ragged_text_and_a_theme_that_says_no_are_not_hyphenated(name: str | None) -> None:
    lines = pdf_lines(rendered(ENGLISH, "pdf", name))
    words = source_words(ENGLISH)
    assert [pair for pair in hyphenated_breaks(lines) if pair[0] + pair[1] in words] == []


@pytest.mark.parametrize("name", ["on", "justified"])
def test_the_pdf_breaks_words_at_the_dictionarys_points(name: str) -> None:
    data = rendered(ENGLISH, "pdf", name)
    cut = [(head, tail) for head, tail in hyphenated_breaks(pdf_lines(data))
           if head + tail in source_words(ENGLISH)]
    assert len(cut) >= 5
    for head, tail in cut:
        assert len(head) in breaks(head + tail, "en"), (head, tail)
    with pymupdf.open(stream=data) as document:
        glyphs = [char[1] for page in document for span in page.get_texttrace()
                  for char in span["chars"]]
    assert 0 not in glyphs  # the hyphen drawn is a real glyph
    assert data == readout.render(readout.load(ENGLISH), "press-release", "pdf",
                                  theme=theme(name))  # deterministic


def test_russian_is_hyphenated_by_its_dictionary_and_hindi_never() -> None:
    cut = [(h, t) for h, t in hyphenated_breaks(pdf_lines(rendered(RUSSIAN, "pdf", "on")))
           if h + t in source_words(RUSSIAN)]
    assert cut and all(len(h) in breaks(h + t, "ru") for h, t in cut)
    hindi_points = soft_hyphen_points(rendered(HINDI, "docx", "on"))
    assert [p for p in hindi_points if re.search("[\u0900-\u097f]$", p[1])] == []
    hindi = pdf_lines(rendered(HINDI, "pdf", "on"))
    assert [line for line in hindi if re.search(r"[\u0900-\u097f]-$", line)] == []


# -- the DOCX ----------------------------------------------------------------------------------

def soft_hyphen_points(data: bytes) -> list[tuple[str, str, str]]:
    """(style, text before, text after) around every soft hyphen of the body."""
    out = []
    for paragraph in docx.Document(io.BytesIO(data)).paragraphs:
        for run in paragraph.runs:
            texts: list[str] = []
            marks: list[int] = []
            for child in run._r:
                tag = child.tag.rsplit("}", 1)[1]
                if tag == "t":
                    texts.append(child.text or "")
                elif tag == "softHyphen":
                    marks.append(len(texts))
            for at in marks:
                out.append((paragraph.style.name, "".join(texts[:at]), "".join(texts[at:])))
    return out


def test_the_docx_marks_the_same_points_with_soft_hyphens_and_reads_the_same() -> None:
    data = rendered(ENGLISH, "docx", "on")
    points = soft_hyphen_points(data)
    assert len(points) > 50
    for style, before, after in points:
        head, tail = re.search(r"(\w+)$", before), re.match(r"(\w+)", after)
        assert head and tail, (before, after)
        assert len(head.group(1)) in breaks(head.group(1) + tail.group(1), "en")
        assert not style.startswith(("Heading", "Title"))
    shown = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    assert shown == [p.text for p in docx.Document(io.BytesIO(rendered(ENGLISH, "docx", None)
                                                              )).paragraphs]
    assert soft_hyphen_points(rendered(ENGLISH, "docx", None)) == []
    assert soft_hyphen_points(rendered(ENGLISH, "docx", "off")) == []


@pytest.mark.parametrize("name", ["on", "justified"])
def test_every_template_hyphenates_under_a_hyphenating_theme(name: str) -> None:
    from readout.templating import available_templates, describe_template
    for template in available_templates():
        if describe_template(template).renders != "readout":
            continue
        data = rendered(ENGLISH, "docx", name, template)
        assert soft_hyphen_points(data), template
