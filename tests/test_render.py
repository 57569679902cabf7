"""Acceptance tests of rendering: readouts in, press releases and briefs out, as a reader
sees them (text extracted with pdfplumber and python-docx, links, metadata, pages).

Every document is rendered once per module (`rendered`) and reused by the tests.
"""

from __future__ import annotations

import copy
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import docx
import pdfplumber
import pytest
import yaml
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

import readout
from readout import NothingPublicError, Readout
from readout.fontchain import chain_characters, chain_of
from readout.templating import available_templates, build_document, describe_template, quoted
from readout.themes import load_theme
from readout.typography import typographic
from readout.writers import FORMATS

from .conftest import MINIMAL, ROOT, SAMPLES, SEED, SEED_FACTS
from .extract import (
    docx_furniture,
    docx_header_rows,
    docx_paragraphs,
    docx_parts,
    docx_row_cells,
    docx_words,
    html_page,
    is_furniture_line,
    link_targets,
    page_texts,
    pdf_link_targets,
    pdf_pages,
    pdf_raw_strings,
    pdf_text,
    raw_strings,
    visible_text,
)
from .extract import words_of as read_words

SAMPLE_PATHS = sorted(p for p in SAMPLES.glob("*.yaml") if not p.name.endswith(".series.yaml"))


def _reads_word_by_word(path: Path) -> bool:
    """Whether pdfplumber's words of this sample's PDF are its words in reading order:
    not for right-to-left text (drawn in visual order, each Arabic letter a base and a
    mark) nor for Chinese (no spaces between words); test_scripts reads those back."""
    text = path.read_text(encoding="utf-8")
    return not re.search("[\u0600-\u06ff\u4e00-\u9fff]", text)


WORD_SAMPLES = [p for p in SAMPLE_PATHS if _reads_word_by_word(p)]
PLENARY = SAMPLES / "2025-06-25-sco-plenary.yaml"
# Every readout template of the registry, so that a new one meets every test here.
TEMPLATES = tuple(t for t in available_templates() if describe_template(t).renders == "readout")
PUBLIC = tuple(t for t in TEMPLATES if describe_template(t).audience == "public")
OTHER_FORMATS = tuple(f for f in FORMATS if f != "pdf")  # each read against the PDF
A4 = (595.28, 841.89)  # points
MM = 72 / 25.4


def norm(text: str) -> str:
    return " ".join(text.split())


def printed(text: str, language: str = "en") -> str:
    """User ``text`` as every document prints it: its straight quotes and apostrophes as
    the marks of ``language`` (SPEC section 3)."""
    return typographic(text, language)


@cache
def sample(path: Path) -> Readout:
    return readout.load(path)


@cache
def rendered(path: Path, template: str, fmt: str) -> bytes:
    return readout.render(sample(path), template, fmt)


def render_all(doc: Readout, templates: tuple[str, ...] = TEMPLATES
               ) -> dict[tuple[str, str], bytes]:
    return {(t, f): readout.render(doc, t, f) for t in templates for f in FORMATS}


def furniture_lines(doc: Readout, template: str) -> frozenset[str]:
    """The texts of the page furniture of page 1 of ``doc``'s ``template``: what a
    plain-text document prints above and below its body."""
    document = build_document(doc, template)
    top = document.header if document.first_header is None else document.first_header
    blocks = (*top, *document.footer)
    return frozenset(" ".join(readout.tree.plain_text(block.children).split())
                     for block in blocks if isinstance(block, readout.tree.Paragraph))


def words_of(data: bytes, fmt: str, furniture: frozenset[str] = frozenset()) -> list[str]:
    return read_words(data, fmt, furniture=furniture)


def text_of(data: bytes, fmt: str) -> str:
    """Everything a reader of the body sees, whitespace normalised."""
    return " ".join(words_of(data, fmt))


def minimal_dict() -> dict[str, Any]:
    return yaml.safe_load(MINIMAL)


# -- 1. parity ---------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", OTHER_FORMATS)
@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("path", WORD_SAMPLES, ids=lambda p: p.stem)
def test_every_format_carries_the_words_of_the_pdf_in_the_same_order(
        path: Path, template: str, fmt: str) -> None:
    docx_data = rendered(path, template, "docx")
    pdf_words = read_words(rendered(path, template, "pdf"), "pdf",
                           repeated_headers=docx_header_rows(docx_data))
    other = words_of(rendered(path, template, fmt), fmt,
                     furniture_lines(sample(path), template))
    assert len(pdf_words) > 50  # the shortest sample, a real PIB release, has 90 words
    if pdf_words != other:  # show where they part, not two walls of words
        pairs = zip([*pdf_words, ""], [*other, ""], strict=False)
        at = next(i for i, (a, b) in enumerate(pairs) if a != b)
        pytest.fail(f"first difference at word {at}: PDF {pdf_words[at - 5:at + 5]} "
                    f"{fmt} {other[at - 5:at + 5]}")


def test_the_parity_test_reads_every_format_of_the_registry() -> None:
    """A writer added to the registry must bring a reader, or the parity test fails."""
    data = rendered(SEED, "press-release", "pdf")
    for fmt in FORMATS:
        assert len(read_words(rendered(SEED, "press-release", fmt), fmt)) > 100, fmt
    assert read_words(data, "pdf")[:3] == ["Government", "of", "India"]


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("path", WORD_SAMPLES, ids=lambda p: p.stem)
def test_what_the_parity_check_leaves_out_of_the_pdf_is_only_page_furniture(
        path: Path, template: str) -> None:
    doc = sample(path)
    allowed = {doc.internal_marking, doc.issuer.organisation}
    for number, page in enumerate(pdf_pages(rendered(path, template, "pdf")), 1):
        top = [w for w in page.words if w.bottom <= 60]
        bottom = [w for w in page.words if w.top >= page.height - 60]
        lines = {norm(" ".join(w.text for w in ws if round(w.top) == key))
                 for ws in (top, bottom) for key in {round(w.top) for w in ws}}
        for line in lines:
            assert line in allowed or is_furniture_line(line), (number, line)
        assert any(is_furniture_line(line) and str(number) in line for line in lines)


