"""The template stage: a readout in, a document tree out; asserts on what a reader sees."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import os
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup, escape

import readout
from readout import tree as t
from readout.errors import NothingPublicError, TemplateError
from readout.localise import translate
from readout.model import (
    Brief,
    Bullet,
    ContextEntry,
    Dateline,
    KeyPoint,
    Outcome,
    OutcomeType,
    Participant,
    Quote,
    Role,
)
from readout.template_reader import read
from readout.templating import (
    available_templates,
    build_document,
    build_from_context,
    describe_template,
    longdate,
    public_view,
    readout_templates,
    template_files,
)
from readout.typography import typographic

from .conftest import SAMPLES, SEED

READOUT_SAMPLES = sorted(p for p in SAMPLES.glob("*.yaml")
                         if "format: readout/1" in p.read_text(encoding="utf-8"))


# -- helpers: the text a reader sees ------------------------------------------------------------


def block_lines(blocks: tuple[t.Block, ...]) -> Iterator[str]:
    """Every line of text in ``blocks``, in reading order (one per paragraph or cell)."""
    for block in blocks:
        if isinstance(block, (t.Heading, t.Paragraph)):
            yield t.plain_text(block.children)
        elif isinstance(block, t.BulletList):
            for item in block.items:
                yield from block_lines(item)
        elif isinstance(block, t.Table):
            for row in ((block.header,) if block.header else ()) + block.rows:
                for cell in row.cells:
                    yield t.plain_text(cell.children)
        elif isinstance(block, t.Quote):
            yield from block_lines(block.children)
            yield t.plain_text(block.attribution)
        elif isinstance(block, t.Section):
            yield from block_lines(block.children)
        elif isinstance(block, t.Image):
            yield block.alt


def everything(doc: t.Document) -> str:
    """All text of a document: furniture, body and metadata."""
    meta = doc.metadata
    return "\n".join([*block_lines(doc.header), *block_lines(doc.first_header or ()),
                      *block_lines(doc.body),
                      *block_lines(doc.footer), meta.title, meta.author, meta.subject,
                      *meta.keywords])


def body_text(doc: t.Document) -> str:
    return "\n".join(block_lines(doc.body))


def headings(doc: t.Document) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []

    def walk(blocks: tuple[t.Block, ...]) -> None:
        for block in blocks:
            if isinstance(block, t.Heading):
                found.append((block.level, t.plain_text(block.children)))
            elif isinstance(block, t.Section):
                walk(block.children)

    walk(doc.body)
    return found


def styled(blocks: tuple[t.Block, ...], style: str) -> list[str]:
    out: list[str] = []
    for block in blocks:
        if isinstance(block, t.Section):
            out.extend(styled(block.children, style))
        elif isinstance(block, (t.Paragraph, t.Heading)) and block.style == style:
            out.append(t.plain_text(block.children))
    return out


def in_order(text: str, parts: list[str]) -> bool:
    position = 0
    for part in parts:
        found = text.find(part, position)
        if found < 0:
            return False
        position = found + len(part)
    return True


@pytest.fixture(scope="module")
def seed() -> readout.Readout:
    return readout.load(SEED)


@pytest.fixture(scope="module")
def plenary() -> readout.Readout:
    return readout.load(SAMPLES / "2025-06-25-sco-plenary.yaml")


@pytest.fixture(autouse=True)
def no_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


# -- the press release ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", READOUT_SAMPLES, ids=lambda p: p.stem)
def test_press_release_has_its_parts_in_order(path: Path) -> None:
    data = readout.load(path)
    doc = build_document(data, "press-release")
    text = body_text(doc)
    public_points = [p for p in data.key_points if data.is_public(p)]
    released = data.released.date() if isinstance(data.released, datetime) else (
        data.released or data.meeting.date)
    venue, choice = data.meeting.venue, data.dateline or Dateline.ISSUER
    city = ((data.issuer.city or "") if choice is Dateline.ISSUER else
            (venue.city or venue.country) if choice is Dateline.VENUE and venue else "").upper()

    def label(message: str) -> str:  # in the readout's language
        return translate(message, data.language)

    day = longdate(released, data.language)
    parts = [data.issuer.government or "", data.issuer.organisation, data.issuer.office or "",
             data.label.upper() if data.label else label("PRESS RELEASE"), day,
             readout_plain(data.title, data.language), f"{city} — " if city else "",
             *(readout_plain(p.heading, data.language) for p in public_points if p.heading)]
    if any(data.is_public(o) for o in data.outcomes):
        parts.append(label("Outcomes"))
    parts += [label("— ENDS —")]
    if any(data.is_public(c) for c in data.context):
        parts.append(label("Background"))
    if data.issuer.contact and data.issuer.contact.email:
        parts += [label("Media contact"), data.issuer.contact.email]
    assert in_order(text, [p for p in parts if p])
    assert doc.metadata.subject == "Press release"
    assert doc.metadata.title == readout_plain(data.title, data.language)
    assert doc.metadata.author == data.issuer.organisation


def readout_plain(text: str, language: str = "en") -> str:
    """What the templates print of user ``text``: its plain text, with the quotes and
    apostrophes of ``language``."""
    from readout.templating import plain
    return plain(text, language)


def test_seed_release_opens_with_letterhead_label_time_title_and_dateline(
        seed: readout.Readout) -> None:
    doc = build_document(seed, "press-release")
    letterhead = doc.body[0]
    assert isinstance(letterhead, t.Section) and letterhead.style == "letterhead"
    assert isinstance(letterhead.children[0], t.Image)
    assert letterhead.children[0].data == seed.issuer.logo.read_bytes()  # type: ignore[union-attr]
    assert list(block_lines(letterhead.children))[1:] == [
        "Government of India", "Ministry of Defence", "Press Information Bureau"]
    assert styled(doc.body, "label") == ["PRESS RELEASE"]
    assert styled(doc.body, "release-time") == ["26 June 2025, 15:15 IST"]
    assert styled(doc.body, "title") == [
        "Raksha Mantri meets Russian Defence Minister on the sidelines of the SCO Defence "
        "Ministers’ Meeting in Qingdao"]
    (lead,) = styled(doc.body, "lead")
    assert lead.startswith("NEW DELHI — Raksha Mantri Shri Rajnath Singh held")


def test_dateline_is_bold_and_opens_the_lead(seed: readout.Readout) -> None:
    doc = build_document(seed, "press-release")
    lead = next(b for b in doc.body if isinstance(b, t.Paragraph) and b.style == "lead")
    first = lead.children[0]
    assert isinstance(first, t.Strong)
    assert t.plain_text((first,)) == "NEW DELHI — "


def test_the_dateline_names_only_a_place_the_readout_gives(seed: readout.Readout) -> None:
    issuer = dataclasses.replace(seed.issuer, city=None)
    data = dataclasses.replace(seed, issuer=issuer, released=None)
    doc = build_document(data, "press-release")
    (lead,) = styled(doc.body, "lead")
    assert lead.startswith("Raksha Mantri Shri Rajnath Singh held")
    assert styled(doc.body, "release-time") == ["26 June 2025"]
    for choice, opening in ((Dateline.VENUE, "QINGDAO — Raksha"), (Dateline.NONE, "Raksha")):
        doc = build_document(dataclasses.replace(seed, dateline=choice), "press-release")
        assert styled(doc.body, "lead")[0].startswith(opening)


def test_quotes_are_attributed_to_the_participant_with_title(seed: readout.Readout) -> None:
    doc = build_document(seed, "press-release")
    quotes = [b for b in doc.body if isinstance(b, t.Quote)]
    assert [list(block_lines((q,))) for q in quotes] == [
        ["“stood the test of time”",
         "— Mr. Andrey Belousov, Minister of Defence of the Russian Federation"],
        ["“Russia stands in complete solidarity with India against terrorism.”",
         "— Mr. Andrey Belousov, Minister of Defence of the Russian Federation"],
    ]


def test_a_speaker_who_is_no_participant_is_printed_as_written(seed: readout.Readout) -> None:
    point = dataclasses.replace(seed.key_points[0],
                                quotes=(Quote(speaker="A. Spokesperson", text="« Oui. »"),))
    doc = build_document(dataclasses.replace(seed, key_points=(point,)), "press-release")
    (quote,) = [b for b in doc.body if isinstance(b, t.Quote)]
    assert list(block_lines((quote,))) == ["« Oui. »", "— A. Spokesperson"]


def test_key_points_keep_inline_markup_bullets_and_nested_bullets(
        seed: readout.Readout) -> None:
    doc = build_document(seed, "press-release")
    strong = [n for b in doc.body if isinstance(b, t.Paragraph)
              for n in b.children if isinstance(n, t.Strong)]
    assert t.Strong((t.Text("Operation Sindoor"),)) in strong
    lists = [b for b in doc.body if isinstance(b, t.BulletList)]
    nested = [block for lst in lists for item in lst.items for block in item
              if isinstance(block, t.BulletList)]
    assert [list(block_lines((n,))) for n in nested] == [["radar", "weapon systems", "avionics"]]
    links = [n for b in doc.body if isinstance(b, t.Paragraph)
             for n in b.children if isinstance(n, t.Link)]
    assert t.Link("https://www.mod.gov.in/", (t.Text("Ministry of Defence"),)) in links


def test_media_contact_has_a_live_mailto_link(seed: readout.Readout) -> None:
    doc = build_document(seed, "press-release")
    contact = styled(doc.body, "contact")
    assert contact == ["Media contact", "Media Cell, Ministry of Defence",
                       "E-mail: media-cell@example.gov.in", "Telephone: +91 11 0000 0000"]
    box = next(b for b in doc.body if isinstance(b, t.Section) and b.style == "boxed")
    links = [n for p in box.children if isinstance(p, t.Paragraph)
             for n in p.children if isinstance(n, t.Link)]
    assert [link.target for link in links] == ["mailto:media-cell@example.gov.in"]


def test_release_has_page_x_of_y_and_organisation_in_furniture(seed: readout.Readout) -> None:
    doc = build_document(seed, "press-release")
    (footer,) = doc.footer
    assert isinstance(footer, t.Paragraph)
    assert [type(n) for n in footer.children] == [t.Text, t.PageNumber, t.Text, t.PageCount]
    assert t.plain_text(footer.children) == "Page  of "
    assert list(block_lines(doc.header)) == ["Ministry of Defence"]
    assert doc.first_header == ()  # page 1 has the letterhead, not the running header


def test_brief_repeats_its_header_on_page_one(plenary: readout.Readout) -> None:
    assert build_document(plenary, "internal-brief").first_header is None


def test_press_release_carries_no_classification(plenary: readout.Readout) -> None:
    doc = build_document(plenary, "press-release")
    text = everything(doc)
    for marking in ("OFFICIAL", "SECRET", "(PUBLIC)"):
        assert marking not in text
    assert not any(b.style in ("banner", "marking") for b in doc.header + doc.footer
                   if isinstance(b, t.Paragraph))


# -- nothing leaks ---------------------------------------------------------------------------


def canary_readout(seed: readout.Readout) -> readout.Readout:
    """An OFFICIAL readout with canaries in every place a press release must not print."""
    public = dataclasses.replace(seed.key_points[0], classification="PUBLIC")
    official = KeyPoint(
        heading="CANARY-KP-OFFICIAL-HEADING", body="CANARY-KP-OFFICIAL-BODY",
        bullets=(Bullet("CANARY-KP-OFFICIAL-BULLET", ("CANARY-KP-OFFICIAL-SUB",)),),
        quotes=(Quote("Andrey Belousov", "CANARY-KP-OFFICIAL-QUOTE"),),
        classification="OFFICIAL")
    unmarked = KeyPoint(heading="CANARY-KP-UNMARKED-HEADING", body="CANARY-KP-UNMARKED-BODY")
    outcomes = (
        Outcome("Public outcome", classification="PUBLIC"),
        Outcome("CANARY-OUTCOME-OFFICIAL", classification="OFFICIAL"),
        Outcome("CANARY-OUTCOME-UNMARKED", type=OutcomeType.ACTION, owner="CANARY-OWNER"),
    )
    context = (
        ContextEntry("Public background", body="Public context body.",
                     classification="PUBLIC"),
        ContextEntry("CANARY-CONTEXT-UNMARKED-HEADING", body="CANARY-CONTEXT-UNMARKED-BODY",
                     bullets=(Bullet("CANARY-CONTEXT-BULLET"),)),
        ContextEntry("CANARY-CONTEXT-OFFICIAL-HEADING", classification="OFFICIAL"),
    )
    brief = Brief(reference="CANARY-BRIEF-REFERENCE", version="CANARY-BRIEF-VERSION",
                  purpose="CANARY-BRIEF-PURPOSE", talking_points=("CANARY-BRIEF-TALKING",),
                  follow_up=("CANARY-BRIEF-FOLLOW-UP",), prepared_by="CANARY-BRIEF-PREPARED",
                  cleared_by="CANARY-BRIEF-CLEARED", distribution=("CANARY-BRIEF-DISTRIB",))
    participants = (
        *(dataclasses.replace(p, classification="PUBLIC") for p in seed.participants),
        Participant(name="CANARY-PARTICIPANT-UNMARKED", title="CANARY-TITLE-UNMARKED",
                    country="Nowhere", role=Role.DELEGATION),
        Participant(name="CANARY-PARTICIPANT-OFFICIAL", title="CANARY-TITLE-OFFICIAL",
                    country="Nowhere", role=Role.OBSERVER, classification="OFFICIAL"))
    return dataclasses.replace(
        seed, classification="OFFICIAL", face_classification="PUBLIC",
        participants=participants, key_points=(public, official, unmarked),
        outcomes=outcomes, context=context, brief=brief, tags=("CANARY-TAG",))


CANARIES = ["CANARY-KP-OFFICIAL-HEADING", "CANARY-KP-OFFICIAL-BODY", "CANARY-KP-OFFICIAL-BULLET",
            "CANARY-KP-OFFICIAL-SUB", "CANARY-KP-OFFICIAL-QUOTE", "CANARY-KP-UNMARKED-HEADING",
            "CANARY-KP-UNMARKED-BODY", "CANARY-OUTCOME-OFFICIAL", "CANARY-OUTCOME-UNMARKED",
            "CANARY-OWNER", "CANARY-CONTEXT-UNMARKED-HEADING", "CANARY-CONTEXT-UNMARKED-BODY",
            "CANARY-CONTEXT-BULLET", "CANARY-CONTEXT-OFFICIAL-HEADING", "CANARY-BRIEF-REFERENCE",
            "CANARY-BRIEF-VERSION", "CANARY-BRIEF-PURPOSE", "CANARY-BRIEF-TALKING",
            "CANARY-BRIEF-FOLLOW-UP", "CANARY-BRIEF-PREPARED", "CANARY-BRIEF-CLEARED",
            "CANARY-BRIEF-DISTRIB", "CANARY-TAG", "CANARY-PARTICIPANT-UNMARKED",
            "CANARY-TITLE-UNMARKED", "CANARY-PARTICIPANT-OFFICIAL", "CANARY-TITLE-OFFICIAL"]


@pytest.mark.parametrize("canary", CANARIES)
def test_canary_is_in_the_brief_and_never_in_the_press_release(
        seed: readout.Readout, canary: str) -> None:
    data = canary_readout(seed)
    release = everything(build_document(data, "press-release"))
    brief = everything(build_document(data, "internal-brief"))
    assert canary in brief
    assert canary not in release
    assert "CANARY" not in release


def test_release_of_the_canary_readout_keeps_its_public_portions(seed: readout.Readout) -> None:
    doc = build_document(canary_readout(seed), "press-release")
    assert [h for _, h in headings(doc)] == [
        readout_plain(seed.title), seed.key_points[0].heading, "Outcomes", "Background",
        "Public background"]
    assert "Public outcome" in body_text(doc)
    assert doc.metadata.keywords == ()


def test_public_view_drops_brief_and_non_public_portions(seed: readout.Readout) -> None:
    view = public_view(canary_readout(seed))
    assert view.brief is None
    assert [p.heading for p in view.key_points] == [seed.key_points[0].heading]
    assert [o.text for o in view.outcomes] == ["Public outcome"]
    assert [c.heading for c in view.context] == ["Public background"]


def test_no_public_key_point_raises_nothing_public(seed: readout.Readout) -> None:
    data = dataclasses.replace(seed, classification="OFFICIAL", face_classification="PUBLIC",
                               key_points=tuple(dataclasses.replace(p, classification=None)
                                                for p in seed.key_points))
    with pytest.raises(NothingPublicError) as caught:
        build_document(data, "press-release")
    (problem,) = caught.value.problems
    assert problem.path == "key_points"
    assert "No key point is PUBLIC" in problem.message
    assert "internal brief" in problem.message
    assert build_document(data, "internal-brief").body  # the brief still renders


def test_a_face_not_cleared_refuses_every_public_template(seed: readout.Readout) -> None:
    data = dataclasses.replace(seed, classification="SECRET", key_points=tuple(
        dataclasses.replace(p, classification="PUBLIC") for p in seed.key_points))
    for template in available_templates():
        if describe_template(template).audience != "public":
            continue
        with pytest.raises(NothingPublicError) as caught:
            build_document(data, template)
        (problem,) = caught.value.problems
        assert problem.path == "face_classification"
        assert problem.message.startswith(
            "face_classification is SECRET; set it to PUBLIC when the title and summary are "
            "cleared for release.")
    assert build_document(data, "internal-brief").body


# -- user text is data ------------------------------------------------------------------------


@pytest.mark.parametrize("template", ["press-release", "internal-brief"])
def test_template_syntax_in_user_text_stays_literal(seed: readout.Readout, template: str) -> None:
    hostile = "{{ 7*7 }} {% if true %}x{% endif %} <b>&amp;</b> ]]> <!-- c -->"
    data = dataclasses.replace(seed, title=hostile, summary=f"Lead {hostile}")
    doc = build_document(data, template)
    assert styled(doc.body, "title") == [hostile]
    assert doc.metadata.title == hostile
    assert f"Lead {hostile}" in body_text(doc)
    assert "49" not in body_text(doc)


def test_reportlab_markup_in_user_text_stays_literal(seed: readout.Readout) -> None:
    payload = ("<para><font color=\"[[[getattr(pow, Word('__globals__'))['os']"
               ".system('touch /tmp/pwned')]]]\">x</font></para>")
    point = dataclasses.replace(seed.key_points[0], heading=payload, body=payload)
    doc = build_document(dataclasses.replace(seed, key_points=(point,)), "press-release")
    printed = typographic(payload, "en")  # its quotes as the language's, nothing else
    assert [h for _, h in headings(doc)][1] == printed
    assert printed in body_text(doc).splitlines()


def test_characters_xml_cannot_carry_are_dropped(seed: readout.Readout) -> None:
    data = dataclasses.replace(seed, title="Bad\x00 \x0bchars\x1f kept\u00a0nbsp")
    doc = build_document(data, "press-release")
    assert styled(doc.body, "title") == ["Bad chars kept\u00a0nbsp"]


def test_no_text_carries_template_indentation(plenary: readout.Readout) -> None:
    for template in ("press-release", "internal-brief"):
        doc = build_document(plenary, template)
        for line in block_lines(doc.header + doc.body + doc.footer):
            line = line.replace("Page  of ", "Page 1 of 2")  # page fields print no text
            if line:
                assert line == line.strip(), line
                assert "  " not in line, line


# -- the internal brief ----------------------------------------------------------------------


def test_brief_has_the_banner_in_header_and_footer(plenary: readout.Readout) -> None:
    doc = build_document(plenary, "internal-brief")
    assert styled(doc.header, "banner") == ["OFFICIAL-SENSITIVE"]
    assert styled(doc.footer, "banner") == ["OFFICIAL-SENSITIVE"]
    page = doc.footer[-1]
    assert isinstance(page, t.Paragraph)
    assert t.plain_text(page.children) == "MoD/IC/2025/116 · Page  of "
    assert any(isinstance(n, t.PageNumber) for n in page.children)
    assert any(isinstance(n, t.PageCount) for n in page.children)


def test_brief_has_its_parts_in_order(plenary: readout.Readout) -> None:
    doc = build_document(plenary, "internal-brief")
    assert doc.metadata.subject == "Internal brief"
    assert [h for level, h in headings(doc) if level <= 2] == [
        readout_plain(plenary.title), "(OFFICIAL-SENSITIVE) Purpose", "(PUBLIC) Summary",
        "(PUBLIC) The meeting", "Participants", "Key points",
        "(OFFICIAL-SENSITIVE) Talking points", "Outcomes", "Actions", "Background",
        "(OFFICIAL-SENSITIVE) Follow-up", "(OFFICIAL-SENSITIVE) Distribution"]
    text = body_text(doc)
    assert in_order(text, ["INTERNAL BRIEF", "Reference: MoD/IC/2025/116", "Version: 2.0",
                           "Date: 25 June 2025", "Classification: OFFICIAL-SENSITIVE",
                           "Prepared by: Col. Vikram Sandhu", "Cleared by: Smt. Meera Iyer",
                           "Embassy of India, Beijing (Defence Wing)"])


def test_brief_opens_each_portion_with_its_marking(plenary: readout.Readout) -> None:
    doc = build_document(plenary, "internal-brief")
    level3 = [h for level, h in headings(doc) if level == 3]
    assert level3 == [
        "(PUBLIC) Agenda of the Ministers’ Meeting", "(PUBLIC) Counter-terrorism",
        "(OFFICIAL) Draft joint communiqué", "(OFFICIAL-SENSITIVE) Positions of delegations",
        "(PUBLIC) HADR & military medicine", "(OFFICIAL-SENSITIVE) Assessment",
        "(PUBLIC) The SCO defence track", "(OFFICIAL) Negotiating history"]
    heading = next(b for b in doc.body if isinstance(b, t.Heading) and b.level == 3)
    assert heading.children[0] == t.Text("(PUBLIC)", style="marking")


def test_brief_meeting_facts_table(plenary: readout.Readout) -> None:
    doc = build_document(plenary, "internal-brief")
    facts = next(b for b in doc.body if isinstance(b, t.Table))
    assert facts.widths == (0.24, 0.76)
    rows = [[t.plain_text(c.children) for c in row.cells] for row in facts.rows]
    assert rows == [
        ["Kind", "Multilateral meeting"], ["Date", "Wednesday, 25 June 2025"],
        ["Time", "09:30\u201313:15 (local time)"],
        ["Venue", "Plenary Hall, Conference Centre, Qingdao, China"],
        ["Event", "Ahead of the Shanghai Cooperation Organisation (SCO) Defence Ministers’ "
                  "Meeting"]]


def test_brief_participants_table_is_grouped_by_country(plenary: readout.Readout) -> None:
    doc = build_document(plenary, "internal-brief")
    table = [b for b in doc.body if isinstance(b, t.Table)][1]
    assert table.header is not None
    assert [t.plain_text(c.children) for c in table.header.cells] == ["Name", "Title", "Role"]
    groups = [t.plain_text(r.cells[0].children) for r in table.rows if r.style == "table-group"]
    assert groups == ["India", "China", "Russia", "Kazakhstan", "Uzbekistan", "Mongolia"]
    first = [t.plain_text(c.children) for c in table.rows[1].cells]
    assert first == ["(PUBLIC) Smt. Meera Iyer", "Additional Secretary (Defence), head of the "
                     "Indian delegation\nMinistry of Defence", "Principal"]


def test_brief_action_table_lists_actions_with_markings(plenary: readout.Readout) -> None:
    doc = build_document(plenary, "internal-brief")
    table = [b for b in doc.body if isinstance(b, t.Table)][2]
    assert table.header is not None
    assert [t.plain_text(c.children) for c in table.header.cells] == [
        "Action", "Owner", "Due", "Status"]
    rows = [[t.plain_text(c.children) for c in row.cells] for row in table.rows]
    assert rows[0] == ["(OFFICIAL-SENSITIVE) Circulate India’s text on cross-border terrorism "
                       "to the Russian and Kazakh delegations",
                       "Director (International Cooperation), Ministry of Defence",
                       "26 Jun 2025", "Done"]
    assert [r[3] for r in rows] == ["Done", "In progress", "Open", "Dropped"]
    outcomes = body_text(doc)
    assert "(OFFICIAL) Decided: Refer the two bracketed paragraphs" in outcomes


def test_brief_prints_every_portion_of_every_sample() -> None:
    for path in READOUT_SAMPLES:
        data = readout.load(path)
        text = body_text(build_document(data, "internal-brief"))
        for point in (*data.key_points, *data.context):
            assert f"({data.marking_of(point)}) {readout_plain(point.heading, data.language)}" \
                in text
        for outcome in data.outcomes:
            assert f"({data.marking_of(outcome)}) " in text
            assert readout_plain(outcome.text, data.language) in text


def test_brief_without_a_brief_section_still_renders(seed: readout.Readout) -> None:
    doc = build_document(dataclasses.replace(seed, brief=None), "internal-brief")
    assert "Purpose" not in [h for _, h in headings(doc)]
    assert t.plain_text(doc.footer[-1].children) == "Page  of "  # type: ignore[union-attr]


# -- metadata --------------------------------------------------------------------------------


def test_metadata_created_is_the_release_time(seed: readout.Readout) -> None:
    created = build_document(seed, "press-release").metadata.created
    assert created == seed.released
    no_release = dataclasses.replace(seed, released=None)
    assert build_document(no_release, "press-release").metadata.created == datetime(
        2025, 6, 26, tzinfo=UTC)


def test_source_date_epoch_sets_metadata_created(seed: readout.Readout,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    for template in ("press-release", "internal-brief"):
        created = build_document(seed, template).metadata.created
        assert created == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)


def test_metadata_keywords_and_language(seed: readout.Readout) -> None:
    meta = build_document(seed, "press-release").metadata
    assert meta.keywords == seed.tags
    assert meta.language == "en-IN"


# -- choosing templates ------------------------------------------------------------------------


def test_available_templates_lists_the_built_in_ones() -> None:
    assert available_templates() == ["govuk-press-release", "internal-brief", "pib-release",
                                     "press-release", "series-digest", "us-readout"]


def test_unknown_template_lists_the_choices(seed: readout.Readout) -> None:
    with pytest.raises(TemplateError) as caught:
        build_document(seed, "press-relase")
    message = str(caught.value)
    assert "'press-relase' is unknown" in message
    assert "internal-brief, pib-release, press-release" in message


@pytest.mark.parametrize("name", ["../press-release", "_shared", "themes", "/etc", ""])
def test_template_names_cannot_escape_or_pick_internals(seed: readout.Readout,
                                                        name: str) -> None:
    with pytest.raises(TemplateError, match="is unknown"):
        build_document(seed, name)


def write_template(folder: Path, name: str, source: str, spec: str | None = None) -> Path:
    (folder / name).mkdir(parents=True, exist_ok=True)
    (folder / name / "document.xml.j2").write_text(source, encoding="utf-8")
    if spec is not None:
        (folder / name / "template.yaml").write_text(spec, encoding="utf-8")
    return folder


def test_a_user_folder_overrides_a_built_in_template(seed: readout.Readout,
                                                     tmp_path: Path) -> None:
    write_template(tmp_path, "press-release",
                   '{% import "_shared/macros.xml.j2" as m with context %}'
                   "<document><body><p>OWN {{ readout.title|inline }}</p>"
                   "{% for p in readout.key_points %}<h2>{{ p.heading }}</h2>{% endfor %}"
                   "</body></document>")
    write_template(tmp_path, "digest-card", "<document><body><p>card</p></body></document>")
    doc = build_document(seed, "press-release", template_dirs=[tmp_path])
    assert next(block_lines(doc.body)).startswith("OWN Raksha Mantri meets")
    assert available_templates([tmp_path]) == [
        "digest-card", "govuk-press-release", "internal-brief", "pib-release",
        "press-release", "series-digest", "us-readout"]
    assert build_document(seed, "internal-brief", template_dirs=[tmp_path]).header


def test_a_user_template_without_metadata_sees_only_the_public_view(
        seed: readout.Readout, tmp_path: Path) -> None:
    write_template(tmp_path, "leaky",
                   "<document><body>{% for p in readout.key_points %}<p>{{ p.heading }}</p>"
                   "{% endfor %}<p>{{ readout.brief }}</p></body></document>")
    text = body_text(build_document(canary_readout(seed), "leaky", template_dirs=[tmp_path]))
    assert "CANARY" not in text
    write_template(tmp_path, "leaky", "<document><body/></document>",
                   spec="audience: internal\nsubject: Everything\n")


def test_a_template_error_names_file_and_line(seed: readout.Readout, tmp_path: Path) -> None:
    write_template(tmp_path, "broken", "<document>\n<body>\n{% if %}\n</body></document>")
    with pytest.raises(TemplateError) as caught:
        build_document(seed, "broken", template_dirs=[tmp_path])
    (problem,) = caught.value.problems
    assert problem.file.endswith("broken/document.xml.j2")
    assert problem.line == 3


def test_an_undefined_name_names_file_and_line(seed: readout.Readout, tmp_path: Path) -> None:
    write_template(tmp_path, "typo",
                   "<document>\n<body>\n<p>{{ readout.titel }}</p>\n</body></document>")
    with pytest.raises(TemplateError) as caught:
        build_document(seed, "typo", template_dirs=[tmp_path])
    (problem,) = caught.value.problems
    assert problem.file.endswith("typo/document.xml.j2")
    assert problem.line == 3
    assert "titel" in problem.message


def test_the_sandbox_refuses_python_internals(seed: readout.Readout, tmp_path: Path) -> None:
    write_template(tmp_path, "escape",
                   "<document><body><p>{{ readout.__class__.__mro__ }}</p></body></document>")
    with pytest.raises(TemplateError):
        build_document(seed, "escape", template_dirs=[tmp_path])


SANDBOX_ESCAPES = [
    "'{0.__class__.__mro__}'.format(readout)",       # str.format reaching internals
    "'{x.__class__}'.format_map({'x': readout})",
    "readout.title.format.__self__.__class__",
    "[readout].append(1)",                            # a list changed in place
    "readout.key_points.__len__()",
    "m.__call__.__globals__",                         # a macro's internals
    "participant.__globals__",                        # a context function's
    "mark.__func__.__globals__",                      # a context method's
]


@pytest.mark.parametrize("expression", SANDBOX_ESCAPES)
def test_the_sandbox_refuses_escapes_through_calls_and_methods(
        seed: readout.Readout, tmp_path: Path, expression: str) -> None:
    write_template(tmp_path, "escape",
                   '{% macro m() %}x{% endmacro %}'
                   f"<document><body><p>{{{{ {expression} }}}}</p></body></document>",
                   spec="audience: internal\n")
    with pytest.raises(TemplateError) as caught:
        build_document(seed, "escape", template_dirs=[tmp_path])
    (problem,) = caught.value.problems
    assert problem.file.endswith("escape/document.xml.j2") and problem.line == 1
    assert "unsafe" in problem.message or "not safely callable" in problem.message, \
        problem.message


def test_macros_and_context_functions_are_called_as_jinja_calls_them(
        seed: readout.Readout, tmp_path: Path) -> None:
    write_template(tmp_path, "calls",
                   "{% macro shout(text, end='!') %}{{ text|upper }}{{ end }}{% endmacro %}"
                   "{% macro wrap() %}[{{ caller() }}]{% endmacro %}"
                   "<document><body><p>{{ shout('a') }} {{ shout('b', end='?') }} "
                   "{% call wrap() %}{{ participant('nobody') is none }}{% endcall %} "
                   "{{ _('Background') }}</p></body></document>",
                   spec="audience: internal\n")
    document = build_document(seed, "calls", template_dirs=[tmp_path])
    assert t.plain_text(document.body[0].children) == "A! B? [True] Background"


FILE_READS = ["readout.source.read_text()", "readout.issuer.logo.read_bytes()",
              "readout.source.parent.joinpath(readout.source.name).open().read()",
              "readout.issuer.logo.parent.parent.iterdir()|list"]


@pytest.mark.parametrize("audience", ["public", "internal"])
@pytest.mark.parametrize("expression", FILE_READS)
def test_a_template_can_read_no_file(seed: readout.Readout, tmp_path: Path, audience: str,
                                     expression: str) -> None:
    write_template(tmp_path, "reader",
                   f"<document><body><p>{{{{ {expression} }}}}</p></body></document>",
                   spec=f"audience: {audience}\n")
    with pytest.raises(TemplateError) as caught:
        build_document(seed, "reader", template_dirs=[tmp_path])
    (problem,) = caught.value.problems
    assert problem.file.endswith("reader/document.xml.j2") and problem.line == 1
    assert "format: readout/1" not in problem.message


def test_paths_reach_a_template_as_bare_file_names(seed: readout.Readout,
                                                   tmp_path: Path) -> None:
    write_template(tmp_path, "names", "<document><body><p>{{ readout.source }}</p>"
                   "<p>{{ readout.issuer.logo }}</p></body></document>",
                   spec="audience: internal\n")
    text = body_text(build_document(seed, "names", template_dirs=[tmp_path]))
    assert text.splitlines() == ["2025-06-26-qingdao-in-ru.yaml", "emblem.png"]


def _reachable(value: object, seen: set[int]) -> Iterator[object]:
    if id(value) in seen:
        return
    seen.add(id(value))
    yield value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from _reachable(getattr(value, field.name), seen)
    elif isinstance(value, (tuple, list, set, frozenset)):
        for item in value:
            yield from _reachable(item, seen)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _reachable(key, seen)
            yield from _reachable(item, seen)


def test_no_template_is_given_an_object_that_can_open_files(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Whatever reaches a template, for every template, sample and digest: no path."""
    import jinja2

    given: list[object] = []
    real = jinja2.Template.new_context

    def spy(self: jinja2.Template, *args: object, **kwargs: object) -> object:
        given.extend(args)
        given.append(kwargs)
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(jinja2.Template, "new_context", spy)
    for path in READOUT_SAMPLES:
        doc = readout.load(path)
        for template in available_templates():
            with contextlib.suppress(NothingPublicError, TemplateError):
                build_document(doc, template)
    readout.render_series(SAMPLES / "sco-qingdao-2025.series.yaml", tmp_path, jobs=1,
                          formats=["docx"], templates=["internal-brief"])
    assert len(given) > len(READOUT_SAMPLES)
    seen: set[int] = set()
    for value in (v for context in given for v in _reachable(context, seen)):
        assert not isinstance(value, os.PathLike), value
        assert not any(hasattr(value, name) for name in ("read_text", "read_bytes", "open",
                                                          "write_text", "unlink")), value


