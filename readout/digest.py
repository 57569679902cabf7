"""The digest of a series: every meeting in date order, then every action, tracked.

A private secretary reads this instead of opening twenty files. It is built from the
meeting summaries of the members (see `batch.meeting_summary`), made in the same run,
never read back from a manifest. An action is *past due* when it is still
open or in progress and its due date is before the series' latest meeting. The digest
is internal: it carries every action, each row marked as the series' scheme marks
portions, and the highest marking of what it shows (never the public level).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from . import tree
from .classification import DEFAULT_SCHEME, ClassificationScheme
from .templating import Marks, build_from_context, source_date
from .themes import Theme

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
    marking: str  # of what its row shows: the face and the counterparts


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


def digest_of(title: str, summaries: Sequence[Mapping[str, Any]],
              scheme: ClassificationScheme = DEFAULT_SCHEME) -> Digest:
    """The digest model of a series from its meeting summaries (any order)."""
    meetings = sorted((_meeting(s, scheme) for s in summaries), key=lambda m: (m.date, m.id))
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
                                        status=status,
                                        marking=item.get("marking") or meeting.classification,
                                        meeting=meeting, past_due=overdue))
    shown = [*(m.marking for m in meetings), *(a.marking for a in actions)]
    return Digest(title=title, classification=scheme.internal(scheme.highest(shown)),
                  meetings=tuple(meetings), actions=tuple(actions))


def build_digest(title: str, summaries: Sequence[Mapping[str, Any]], *,
                 scheme: ClassificationScheme = DEFAULT_SCHEME,
                 template_dirs: Sequence[str | Path] = (),
                 theme: Theme | None = None) -> tree.Document:
    """The document tree of the digest, from the built-in (or a user's) template."""
    digest = digest_of(title, summaries, scheme)
    latest = digest.latest or date(2000, 1, 1)
    languages = {summary.get("language", "en") for summary in summaries}
    metadata = tree.Metadata(  # the members' language when they share one
        title=title, author="", subject="Series digest",
        language=languages.pop() if len(languages) == 1 else "en",
        created=source_date(datetime.combine(latest, time(0), tzinfo=UTC)),
        classification=digest.classification)
    marks = Marks(scheme, _marking_of)
    context = {"digest": digest, "marking": digest.classification, "mark": marks.mark,
               "mark_each": marks.mark_each}
    return build_from_context(TEMPLATE, context, metadata, template_dirs=template_dirs,
                              theme=theme)


def _marking_of(row: Any) -> str:
    if isinstance(row, (DigestMeeting, DigestAction)):
        return row.marking
    raise TypeError(f"mark() takes a meeting or an action of the digest, or a marking, "
                    f"not {type(row).__name__}")


def _meeting(summary: Mapping[str, Any], scheme: ClassificationScheme) -> DigestMeeting:
    classification = summary.get("classification", scheme.public)
    return DigestMeeting(
        id=summary["id"], title=summary["title"], date=date.fromisoformat(summary["date"]),
        kind=summary.get("kind", "other"), venue=summary.get("venue", ""),
        counterparts=tuple(summary.get("counterparts", ())),
        outcomes=int(summary.get("outcomes", 0)), classification=classification,
        marking=summary.get("marking") or classification)
