"""A passage in another language than the document's carries its language (SPEC section
6): a quote's ``language`` reaches the tree (a `tree.Paragraph` or, inside a sentence of
the document's language, a `tree.Text` with ``lang``) in every template of the registry,
and every writer that can say it does: DOCX ``w:lang`` on its runs, HTML ``lang``."""

from __future__ import annotations

import io
from functools import cache
from html.parser import HTMLParser

import docx
import pikepdf
import pytest
from docx.oxml.ns import qn

import readout
from readout import tree as t
from readout.errors import TemplateError
from readout.template_reader import read
from readout.templating import available_templates, build_document, describe_template
from readout.themes import load_theme
from readout.writers.docx.document import write as write_docx
from readout.writers.html.document import write as write_html

from .conftest import MINIMAL, SAMPLES

TEMPLATES = [name for name in available_templates()
             if describe_template(name).renders == "readout"]
PLENARY = SAMPLES / "2025-06-25-sco-plenary.yaml"
FRENCH = SAMPLES / "2025-07-14-joint-statement-in-fr.yaml"  # an English joint statement
RUSSIAN_WORDS = "Безопасность неделима."
FRENCH_WORDS = "Nous produirons ensemble, en Inde et en France"
ENGLISH_WORDS = "We will produce together, in India and in France."


@cache
def rendered(path: str, template: str, fmt: str) -> bytes:
    return readout.render(readout.load(SAMPLES / path), template, fmt)


def run_languages(data: bytes) -> list[tuple[str, str | None]]:
    """(text, w:lang w:val) of every run of the body, as Word reads them."""
    out = []
    for paragraph in docx.Document(io.BytesIO(data)).paragraphs:
        for run in paragraph.runs:
            r_pr = run._r.rPr
            lang = r_pr.find(qn("w:lang")) if r_pr is not None else None
            out.append((run.text, lang.get(qn("w:val")) if lang is not None else None))
    return out


