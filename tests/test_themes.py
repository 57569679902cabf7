"""Themes are data: styles inherit, mistakes are named, and a user's theme changes the look."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document as DocxDocument
from pypdf import PdfReader

import readout
from readout.errors import TemplateError
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
    assert heading.font == body.font
    assert theme.style("dateline").size == body.size


def test_an_unknown_style_name_resolves_to_body() -> None:
    theme = load_theme()
    assert theme.style("no-such-style").size == theme.style("body").size


def test_box_properties_are_not_inherited() -> None:
    theme = load_theme()
    assert theme.style("boxed").background is not None
    assert theme.style("facts").background is None


def test_an_unknown_style_property_is_named(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(LETTER_THEME.replace("size: 11,", "size: 11, colr: red,"))
    with pytest.raises(TemplateError) as caught:
        load_theme(path)
    assert str(caught.value) == f"{path}: Style 'body' has unknown properties: colr."


def test_an_unknown_page_size_lists_the_known_ones(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(LETTER_THEME.replace("size: letter", "size: B5"))
    with pytest.raises(TemplateError, match="Page size 'B5' is unknown; use one of: A4, letter"):
        load_theme(path)


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


def test_a_bad_colour_is_named_when_the_theme_loads(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(LETTER_THEME.replace('colour: "#550000"', "colour: navy"))
    with pytest.raises(TemplateError) as caught:
        load_theme(path)
    assert str(caught.value) == (f"{path}: The colour 'navy' of title.colour is not of the "
                                 "form #rrggbb (or #rgb).")


def test_short_colours_are_widened_for_every_writer(tmp_path: Path) -> None:
    path = tmp_path / "short.yaml"
    path.write_text(LETTER_THEME.replace('colour: "#550000"', 'colour: "#A00"'))
    assert load_theme(path).style("title").colour == "#aa0000"
