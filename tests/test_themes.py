"""Themes are data: styles inherit, a user's theme extends the default, and changes the look."""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document as DocxDocument
from pypdf import PdfReader

import readout
from readout.themes import load_theme

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
    assert len(theme.chain("body").families) == 1
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