@pytest.mark.parametrize("path", WORD_SAMPLES, ids=lambda p: p.stem)
def test_line_wrapping_never_breaks_a_word(path: Path) -> None:
    """Every word the PDF shows is a whole word of the DOCX: nothing hyphenated or split."""
    for template in TEMPLATES:
        pdf_words = set(read_words(rendered(path, template, "pdf"), "pdf"))
        docx_all = set(docx_words(rendered(path, template, "docx")))
        assert pdf_words - docx_all == set()


def test_hyphenated_compounds_wrap_whole_in_body_text_and_table_cells() -> None:
    """Lines break at spaces only: no hyphenation, no split at a word's own hyphen.

    (A single word wider than its whole column is the exception: reportlab must then
    split it, and its halves extract as two words. Column-sized words stay whole.)
    """
    compounds = ("capability-building interoperability counter-terrorism "
                 "co-development-and-co-production Humanitarian-Assistance "
                 "internationalisation Su-30MKI-upgrades ") * 6
    narrow = compounds.replace("co-development-and-co-production ", "")
    data = minimal_dict()
    data["classification"] = "OFFICIAL"
    data["face_classification"] = "PUBLIC"
    data["key_points"][0]["classification"] = "PUBLIC"
    data["key_points"][0]["body"] = compounds
    data["outcomes"][0]["owner"] = narrow  # the action table's narrow owner column
    doc = readout.from_dict(data)
    for template in TEMPLATES:
        text = text_of(readout.render(doc, template, "pdf"), "pdf")
        assert norm(compounds) in text
        if describe_template(template).audience == "internal":
            assert norm(narrow) in text


# -- 2. the seed's facts -----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_fact_of_the_seed_is_in_its_press_release(fmt: str) -> None:
    text = text_of(rendered(SEED, "press-release", fmt), fmt)
    missing = [fact for fact in SEED_FACTS if norm(printed(fact)) not in text]
    assert missing == []


# -- 3. canaries: internal text never reaches a press release ---------------------------------

BRIEF_CANARIES = {
    "reference": "ZQBriefReference",
    "version": "ZQBriefVersion",
    "purpose": "ZQBriefPurpose",
    "talking_points": ["ZQTalkingPointOne", "ZQTalkingPointTwo"],
    "follow_up": ["ZQFollowUp", {"text": "ZQFollowUpAction", "owner": "ZQFollowUpOwner",
                                 "due": "2025-12-31", "status": "open"}],
    "prepared_by": "ZQPreparedBy",
    "cleared_by": "ZQClearedBy",
    "distribution": ["ZQDistribution"],
}


def portion(tag: str, marking: str | None) -> tuple[dict[str, Any], dict[str, Any],
                                                      dict[str, Any]]:
    """A key point, an outcome and a context entry full of canaries named ``tag``."""
    key_point: dict[str, Any] = {
        "heading": f"ZQ{tag}Heading", "body": f"Body ZQ{tag}Body.",
        "bullets": [f"ZQ{tag}Bullet", {"text": f"ZQ{tag}Parent", "bullets": [f"ZQ{tag}Sub"]}],
        "quotes": [{"speaker": "Andrey Belousov", "text": f"ZQ{tag}Quote"}]}
    outcome: dict[str, Any] = {"text": f"ZQ{tag}Outcome", "type": "action",
                               "owner": f"ZQ{tag}Owner", "due": "2025-12-31"}
    context: dict[str, Any] = {"heading": f"ZQ{tag}Context", "body": f"ZQ{tag}ContextBody",
                               "bullets": [f"ZQ{tag}ContextBullet"]}
    if marking:
        for item in (key_point, outcome, context):
            item["classification"] = marking
    return key_point, outcome, context


def canary_readouts() -> dict[str, tuple[Readout, list[str]]]:
    """Readouts with canaries in every internal-only place, and those canaries."""
    out: dict[str, tuple[Readout, list[str]]] = {}

    def build(classification: str, portions: list[tuple[str, str | None]],
              tags: bool) -> tuple[Readout, list[str]]:
        data = minimal_dict()
        data["classification"] = classification
        data["face_classification"] = "PUBLIC"
        data["key_points"][0]["classification"] = "PUBLIC"
        data["outcomes"][0]["classification"] = "PUBLIC"
        data["brief"] = copy.deepcopy(BRIEF_CANARIES)
        canaries = [v for value in BRIEF_CANARIES.values()
                    for v in (value if isinstance(value, list) else [value])
                    if isinstance(v, str)] + ["ZQFollowUpAction", "ZQFollowUpOwner"]
        for tag, marking in portions:
            key_point, outcome, context = portion(tag, marking)
            data["key_points"].append(key_point)
            data["outcomes"].append(outcome)
            data.setdefault("context", []).append(context)
            canaries += [f"ZQ{tag}{part}" for part in (
                "Heading", "Body", "Bullet", "Parent", "Sub", "Quote", "Outcome", "Owner",
                "Context", "ContextBody", "ContextBullet")]
        if tags:
            data["tags"] = ["ZQTagOfficial"]
            canaries.append("ZQTagOfficial")
        return readout.from_dict(data), canaries

    out["official-unmarked"] = build("OFFICIAL", [("Unmarked", None)], tags=True)
    out["sensitive-marked"] = build("OFFICIAL-SENSITIVE", [
        ("Official", "OFFICIAL"), ("Sensitive", "OFFICIAL-SENSITIVE"),
        ("SensUnmarked", None)], tags=True)
    out["public-with-brief"] = build("PUBLIC", [], tags=False)
    return out


@cache
def canary_outputs() -> dict[str, tuple[list[str], dict[tuple[str, str], bytes]]]:
    return {name: (canaries, render_all(doc))
            for name, (doc, canaries) in canary_readouts().items()}


def leaks(canary: str, blob: bytes) -> bool:
    return any(form in blob for form in (canary.encode("utf-8"), canary.encode("utf-16-be")))


def pdf_metadata_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    meta = reader.metadata or {}
    outline = outline_titles(reader)
    return " ".join([*(str(v) for v in meta.values()), *outline])


def outline_titles(reader: PdfReader) -> list[str]:
    titles: list[str] = []

    def walk(items: Any) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(str(item.title))

    walk(reader.outline)
    return titles


def docx_metadata_text(data: bytes) -> str:
    props = docx.Document(io.BytesIO(data)).core_properties
    return " ".join(str(getattr(props, name) or "") for name in (
        "title", "subject", "author", "keywords", "comments", "category", "language"))