def test_bad_template_yaml_is_a_template_error(seed: readout.Readout, tmp_path: Path) -> None:
    write_template(tmp_path, "odd", "<document><body/></document>", spec="audience: everyone\n")
    with pytest.raises(TemplateError, match="audience"):
        build_document(seed, "odd", template_dirs=[tmp_path])


# -- the reader ------------------------------------------------------------------------------


def test_reader_rejects_an_unknown_element_with_its_place() -> None:
    with pytest.raises(TemplateError) as caught:
        read("<document>\n<body>\n<p>ok</p>\n<marquee>x</marquee>\n</body>\n</document>",
             name="mine/document.xml.j2")
    (problem,) = caught.value.problems
    assert problem.file == "mine/document.xml.j2"
    assert problem.line == 4
    assert "<marquee> is not a known element in <body>" in problem.message


def test_reader_rejects_an_unknown_attribute() -> None:
    with pytest.raises(TemplateError, match="<p> has no attribute 'onclick'"):
        read('<document><body><p onclick="x">y</p></body></document>')


def test_reader_rejects_an_inline_in_the_wrong_place() -> None:
    with pytest.raises(TemplateError, match="<b> is not allowed in <body>"):
        read("<document><body><b>loose</b></body></document>")
    with pytest.raises(TemplateError, match="put it in a <p>"):
        read("<document><body>loose text</body></document>")


