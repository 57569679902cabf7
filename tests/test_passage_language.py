"""A passage in another language than the document's carries its language (SPEC section
6): a quote's ``language`` reaches the tree (`tree.Quote.lang`) and every writer that can
say it: DOCX ``w:lang`` on its runs, HTML ``lang`` on its element."""

from __future__ import annotations

import io
from functools import cache

import docx
import pytest
from docx.oxml.ns import qn

import readout
from readout import tree as t
from readout.errors import TemplateError
from readout.template_reader import read
from readout.templating import build_document
from readout.themes import load_theme
from readout.writers.docx.document import write as write_docx
from readout.writers.html.document import write as write_html

from .conftest import MINIMAL, SAMPLES
from .extract import html_page

PLENARY = SAMPLES / "2025-06-25-sco-plenary.yaml"
RUSSIAN_WORDS = "Безопасность неделима."


def quotes_of(blocks: tuple[t.Block, ...]) -> list[t.Quote]:
    out: list[t.Quote] = []
    for block in blocks:
        if isinstance(block, t.Quote):
            out.append(block)
        elif isinstance(block, t.Section):
            out += quotes_of(block.children)
        elif isinstance(block, t.BulletList):
            for item in block.items:
                out += quotes_of(item)
    return out


@cache
def plenary_brief(fmt: str) -> bytes:
    return readout.render(readout.load(PLENARY), "internal-brief", fmt)


def test_a_quotes_language_reaches_the_tree_and_others_have_none() -> None:
    doc = build_document(readout.load(PLENARY), "internal-brief")
    langs = {t.plain_text(q.children[0].children)[:14]: q.lang  # type: ignore[union-attr]
             for q in quotes_of(doc.body)}
    assert langs["\u201c" + RUSSIAN_WORDS[:13]] == "ru"
    assert [lang for lang in langs.values() if lang] == ["ru"]


def run_languages(data: bytes) -> list[tuple[str, str | None]]:
    """(text, w:lang w:val) of every run of the body, as Word reads them."""
    out = []
    for paragraph in docx.Document(io.BytesIO(data)).paragraphs:
        for run in paragraph.runs:
            r_pr = run._r.rPr
            lang = r_pr.find(qn("w:lang")) if r_pr is not None else None
            out.append((run.text, lang.get(qn("w:val")) if lang is not None else None))
    return out


def test_the_docx_marks_the_russian_quote_russian_and_its_english_gloss_not() -> None:
    runs = run_languages(plenary_brief("docx"))
    russian = [lang for text, lang in runs if RUSSIAN_WORDS in text]
    assert russian == ["ru"]
    gloss = [lang for text, lang in runs if "Security is indivisible" in text]
    assert gloss == [None]  # English, the document's language
    others = [lang for text, lang in runs if "Kazakhstan is ready" in text]
    assert others == [None]


def test_the_web_page_marks_the_russian_quote_lang_ru() -> None:
    page = html_page(plenary_brief("html"))
    data = plenary_brief("html").decode("utf-8")
    assert page.root.get("lang") == "en"
    start = data.index(RUSSIAN_WORDS)
    opening = data.rindex("<blockquote", 0, start)
    assert ' lang="ru"' in data[opening:data.index(">", opening)]
    assert data.count(' lang="ru"') == 1


@pytest.mark.parametrize("writer", [write_docx, write_html])
def test_a_paragraph_in_another_language_says_so_in_every_writer(writer: object) -> None:
    doc = t.Document(metadata=t.Metadata(title="x", language="en"), body=(
        t.Paragraph((t.Text("Il a dit oui."),), lang="fr"),
        t.Paragraph((t.Text("He said yes."),))))
    data = writer(doc, load_theme())  # type: ignore[operator]
    if writer is write_docx:
        assert run_languages(data) == [("Il a dit oui.", "fr"), ("He said yes.", None)]
    else:
        assert b'<p class="s-body" lang="fr">Il a dit oui.</p>' in data.replace(b"\n", b"")


def test_the_template_markup_reads_lang_and_refuses_a_malformed_one() -> None:
    doc = read('<document><body><quote lang="ru"><p>x</p></quote><p lang="hi-IN">y</p>'
               '<p lang="">z</p></body></document>')
    assert [getattr(block, "lang", None) for block in doc.body] == ["ru", "hi-IN", None]
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