def metadata_text(data: bytes, fmt: str) -> str:
    if fmt == "pdf":
        return pdf_metadata_text(data)
    if fmt == "docx":
        return docx_metadata_text(data)
    if fmt == "html":
        page = html_page(data)
        return " ".join([page.title, *page.meta.values()])
    return ""  # plain text has no properties


@pytest.mark.parametrize("case", ["official-unmarked", "sensitive-marked", "public-with-brief"])
def test_internal_text_is_in_the_brief_and_never_in_the_press_release(case: str) -> None:
    canaries, outputs = canary_outputs()[case]
    for fmt, public in ((f, p) for f in FORMATS for p in PUBLIC):
        brief = outputs[("internal-brief", fmt)]
        release = outputs[(public, fmt)]
        brief_text = " ".join(read_words(brief, fmt))
        release_text = visible_text(release, fmt)
        release_meta = metadata_text(release, fmt)
        release_raw = raw_strings(release, fmt)
        absent_from_brief = [c for c in canaries if c not in brief_text
                             and not c.startswith("ZQTag")]
        assert absent_from_brief == [], fmt
        # the raw scan can see strings at all: the brief's own canaries show up in it
        brief_raw = raw_strings(brief, fmt)
        seen_raw = [c for c in canaries if leaks(c, brief_raw)]
        if fmt in ("docx", "html"):  # tags are keywords: a property of the file
            assert seen_raw == canaries, fmt
        elif fmt == "txt":
            assert seen_raw == [c for c in canaries if not c.startswith("ZQTag")]
        elif case != "public-with-brief":  # headings are outline entries: strings
            assert "ZQTagOfficial" in seen_raw and any("Heading" in c for c in seen_raw)
        shown = [c for c in canaries if c in release_text or c in release_meta
                 or leaks(c, release_raw)]
        assert shown == [], (public, fmt)
        # the public portions are still there: the release is not simply empty
        assert "Defence partnership" in release_text


def test_tags_are_keywords_of_a_public_readout_only() -> None:
    _, official = canary_outputs()["official-unmarked"]
    assert "ZQTagOfficial" not in pdf_metadata_text(official[("press-release", "pdf")])
    seed_pdf = PdfReader(io.BytesIO(rendered(SEED, "press-release", "pdf"))).metadata
    assert seed_pdf is not None and "S-400" in str(seed_pdf.get("/Keywords"))
    seed_docx = docx.Document(io.BytesIO(rendered(SEED, "press-release", "docx")))
    assert "S-400" in seed_docx.core_properties.keywords


# -- 4. banners --------------------------------------------------------------------------------


@pytest.mark.parametrize("path", SAMPLE_PATHS, ids=lambda p: p.stem)
def test_the_brief_banner_is_at_the_top_and_bottom_of_every_pdf_page(path: Path) -> None:
    marking = sample(path).internal_marking
    pages = pdf_pages(rendered(path, "internal-brief", "pdf"))
    assert len(pages) >= (2 if path == PLENARY else 1)  # the plenary's brief runs on
    for number, page in enumerate(pages, 1):
        body = [w for w in page.words if 70 < w.top < page.height - 70]
        first_body = min(w.top for w in body)
        last_body = max(w.bottom for w in body)
        above = [w.text for w in page.words if w.bottom <= first_body and w.top < 24 * MM]
        below = [w.text for w in page.words if w.top >= last_body
                 and w.bottom > page.height - 22 * MM]
        assert marking in above, (number, above)
        assert marking in below, (number, below)


@pytest.mark.parametrize("path", SAMPLE_PATHS, ids=lambda p: p.stem)
def test_the_brief_banner_is_in_the_docx_header_and_footer(path: Path) -> None:
    marking = sample(path).internal_marking
    furniture = docx_furniture(rendered(path, "internal-brief", "docx"))
    assert marking in furniture["header"]
    assert marking in furniture["footer"]


@pytest.mark.parametrize("path", SAMPLE_PATHS, ids=lambda p: p.stem)
def test_the_brief_banner_is_above_and_below_the_web_page_and_on_every_printed_page(
        path: Path) -> None:
    marking = sample(path).internal_marking
    data = rendered(path, "internal-brief", "html")
    page = html_page(data)
    furniture = {part: " ".join("".join(texts).split())
                 for part, texts in page.furniture.items()}
    assert furniture == {"header": marking, "footer": marking}
    top = re.search(r"@top-center\{content:([^;]*);", page.style)
    bottom = re.search(r"@bottom-center\{content:([^;]*);", page.style)
    assert top is not None and bottom is not None
    assert css_text(top.group(1)) == marking
    assert css_text(bottom.group(1)).startswith(marking + "\n")
    assert "counter(page)" in bottom.group(1) and "counter(pages)" in bottom.group(1)


def css_text(content: str) -> str:
    """The strings of a CSS ``content`` value, escapes decoded, counters left out."""
    strings = re.findall(r'"((?:[^"\\]|\\.)*)"', content)
    return "".join(re.sub(r"\\([0-9a-f]{1,6}) ?", lambda m: chr(int(m.group(1), 16)), part)
                   for part in strings)


@pytest.mark.parametrize("path", SAMPLE_PATHS, ids=lambda p: p.stem)
def test_the_brief_banner_is_the_first_and_last_line_of_the_text(path: Path) -> None:
    marking = sample(path).internal_marking
    lines = rendered(path, "internal-brief", "txt").decode("utf-8").splitlines()
    assert lines[0].strip() == marking and lines[-1].strip() == marking
    assert lines[1] == "" and lines[-2] == ""
    assert [line for line in lines if "Page " in line and " of " in line] == []


def test_a_public_release_has_no_marking_line_and_no_page_furniture() -> None:
    text = rendered(SEED, "press-release", "txt").decode("utf-8")
    assert text.splitlines()[0].strip() == "Government of India"
    assert text.splitlines()[-1] == "Telephone: +91 11 0000 0000"
    page = html_page(rendered(SEED, "press-release", "html"))
    assert page.furniture == {"header": [], "footer": []}
    assert "Page" not in " ".join(page.article)


def test_the_banner_is_the_first_and_last_lines_of_every_brief_page() -> None:
    data = minimal_dict()
    data["classification"] = "OFFICIAL-SENSITIVE"
    data["key_points"][0]["classification"] = "PUBLIC"
    data["outcomes"][0]["classification"] = "PUBLIC"
    doc = readout.from_dict(data)
    pdf = readout.render(doc, "internal-brief", "pdf")
    for page in pdf_pages(pdf):
        assert page.lines()[0] == "OFFICIAL-SENSITIVE"
        assert "OFFICIAL-SENSITIVE" in page.lines()[-2:]


