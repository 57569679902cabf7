"""The keys of the format read back from the documents: what each key says is found, as a
reader sees it, in the rendered PDF and DOCX of every template that prints it.

Templates come from the registry (`available_templates`, `describe_template`), so a new
built-in template is checked with the rest: every public template must print what every
public document carries (the embargo, every issuer, the photos with caption and credit,
the release number, the quotes and their translations...), and the internal ones what a
brief carries. Every document is rendered once per module.
"""

from __future__ import annotations

import io
import re
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import docx
import pdfplumber
import pytest
import yaml

import readout
from readout.templating import available_templates, describe_template
from readout.writers import FORMATS

from .conftest import MINIMAL, tiny_png
from .extract import (
    docx_header_rows,
    docx_parts,
    docx_words,
    html_words,
    pdf_body_words,
    txt_words,
    words_of,
)

READOUT_TEMPLATES = tuple(t for t in available_templates()
                          if describe_template(t).renders == "readout")
PUBLIC = tuple(t for t in READOUT_TEMPLATES if describe_template(t).audience == "public")
INTERNAL = tuple(t for t in READOUT_TEMPLATES if describe_template(t).audience == "internal")

EVERYTHING = """\
format: readout/1
id: 2025-06-26-everything
label: Joint Statement
released: 2025-06-26T15:15:00+05:30
embargo: 2025-06-26T18:00:00+05:30
dateline: venue
release_id: "2139043"
initials: VM/SR
previous: 2025-06-25-earlier-meeting
title: India and Russia issue a joint statement after talks in China
summary: >-
  The Defence Ministers of India and Russia held talks in China on 26 and 27 June 2025.
issuer:
  organisation: Ministry of Defence
  government: Government of India
  office: PIB Delhi
  city: New Delhi
  logo: emblem.png
  logo_alt: State Emblem of India
  spokesperson: {name: Matthew Miller, title: Spokesperson}
co_issuers:
  - organisation: Ministry of Defence of the Russian Federation
    government: Government of the Russian Federation
    logo: second.png
meeting:
  kind: multilateral
  date: 2025-06-26
  end_date: 2025-06-27
  requested_by: Russia
  event: SCO Defence Ministers' Meeting
  setting: on the sidelines of the
  venue: {name: Conference Centre, country: China}
participants:
  - {name: Rajnath Singh, honorific: Shri, title: Raksha Mantri, country: India,
     role: principal, attendance: in-person}
  - {name: Andrey Belousov, title: Minister of Defence, country: Russia, role: counterpart}
  - {title: NATO Foreign Ministers, organisation: NATO, role: attendee, attendance: remote}
  - {name: Mark Rutte, organisation: NATO, role: chair}
key_points:
  - body: |
      The Ministers reviewed defence cooperation.

      - joint exercises at sea
      - spares for aircraft in service
  - body: The Ministers spoke about terrorism.
    quotes:
      - speaker: Andrey Belousov
        language: ru
        text: |
          Россия солидарна с Индией.

          Мы вместе против терроризма.
        translation: Russia stands with India. We stand together against terrorism.
outcomes:
  - text: Memorandum of Understanding on military medicine
    type: document
    signed_by: [Rajnath Singh, Andrey Belousov]
photos:
  - file: photo.png
    caption: An illustrative picture of the conference hall
    credit: Test Photo Unit
    alt: A plain blue rectangle standing in for a photograph
brief:
  follow_up:
    - Circulate the record to the Services.
    - {text: Draft the work plan, owner: International Cooperation Division,
       due: 2025-07-15, status: in-progress}
"""


_FOLDER = tempfile.TemporaryDirectory(prefix="render-keys-")  # lives as long as the module


@cache
def everything() -> readout.Readout:
    folder = Path(_FOLDER.name)
    for name, size in (("emblem.png", (4, 4)), ("second.png", (4, 4)), ("photo.png", (8, 5))):
        (folder / name).write_bytes(tiny_png(*size))
    return readout.loads(EVERYTHING, name="everything.yaml", folder=folder)