@pytest.mark.parametrize("xml", [
    '<!DOCTYPE document [<!ENTITY x "y">]><document><body><p>&x;</p></body></document>',
    '<!DOCTYPE document SYSTEM "file:///etc/passwd"><document><body/></document>',
])
def test_reader_refuses_doctype_and_entities(xml: str) -> None:
    with pytest.raises(TemplateError, match="DOCTYPE"):
        read(xml)


def test_reader_rechecks_link_schemes() -> None:
    with pytest.raises(TemplateError, match="http://, https:// or mailto:"):
        read('<document><body><p><a href="javascript:alert(1)">x</a></p></body></document>')


def test_reader_loads_only_images_it_was_given() -> None:
    xml = '<document><body><img src="{}" width-mm="20"/></body></document>'
    with pytest.raises(TemplateError, match="names no image"):
        read(xml.format("/etc/passwd"), images={"logo": b"png"})
    doc = read(xml.format("logo"), images={"logo": b"png"})
    assert doc.body == (t.Image(b"png", 20.0),)


def test_reader_checks_table_rows_against_widths() -> None:
    with pytest.raises(TemplateError, match="2 cells; the table has 3 columns"):
        read('<document><body><table widths="0.4 0.3 0.3"><tr><td>a</td><td>b</td></tr>'
             "</table></body></document>")


