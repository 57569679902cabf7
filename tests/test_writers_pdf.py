"""The PDF writer, checked on what a reader of the PDF sees: text, pages, outline, links."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pdfplumber
import pikepdf
import pypdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readout import tree as t
from readout.themes import Theme, load_theme
from readout.writers import writer_for
from readout.writers.pdf import write

from .conftest import ROOT, every_node_document, tiny_png
from .tagged_pdf import structure

MM = 72 / 25.4
A4 = (210 * MM, 297 * MM)
CVE_2023_33733 = (
    "<para><font color=\"[[[getattr(pow, Word('__globals__'))['os'].system('touch "
    "/tmp/readout-pwned') for Word in [ orgTypeFun( 'Word', (str,), { 'mutated': 1, "
    "'startswith': lambda self, x: 1 == 0, '__eq__': lambda self, x: self.mutate() and "
    "self.mutated < 0 and str(self) == x, 'mutate': lambda self: { setattr(self, 'mutated', "
    "self.mutated - 1) }, '__hash__': lambda self: hash(str(self)), }, ) ] ] for orgTypeFun "
    "in [type(type(1))] ] and 'red'\">exploit</font></para>")
HOSTILE = (
    "Fish & chips & more",
    "<b>not bold</b> and </para> and <br/>",
    '<font name="Courier" color="red">not a font</font>',
    CVE_2023_33733,
    "{{ x }} {% if y %} ${z}",
    "&amp; &lt; &#65; &nbsp;",
    "नमस्ते: रक्षा मंत्रालय",
    "Привет, мир: Министерство обороны",
    "Καλημέρα κόσμε, Υπουργείο",
    "\"double\" and 'single' quotes",
)


@pytest.fixture(scope="module")
def theme() -> Theme:
    return load_theme()


@pytest.fixture(scope="module")
def every_pdf(theme: Theme) -> bytes:
    return write(every_node_document(), theme)


def para(text: str, style: str | None = None) -> t.Paragraph:
    return t.Paragraph((t.Text(text),), style=style)


def pages_text(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def flat(text: str) -> str:
    return " ".join(text.split())


def long_document(chapters: int = 24) -> t.Document:
    sentence = ("The Ministers reviewed defence cooperation, regional security and training "
                "exchanges, and agreed to meet again next year. ")
    body: list[t.Block] = []
    for n in range(1, chapters + 1):
        body += [t.Heading(1, (t.Text(f"Chapter {n}"),)), para(sentence * 6),
                 t.BulletList(tuple((para(f"Point {n}.{i} " + sentence),) for i in range(3)))]
    rows = tuple(t.Row((t.Cell((t.Text(f"Action {i}"),)), t.Cell((t.Text("Owner"),)),
                        t.Cell((t.Text("2025-12-31"),)))) for i in range(90))
    body.append(t.Table((0.6, 0.2, 0.2), t.Row((t.Cell((t.Text("Action"),)),
                                                t.Cell((t.Text("Owner"),)),
                                                t.Cell((t.Text("Due"),)))), rows))
    return t.Document(
        metadata=t.Metadata(title="Long"), body=tuple(body),
        header=(para("TOP BANNER", "banner"),),
        footer=(t.Paragraph((t.Text("Page "), t.PageNumber(), t.Text(" of "), t.PageCount())),
                para("BOTTOM BANNER", "banner")))


# -- every node ---------------------------------------------------------------------------

def test_every_node_text_is_printed_in_reading_order(every_pdf: bytes) -> None:
    first, second = pages_text(every_pdf)
    expected = [
        "HEADER BANNER", "Letterhead Organisation", "Heading one",
        "Plain strong and emphasis with a link", "after a break <b>&amp;</b>", "Heading two",
        "• First item", "• Second item", "• Nested item", "Heading three",
        "A quoted sentence.", "Speaker Name, Title", "Action Owner Due", "Group row",
        "Do the thing Someone 2025-12-31", "Page 1 of 2"]
    assert first.splitlines() == expected
    assert second.splitlines() == ["HEADER BANNER", "Second page text, with a sibling file.",
                                   "Alpha 2", "Beta", "Chart note", "Page 2 of 2"]


def test_every_node_outline_links_and_image(every_pdf: bytes) -> None:
    reader = pypdf.PdfReader(io.BytesIO(every_pdf))
    outline = reader.outline
    assert outline[0].title == "Heading one"
    assert outline[1][0].title == "Heading two"
    assert outline[1][1][0].title == "Heading three"
    assert reader.get_destination_page_number(outline[0]) == 0
    uris = [annot.get_object()["/A"]["/URI"] for annot in reader.pages[0]["/Annots"]]
    assert uris == ["https://example.org/a?b=1&c=2"]

    def images(resources: Any) -> int:
        found = 0
        for ref in resources.get("/XObject", {}).values():
            obj = ref.get_object()
            if obj["/Subtype"] == "/Image":
                found += 1
            elif "/Resources" in obj:
                found += images(obj["/Resources"])
        return found

    assert images(reader.pages[0]["/Resources"]) >= 1


def test_a_link_to_a_sibling_pdf_opens_it_beside_this_one(every_pdf: bytes) -> None:
    reader = pypdf.PdfReader(io.BytesIO(every_pdf))
    [action] = [annot.get_object()["/A"] for annot in reader.pages[1]["/Annots"]]
    assert (action["/S"], action["/F"]) == ("/GoToR", "sibling.internal-brief.pdf")


def test_a_link_to_another_sibling_file_is_a_relative_uri(theme: Theme) -> None:
    document = t.Document(t.Metadata(title="Links"), body=(
        t.Paragraph((t.Link("m.internal-brief.docx", (t.Text("the brief"),)),)),
        t.Paragraph((t.Link("../outside.pdf", (t.Text("not a link"),)),)),
        t.Paragraph((t.Link("file:///etc/passwd", (t.Text("nor this"),)),))))
    reader = pypdf.PdfReader(io.BytesIO(write(document, theme)))
    actions = [annot.get_object()["/A"] for annot in reader.pages[0]["/Annots"]]
    assert [(a["/S"], a["/URI"]) for a in actions] == [("/URI", "m.internal-brief.docx")]
    assert "not a link nor this" in flat(pages_text(write(document, theme))[0])


def test_a_chart_is_vector_graphics_with_its_alternative_text(every_pdf: bytes) -> None:
    page = pypdf.PdfReader(io.BytesIO(every_pdf)).pages[1]
    content = page.get_contents().get_data()  # type: ignore[union-attr]
    alt = "Chart of two bars: Alpha 2, Beta 1.".encode("utf-16-be").hex().upper()
    span = f"/Span <</Alt <FEFF{alt}> >> BDC".encode()
    start = content.index(span)
    painted = content[start:content.index(b"EMC", start)]
    assert painted.count(b" re ") >= 2 and (b" l " in painted or b" l\n" in painted)
    assert b"Do" not in painted, "no picture: the PDF chart is drawn, not pasted"
    with pikepdf.open(io.BytesIO(every_pdf)) as pdf:
        figures = [node for node in structure(pdf).walk() if node.role == "Figure"]
        assert [str(node.obj.get("/Alt")) for node in figures] == [
            "emblem", "Chart of two bars: Alpha 2, Beta 1."], "in a tagged PDF, a Figure"
        assert figures[1].mcids, "the drawing is the Figure's content"


def test_writer_is_registered() -> None:
    assert writer_for("pdf") is write


@dataclass(frozen=True)
class Mystery:
    style: str | None = None


@pytest.mark.parametrize("document", [
    t.Document(metadata=t.Metadata(title="x"), body=(Mystery(),)),  # type: ignore[arg-type]
    t.Document(metadata=t.Metadata(title="x"),
               body=(t.Paragraph((t.Text("a"), Mystery())),)),  # type: ignore[arg-type]
    t.Document(metadata=t.Metadata(title="x"), body=(para("a"),),
               footer=(Mystery(),)),  # type: ignore[arg-type]
])
def test_unknown_node_is_a_type_error(document: t.Document, theme: Theme) -> None:
    with pytest.raises(TypeError, match="Mystery"):
        write(document, theme)


def test_bad_image_is_a_render_error(theme: Theme) -> None:
    from readout.errors import RenderError
    document = t.Document(metadata=t.Metadata(title="x"), body=(t.Image(b"GIF89a", 10),))
    with pytest.raises(RenderError):
        write(document, theme)


# -- pages --------------------------------------------------------------------------------

def test_pages_are_a4_numbered_with_furniture_outside_the_body(theme: Theme) -> None:
    data = write(long_document(), theme)
    page = theme.page
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        count = len(pdf.pages)
        assert count >= 10  # a two-digit page count
        for number, pdf_page in enumerate(pdf.pages, start=1):
            assert (pdf_page.width, pdf_page.height) == pytest.approx(A4, abs=0.01)
            lines = (pdf_page.extract_text() or "").splitlines()
            assert lines[0] == "TOP BANNER"
            assert lines[-2:] == [f"Page {number} of {count}", "BOTTOM BANNER"]
            words = pdf_page.extract_words()
            top = [w for w in words if w["text"] == "TOP"]
            bottom = [w for w in words if w["text"] in ("BOTTOM", "Page")]
            body = [w for w in words if w not in top and w not in bottom
                    and w["text"] not in ("BANNER", "of") and not w["text"].isdigit()]
            assert top[0]["top"] == pytest.approx(page.header_mm * MM, abs=3)
            assert max(w["bottom"] for w in bottom) < pdf_page.height - page.footer_mm * MM + 3
            assert max(w["bottom"] for w in top) < page.margin_top_mm * MM
            assert min(w["top"] for w in bottom) > pdf_page.height - page.margin_bottom_mm * MM
            assert all(page.margin_top_mm * MM - 1 <= w["top"] for w in body)
            assert all(w["bottom"] <= pdf_page.height - page.margin_bottom_mm * MM + 1
                       for w in body)


def test_table_header_repeats_on_every_page_it_spans(theme: Theme) -> None:
    texts = pages_text(write(long_document(chapters=1), theme))
    table_pages = [text for text in texts if "Action 5" in text or "Action 80" in text]
    assert len(table_pages) >= 2
    assert all("Action Owner Due" in text for text in table_pages)
    words = flat(" ".join(texts)).split()
    actions = [int(words[i + 1]) for i, w in enumerate(words[:-1])
               if w == "Action" and words[i + 1].isdigit()]
    assert actions == list(range(90))


def _filler_then_table(lines: int, rows: int, group_at: int | None = None) -> t.Document:
    filler = tuple(para(f"Filler line {n}.") for n in range(lines))
    body_rows = tuple(
        t.Row((t.Cell((t.Text(f"Group {n}" if n == group_at else f"Row {n}"),)),
               t.Cell((t.Text("x"),))), style="table-group" if n == group_at else None)
        for n in range(rows))
    table = t.Table((0.5, 0.5), t.Row((t.Cell((t.Text("Name"),)), t.Cell((t.Text("Role"),)))),
                    body_rows)
    return t.Document(metadata=t.Metadata(title="x"),
                      body=(*filler, t.Heading(2, (t.Text("Participants"),)), table))


def test_a_heading_stays_with_the_first_rows_of_a_long_table_not_with_all_of_it(
        theme: Theme) -> None:
    texts = pages_text(write(_filler_then_table(lines=30, rows=40), theme))
    assert "Participants" in texts[0]  # not pushed whole to page 2
    first = flat(texts[0]).split("Participants", 1)[1]
    assert "Row 0" in first and "Row 1" in first
    assert flat(texts[1]).startswith("Name Role")  # the header repeats


def test_a_heading_with_no_room_for_two_rows_moves_with_the_table(theme: Theme) -> None:
    moved = 0
    for lines in range(36, 50):  # somewhere here only the heading and a row would fit
        texts = pages_text(write(_filler_then_table(lines=lines, rows=6), theme))
        if "Participants" in texts[0]:
            first = flat(texts[0]).split("Participants", 1)[1]
            assert "Row 0" in first and "Row 1" in first, lines
        else:
            moved += 1
            assert "Participants" in texts[1]
    assert moved


def test_a_group_row_is_never_the_last_row_on_a_page(theme: Theme) -> None:
    for group_at in range(8, 30):
        texts = pages_text(write(_filler_then_table(lines=30, rows=40, group_at=group_at),
                                 theme))
        page = next(n for n, text in enumerate(texts) if f"Group {group_at}" in text)
        assert f"Row {group_at + 1}" in texts[page], group_at


def test_no_single_line_of_a_paragraph_starts_a_page(theme: Theme) -> None:
    sentence = "The Ministers reviewed defence cooperation and regional security. "
    split = 0
    for lines in range(24, 36):
        document = t.Document(metadata=t.Metadata(title="x"), body=(
            *(para(f"Filler {n}.") for n in range(lines)), para("Start. " + sentence * 8)))
        texts = pages_text(write(document, theme))
        if len(texts) > 1 and "Start." in texts[0]:
            split += 1
            assert len(texts[1].strip().splitlines()) >= 2, lines
    assert split


def test_page_count_in_body_and_header_with_link(theme: Theme) -> None:
    document = t.Document(
        metadata=t.Metadata(title="x"),
        header=(t.Paragraph((t.Link("https://example.org/h", (t.Text("Home"),)),
                             t.Text(" sheet "), t.PageNumber(), t.Text("/"), t.PageCount())),),
        body=(para("one"), t.PageBreak(),
              t.Paragraph((t.Text("This is page "), t.PageNumber(), t.Text(" of "),
                           t.PageCount(), t.Text("."))), t.PageBreak(), para("three")))
    texts = pages_text(write(document, theme))
    assert [text.splitlines()[0] for text in texts] == [f"Home sheet {n}/3" for n in (1, 2, 3)]
    assert "This is page 2 of 3." in texts[1]


def header_band_words(data: bytes, theme: Theme) -> list[str]:
    """The words of each page above the body frame (the header band), one string a page."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [" ".join(w["text"] for w in page.extract_words()
                         if w["bottom"] < theme.page.margin_top_mm * MM) for page in pdf.pages]


