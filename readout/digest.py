"""The digest of a series: what a private secretary reads instead of twenty files.

1. `meeting_summary` keeps what the digest needs of one validated meeting as JSON-ready
   data (a worker makes it beside the member's documents).
2. `digest_of` turns the summaries into the `Digest` model: the as-at date, the meetings
   in date order, every action (action outcomes and structured ``brief.follow_up``
   items) with a stable id (``<meeting id>/O3`` is the third entry of ``outcomes``,
   ``/F2`` the second item of ``brief.follow_up``), days overdue judged against the
   as-at date, open work grouped by owner, status totals, and the marking.
3. `build_digest` lays out the chart (`readout.chart`) and renders the template
   ``series-digest`` into a document tree.

An action is *overdue* when it is open or in progress and its due date is before the
as-at date; *due soon* when it falls due on the as-at date or in the 14 days after.
The digest is internal: it is never marked below the scheme's lowest internal level,
and carries the highest marking of what it shows (each meeting's face and counterparts,
every action it counts), or the series' own ``digest.marking`` if that is higher; its
rows are marked as the series' scheme marks portions (`templating.Marks`).

The summaries are made in the same run as the digest, from the members themselves,
never read back from a manifest (which anyone can edit).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any, TypeAlias

from . import tree
from .chart import Bar, Key, Segment, TextMetrics, stacked_bars
from .classification import DEFAULT_SCHEME, ClassificationScheme
from .model import DigestSettings, FollowUp, Readout
from .templating import Marks, build_from_context, longdate, source_date
from .themes import Theme, load_theme

Day: TypeAlias = date  # a class with a field called ``date`` cannot say ``date`` after it
TEMPLATE = "series-digest"
SUMMARY_FORMAT = 3  # raise when `meeting_summary` changes: older summaries are redone
SOON_DAYS = 14
OPEN_STATUSES = ("open", "in-progress")
STATUSES = ("open", "in-progress", "done", "dropped")
STATUS_LABELS = {"open": "Open", "in-progress": "In progress", "done": "Done",
                 "dropped": "Dropped"}
OUTCOME_TYPES = ("agreement", "decision", "action", "statement", "document")
CHART_BARS = 12  # owners shown one by one; the rest share a bar


# -- 1. summaries ---------------------------------------------------------------------------


def meeting_summary(doc: Readout) -> dict[str, Any]:
    """What the digest needs of one meeting, as JSON-ready data (kept in the manifest)."""
    meeting = doc.meeting
    venue = meeting.venue
    places = [venue.name, venue.city, venue.country] if venue else []
    counts: dict[str, int] = {}
    for outcome in doc.outcomes:
        counts[outcome.type.value] = counts.get(outcome.type.value, 0) + 1
    actions = [
        {"ref": f"O{index}", "text": o.text, "owner": o.owner, "due": _iso(o.due),
         "status": o.status.value if o.status else "open", "marking": doc.marking_of(o)}
        for index, o in enumerate(doc.outcomes, start=1) if o.type.value == "action"]
    brief_marking = doc.internal_marking  # a brief's items carry the brief's marking
    sides = [p for p in doc.participants if p.role.value == "counterpart"]
    follow_ups = doc.brief.follow_up if doc.brief else ()
    for index, item in enumerate(follow_ups, start=1):  # F2: the list's second item
        if isinstance(item, FollowUp):
            actions.append({"ref": f"F{index}", "text": item.text, "owner": item.owner,
                            "due": _iso(item.due),
                            "status": item.status.value if item.status else "open",
                            "marking": brief_marking})
    return {
        "format": SUMMARY_FORMAT, "id": doc.id,
        "date": meeting.date.isoformat(), "end_date": _iso(meeting.end_date),
        "kind": meeting.kind.value, "language": doc.language,
        "venue": ", ".join(p for p in places if p),
        "city": (venue.city or venue.country) if venue else "",  # the place, in a word
        "counterparts": [{"name": p.display_name, "side": p.side or None} for p in sides],
        "outcomes": counts, "follow_ups": len(doc.brief.follow_up_actions) if doc.brief else 0,
        "previous": doc.previous,
        "marking": doc.scheme.highest([doc.face_marking, *map(doc.marking_of, sides)]),
        "actions": actions,
    }


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


# -- 2. the model -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Counterpart:
    name: str
    side: str | None  # the country, or the organisation of an international official


@dataclass(frozen=True, slots=True)
class MemberDocument:
    """A document the batch wrote for a meeting, beside the digest (``name`` in OUT)."""

    template: str
    format: str
    name: str


@dataclass(frozen=True, slots=True)
class DigestMeeting:
    id: str
    date: date
    end_date: Day | None
    kind: str
    venue: str
    city: str                               # the venue's city (else its country)
    counterparts: tuple[Counterpart, ...]
    outcomes: tuple[tuple[str, int], ...]   # (type, count), in the format's order of types
    follow_ups: int
    previous: str | None
    marking: str
    documents: tuple[MemberDocument, ...] = ()
    follows: DigestMeeting | None = None     # the meeting ``previous`` names, if a member

    @property
    def last_day(self) -> Day:
        return self.end_date or self.date

    def document(self, template: str, fmt: str) -> MemberDocument | None:
        return next((d for d in self.documents
                     if (d.template, d.format) == (template, fmt)), None)


@dataclass(frozen=True, slots=True)
class DigestAction:
    id: str
    text: str
    owner: str | None
    due: Day | None
    status: str
    marking: str
    meeting: DigestMeeting
    source: str                 # "outcome" or "follow-up"
    days_overdue: int = 0       # > 0 when overdue
    due_in: int | None = None   # 0..14 when due soon

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0

    @property
    def due_soon(self) -> bool:
        return self.due_in is not None


@dataclass(frozen=True, slots=True)
class OwnerGroup:
    owner: str | None
    actions: tuple[DigestAction, ...]

    @property
    def overdue(self) -> int:
        return sum(a.overdue for a in self.actions)


@dataclass(frozen=True, slots=True)
class Digest:
    title: str
    as_at: date | None
    as_at_given: bool           # set by the series file or the caller, not the latest meeting
    classification: str
    meetings: tuple[DigestMeeting, ...]
    actions: tuple[DigestAction, ...]
    open_groups: tuple[OwnerGroup, ...]
    closed_groups: tuple[OwnerGroup, ...]   # listed only when ``all_actions``
    totals: tuple[tuple[str, int], ...]     # (status, count) for every status
    overdue: tuple[DigestAction, ...]       # most overdue first
    due_soon: tuple[DigestAction, ...]      # soonest first
    settings: DigestSettings = field(default_factory=DigestSettings)
    templates: tuple[str, ...] = ()         # the templates whose documents are linked
    formats: tuple[str, ...] = ()

    @property
    def first(self) -> date | None:
        return self.meetings[0].date if self.meetings else None

    @property
    def last(self) -> date | None:
        return max((m.last_day for m in self.meetings), default=None)

    @property
    def total(self) -> int:
        return len(self.actions)

    def count(self, status: str) -> int:
        return dict(self.totals).get(status, 0)

    @property
    def closed(self) -> int:
        return self.count("done") + self.count("dropped")


@dataclass(frozen=True, slots=True)
class _Parsed:
    """A summary read back, checked field by field (a manifest is only a cache)."""

    meeting: DigestMeeting
    actions: tuple[tuple[str, str, str | None, date | None, str, str], ...]

    @classmethod
    def of(cls, s: Mapping[str, Any], scheme: ClassificationScheme) -> _Parsed:
        try:
            counts = s.get("outcomes") or {}
            meeting = DigestMeeting(
                id=_text(s["id"]), date=_date(s["date"]),
                end_date=_date(s["end_date"]) if s.get("end_date") else None,
                kind=_text(s.get("kind") or "other"), venue=str(s.get("venue") or ""),
                city=str(s.get("city") or ""),
                counterparts=tuple(Counterpart(_text(c["name"]),
                                               str(c["side"]) if c.get("side") else None)
                                   for c in s.get("counterparts") or ()),
                outcomes=tuple((kind, int(counts[kind])) for kind in OUTCOME_TYPES
                               if int(counts.get(kind, 0)) > 0),
                follow_ups=int(s.get("follow_ups") or 0),
                previous=str(s["previous"]) if s.get("previous") else None,
                marking=_marking(s.get("marking"), scheme))
            actions = tuple(
                (_text(a["ref"]), _text(a["text"]), str(a["owner"]) if a.get("owner") else None,
                 _date(a["due"]) if a.get("due") else None, _status(a.get("status")),
                 _marking(a.get("marking"), scheme))
                for a in s.get("actions") or ())
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ValueError(f"not a meeting summary: {exc}") from None
        return cls(meeting, actions)


def _text(value: object) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError("text expected")
    return value


def _date(value: object) -> date:
    return date.fromisoformat(_text(value))


def _status(value: object) -> str:
    status = value or "open"
    if status not in STATUSES:
        raise ValueError(f"unknown status {status!r}")
    return str(status)


def _marking(value: object, scheme: ClassificationScheme) -> str:
    if value not in scheme:
        raise ValueError(f"unknown marking {value!r}")
    return str(value)


def digest_of(title: str, summaries: Sequence[Mapping[str, Any]], *,
              as_at: date | None = None, settings: DigestSettings | None = None,
              documents: Mapping[str, Sequence[MemberDocument]] | None = None,
              all_actions: bool | None = None,
              scheme: ClassificationScheme = DEFAULT_SCHEME) -> Digest:
    """The digest model of a series from its meeting summaries (any order).

    ``as_at`` wins over ``settings.as_at``, which wins over the latest meeting's date;
    ``all_actions``, when given, over ``settings.all_actions``. ``documents`` maps a
    meeting id to the documents written for it (the digest links to them).
    """
    settings = settings or DigestSettings()
    documents = documents or {}
    parsed = sorted((_Parsed.of(s, scheme) for s in summaries),
                    key=lambda p: (p.meeting.date, p.meeting.id))
    meetings = [replace(p.meeting, documents=tuple(documents.get(p.meeting.id, ())))
                for p in parsed]
    by_id = {m.id: m for m in meetings}
    meetings = [replace(m, follows=by_id.get(m.previous or "")) for m in meetings]
    given = as_at or settings.as_at
    when = given or max((m.last_day for m in meetings), default=None)
    actions: list[DigestAction] = []
    for summary, meeting in zip(parsed, meetings, strict=True):
        for ref, text, owner, due, status, marking in summary.actions:
            actions.append(_action(f"{meeting.id}/{ref}", text, owner, due, status, marking,
                                   meeting, when))
    listed = all_actions if all_actions is not None else settings.all_actions
    open_actions = [a for a in actions if a.is_open]
    closed_actions = [a for a in actions if not a.is_open]
    markings = [settings.marking or scheme.public, *(m.marking for m in meetings),
                *(a.marking for a in actions)]
    linked = [d for m in meetings for d in m.documents]
    return Digest(
        title=title, as_at=when, as_at_given=given is not None,
        classification=scheme.internal(scheme.highest(markings)), meetings=tuple(meetings),
        actions=tuple(actions), open_groups=_by_owner(open_actions),
        closed_groups=_by_owner(closed_actions) if listed else (),
        totals=tuple((s, sum(a.status == s for a in actions)) for s in STATUSES),
        overdue=tuple(sorted((a for a in actions if a.overdue),
                             key=lambda a: (-a.days_overdue, _order(a)))),
        due_soon=tuple(sorted((a for a in actions if a.due_soon), key=_order)),
        settings=replace(settings, all_actions=listed),
        templates=_unique(d.template for d in linked), formats=_unique(d.format for d in linked))


def _action(ident: str, text: str, owner: str | None, due: date | None, status: str,
            marking: str, meeting: DigestMeeting, when: date | None) -> DigestAction:
    days_overdue, due_in = 0, None
    if due and when and status in OPEN_STATUSES:
        delta = (due - when).days
        if delta < 0:
            days_overdue = -delta
        elif delta <= SOON_DAYS:
            due_in = delta
    return DigestAction(id=ident, text=text, owner=owner, due=due, status=status,
                        marking=marking, meeting=meeting,
                        source="follow-up" if ident.rsplit("/", 1)[1].startswith("F")
                        else "outcome", days_overdue=days_overdue, due_in=due_in)


def _order(action: DigestAction) -> tuple[date, str, date, str, int]:
    """Due date (none last), owner, meeting, then the order of the source file."""
    ref = action.id.rsplit("/", 1)[1]
    return (action.due or date.max, (action.owner or "\uffff").casefold(), action.meeting.date,
            action.meeting.id + "/" + ref[0], int(ref[1:]))


def _by_owner(actions: Iterable[DigestAction]) -> tuple[OwnerGroup, ...]:
    """Actions grouped by owner: owners by their earliest due action, each owner's actions
    in due-date order; actions without an owner last."""
    groups: dict[str | None, list[DigestAction]] = {}
    for action in sorted(actions, key=_order):
        groups.setdefault(action.owner, []).append(action)
    ordered = sorted(groups.items(), key=lambda item: (
        item[0] is None, _order(item[1][0])[0], (item[0] or "").casefold()))
    return tuple(OwnerGroup(owner, tuple(items)) for owner, items in ordered)


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


# -- 3. the document --------------------------------------------------------------------------


def build_digest(title: str, summaries: Sequence[Mapping[str, Any]], *,
                 as_at: date | None = None, settings: DigestSettings | None = None,
                 documents: Mapping[str, Sequence[MemberDocument]] | None = None,
                 all_actions: bool | None = None,
                 scheme: ClassificationScheme = DEFAULT_SCHEME,
                 theme: Theme | str | Path | None = None,
                 template_dirs: Sequence[str | Path] = ()) -> tree.Document:
    """The document tree of the digest, from the built-in (or a user's) template.

    ``theme`` is the theme the document will be written in: the chart is laid out with
    its page width and fonts, and the template's styles are checked against it.
    """
    digest = digest_of(title, summaries, as_at=as_at, settings=settings, documents=documents,
                       all_actions=all_actions, scheme=scheme)
    resolved = theme if isinstance(theme, Theme) else load_theme(theme)
    charts = {"actions": actions_chart(digest, resolved)} if digest.actions else {}
    created = datetime.combine(digest.as_at or date(2000, 1, 1), time(0), tzinfo=UTC)
    languages = {summary.get("language", "en") for summary in summaries}
    metadata = tree.Metadata(  # the members' language when they share one
        title=title, author=digest.settings.issuer or "", subject="Series digest",
        language=languages.pop() if len(languages) == 1 else "en",
        created=source_date(created), classification=digest.classification)
    siblings = [d.name for m in digest.meetings for d in m.documents]
    marks = Marks(scheme, _marking_of, unbreakable=True)
    context = {"digest": digest, "soon_days": SOON_DAYS,
               "chart": "actions" if charts else None, "marking": digest.classification,
               "mark": marks.mark, "mark_each": marks.mark_each,
               "mark_block": marks.mark_block}
    return build_from_context(TEMPLATE, context, metadata, charts=charts, siblings=siblings,
                              template_dirs=template_dirs, theme=resolved)


def _marking_of(row: Any) -> str:
    if isinstance(row, (DigestMeeting, DigestAction)):
        return row.marking
    raise TypeError(f"mark() takes a meeting or an action of the digest, or a marking, "
                    f"not {type(row).__name__}")


def actions_chart(digest: Digest, theme: Theme) -> tree.Chart:
    """Every action of the series as a bar per owner, stacked by status."""
    groups: dict[str | None, list[DigestAction]] = {}
    for action in digest.actions:
        groups.setdefault(action.owner, []).append(action)
    ranked = sorted(groups.items(), key=lambda item: (
        -sum(a.is_open for a in item[1]), -sum(a.overdue for a in item[1]), -len(item[1]),
        item[0] is None, (item[0] or "").casefold()))
    if len(ranked) > CHART_BARS:
        rest = [a for _, items in ranked[CHART_BARS - 1:] for a in items]
        shown: list[tuple[str, list[DigestAction]]] = [
            (owner or "No owner given", items) for owner, items in ranked[:CHART_BARS - 1]]
        shown.append((f"{len(ranked) - CHART_BARS + 1} other owners", rest))
    else:
        shown = [(owner or "No owner given", items) for owner, items in ranked]
    bars = [Bar(label, tuple(Segment(sum(a.status == s for a in items), f"chart-{s}",
                                     "chart-value-dark" if s == "dropped" else "chart-value")
                             for s in STATUSES),
                note=_overdue_note(items)) for label, items in shown]
    page = theme.page
    width = page.width_mm - page.margin_left_mm - page.margin_right_mm
    return stacked_bars(bars, [Key(STATUS_LABELS[s], f"chart-{s}") for s in STATUSES],
                        width_mm=width, metrics=TextMetrics(theme),
                        alt=_chart_alt(digest, shown), axis_title="Number of actions")


def _overdue_note(actions: Sequence[DigestAction]) -> str:
    late = sum(a.overdue for a in actions)
    return f"{late} overdue" if late else ""


def _chart_alt(digest: Digest, shown: Sequence[tuple[str, Sequence[DigestAction]]]) -> str:
    when = f", as at {longdate(digest.as_at)}" if digest.as_at else ""
    parts = [f"Bar chart of the {digest.total} actions of the series by owner and "
             f"status{when}."]
    for label, items in shown:
        counts = ", ".join(f"{n} {STATUS_LABELS[s].lower()}" for s in STATUSES
                           if (n := sum(a.status == s for a in items)))
        late = sum(a.overdue for a in items)
        parts.append(f"{label}: {len(items)} ({counts}{f'; {late} overdue' if late else ''}).")
    return " ".join(parts)


__all__ = ["Digest", "DigestAction", "DigestMeeting", "MemberDocument", "build_digest",
           "digest_of", "meeting_summary"]
