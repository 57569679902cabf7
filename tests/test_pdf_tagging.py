"""Tagged PDF (PDF/UA-1), checked as assistive technology reads it: `pdfua check`, poppler's
`pdfinfo -struct-text`, and every operator of every content stream (pikepdf).

Every PDF that every sample renders to, in every template of the registry and in the
series (its members and its digest), is rendered once for this module.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import re
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

import pdfua
import pikepdf
import pymupdf
import pytest

import readout
from readout import NothingPublicError
from readout import tree as t
from readout.rendering import furnished
from readout.templating import available_templates, build_document, describe_template, plain
from readout.themes import load_theme
from readout.writers.headings import HeadingLevels
from readout.writers.pdf import write

from .conftest import SAMPLES, SEED, SERIES, every_node_document, tiny_png
from .tagged_pdf import (
    Node,
    Printed,
    drawing_ops,
    mcid_sequences,
    ministry_theme,
    page_numbers,
    struct_text,
    structure,
)

READOUT_TEMPLATES = [name for name in available_templates()
                     if describe_template(name).renders == "readout"]
SAMPLE_PATHS = sorted(p for p in SAMPLES.glob("*.yaml") if not p.name.endswith(".series.yaml"))
HEADINGS = ("H1", "H2", "H3")


@cache
def every_pdf() -> dict[str, bytes]:
    """Every PDF of every sample in every readout template, and of the sample series."""
    found: dict[str, bytes] = {}
    for path in SAMPLE_PATHS:
        doc = readout.load(path)
        for template in READOUT_TEMPLATES:
            try:
                found[f"{path.stem}.{template}"] = readout.render(doc, template, "pdf")
            except NothingPublicError:
                continue
    out = Path(tempfile.mkdtemp(prefix="readout-tagging-"))
    try:
        report = readout.render_series(SERIES, out, jobs=1, formats=["pdf"])
        assert report.ok, report.failed
        for file in sorted(out.glob("*.pdf")):
            found[f"series/{file.stem}"] = file.read_bytes()
    finally:
        shutil.rmtree(out)
    assert any(name.endswith(".series-digest") for name in found)
    with ministry_theme() as theme:
        for template in ("press-release", "internal-brief"):
            found[f"ministry-theme.{template}"] = readout.render(
                readout.load(SEED), template, "pdf", theme=theme)
    return found


NAMES = sorted(every_pdf())


def opened(name: str) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(every_pdf()[name]))


def pdfinfo_struct(data: bytes) -> Printed:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        result = subprocess.run(["pdfinfo", "-struct-text", handle.name], check=True,
                                capture_output=True, text=True, errors="replace")
    return struct_text(result.stdout)


def norm(text: str) -> str:
    return " ".join(text.split())


# -- pdfua ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_pdfua_finds_nothing_and_skips_no_rule(name: str, tmp_path: Path) -> None:
    path = tmp_path / "x.pdf"
    path.write_bytes(every_pdf()[name])
    report = pdfua.validate(str(path))
    assert [(f.rule_id, f.message) for f in report.findings] == []
    assert [o.rule_id for o in report.outcomes if o.skipped_reason] == []


def test_pdfua_finds_what_an_untagged_build_lacks(tmp_path: Path) -> None:
    """The check above can fail: the same document untagged has findings."""
    path = tmp_path / "x.pdf"
    path.write_bytes(write(every_node_document(), load_theme(), _tagged=False))
    rules = {f.rule_id for f in pdfua.validate(str(path)).findings}
    assert {"UA-01-005", "UA-01-002", "UA-28-004"} <= rules


# -- content streams ----------------------------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_every_drawing_is_tagged_content_or_an_artifact(name: str) -> None:
    with opened(name) as pdf:
        ops = list(drawing_ops(pdf))
        reached = {(page_numbers(pdf)[page], mcid) for node in structure(pdf).walk()
                   for page, mcid in node.mcids}
    assert ops
    loose = [op for op in ops if not op.artifact and op.mcid is None]
    mixed = [op for op in ops if op.artifact and op.mcid is not None]
    unreached = [op for op in ops if op.mcid is not None and (op.page, op.mcid) not in reached]
    assert (loose, mixed, unreached) == ([], [], [])
    assert {op.stream == "page" for op in ops if op.mcid is not None} == {True}  # forms: none


@pytest.mark.parametrize("name", NAMES)
def test_every_mcid_is_unique_on_its_page_and_in_the_tree_once(name: str) -> None:
    with opened(name) as pdf:
        sequences = mcid_sequences(pdf)
        numbers = page_numbers(pdf)
        in_tree = [(numbers[page], mcid) for node in structure(pdf).walk()
                   for page, mcid in node.mcids]
    assert len(sequences) == len(set(sequences))
    assert sorted(in_tree) == sorted(sequences)


@pytest.mark.parametrize("name", NAMES)
def test_the_parent_tree_leads_back_from_content_and_links(name: str) -> None:
    with opened(name) as pdf:
        tree = structure(pdf)
        owner = {(page, mcid): node.obj.objgen for node in tree.walk()
                 for page, mcid in node.mcids}
        link_of = {annot.objgen: node for node in tree.walk() for annot in node.annots}
        nums = list(pdf.Root.StructTreeRoot.ParentTree.Nums)
        parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        assert int(pdf.Root.StructTreeRoot.ParentTreeNextKey) > max(parents)
        for page in pdf.pages:
            assert page.obj.Tabs == "/S"
            marks = parents[int(page.obj.StructParents)]
            for mcid, element in enumerate(marks):
                assert element.objgen == owner[(page.obj.objgen, mcid)]
            for annot in page.obj.get("/Annots", []):
                link = link_of[annot.objgen]
                assert link.role == "Link"
                assert parents[int(annot.StructParent)].objgen == link.obj.objgen
                assert str(annot.Contents).strip()
                assert int(annot.F) & 4  # printed


# -- the structure tree -------------------------------------------------------------------

def check_tree(tree: Node) -> None:
    """The rules of PDF/UA-1's standard structure types that these documents use."""
    assert [kid.role for kid in tree.kids] == ["Document"]
    levels = [int(node.role[1]) for node in tree.walk() if node.role in HEADINGS]
    assert levels[:1] == [1]
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))
    allowed = {"Table": {"THead", "TBody"}, "THead": {"TR"}, "TBody": {"TR"},
               "TR": {"TH", "TD"}, "L": {"LI"}, "LI": {"Lbl", "LBody"}}
    for node in tree.walk():
        if node.role in allowed:
            assert {kid.role for kid in node.kids} <= allowed[node.role], node.role
        if node.role == "TH":
            assert node.obj.A.Scope in ("/Column", "/Row")
        if node.role == "Figure":
            assert str(node.obj.Alt).strip()
        if node.role == "Link":
            assert node.annots
        if node.role in ("P", *HEADINGS, "Lbl", "TD", "TH"):  # inline elements only
            assert not [kid.role for kid in node.kids if kid.role not in ("Link", "Span")]
        if node.role == "Span":  # words in another language
            assert not node.kids and node.mcids and str(node.obj.Lang)
    rows = [node for node in tree.walk() if node.role == "Table"]
    for table in rows:
        widths = {sum(column_span(cell) for cell in row.kids)
                  for part in table.kids for row in part.kids}
        assert len(widths) == 1  # every row has every column


