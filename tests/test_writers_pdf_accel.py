"""The PDF writer's stand-ins for reportlab's hot spots (`readout.writers.pdf.accel`)
give exactly what reportlab's own functions give: the same string for every number
(negative, tiny, huge, on a rounding edge), the same bytes for every serialised value
and name, the same escapes for every byte, the same subsets and widths for every text,
and the same exception for what reportlab refuses."""

from __future__ import annotations

import math
import random
import re
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from reportlab.lib import rl_accel
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.ttfonts import TTFont

from readout.themes import load_theme
from readout.writers.pdf import accel

STOCK_FP_STR = rl_accel._py_funcs.get("fp_str") or accel._original_fp_str


def _numbers() -> list[Any]:
    rng = random.Random(11)
    values: list[Any] = [0, 0.0, -0.0, 1, -1, 1.0, 0.5, -0.5, 1e-7, -1e-7, 1.0000001e-7,
                         1.4e-7, -1.4e-7, 5e-7, -5e-7, 9.99999e-7, 0.9999995, 0.99999949,
                         1.0000005, 9.999995, 99.99995, 999.9995, 9999.995, 99999.95,
                         999999.5, 1e6, 1e7, 1e15, 1e300, -1e300, 123456789012345678,
                         10**30, -(10**20), 2**53 + 1, 595.2755905511812, 841.8897637795277,
                         0.125, 0.0625, 2.675, 1.005, 0.045, 10.5, 72.0, -36, 255, 1e-300,
                         5e-324, 1.7976931348623157e308]
    for exponent in range(-9, 12):
        for _ in range(60):
            values.append(rng.uniform(-1, 1) * 10.0 ** exponent)
        for digits in range(8):  # halfway cases at every precision the formatter uses
            step = 10.0 ** -digits
            values += [k * step + step / 2 for k in range(-3, 4)]
            values += [10.0 ** exponent + step / 2, -(10.0 ** exponent) - step / 2]
    values += [rng.randint(-10**6, 10**6) for _ in range(300)]
    values += [round(rng.uniform(-900, 900), rng.randint(0, 7)) for _ in range(2000)]
    return values


def test_every_number_formats_as_reportlabs() -> None:
    numbers = _numbers()
    for value in numbers:
        assert accel.fp_str(value) == STOCK_FP_STR(value), value
    for value in numbers:  # now remembered
        assert accel.fp_str(value) == STOCK_FP_STR(value), value
    for start in range(0, len(numbers) - 6, 6):
        row = numbers[start:start + 6]
        assert accel.fp_str(*row) == STOCK_FP_STR(*row)
        assert accel.fp_str(row) == STOCK_FP_STR(row)
        assert accel.fp_str(tuple(row)) == STOCK_FP_STR(tuple(row))


def test_other_arguments_format_as_reportlabs() -> None:
    for args in [(), ([],), ((),), (True,), (False, 2.5), (Decimal("2.50"),),
                 (Fraction(1, 3),), ([1, 2.5], ), (1, 2, 3.25)]:
        assert accel.fp_str(*args) == STOCK_FP_STR(*args)


@pytest.mark.parametrize("args", [("1",), (None,), (float("nan"),), (float("inf"),),
                                  (1, [2]), (1.5, "x"), ([1, None],)])
def test_what_reportlab_refuses_is_refused_alike(args: tuple[Any, ...]) -> None:
    with pytest.raises(Exception) as stock:
        STOCK_FP_STR(*args)
    with pytest.raises(type(stock.value)) as ours:
        accel.fp_str(*args)
    assert str(ours.value) == str(stock.value)


class _Doc:
    pass


def test_values_and_names_serialise_as_reportlabs() -> None:
    doc = _Doc()
    values: list[Any] = [*_numbers()[:500], b"raw", "", "/Type", "text é", "x" * 200,
                         True, None, pdfdoc.PDFName("Font")]
    for value in values * 2:
        assert accel.pdf_format(value, doc) == accel._original_format(value, doc)
    for name in ["Type", "Font", "a b", "(x)", "#1", "é", "x" * 80, "", "%<>"] * 2:
        assert accel.pdf_name(name) == accel._original_name(name)
    assert accel.pdf_name("ab", "a", "z") == accel._original_name("ab", "a", "z")
    assert pdfdoc.format is accel.pdf_format and pdfdoc.PDFName is accel.pdf_name
    assert pdfdoc.escapePDF is accel.escape_pdf  # PDFString's escapes