# -- 5. hostile input --------------------------------------------------------------------------

HOSTILE = [
    "<b>x</b>", "<para>", "&amp;", "& alone", '"quotes"', "'single'", "{{ 7*7 }}",
    "{% if 1 %}x{% endif %}", "नमस्ते · Привет · Ελλάδα", "[x](javascript:alert(1))",
    "[p](file:///etc/passwd)", "/etc/passwd", "<script>alert(1)</script>",
    "<a href=\"javascript:alert(2)\">click</a>", "${HOME} $(id) `id`",
]


def cve_payload(marker: Path) -> str:
    return ('<font color="[[[getattr(pow, Word(\'__globals__\'))[\'os\'].system('
            f"'touch {marker}')]]]\">exploit</font>")


def hostile_readout(marker: Path, secret: Path) -> tuple[Readout, list[str]]:
    texts = [*HOSTILE, cve_payload(marker), f"see {secret}", f"[s](file://{secret})"]
    data = minimal_dict()
    data["title"] = "Title " + texts[0] + " " + texts[6]
    data["summary"] = "\n\n".join(texts)
    data["issuer"]["organisation"] = "Ministry <b>of</b> & Defence"
    point = data["key_points"][0]
    point["heading"] = "Heading {{ 7*7 }} <para>"
    point["body"] = "\n\n".join(reversed(texts))
    point["bullets"] = texts
    point["quotes"][0]["text"] = texts[-4]
    data["outcomes"][0]["text"] = texts[9]
    data["context"] = [{"heading": texts[7], "body": "\n\n".join(texts)}]
    data["brief"] = {"purpose": "\n\n".join(texts), "talking_points": texts,
                     "reference": texts[2], "prepared_by": texts[4]}
    return readout.from_dict(data), texts


@pytest.fixture
def short_tmp() -> Iterator[Path]:
    """A temporary folder with a short path: a path wider than a line must wrap."""
    folder = Path(tempfile.mkdtemp(prefix="rd", dir="/tmp"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_hostile_text_prints_literally_and_runs_nothing(short_tmp: Path) -> None:
    marker = short_tmp / "readout-pwned-XXXX"
    secret = short_tmp / "secret.txt"
    secret.write_text("TOPSECRETCONTENT")
    opened: list[str] = []
    watch = str(secret)

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if event == "open" and args and watch in str(args[0]):
            opened.append(str(args[0]))

    sys.addaudithook(hook)
    doc, texts = hostile_readout(marker, secret)
    outputs = render_all(doc)
    watch = "\0never"  # the hook stays installed for the process: make it inert
    assert opened == []
    assert not marker.exists()
    for (template, fmt), data in outputs.items():
        shown = text_of(data, fmt)
        for text in texts:
            assert norm(printed(text)) in shown, (template, fmt, text)
        assert "49" not in shown.replace("2025", "")
        assert "TOPSECRETCONTENT" not in shown
        if fmt == "docx":  # each paragraph of the key point's body comes back exactly
            paragraphs = docx_paragraphs(data)
            assert [text for text in texts if printed(text) not in paragraphs] == []
            assert "Title <b>x</b> {{ 7*7 }}" in paragraphs
        if fmt == "html":  # the markup is text: escaped, never an element
            assert b"<script" not in data.lower() and b"&lt;script&gt;" in data
            assert html_page(data).title == "Title <b>x</b> {{ 7*7 }}"
    for template in TEMPLATES:
        furniture = furniture_lines(doc, template)
        for fmt in OTHER_FORMATS:
            assert words_of(outputs[(template, "pdf")], "pdf") == \
                words_of(outputs[(template, fmt)], fmt, furniture), (template, fmt)


# The elements and attributes the HTML writer makes; hostile text must add none.
HTML_TAGS = {"html", "head", "meta", "title", "style", "body", "main", "article", "header",
             "footer", "h1", "h2", "h3", "p", "strong", "em", "span", "a", "br", "ul", "li",
             "table", "colgroup", "col", "thead", "tbody", "tr", "th", "td", "blockquote",
             "figure", "figcaption", "img", "div", "hr"}
HTML_ATTRIBUTES = {"lang", "dir", "charset", "name", "content", "http-equiv", "class",
                   "href", "src", "alt", "width", "height", "scope", "colspan"}


def test_hostile_text_makes_no_dangerous_link(tmp_path: Path) -> None:
    doc, _ = hostile_readout(tmp_path / "m", tmp_path / "s")
    for (_, fmt), data in render_all(doc).items():
        targets = link_targets(data, fmt)
        assert not [t for t in targets if "javascript" in t.lower() or t.startswith("file:")]
        if fmt == "html":
            page = html_page(data)
            assert {tag for tag, _ in page.tags} <= HTML_TAGS
            assert {name for _, attrs in page.tags for name in attrs} <= HTML_ATTRIBUTES
            assert all(t.startswith(("https://", "http://", "mailto:")) for t in targets)
            assert all(image["src"].startswith("data:image/") for image in page.images)
        if fmt == "pdf":
            raw = pdf_raw_strings(data).lower()
            assert b"/javascript" not in raw and b"/js " not in raw and b"/launch" not in raw
            # The literal text "[x](javascript:...)" is printed, as typed; what must not
            # exist is a link or an action that would run it.
            assert not re.search(rb"/uri\s*\(\s*javascript", raw)
            assert not re.search(rb"/s\s*/javascript", raw)
        elif fmt == "docx":
            assert b"javascript:" not in b"".join(
                part for name, part in docx_parts(data).items() if name.endswith(".rels"))


# -- 6. any Latin, Cyrillic or Greek text ------------------------------------------------------

PRINTABLE = chain_characters(chain_of(load_theme(), "body"))
LETTERS = st.one_of(
    st.characters(min_codepoint=0x41, max_codepoint=0x24F, categories=("Lu", "Ll")),
    st.characters(min_codepoint=0x400, max_codepoint=0x4FF, categories=("Lu", "Ll")),
    st.characters(min_codepoint=0x370, max_codepoint=0x3FF, categories=("Lu", "Ll")),
).filter(lambda char: ord(char) in PRINTABLE)  # Coptic letters in the Greek block: no font
WORD = st.text(LETTERS, min_size=1, max_size=12)
PUNCTUATION = st.sampled_from(list(".,;:!?-\u2013\u2014'\"«»()"))
PLAIN_TEXT = st.lists(st.tuples(WORD, st.one_of(st.just(""), PUNCTUATION)),
                      min_size=1, max_size=8).map(
    lambda pairs: " ".join(word + mark for word, mark in pairs))
MARKUP_CHARS = st.sampled_from([*"*_[]()\\<>&{}%#`!\"'/:", "**", "](", "{{", "{%", "&amp;",
                                "<b>", "\n\n"])
MARKUP_TEXT = st.lists(st.one_of(WORD, MARKUP_CHARS, st.just(" ")), min_size=1,
                       max_size=20).map("".join).filter(lambda s: s.strip() != "")

FIELDS = ("title", "summary", "heading", "body", "bullet", "quote", "outcome", "context",
          "context_body", "name", "purpose", "talking_point")


def generated(texts: dict[str, str]) -> Readout:
    data = minimal_dict()
    data["title"] = texts["title"]
    data["summary"] = texts["summary"]
    data["participants"][1]["name"] = texts["name"]
    point = data["key_points"][0]
    point.update(heading=texts["heading"], body=texts["body"], bullets=[texts["bullet"]],
                 quotes=[{"speaker": texts["name"], "text": texts["quote"]}])
    data["outcomes"][0]["text"] = texts["outcome"]
    data["context"] = [{"heading": texts["context"], "body": texts["context_body"]}]
    data["brief"] = {"purpose": texts["purpose"], "talking_points": [texts["talking_point"]]}
    return readout.from_dict(data)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.fixed_dictionaries({name: PLAIN_TEXT for name in FIELDS}))
def test_any_latin_cyrillic_or_greek_text_comes_back_word_for_word(texts: dict[str, str]) -> None:
    doc = generated(texts)
    outputs = render_all(doc)
    for template in TEMPLATES:
        furniture = furniture_lines(doc, template)
        for fmt in OTHER_FORMATS:
            assert words_of(outputs[(template, "pdf")], "pdf") == \
                words_of(outputs[(template, fmt)], fmt, furniture), (template, fmt)
    for (template, fmt), data in outputs.items():
        shown = text_of(data, fmt)
        fields = [n for n in FIELDS if describe_template(template).audience == "internal"
                  or n not in ("purpose", "talking_point")]
        for name in fields:
            if name == "quote":  # in the templates' marks; in prose it ends ",” said X."
                expected = norm(printed(quoted(texts[name]))).strip("\u201c\u201d\u2018\u2019.,;: ")
            else:
                expected = norm(printed(texts[name]))
            assert expected in shown, (template, fmt, name)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.fixed_dictionaries({name: MARKUP_TEXT for name in FIELDS}))