def column_span(cell: Node) -> int:
    return int(cell.obj.A.get("/ColSpan", 1)) if "/A" in cell.obj else 1


@pytest.mark.parametrize("name", NAMES)
def test_the_structure_follows_the_standard_types(name: str) -> None:
    with opened(name) as pdf:
        check_tree(structure(pdf))
        assert pdf.Root.MarkInfo.Marked is True
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        assert re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]+)*", str(pdf.Root.Lang))


def test_the_seed_press_release_reads_as_headings_paragraphs_lists_and_a_figure() -> None:
    doc = readout.load(SEED)
    printed = pdfinfo_struct(every_pdf()[f"{SEED.stem}.press-release"])
    document = printed.kids[0]
    assert document.role == "Document"
    nodes = list(document.walk())
    texts = {role: [norm(n.all_text()) for n in nodes if n.role == role]
             for role in ("H1", "H2", "H3", "P", "Lbl", "LBody", "Figure")}
    def shown(text: str) -> str:  # as printed: straight quotes typed print curly
        return norm(plain(text, doc.language))
    assert texts["H1"] == [shown(doc.title)]
    assert texts["H2"] == [shown(p.heading) for p in doc.key_points] + ["Outcomes", "Background"]
    assert texts["H3"] == [shown(c.heading) for c in doc.context]
    assert shown(doc.summary) in " ".join(texts["P"])
    assert [shown(o.text) for o in doc.outcomes] == texts["LBody"][-len(doc.outcomes):]
    assert set(texts["Lbl"]) == {"•"}
    assert {"L", "LI", "Lbl", "LBody"} <= {n.role for n in nodes}
    figures = [n for n in nodes if n.role == "Figure"]
    assert [f.title for f in figures] == ["Emblem of Government of India"]
    with opened(f"{SEED.stem}.press-release") as pdf:
        alts = [str(n.obj.Alt) for n in structure(pdf).walk() if n.role == "Figure"]
    assert alts == ["Emblem of Government of India"]
    everything = norm(document.all_text())
    assert "Page 1 of" not in everything  # the footer is furniture
    assert everything.count("Ministry of Defence") == norm(
        " ".join(texts["P"])).count("Ministry of Defence")


