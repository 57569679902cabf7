"""A ministry's own theme and Word template, read back from every format as a user sees them.

The theme: US Letter pages, Noto Serif (instanced from PyPI's fontpkg-noto-serif by
tools/build_test_fonts.py), a crest as letterhead logo, an accent colour and a DRAFT
watermark. The reference document: a Heading 1 of its own colour and a header logo.
"""

from __future__ import annotations

import base64
import io
import re
import shutil
from pathlib import Path

import docx
import pdfplumber
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm, RGBColor
from pypdf import PdfReader

import readout
from readout.themes import Theme, load_theme
from readout.writers import FORMATS

from .conftest import SEED, tiny_png
from .extract import css_rules, docx_parts, html_page, pdf_pages

FONTS = Path(__file__).resolve().parent / "fonts"
ACCENT = "#7a1f2b"
CREST = tiny_png(40, 20)
THEME = f"""\
format: readout-theme/1
name: ministry
page: {{size: letter}}
fonts:
  body: {{family: Noto Serif, regular: NotoSerif-Regular.ttf, bold: NotoSerif-Bold.ttf}}
styles:
  title: {{colour: "{ACCENT}"}}
  heading2: {{colour: "{ACCENT}"}}
  label: {{colour: "{ACCENT}"}}
letterhead:
  logo: crest.png
  logo_alt: Crest of the Ministry of Defence
  alignment: left
  lines:
    - {{text: Ministry of Defence, style: letterhead-organisation}}
    - {{text: Government of India, style: letterhead-government}}
watermark: {{text: DRAFT, colour: "{ACCENT}"}}
footer: ["Ministry of Defence · mod.gov.in"]
"""
TEMPLATES = ("press-release", "internal-brief")


@pytest.fixture(scope="module")
def theme(tmp_path_factory: pytest.TempPathFactory) -> Theme:
    folder = tmp_path_factory.mktemp("ministry")
    for font in FONTS.glob("*.ttf"):
        shutil.copy(font, folder / font.name)
    (folder / "crest.png").write_bytes(CREST)
    (folder / "theme.yaml").write_text(THEME, encoding="utf-8")
    return load_theme(folder / "theme.yaml")


@pytest.fixture(scope="module")
def rendered(theme: Theme) -> dict[tuple[str, str], bytes]:
    doc = readout.load(SEED)
    return {(template, fmt): readout.render(doc, template, fmt, theme=theme)
            for template in TEMPLATES for fmt in FORMATS}


# -- PDF ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("template", TEMPLATES)
def test_the_pdf_has_letter_pages_and_only_the_serif_font(
        rendered: dict[tuple[str, str], bytes], template: str) -> None:
    reader = PdfReader(io.BytesIO(rendered[template, "pdf"]))
    fonts: set[str] = set()
    for page in reader.pages:
        width, height = (round(float(v)) for v in page.mediabox.upper_right)
        assert (width, height) == (612, 792)
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    assert fonts == {"NotoSerif-Regular", "NotoSerif-Bold"}


@pytest.mark.parametrize("template", TEMPLATES)
def test_the_pdf_has_the_watermark_on_every_page(rendered: dict[tuple[str, str], bytes],
                                                  template: str) -> None:
    with pdfplumber.open(io.BytesIO(rendered[template, "pdf"])) as pdf:
        assert len(pdf.pages) >= 2
        for page in pdf.pages:
            big = "".join(c["text"] for c in page.chars if c["size"] > 60)
            assert big == "DRAFT"
            colours = {tuple(round(v * 255) for v in c["non_stroking_color"])
                       for c in page.chars if c["size"] > 60}
            assert colours == {(0x7A, 0x1F, 0x2B)}


def test_the_pdf_letterhead_is_the_themes_logo_and_lines_at_the_left(
        rendered: dict[tuple[str, str], bytes]) -> None:
    with pdfplumber.open(io.BytesIO(rendered["press-release", "pdf"])) as pdf:
        page = pdf.pages[0]
        (image,) = page.images
        assert (image["srcsize"]) == (40, 20)
        left = 22 / 25.4 * 72
        assert abs(image["x0"] - left) < 0.5
        text = page.filter(lambda obj: obj.get("size", 0) < 60).extract_text()
        assert text.splitlines()[:2] == ["Ministry of Defence", "Government of India"]
        first = next(c for c in page.chars if c["text"] == "M" and c["size"] == 15)
        assert abs(first["x0"] - left) < 1.5
        title = next(c for c in page.chars if c["size"] == 18)
        assert tuple(round(v * 255) for v in title["non_stroking_color"]) == (0x7A, 0x1F, 0x2B)
        assert "Ministry of Defence · mod.gov.in" in text