def test_every_byte_escapes_as_reportlabs() -> None:
    rng = random.Random(3)
    cases: list[Any] = [bytes(range(256)), b"", b"(a\\b)", "(plain) text", "é\xff",
                        *(bytes(rng.randrange(256) for _ in range(40)) for _ in range(200))]
    for case in cases:
        assert accel.escape_pdf(case) == accel._original_escape(case)
    with pytest.raises(KeyError):
        accel._original_escape("Ω")
    with pytest.raises(KeyError):
        accel.escape_pdf("Ω")


def _faces() -> tuple[str, str]:
    family = load_theme().font("body")
    return str(family.regular), str(family.bold)


@pytest.mark.parametrize("path", _faces())
def test_subsets_and_widths_are_reportlabs(path: str) -> None:
    fast, stock = accel.FastTTFont("fast-test", path), TTFont("stock-test", path)
    rng = random.Random(5)
    alphabet = [chr(c) for c in range(32, 0x500)] + ["\xa0", "\u4e2d", "\U0001f600"]
    texts = ["", "Ministry of Defence", "a\xa0b", "Ω and ω", "中文", "Hello", "Hello"]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
              for _ in range(400)]
    doc_fast, doc_stock = _Doc(), _Doc()
    for text in texts:
        assert fast.splitString(text, doc_fast) == stock.splitString(text, doc_stock)
        assert fast.splitString(text.encode(), doc_fast) == stock.splitString(
            text.encode(), doc_stock)
        for size in (9, 10.5, 1):
            assert fast.stringWidth(text, size) == stock.stringWidth(text, size)
    assert fast.state[doc_fast].assignments == stock.state[doc_stock].assignments
    assert fast.state[doc_fast].subsets == stock.state[doc_stock].subsets
    assert len(fast.state[doc_fast].subsets) > 2  # several subsets were filled
    fast.state[doc_fast].frozen = stock.state[doc_stock].frozen = True
    late = "Ministry \u2013 \u20ac"  # known characters, then two new ones
    with pytest.raises(pdfdoc.PDFError) as stock_error:
        stock.splitString(late, doc_stock)
    with pytest.raises(pdfdoc.PDFError, match=re.escape(
            str(stock_error.value).replace("stock-test", "fast-test"))):
        fast.splitString(late, doc_fast)
    assert math.isclose(fast.stringWidth(b"abc", 10), stock.stringWidth("abc", 10))


def test_fragments_compare_as_reportlabs() -> None:
    from reportlab.lib.colors import HexColor
    from reportlab.platypus.paraparser import ParaFrag

    def frag(**values: Any) -> Any:
        made = ParaFrag()
        made.__dict__.update(values)
        return made

    base = {"fontName": "Helvetica", "fontSize": 10.5, "textColor": HexColor("#1b1b1b"),
            "rise": 0, "us_lines": [], "link": []}
    variants = [base, {**base, "fontSize": 10.5000001}, {**base, "textColor": HexColor("#1b1b1b")},
                {**base, "textColor": HexColor("#8b1e3f")}, {**base, "link": [(0, "x")]},
                {**base, "lineBreak": True}, {**base, "cbDefn": object()},
                {**base, "nobr": 1}, {k: v for k, v in base.items() if k != "rise"},
                {**base, "rise": float("nan")}, {**base, "text": "other words"}]
    frags = [frag(**v) for v in variants]
    for f in frags:
        for g in frags:
            assert accel.same_frag(f, g) == accel._original_same_frag(f, g)
            assert type(accel.same_frag(f, g)) is type(accel._original_same_frag(f, g))


@pytest.mark.parametrize("path", _faces())
def test_a_fonts_ascent_and_descent_are_its_faces(path: str) -> None:
    from reportlab.pdfbase import pdfmetrics

    fast, stock = accel.FastTTFont("fast-metrics", path), TTFont("stock-metrics", path)
    pdfmetrics.registerFont(fast)
    pdfmetrics.registerFont(stock)
    for size in (None, 9, 10.5):
        assert pdfmetrics.getAscentDescent("fast-metrics", size) == pdfmetrics.getAscentDescent(
            "stock-metrics", size)