def headless() -> readout.Readout:
    """A readout whose key points have no headings, with no outcomes and no context."""
    data: dict[str, Any] = yaml.safe_load(MINIMAL)
    quote = {"speaker": "Andrey Belousov", "text": "We stand with India."}
    data["key_points"] = [{"body": "The ministers reviewed cooperation."},
                          {"body": "They spoke of terrorism.", "quotes": [quote]}]
    del data["outcomes"]
    return readout.from_dict(data)


CASES = {"everything": everything, "headless": headless}


@cache
def output(case: str, template: str, fmt: str) -> bytes:
    return readout.render(CASES[case](), template, fmt)


@cache
def text(case: str, template: str, fmt: str) -> str:
    """The body text a reader sees, whitespace normalised (bullet glyphs dropped)."""
    data = output(case, template, fmt)
    headers = docx_header_rows(output(case, template, "docx")) if fmt == "pdf" else None
    return " ".join(words_of(data, fmt, repeated_headers=headers))


def missing(shown: str, phrases: list[str]) -> list[str]:
    return [phrase for phrase in phrases if " ".join(phrase.split()) not in shown]


EVERY_DOCUMENT = [
    "EMBARGOED", "18:00",  # the embargo, with its time
    "2139043",  # the release number
    "Ministry of Defence", "Ministry of Defence of the Russian Federation",  # both issuers
    "The Ministers reviewed defence cooperation.",
    "joint exercises at sea", "spares for aircraft in service",  # a "- " list in a body
    "“Россия солидарна с Индией.", "“Мы вместе против терроризма",
    "Russia stands with India. We stand together against terrorism.",  # the translation
    "Memorandum of Understanding on military medicine", "Rajnath Singh and Andrey Belousov",
]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("template", PUBLIC)
def test_a_public_document_prints_every_key_it_is_given(template: str, fmt: str) -> None:
    shown = text("everything", template, fmt)
    assert missing(shown, [*EVERY_DOCUMENT, "An illustrative picture of the conference hall",
                           "Test Photo Unit"]) == []
    # only the last paragraph of a quote closes it
    assert "Россия солидарна с Индией.”" not in shown


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("template", INTERNAL)
def test_an_internal_document_prints_every_key_it_is_given(template: str, fmt: str) -> None:
    shown = text("everything", template, fmt)
    assert missing(shown, [
        *EVERY_DOCUMENT, "26\u201327 June 2025",  # the date range of a multi-day meeting
        "Requested by Russia", "Conference Centre, China",
        "Event On the sidelines of the SCO Defence Ministers\u2019 Meeting",
        "NATO", "NATO Foreign Ministers", "Attendee remote", "Mark Rutte", "Chair",
        "Follows: 2025-06-25-earlier-meeting",
        "Draft the work plan International Cooperation Division 15 Jul 2025 In progress",
        "Document: Memorandum of Understanding on military medicine (signed by Rajnath Singh "
        "and Andrey Belousov)",
    ]) == []


@pytest.mark.parametrize("template", READOUT_TEMPLATES)
def test_no_template_invents_the_words_after_the_setting(template: str) -> None:
    for fmt in FORMATS:
        shown = text("everything", template, fmt)
        assert "the event" not in shown and "the the" not in shown.lower()


@pytest.mark.parametrize("template", PUBLIC)
def test_every_photo_is_printed_with_its_alternative_text(template: str) -> None:
    doc = everything()
    photo = doc.photos[0].file.read_bytes()
    document = readout.templating.build_document(doc, template)
    images = [block for block in walk(document.body) if isinstance(block, readout.tree.Image)]
    assert [(i.alt) for i in images if i.data == photo] == [
        "A plain blue rectangle standing in for a photograph"]
    xml = docx_parts(output("everything", template, "docx"))["word/document.xml"].decode()
    assert 'descr="A plain blue rectangle standing in for a photograph"' in xml
    with pdfplumber.open(io.BytesIO(output("everything", template, "pdf"))) as pdf:
        sizes = {(round(i["srcsize"][0]), round(i["srcsize"][1]))
                 for page in pdf.pages for i in page.images}
    assert (8, 5) in sizes