def test_any_text_with_markup_characters_renders(texts: dict[str, str]) -> None:
    try:
        doc = generated(texts)
    except readout.ValidationError:
        return  # e.g. a name that is only spaces; validation is tested elsewhere
    for (_, fmt), data in render_all(doc).items():
        assert data.startswith({"pdf": b"%PDF", "docx": b"PK\x03\x04", "html": b"<!DOCTYPE html>",
                                "txt": b""}[fmt])
        if fmt in ("html", "txt"):
            data.decode("utf-8")


# -- 7. pages, page numbers, reproducible bytes and dates -------------------------------------


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("path", WORD_SAMPLES, ids=lambda p: p.stem)
def test_every_pdf_page_is_a4_and_numbered(path: Path, template: str) -> None:
    data = rendered(path, template, "pdf")
    reader = PdfReader(io.BytesIO(data))
    total = len(reader.pages)
    for page in reader.pages:
        box = page.mediabox
        assert (float(box.width), float(box.height)) == pytest.approx(A4, abs=0.5)
    for number, page in enumerate(pdf_pages(data), 1):
        bottom = [line for line in page.lines()
                  if any(text in line for text in page_texts(number, total))]
        assert bottom, (number, page.lines()[-3:])


@pytest.mark.parametrize("template", TEMPLATES)
def test_the_docx_footer_counts_pages_with_fields_on_a4(template: str) -> None:
    data = rendered(SEED, template, "docx")
    document = docx.Document(io.BytesIO(data))
    section = document.sections[0]
    assert (section.page_width.mm, section.page_height.mm) == pytest.approx((210, 297), abs=0.5)
    footer_xml = section.footer._element.xml
    instructions = [node.text.strip() for node in section.footer._element.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert footer_xml.count('w:fldCharType="begin"') == 2
    assert "Page 1 of 1" in docx_furniture(data)["footer"][-1]


RENDER_SCRIPT = """
import hashlib, json, sys
import readout
from readout.typography import typographic
from readout.writers import FORMATS
for other in sys.argv[2:]:
    for t in ("press-release", "internal-brief"):
        for f in FORMATS:
            readout.render(readout.load(other), t, f)
doc = readout.load(sys.argv[1])
print(json.dumps({f"{t}.{f}": hashlib.sha256(readout.render(doc, t, f)).hexdigest()
                  for t in ("press-release", "internal-brief") for f in FORMATS}))
"""


def test_the_seed_renders_to_the_same_bytes_in_two_processes() -> None:
    """Two processes, two hash seeds; the second renders the other samples first, so
    nothing one render leaves behind (fonts, caches) changes the next one's bytes."""
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    others = [str(p) for p in SAMPLE_PATHS if p != SEED]
    runs = [subprocess.Popen([sys.executable, "-c", RENDER_SCRIPT, str(SEED), *extra],
                             cwd=ROOT, env={**env, "PYTHONHASHSEED": seed},
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for seed, extra in (("1", []), ("4242", others))]
    results = []
    for run in runs:
        out, err = run.communicate(timeout=60)
        assert run.returncode == 0, err
        results.append(json.loads(out))
    assert results[0] == results[1]
    assert len(set(results[0].values())) == 2 * len(FORMATS)


def pdf_created(data: bytes) -> datetime | None:
    meta = PdfReader(io.BytesIO(data)).metadata
    assert meta is not None
    return meta.creation_date


def docx_created(data: bytes) -> datetime | None:
    created = docx.Document(io.BytesIO(data)).core_properties.created
    return created.replace(tzinfo=UTC) if created and created.tzinfo is None else created


def test_source_date_epoch_sets_the_dates_and_stays_deterministic(
        monkeypatch: pytest.MonkeyPatch) -> None:
    doc = sample(SEED)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = render_all(doc, ("press-release",))
    second = render_all(doc, ("press-release",))
    assert first == second
    moment = datetime.fromtimestamp(1700000000, tz=UTC)
    assert pdf_created(first[("press-release", "pdf")]) == moment
    assert docx_created(first[("press-release", "docx")]) == moment
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1600000000")
    other = readout.render(doc, "press-release", "pdf")
    assert pdf_created(other) == datetime.fromtimestamp(1600000000, tz=UTC)
    assert other != first[("press-release", "pdf")]


def test_without_source_date_epoch_the_dates_come_from_the_readout(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    released = datetime(2025, 6, 26, 15, 15, tzinfo=UTC) - timedelta(hours=5, minutes=30)
    doc = sample(SEED)
    assert pdf_created(readout.render(doc, "internal-brief", "pdf")) == released
    assert docx_created(readout.render(doc, "internal-brief", "docx")) == released
    unreleased = readout.from_dict(minimal_dict())  # no `released`: the meeting day
    midnight = datetime(2025, 6, 26, tzinfo=UTC)
    assert pdf_created(readout.render(unreleased, "press-release", "pdf")) == midnight
    assert docx_created(readout.render(unreleased, "press-release", "docx")) == midnight


def test_a_bad_source_date_epoch_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(readout.RenderError, match="SOURCE_DATE_EPOCH"):
        readout.render(sample(SEED), "press-release", "pdf")


# -- 8. the press release ----------------------------------------------------------------------

RELEASE_ORDER = (
    "Government of India", "Ministry of Defence", "Press Information Bureau", "PRESS RELEASE",
    "26 June 2025, 15:15 IST",
    "Raksha Mantri meets Russian Defence Minister on the sidelines of the SCO Defence "
    "Ministers’ Meeting in Qingdao",
    "NEW DELHI — Raksha Mantri Shri Rajnath Singh held a bilateral meeting",
    "A partnership that has stood the test of time",
    "Minister Belousov reiterated Russia’s deep-rooted defence ties",
    "“stood the test of time”",
    "— Mr. Andrey Belousov, Minister of Defence of the Russian Federation",
    "Solidarity against terrorism",
    "“Russia stands in complete solidarity with India against terrorism.”",
    "— Mr. Andrey Belousov, Minister of Defence of the Russian Federation",
    "Defence production and modernisation", "Air defence systems",
    "Strategic autonomy in a multipolar world",
    "Outcomes", "Deepen defence industrial cooperation",
    "Explore next-generation weapon systems and unmanned solutions", "— ENDS —",
    "Background", "India’s defence modernisation drive",
    "Partnership rooted in trust and shared security goals",
    "Media contact", "Media Cell, Ministry of Defence", "E-mail: media-cell@example.gov.in",
    "Telephone: +91 11 0000 0000",
)


def in_order(text: str, parts: tuple[str, ...]) -> list[str]:
    """The parts not found in ``text`` after the previous part (empty when all are)."""
    at, missing = 0, []
    for part in parts:
        found = text.find(part, at)
        if found < 0:
            missing.append(part)
        else:
            at = found + len(part)
    return missing


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_press_release_has_its_parts_in_order(fmt: str) -> None:
    text = text_of(rendered(SEED, "press-release", fmt), fmt)
    assert in_order(text, RELEASE_ORDER) == []
    assert text.startswith("Government of India Ministry of Defence Press Information Bureau "
                           "PRESS RELEASE")
    assert text.endswith("Telephone: +91 11 0000 0000")


def test_the_press_release_letterhead_has_the_logo_in_both_formats() -> None:
    pdf = rendered(SEED, "press-release", "pdf")
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        images = page.images
        government = next(w for w in page.extract_words() if w["text"] == "Government")
        assert len(images) == 1
        assert images[0]["bottom"] <= government["top"]
        assert len(document.pages[1].images) == 0
    data = rendered(SEED, "press-release", "docx")
    document = docx.Document(io.BytesIO(data))
    first = document.paragraphs[0]
    assert first._element.xpath(".//a:blip")
    assert document.paragraphs[1].text == "Government of India"
    assert document.inline_shapes[0].width.mm == pytest.approx(18, abs=0.1)
    assert any(name.startswith("word/media/") for name in docx_parts(data))


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_media_contact_mail_link_is_live(fmt: str) -> None:
    data = rendered(SEED, "press-release", fmt)
    targets = link_targets(data, fmt)
    assert "https://www.mod.gov.in/" in targets
    if fmt == "txt":  # a link whose text is its address is printed once: the address
        assert "E-mail: media-cell@example.gov.in\n" in data.decode("utf-8")
        assert "Ministry of Defence <https://www.mod.gov.in/>" in " ".join(
            data.decode("utf-8").split())
    else:
        assert "mailto:media-cell@example.gov.in" in targets


def nothing_public() -> Readout:
    data = minimal_dict()
    data["classification"] = "OFFICIAL"
    return readout.from_dict(data)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_readout_with_nothing_public_has_no_press_release(fmt: str) -> None:
    doc = nothing_public()
    with pytest.raises(NothingPublicError) as caught:
        readout.render(doc, "press-release", fmt)
    assert "key_points" in str(caught.value) and "internal brief" in str(caught.value)
    assert readout.render(doc, "internal-brief", fmt)  # the brief still renders


# -- 9. the internal brief ---------------------------------------------------------------------

BRIEF_ORDER = (
    "INTERNAL BRIEF",
    "Indian delegation attends the senior officials’ plenary",
    "Reference: MoD/IC/2025/116", "Version: 2.0", "Date: 25 June 2025",
    "Classification: OFFICIAL-SENSITIVE",
    "(OFFICIAL-SENSITIVE) Purpose", "Record of the senior officials’ plenary",
    "(PUBLIC) Summary",
    "(PUBLIC) The meeting", "Kind Multilateral meeting", "Date Wednesday, 25 June 2025",
    "Time 09:30\u201313:15 (local time)", "Venue Plenary Hall, Conference Centre, Qingdao, China",
    "Event Ahead of the Shanghai Cooperation Organisation (SCO) Defence Ministers’ Meeting",
    "Participants", "Name Title Role", "India (PUBLIC) Smt. Meera Iyer", "Principal",
    "Col. Vikram Sandhu", "Delegation", "Cdr. Ananya Bose", "China (PUBLIC) Mr. Zhou Ming",
    "Counterpart", "Russia (PUBLIC) Mr. Dmitry Sokolov", "Kazakhstan (PUBLIC) Mr. Yerlan Abenov",
    "Lt Col Asel Nurpeisova", "Uzbekistan (PUBLIC) Mr. Dilshod Karimov",
    "Mongolia (PUBLIC) Mr. Bat-Erdene Gantulga", "Observer",
    "Key points", "(PUBLIC) Agenda of the Ministers’ Meeting", "(PUBLIC) Counter-terrorism",
    "(OFFICIAL) Draft joint communiqué", "(OFFICIAL-SENSITIVE) Positions of delegations",
    "“Безопасность неделима.”", "Translation: Security is indivisible.",
    "(PUBLIC) HADR & military medicine", "(OFFICIAL-SENSITIVE) Assessment",
    "(OFFICIAL-SENSITIVE) Talking points",
    "Outcomes", "(PUBLIC) Agreed: Recommend the agenda",
    "(PUBLIC) Stated: Delegations condemned terrorism",
    "(OFFICIAL) Decided: Refer the two bracketed paragraphs",
    "Actions", "Action Owner Due Status",
    "(OFFICIAL-SENSITIVE) Circulate India’s text on cross-border terrorism",
    "Director (International Cooperation), Ministry of Defence", "26 Jun 2025", "Done",
    "(OFFICIAL) Prepare a concept note for an SCO HADR table-top exercise",
    "Headquarters Integrated Defence Staff", "30 Sept 2025", "In progress",  # en-IN
    "Directorate General Armed Forces Medical Services", "15 Dec 2025", "Open",
    "Dropped",
    "Background", "(PUBLIC) The SCO defence track", "(OFFICIAL) Negotiating history",
    "(OFFICIAL-SENSITIVE) Follow-up", "Prepared by:", "Cleared by:",
    "(OFFICIAL-SENSITIVE) Distribution",
)


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_plenary_brief_has_every_part_in_order(fmt: str) -> None:
    text = text_of(rendered(PLENARY, "internal-brief", fmt), fmt)
    assert in_order(text, BRIEF_ORDER) == []
    doc = sample(PLENARY)
    assert doc.brief is not None
    for item in (*doc.brief.talking_points, *doc.brief.follow_up, *doc.brief.distribution):
        assert norm(printed(item.replace("*", ""))) in text


def test_the_brief_tables_are_real_tables() -> None:
    document = docx.Document(io.BytesIO(rendered(PLENARY, "internal-brief", "docx")))
    headers = [[c.text for c in table.rows[0].cells] for table in document.tables]
    assert ["Name", "Title", "Role"] in headers
    assert ["Action", "Owner", "Due", "Status"] in headers
    facts = next(t for t in document.tables if t.rows[0].cells[0].text == "Kind")
    assert [row.cells[0].text for row in facts.rows] == [
        "Kind", "Date", "Time", "Venue", "Event"]
    people = next(t for t in document.tables if t.rows[0].cells[0].text == "Name")
    groups = [docx_row_cells(row)[0] for row in people.rows[1:]
              if len(row._tr.tc_lst) == 1]
    assert groups == ["India", "China", "Russia", "Kazakhstan", "Uzbekistan", "Mongolia"]
    with pdfplumber.open(io.BytesIO(rendered(PLENARY, "internal-brief", "pdf"))) as pdf:
        tables = [table for page in pdf.pages for table in page.extract_tables()]
    flat = [[norm(cell or "") for cell in row] for table in tables for row in table]
    assert ["Action", "Owner", "Due", "Status"] in flat
    assert ["Name", "Title", "Role"] in flat


# -- 10. real documents: styles, properties, metadata, outline, links, fonts ----------------


def test_the_docx_uses_real_word_styles() -> None:
    for template, expected in (
            ("press-release", {"Title", "Heading 2", "Heading 3", "List Bullet",
                               "List Bullet 2", "Quote"}),
            ("internal-brief", {"Title", "Heading 2", "Heading 3", "List Bullet", "Quote"})):
        document = docx.Document(io.BytesIO(rendered(SEED, template, "docx")))
        used = {p.style.name for p in document.paragraphs}
        assert expected <= used, (template, expected - used)
    brief = docx.Document(io.BytesIO(rendered(PLENARY, "internal-brief", "docx")))
    assert {table.style.name for table in brief.tables} == {"Table Grid"}
    heading_names = {p.style.name for p in brief.paragraphs if p.text in ("Participants",
                                                                          "Key points")}
    assert heading_names == {"Heading 2"}


def test_the_docx_core_properties_describe_the_document() -> None:
    release = docx.Document(io.BytesIO(rendered(SEED, "press-release", "docx"))).core_properties
    assert release.title == norm(printed(sample(SEED).title))
    assert release.author == "Ministry of Defence"
    assert release.subject == "Press release"
    assert release.language == "en-IN"
    assert release.keywords.split(", ")[:3] == ["SCO", "Russia", "bilateral"]
    brief = docx.Document(io.BytesIO(rendered(PLENARY, "internal-brief", "docx"))).core_properties
    assert brief.subject == "OFFICIAL-SENSITIVE — Internal brief"
    assert "HADR" in brief.keywords.split(", ")  # internal: the tags are its keywords
    plenary = docx.Document(io.BytesIO(rendered(PLENARY, "press-release", "docx")))
    assert plenary.core_properties.keywords == ""  # not a PUBLIC readout: tags stay inside


def test_the_readout_language_is_the_document_language() -> None:
    data = minimal_dict()
    data["language"] = "fr-FR"
    outputs = render_all(readout.from_dict(data))
    for template in TEMPLATES:
        reader = PdfReader(io.BytesIO(outputs[(template, "pdf")]))
        assert str(reader.trailer["/Root"].get("/Lang")) == "fr-FR"
        data = outputs[(template, "docx")]
        assert docx.Document(io.BytesIO(data)).core_properties.language == "fr-FR"
        assert b'w:lang w:val="fr-FR"' in docx_parts(data)["word/styles.xml"]


def test_the_pdf_has_metadata_outline_links_and_embedded_fonts() -> None:
    data = rendered(SEED, "press-release", "pdf")
    reader = PdfReader(io.BytesIO(data))
    meta = reader.metadata
    assert meta is not None
    assert meta.title == norm(printed(sample(SEED).title))
    assert meta.author == "Ministry of Defence"
    assert meta.subject == "Press release"
    assert "S-400" in str(meta.get("/Keywords"))
    assert str(reader.trailer["/Root"].get("/Lang")) == "en-IN"
    titles = outline_titles(reader)
    assert titles[:3] == [norm(printed(sample(SEED).title)),
                          "A partnership that has stood the test of time",
                          "Solidarity against terrorism"]
    assert "Background" in titles and "India’s defence modernisation drive" in titles
    assert "https://www.mod.gov.in/" in pdf_link_targets(data)
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object().get("/FontDescriptor")
            if descriptor is None:  # a composite font: the descendant has it
                descendant = font.get_object()["/DescendantFonts"][0].get_object()
                descriptor = descendant["/FontDescriptor"]
            descriptor = descriptor.get_object()
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), \
                descriptor
            fonts.add(str(descriptor["/FontName"]))
    assert fonts and all("NotoSans" in name for name in fonts)


def test_the_brief_outline_follows_its_headings() -> None:
    reader = PdfReader(io.BytesIO(rendered(PLENARY, "internal-brief", "pdf")))
    titles = outline_titles(reader)
    for heading in ("(OFFICIAL-SENSITIVE) Purpose", "(PUBLIC) Summary", "(PUBLIC) The meeting",
                    "Participants", "Key points", "(OFFICIAL-SENSITIVE) Positions of delegations",
                    "Actions", "(OFFICIAL-SENSITIVE) Distribution"):
        assert heading in titles


def test_render_to_picks_the_template_and_format_from_the_name(tmp_path: Path) -> None:
    doc = sample(SEED)
    target = readout.render_to(doc, tmp_path / "x.internal-brief.docx")
    assert target.read_bytes() == rendered(SEED, "internal-brief", "docx")
    target = readout.render_to(doc, tmp_path / "release.pdf")
    assert target.read_bytes() == rendered(SEED, "press-release", "pdf")
    target = readout.render_to(doc, tmp_path / "release.HTML")
    assert target.read_bytes() == rendered(SEED, "press-release", "html")
    target = readout.render_to(doc, tmp_path / "x.internal-brief.txt")
    assert target.read_bytes() == rendered(SEED, "internal-brief", "txt")
    with pytest.raises(readout.TemplateError, match=r"\.pdf, \.docx, \.html, \.txt"):
        readout.render_to(doc, tmp_path / "release.odt")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "release.HTML", "release.pdf", "x.internal-brief.docx", "x.internal-brief.txt"]


def test_render_to_writes_an_html_page_s_images_beside_it_when_asked(tmp_path: Path) -> None:
    doc = sample(SEED)
    page = readout.render_to(doc, tmp_path / "release.html", embed_images=False)
    [image] = html_page(page.read_bytes()).images
    assert image["src"].startswith("images/") and image["src"].endswith(".png")
    logo = tmp_path / image["src"]
    assert logo.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["images", "release.html"]
    embedded = html_page(rendered(SEED, "press-release", "html")).images[0]["src"]
    assert embedded.startswith("data:image/png;base64,")
    import base64
    assert base64.b64decode(embedded.split(",", 1)[1]) == logo.read_bytes()


def test_unknown_template_or_format_is_a_clear_error() -> None:
    with pytest.raises(readout.TemplateError, match="press-release"):
        readout.render(sample(SEED), "press-releese", "pdf")
    with pytest.raises(readout.TemplateError, match=", ".join(FORMATS)):
        readout.render(sample(SEED), "press-release", "odt")



def _with_tall_cells() -> Readout:
    data = yaml.safe_load(MINIMAL)
    data["outcomes"][0]["text"] = " ".join(f"w{n:03d}" for n in range(400))
    data["participants"][1]["name"] = " ".join(f"n{n:03d}" for n in range(375))  # 1,499
    data["key_points"][0]["quotes"][0]["speaker"] = data["participants"][1]["name"]
    return readout.from_dict(data, name="tall.yaml")


@pytest.mark.parametrize("template", TEMPLATES)
def test_a_table_cell_taller_than_a_page_continues_on_the_next(template: str) -> None:
    pdf = readout.render(_with_tall_cells(), template, "pdf")
    text = pdf_text(pdf)
    action = re.findall(r"\bw\d{3}\b", text)
    name = re.findall(r"\bn\d{3}\b", text)
    assert action == [f"w{n:03d}" for n in range(400)]
    assert name[:375] == [f"n{n:03d}" for n in range(375)]
    assert len(PdfReader(io.BytesIO(pdf)).pages) >= 2


def _long_furniture() -> Readout:
    data = yaml.safe_load(MINIMAL)
    data["issuer"]["organisation"] = " ".join(f"org{n:02d}" for n in range(60))
    data["brief"] = {"reference": " ".join(f"ref{n:03d}" for n in range(150))}
    data["key_points"] = [{"heading": f"Point {n}", "body": "The ministers talked. " * 40}
                          for n in range(8)]
    return readout.from_dict(data, name="long.yaml")


def _overprinted(pdf: bytes) -> list[tuple[int, str, str]]:
    """Pairs of words whose boxes overlap (text drawn over text), with their page."""
    found = []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for number, page in enumerate(document.pages, start=1):
            boxes = [(float(w["x0"]), float(w["top"]), float(w["x1"]), float(w["bottom"]),
                      w["text"]) for w in page.extract_words()]
            boxes.sort(key=lambda box: box[1])
            for index, (x0, _, x1, bottom, text) in enumerate(boxes):
                for ox0, otop, ox1, _, other in boxes[index + 1:]:
                    if otop >= bottom - 1:
                        break
                    if ox0 < x1 - 1 and x0 < ox1 - 1:
                        found.append((number, text, other))
    return found


@pytest.mark.parametrize("template", TEMPLATES)
def test_a_long_header_or_footer_never_overprints_the_body(template: str) -> None:
    pdf = readout.render(_long_furniture(), template, "pdf")
    assert len(PdfReader(io.BytesIO(pdf)).pages) >= 2
    assert _overprinted(pdf) == []
    assert _overprinted(rendered(SEED, template, "pdf")) == []
