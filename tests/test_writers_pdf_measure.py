"""What the PDF writer remembers across paragraphs and documents (line breaks per width,
word widths, font subsets and their compressed streams, images, number strings, names,
ToUnicode maps) and its faster stand-ins for reportlab's hot spots (the markup
tokenizer, the line breaker for plain paragraphs, the frame copy) change no byte:
every sample's PDFs, and a series of documents sharing fonts and logo but not their
words, come out as stock reportlab measuring everything afresh makes them; the plain
line breaker gives reportlab's lines for generated texts, widths and bullets."""

from __future__ import annotations

import hashlib
import re
import sys
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.lib import rl_accel
from reportlab.pdfbase import pdfdoc, pdfmetrics, ttfonts
from reportlab.platypus import Paragraph
from reportlab.platypus import paragraph as rl_paragraph

import readout
from readout.templating import readout_templates
from readout.writers.pdf import accel, measure, shaping
from readout.writers.pdf.canvas import PdfCanvas
from readout.writers.pdf.flow import BodyFrame

from .conftest import ROOT, SAMPLES

sys.path.insert(0, str(ROOT / "benchmarks"))
from seed_content import SEED, varied


def _documents() -> dict[str, readout.Readout]:
    docs = {path.name: readout.load(path) for path in sorted(SAMPLES.glob("*.yaml"))
            if not path.name.endswith(".series.yaml")}
    for n in range(1, 4):  # a series: the same fonts and logo, other words
        docs[f"varied-{n}"] = readout.from_dict(varied(n), name=str(SEED), folder=SEED.parent)
    return docs


def _render_all(docs: dict[str, readout.Readout]) -> dict[str, str]:
    return {f"{name}:{template}": hashlib.sha256(
        readout.render(doc, template, "pdf")).hexdigest()
        for name, doc in docs.items() for template in readout_templates()}


def _measuring_afresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stock reportlab: every wrap, width, subset and compression done again, by
    reportlab's own functions."""
    for module, name, original in accel.ORIGINALS:
        monkeypatch.setattr(module, name, original)
    for name in ("splitString", "stringWidth", "ascent", "descent"):
        monkeypatch.delattr(accel.FastTTFont, name)
    monkeypatch.setattr(ttfonts, "makeToUnicodeCMap", shaping._make_cmap)
    monkeypatch.setattr(PdfCanvas, "_escape", lambda self, s: rl_accel.escapePDF(s))
    monkeypatch.setattr(measure.MemoParagraph, "wrap", Paragraph.wrap)
    monkeypatch.setattr(measure.MemoParagraph, "_setup", Paragraph._setup)
    monkeypatch.setattr(measure.MemoParagraph, "breakLines", Paragraph.breakLines)
    monkeypatch.delattr(BodyFrame, "__deepcopy__")
    monkeypatch.setattr(rl_paragraph, "stringWidth", pdfmetrics.stringWidth)
    monkeypatch.setattr(measure, "_KEPT_FLATE", pdfdoc.PDFZCompress)
    for name in pdfmetrics.getRegisteredFontNames():
        face = getattr(pdfmetrics.getFont(name), "face", None)
        for attribute in ("makeSubset", "addSubsetObjects"):
            if face is not None and attribute in face.__dict__:
                monkeypatch.delattr(face, attribute)


@pytest.mark.slow
def test_what_is_remembered_changes_no_byte(monkeypatch: pytest.MonkeyPatch) -> None:
    docs = _documents()
    remembered = _render_all(docs)  # the first of each: caches filled as it goes
    again = _render_all(dict(reversed(docs.items())))  # every cache warm, other order
    with monkeypatch.context() as patch:
        _measuring_afresh(patch)
        afresh = _render_all(docs)
    assert len(afresh) >= 2 * len(docs)
    assert remembered == afresh
    assert again == afresh


def test_a_paragraph_wrapped_again_at_its_width_breaks_as_before() -> None:
    from reportlab.lib.styles import getSampleStyleSheet

    body = getSampleStyleSheet()["BodyText"]
    text = "Words enough to need several lines at a narrow width, " * 4
    remembering, stock = measure.MemoParagraph(text, body), Paragraph(text, body)
    for width in (120.0, 300.0, 120.0):
        assert remembering.wrap(width, 1000) == stock.wrap(width, 1000)
        assert remembering.blPara.kind == stock.blPara.kind == 0
        assert remembering.blPara.lines == stock.blPara.lines
    assert set(remembering.__dict__["_wraps"]) == {120.0, 300.0}