def test_the_seed_brief_has_its_tables_and_no_banner_in_the_structure() -> None:
    printed = pdfinfo_struct(every_pdf()[f"{SEED.stem}.internal-brief"])
    nodes = list(printed.walk())
    tables = [n for n in nodes if n.role == "Table"]
    assert len(tables) >= 2
    facts = tables[0]
    rows = [[(cell.role, norm(cell.all_text()), cell.attributes) for cell in row.kids]
            for part in facts.kids for row in part.kids]
    assert rows[0] == [("TH", "Kind", ["/Scope /Row"]), ("TD", "Bilateral meeting", [])]
    people = tables[1]
    assert [part.role for part in people.kids] == ["THead", "TBody"]
    header = [(c.role, norm(c.all_text()), c.attributes) for c in people.kids[0].kids[0].kids]
    assert header == [("TH", "Name", ["/Scope /Column"]), ("TH", "Title", ["/Scope /Column"]),
                      ("TH", "Role", ["/Scope /Column"])]
    assert {"TR", "TD"} <= {n.role for n in nodes}
    body = [[(c.role, norm(c.all_text()), c.attributes) for c in row.kids]
            for row in people.kids[1].kids]
    doc = readout.load(SEED)
    sides = list(dict.fromkeys(p.side for p in doc.participants))
    group_rows = [row for row in body if len(row) == 1]
    assert [row[0][0] for row in group_rows] == ["TH"] * len(sides)
    assert [row[0][2] for row in group_rows] == [["/Scope /Column", "/ColSpan 3"]] * len(sides)
    assert [row[0][1] for row in group_rows] == [
        norm(plain(side, doc.language)) for side in sides]
    assert {len(row) for row in body if len(row) != 1} == {3}  # its members: every column
    texts = [norm(n.all_text()) for n in nodes if n.role in ("P", *HEADINGS, "TD", "TH")]
    assert "OFFICIAL" not in texts  # the banners, top and bottom of each page
    assert not [text for text in texts if "Page 1 of" in text]


# -- splitting, repeating, levels, decoration ------------------------------------------------

def long_document() -> t.Document:
    words = " ".join(f"word{i}" for i in range(900))
    rows = tuple(t.Row((t.Cell((t.Text(f"Action {i}"),)), t.Cell((t.Text("Owner"),))))
                 for i in range(60))
    return t.Document(
        metadata=t.Metadata(title="Long", language="en-IN"),
        body=(t.Heading(1, (t.Text("Title"),)), t.Paragraph((t.Text(words),)),
              t.Heading(3, (t.Text("Skipped to three"),)),
              t.Table(widths=(0.5, 0.5), header=t.Row((t.Cell((t.Text("Action"),)),
                                                        t.Cell((t.Text("Owner"),)))), rows=rows),
              t.Heading(2, (t.Text("Back to two"),)),
              t.Image(tiny_png(), 20, alt=""), t.Image(tiny_png(), 20, alt="A chart")))