def footer_lines(data: bytes) -> list[str]:
    return [text.strip().splitlines()[-1] for text in pages_text(data)]


def first_header_document(first: tuple[t.Block, ...] | None) -> t.Document:
    return t.Document(
        metadata=t.Metadata(title="x"), header=(para("Ministry of Defence"),),
        first_header=first,
        footer=(t.Paragraph((t.Text("Page "), t.PageNumber(), t.Text(" of "), t.PageCount())),),
        body=(para("Letterhead of page one"), t.PageBreak(), para("two"), t.PageBreak(),
              para("three")))


def test_an_empty_first_header_leaves_page_one_without_a_header(theme: Theme) -> None:
    data = write(first_header_document(()), theme)
    assert header_band_words(data, theme) == ["", "Ministry of Defence", "Ministry of Defence"]
    assert footer_lines(data) == ["Page 1 of 3", "Page 2 of 3", "Page 3 of 3"]
    assert pages_text(data)[0].strip().splitlines()[0] == "Letterhead of page one"


def test_a_first_header_replaces_the_header_on_page_one_only(theme: Theme) -> None:
    first = (t.Paragraph((t.Text("FIRST "), t.PageNumber(), t.Text("/"), t.PageCount())),)
    data = write(first_header_document(first), theme)
    assert header_band_words(data, theme) == ["FIRST 1/3", "Ministry of Defence",
                                              "Ministry of Defence"]
    assert footer_lines(data) == ["Page 1 of 3", "Page 2 of 3", "Page 3 of 3"]


