"""The DOCX writer, read back with python-docx the way a user's program would see it."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import re
import subprocess
import sys
import zipfile
from copy import deepcopy
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import docx
import pytest
import uharfbuzz
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from fontTools.pens.recordingPen import RecordingPen
from fontTools.ttLib import TTFont
from hypothesis import example, given, settings
from hypothesis import strategies as st
from PIL import Image as PILImage

from readout import tree as t
from readout.coverage import document_text
from readout.errors import RenderError, TemplateError
from readout.fontchain import chain_characters, chain_of
from readout.themes import FontChain, Theme, load_theme
from readout.writers import writer_for
from readout.writers.docx import write

from .conftest import ROOT, every_node_document, tiny_png
from .extract import docx_row_cells

RT_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
HOSTILE = "a & b <c> </w:t> {{ x }} {% y %} \"q\" 'a' Привет Ελληνικά नमस्ते  two  spaces"


@pytest.fixture(scope="module")
def theme() -> Theme:
    return load_theme()


@pytest.fixture(scope="module")
def every(theme: Theme) -> docx.document.Document:
    return docx.Document(io.BytesIO(write(every_node_document(), theme)))


def read(document: t.Document, theme: Theme) -> docx.document.Document:
    return docx.Document(io.BytesIO(write(document, theme)))


def simple(*body: t.Block, **meta: object) -> t.Document:
    metadata = t.Metadata(title="T", created=datetime(2025, 1, 2, 3, 4, 5))
    return t.Document(metadata=dataclasses.replace(metadata, **meta), body=body)


def styled(document: docx.document.Document) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in document.paragraphs if p.text]


# -- every node ------------------------------------------------------------------------
def test_the_registry_finds_the_writer() -> None:
    assert writer_for("docx") is write


def test_every_block_comes_back_with_its_word_style(every: docx.document.Document) -> None:
    assert styled(every) == [
        ("Letterhead Organisation", "Letterhead Organisation"),
        ("Heading 1", "Heading one"),
        ("Normal", "Plain strong and emphasis with a link\nafter a break <b>&amp;</b>"),
        ("Heading 2", "Heading two"),
        ("List Bullet", "First item"),
        ("List Bullet", "Second item"),
        ("List Bullet 2", "Nested item"),
        ("Heading 3", "Heading three"),
        ("Quote", "A quoted sentence."),
        ("Quote Attribution", "Speaker Name, Title"),
        ("Normal", "Second page text, with a sibling file."),
    ]


def test_a_title_styled_heading_uses_the_title_style(theme: Theme) -> None:
    document = read(simple(t.Heading(1, (t.Text("The title"),), style="title")), theme)
    assert styled(document) == [("Title", "The title")]


def test_strong_emphasis_and_inline_styles_are_run_formatting(
        every: docx.document.Document) -> None:
    runs = {run.text: run for run in every.paragraphs[3].runs}
    assert runs["strong"].bold and not runs["strong"].italic
    assert runs["emphasis"].italic and not runs["emphasis"].bold
    marking = runs["after a break <b>&amp;</b>"]
    assert marking.bold
    assert str(marking.font.color.rgb) == "8B1E3F"


def test_the_table_keeps_cells_widths_and_a_repeating_shaded_header(
        every: docx.document.Document) -> None:
    (table,) = every.tables
    assert [docx_row_cells(row) for row in table.rows] == [
        ["Action", "Owner", "Due"], ["Group row", "", ""], ["Do the thing", "Someone",
                                                            "2025-12-31"]]
    spans = [[tc.grid_span for tc in row._tr.tc_lst] for row in table.rows]
    assert spans == [[1, 1, 1], [3], [1, 1, 1]]  # the group's name spans the row
    assert table.style.name == "Table Grid"
    header, group, plain = (row._tr for row in table.rows)
    assert header.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    assert plain.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is None
    fills = [tr.find(f".//{qn('w:tcPr')}/{qn('w:shd')}") for tr in (header, group, plain)]
    assert fills[0].get(qn("w:fill")) == "DDE3EA"
    assert fills[1].get(qn("w:fill")) == "F1F3F6"
    assert fills[2] is None
    widths = [column.width.mm for column in table.columns]
    assert widths[0] == pytest.approx(83, abs=0.2)  # half of 210 - 2 x 22 mm
    assert widths[1] == pytest.approx(41.5, abs=0.2)
    assert table.rows[0].cells[0].paragraphs[0].runs[0].bold


def test_pagination_keeps_as_the_pdf_does(every: docx.document.Document,
                                          theme: Theme) -> None:
    """Header and group rows keep with the next row, and the table style draws the
    theme's grid with cell padding (as the PDF does)."""
    (table,) = every.tables
    keeps = [row.cells[0].paragraphs[0].paragraph_format.keep_with_next for row in table.rows]
    assert keeps == [True, True, None]
    t_pr = table.style.element.find(qn("w:tblPr"))
    top = t_pr.find(f"{qn('w:tblBorders')}/{qn('w:top')}")
    assert top.get(qn("w:color")) == "9AA5B1"
    assert t_pr.find(f"{qn('w:tblCellMar')}/{qn('w:top')}").get(qn("w:w")) == "60"
    items = tuple((t.Paragraph((t.Text(f"Item {n}"),)),) for n in range(5))
    box = t.Section((t.Paragraph((t.Text("Prepared by: A"),), style="facts"),
                     t.Paragraph((t.Text("Cleared by: B"),), style="facts")), style="boxed")
    document = read(simple(t.BulletList(items), box, t.Paragraph((t.Text("After"),))), theme)
    keep = {p.text: p.paragraph_format.keep_with_next for p in document.paragraphs}
    # a list never leaves its first or its last item alone on a page
    assert [keep[f"Item {n}"] for n in range(5)] == [True, None, None, True, None]
    # a box stays on one page
    assert keep["Prepared by: A"] and not keep["Cleared by: B"] and not keep["After"]