@pytest.fixture(scope="module")
def long_pdf() -> bytes:
    return write(long_document(), load_theme())


def test_a_paragraph_split_across_pages_is_one_element_with_content_on_each(long_pdf: bytes
                                                                          ) -> None:
    with pikepdf.open(io.BytesIO(long_pdf)) as pdf:
        tree = structure(pdf)
        numbers = page_numbers(pdf)
        paragraphs = [n for n in tree.walk() if n.role == "P"]
        assert len(pdf.pages) >= 3
    assert len(paragraphs) == 1
    assert [numbers[page] for page, _ in paragraphs[0].mcids] == [1, 2]


def test_a_paragraph_split_across_pages_reads_with_a_space_at_every_line_end(
        long_pdf: bytes) -> None:
    printed = pdfinfo_struct(long_pdf)
    texts = [n.all_text() for n in printed.walk() if n.role == "P"]
    assert texts == [" ".join(f"word{i}" for i in range(900))]  # at the page break too


def test_a_header_row_repeated_on_the_next_page_is_an_artifact(long_pdf: bytes) -> None:
    with pikepdf.open(io.BytesIO(long_pdf)) as pdf:
        tree = structure(pdf)
        numbers = page_numbers(pdf)
        heads = [n for n in tree.walk() if n.role == "TH"]
        rows = [n for n in tree.walk() if n.role == "TR"]
        artifact_text_pages = {op.page for op in drawing_ops(pdf)
                               if op.artifact and op.operator in ("Tj", "TJ")}
    assert len(heads) == 2 and len(rows) == 61
    assert {numbers[page] for head in heads for page, _ in head.mcids} == {2}
    assert {3} <= artifact_text_pages  # the header drawn again where the table goes on
    check_tree(tree)


def test_heading_levels_never_skip_in_the_structure_or_the_outline(long_pdf: bytes) -> None:
    with pikepdf.open(io.BytesIO(long_pdf)) as pdf:
        roles = [n.role for n in structure(pdf).walk() if n.role in HEADINGS]
        with pdf.open_outline() as outline:
            top = outline.root
            levels = [(item.title, [kid.title for kid in item.children]) for item in top]
    assert roles == ["H1", "H2", "H2"]
    assert levels == [("Title", ["Skipped to three", "Back to two"])]


def test_heading_levels_map_by_nesting() -> None:
    levels = HeadingLevels()
    assert [levels.level(given) for given in (2, 3, 3, 2, 1, 3, 2, 3)] == [
        1, 2, 2, 1, 1, 2, 2, 3]


def test_an_image_without_alternative_text_is_decoration(long_pdf: bytes) -> None:
    with pikepdf.open(io.BytesIO(long_pdf)) as pdf:
        figures = [str(n.obj.Alt) for n in structure(pdf).walk() if n.role == "Figure"]
        images = [op for op in drawing_ops(pdf) if op.operator == "Do"]
    assert figures == ["A chart"]
    assert [op.artifact for op in images] == [True, False]


def test_a_link_is_a_link_element_under_its_paragraph() -> None:
    document = every_node_document()
    with pikepdf.open(io.BytesIO(write(document, load_theme()))) as pdf:
        tree = structure(pdf)
        annots = [a for page in pdf.pages for a in page.obj.get("/Annots", [])]
        parents = {n.role for n in tree.walk() for kid in n.kids if kid.role == "Link"}
        assert [str(a.Contents) for a in annots] == ["https://example.org/a?b=1&c=2",
                                                     "sibling.internal-brief.pdf"]
    assert parents == {"P"}
    check_tree(tree)