def test_without_a_first_header_page_one_has_the_header(theme: Theme) -> None:
    data = write(first_header_document(None), theme)
    assert header_band_words(data, theme) == ["Ministry of Defence"] * 3


def test_empty_document_is_one_page(theme: Theme) -> None:
    data = write(t.Document(metadata=t.Metadata(title="Empty"), body=()), theme)
    assert len(pypdf.PdfReader(io.BytesIO(data)).pages) == 1


# -- document properties -------------------------------------------------------------------

def test_metadata_and_language(every_pdf: bytes) -> None:
    reader = pypdf.PdfReader(io.BytesIO(every_pdf))
    info = reader.metadata
    assert info is not None
    assert info["/Title"] == "Every node"
    assert info["/Author"] == "Ministry of Tests"
    assert info["/Subject"] == "A fixture"
    assert "alpha" in info["/Keywords"] and "beta" in info["/Keywords"]
    assert info["/Creator"] == "readout"
    assert info["/CreationDate"].startswith("D:20250626151500")
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_fonts_are_embedded_noto_subsets(every_pdf: bytes) -> None:
    reader = pypdf.PdfReader(io.BytesIO(every_pdf))
    fonts: dict[str, Any] = {}
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            fonts[str(font["/BaseFont"])] = font
    assert fonts
    for name, font in fonts.items():
        assert "NotoSans" in name, name
        descriptor = (font.get("/FontDescriptor")
                      or font["/DescendantFonts"][0].get_object()["/FontDescriptor"])
        assert "/FontFile2" in descriptor.get_object(), name
    assert any("Bold" in name for name in fonts) and any("Italic" in name for name in fonts)


