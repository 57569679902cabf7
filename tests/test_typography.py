"""Straight quotes and apostrophes a user typed, printed as the language's marks
(SPEC sections 3 and 6): the rules on their own, then what a reader sees in every
template and format."""

from __future__ import annotations

import json
import re
from functools import cache

import pytest

import readout
from readout import tree as t
from readout.templating import available_templates, describe_template
from readout.typography import quote_marks, typeset, typographic
from readout.writers import FORMATS

from .conftest import MINIMAL
from .extract import link_targets, visible_text

TEMPLATES = [name for name in available_templates()
             if describe_template(name).renders == "readout"]


@pytest.mark.parametrize(("typed", "language", "printed"), [
    ('He called it "a partnership of equals".', "en",
     "He called it \u201ca partnership of equals\u201d."),
    ("India's 'Make in India' drive", "en",
     "India\u2019s \u201cMake in India\u201d drive"),
    ('"the \'Make in India\' drive"', "en",
     "\u201cthe \u2018Make in India\u2019 drive\u201d"),
    ("the Defence Ministers' Meeting", "en", "the Defence Ministers\u2019 Meeting"),
    ("the '90s", "en", "the \u201990s"),
    ('Он назвал это "партнёрством равных".', "ru",
     "Он назвал это \u00abпартнёрством равных\u00bb."),
    ('"Проект \'Сила Сибири\'"', "ru", "\u00abПроект \u201eСила Сибири\u201c\u00bb"),
    ('Er sagte "Partner".', "de", "Er sagte \u201ePartner\u201c."),
    ('Il a dit "partenaires".', "fr", "Il a dit \u00ab\u00a0partenaires\u00a0\u00bb."),
    ('उन्होंने कहा "साझेदारी"।', "hi", "उन्होंने कहा \u201cसाझेदारी\u201d।"),
    ('"x"', "ja", "\u300cx\u300d"),
    ('"x"', "zh-Hant", "\u300cx\u300d"),
    ('"x"', "zh-Hans", "\u201cx\u201d"),
    ('"x"', "pt-PT", "\u00abx\u00bb"),
    ('"x"', "xx", "\u201cx\u201d"),  # no marks known: CLDR's root, the English ones
    ("(\"bracketed\")", "en", "(\u201cbracketed\u201d)"),
    ("write to o'neil@example.org or see https://x.org/it's", "en",
     "write to o'neil@example.org or see https://x.org/it's"),
    ("\u201calready curly\u201d and 'straight'", "en",
     "\u201calready curly\u201d and \u201cstraight\u201d"),
    ("no quotes at all", "en", "no quotes at all"),
])
def test_straight_quotes_print_as_the_languages_marks(typed: str, language: str,
                                                      printed: str) -> None:
    assert typographic(typed, language) == printed


def test_a_quote_inside_a_quotation_takes_the_inner_marks() -> None:
    opening, closing, inner_open, inner_close = quote_marks("ru")
    assert typographic(f'{opening}Он сказал "да"{closing}', "ru") == (
        f"{opening}Он сказал {inner_open}да{inner_close}{closing}")


def test_a_quote_spanning_bold_text_pairs_across_it_and_links_keep_their_target() -> None:
    nodes = (t.Text('He said "'), t.Strong((t.Text("never"),)), t.Text('" and '),
             t.Link("https://example.org/it's", (t.Text("India's site"),)))
    assert typeset(nodes, "en") == (
        t.Text("He said \u201c"), t.Strong((t.Text("never"),)), t.Text("\u201d and "),
        t.Link("https://example.org/it's", (t.Text("India\u2019s site"),)))


# -- what a reader sees ---------------------------------------------------------------------

BODY = {
    "en": ('The ministers called it "a partnership of equals" and welcomed India\'s '
           "'Make in India' drive, see [the ministry's page](https://example.org/it's)."),
    "ru": 'Министры назвали это "партнёрством равных" и проектом \'Сила Сибири\'.',
}
SHOWN = {
    "en": ("The ministers called it \u201ca partnership of equals\u201d and welcomed "
           "India\u2019s \u201cMake in India\u201d drive, see the ministry\u2019s page."),
    "ru": ("Министры назвали это \u00abпартнёрством равных\u00bb и проектом "
           "\u00abСила Сибири\u00bb."),
}


@cache
def rendered(language: str, template: str, fmt: str) -> bytes:
    text = MINIMAL.replace("    body: The ministers reviewed cooperation.",
                           f"    body: {json.dumps(BODY[language], ensure_ascii=False)}")
    text = text.replace("format: readout/1", f"format: readout/1\nlanguage: {language}")
    return readout.render(readout.loads(text), template, fmt)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("language", sorted(BODY))
def test_every_document_prints_the_typed_quotes_as_the_languages_marks(
        language: str, template: str, fmt: str) -> None:
    data = rendered(language, template, fmt)
    shown = " ".join(visible_text(data, fmt).split())
    shown = re.sub(r" <https?://[^>]*>", "", shown)  # a plain-text link shows its target
    shown = re.sub(r" (?=[.,])", "", shown)
    assert SHOWN[language] in shown
    if language == "en":
        assert "https://example.org/it's" in link_targets(data, fmt)


PROSE_QUOTE = {  # the comma that ends a quote in prose, before "said X.", and its place
    "en": "\u201cRussia stands in complete solidarity with India against terrorism,\u201d",
    "ru": "\u00abRussia stands in complete solidarity with India against terrorism\u00bb, \u2014",
}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("language", sorted(PROSE_QUOTE))
def test_a_quote_in_prose_puts_its_comma_where_the_language_does(language: str,
                                                                   fmt: str) -> None:
    text = MINIMAL.replace("format: readout/1", f"format: readout/1\nlanguage: {language}")
    doc = readout.loads(text)
    prose = [name for name in TEMPLATES if "terrorism,\u201d said" in " ".join(
             visible_text(readout.render(readout.loads(MINIMAL), name, "txt"), "txt").split())]
    assert {"pib-release", "us-readout"} <= set(prose)
    for template in prose:
        shown = " ".join(visible_text(readout.render(doc, template, fmt), fmt).split())
        assert PROSE_QUOTE[language] in shown, (template, shown[:400])