@pytest.mark.parametrize("name", NAMES)
def test_a_links_text_is_inside_its_link_element(name: str) -> None:
    """PDF/UA-1 7.18.5: the Link element holds its annotation and its text (its marked
    content), unless its paragraph is drawn in visual order and read by /ActualText."""
    with opened(name) as pdf:
        tree = structure(pdf)
        read_whole = {id(kid) for node in tree.walk() if "/ActualText" in node.obj
                      for kid in node.walk()}
        links = [node for node in tree.walk() if node.role == "Link"]
        assert all(node.annots for node in links)
        assert [node for node in links if not node.mcids and id(node) not in read_whole] == []


def linked_document() -> t.Document:
    """A link whose text runs over lines, one with words in another language, two to
    the same target."""
    long = " ".join(f"linked{i}" for i in range(40))
    return t.Document(metadata=t.Metadata(title="Links", language="en-IN"), body=(
        t.Heading(1, (t.Text("Links"),)),
        t.Paragraph((t.Text("See "), t.Link("https://example.org/long", (t.Text(long),)),
                     t.Text(" and more.")),),
        t.Paragraph((t.Link("https://example.org/fr", (
            t.Text("le "), t.Text("communiqué", lang="fr"))), t.Text(", "),
            t.Link("mailto:press@example.org", (t.Text("write"),)), t.Text(" or "),
            t.Link("mailto:press@example.org", (t.Text("write again"),)))),
    ))


def test_a_link_over_lines_is_one_element_with_its_text_and_each_lines_annotation(
        ) -> None:
    data = write(linked_document(), load_theme())
    printed = pdfinfo_struct(data)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        tree = structure(pdf)
        links = [n for n in tree.walk() if n.role == "Link"]
        targets = [[str(a.A.URI) for a in n.annots] for n in links]
        check_tree(tree)
    shown = [n for n in printed.walk() if n.role == "Link"]
    long = " ".join(f"linked{i}" for i in range(40))
    assert [squeezed(n.all_text()) for n in shown] == [
        squeezed(long), squeezed("le communiqué"), "write", "writeagain"]
    assert targets[0] == ["https://example.org/long"] * len(targets[0])
    assert len(targets[0]) >= 2  # one annotation for each line, all under the one Link
    assert targets[1:] == [["https://example.org/fr"], ["mailto:press@example.org"],
                           ["mailto:press@example.org"]]
    french = links[1]
    assert [(kid.role, str(kid.obj.Lang)) for kid in french.kids] == [("Span", "fr")]
    paragraphs = [n for n in printed.walk() if n.role == "P"]
    assert squeezed(read_text(paragraphs[0], {})) == squeezed(f"See {long} and more.")


def test_a_language_tag_is_the_catalog_language(long_pdf: bytes) -> None:
    with pikepdf.open(io.BytesIO(long_pdf)) as pdf:
        assert str(pdf.Root.Lang) == "en-IN"


# -- fonts ----------------------------------------------------------------------------------

def base_fonts(data: bytes) -> list[tuple[str, str]]:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        fonts = {}
        for page in pdf.pages:
            for font in page.Resources.get("/Font", {}).values():
                fonts[font.objgen] = (str(font.BaseFont)[1:],
                                      str(font.FontDescriptor.FontName)[1:])
    return sorted(fonts.values())


def test_font_subsets_have_tags_of_their_own() -> None:
    fonts = base_fonts(every_pdf()[f"{SEED.stem}.internal-brief"])
    tags = [base.split("+")[0] for base, _ in fonts]
    assert len(fonts) >= 3
    assert all(re.fullmatch(r"[A-Z]{6}", tag) for tag in tags)
    assert len(set(tags)) == len(tags)
    assert all(base == descriptor for base, descriptor in fonts)
    other = base_fonts(every_pdf()[f"{SEED.stem}.press-release"])
    assert {b for b, _ in other} != {b for b, _ in fonts}  # other text, other subsets


def test_tagged_output_is_byte_identical_for_the_same_input() -> None:
    doc = readout.load(SEED)
    first = readout.render(doc, "press-release", "pdf")
    assert hashlib.sha256(first).digest() == hashlib.sha256(
        readout.render(doc, "press-release", "pdf")).digest()
    assert first == every_pdf()[f"{SEED.stem}.press-release"]