def walk(blocks: tuple[Any, ...]) -> list[Any]:
    out: list[Any] = []
    for block in blocks:
        out.append(block)
        out.extend(walk(getattr(block, "children", ()) or ()))
    return out


@pytest.mark.parametrize("template", PUBLIC)
def test_a_logo_carries_its_alternative_text(template: str) -> None:
    xml = docx_parts(output("everything", template, "docx"))["word/document.xml"].decode()
    alts = re.findall(r'<wp:docPr [^>]*descr="([^"]*)"', xml)
    logos = [alt for alt in alts if "photograph" not in alt]
    assert not logos or "State Emblem of India" in logos, logos


@pytest.mark.parametrize("template", READOUT_TEMPLATES)
def test_key_points_without_headings_print_no_sub_headings(template: str) -> None:
    """A public document has no heading but its title; a brief, only its own sections."""
    deepest = 1 if describe_template(template).audience == "public" else 2
    tree = readout.templating.build_document(headless(), template)
    levels = [b.level for b in walk(tree.body) if isinstance(b, readout.tree.Heading)]
    assert max(levels, default=1) <= deepest
    document = docx.Document(io.BytesIO(output("headless", template, "docx")))
    styles = {p.style.name for p in document.paragraphs}
    assert not {f"Heading {level}" for level in range(deepest + 1, 4)} & styles
    for fmt in FORMATS:
        assert missing(text("headless", template, fmt), [
            "The ministers reviewed cooperation.", "They spoke of terrorism.",
            "We stand with India"]) == []


def test_the_press_release_names_its_label_spokesperson_initials_and_dateline() -> None:
    for fmt in FORMATS:
        shown = text("everything", "press-release", fmt)
        assert missing(shown, [
            "JOINT STATEMENT", "26 June 2025, 15:15 IST · Release ID: 2139043",
            "EMBARGOED UNTIL 18:00 IST, 26 June 2025",
            "The following is attributable to Spokesperson Matthew Miller:",
            "CHINA — The Defence Ministers", "— ENDS — VM/SR"]) == []
        assert shown.count("26 June 2025") == 2  # the release line and the embargo


@pytest.mark.parametrize("template", PUBLIC)
def test_a_release_date_alone_prints_no_time(template: str) -> None:
    dated = readout.from_dict({**yaml.safe_load(MINIMAL), "released": "2025-06-27"})
    for fmt in FORMATS:
        data = readout.render(dated, template, fmt)
        shown = body_text(data, fmt)
        assert re.search(r"\b(27 (June|JUN) 2025|JUNE 27, 2025)\b", shown), shown[:300]
        assert not re.search(r"\d:\d\d", shown)


def body_text(data: bytes, fmt: str) -> str:
    """The words of a document's body in ``fmt`` as one line, page furniture left out."""
    readers = {"pdf": pdf_body_words, "docx": docx_words, "html": html_words, "txt": txt_words}
    return " ".join(readers[fmt](data))


def remote(kind: str) -> readout.Readout:
    """A call of ``kind`` (no venue), or a call-on (a venue with a country only)."""
    data: dict[str, Any] = yaml.safe_load(MINIMAL)
    data["meeting"]["kind"] = kind
    if kind in ("call", "video"):
        del data["meeting"]["venue"]
    else:
        data["meeting"]["venue"] = {"country": "India"}
    return readout.from_dict(data)


@pytest.mark.parametrize("kind", ["video", "call", "call-on"])
@pytest.mark.parametrize("template", READOUT_TEMPLATES)
def test_every_template_renders_a_meeting_with_no_venue_or_no_city(
        template: str, kind: str) -> None:
    doc = remote(kind)
    for fmt in FORMATS:
        data = readout.render(doc, template, fmt)
        shown = body_text(data, fmt)
        assert "The ministers reviewed cooperation." in shown
        if describe_template(template).audience == "internal":
            label = {"video": "Video call", "call": "Telephone call", "call-on": "Call-on"}
            assert f"Kind {label[kind]}" in shown
            assert ("Venue India" in shown) == (kind == "call-on")