def test_word_widths_are_reportlabs() -> None:
    for text, font, size in (("Ministry", "Helvetica", 10.5), ("", "Helvetica", 9),
                             ("Шанхай", "Helvetica", 12)):
        assert measure.string_width(text, font, size) == pdfmetrics.stringWidth(
            text, font, size)
        assert measure.string_width(text, font, size) == pdfmetrics.stringWidth(
            text, font, size)
        for encoding in ("utf8", "latin-1"):  # the line breaker passes one: text ignores it
            assert measure.string_width(text, font, size, encoding) == pdfmetrics.stringWidth(
                text, font, size, encoding)
    assert measure.string_width(b"Ministry", "Helvetica", 9, "utf8") == pdfmetrics.stringWidth(
        b"Ministry", "Helvetica", 9)


def test_the_remembered_widths_are_the_paragraph_modules() -> None:
    import readout.writers.pdf  # noqa: F401  (installs them)

    assert rl_paragraph.stringWidth is measure.string_width


def _plain(value: Any) -> Any:
    """Line breaks as plain data: reportlab's line and fragment objects compare by
    identity; a shaped text by its characters and its glyphs' shape data."""
    if isinstance(value, str):
        return (type(value), str(value), _plain(getattr(value, "__shapeData__", None)))
    if isinstance(value, tuple) and hasattr(value, "_fields"):  # ShapeData
        return (type(value), tuple(value))
    if hasattr(value, "__dict__"):
        return {"class": type(value), **{key: _plain(item) for key, item in value.__dict__.items()}}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


_WORDS = st.sampled_from(["Ministry", "of", "Defence", "a", "Qingdao,", "SCO", "R&D",
                          "\u201cquoted\u201d", "Шанхай", "x", "antidisestablishmentarianism" * 3,
                          "non\xa0breaking", "soft\xadhyphen", "", "  ", "\n"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_WORDS, max_size=40), st.floats(20, 400), st.floats(0, 60),
       st.sampled_from([None, "\u2022"]), st.sampled_from([0.0, 0.05, 0.2]),
       st.booleans(), st.booleans())
def test_plain_paragraphs_break_as_reportlabs(words: list[str], width: float, first: float,
                                              bullet: str | None, shrink: float,
                                              split_long: bool, as_list: bool) -> None:
    from reportlab.lib.styles import ParagraphStyle

    style = ParagraphStyle("plain", fontName="Helvetica", fontSize=10.5, leading=14,
                           spaceShrinkage=shrink, splitLongWords=int(split_long),
                           bulletIndent=2, leftIndent=4)
    _assert_breaks_alike(" ".join(words).replace("&", "&amp;"), style, width, first, bullet,
                         as_list)


def test_lines_that_just_fit_break_as_reportlabs() -> None:
    """Widths a hair either side of where a line fills (the space each word may shrink
    by decides it), with and without a bullet."""
    from reportlab.lib.styles import ParagraphStyle

    words = ["The", "Raksha", "Mantri", "and", "the", "Minister", "reviewed", "defence",
             "industrial", "cooperation"]
    checked = 0
    for shrink in (0.0, 0.05, 0.2):
        style = ParagraphStyle("plain", fontName="Helvetica", fontSize=10.5, leading=14,
                               spaceShrinkage=shrink)
        for count in range(1, len(words) + 1):
            natural = pdfmetrics.stringWidth(" ".join(words[:count]), "Helvetica", 10.5)
            space = pdfmetrics.stringWidth(" ", "Helvetica", 10.5)
            for delta in (-shrink * space * count, -0.3, -0.05, -1e-9, 0.0, 1e-9, 0.05, 0.3):
                width = natural + delta
                for bullet in (None, "\u2022"):
                    text = " ".join(words)
                    got = measure.MemoParagraph(text, style, bulletText=bullet).breakLines(width)
                    want = Paragraph(text, style, bulletText=bullet).breakLines(width)
                    assert _plain(got) == _plain(want), (shrink, count, delta, bullet)
                    checked += 1
    assert checked > 300


_PIECES = st.sampled_from(["Ministry", "of", "Defence", "a", "Qingdao,", "SCO ", " R&amp;D",
                           "\u201cquoted\u201d", "Шанхай", "x", "antidisestablishmentarianism" * 3,
                           "non\xa0breaking", "", "  ", "<br/>", "\n"])
