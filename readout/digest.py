"""The digest of a series: every meeting in date order, then every action, tracked.

A private secretary reads this instead of opening twenty files. It is built from the
meeting summaries a batch keeps in its manifest (see `series.meeting_summary`), so an
unchanged member need not be loaded again. An action is *past due* when it is still
open or in progress and its due date is before the series' latest meeting. The digest
is internal: it carries every action and the highest marking of its meetings.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from . import tree
from .classification import DEFAULT_SCHEME
from .templating import build_from_context, source_date

TEMPLATE = "series-digest"
OPEN_STATUSES = frozenset({"open", "in-progress"})


@dataclass(frozen=True, slots=True)
class DigestMeeting:
    id: str
    title: str
    date: date
    kind: str
    venue: str
    counterparts: tuple[str, ...]
    outcomes: int
    classification: str


@dataclass(frozen=True, slots=True)
class DigestAction:
    text: str
    owner: str | None
    due: date | None
    status: str
    marking: str
    meeting: DigestMeeting
    past_due: bool


@dataclass(frozen=True, slots=True)
class Digest:
    title: str
    classification: str
    meetings: tuple[DigestMeeting, ...]
    actions: tuple[DigestAction, ...]

    @property
    def latest(self) -> date | None:
        return max((m.date for m in self.meetings), default=None)

    @property
    def open_actions(self) -> int:
        return sum(a.status in OPEN_STATUSES for a in self.actions)

    @property
    def past_due(self) -> int:
        return sum(a.past_due for a in self.actions)


def digest_of(title: str, summaries: Sequence[Mapping[str, Any]]) -> Digest:
    """The digest model of a series from its meeting summaries (any order)."""
    meetings = sorted((_meeting(s) for s in summaries), key=lambda m: (m.date, m.id))
    latest = max((m.date for m in meetings), default=None)
    by_id = {m.id: m for m in meetings}
    actions = []
    for summary in sorted(summaries, key=lambda s: (s["date"], s["id"])):
        meeting = by_id[summary["id"]]
        for item in summary.get("actions", ()):
            due = date.fromisoformat(item["due"]) if item.get("due") else None
            status = item.get("status") or "open"
            overdue = bool(due and latest and status in OPEN_STATUSES and due < latest)
            actions.append(DigestAction(text=item["text"], owner=item.get("owner"), due=due,
                                        status=status, marking=item.get("marking", ""),
                                        meeting=meeting, past_due=overdue))
    return Digest(title=title, classification=_highest(m.classification for m in meetings),
                  meetings=tuple(meetings), actions=tuple(actions))


def build_digest(title: str, summaries: Sequence[Mapping[str, Any]], *,
                 template_dirs: Sequence[str | Path] = ()) -> tree.Document:
    """The document tree of the digest, from the built-in (or a user's) template."""
    digest = digest_of(title, summaries)
    latest = digest.latest or date(2000, 1, 1)
    metadata = tree.Metadata(
        title=title, author="", subject="Series digest", language="en",
        created=source_date(datetime.combine(latest, time(0), tzinfo=UTC)))
    return build_from_context(TEMPLATE, {"digest": digest}, metadata,
                              template_dirs=template_dirs)


def _meeting(summary: Mapping[str, Any]) -> DigestMeeting:
    return DigestMeeting(
        id=summary["id"], title=summary["title"], date=date.fromisoformat(summary["date"]),
        kind=summary.get("kind", "other"), venue=summary.get("venue", ""),
        counterparts=tuple(summary.get("counterparts", ())),
        outcomes=int(summary.get("outcomes", 0)),
        classification=summary.get("classification", DEFAULT_SCHEME.public))


def _highest(markings: Iterable[str]) -> str:
    known = [m for m in markings if m in DEFAULT_SCHEME]
    return max(known, key=DEFAULT_SCHEME.rank) if known else DEFAULT_SCHEME.public