# -- the house styles (SPEC section 5), each as its model prints it ----------------------------


def test_the_pib_release_is_laid_out_as_pib_prints_one() -> None:
    for fmt in FORMATS:
        shown = text("everything", "pib-release", fmt)
        assert missing(shown, [
            "Ministry of Defence Ministry of Defence of the Russian Federation JOINT STATEMENT",
            "EMBARGOED UNTIL 18:00 IST, 26 June 2025",
            "India and Russia issue a joint statement after talks in China "
            "Posted On: 26 JUN 2025 3:15PM by PIB Delhi CHINA — The Defence Ministers",
            "“Мы вместе против терроризма,” said Andrey Belousov.",
            "**** VM/SR (Release ID: 2139043)"]) == []
        assert shown.endswith("(Release ID: 2139043)")


def test_the_pib_release_prints_headings_as_bold_lead_ins_and_quotes_in_prose() -> None:
    seed = readout.load(Path(__file__).resolve().parent.parent / "samples"
                        / "2025-06-26-qingdao-in-ru.yaml")
    document = readout.templating.build_document(seed, "pib-release")
    headings = [b for b in walk(document.body) if isinstance(b, readout.tree.Heading)]
    assert [b.level for b in headings] == [1]
    lead_in = next(b for b in document.body if isinstance(b, readout.tree.Paragraph)
                   and readout.tree.plain_text(b.children).startswith("Solidarity against"))
    assert isinstance(lead_in.children[0], readout.tree.Strong)
    assert readout.tree.plain_text(lead_in.children[:1]) == "Solidarity against terrorism:"
    shown = text_of_document(document)
    assert ("“Russia stands in complete solidarity with India against terrorism,” said Mr. "
            "Andrey Belousov.") in shown
    assert "Posted On: 26 JUN 2025 3:15PM by Press Information Bureau" in shown


def text_of_document(document: readout.tree.Document) -> str:
    return " ".join(readout.tree.plain_text(b.children) for b in walk(document.body)
                    if isinstance(b, (readout.tree.Paragraph, readout.tree.Heading)))


def test_the_us_readout_is_laid_out_as_the_state_department_prints_one() -> None:
    for fmt in FORMATS:
        shown = text("everything", "us-readout", fmt)
        assert missing(shown, [
            "India and Russia issue a joint statement after talks in China JOINT STATEMENT "
            "PIB DELHI Ministry of Defence and Ministry of Defence of the Russian Federation "
            "JUNE 26, 2025",
            "The following is attributable to Spokesperson Matthew Miller: CHINA — The Defence "
            "Ministers of India and Russia", "### Release ID: 2139043"]) == []
    plain = readout.from_dict({**yaml.safe_load(MINIMAL), "released": "2021-01-29"})
    shown = " ".join(docx_words(readout.render(plain, "us-readout", "docx")))
    assert shown.startswith("Minister A meets Minister B READOUT OFFICE OF THE SPOKESPERSON "
                            "JANUARY 29, 2021 Minister A held")
    assert shown.endswith("###")


def test_the_govuk_press_release_is_laid_out_as_gov_uk_prints_one() -> None:
    for fmt in FORMATS:
        shown = text("everything", "govuk-press-release", fmt)
        assert missing(shown, [
            "Joint Statement India and Russia issue a joint statement after talks in China "
            "The Defence Ministers of India and Russia held talks in China on 26 and 27 June "
            "2025. From: Ministry of Defence and Ministry of Defence of the Russian Federation "
            "Published 26 June 2025",
            "Minister of Defence Andrey Belousov said: “Россия солидарна с Индией.",
        ]) == []
    seed = readout.load(Path(__file__).resolve().parent.parent / "samples"
                        / "2025-06-26-qingdao-in-ru.yaml")
    shown = text_of_document(readout.templating.build_document(seed, "govuk-press-release"))
    assert "Notes to editors India\u2019s defence modernisation drive" in shown
    assert "Media enquiries Media Cell, Ministry of Defence" in shown