def test_the_link_is_live_and_styled(every: docx.document.Document) -> None:
    (link,) = every.paragraphs[3].hyperlinks
    assert link.address == "https://example.org/a?b=1&c=2"
    assert link.text == "a link"
    targets = [rel.target_ref for rel in every.part.rels.values() if rel.reltype == RT_HYPERLINK]
    assert targets == ["https://example.org/a?b=1&c=2", "sibling.internal-brief.pdf"]
    (sibling,) = every.paragraphs[-2].hyperlinks
    assert (sibling.address, sibling.text) == ("sibling.internal-brief.pdf", "a sibling file")
    assert link.runs[0].style.name == "Hyperlink"
    style = every.styles["Hyperlink"]
    assert str(style.font.color.rgb) == "0563C1" and style.font.underline


def test_the_image_is_a_picture_part_of_the_given_width(every: docx.document.Document) -> None:
    shape, _chart = every.inline_shapes
    assert shape.width.mm == pytest.approx(20, abs=0.01)
    assert shape.height.mm == pytest.approx(10, abs=0.01)  # 4 x 2 pixels
    images = [p for p in every.part.package.parts if p.content_type == "image/png"]
    assert len(images) == 2 and images[0].blob == tiny_png()


def test_a_chart_is_a_picture_painted_from_its_geometry_with_its_alt_text(
        every: docx.document.Document, theme: Theme) -> None:
    _image, shape = every.inline_shapes
    assert (shape.width.mm, shape.height.mm) == (pytest.approx(60, abs=0.01),
                                                 pytest.approx(20, abs=0.01))
    (doc_pr,) = [d for d in every.element.body.iter(qn("wp:docPr"))
                 if d.get("descr", "").startswith("Chart")]
    assert doc_pr.get("descr") == "Chart of two bars: Alpha 2, Beta 1."
    blob = [p for p in every.part.package.parts if p.content_type == "image/png"][1].blob
    picture = PILImage.open(io.BytesIO(blob)).convert("RGB")
    per_mm = picture.width / 60
    assert picture.width == 473  # 60 mm at 200 dots per inch

    def colour_at(x_mm: float, y_mm: float) -> str:
        red, green, blue = picture.getpixel((round(x_mm * per_mm), round(y_mm * per_mm)))
        return f"#{red:02x}{green:02x}{blue:02x}"

    assert colour_at(35, 5) == theme.style("chart-open").background  # Alpha's box
    assert colour_at(20, 11) == theme.style("chart-done").background  # Beta's box
    assert colour_at(50, 11) == "#ffffff"