_SPANS = st.sampled_from(["{}", "<b>{}</b>", "<i>{}</i>", "<b><i>{}</i></b>",
                          "<font size='14'>{}</font>", "<font name='Times-Roman'>{}</font>",
                          "<a href='https://mod.gov.example/'>{}</a>", "<u>{}</u>",
                          "<super>{}</super>", "<a name='here'/>{}"])


@st.composite
def _rich_markup(draw: st.DrawFn) -> str:
    """Markup of several styles: spans of generated words, with or without spaces at
    the span's edges."""
    spans = []
    for _ in range(draw(st.integers(2, 12))):
        words = draw(st.lists(_PIECES, min_size=1, max_size=6))
        joiner = draw(st.sampled_from([" ", ""]))
        spans.append(draw(_SPANS).format(joiner.join(words)))
    return draw(st.sampled_from([" ", ""])).join(spans)


def _rich_style(shrink: float, split_long: bool, justify_breaks: bool) -> Any:
    from reportlab.lib.styles import ParagraphStyle

    return ParagraphStyle("rich", fontName="Helvetica", fontSize=10.5, leading=14,
                          spaceShrinkage=shrink, splitLongWords=int(split_long),
                          justifyBreaks=int(justify_breaks), bulletIndent=2, leftIndent=4)


def _assert_breaks_alike(text: str, style: Any, width: float, first: float,
                         bullet: str | None, as_list: bool) -> None:
    ours, stock = measure.MemoParagraph(text, style, bulletText=bullet), Paragraph(
        text, style, bulletText=bullet)
    ours_widths, stock_widths = [width + first, width], [width + first, width]
    got = ours.breakLines(ours_widths if as_list else width)
    want = stock.breakLines(stock_widths if as_list else width)
    assert _plain(got) == _plain(want)
    assert _plain(ours.frags) == _plain(stock.frags)  # the words the lines index (sFW)
    assert ours_widths == stock_widths  # the first line's width, less the bullet, alike
    for name in ("_width_max", "height", "_splitLongWordCount", "_hyphenations"):
        assert getattr(ours, name) == getattr(stock, name), name


@settings(max_examples=400, deadline=None)
@given(_rich_markup(), st.floats(20, 400), st.floats(0, 60),
       st.sampled_from([None, "\u2022"]), st.sampled_from([0.0, 0.05, 0.2]),
       st.booleans(), st.booleans(), st.booleans())
def test_paragraphs_of_several_styles_break_as_reportlabs(
        text: str, width: float, first: float, bullet: str | None, shrink: float,
        split_long: bool, justify_breaks: bool, as_list: bool) -> None:
    style = _rich_style(shrink, split_long, justify_breaks)
    _assert_breaks_alike(text, style, width, first, bullet, as_list)


def test_rich_lines_answers_the_paragraphs_of_several_styles() -> None:
    """The loop is not bypassed: a paragraph of several styles is broken by it, one
    with a soft hyphen or hyphenation language goes to reportlab."""
    from readout.writers.pdf.richlines import rich_lines

    style = _rich_style(0.05, True, False)
    text = "The <b>Raksha Mantri</b> met the <i>Minister</i> in Qingdao on Thursday."
    assert rich_lines(measure.MemoParagraph(text, style), 120.0) is not None
    assert rich_lines(measure.MemoParagraph(text.replace("Thurs", "Thurs\xad"), style),
                      120.0) is None
    hyphenating = _rich_style(0.05, True, False)
    hyphenating.hyphenationLang = "en_GB"
    assert rich_lines(measure.MemoParagraph(text, hyphenating), 120.0) is None


def test_rich_lines_that_just_fit_break_as_reportlabs() -> None:
    """Widths a hair either side of where a line of several styles fills."""
    words = ["The", "<b>Raksha", "Mantri</b>", "and", "the", "<i>Minister</i>", "reviewed",
             "<font size='14'>defence</font>", "industrial", "cooperation"]
    plain = [re.sub("<[^>]+>", "", word) for word in words]
    checked = 0
    for shrink in (0.0, 0.05, 0.2):
        style = _rich_style(shrink, True, False)
        for count in range(1, len(words) + 1):
            natural = pdfmetrics.stringWidth(" ".join(plain[:count]), "Helvetica-Bold", 10.5)
            for delta in (-4.0, -1.0, -0.3, -1e-9, 0.0, 1e-9, 0.3, 1.0, 4.0):
                for bullet in (None, "\u2022"):
                    _assert_breaks_alike(" ".join(words), style, natural + delta, 0.0,
                                         bullet, False)
                    checked += 1
    assert checked > 300