def test_reader_reads_a_group_row_and_refuses_one_it_cannot_draw() -> None:
    table = ('<document><body><table widths="0.5 0.5"><tr group="{}"><td>India</td>'
             "<td>{}</td></tr><tr><td>a</td><td>b</td></tr></table></body></document>")
    doc = read(table.format("true", ""))
    group, member = doc.body[0].rows  # type: ignore[union-attr]
    assert (group.group, member.group) == (True, False)
    with pytest.raises(TemplateError, match='leave its other cells empty') as raised:
        read(table.format("true", "x"))
    assert raised.value.problems[0].line == 1
    with pytest.raises(TemplateError, match='<tr group="yes">: write group="true"'):
        read(table.format("yes", ""))


def test_reader_collapses_whitespace_and_keeps_structure() -> None:
    doc = read("""<document subject="S">
      <body>
        <p style="lead">
          <b style="dateline">CITY, 1 May 2025 — </b>
          Text   over
          lines <i> and </i> more.<br/>  Next line
        </p>
        <ul><li>one <ul><li>sub</li></ul></li><li><p>two</p></li></ul>
        <spacer height="6"/><hr/><pagebreak/>
      </body>
    </document>""", metadata=t.Metadata(title="T"))
    assert doc.metadata.title == "T" and doc.metadata.subject == "S"
    lead = doc.body[0]
    assert lead == t.Paragraph((
        t.Strong((t.Text("CITY, 1 May 2025 — "),), style="dateline"),
        t.Text("Text over lines "), t.Emphasis((t.Text("and "),)), t.Text("more."),
        t.LineBreak(), t.Text("Next line")), style="lead")
    assert doc.body[1] == t.BulletList((
        (t.Paragraph((t.Text("one"),)), t.BulletList(((t.Paragraph((t.Text("sub"),)),),))),
        (t.Paragraph((t.Text("two"),)),)))
    assert doc.body[2:] == (t.Spacer(6.0), t.Rule(), t.PageBreak())