def test_rule_spacer_and_page_break_are_paragraphs(every: docx.document.Document) -> None:
    body = every.element.body
    borders = body.findall(f".//{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:bottom')}")
    assert [b.get(qn("w:color")) for b in borders] == ["9AA5B1"]
    exact = [s.get(qn("w:line")) for s in body.iter(qn("w:spacing"))
             if s.get(qn("w:lineRule")) == "exact"]
    assert "240" in exact  # the 12 pt spacer
    breaks = [br for br in body.iter(qn("w:br")) if br.get(qn("w:type")) == "page"]
    assert len(breaks) == 1


def test_a_boxed_section_shades_and_borders_its_paragraphs(theme: Theme) -> None:
    document = read(simple(t.Section((t.Paragraph((t.Text("one"),)),
                                      t.Paragraph((t.Text("two"),))), style="boxed")), theme)
    for paragraph in document.paragraphs:
        p_pr = paragraph._p.pPr
        assert p_pr.find(qn("w:shd")).get(qn("w:fill")) == "F1F3F6"
        assert p_pr.find(f"{qn('w:pBdr')}/{qn('w:left')}") is not None


@dataclass(frozen=True)
class Unknown:
    style: str | None = None


def test_an_unknown_block_or_inline_is_a_type_error(theme: Theme) -> None:
    with pytest.raises(TypeError, match="Unknown"):
        write(simple(Unknown()), theme)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="Unknown"):
        write(simple(t.Paragraph((Unknown(),))), theme)  # type: ignore[arg-type]


def test_an_image_that_is_no_png_or_jpeg_is_a_render_error(theme: Theme) -> None:
    with pytest.raises(RenderError):
        write(simple(t.Image(b"GIF89a not really", 10)), theme)