# -- DOCX --------------------------------------------------------------------------------------


@pytest.mark.parametrize("template", TEMPLATES)
def test_the_docx_has_letter_pages_serif_styles_and_the_accent(
        rendered: dict[tuple[str, str], bytes], template: str) -> None:
    document = docx.Document(io.BytesIO(rendered[template, "docx"]))
    section = document.sections[0]
    assert (round(section.page_width.mm, 1), round(section.page_height.mm, 1)) == (215.9, 279.4)
    assert document.styles["Normal"].font.name == "Noto Serif"
    title = document.styles["Title"]
    assert title.font.color.rgb == RGBColor(0x7A, 0x1F, 0x2B)
    assert document.styles["Document Label"].font.color.rgb == RGBColor(0x7A, 0x1F, 0x2B)
    font_table = docx_parts(rendered[template, "docx"])["word/fontTable.xml"].decode()
    assert re.search(r'<w:font w:name="Noto Serif">.*?<w:embedRegular ', font_table, re.S)
    assert re.search(r'<w:font w:name="Noto Serif">.*?<w:embedBold ', font_table, re.S)


@pytest.mark.parametrize("template", TEMPLATES)
def test_the_docx_has_the_watermark_in_every_header_it_uses(
        rendered: dict[tuple[str, str], bytes], template: str) -> None:
    data = rendered[template, "docx"]
    document = docx.Document(io.BytesIO(data))
    section = document.sections[0]
    headers = [section.header]
    if section.different_first_page_header_footer:
        headers.append(section.first_page_header)
    assert len(headers) == (2 if template == "press-release" else 1)
    for header in headers:
        shapes = header._element.findall(".//{urn:schemas-microsoft-com:vml}shape")
        (shape,) = shapes
        textpath = shape.find("{urn:schemas-microsoft-com:vml}textpath")
        assert textpath.get("string") == "DRAFT"
        assert shape.get("fillcolor") == ACCENT
        assert "rotation:315" in shape.get("style")
        assert "font-family:\"Noto Serif\"" in textpath.get("style")


def test_the_docx_letterhead_is_the_themes_logo_and_lines_at_the_left(
        rendered: dict[tuple[str, str], bytes]) -> None:
    data = rendered["press-release", "docx"]
    document = docx.Document(io.BytesIO(data))
    first = document.paragraphs[0]
    (blip,) = first._p.findall(f".//{qn('a:blip')}")
    assert document.part.related_parts[blip.get(qn("r:embed"))].blob == CREST
    described = first._p.find(f".//{qn('wp:docPr')}")
    assert described.get("descr") == "Crest of the Ministry of Defence"
    texts = [p.text for p in document.paragraphs[1:3]]
    assert texts == ["Ministry of Defence", "Government of India"]
    organisation = document.paragraphs[1].style
    assert organisation.name == "Letterhead Organisation"
    assert organisation.paragraph_format.alignment == 0  # left
    footer = [p.text for p in document.sections[0].footer.paragraphs]
    assert "Ministry of Defence · mod.gov.in" in footer


# -- HTML and plain text -----------------------------------------------------------------------


@pytest.mark.parametrize("template", TEMPLATES)
def test_the_web_page_prints_on_letter_in_the_serif_with_the_watermark_and_footer_line(
        rendered: dict[tuple[str, str], bytes], template: str) -> None:
    page = html_page(rendered[template, "html"])
    assert "@page{size:215.9mm 279.4mm;" in page.style
    body = re.search(r"\nbody\{([^}]*)\}", page.style)
    assert body is not None and 'font-family:"Noto Serif", serif;' in body.group(1)
    mark = re.search(r"body::before\{([^}]*)\}", page.style)
    assert mark is not None
    assert 'content:"DRAFT"' in mark.group(1) and f"color:{ACCENT}" in mark.group(1)
    assert "position:fixed" in mark.group(1) and "rotate(-45deg)" in mark.group(1)
    assert "Ministry of Defence · mod.gov.in" in " ".join("".join(page.furniture["footer"]).split())
    # the footer line in the printed page's margin too (the space ends the escape)
    assert '"Ministry of Defence \\b7  mod\\2e gov\\2e in"' in page.style