def test_reader_reads_a_first_page_header() -> None:
    furniture = "<header><p>Running</p></header><footer><p>Foot</p></footer>"
    doc = read(f"<document>{furniture}<first-header><p>First</p></first-header>"
               "<body/></document>")
    assert doc.first_header == (t.Paragraph((t.Text("First"),)),)
    assert doc.header == (t.Paragraph((t.Text("Running"),)),)
    assert read(f"<document>{furniture}<first-header/><body/></document>").first_header == ()
    assert read(f"<document>{furniture}<body/></document>").first_header is None


def test_reader_rejects_a_second_first_header_with_its_place() -> None:
    with pytest.raises(TemplateError) as caught:
        read("<document>\n<first-header/>\n<first-header><p>x</p></first-header>\n"
             "<body/>\n</document>", name="mine/document.xml.j2")
    (problem,) = caught.value.problems
    assert problem.line == 3
    assert "<document> has more than one <first-header>" in problem.message
    with pytest.raises(TemplateError, match="<first-header> has no attribute 'page'"):
        read('<document><first-header page="1"/><body/></document>')
    with pytest.raises(TemplateError, match="<first-header> is not allowed in <body>"):
        read("<document><body><first-header/></body></document>")


def test_reader_applies_span_styles_to_text() -> None:
    doc = read('<document><body><p><span style="marking">(OFFICIAL) <b>x</b></span> y</p>'
               "</body></document>")
    assert doc.body == (t.Paragraph((
        t.Text("(OFFICIAL) ", style="marking"), t.Strong((t.Text("x"),), style="marking"),
        t.Text(" y"))),)


