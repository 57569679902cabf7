"""Themes are data: styles inherit, a user's theme extends the default, and changes the look."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pdfplumber
import pytest
from docx import Document as DocxDocument
from docx.oxml.ns import qn
from pypdf import PdfReader

import readout
from readout import tree as t
from readout.themes import Theme, load_theme
from readout.writers import writer_for

from .conftest import SEED

LETTER_THEME = """\
name: letter
page: {size: letter, margin_top_mm: 30, margin_bottom_mm: 25, margin_left_mm: 25,
       margin_right_mm: 25, header_mm: 12, footer_mm: 12}
fonts:
  body: {family: Noto Sans, regular: NotoSans-Regular.ttf, bold: NotoSans-Bold.ttf,
         italic: NotoSans-Italic.ttf, bold_italic: NotoSans-BoldItalic.ttf}
styles:
  body: {size: 11, leading: 15, colour: "#000000", word_style: Normal}
  title: {size: 20, bold: true, colour: "#550000", word_style: Title}
"""


def test_a_style_inherits_what_it_leaves_out_from_body() -> None:
    theme = load_theme()
    heading = theme.style("heading2")
    body = theme.style("body")
    assert heading.bold and heading.size > body.size
    assert heading.font == "heading"
    assert theme.style("dateline").font == body.font == "body"
    assert theme.style("dateline").size == body.size


def test_an_unknown_style_name_resolves_to_body() -> None:
    theme = load_theme()
    assert theme.style("no-such-style").size == theme.style("body").size


def test_box_properties_are_not_inherited() -> None:
    theme = load_theme()
    assert theme.style("boxed").background is not None
    assert theme.style("facts").background is None


def test_a_users_theme_sets_the_page_of_both_formats(tmp_path: Path) -> None:
    path = tmp_path / "letter.yaml"
    path.write_text(LETTER_THEME)
    doc = readout.load(SEED)
    pdf = PdfReader(io.BytesIO(readout.render(doc, "press-release", "pdf", theme=path)))
    width, height = (float(v) for v in pdf.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (612, 792)
    docx = DocxDocument(io.BytesIO(readout.render(doc, "press-release", "docx", theme=path)))
    section = docx.sections[0]
    assert (round(section.page_width.mm, 1), round(section.page_height.mm, 1)) == (215.9, 279.4)
    assert round(section.left_margin.mm) == 25
    assert docx.styles["Title"].font.color.rgb == (0x55, 0x00, 0x00)


def test_short_colours_are_widened_for_every_writer(tmp_path: Path) -> None:
    path = tmp_path / "short.yaml"
    path.write_text(LETTER_THEME.replace('colour: "#550000"', 'colour: "#A00"'))
    assert load_theme(path).style("title").colour == "#aa0000"


def test_a_users_theme_extends_the_default_key_by_key(tmp_path: Path) -> None:
    path = tmp_path / "letter.yaml"
    path.write_text(LETTER_THEME)
    theme = load_theme(path)
    title = theme.style("title")
    assert (title.size, title.colour) == (20, "#550000")
    assert title.leading == load_theme().style("title").leading  # from the default's title
    assert theme.has_style("letterhead") and theme.style("banner").bold


def test_a_theme_that_stands_alone_has_only_its_own_styles(tmp_path: Path) -> None:
    path = tmp_path / "alone.yaml"
    path.write_text("extends: none\n" + LETTER_THEME)
    theme = load_theme(path)
    assert sorted(theme.styles) == ["body", "title"]
    assert theme.style("title").leading == 15  # from its own body


def test_heading_fonts_fall_back_to_the_body_chain() -> None:
    theme = load_theme()
    assert theme.chain("heading") == theme.chain("body")
    assert [f.family for f in theme.chain("body").families] == [
        "Noto Sans", "Noto Sans Arabic", "Noto Sans SC"]
    assert theme.font("body").family == "Noto Sans"


def test_a_font_chain_lists_families_in_order(tmp_path: Path) -> None:
    path = tmp_path / "chain.yaml"
    path.write_text("""\
fonts:
  body:
    - {family: First, regular: NotoSans-Regular.ttf}
    - {family: Second, regular: NotoSans-Italic.ttf, bold: NotoSans-BoldItalic.ttf}
