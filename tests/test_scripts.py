"""Every script a ministry publishes in, as a reader gets it (SPEC section 6).

Hindi, Russian, Urdu and Chinese samples, in every readout template: the text a reader
copies out of the PDF (pdftotext, pdfplumber, pypdf, PyMuPDF) is the text typed; no
glyph drawn is a box; Devanagari is shaped (the glyphs drawn are HarfBuzz's, not one per
character); Urdu runs right to left with Latin words and numbers left to right inside
it; labels and dates are in the document's language. Each document renders once.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from functools import cache
from pathlib import Path

import docx
import pdfplumber
import pikepdf
import pymupdf
import pytest
import uharfbuzz
from docx.oxml.ns import qn
from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.ttLib import TTFont
from pypdf import PdfReader

import readout
from readout import tree as t
from readout.model import Readout
from readout.templating import available_templates, describe_template, plain
from readout.themes import load_theme
from readout.writers.pdf import write as write_pdf

from .conftest import SAMPLES
from .tagged_pdf import structure

HINDI = SAMPLES / "2025-06-26-qingdao-in-ru.hi.yaml"
RUSSIAN = SAMPLES / "2025-06-26-qingdao-ru-in.ru.yaml"
URDU = SAMPLES / "2025-06-26-qingdao-in-ru.ur.yaml"
CHINESE = SAMPLES / "2025-06-26-qingdao-in-cn.yaml"
ENGLISH = SAMPLES / "2025-06-26-qingdao-in-ru.yaml"
ALL_SAMPLES = sorted(p for p in SAMPLES.glob("*.yaml") if not p.name.endswith(".series.yaml"))
TEMPLATES = [name for name in available_templates()
             if describe_template(name).renders == "readout"]
NOTO_SANS = Path(readout.__file__).parent / "fonts" / "NotoSans-Regular.ttf"


@cache
def sample(path: Path) -> Readout:
    return readout.load(path)


@cache
def rendered(path: Path, template: str, fmt: str = "pdf") -> bytes:
    return readout.render(sample(path), template, fmt)


def norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def pdftotext(data: bytes) -> str:
    assert shutil.which("pdftotext"), "pdftotext (poppler-utils) is needed; .ci/run installs it"
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True,
                          check=True).stdout.decode("utf-8")


def pdfplumber_text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def pypdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def pymupdf_text(data: bytes) -> str:
    with pymupdf.open(stream=data) as document:
        return "\n".join(page.get_text() for page in document)


EXTRACTORS = {"pdftotext": pdftotext, "pdfplumber": pdfplumber_text, "pypdf": pypdf_text,
              "pymupdf": pymupdf_text}


# -- the text a reader copies is the text typed --------------------------------------------

@pytest.mark.parametrize("extractor", sorted(EXTRACTORS))
@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("path", [HINDI, RUSSIAN], ids=lambda p: p.stem)
def test_title_and_summary_read_back_exactly(path: Path, template: str, extractor: str) -> None:
    doc = sample(path)
    text = norm(EXTRACTORS[extractor](rendered(path, template)))
    assert norm(plain(doc.title)) in text
    assert norm(plain(doc.summary)) in text


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("path", ALL_SAMPLES, ids=lambda p: p.stem)
def test_no_glyph_drawn_is_an_empty_box(path: Path, template: str) -> None:
    with pymupdf.open(stream=rendered(path, template)) as document:
        glyphs = [char[1] for page in document for span in page.get_texttrace()
                  for char in span["chars"]]
    assert glyphs and 0 not in glyphs  # glyph 0 is the font's .notdef


# -- Devanagari is shaped ------------------------------------------------------------------------

def _outline(glyph_set: object, name: str) -> tuple[object, ...]:
    pen = DecomposingRecordingPen(glyph_set)
    glyph_set[name].draw(pen)  # type: ignore[index]
    return tuple(pen.value)


def drawn_outlines(data: bytes) -> list[tuple[object, ...]]:
    """The outline of every glyph drawn on page 1, in drawing order."""
    with pymupdf.open(stream=data) as document:
        page = document[0]
        fonts = {}
        for xref, *_, name, _, _ in page.get_fonts():
            buffer = document.extract_font(xref)[3]
            font = TTFont(io.BytesIO(buffer))
            fonts[name.split("+", 1)[-1]] = (font.getGlyphSet(), font.getGlyphOrder())
        out = []
        for span in page.get_texttrace():
            glyph_set, order = fonts[span["font"]]
            out += [_outline(glyph_set, order[char[1]]) for char in span["chars"]
                    if char[1] >= 0]
    return out


def expected_outlines(text: str, shaped: bool) -> list[tuple[object, ...]]:
    """The glyphs HarfBuzz draws for ``text`` in Noto Sans, or one per character."""
    font = TTFont(NOTO_SANS)
    glyph_set, order, cmap = font.getGlyphSet(), font.getGlyphOrder(), font.getBestCmap()
    if not shaped:
        return [outline for c in text if (outline := _outline(glyph_set, cmap[ord(c)]))]
    buffer = uharfbuzz.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    uharfbuzz.shape(uharfbuzz.Font(uharfbuzz.Face(NOTO_SANS.read_bytes())), buffer, {})
    return [outline for info in buffer.glyph_infos
            if (outline := _outline(glyph_set, order[info.codepoint]))]


@pytest.mark.parametrize("text", ["क्षि", "राजनाथ सिंह"])
def test_devanagari_is_drawn_with_harfbuzz_glyphs_not_one_per_character(text: str) -> None:
    data = write_pdf(t.Document(metadata=t.Metadata(title="x", language="hi"),
                                body=(t.Paragraph((t.Text(text),)),)), load_theme())
    drawn = drawn_outlines(data)
    drawn = [outline for outline in drawn if outline]  # spaces have none
    assert drawn == expected_outlines(text, shaped=True)
    assert drawn != expected_outlines(text, shaped=False)
    assert norm(pdfplumber_text(data)) == text


# -- right to left -------------------------------------------------------------------------------

URDU_LINE = "وزیر دفاع نے 26 جون 2025 کو SCO اجلاس میں شرکت کی"


def urdu_chars() -> list[dict[str, object]]:
    data = write_pdf(t.Document(metadata=t.Metadata(title="x", language="ur"),
                                body=(t.Paragraph((t.Text(URDU_LINE),)),)), load_theme())
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [c for c in pdf.pages[0].chars if c["text"].strip()]


def test_an_urdu_line_starts_at_the_right_with_its_first_word() -> None:
    chars = urdu_chars()
    first_word = {c for c in "وزیر"}
    rightmost = max(chars, key=lambda c: float(c["x1"]))  # type: ignore[arg-type]
    assert rightmost["text"] in first_word
    last_word = [c for c in chars if c["text"] in "کی"]
    assert min(float(c["x0"]) for c in last_word) == min(  # type: ignore[arg-type]
        float(c["x0"]) for c in chars)  # type: ignore[arg-type]


def test_latin_words_and_numbers_inside_urdu_read_left_to_right() -> None:
    chars = urdu_chars()
    for word in ("2025", "SCO", "26"):
        for start in range(len(chars) - len(word) + 1):
            run = chars[start:start + len(word)]
            if "".join(str(c["text"]) for c in run) == word:
                xs = [float(c["x0"]) for c in run]  # type: ignore[arg-type]
                assert xs == sorted(xs), word
                break
        else:
            pytest.fail(f"{word} is not drawn as one left-to-right run")
    positions = {word: min(float(c["x0"]) for c in chars  # type: ignore[arg-type]
                           if c["text"] == word[0]) for word in ("SCO",)}
    twenty_six = [float(c["x0"]) for c in chars if c["text"] == "6"]  # type: ignore[arg-type]
    assert positions["SCO"] < min(twenty_six)  # SCO comes later, so further left


MIXED_LINE = "The minister said وزیر دفاع نے شرکت کی yesterday."


def test_urdu_words_inside_an_english_line_read_right_to_left_in_their_place() -> None:
    data = write_pdf(t.Document(metadata=t.Metadata(title="x", language="en"),
                                body=(t.Paragraph((t.Text(MIXED_LINE),)),)), load_theme())
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        chars = [c for c in pdf.pages[0].chars if c["text"].strip()]

    def left(letters: str) -> float:
        return min(float(c["x0"]) for c in chars if c["text"] in letters)  # type: ignore[arg-type]

    # the Urdu run's first word (وزیر) is its rightmost, its last (کی) its leftmost,
    # and the run stays between "said" and "yesterday"
    assert left("d") < left("ک") < left("ش") < left("و") < left("y")
    with pikepdf.open(io.BytesIO(data)) as pdf:
        actual = [str(node.obj.ActualText) for node in structure(pdf).walk()
                  if node.role == "P" and "/ActualText" in node.obj]
    assert actual == [MIXED_LINE]


def test_the_urdu_sample_is_set_right_to_left_in_the_pdf() -> None:
    with pdfplumber.open(io.BytesIO(rendered(URDU, "press-release"))) as pdf:
        chars = [c for c in pdf.pages[0].chars if c["text"].strip()]
    biggest = max(float(c["size"]) for c in chars)  # the title
    title = [c for c in chars if float(c["size"]) == biggest]
    top = min(float(c["top"]) for c in title)
    line = [c for c in title if abs(float(c["top"]) - top) < 3]
    assert max(line, key=lambda c: float(c["x1"]))["text"] in set("وزیر")
    assert min(line, key=lambda c: float(c["x0"]))["text"] not in set("وزیر")


def test_the_urdu_docx_marks_its_paragraphs_and_runs_right_to_left() -> None:
    document = docx.Document(io.BytesIO(rendered(URDU, "press-release", "docx")))
    summary_start = plain(sample(URDU).summary).split()[0]
    paragraph = next(p for p in document.paragraphs if summary_start in p.text)
    assert paragraph._p.pPr.find(qn("w:bidi")) is not None
    urdu_runs = [r for r in paragraph.runs if re.search("[\u0600-\u06ff]", r.text)]
    assert urdu_runs and all(r._r.rPr.find(qn("w:rtl")) is not None for r in urdu_runs)


# -- labels and dates in the document's language ----------------------------------------------

ENGLISH_LABELS = ("PRESS RELEASE", "INTERNAL BRIEF", "Page", "June", "ENDS", "Participants",
                  "Summary", "Media contact", "Outcomes")


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize(("path", "month"), [(HINDI, "जून"), (RUSSIAN, "июня"), (URDU, "جون")],
                         ids=["hi", "ru", "ur"])
def test_a_document_in_another_language_has_no_english_label(
        path: Path, month: str, template: str, fmt: str) -> None:
    data = rendered(path, template, fmt)
    if fmt == "pdf":
        text = pdftotext(data)
    else:
        document = docx.Document(io.BytesIO(data))
        parts = [p.text for p in document.paragraphs]
        parts += [c.text for table in document.tables for row in table.rows for c in row.cells]
        for section in document.sections:
            parts += [p.text for p in section.footer.paragraphs + section.header.paragraphs]
        text = "\n".join(parts)
    for label in ENGLISH_LABELS:
        assert not re.search(rf"\b{label}\b", text), label
    assert not re.search(r"\bJune\b", text, re.IGNORECASE)  # nor in capitals (a US dateline)
    assert month in text


# -- DOCX: language, script fonts, size -------------------------------------------------------

def runs_with(data: bytes, pattern: str) -> list[object]:
    document = docx.Document(io.BytesIO(data))
    return [run for paragraph in document.paragraphs for run in paragraph.runs
            if re.search(pattern, run.text)]


def test_chinese_runs_take_the_east_asian_font_and_language() -> None:
    runs = runs_with(rendered(CHINESE, "press-release", "docx"), "[\u4e00-\u9fff]")
    assert runs
    for run in runs:
        fonts = run._r.rPr.find(qn("w:rFonts"))  # type: ignore[attr-defined]
        assert fonts.get(qn("w:eastAsia")) == "Noto Sans SC"
        assert fonts.get(qn("w:hint")) == "eastAsia"
        lang = run._r.rPr.find(qn("w:lang"))  # type: ignore[attr-defined]
        assert lang.get(qn("w:eastAsia")) == "zh-CN"


def test_urdu_runs_take_the_complex_script_font_and_latin_runs_inside_do_not() -> None:
    data = rendered(URDU, "press-release", "docx")
    for run in runs_with(data, "[\u0600-\u06ff]"):
        props = run._r.rPr  # type: ignore[attr-defined]
        assert props.find(qn("w:rFonts")).get(qn("w:cs")) == "Noto Sans Arabic"
        assert props.find(qn("w:cs")) is not None and props.find(qn("w:rtl")) is not None
    latin = runs_with(data, "SCO")
    assert latin and all(r._r.rPr is None or r._r.rPr.find(qn("w:rtl")) is None  # type: ignore
                         for r in latin)


@pytest.mark.parametrize(("path", "tag"), [(HINDI, 'w:bidi="hi"'), (RUSSIAN, 'w:val="ru"'),
                                           (URDU, 'w:bidi="ur"')], ids=["hi", "ru", "ur"])
def test_the_docx_says_its_language(path: Path, tag: str) -> None:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(rendered(path, "press-release", "docx"))) as package:
        styles = package.read("word/styles.xml").decode()
    assert tag in re.search(r"<w:rPrDefault>.*?</w:rPrDefault>", styles, re.S).group(0)  # type: ignore[union-attr]


def test_a_latin_word_in_a_hindi_document_is_marked_english() -> None:
    data = write_docx_paragraph("रक्षा मंत्रालय ने Operation Sindoor कहा", "hi")
    (run,) = runs_with(data, "Operation")
    assert run._r.rPr.find(qn("w:lang")).get(qn("w:val")) == "en-GB"  # type: ignore


def write_docx_paragraph(text: str, language: str) -> bytes:
    from readout.writers.docx import write

    return write(t.Document(metadata=t.Metadata(title="x", language=language),
                            body=(t.Paragraph((t.Text(text),)),)), load_theme())


def test_the_seed_press_release_docx_is_small_with_its_fonts_embedded() -> None:
    data = rendered(ENGLISH, "press-release", "docx")
    assert len(data) < 200_000
    assert b"word/fonts/font1.odttf" in data


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("path", [URDU, CHINESE], ids=lambda p: p.stem)
def test_urdu_and_chinese_pdfs_show_every_character_of_the_docx_and_number_their_pages(
        path: Path, template: str) -> None:
    pdf = pdftotext(rendered(path, template))
    document = docx.Document(io.BytesIO(rendered(path, template, "docx")))
    body = [p.text for p in document.paragraphs]
    body += [c.text for table in document.tables for row in table.rows for c in row.cells]
    shown = {c for c in unicodedata.normalize("NFC", pdf) if not c.isspace()}
    assert {c for c in unicodedata.normalize("NFC", "".join(body)) if not c.isspace()} <= shown
    pages = len(PdfReader(io.BytesIO(rendered(path, template))).pages)
    label = readout.localise.translate("Page {page} of {count}", sample(path).language,
                                       page="1", count=str(pages))
    # pdftotext orders a right-to-left line its own way and marks its runs (U+202A...):
    # the footer line holds the label's characters, in whatever order.
    wanted = Counter(c for c in label if not c.isspace())
    assert any(not wanted - Counter(line) for line in pdf.splitlines()), label