class _Languages(HTMLParser):
    """The language each piece of text of a web page is in (the nearest ``lang``)."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str | None] = []
        self.pieces: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "img", "meta", "link", "hr"):
            return
        own = dict(attrs).get("lang")
        self.stack.append(own if own is not None else (self.stack[-1] if self.stack else None))

    def handle_endtag(self, tag: str) -> None:
        if self.stack and tag not in ("br", "img", "meta", "link", "hr"):
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.pieces.append((data, self.stack[-1] if self.stack else None))


def html_languages(data: bytes) -> list[tuple[str, str | None]]:
    parser = _Languages()
    parser.feed(data.decode("utf-8"))
    return parser.pieces


@pytest.mark.parametrize("template", TEMPLATES)
def test_the_french_quote_of_an_english_statement_is_french_in_word(template: str) -> None:
    runs = run_languages(rendered(FRENCH.name, template, "docx"))
    french = {lang for text, lang in runs if FRENCH_WORDS[:20] in text}
    assert french == {"fr"}
    english = {lang for text, lang in runs if ENGLISH_WORDS[:20] in text}
    assert english == {None}  # the translation is in the document's language
    assert {lang for _, lang in runs} <= {None, "fr"}


@pytest.mark.parametrize("template", TEMPLATES)
def test_the_french_quote_of_an_english_statement_is_french_on_the_web(template: str) -> None:
    pieces = html_languages(rendered(FRENCH.name, template, "html"))
    assert {lang for text, lang in pieces if FRENCH_WORDS[:20] in text} == {"fr"}
    assert {lang for text, lang in pieces if ENGLISH_WORDS[:20] in text} == {"en"}
    assert {lang for text, lang in pieces if "Ministry of Defence" in text} == {"en"}


def test_the_russian_quote_of_the_brief_is_russian_and_its_translation_english() -> None:
    doc = build_document(readout.load(PLENARY), "internal-brief")
    quotes = [block for block in doc.body if isinstance(block, t.Quote)]
    langs = {t.plain_text(p.children): p.lang for q in quotes for p in q.children
             if isinstance(p, t.Paragraph)}
    assert langs["\u201c" + RUSSIAN_WORDS + "\u201d"] == "ru"
    assert langs["Translation: Security is indivisible."] is None
    assert [lang for lang in langs.values() if lang] == ["ru"]
    runs = run_languages(rendered(PLENARY.name, "internal-brief", "docx"))
    assert {lang for text, lang in runs if RUSSIAN_WORDS in text} == {"ru"}


@pytest.mark.parametrize("writer", [write_docx, write_html])
def test_a_paragraph_or_text_in_another_language_says_so(writer: object) -> None:
    doc = t.Document(metadata=t.Metadata(title="x", language="en"), body=(
        t.Paragraph((t.Text("Il a dit oui."),), lang="fr"),
        t.Paragraph((t.Text("He said "), t.Text("\u201cjá\u201d", lang="pt"),
                     t.Text(".")))))
    data = writer(doc, load_theme())  # type: ignore[operator]
    shown = run_languages(data) if writer is write_docx else html_languages(data)
    default = None if writer is write_docx else "en"
    assert shown[-4:] == [("Il a dit oui.", "fr"), ("He said ", default),
                          ("\u201cjá\u201d", "pt"), (".", default)]


def test_the_template_markup_reads_lang_and_refuses_a_malformed_one() -> None:
    doc = read('<document><body><quote lang="ru"><p>x</p></quote><p lang="hi-IN">y '
               '<span lang="fr">oui</span></p><p lang="">z</p></body></document>')
    assert [getattr(block, "lang", None) for block in doc.body] == ["ru", "hi-IN", None]
    assert doc.body[1].children == (t.Text("y "), t.Text("oui", lang="fr"))  # type: ignore[union-attr]
    with pytest.raises(TemplateError) as caught:
        read('<document><body><p lang="not a tag">y</p></body></document>', name="t")
    assert "<p lang='not a tag'> is not a language tag; use a BCP 47 tag such as en, " \
           "hi-IN or ru." in str(caught.value)


def test_a_malformed_quote_language_is_a_located_error() -> None:
    text = MINIMAL.replace(
        "        text: Russia stands in complete solidarity with India against terrorism.\n",
        "        text: Russia stands in complete solidarity with India against terrorism.\n"
        "        language: Russian!\n")
    with pytest.raises(readout.ValidationError) as caught:
        readout.loads(text, name="m.yaml")
    assert [str(p) for p in caught.value.problems] == [
        "m.yaml:30:19: key_points.0.quotes.0.language: 'Russian!' is not a language tag; "
        "use a BCP 47 tag such as en, hi or ru."]


def pdf_languages(data: bytes) -> list[tuple[str, str]]:
    """(role, /Lang) of every structure element of a tagged PDF that names a language."""
    found: list[tuple[str, str]] = []

    def walk(node: object) -> None:
        if isinstance(node, pikepdf.Dictionary):
            if "/S" in node and "/Lang" in node:
                found.append((str(node.S), str(node.Lang)))
            if "/K" in node:
                walk(node.K)
        elif isinstance(node, pikepdf.Array):
            for child in node:
                walk(child)

    with pikepdf.open(io.BytesIO(data)) as pdf:
        walk(pdf.Root.StructTreeRoot)
    return found


@pytest.mark.parametrize("template", TEMPLATES)
def test_a_paragraph_in_another_language_is_its_own_language_in_the_tagged_pdf(
        template: str) -> None:
    doc = build_document(readout.load(FRENCH), template)
    passages = [block.lang for block in paragraphs_of(doc.body) if block.lang]
    assert pdf_languages(rendered(FRENCH.name, template, "pdf")) == [("/P", lang)
                                                                     for lang in passages]


def paragraphs_of(blocks: tuple[t.Block, ...]) -> list[t.Paragraph]:
    return [block for block in t.blocks_within(blocks) if isinstance(block, t.Paragraph)]