def test_text_operators_are_reportlabs() -> None:
    """A run of text, drawn by `textout.format_text` and by reportlab's ``_formatText``
    on two documents fed the same runs in the same fonts: the same operators and the
    same subset set afterwards, through new characters, later subsets, no-break spaces,
    characters the font lacks and font changes."""
    from io import BytesIO

    from reportlab.pdfbase import pdfmetrics

    from readout.writers.pdf import textout
    from readout.writers.pdf.canvas import PdfCanvas

    regular, bold = _faces()
    for name, path in (("text-regular", regular), ("text-bold", bold)):
        pdfmetrics.registerFont(accel.FastTTFont(name, path))
    ours, stock = PdfCanvas(BytesIO()).beginText(), PdfCanvas(BytesIO()).beginText()
    rng = random.Random(7)
    alphabet = ([chr(c) for c in range(32, 127)] * 4 + [chr(c) for c in range(0xa0, 0x500)]
                + ["\xa0", "(", ")", "\\", "\u2019", "\u4e2d", "\U0001f600"])
    texts = ["Ministry of Defence", "a\xa0b", "(brackets) and \\", "Ω and ω", "", "中文"]
    common = [chr(c) for c in range(32, 127)] + ["\xa0", "\u2019", "é", "—"]
    for _ in range(1500):  # mostly a document's letters, now and then a rarer one
        letters = alphabet if rng.random() < 0.2 else common
        texts.append("".join(rng.choice(letters) for _ in range(rng.randint(0, 40))))
    fast = 0
    for n, text in enumerate(texts):
        if n % 7 == 0:
            font, size = rng.choice(["text-regular", "text-bold"]), rng.choice([9, 10.5])
            ours.setFont(font, size, leading=size * 1.3)
            stock.setFont(font, size, leading=size * 1.3)
        before = ours._curSubset
        font_object = pdfmetrics.getFont(ours._fontname)
        fast += font_object.first_subset_text(text, ours._canvas._doc) is not None
        assert textout.format_text(ours, text) == textout._original_format_text(stock, text)
        assert ours._curSubset == stock._curSubset, (before, text)
    for name in ("text-regular", "text-bold"):
        font_object = pdfmetrics.getFont(name)
        assert (font_object.state[ours._canvas._doc].subsets
                == font_object.state[stock._canvas._doc].subsets)
    assert fast > 500  # the one-pass path was taken, not only reportlab's


def test_pdfdoc_encoding_is_reportlabs() -> None:
    """Every character up to U+2FFF alone and in generated texts: the same bytes, or
    the same refusal, as reportlab's PDFDocEncoding codec."""
    rng = random.Random(3)
    texts: list[Any] = [chr(c) for c in range(0x3000)]
    texts += ["", "12 0 obj\n", "/Type /Page", "x\x18y", "caf\xe9", b"bytes", None, 3]
    texts += ["".join(chr(rng.choice([rng.randint(0, 127), rng.randint(0, 0x2100)]))
                      for _ in range(rng.randint(1, 12))) for _ in range(3000)]
    refused = 0
    for text in texts:
        try:
            want = accel._original_pdfdoc_enc(text)
        except UnicodeEncodeError:
            refused += 1
            with pytest.raises(UnicodeEncodeError):
                accel.pdfdoc_enc(text)
            continue
        got = accel.pdfdoc_enc(text)
        assert got == want and type(got) is type(want), repr(text)
    assert refused > 100
    assert pdfdoc.pdfdocEnc is accel.pdfdoc_enc


def _shaping_fonts() -> dict[str, str]:
    """The registered names of the default theme's body faces covering Devanagari,
    Arabic and Latin (the fonts a Hindi or Urdu document is shaped in)."""
    from reportlab.pdfbase import pdfmetrics

    from readout.fontchain import chain_of
    from readout.writers.pdf.flow import font_faces

    found: dict[str, str] = {}
    for family in chain_of(load_theme(), "body"):
        name = font_faces(family)[0]
        glyphs = pdfmetrics.getFont(name).face.charToGlyph
        for script, probe in (("deva", "क"), ("arab", "ب"), ("latn", "M")):
            if ord(probe) in glyphs:
                found.setdefault(script, name)
    return found


_CONSONANTS = "कखगघचछजझटठडढणतथदधनपफबभमयरलवशषसह"
_SIGNS = ["", "", "ा", "ि", "ी", "ु", "ू", "ृ", "े", "ै", "ो", "ौ", "ं", "ः", "ँ", "िं", "्"]
_ARABIC = [*"ابتثجحخدذرزسشصضطظعغفقكلمنهويۓے", *"\u064b\u064e\u064f\u0650\u0651\u0652",
           "لا", "۱۲۳"]
