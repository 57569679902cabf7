"""Accessible DOCX, checked on the package as Word's accessibility checker and a screen
reader read it: heading levels (outline levels) that never skip, header rows marked,
alternative text on every picture, the document language, the title.

Every DOCX that every sample renders to, in every template of the registry and in the
series (its members and its digest), is rendered once for this module.
"""

from __future__ import annotations

import io
import itertools
import shutil
import tempfile
from functools import cache
from pathlib import Path

import docx
import pytest
from lxml import etree

import readout
from readout import NothingPublicError
from readout import tree as t
from readout.series import load_series, validate_member
from readout.templating import available_templates, build_document, describe_template
from readout.themes import load_theme
from readout.writers.docx import write

from .conftest import SAMPLES, SERIES, tiny_png
from .extract import docx_parts

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
NS = {"w": W, "wp": WP}
READOUT_TEMPLATES = [name for name in available_templates()
                     if describe_template(name).renders == "readout"]
SAMPLE_PATHS = sorted(p for p in SAMPLES.glob("*.yaml") if not p.name.endswith(".series.yaml"))


@cache
def every_docx() -> dict[str, tuple[bytes, t.Document | None, str]]:
    """name: (DOCX bytes, its document tree when a sample's, the readout's language)."""
    found: dict[str, tuple[bytes, t.Document | None, str]] = {}
    for path in SAMPLE_PATHS:
        doc = readout.load(path)
        for template in READOUT_TEMPLATES:
            try:
                data = readout.render(doc, template, "docx")
            except NothingPublicError:
                continue
            found[f"{path.stem}.{template}"] = (data, build_document(doc, template),
                                                doc.language)
    series = load_series(SERIES)
    members = {m.output_id: validate_member(m, None, series.scheme)[0] for m in series.members}
    out = Path(tempfile.mkdtemp(prefix="readout-docx-a11y-"))
    try:
        assert readout.render_series(SERIES, out, jobs=1, formats=["docx"]).ok
        for file in sorted(out.glob("*.docx")):
            member_id, template = file.stem.rsplit(".", 1)
            member = members.get(member_id)
            tree = build_document(member, template) if member is not None else None
            found[f"series/{file.stem}"] = (file.read_bytes(), tree,
                                            member.language if member else "en-IN")
    finally:
        shutil.rmtree(out)
    assert any(tree is None for _, tree, _ in found.values())  # the digest
    return found


NAMES = sorted(every_docx())


def xml(data: bytes, part: str) -> etree._Element:
    return etree.fromstring(docx_parts(data)[part])


def outline_levels(data: bytes) -> list[tuple[int, str]]:
    """(outline level, text) of each body paragraph that has one, its own or its
    style's (through basedOn), in order: what Word's navigation pane lists."""
    styles = xml(data, "word/styles.xml")
    own: dict[str, tuple[int | None, str | None]] = {}
    for style in styles.iterfind("w:style", NS):
        level = style.find("w:pPr/w:outlineLvl", NS)
        based = style.find("w:basedOn", NS)
        own[style.get(f"{{{W}}}styleId")] = (
            int(level.get(f"{{{W}}}val")) if level is not None else None,
            based.get(f"{{{W}}}val") if based is not None else None)

    def of_style(style_id: str | None) -> int | None:
        seen = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            level, style_id = own.get(style_id, (None, None))
            if level is not None:
                return level
        return None

    found = []
    for para in xml(data, "word/document.xml").iterfind(".//w:body/w:p", NS):
        level_el = para.find("w:pPr/w:outlineLvl", NS)
        style = para.find("w:pPr/w:pStyle", NS)
        level = (int(level_el.get(f"{{{W}}}val")) if level_el is not None
                 else of_style(style.get(f"{{{W}}}val") if style is not None else "Normal"))
        if level is not None and level < 9:
            found.append((level, "".join(para.itertext())))
    return found


@pytest.mark.parametrize("name", NAMES)
def test_heading_levels_start_at_one_and_never_skip(name: str) -> None:
    levels = [level for level, _ in outline_levels(every_docx()[name][0])]
    assert levels[:1] == [0]
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))