# -- text is data --------------------------------------------------------------------------

def test_hostile_text_prints_literally(theme: Theme, tmp_path: Any) -> None:
    document = t.Document(
        metadata=t.Metadata(title="<b>Title & more</b>"),
        body=(*(para(text) for text in HOSTILE),
              t.Paragraph((t.Strong((t.Text("<i>x</i>", style="marking"),)),))),
        header=(para(CVE_2023_33733),))
    data = write(document, theme)
    text = flat(pages_text(data)[0])
    for hostile in HOSTILE:
        assert flat(hostile) in text
    assert "<i>x</i>" in text
    assert not os.path.exists("/tmp/readout-pwned")
    assert pypdf.PdfReader(io.BytesIO(data)).metadata["/Title"] == "<b>Title & more</b>"


@pytest.mark.parametrize("target", ["javascript:alert(1)", " JavaScript:alert(1)",
                                    "file:///etc/passwd", "data:text/html,<b>x</b>"])
def test_only_web_and_mail_links_are_live(theme: Theme, target: str) -> None:
    document = t.Document(metadata=t.Metadata(title="x"), body=(t.Paragraph((
        t.Text("see "), t.Link(target, (t.Text("here"),)), t.Text(" or "),
        t.Link("mailto:press@example.org", (t.Text("mail"),)))),))
    data = write(document, theme)
    assert b"javascript" not in data.lower()
    reader = pypdf.PdfReader(io.BytesIO(data))
    uris = [a.get_object()["/A"]["/URI"] for a in reader.pages[0]["/Annots"]]
    assert uris == ["mailto:press@example.org"]
    assert flat(pages_text(data)[0]) == "see here or mail"


