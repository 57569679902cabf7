"""The samples: valid, faithful to their sources, and together exercising the format."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest

import readout
from readout.model import (
    Attendance,
    FollowUp,
    MeetingKind,
    OutcomeType,
    Readout,
    Role,
    Status,
)

from .conftest import SAMPLES, SEED, SEED_FACTS

ALL_SAMPLES = sorted(p for p in SAMPLES.glob("*.yaml") if not p.name.endswith(".series.yaml"))


def all_text(doc: Readout) -> str:
    """Every text field of a readout, joined, markup markers removed, lines unfolded."""
    venue = doc.meeting.venue
    parts: list[str] = [doc.title, doc.summary, venue.city or "" if venue else "",
                        venue.country if venue else "", doc.meeting.event or "",
                        doc.meeting.date.strftime("%-d %B %Y")]
    parts += [f"{p.name or ''} {p.title or ''}" for p in doc.participants]
    for point in doc.key_points:
        parts += [point.heading or "", point.body or ""]
        parts += [q.text for q in point.quotes]
        for bullet in point.bullets:
            parts += [bullet.text, *bullet.bullets]
    parts += [o.text for o in doc.outcomes]
    for entry in doc.context:
        parts += [entry.heading, entry.body or ""]
    text = " ".join(parts).replace("*", "")
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("path", ALL_SAMPLES, ids=lambda p: p.stem)
def test_every_sample_is_valid_without_warnings(path: Path) -> None:
    doc, warnings = readout.check(path)
    assert warnings == []
    assert doc.id == path.stem


def test_the_seed_sample_carries_every_fact_of_the_article() -> None:
    text = all_text(readout.load(SEED))
    missing = [fact for fact in SEED_FACTS if fact.lower() not in text.lower()]
    assert missing == []


def test_the_seed_sample_has_both_principals_the_quotes_and_four_outcomes() -> None:
    doc = readout.load(SEED)
    assert [(p.display_name, p.role) for p in doc.participants] == [
        ("Shri Rajnath Singh", Role.PRINCIPAL), ("Mr. Andrey Belousov", Role.COUNTERPART)]
    assert doc.meeting.setting == "on the sidelines of the"
    quotes = [(q.speaker, q.text) for p in doc.key_points for q in p.quotes]
    assert quotes == [
        ("Andrey Belousov", "stood the test of time"),
        ("Andrey Belousov", "Russia stands in complete solidarity with India against terrorism."),
    ]
    assert len(doc.outcomes) == 4
    assert len(doc.context) >= 2
    assert doc.issuer.logo is not None and doc.issuer.logo.is_file()


def test_the_quotes_are_verbatim_from_the_article() -> None:
    source = (SAMPLES / "sources" / "2025-06-26-qingdao-in-ru.article.txt").read_text(
        encoding="utf-8")
    for point in readout.load(SEED).key_points:
        for quote in point.quotes:
            assert f"“{quote.text.rstrip('.')}" in source


def test_the_samples_together_exercise_the_format() -> None:
    docs = [readout.load(path) for path in ALL_SAMPLES]
    assert {MeetingKind.BILATERAL, MeetingKind.CALL, MeetingKind.MULTILATERAL,
            MeetingKind.VIDEO, MeetingKind.VISIT} <= {d.meeting.kind for d in docs}
    assert {r for d in docs for r in (p.role for p in d.participants)} == set(Role)
    outcomes = [o for d in docs for o in d.outcomes]
    assert {o.type for o in outcomes} == set(OutcomeType)
    assert {o.status for o in outcomes if o.status} == set(Status)
    assert all(o.owner and o.due for o in outcomes if o.type is OutcomeType.ACTION)
    markings = {d.marking_of(p) for d in docs for p in (*d.key_points, *d.outcomes, *d.context)}
    assert {"PUBLIC", "OFFICIAL", "OFFICIAL-SENSITIVE"} <= markings
    assert any(b.bullets for d in docs for p in d.key_points for b in p.bullets)
    assert any(d.meeting.start and d.meeting.end for d in docs)
    # the readouts of real releases carry what their releases say, and no invented brief
    assert [d.id for d in docs if d.brief is None] == [d.id for d in docs if is_real(d)]
    # the additions of the format (SPEC section 1) all appear somewhere
    participants = [p for d in docs for p in d.participants]
    assert {p.attendance for p in participants} >= {Attendance.REMOTE, Attendance.IN_PERSON}
    assert any(p.name is None for p in participants)
    assert any(p.country is None and p.organisation for p in participants)
    assert any(d.meeting.venue is None for d in docs)
    assert any(d.meeting.venue and d.meeting.venue.city is None for d in docs)
    assert any(d.meeting.several_days and d.meeting.requested_by is None for d in docs)
    assert any(d.meeting.requested_by for d in docs)
    assert {d.label for d in docs} >= {None, "Readout", "Joint Statement"}
    assert any(d.co_issuers for d in docs) and any(d.embargo for d in docs)
    assert any(d.issuer.spokesperson for d in docs) and any(d.photos for d in docs)
    assert any(d.release_id for d in docs) and any(d.initials for d in docs)
    assert any(d.previous for d in docs)
    assert any(not isinstance(d.released, datetime) and d.released for d in docs)
    assert any(p.heading is None for d in docs for p in d.key_points)
    assert any("\n- " in (p.body or "") for d in docs for p in d.key_points)
    quotes = [q for d in docs for p in d.key_points for q in p.quotes]
    assert any(q.translation and q.language for q in quotes)
    assert any("\n\n" in q.text.strip() for q in quotes)
    assert any(o.signed_by for o in outcomes)
    follow_ups = [i for d in docs if d.brief for i in d.brief.follow_up]
    assert any(isinstance(i, FollowUp) for i in follow_ups)
    assert any(isinstance(i, str) for i in follow_ups)


REAL = re.compile(r"^# Real: ", re.MULTILINE)


def is_real(doc: Readout) -> bool:
    """A sample that transcribes a real public release (its header says "Real:")."""
    return bool(REAL.search(Path(str(doc.source)).read_text(encoding="utf-8")))


@pytest.mark.parametrize("path", ALL_SAMPLES, ids=lambda p: p.stem)
def test_every_sample_says_whether_it_is_real_or_illustrative(path: Path) -> None:
    header = path.read_text(encoding="utf-8").split("\nformat:", 1)[0]
    real, illustrative = "# Real: " in header, "illustrative" in header.lower()
    assert real or illustrative
    if real:  # and says where it comes from, and what it does not say
        assert re.search(r"sources/\S+\.txt", header) and "Not in the" in header


REAL_SAMPLES = [p for p in ALL_SAMPLES if REAL.search(p.read_text(encoding="utf-8"))]


@pytest.mark.parametrize("path", REAL_SAMPLES, ids=lambda p: p.stem)
def test_a_real_release_is_transcribed_word_for_word(path: Path) -> None:
    """Every text of a transcribed release (title, summary, key points, quotes) is in
    the release as kept in sources/, word for word."""
    [source] = (SAMPLES / "sources").glob(f"{path.stem}.*.txt")
    original = " ".join(source.read_text(encoding="utf-8").split())
    doc = readout.load(path)
    texts = [doc.title, doc.summary, *(p.body or "" for p in doc.key_points),
             *(paragraph for p in doc.key_points for q in p.quotes
               for paragraph in q.text.split("\n\n"))]
    missing = [t for t in texts if t.strip() and " ".join(t.split()) not in original]
    assert missing == []
    for person in doc.participants:
        assert person.name and person.name in original
