"""The samples: valid, faithful to their sources, and together exercising the format."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import readout
from readout.model import MeetingKind, OutcomeType, Readout, Role, Status

from .conftest import SAMPLES, SEED, SEED_FACTS

ALL_SAMPLES = sorted(p for p in SAMPLES.glob("*.yaml") if not p.name.endswith(".series.yaml"))


def all_text(doc: Readout) -> str:
    """Every text field of a readout, joined, markup markers removed, lines unfolded."""
    parts: list[str] = [doc.title, doc.summary, doc.meeting.venue.city,
                        doc.meeting.venue.country, doc.meeting.event or "",
                        doc.meeting.date.strftime("%-d %B %Y")]
    parts += [f"{p.name} {p.title}" for p in doc.participants]
    for point in doc.key_points:
        parts += [point.heading, point.body or ""]
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
    assert doc.meeting.setting == "on the sidelines of"
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
    assert {MeetingKind.BILATERAL, MeetingKind.CALL, MeetingKind.MULTILATERAL} <= {
        d.meeting.kind for d in docs}
    assert {r for d in docs for r in (p.role for p in d.participants)} == set(Role)
    outcomes = [o for d in docs for o in d.outcomes]
    assert {o.type for o in outcomes} == set(OutcomeType)
    assert {o.status for o in outcomes if o.status} == set(Status)
    assert all(o.owner and o.due for o in outcomes if o.type is OutcomeType.ACTION)
    markings = {d.marking_of(p) for d in docs for p in (*d.key_points, *d.outcomes, *d.context)}
    assert {"PUBLIC", "OFFICIAL", "OFFICIAL-SENSITIVE"} <= markings
    assert any(b.bullets for d in docs for p in d.key_points for b in p.bullets)
    assert any(d.meeting.start and d.meeting.end for d in docs)
    assert all(d.brief is not None for d in docs)