LETTERS = "abcxyz\u0410\u0411\u0412\u0436\u044d\u0391\u0392\u0393\u03c9\u00e9"
TEXT = st.text(st.sampled_from(LETTERS + "0189 &<>\"'{}[]/;:=#%.,!?-_()"),
               min_size=1, max_size=40)


@settings(max_examples=25, deadline=None)
@given(pieces=st.lists(TEXT, min_size=1, max_size=4))
def test_any_text_extracts_back(pieces: list[str]) -> None:
    theme = load_theme()
    inlines: list[t.Inline] = []
    for i, piece in enumerate(pieces):
        inlines.append(t.Text(piece) if i % 2 == 0 else t.Strong((t.Text(piece),)))
    document = t.Document(metadata=t.Metadata(title="x"), body=(t.Paragraph(tuple(inlines)),))
    expected = "".join(pieces).split()
    with pdfplumber.open(io.BytesIO(write(document, theme))) as pdf:
        words = [w["text"] for w in pdf.pages[0].extract_words(x_tolerance=1.5)]
    assert "".join(words) == "".join(expected)


# -- styles --------------------------------------------------------------------------------

def test_boxed_section_and_group_rows_are_filled(theme: Theme) -> None:
    document = t.Document(metadata=t.Metadata(title="x"), body=(
        t.Section((para("Inside the box"), t.BulletList(((para("a point"),),))),
                  style="boxed"),
        t.Table((0.5, 0.5), None, (t.Row((t.Cell((t.Text("g"),)), t.Cell(())),
                                          style="table-group"),))))
    with pdfplumber.open(io.BytesIO(write(document, theme))) as pdf:
        page = pdf.pages[0]
        fills = {tuple(round(c, 3) for c in r["non_stroking_color"]) for r in page.rects
                 if r.get("fill")}
        assert (round(0xf1 / 255, 3), round(0xf3 / 255, 3), round(0xf6 / 255, 3)) in fills
        inside = next(w for w in page.extract_words() if w["text"] == "Inside")
        box = max((r for r in page.rects if r.get("fill")), key=lambda r: r["height"])
        assert box["x0"] < inside["x0"] and box["top"] < inside["top"]
        assert flat(page.extract_text()) == "Inside the box • a point g"