_CONSONANTS = "कखगघचजटडतथदधनपबमयरलवशसह"
_SIGNS = ["", "", "ा", "ि", "ी", "ु", "ू", "े", "ै", "ो", "ं", "िं", "्"]
_ARABIC = [*"ابتثجحدرزسشصعفقكلمنهوی", "\u064e", "\u0650", "لا", "۲۰۲۵"]
_LATIN = ["SCO", "Qingdao", "2025", "(DRDO)"]


@st.composite
def _shaped_markup(draw: st.DrawFn, script: str) -> str:
    """Markup of generated Hindi or Urdu words (with Latin ones among them), in spans
    of several styles or none."""
    def word() -> str:
        if draw(st.integers(0, 9)) == 0:
            return draw(st.sampled_from(_LATIN))
        if script == "deva":
            return "".join(draw(st.sampled_from(_CONSONANTS)) + draw(st.sampled_from(_SIGNS))
                           for _ in range(draw(st.integers(1, 4))))
        return "".join(draw(st.sampled_from(_ARABIC)) for _ in range(draw(st.integers(2, 6))))

    spans = []
    for _ in range(draw(st.integers(1, 6))):
        words = " ".join(word() for _ in range(draw(st.integers(1, 8))))
        spans.append(draw(st.sampled_from(["{}", "{}", "<b>{}</b>", "<font size='14'>{}</font>",
                                           "<a href='https://pib.gov.in/'>{}</a>",
                                           "<a name='here'/>{}", "{}<br/>"])).format(words))
    return " ".join(spans)


def _shaped_style(script: str, shrink: float, split_long: bool) -> Any:
    from reportlab.lib.styles import ParagraphStyle

    from readout.fontchain import chain_of
    from readout.themes import load_theme
    from readout.writers.pdf.flow import font_faces

    probe = "क" if script == "deva" else "ب"
    for family in chain_of(load_theme(), "body"):
        name = font_faces(family)[0]
        if ord(probe) in pdfmetrics.getFont(name).face.charToGlyph:
            return ParagraphStyle("shaped", fontName=name, fontSize=10.5, leading=14,
                                  spaceShrinkage=shrink, splitLongWords=int(split_long),
                                  bulletIndent=2, leftIndent=4, shaping=1)
    raise AssertionError(f"no font of the body chain has {probe}")


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["deva", "arab"]).flatmap(
           lambda script: st.tuples(st.just(script), _shaped_markup(script))),
       st.floats(30, 400), st.floats(0, 60), st.sampled_from([None, "\u2022"]),
       st.sampled_from([0.0, 0.05]), st.booleans(), st.booleans())
def test_shaped_paragraphs_break_as_reportlabs(
        script_text: tuple[str, str], width: float, first: float, bullet: str | None,
        shrink: float, split_long: bool, as_list: bool) -> None:
    """Generated Hindi and Urdu paragraphs (shaped words, one style or several): the
    lines, shaped texts and glyph data reportlab's breaker gives."""
    script, text = script_text
    _assert_breaks_alike(text, _shaped_style(script, shrink, split_long), width, first,
                         bullet, as_list)


def test_rich_lines_answers_shaped_paragraphs() -> None:
    """A shaped paragraph, of one fragment or several, is broken by `rich_lines` (not
    handed to reportlab), and its lines hold shaped text."""
    from reportlab.pdfbase.ttfonts import ShapedStr

    from readout.writers.pdf.richlines import rich_lines

    style = _shaped_style("deva", 0.05, True)
    for text in ("रक्षा मंत्री श्री राजनाथ सिंह ने क्विंगदाओ में बैठक की।",
                 "रक्षा मंत्री <b>श्री राजनाथ सिंह</b> ने क्विंगदाओ में बैठक की।"):
        lines = rich_lines(measure.MemoParagraph(text, style), 90.0)
        assert lines is not None and len(lines.lines) > 1
        assert all(isinstance(word.text, ShapedStr) for line in lines.lines
                   for word in line.words)