# -- page furniture, page set-up, properties -------------------------------------------
def test_header_and_footer_repeat_the_banner_and_page_fields(
        every: docx.document.Document) -> None:
    section = every.sections[0]
    assert [(p.style.name, p.text) for p in section.header.paragraphs] == [
        ("Classification Banner", "HEADER BANNER")]
    footer = section.footer._element
    instructions = [i.text.strip() for i in footer.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    kinds = [c.get(qn("w:fldCharType")) for c in footer.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate", "end"] * 2
    assert section.footer.paragraphs[0].text == "Page 1 of 1"


def page_x_of_y() -> t.Paragraph:
    return t.Paragraph((t.Text("Page "), t.PageNumber(), t.Text(" of "), t.PageCount()))


def first_header_document(first: tuple[t.Block, ...] | None,
                          footer: tuple[t.Block, ...] = (page_x_of_y(),)) -> t.Document:
    return t.Document(metadata=t.Metadata(title="T"),
                      header=(t.Paragraph((t.Text("Ministry of Defence"),)),),
                      first_header=first, footer=footer,
                      body=(t.Paragraph((t.Text("one"),)), t.PageBreak(),
                            t.Paragraph((t.Text("two"),))))


def field_instructions(story: docx.section._Footer) -> list[str]:
    return [i.text.strip() for i in story._element.iter(qn("w:instrText"))]


def references(data: bytes) -> list[tuple[str, str, str]]:
    """(kind, w:type, part name) of each header and footer reference of the section."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        xml = package.read("word/document.xml").decode()
        rels = package.read("word/_rels/document.xml.rels").decode()
    targets = dict(re.findall(r'Id="([^"]+)"[^>]*Target="([^"]+)"', rels))
    return [(kind, kind_type, targets[rid]) for kind, kind_type, rid in re.findall(
        r'<w:(header|footer)Reference w:type="(\w+)" r:id="([^"]+)"/>', xml)]


def test_an_empty_first_header_gives_page_one_an_empty_first_page_header(
        theme: Theme) -> None:
    data = write(first_header_document(()), theme)
    section = docx.Document(io.BytesIO(data)).sections[0]
    assert section.different_first_page_header_footer
    assert section._sectPr.find(qn("w:titlePg")) is not None
    assert not section.first_page_header.is_linked_to_previous  # a part of its own
    assert [p.text for p in section.first_page_header.paragraphs] == [""]
    assert [p.text for p in section.header.paragraphs] == ["Ministry of Defence"]
    for footer in (section.footer, section.first_page_footer):  # the same on every page
        assert not footer.is_linked_to_previous
        assert field_instructions(footer) == ["PAGE", "NUMPAGES"]
        assert [p.text for p in footer.paragraphs] == ["Page 1 of 1"]
    refs = references(data)
    assert [(kind, ref_type) for kind, ref_type, _ in refs] == [
        ("header", "default"), ("header", "first"), ("footer", "default"), ("footer", "first")]
    assert len({name for _, _, name in refs}) == 4


def test_a_first_header_holds_its_own_text(theme: Theme) -> None:
    first = (t.Paragraph((t.Text("Page one only"),)),)
    section = read(first_header_document(first), theme).sections[0]
    assert section.different_first_page_header_footer
    assert [p.text for p in section.first_page_header.paragraphs] == ["Page one only"]
    assert [p.text for p in section.header.paragraphs] == ["Ministry of Defence"]
    assert field_instructions(section.first_page_footer) == ["PAGE", "NUMPAGES"]


def test_without_a_first_header_every_page_has_the_same_header(theme: Theme) -> None:
    data = write(first_header_document(None), theme)
    section = docx.Document(io.BytesIO(data)).sections[0]
    assert not section.different_first_page_header_footer
    assert [ref_type for _, ref_type, _ in references(data)] == ["default", "default"]


def test_the_first_page_footer_copies_a_reference_footer(theme: Theme, tmp_path: Path) -> None:
    reference = docx.Document()
    reference.sections[0].footer.paragraphs[0].text = "Reference footer"
    path = tmp_path / "reference.docx"
    reference.save(str(path))
    themed = dataclasses.replace(theme, reference_docx=path)
    data = write(first_header_document((), footer=()), themed)
    section = docx.Document(io.BytesIO(data)).sections[0]
    assert section.different_first_page_header_footer
    assert [p.text for p in section.footer.paragraphs] == ["Reference footer"]
    assert [p.text for p in section.first_page_footer.paragraphs] == ["Reference footer"]
    assert [p.text for p in section.first_page_header.paragraphs] == [""]
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert package.testzip() is None
        names = package.namelist()
    assert len(names) == len(set(names))


def test_page_set_up_comes_from_the_theme(every: docx.document.Document, theme: Theme) -> None:
    section = every.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    page = theme.page
    for actual, wanted in ((section.top_margin, page.margin_top_mm),
                           (section.bottom_margin, page.margin_bottom_mm),
                           (section.left_margin, page.margin_left_mm),
                           (section.right_margin, page.margin_right_mm),
                           (section.header_distance, page.header_mm),
                           (section.footer_distance, page.footer_mm)):
        assert actual.mm == pytest.approx(wanted, abs=0.05)


def test_core_properties_come_from_the_metadata(every: docx.document.Document) -> None:
    props = every.core_properties
    assert (props.title, props.author, props.subject, props.keywords, props.language) == (
        "Every node", "Ministry of Tests", "A fixture", "alpha, beta", "en")
    assert props.created == props.modified
    assert props.created.replace(tzinfo=None) == datetime(2025, 6, 26, 15, 15)
    assert props.revision == 1 and props.last_modified_by == "Ministry of Tests"


def test_the_body_font_and_language_are_the_document_defaults(theme: Theme) -> None:
    document = read(simple(t.Paragraph((t.Text("Привет"),)), language="ru"), theme)
    defaults = document.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/"
                                            f"{qn('w:rPr')}")
    fonts = defaults.find(qn("w:rFonts"))
    family = theme.font("body").family
    assert [fonts.get(qn(f"w:{slot}")) for slot in ("ascii", "hAnsi", "cs", "eastAsia")] == [
        family] * 4
    assert fonts.get(qn("w:asciiTheme")) is None
    assert defaults.find(qn("w:lang")).get(qn("w:val")) == "ru"


def test_theme_styles_become_editable_word_styles(every: docx.document.Document,
                                                  theme: Theme) -> None:
    heading = every.styles["Heading 1"]
    wanted = theme.style("heading1")
    assert heading.font.size.pt == wanted.size and heading.font.bold
    assert str(heading.font.color.rgb) == wanted.colour.lstrip("#").upper()
    assert heading.paragraph_format.keep_with_next
    assert heading.paragraph_format.space_before.pt == wanted.space_before
    fonts = heading.element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:cs")) == fonts.get(qn("w:eastAsia")) == theme.font("body").family
    custom = every.styles["Letterhead Organisation"]
    assert custom.base_style.name == "Normal"
    assert custom.paragraph_format.alignment == 1  # centre
    quote = every.styles["Quote"]
    assert quote.font.italic and quote.paragraph_format.left_indent.mm == pytest.approx(10, 0.1)


# -- text ------------------------------------------------------------------------------
def test_hostile_text_comes_back_exactly(theme: Theme) -> None:
    document = read(simple(t.Paragraph((t.Text(HOSTILE),)),
                           t.Paragraph((t.Text("tab\there"), t.LineBreak(), t.Text("x")))),
                    theme)
    assert [p.text for p in document.paragraphs] == [HOSTILE, "tab\there\nx"]


def test_characters_xml_cannot_hold_are_dropped(theme: Theme) -> None:
    document = read(simple(t.Paragraph((t.Text("a\x00b\x1bc\ufffed\ud800e"),)),
                           title="bad\x0btitle"), theme)
    assert document.paragraphs[0].text == "abcde"
    assert document.core_properties.title == "badtitle"


PRINTABLE = sorted(chr(c) for c in chain_characters(chain_of(load_theme(), "body")))


@settings(max_examples=60, deadline=None)
@given(st.text(st.one_of(st.sampled_from(PRINTABLE), st.characters(max_codepoint=0x7f),
                         st.sampled_from("\ud800\ufffe\uffff")), max_size=40))
@example("OFFICIAL\u2011SENSITIVE\r\n\x85\ufdd0")
def test_any_text_comes_back_as_written_minus_what_no_output_can_show(value: str) -> None:
    """All but XML 1.0's illegal characters, DEL, the C1 controls and the noncharacters
    (dropped by every writer: HTML may not hold them either)."""
    document = read(simple(t.Paragraph((t.Text(value),))), load_theme())
    legal = "".join(c for c in value if c in "\t\n\r" or (
        c >= " " and not "\ud800" <= c <= "\udfff" and not "\x7f" <= c <= "\x9f"
        and not "\ufdd0" <= c <= "\ufdef" and (ord(c) & 0xFFFE) != 0xFFFE))
    assert text_with_no_break_hyphens(document.paragraphs[0]) == (
        legal.replace("\r\n", "\n").replace("\r", "\n"))


def text_with_no_break_hyphens(paragraph: docx.text.paragraph.Paragraph) -> str:
    """The paragraph's text as Word shows it, with ``w:noBreakHyphen`` read as U+2011
    (python-docx reads it as a plain hyphen, losing what the writer wrote)."""
    copy = deepcopy(paragraph._p)
    for hyphen in list(copy.iter(qn("w:noBreakHyphen"))):
        text = OxmlElement("w:t")
        text.text = "\u2011"
        hyphen.getparent().replace(hyphen, text)
    return docx.text.paragraph.Paragraph(copy, paragraph._parent).text


def test_a_javascript_link_is_printed_as_plain_text(theme: Theme) -> None:
    document = read(simple(t.Paragraph((
        t.Link("javascript:alert(1)", (t.Text("click"),)),))), theme)
    assert document.paragraphs[0].text == "click"
    assert document.paragraphs[0].hyperlinks == []
    assert not [r for r in document.part.rels.values() if "javascript" in r.target_ref]


# -- reference document, determinism, speed ----------------------------------------------
def test_a_reference_docx_gives_its_styles_but_not_its_text(theme: Theme,
                                                             tmp_path: Path) -> None:
    reference = docx.Document()
    reference.add_paragraph("Old body text that must go")
    reference.add_table(rows=1, cols=1)
    reference.styles.add_style("Ministry Note", 1)
    reference.sections[0].header.paragraphs[0].text = "Reference header"
    path = tmp_path / "reference.docx"
    reference.save(str(path))
    themed = dataclasses.replace(theme, reference_docx=path)
    document = read(simple(t.Paragraph((t.Text("New"),))), themed)
    assert [p.text for p in document.paragraphs] == ["New"]
    assert document.tables == []
    assert "Ministry Note" in [s.name for s in document.styles]
    assert document.sections[0].header.paragraphs[0].text == "Reference header"
    assert document.sections[0].page_width.mm == pytest.approx(210, abs=0.1)


def with_custom_property(path: Path, name: str, value: str) -> None:
    """Give the .docx at ``path`` a custom property, as Word's File > Properties would."""
    with zipfile.ZipFile(path) as package:
        parts = {item: package.read(item) for item in package.namelist()}
    parts["docProps/custom.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties xmlns="http://'
        'schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://'
        'schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><property fmtid='
        f'"{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="2" name="{name}"><vt:lpwstr>'
        f"{value}</vt:lpwstr></property></Properties>").encode()
    parts["_rels/.rels"] = parts["_rels/.rels"].replace(b"</Relationships>", (
        b'<Relationship Id="rIdCustom" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/custom-properties" Target="docProps/custom.xml"/>'
        b"</Relationships>"))
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"</Types>", (
        b'<Override PartName="/docProps/custom.xml" ContentType="application/vnd.'
        b'openxmlformats-officedocument.custom-properties+xml"/></Types>'))
    with zipfile.ZipFile(path, "w") as package:
        for item, data in parts.items():
            package.writestr(item, data)


def test_a_marked_document_has_its_own_classification_and_never_the_references(
        theme: Theme, tmp_path: Path) -> None:
    path = tmp_path / "reference.docx"
    docx.Document().save(str(path))
    with_custom_property(path, "Classification", "ZQ-REFERENCE-SECRET")
    themed = dataclasses.replace(theme, reference_docx=path)
    public = write(simple(t.Paragraph((t.Text("Release"),))), themed)
    with zipfile.ZipFile(io.BytesIO(public)) as package:
        assert "docProps/custom.xml" not in package.namelist()
        assert all(b"ZQ-REFERENCE-SECRET" not in package.read(n) for n in package.namelist())
        assert b"custom-properties" not in package.read("_rels/.rels")
    marked = write(simple(t.Paragraph((t.Text("Brief"),)), classification="SECRET"), themed)
    with zipfile.ZipFile(io.BytesIO(marked)) as package:
        custom = package.read("docProps/custom.xml").decode()
        assert custom.count("<property ") == 1
        assert 'name="Classification"><vt:lpwstr>SECRET</vt:lpwstr>' in custom
        assert b"docProps/custom.xml" in package.read("[Content_Types].xml")
    assert docx.Document(io.BytesIO(marked)).core_properties.subject.startswith("SECRET")


def test_an_unreadable_reference_docx_is_a_template_error(theme: Theme,
                                                         tmp_path: Path) -> None:
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(TemplateError, match="reference"):
        write(simple(), dataclasses.replace(theme, reference_docx=broken))


def test_the_same_document_gives_the_same_bytes_in_two_processes() -> None:
    script = ("import hashlib, sys; sys.path.insert(0, sys.argv[1]);"
              "from tests.conftest import every_node_document;"
              "from readout.themes import load_theme; from readout.writers.docx import write;"
              "print(hashlib.sha256(write(every_node_document(), load_theme())).hexdigest())")
    digests = {subprocess.run([sys.executable, "-c", script, str(ROOT)], check=True,
                              capture_output=True, text=True, cwd=ROOT).stdout
               for _ in range(2)}
    assert len(digests) == 1
    assert digests == {hashlib.sha256(
        write(every_node_document(), load_theme())).hexdigest() + "\n"}


def test_the_zip_has_fixed_times_and_a_fixed_order(theme: Theme) -> None:
    with zipfile.ZipFile(io.BytesIO(write(every_node_document(), theme))) as package:
        assert package.testzip() is None
        infos = package.infolist()
    assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert infos[0].filename == "[Content_Types].xml"


# -- embedded fonts --------------------------------------------------------------------
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
RT_FONT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/font"


def unobfuscate(data: bytes, font_key: str) -> bytes:
    """ECMA-376 Part 1, 17.8.1, written independently of the writer: the key is the
    GUID's hex digits read two at a time from the end; XOR the first 32 bytes with it."""
    digits = font_key.strip("{}").replace("-", "")
    key = [int(digits[i - 2:i], 16) for i in range(32, 0, -2)]
    return bytes(b ^ key[i % 16] if i < 32 else b for i, b in enumerate(data[:32])) + data[32:]


def embedded(data: bytes, family: str = "Noto Sans") -> dict[str, bytes]:
    """The de-obfuscated embedded fonts of a .docx by slot (Regular, Bold, ...), checking
    the font table, its relationships, the content types and the settings on the way."""
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    types = etree.fromstring(parts["[Content_Types].xml"])
    assert any(d.get("Extension") == "odttf" and d.get("ContentType") ==
               "application/vnd.openxmlformats-officedocument.obfuscatedFont" for d in types)
    settings = etree.fromstring(parts["word/settings.xml"])
    assert settings.find(f"{W}embedTrueTypeFonts") is not None
    assert settings.find(f"{W}saveSubsetFonts") is not None  # cut to what is shown
    rels = {r.get("Id"): r for r in etree.fromstring(parts["word/_rels/fontTable.xml.rels"])
            .iter(f"{RELS}Relationship")}
    table = etree.fromstring(parts["word/fontTable.xml"])
    (font,) = [f for f in table.iter(f"{W}font") if f.get(f"{W}name") == family]
    found: dict[str, bytes] = {}
    for child in font:
        if child.tag.startswith(f"{W}embed"):
            rel = rels[child.get(R_ID)]
            assert rel.get("Type") == RT_FONT and rel.get("Target").endswith(".odttf")
            found[child.tag[len(W) + 5:]] = unobfuscate(parts["word/" + rel.get("Target")],
                                                        child.get(f"{W}fontKey"))
    embeds = [c for f in table.iter(f"{W}font") for c in f if c.tag.startswith(f"{W}embed")]
    assert len([n for n in parts if n.endswith(".odttf")]) == len(rels) == len(embeds)
    return found


def outlines(font: bytes, text: str) -> list[object]:
    loaded = TTFont(io.BytesIO(font))
    glyphs, cmap = loaded.getGlyphSet(), loaded.getBestCmap()
    out = []
    for char in text:
        pen = RecordingPen()
        glyphs[cmap[ord(char)]].draw(pen)
        out.append(pen.value)
    return out


def test_the_body_family_is_embedded_as_word_embeds_it_cut_to_what_is_shown(
        theme: Theme) -> None:
    family = theme.font("body")
    assert theme.docx_embed_fonts and family.family == "Noto Sans"
    document = every_node_document()
    fonts = embedded(write(document, theme))
    assert set(fonts) == {"Regular", "Bold", "Italic", "BoldItalic"}
    shown = "".join(sorted({c for c in document_text(document) if not c.isspace()}))
    for slot, path in (("Regular", family.regular), ("BoldItalic", family.bold_italic)):
        whole = path.read_bytes()
        assert len(fonts[slot]) < len(whole) / 5
        assert outlines(fonts[slot], shown) == outlines(whole, shown)  # every glyph shown
        assert outlines(fonts[slot], "ЖΩ") == [[], []]  # a glyph not shown is empty


def test_a_hindi_document_embeds_the_glyphs_harfbuzz_substitutes(theme: Theme) -> None:
    text = "क्षितिज राजनाथ सिंह"
    font = embedded(write(simple(t.Paragraph((t.Text(text),))), theme))["Regular"]
    face = uharfbuzz.Font(uharfbuzz.Face(theme.font("body").regular.read_bytes()))
    buffer = uharfbuzz.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    uharfbuzz.shape(face, buffer, {})
    loaded, whole = TTFont(io.BytesIO(font)), TTFont(theme.font("body").regular)
    assert "GSUB" in loaded
    for info in buffer.glyph_infos:  # same glyph ids, same outlines: conjuncts intact
        name = whole.getGlyphOrder()[info.codepoint]
        assert loaded["glyf"][name].getCoordinates(loaded["glyf"])[0] == \
            whole["glyf"][name].getCoordinates(whole["glyf"])[0]


def test_each_family_a_document_uses_is_embedded(theme: Theme) -> None:
    data = write(simple(t.Paragraph((t.Text("Urdu اردو and Chinese 中文"),))), theme)
    assert embedded(data, "Noto Sans Arabic") and embedded(data, "Noto Sans SC")
    assert outlines(embedded(data, "Noto Sans SC")["Regular"], "中文")[0]


def test_a_family_without_its_own_bold_embeds_only_its_files(theme: Theme) -> None:
    family = theme.font("body")
    single = dataclasses.replace(family, bold=family.regular, bold_italic=family.italic)
    themed = dataclasses.replace(theme, fonts={**theme.fonts, "body": FontChain((single,))})
    document = simple(t.Paragraph((t.Text("x"),)))
    assert set(embedded(write(document, themed))) == {"Regular", "Italic"}


def test_the_font_parts_really_are_obfuscated(theme: Theme) -> None:
    with zipfile.ZipFile(io.BytesIO(write(simple(t.Paragraph((t.Text("x"),))), theme))) as z:
        stored = z.read("word/fonts/font1.odttf")
    assert stored[:4] != b"\x00\x01\x00\x00"  # a TrueType file starts so, unobfuscated
    assert embedded(write(simple(t.Paragraph((t.Text("x"),))), theme))["Regular"][:4] == \
        b"\x00\x01\x00\x00"


def test_embedding_can_be_turned_off_in_the_theme(tmp_path: Path) -> None:
    source = (ROOT / "templates" / "themes" / "default.yaml").read_text(encoding="utf-8")
    assert "docx_embed_fonts: true" in source
    path = tmp_path / "plain.yaml"
    path.write_text(source.replace("docx_embed_fonts: true", "docx_embed_fonts: false"),
                    encoding="utf-8")
    plain = load_theme(path)
    assert not plain.docx_embed_fonts
    data = write(every_node_document(), plain)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = package.namelist()
        assert b"embedTrueTypeFonts" not in package.read("word/settings.xml")
        assert b"w:embedRegular" not in package.read("word/fontTable.xml")
    assert not [n for n in names if n.endswith(".odttf") or "fontTable.xml.rels" in n]
    assert len(data) < len(write(every_node_document(), load_theme())) - 40_000  # the cut faces
    assert docx.Document(io.BytesIO(data)).paragraphs
    path.write_text(source.replace("docx_embed_fonts: true", "docx_embed_fonts: maybe"),
                    encoding="utf-8")
    with pytest.raises(TemplateError, match="docx_embed_fonts"):
        load_theme(path)


def test_a_reference_that_embeds_the_family_gets_it_once(theme: Theme, tmp_path: Path) -> None:
    path = tmp_path / "reference.docx"
    path.write_bytes(write(simple(t.Paragraph((t.Text("old"),))), theme))
    fonts = embedded(write(simple(), dataclasses.replace(theme, reference_docx=path)))
    assert sorted(fonts) == ["Bold", "BoldItalic", "Italic", "Regular"]


def test_a_reference_without_font_table_or_settings_gets_them(theme: Theme,
                                                              tmp_path: Path) -> None:
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    path = tmp_path / "bare.docx"
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, \
            zipfile.ZipFile(path, "w") as target:
        for name in source.namelist():
            if name in ("word/fontTable.xml", "word/settings.xml"):
                continue
            data = source.read(name)
            if name in ("word/_rels/document.xml.rels", "[Content_Types].xml"):
                for gone in (b"fontTable", b"settings"):
                    data = re.sub(rb"<(Relationship|Override) [^>]*/" + gone + rb"[^>]*/>",
                                  b"", data)
                    assert b"/" + gone not in data
            target.writestr(name, data)
    data = write(simple(t.Paragraph((t.Text("x"),))), dataclasses.replace(
        theme, reference_docx=path))
    assert sorted(embedded(data)) == ["Bold", "BoldItalic", "Italic", "Regular"]
    package = docx.Document(io.BytesIO(data)).part.package
    kinds = {p.partname: p.content_type for p in package.parts}
    assert kinds["/word/fontTable.xml"].endswith("fontTable+xml")
    assert kinds["/word/settings.xml"].endswith("settings+xml")


def test_a_non_breaking_hyphen_is_words_own(theme: Theme) -> None:
    document = read(simple(t.Paragraph((t.Text("OFFICIAL\u2011SENSITIVE"),))), theme)
    assert "<w:noBreakHyphen/>" in document.paragraphs[0]._p.xml
    assert text_with_no_break_hyphens(document.paragraphs[0]) == "OFFICIAL\u2011SENSITIVE"


def _samples_images() -> list[Path]:
    return sorted((ROOT / "samples" / "assets").glob("*.png"))


def test_images_are_sized_as_python_docx_sizes_them() -> None:
    import io

    from docx.image.image import Image as DocxImage
    from PIL import Image

    from readout.writers.docx.body import _kind_and_size

    jpeg, cmyk = io.BytesIO(), io.BytesIO()
    Image.new("RGB", (7, 3), (20, 40, 60)).save(jpeg, "JPEG")
    Image.new("CMYK", (5, 9), (20, 40, 60, 0)).save(cmyk, "JPEG")
    images = [path.read_bytes() for path in _samples_images()] + [jpeg.getvalue()]
    assert len(images) >= 5
    for data in images:
        theirs = DocxImage.from_blob(data)
        kind = "png" if theirs.content_type == "image/png" else "jpeg"
        assert _kind_and_size(data) == (kind, theirs.px_width, theirs.px_height)
    assert _kind_and_size(cmyk.getvalue()) == ("jpeg", 5, 9)  # python-docx cannot read it