# -- speed -----------------------------------------------------------------------------------


# -- for other stages ----------------------------------------------------------------------------


def test_template_files_lists_document_imports_and_metadata(tmp_path: Path) -> None:
    names = [(p.parent.name, p.name) for p in template_files("press-release")]
    assert names == [("press-release", "document.xml.j2"), ("_shared", "macros.xml.j2"),
                     ("press-release", "template.yaml")]
    write_template(tmp_path, "press-release", "<document><body/></document>")
    assert template_files("press-release", [tmp_path]) == [
        tmp_path.resolve() / "press-release" / "document.xml.j2"]
    assert template_files("no-such-template") == []


def test_build_from_context_renders_any_context(tmp_path: Path) -> None:
    write_template(tmp_path, "card", "<document><body>{% for x in items %}<p>{{ x|inline }}</p>"
                                     "{% endfor %}</body></document>",
                   spec="subject: A card\n")
    doc = t.Metadata(title="Cards")
    built = build_from_context("card", {"items": ["**one**", "{{ two }}"]}, doc,
                               template_dirs=[tmp_path])
    assert built.metadata == t.Metadata(title="Cards", subject="A card")
    assert built.body == (t.Paragraph((t.Strong((t.Text("one"),)),)),
                          t.Paragraph((t.Text("{{ two }}"),)))


