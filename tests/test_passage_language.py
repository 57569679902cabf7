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
from readout.writers import FORMATS, writer_for
from readout.writers.docx.document import write as write_docx
from readout.writers.html.document import write as write_html
from readout.writers.pdf import write as write_pdf

from .conftest import MINIMAL, SAMPLES
from .tagged_pdf import page_numbers, span_languages, structure

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
    """(text, language) of every run of the body, as Word reads them: a complex-script
    run's (``w:cs``, Devanagari, Arabic) is ``w:lang w:bidi``, any other's ``w:val``."""
    out = []
    for paragraph in docx.Document(io.BytesIO(data)).paragraphs:
        for run in paragraph.runs:
            r_pr = run._r.rPr
            lang = r_pr.find(qn("w:lang")) if r_pr is not None else None
            complex_script = r_pr is not None and r_pr.find(qn("w:cs")) is not None
            key = qn("w:bidi") if complex_script else qn("w:val")
            out.append((run.text, lang.get(key) if lang is not None else None))
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


def pdf_passages(data: bytes) -> list[tuple[str, str | None]]:
    """(text, language) of each passage of a tagged PDF marked in its own language."""
    return [(text, lang) for lang, text in span_languages(data)]


READ_LANGUAGES = {"pdf": pdf_passages, "docx": run_languages, "html": html_languages}
CANNOT_SAY_IT = {"txt"}  # plain text has no way to say what language a word is in


def test_every_format_is_read_back_for_its_languages_or_cannot_say_them() -> None:
    assert set(FORMATS) == set(READ_LANGUAGES) | CANNOT_SAY_IT


@pytest.mark.parametrize("fmt", [fmt for fmt in FORMATS if fmt not in CANNOT_SAY_IT])
def test_words_in_another_language_inside_a_sentence_say_so(fmt: str) -> None:
    doc = t.Document(metadata=t.Metadata(title="x", language="en-IN"), body=(
        t.Paragraph((t.Text("He said "), t.Text("\u201cjá\u201d", lang="pt"),
                     t.Text(", then "), t.Strong((t.Text("«Безопасность неделима»",
                                                         lang="ru"),)),
                     t.Text(" and "), t.Text("राजनाथ सिंह", lang="hi"), t.Text("."))),))
    shown = READ_LANGUAGES[fmt](writer_for(fmt)(doc, load_theme()))
    assert [(text, lang) for text, lang in shown if lang not in (None, "en-IN")] == [
        ("\u201cjá\u201d", "pt"), ("«Безопасность неделима»", "ru"), ("राजनाथ सिंह", "hi")]


def test_words_in_another_language_split_across_pages_say_so_on_both() -> None:
    filler = tuple(t.Paragraph((t.Text(f"Sentence {n} of the opening, long enough to fill "
                                       "a good part of its line."),)) for n in range(24))
    words = " ".join(["Безопасность неделима."] * 160)
    doc = t.Document(metadata=t.Metadata(title="x", language="en"), body=(*filler, t.Paragraph(
        (t.Text("He said "), t.Text(words, lang="ru"), t.Text(" and left.")))))
    data = write_pdf(doc, load_theme())
    passages = span_languages(data)
    assert [lang for lang, _ in passages] == ["ru"]
    assert " ".join(passages[0][1].split()) == words
    with pikepdf.open(io.BytesIO(data)) as pdf:
        numbers = page_numbers(pdf)
        spans = [node for node in structure(pdf).walk() if node.role == "Span"]
        assert [sorted({numbers[page] for page, _ in span.mcids}) for span in spans] == [[1, 2]]


def test_words_in_the_paragraphs_language_in_furniture_or_right_to_left_are_not_marked(
        ) -> None:
    doc = t.Document(
        metadata=t.Metadata(title="x", language="en"),
        header=(t.Paragraph((t.Text("Header "), t.Text("oui", lang="fr"))),),
        body=(t.Paragraph((t.Text("Il a dit "), t.Text("oui", lang="fr")), lang="fr"),
              t.Paragraph((t.Text("He said "), t.Text("yes", lang="en"), t.Text("."))),
              # drawn right to left: its element's /ActualText reads it in logical order
              t.Paragraph((t.Text("وزیر دفاع نے کہا "), t.Text("Operation Sindoor", lang="en")),
                          lang="ur")))
    assert span_languages(write_pdf(doc, load_theme())) == []


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("path", [FRENCH, SAMPLES / "2025-11-18-indian-ocean-ministerial.yaml"])
def test_the_words_quoted_in_prose_are_in_their_language_in_the_tagged_pdf(
        template: str, path: object) -> None:
    doc = build_document(readout.load(path), template)  # type: ignore[arg-type]
    quoted = [(text.lang, " ".join(text.text.split())) for block in paragraphs_of(doc.body)
              if not block.lang for text in inline_texts(block.children) if text.lang]
    shown = span_languages(rendered(path.name, template, "pdf"))  # type: ignore[attr-defined]
    assert [(lang, " ".join(text.split())) for lang, text in shown] == quoted


def inline_texts(nodes: tuple[t.Inline, ...]) -> list[t.Text]:
    found: list[t.Text] = []
    for node in nodes:
        if isinstance(node, t.Text):
            found.append(node)
        elif isinstance(node, (t.Strong, t.Emphasis, t.Link)):
            found += inline_texts(node.children)
    return found


@pytest.mark.parametrize("template", TEMPLATES)
def test_a_paragraph_in_another_language_is_its_own_language_in_the_tagged_pdf(
        template: str) -> None:
    doc = build_document(readout.load(FRENCH), template)
    passages = [block.lang for block in paragraphs_of(doc.body) if block.lang]
    blocks = [found for found in pdf_languages(rendered(FRENCH.name, template, "pdf"))
              if found[0] != "/Span"]  # words inside a sentence: see the test above
    assert blocks == [("/P", lang) for lang in passages]


def paragraphs_of(blocks: tuple[t.Block, ...]) -> list[t.Paragraph]:
    return [block for block in t.blocks_within(blocks) if isinstance(block, t.Paragraph)]