def test_image_keeps_its_aspect_and_width(theme: Theme) -> None:
    document = t.Document(metadata=t.Metadata(title="x"),
                          body=(t.Image(tiny_png(8, 2), 40, alt="logo"),))
    with pdfplumber.open(io.BytesIO(write(document, theme))) as pdf:
        image = pdf.pages[0].images[0]
        assert image["width"] == pytest.approx(40 * MM, abs=0.1)
        assert image["height"] == pytest.approx(10 * MM, abs=0.1)


# -- determinism ---------------------------------------------------------------------------

def test_output_is_byte_identical_across_processes(every_pdf: bytes) -> None:
    script = (
        "import hashlib, sys; sys.path.insert(0, 'tests')\n"
        "from conftest import every_node_document\n"
        "from readout.themes import load_theme\n"
        "from readout.writers.pdf import write\n"
        "print(hashlib.sha256(write(every_node_document(), load_theme())).hexdigest())\n")
    digests = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "SOURCE_DATE_EPOCH": ""}
        result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env,
                                capture_output=True, text=True, check=True)
        digests.add(result.stdout.strip())
    assert digests == {hashlib.sha256(every_pdf).hexdigest()}


def test_dates_follow_the_metadata(theme: Theme) -> None:
    document = t.Document(metadata=t.Metadata(title="x", created=datetime(2031, 2, 3, 4, 5, 6)),
                          body=(para("x"),))
    info = pypdf.PdfReader(io.BytesIO(write(document, theme))).metadata
    assert info is not None and info["/CreationDate"].startswith("D:20310203040506")