def test_the_content_walk_finds_drawing_that_is_neither() -> None:
    """The walk above can fail: in the untagged build every drawing is loose."""
    data = write(every_node_document(), load_theme(), _tagged=False)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        ops = list(drawing_ops(pdf))
    assert ops and all(not op.artifact and op.mcid is None for op in ops)


def test_a_themes_watermark_and_footer_are_artifacts_and_its_crest_a_figure() -> None:
    data = every_pdf()["ministry-theme.press-release"]
    with pikepdf.open(io.BytesIO(data)) as pdf:
        figures = [str(n.obj.Alt) for n in structure(pdf).walk() if n.role == "Figure"]
        kinds = {str(props.get("/Subtype")) for page in pdf.pages
                 for operands, operator in pikepdf.parse_content_stream(page)
                 if str(operator) == "BDC" and operands[0] == "/Artifact"
                 for props in [operands[1]]}
    assert figures == ["Crest of the Ministry of Defence"]
    assert {"/Watermark", "/Header", "/Footer"} <= kinds
    printed = norm(pdfinfo_struct(data).all_text())
    assert "DRAFT" not in printed and "mod.gov.in" not in printed


def test_a_line_ends_with_the_space_reportlab_dropped_and_only_that() -> None:
    url = "https://pib.gov.in/PressReleasePage.aspx?PRID=2139043"
    words = "Ministers met in Qingdao and agreed to meet again soon"
    document = t.Document(metadata=t.Metadata(title="Lines"), body=(
        t.Table(widths=(0.2, 0.8), header=None, rows=(
            t.Row((t.Cell((t.Text(url),)), t.Cell((t.Text(words),)))),)),))
    printed = pdfinfo_struct(write(document, load_theme()))
    cells = [n.all_text() for n in printed.walk() if n.role in ("TH", "TD")]
    assert cells == [url, words]  # the URL split in a narrow column stays whole


def test_line_spaces_follow_the_source_text() -> None:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    from readout.writers.pdf.tagging import line_spaces

    style = ParagraphStyle("x", fontName="Helvetica", fontSize=10, leading=12)
    para = Paragraph("alpha beta gamma delta epsilon zeta", style)
    para.wrap(60, 1000)
    assert len(para.blPara.lines) > 2
    ends = line_spaces(para, "alpha beta gamma delta epsilon zeta")
    assert ends == [True] * (len(para.blPara.lines) - 1) + [False]
    assert line_spaces(para, None) == []


def test_lines_our_breaker_made_end_at_spaces_and_a_split_parts_are_looked_for() -> None:
    from reportlab.lib.styles import ParagraphStyle

    from readout.writers.pdf.measure import MemoParagraph
    from readout.writers.pdf.tagging import Elem, content, line_spaces, tagged_class

    text = "alpha beta gamma delta epsilon zeta eta theta iota kappa"
    style = ParagraphStyle("x", fontName="Helvetica", fontSize=10, leading=12)
    elem = Elem("P")
    para = content(tagged_class(MemoParagraph)(text, style), elem, source=text)
    para.wrap(60, 1000)
    assert para.at_spaces is para.blPara  # our breaker's lines, not looked for in the text
    assert line_spaces(para, text) == [True] * (len(para.blPara.lines) - 1) + [False]
    first, rest = para.split(60, 40)
    first.wrap(60, 40)
    rest.wrap(60, 1000)
    assert len(first.blPara.lines) > 1 and len(rest.blPara.lines) > 1
    assert first.at_spaces is None and rest.at_spaces is None  # reportlab breaks parts
    assert line_spaces(first, text) == [True] * len(first.blPara.lines)  # more follows
    assert line_spaces(rest, text) == [True] * (len(rest.blPara.lines) - 1) + [False]


# -- the tree, read back -----------------------------------------------------------------