_LATIN = [*"SCOQingdaoMinistry", "2025", "(", ")", "\\", "\xa0"]


def _word(rng: random.Random, script: str) -> str:
    """A generated word: Devanagari syllables (a consonant, maybe a conjunct, a vowel
    sign or an anusvara), or a run of Arabic letters and marks, or of Latin."""
    count = rng.randint(1, 5)
    if script == "deva":
        return "".join(rng.choice(_CONSONANTS) + ("्" + rng.choice(_CONSONANTS)
                                                  if rng.random() < 0.2 else "")
                       + rng.choice(_SIGNS) for _ in range(count))
    return "".join(rng.choice(_ARABIC if script == "arab" else _LATIN)
                   for _ in range(count + 2))


def _shaped_runs(rng: random.Random, fonts: dict[str, str], count: int) -> list[Any]:
    """Generated shaped runs as the line breaker makes them: words shaped by
    `shaping.shape_frag_word`, joined with spaces (``g.text += " " + text``)."""
    from reportlab.lib.styles import ParagraphStyle

    from readout.writers.pdf import shaping

    runs: list[Any] = []
    for _ in range(count):
        script = rng.choice(["deva", "deva", "arab", "latn"])
        frag = ParagraphStyle("frag", fontName=fonts[script], fontSize=rng.choice([9, 10.5]))
        text: Any = None
        for _ in range(rng.randint(1, 8)):
            shaped = shaping.shape_frag_word([0, (frag, _word(rng, script))])[1][1]
            text = shaped if text is None else text + (" " + shaped)
        runs.append((frag.fontName, frag.fontSize, text))
    return runs


def _disturbed(rng: random.Random, text: Any) -> Any:
    """``text`` with its shape data changed the ways reportlab's loop branches on: a
    glyph moved left or right (or two side by side), raised, a negative cluster, data
    shorter than the text."""
    from reportlab.pdfbase.ttfonts import ShapedStr

    data = list(text.__shapeData__)
    i = rng.randrange(len(data))
    change = rng.choice(["x", "x", "pair", "width", "y", "cluster", "short"])
    if change == "pair" and i + 1 < len(data):  # two numbers side by side in TJ
        data[i] = data[i]._replace(x_offset=7.5)
        data[i + 1] = data[i + 1]._replace(x_offset=rng.choice([-3, 2.25, -7.5]))
    elif change == "x":
        data[i] = data[i]._replace(x_offset=rng.choice([-221, 7.5, 0.25, -1e-9]))
    elif change == "width":
        data[i] = data[i]._replace(width=data[i].width + rng.choice([3, -0.5]))
    elif change == "y":
        data[i] = data[i]._replace(y_offset=rng.choice([-120, 80.5]))
    elif change == "cluster":
        data[i] = data[i]._replace(cluster=-1)
    else:
        data = data[:-1]
    return ShapedStr(str(text), shapeData=data)