def _long_table(rows: int) -> t.Document:
    header = t.Row((t.Cell((t.Text("Name"),)), t.Cell((t.Text("Title"),))))
    body = tuple(t.Row((t.Cell((t.Text(f"Person{n:04d}"),)),
                        t.Cell((t.Text("Delegate " * (1 + n % 7)),))),
                       style="table-group" if n % 50 == 0 else None)
                 for n in range(rows))
    return t.Document(metadata=t.Metadata(title="Long table"),
                      body=(t.Heading(1, (t.Text("Participants"),)),
                            t.Table(widths=(0.4, 0.6), header=header, rows=body)))


def test_a_long_table_keeps_every_row_in_order_with_its_header_on_every_page(
        theme: Theme, monkeypatch: pytest.MonkeyPatch) -> None:
    import reportlab.platypus.tables as tables

    given_rows: list[int] = []
    real = tables.Table.__init__

    def counting(self: Any, data: Any, *args: Any, **kwargs: Any) -> None:
        given_rows.append(len(data))
        real(self, data, *args, **kwargs)

    monkeypatch.setattr(tables.Table, "__init__", counting)
    rows = 1500
    pdf = write(_long_table(rows), theme)
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        pages = [page.extract_text() or "" for page in document.pages]
    names = [word for text in pages for word in text.split() if word.startswith("Person")]
    assert names == [f"Person{n:04d}" for n in range(rows)]
    assert len(pages) > 20
    for text in pages:
        assert text.split()[:2] == ["Name", "Title"] or text.startswith("Participants")
    # reportlab measures every row it is given at every page break: given the whole
    # table each time, it is given rows times pages; a page-sized chunk, a few times rows.
    assert sum(given_rows) < 6 * rows


def test_a_row_taller_than_a_page_inside_a_long_table_continues_on_the_next(
        theme: Theme) -> None:
    document = _long_table(400)
    table = document.body[1]
    assert isinstance(table, t.Table)
    tall = t.Row((t.Cell((t.Text("Person0200"),)),
                  t.Cell((t.Text(" ".join(f"w{n:03d}" for n in range(900))),))))
    rows = (*table.rows[:200], tall, *table.rows[201:])
    document = dataclasses.replace(document, body=(document.body[0],
                                                   dataclasses.replace(table, rows=rows)))
    with pdfplumber.open(io.BytesIO(write(document, theme))) as pdf:
        words = [w for page in pdf.pages for w in (page.extract_text() or "").split()]
    assert [w for w in words if w.startswith("Person")] == [f"Person{n:04d}"
                                                            for n in range(400)]
    assert [w for w in words if w.startswith("w")] == [f"w{n:03d}" for n in range(900)]


def test_space_after_the_last_block_never_adds_a_blank_page() -> None:
    """A list that ends at the very foot of a page is followed by no empty page: its
    items' space after is swept across the foot, half a point at a time."""
    from readout import render_tree

    from .extract import pdf_pages

    items = tuple((t.Paragraph((t.Text(f"Item {n}"),)),) for n in range(3))
    frame = (297 - 24 - 22) * 72 / 25.4  # the default theme's A4 frame, in points
    for step in range(60):
        document = t.Document(metadata=t.Metadata(title="x"), body=(
            t.Spacer(frame - 60 + step / 2), t.BulletList(items)))
        pages = pdf_pages(render_tree(document, "pdf"))
        assert pages[-1].words, step  # the last page is never an empty one


def test_a_written_document_leaves_no_reference_cycles(theme: Theme) -> None:
    """Every object of a build is freed when ``write`` returns, not left to the cyclic
    garbage collector (which would walk it and run more often while it waits)."""
    import gc

    document = every_node_document()
    write(document, theme)  # fonts, subsets and images made once a process
    collecting = gc.isenabled()
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        write(document, theme)
        write(document, theme, _tagged=False)
        gc.collect()
        left = sorted({f"{type(o).__module__}.{type(o).__qualname__}" for o in gc.garbage})
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if collecting:
            gc.enable()
    assert left == []