@settings(max_examples=200, deadline=None)
@given(value=st.one_of(st.text(), st.integers(), st.floats(allow_nan=False),
                       st.text().map(Markup), st.none()))
def test_output_is_escaped_as_markupsafe_escapes(value: object) -> None:
    from readout.templating import _escaped_output

    assert _escaped_output(value) == str(escape(value))


@pytest.mark.parametrize("bad", ['<p lang="not a tag">x</p>', "<p>a<q>b</q></p>",
                                 '<table widths="1"><tr><td>a</td><td>b</td></tr></table>',
                                 '<p xml:lang="en">x</p>'])
def test_markup_problems_are_placed_alike_with_or_without_a_comment(bad: str) -> None:
    # a comment sends the markup through the parser that places every element as it
    # goes; without one, the C parser reads it and places are found when a problem needs
    # one: the same problem, at the same line and column, either way
    markup = "<document>\n<body>\n<p>one</p>\n  <h2>two</h2>{}\n</body>\n</document>"
    problems = []
    for comment in ("", "<!-- a comment -->"):
        with pytest.raises(TemplateError) as caught:
            read(markup.format(bad) + comment)
        problems.append(caught.value.problems)
    assert problems[0] == problems[1]
    assert problems[0][0].line == 4 and problems[0][0].column > 1