def _draw_shaped_alike(seed: int, count: int = 900) -> tuple[int, int, int]:
    """Generated Devanagari, Arabic and Latin runs, shaped as a paragraph shapes them
    (and some with their glyphs moved, raised or their data cut short), drawn by
    `textout.format_text` and by reportlab's ``_formatText`` on two documents: how many
    runs came out differently (operators, rise, pen or subset afterwards), how many the
    one-pass path answered and how many of those had moved glyphs (``TJ``)."""
    from io import BytesIO

    from reportlab.pdfbase import pdfmetrics

    from readout.writers.pdf import textout
    from readout.writers.pdf.canvas import PdfCanvas

    fonts = _shaping_fonts()
    assert set(fonts) == {"deva", "arab", "latn"}
    ours, stock = PdfCanvas(BytesIO()).beginText(), PdfCanvas(BytesIO()).beginText()
    rng = random.Random(seed)
    runs = _shaped_runs(rng, fonts, count)
    runs += [(name, size, _disturbed(rng, text)) for name, size, text in runs[:count // 3]]
    current = None
    differ = answered = moved = 0
    for name, size, text in runs:
        if (name, size) != current or rng.random() < 0.05:
            ours.setFont(name, size, leading=size * 1.3)
            stock.setFont(name, size, leading=size * 1.3)
            current = (name, size)
        rise = rng.choice([0, 0, 2.5])
        ours.setRise(rise)
        stock.setRise(rise)
        probe = PdfCanvas(BytesIO()).beginText()  # does the one-pass path answer?
        probe.setFont(name, size)
        answer = textout.shaped_text(probe, text)
        answered += answer is not None
        moved += answer is not None and "TJ" in answer
        drawn = textout.format_text(ours, text)
        differ += (drawn, ours._curSubset, ours._rise, ours._y) != (
            textout._original_format_text(stock, text), stock._curSubset, stock._rise,
            stock._y)
    for name in set(fonts.values()):
        font_object = pdfmetrics.getFont(name)
        differ += (font_object.state[ours._canvas._doc].subsets
                   != font_object.state[stock._canvas._doc].subsets)
    return differ, answered, moved


def test_shaped_text_operators_are_reportlabs() -> None:
    """Every generated shaped run is drawn as reportlab draws it, and the one-pass path
    answered most of them, runs with moved glyphs among them (`_draw_shaped_alike`)."""
    differ, answered, moved = _draw_shaped_alike(13)
    assert differ == 0
    assert answered > 700 and moved > 100


@pytest.mark.parametrize("broken", ["offsets ignored", "rise ignored", "zeros kept"])
def test_a_broken_shaped_text_writer_is_caught(broken: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparison can fail: `shaped_text` broken three ways (moved glyphs drawn at
    their pen position, raised glyphs on the baseline, zero adjustments written) draws
    some generated runs unlike reportlab."""
    from readout.writers.pdf import textout

    run, groups = textout._run, textout._groups
    if broken == "offsets ignored":
        monkeypatch.setattr(textout, "_run", lambda codes, moved, fp: run(codes, [], fp))
    elif broken == "rise ignored":
        monkeypatch.setattr(textout, "_groups",
                            lambda start, end, *_: groups(start, end, [], {}, 0))
    else:
        monkeypatch.setattr(textout, "_add_number",
                            lambda parts, value, fp: parts.append(fp(value)))
    differ, _, _ = _draw_shaped_alike(13, 150)
    assert differ > 0


def _objects(rng: random.Random, depth: int = 0) -> Any:
    """A generated PDF value: numbers, names, texts, bytes, strings, references, and
    dictionaries and arrays of them (plain, compact, forced multi-line, ordered)."""
    from collections import OrderedDict

    kind = rng.choice(["number", "name", "text", "bytes", "string", "ref", "dict", "array"]
                      if depth < 3 else ["number", "name", "ref"])
    if kind == "number":
        return rng.choice([0, 1, -2, 0.5, 612.0, 1e-7, 123456789])
    if kind == "name":
        return pdfdoc.PDFName(rng.choice(["Type", "StructElem", "a b", "P"]))
    if kind == "text":
        return rng.choice(["", "/Type", "x" * 90, "é"])
    if kind == "bytes":
        return b"raw \x00"
    if kind == "string":
        return pdfdoc.PDFString(rng.choice(["Raksha Mantri", "(x)", "नई दिल्ली"]))
    if kind == "ref":
        return pdfdoc.PDFObjectReference(rng.choice(["R1", "R2", "R3"]))
    if kind == "array":
        array = pdfdoc.PDFArray([_objects(rng, depth + 1) for _ in range(rng.randint(0, 25))])
        array.multiline = rng.choice([True, False, "forced", 0])
        return array
    keys = rng.sample(["Type", "K", "Pg", "S", "P", "Lang", "Alt", "ActualText", "A b",
                       "ID", "T", "E", "C", "R"], rng.randint(0, 14))
    entries = {key: _objects(rng, depth + 1) for key in keys}
    dictionary = pdfdoc.PDFDictionary(entries)
    if rng.random() < 0.3:
        dictionary.dict = OrderedDict(entries)
    dictionary.multiline = rng.choice([True, False, "forced"])
    if rng.random() < 0.1:
        dictionary.__RefOnly__ = 1  # written as a reference inside another object
    return dictionary


def test_dictionaries_arrays_and_references_serialise_as_reportlabs(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Generated nested dictionaries, arrays and references, with reportlab's layout
    settings on and off: `pdf_format`'s bytes are stock reportlab's (its ``format``,
    ``PDFName`` and codec throughout), a reference it cannot resolve fails alike, and
    an object that must be referenced (``__RefOnly__``) still is."""
    from reportlab import rl_config

    class Doc:
        def __init__(self) -> None:
            self.idToObjectNumberAndVersion = {"R1": (4, 0), "R2": (17, 0), "R3": (230, 2)}
            self.encrypt = pdfdoc.NoEncryption()

        def Reference(self, _: Any) -> Any:  # reportlab's name
            return pdfdoc.PDFObjectReference("R2")

    rng = random.Random(17)
    values = [_objects(rng) for _ in range(400)]
    stock_functions = {"format": accel._original_format, "PDFName": accel._original_name,
                       "pdfdocEnc": accel._original_pdfdoc_enc}

    def serialised(multiline: int) -> tuple[list[bytes], list[bytes]]:
        ours = [accel.pdf_format(value, Doc(), toplevel) for value in values
                for toplevel in (0, 1)]
        with monkeypatch.context() as patch:
            for name, original in stock_functions.items():
                patch.setattr(pdfdoc, name, original)
            stock = [pdfdoc.format(value, Doc(), toplevel) for value in values
                     for toplevel in (0, 1)]
        return ours, stock

    for multiline in (0, 1):
        monkeypatch.setattr(rl_config, "pdfMultiLine", multiline)
        ours, stock = serialised(multiline)
        assert ours == stock
    assert any(b"\n " in item for item in ours) and any(b" R" in item for item in ours)
    assert any(item.startswith(b"<<") and b"17 0 R" in item for item in ours)
    with pytest.raises(KeyError, match="forward reference"):
        accel.pdf_format(pdfdoc.PDFObjectReference("missing"), Doc())


def test_lines_of_several_styles_are_drawn_as_reportlabs(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Paragraphs of several styles (bold, italics, colours, raised and lowered text,
    sizes, links, underlines, strike-through, backgrounds, end dots, automatic leading;
    every alignment) make the same PDF whether their lines are drawn by
    `textout.put_frag_line` or by reportlab's ``_putFragLine``, and the plain lines
    took the short way."""
    from io import BytesIO

    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate
    from reportlab.platypus import paragraph as rl_paragraph

    from readout.writers.pdf import textout

    rng = random.Random(5)
    pieces = ["<b>(U)</b>", "<i>in italics</i>", '<font color="#8b1e3f">red words</font>',
              "<super>2</super>", "<sub>n</sub>", '<font size="14">large</font>',
              '<a href="https://example.org/">a link</a>', "<u>underlined</u>",
              "<strike>struck</strike>", '<span backColor="#dde3ea">shaded</span>',
              "plain words of the ministry", "and\xa0no-break", "long" * 12]
    styles = [ParagraphStyle(f"s{n}", fontName="Helvetica", fontSize=10, leading=13,
                             alignment=alignment, autoLeading=leading, endDots=dots)
              for n, (alignment, leading, dots) in enumerate(
                  (a, lead, d) for a in (TA_LEFT, TA_CENTER, TA_RIGHT, TA_JUSTIFY)
                  for lead in ("", "max", "min") for d in (None, "."))]
    fixed = [style for style in styles if not style.autoLeading]
    plain = [piece for piece in pieces if not piece.startswith(("<a", "<u", "<span"))]
    texts = [" ".join(rng.choice(pieces if n % 2 else plain)
                      for _ in range(rng.randint(2, 30))) for n in range(160)]

    def pdf() -> bytes:
        out = BytesIO()
        story = [Paragraph(text, styles[(n // 2) % len(styles)] if n % 2 else
                           fixed[(n // 2) % len(fixed)]) for n, text in enumerate(texts)]
        SimpleDocTemplate(out, invariant=1).build(story)
        return out.getvalue()

    calls = {"ours": 0, "reportlab": 0}
    original = textout._original_put_frag_line

    def counted(*args: Any) -> None:
        calls["reportlab"] += 1
        original(*args)

    def ours(*args: Any) -> None:
        calls["ours"] += 1
        textout.put_frag_line(*args)

    monkeypatch.setattr(textout, "_original_put_frag_line", counted)
    monkeypatch.setattr(rl_paragraph, "_putFragLine", ours)
    drawn = pdf()
    monkeypatch.setattr(rl_paragraph, "_putFragLine", original)
    assert drawn == pdf()
    assert calls["ours"] - calls["reportlab"] > 100 and calls["reportlab"] > 100, calls