def test_the_web_page_letterhead_is_the_themes_logo_and_lines_at_the_left(
        rendered: dict[tuple[str, str], bytes]) -> None:
    page = html_page(rendered["press-release", "html"])
    first = page.images[0]
    assert first["alt"] == "Crest of the Ministry of Defence"
    assert first["src"].endswith(base64.b64encode(CREST).decode())
    rules = css_rules(page.style)
    classes = [attrs["class"] for tag, attrs in page.tags if tag == "p"][:2]
    assert classes == ["s-letterhead-organisation", "s-letterhead-government"]
    assert {rules[name]["text-align"] for name in classes} == {"start"}
    assert rules["s-title"]["color"] == ACCENT


@pytest.mark.parametrize("template", TEMPLATES)
def test_the_text_says_draft_under_its_header_and_ends_with_the_footer_line(
        rendered: dict[tuple[str, str], bytes], template: str) -> None:
    lines = rendered[template, "txt"].decode("utf-8").splitlines()
    draft = [index for index, line in enumerate(lines) if line.strip() == "DRAFT"]
    assert draft == [2 if template == "internal-brief" else 0]
    assert lines[-1].strip() == "Ministry of Defence · mod.gov.in"
    if template == "press-release":
        assert lines[2:4] == ["Ministry of Defence", "Government of India"]  # at the left


@pytest.mark.slow
def test_the_printed_web_page_has_the_watermark_on_every_page(
        rendered: dict[tuple[str, str], bytes], tmp_path: Path) -> None:
    from .test_browser import print_to_pdf

    page = tmp_path / "brief.html"
    page.write_bytes(rendered["internal-brief", "html"])
    pages = pdf_pages(print_to_pdf(page, tmp_path / "profile", tmp_path / "brief.pdf"))
    assert len(pages) >= 2
    with pdfplumber.open(tmp_path / "brief.pdf") as pdf:
        for printed in pdf.pages:
            big = "".join(c["text"] for c in printed.chars if c["size"] > 60)
            assert big == "DRAFT"


# -- a reference .docx -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def with_reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("reference")
    reference = docx.Document()
    reference.styles["Heading 1"].font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    reference.styles["Heading 2"].font.color.rgb = RGBColor(0x00, 0x60, 0x30)
    header = reference.sections[0].header.paragraphs[0]
    header.add_run().add_picture(io.BytesIO(CREST), width=Mm(12))
    header.add_run(" Ministry of Defence, Press Division")
    reference.save(str(folder / "ministry.docx"))
    (folder / "theme.yaml").write_text("format: readout-theme/1\nreference_docx: ministry.docx\n")
    theme = load_theme(folder / "theme.yaml")
    doc = readout.load(SEED)
    return {template: readout.render(doc, template, "docx", theme=theme)
            for template in TEMPLATES}


def test_a_reference_docx_gives_its_heading_colours(with_reference: dict[str, bytes]) -> None:
    document = docx.Document(io.BytesIO(with_reference["press-release"]))
    assert document.styles["Heading 1"].font.color.rgb == RGBColor(0xC0, 0x00, 0x00)
    assert document.styles["Heading 2"].font.color.rgb == RGBColor(0x00, 0x60, 0x30)
    headings = [p for p in document.paragraphs if p.style.name == "Heading 2"]
    assert headings and all(not run.font.color.type for p in headings for run in p.runs)


def test_a_style_the_reference_lacks_is_made_from_the_themes_differences(
        with_reference: dict[str, bytes]) -> None:
    document = docx.Document(io.BytesIO(with_reference["press-release"]))
    made = document.styles["Letterhead Organisation"]
    assert made.base_style.name == "Normal"
    assert made.font.bold and made.font.size.pt == 15
    assert made.font.name is None  # the reference's own body font, inherited from Normal


@pytest.mark.parametrize("template", TEMPLATES)
def test_the_reference_header_survives_with_the_templates_own(
        with_reference: dict[str, bytes], template: str) -> None:
    document = docx.Document(io.BytesIO(with_reference[template]))
    section = document.sections[0]
    headers = [section.header]
    if template == "press-release":
        assert section.different_first_page_header_footer
        headers.append(section.first_page_header)
    for header in headers:
        (blip,) = header._element.findall(f".//{qn('a:blip')}")
        assert header.part.related_parts[blip.get(qn("r:embed"))].blob == CREST
        assert "Ministry of Defence, Press Division" in header.paragraphs[0].text
    plain = docx.Document(io.BytesIO(readout.render(readout.load(SEED), template, "docx")))
    assert [p.text for p in section.header.paragraphs[1:]] == [
        p.text for p in plain.sections[0].header.paragraphs]