def test_a_callable_marked_for_jinja_is_called_as_jinja_says(tmp_path: Path) -> None:
    import jinja2
    from jinja2.sandbox import unsafe

    write_template(tmp_path, "marked", "<document><body><p>{{ f() }}</p></body></document>")
    doc = t.Metadata(title="Marked")
    with pytest.raises(TemplateError) as caught:
        build_from_context("marked", {"f": unsafe(lambda: "ran")}, doc,
                           template_dirs=[tmp_path])
    assert "not safely callable" in caught.value.problems[0].message
    given_context = jinja2.pass_context(lambda context: type(context).__name__)
    built = build_from_context("marked", {"f": given_context}, doc, template_dirs=[tmp_path])
    assert built.body == (t.Paragraph((t.Text("Context"),)),)


@settings(max_examples=60, deadline=None)
@given(title=st.text(max_size=80), body=st.text(max_size=200))
def test_any_user_text_renders_and_reads_back(title: str, body: str) -> None:
    data = readout.load(SEED)
    point = dataclasses.replace(data.key_points[0], heading=title, body=body, quotes=())
    data = dataclasses.replace(data, title=title, key_points=(point,))
    for template in ("press-release", "internal-brief"):
        doc = build_document(data, template)
        expected = re.sub(r"[ \t\r\n]+", " ", readout_plain(title)).strip(" ")
        assert styled(doc.body, "title") == [expected]


@pytest.mark.parametrize("ending", ["\\", "\\\\", "\\*"])
def test_a_quote_keeps_a_backslash_at_its_end(seed: readout.Readout, ending: str) -> None:
    words = f"Solidarity {ending}"
    point = dataclasses.replace(seed.key_points[0], quotes=(Quote("Andrey Belousov", words),))
    doc = dataclasses.replace(seed, key_points=(point,))
    expected = "\u201c" + t.plain_text(readout.markup.parse_inline(words)) + "\u201d"
    assert expected in block_lines(build_document(doc, "press-release").body)


@settings(max_examples=200, deadline=None)
@given(st.text(st.sampled_from([*" \t\r\nab\u00a0é<>&\""]), max_size=12))
def test_a_paragraph_of_text_alone_is_tidied_as_one_with_inlines(text: str) -> None:
    """A paragraph or cell with no inline element inside gets the whitespace tidying of
    one that has some: collapsed, stripped at its edges, nothing when only spaces."""
    from xml.sax.saxutils import escape

    body = escape(text)
    alone = read(f"<document><body><p>{body}</p></body></document>").body
    inside = read(f"<document><body><p>{body}<b></b></p></body></document>").body
    assert alone == inside
    words = " ".join(text.replace("\u00a0", "\x00").split()).replace("\x00", "\u00a0")
    assert alone == ((t.Paragraph((t.Text(words),)),) if words else (t.Paragraph(()),))


# -- no reference cycles ----------------------------------------------------------------------


def cyclic_garbage(action: Callable[[], object]) -> list[str]:
    """The kinds of object ``action`` leaves in reference cycles: what only the cyclic
    garbage collector would free (with it off while ``action`` runs)."""
    import gc

    collecting = gc.isenabled()
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        action()
        gc.collect()
        return sorted({f"{type(o).__module__}.{type(o).__qualname__}" for o in gc.garbage})
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if collecting:
            gc.enable()


def test_a_rendering_leaves_no_reference_cycles(seed: readout.Readout) -> None:
    """Each template's macros, the module they come from and its context, the reader
    and the parser are freed when a document is built, not left to the collector."""
    for template in readout_templates():
        build_document(seed, template)  # compiled, fonts and caches made once
        assert cyclic_garbage(functools.partial(build_document, seed, template)) == [], template
    from readout.digest import build_digest, meeting_summary

    summaries = [meeting_summary(seed)]
    build_digest("Series", summaries)
    assert cyclic_garbage(lambda: build_digest("Series", summaries)) == []


def test_markup_read_with_places_leaves_no_reference_cycles() -> None:
    """Markup the C parser alone does not read (a comment in it) is parsed with a
    handler per element, and the parser and its handlers are freed after."""
    markup = "<document><!-- c --><body><p>One <b>two</b></p></body></document>"
    assert read(markup).body == (t.Paragraph((t.Text("One "), t.Strong((t.Text("two"),)))),)
    assert cyclic_garbage(lambda: read(markup)) == []


def test_a_macro_module_kept_by_its_template_still_works_after_a_rendering(
        seed: readout.Readout, tmp_path: Path) -> None:
    """A module imported without context is kept by its template for the next
    rendering, so what a rendering lets go of is never its macros."""
    (tmp_path / "own.xml.j2").write_text(
        '{% macro once(text) %}{{ text }}{% endmacro %}'
        '{% macro twice(text) %}{{ once(text) }} {{ once(text) }}{% endmacro %}',
        encoding="utf-8")
    write_template(tmp_path, "kept", '{% import "own.xml.j2" as own %}'
                   "<document><body><p>{{ own.twice(audience) }}</p>"
                   "</body></document>")
    write_template(tmp_path, "from", '{% from "own.xml.j2" import twice %}'
                   "<document><body><p>{{ twice(audience) }}</p></body></document>")
    for _ in range(2):
        for template in ("kept", "from"):
            doc = build_document(seed, template, template_dirs=[tmp_path])
            assert list(block_lines(doc.body)) == ["public public"], template