def tree_reading(blocks: tuple[t.Block, ...]) -> tuple[list[str], list[str]]:
    """The text of ``blocks`` in reading order, and the alternative texts of their images
    that have one: what the structure tree must give back."""
    texts: list[str] = []
    alts: list[str] = []
    for block in blocks:
        if isinstance(block, (t.Heading, t.Paragraph)):
            texts.append(t.plain_text(block.children))
        elif isinstance(block, t.BulletList):
            for item in block.items:
                more, images = tree_reading(item)
                texts += more
                alts += images
        elif isinstance(block, t.Table):
            for row in ((block.header,) if block.header else ()) + block.rows:
                texts += [t.plain_text(cell.children) for cell in row.cells]
        elif isinstance(block, (t.Quote, t.Section)):
            more, images = tree_reading(block.children)
            texts += more
            alts += images
            if isinstance(block, t.Quote):
                texts.append(t.plain_text(block.attribution))
        elif isinstance(block, t.Image) and block.alt.strip():
            alts.append(block.alt)
    return texts, alts


def read_text(node: Printed, actual: dict[int, str]) -> str:
    """The text of ``node`` as read, without list labels (the writer's bullets), an
    element's /ActualText (``actual``, by ``id`` of the printed node) for its content."""
    if node.role == "Lbl":
        return ""
    if id(node) in actual:
        return actual[id(node)]
    return "".join(part if isinstance(part, str) else read_text(part, actual)
                   for part in node.content)


def actual_texts(printed: Printed, tree: Node) -> dict[int, str]:
    """The /ActualText of the elements that have one, by ``id`` of their printed node
    (poppler prints the drawn text, in drawing order, a right-to-left line reversed)."""
    shown = [node for node in printed.walk() if node.role != "Object"]
    elements = list(tree.walk())
    assert [node.role for node in shown] == [node.role for node in elements]
    return {id(node): str(element.obj.ActualText) for node, element in zip(
        shown, elements, strict=True) if "/ActualText" in element.obj}


SAMPLE_PDFS = [name for name in NAMES if not name.startswith(("series/", "ministry-theme."))]


@pytest.mark.parametrize("name", SAMPLE_PDFS)
def test_the_structure_reads_the_whole_body_in_order_and_every_image_as_its_figure(
        name: str) -> None:
    stem, template = name.rsplit(".", 1)
    document = build_document(readout.load(SAMPLES / f"{stem}.yaml"), template)
    texts, alts = tree_reading(document.body)
    printed = pdfinfo_struct(every_pdf()[name])
    with opened(name) as pdf:
        tree = structure(pdf)
        actual = actual_texts(printed.kids[0], tree.kids[0])
        figures = [str(n.obj.Alt) for n in tree.walk() if n.role == "Figure"]
    read = read_text(printed.kids[0], actual)
    assert squeezed(read) == squeezed("".join(texts))
    assert figures == alts


def squeezed(text: str) -> str:
    """``text`` without white space and soft hyphens: lines are broken differently."""
    return "".join(char for char in text if not char.isspace() and char != "\u00ad")


def pixels(data: bytes) -> list[bytes]:
    with pymupdf.open(stream=data, filetype="pdf") as pdf:
        return [page.get_pixmap(dpi=50).samples for page in pdf]


@pytest.mark.parametrize("name", SAMPLE_PDFS)
def test_tagging_changes_nothing_a_reader_sees(name: str) -> None:
    """The tagged PDF looks exactly like the same tree written untagged, page by page."""
    stem, template = name.rsplit(".", 1)
    theme = load_theme()
    document = build_document(readout.load(SAMPLES / f"{stem}.yaml"), template, theme=theme)
    untagged = write(furnished(document, theme), theme, _tagged=False)
    assert pixels(every_pdf()[name]) == pixels(untagged)


def test_every_font_of_every_pdf_is_embedded() -> None:
    """PDF/UA-1 7.21.4.1 (checked per clause for PDF/A files in `test_pdf_archival`)."""
    for name in NAMES:
        with opened(name) as pdf:
            resources = [page.Resources for page in pdf.pages] + [
                form.get("/Resources", {}) for page in pdf.pages
                for form in page.Resources.get("/XObject", {}).values()
                if form.get("/Subtype") == "/Form"]
            fonts = [font for res in resources for font in res.get("/Font", {}).values()]
            assert fonts, name
            for font in fonts:
                assert "/FontFile2" in font.FontDescriptor, (name, str(font.BaseFont))