def test_the_press_release_title_is_the_first_heading_and_its_sections_the_second() -> None:
    data, _, _ = every_docx()["2025-06-26-qingdao-in-ru.press-release"]
    document = docx.Document(io.BytesIO(data))
    title = next(p for p in document.paragraphs if p.style.name == "Title")
    levels = outline_levels(data)
    assert levels[0] == (0, title.text)
    assert {level for level, _ in levels[1:]} == {1, 2}
    assert [p.style.name for p in document.paragraphs if p.text == levels[1][1]] == [
        "Heading 2"]  # the look stays the theme's; the level is the reader's


def tree_tables(blocks: tuple[t.Block, ...]) -> list[t.Table]:
    return [block for block in t.blocks_within(blocks) if isinstance(block, t.Table)]


@pytest.mark.parametrize("name", NAMES)
def test_header_rows_are_marked_and_key_value_tables_head_their_rows(name: str) -> None:
    data, document, _ = every_docx()[name]
    tables = xml(data, "word/document.xml").findall(".//w:body/w:tbl", NS)
    marked = [[row.find("w:trPr/w:tblHeader", NS) is not None
               for row in table.iterfind("w:tr", NS)] for table in tables]
    first_column = [table.find("w:tblPr/w:tblLook", NS).get(f"{{{W}}}firstColumn")
                    for table in tables]
    if document is None:  # the digest: every table has a header row
        expected = [True] * len(tables)
    else:
        expected = [table.header is not None for table in tree_tables(document.body)]
    assert [rows[0] for rows in marked] == expected
    assert all(not any(rows[1:]) for rows in marked)  # only the header row repeats
    assert first_column == ["0" if head else "1" for head in expected]


@pytest.mark.parametrize("name", NAMES)
def test_every_picture_has_alternative_text(name: str) -> None:
    parts = docx_parts(every_docx()[name][0])
    pictures = [pr for part, content in parts.items()
                if part.startswith("word/") and part.endswith(".xml")
                for pr in etree.fromstring(content).iterfind(".//wp:docPr", NS)]
    assert all(pr.get("descr", "").strip() for pr in pictures)
    if name == "2025-06-26-qingdao-in-ru.press-release":
        assert [pr.get("descr") for pr in pictures][:1] == ["Emblem of Government of India"]


@pytest.mark.parametrize("name", NAMES)
def test_the_language_is_the_document_default_and_the_title_a_core_property(name: str
                                                                            ) -> None:
    data, document, language = every_docx()[name]
    lang = xml(data, "word/styles.xml").find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert lang is not None and lang.get(f"{{{W}}}val") == language
    core = docx.Document(io.BytesIO(data)).core_properties
    assert core.language == language
    assert core.title and (document is None or core.title == document.metadata.title)


def test_a_picture_without_alternative_text_is_marked_decorative() -> None:
    document = t.Document(metadata=t.Metadata(title="x"),
                          body=(t.Image(tiny_png(), 20, alt=""),
                                t.Image(tiny_png(), 20, alt="A chart")))
    pictures = xml(write(document, load_theme()), "word/document.xml").findall(
        ".//wp:docPr", NS)
    decorative = [pr.find(".//{*}decorative") is not None for pr in pictures]
    assert decorative == [True, False]
    assert pictures[1].get("descr") == "A chart"


def test_skipped_heading_levels_are_read_without_the_skip() -> None:
    document = t.Document(metadata=t.Metadata(title="x"), body=(
        t.Heading(1, (t.Text("One"),)), t.Heading(3, (t.Text("Three"),)),
        t.Heading(2, (t.Text("Two"),))), header=(t.Heading(2, (t.Text("Running"),)),))
    levels = outline_levels(write(document, load_theme()))
    assert levels == [(0, "One"), (1, "Three"), (1, "Two")]


def test_the_samples_of_indian_issuers_are_in_indian_english() -> None:
    languages = {name: language for name, (_, _, language) in every_docx().items()}
    assert languages["2025-06-26-qingdao-in-ru.press-release"] == "en-IN"