""")
    chain = load_theme(path).chain("body")
    assert [family.family for family in chain.families] == ["First", "Second"]
    second = chain.families[1]
    assert second.italic == second.regular and second.bold_italic == second.bold
    assert chain.first.face(bold=True, italic=False).name == "NotoSans-Regular.ttf"


def test_a_theme_lists_every_file_it_is_made_of(tmp_path: Path) -> None:
    path = tmp_path / "letter.yaml"
    path.write_text(LETTER_THEME)
    files = load_theme(path).files
    assert path in files and Path(load_theme().source) in files
    assert any(file.name == "NotoSans-Bold.ttf" for file in files)


def _layout_theme(tmp_path: Path, layout: str, styles: str = "{}") -> Theme:
    path = tmp_path / "layout.yaml"
    path.write_text(f"format: readout-theme/1\nlayout: {{{layout}}}\nstyles: {styles}\n")
    return load_theme(path)


def _both(document: t.Document, theme: Theme) -> tuple[bytes, docx.document.Document]:
    pdf = writer_for("pdf")(document, theme)
    return pdf, docx.Document(io.BytesIO(writer_for("docx")(document, theme)))


def _document(*blocks: t.Block) -> t.Document:
    return t.Document(metadata=t.Metadata(title="Layout"), body=blocks)


@pytest.mark.parametrize("padding", [6, 14])
def test_the_box_padding_is_the_themes_in_both_formats(tmp_path: Path, padding: int) -> None:
    theme = _layout_theme(tmp_path, f"box_padding: {padding}")
    box = t.Section((t.Paragraph((t.Text("Media contact"),)),), style="boxed")
    pdf, word = _both(_document(box), theme)
    with pdfplumber.open(io.BytesIO(pdf)) as opened:
        page = opened.pages[0]
        fill = next(rect for rect in page.rects if rect["fill"])
        assert round(page.chars[0]["x0"] - fill["x0"], 1) == padding
    p_pr = word.paragraphs[0]._p.pPr
    assert p_pr.find(qn("w:ind")).get(qn("w:left")) == str(padding * 20)
    assert p_pr.find(f"{qn('w:pBdr')}/{qn('w:left')}").get(qn("w:space")) == str(padding)


@pytest.mark.parametrize("padding", [4, 10])
def test_the_cell_padding_is_the_themes_in_both_formats(tmp_path: Path, padding: int) -> None:
    theme = _layout_theme(tmp_path, f"cell_padding_x: {padding}, cell_padding_y: 2")
    table = t.Table((1.0,), None, (t.Row((t.Cell((t.Text("Owner"),)),)),))
    pdf, word = _both(_document(table), theme)
    with pdfplumber.open(io.BytesIO(pdf)) as opened:
        page = opened.pages[0]
        left_edge = min(line["x0"] for line in page.lines)
        assert round(page.chars[0]["x0"] - left_edge, 1) == padding
    margins = word.styles["Table Grid"].element.find(
        f"{qn('w:tblPr')}/{qn('w:tblCellMar')}")
    assert margins.find(qn("w:left")).get(qn("w:w")) == str(padding * 20)
    assert margins.find(qn("w:top")).get(qn("w:w")) == "40"


@pytest.mark.parametrize("gap_mm", [4.5, 8.0])
def test_the_bullet_gap_is_the_themes_in_both_formats(tmp_path: Path, gap_mm: float) -> None:
    theme = _layout_theme(tmp_path, f"bullet_gap_mm: {gap_mm}", "{list: {indent_mm: 10}}")
    items = t.BulletList(((t.Paragraph((t.Text("Air defence"),)),),))
    pdf, word = _both(_document(items), theme)
    with pdfplumber.open(io.BytesIO(pdf)) as opened:
        chars = opened.pages[0].chars
        bullet = next(c for c in chars if c["text"] == "\u2022")
        text = next(c for c in chars if c["text"] == "A")
        assert round((text["x0"] - bullet["x0"]) / 72 * 25.4, 1) == gap_mm
    indent = word.styles["List Bullet"].element.find(f"{qn('w:pPr')}/{qn('w:ind')}")
    assert round(int(indent.get(qn("w:hanging"))) / 1440 * 25.4, 1) == gap_mm


@pytest.mark.parametrize("step_mm", [6.0, 9.0])
def test_the_list_step_is_the_themes_in_both_formats(tmp_path: Path, step_mm: float) -> None:
    """The default theme names list and list2; the third level steps on from the second."""
    theme = _layout_theme(tmp_path, f"list_step_mm: {step_mm}")
    third = t.BulletList(((t.Paragraph((t.Text("Zulu"),)),),))
    second = t.BulletList(((t.Paragraph((t.Text("Yankee"),)), third),))
    items = t.BulletList(((t.Paragraph((t.Text("Xray"),)), second),))
    pdf, word = _both(_document(items), theme)
    with pdfplumber.open(io.BytesIO(pdf)) as opened:
        zulu = next(c for c in opened.pages[0].chars if c["text"] == "Z")
        assert round((zulu["x0"] - 22 / 25.4 * 72) / 72 * 25.4, 1) == 12 + step_mm
    paragraph = next(p for p in word.paragraphs if p.text == "Zulu")
    assert paragraph.style.name == "List Bullet 3"
    indent = paragraph.style.element.find(f"{qn('w:pPr')}/{qn('w:ind')}")
    assert round(int(indent.get(qn("w:left"))) / 1440 * 25.4, 1) == 12 + step_mm
