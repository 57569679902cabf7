"""The typed model of a readout (``readout/1``): frozen dataclasses, no I/O.

`schema` builds these from validated data; templates read them. Text fields hold the
user's text as typed, inline markup included (``**bold**``); templates decide how to
print it. Optional fields are ``None`` or an empty tuple, never missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from datetime import date as Day
from enum import StrEnum
from pathlib import Path
from typing import Any

from .classification import DEFAULT_SCHEME, ClassificationScheme


class MeetingKind(StrEnum):
    BILATERAL = "bilateral"
    MULTILATERAL = "multilateral"
    CALL = "call"
    VIDEO = "video"
    VISIT = "visit"
    CALL_ON = "call-on"
    OTHER = "other"

    @property
    def is_remote(self) -> bool:
        """A telephone or video call: it may have no venue."""
        return self in (MeetingKind.CALL, MeetingKind.VIDEO)


class Role(StrEnum):
    PRINCIPAL = "principal"
    COUNTERPART = "counterpart"
    DELEGATION = "delegation"
    OBSERVER = "observer"
    CHAIR = "chair"
    ATTENDEE = "attendee"


class Attendance(StrEnum):
    IN_PERSON = "in-person"
    REMOTE = "remote"


class OutcomeType(StrEnum):
    AGREEMENT = "agreement"
    DECISION = "decision"
    ACTION = "action"
    STATEMENT = "statement"
    DOCUMENT = "document"


class Dateline(StrEnum):
    """Which city opens the lead: the issuer's, the venue's, or none at all."""

    ISSUER = "issuer"
    VENUE = "venue"
    NONE = "none"


class Status(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in-progress"
    DONE = "done"
    DROPPED = "dropped"


@dataclass(frozen=True, slots=True)
class Contact:
    name: str | None = None
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True, slots=True)
class Spokesperson:
    """Whom a release's text is attributable to ("Spokesperson Matthew Miller")."""

    name: str
    title: str | None = None


@dataclass(frozen=True, slots=True)
class Issuer:
    """Who publishes the readout. ``logo`` is resolved against the readout's folder;
    ``logo_alt`` is its alternative text (`logo_text` gives a default)."""

    organisation: str
    government: str | None = None
    office: str | None = None
    city: str | None = None
    logo: Path | None = None
    logo_alt: str | None = None
    spokesperson: Spokesperson | None = None
    contact: Contact | None = None

    @property
    def logo_text(self) -> str:
        """The logo's alternative text: ``logo_alt``, else one made from the names."""
        return self.logo_alt or f"Emblem of {self.government or self.organisation}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Venue:
    """Where a meeting was held: a country at least."""

    country: str
    city: str | None = None
    name: str | None = None


@dataclass(frozen=True, slots=True)
class Meeting:
    """What, when and where. ``venue`` is ``None`` only for a call or a video call;
    ``end_date`` is the last day of a meeting held over several days."""

    kind: MeetingKind
    date: date
    venue: Venue | None = None
    start: time | None = None
    end: time | None = None
    event: str | None = None
    setting: str | None = None
    end_date: Day | None = None
    requested_by: str | None = None

    @property
    def last_date(self) -> Day:
        """The last day of the meeting (``date`` for a meeting of one day)."""
        return self.end_date or self.date

    @property
    def several_days(self) -> bool:
        return self.end_date is not None and self.end_date > self.date


@dataclass(frozen=True, slots=True, kw_only=True)
class Participant:
    """Someone at the meeting: a name or a title (at least one), and a side: a country,
    or the organisation of an international official."""

    role: Role
    name: str | None = None
    title: str | None = None
    country: str | None = None
    honorific: str | None = None
    organisation: str | None = None
    classification: str | None = None
    attendance: Attendance | None = None

    @property
    def display_name(self) -> str:
        """The name as a release prints it, honorific first; the title when no name."""
        if self.name is None:
            return self.title or ""
        return f"{self.honorific} {self.name}" if self.honorific else self.name

    @property
    def side(self) -> str:
        """Whom the participant speaks for: the country, else the organisation."""
        return self.country or self.organisation or ""


@dataclass(frozen=True, slots=True)
class Quote:
    """Words a participant said; ``text`` may hold several paragraphs. ``language`` is
    the language they were spoken in; ``translation`` is printed after the quote."""

    speaker: str
    text: str
    language: str | None = None
    translation: str | None = None


@dataclass(frozen=True, slots=True)
class Bullet:
    """A bullet; ``bullets`` holds its sub-items (one level deep)."""

    text: str
    bullets: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class KeyPoint:
    """A point of the readout; without a ``heading`` it prints as paragraphs only."""

    heading: str | None = None
    body: str | None = None
    bullets: tuple[Bullet, ...] = ()
    quotes: tuple[Quote, ...] = ()
    classification: str | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    text: str
    type: OutcomeType = OutcomeType.AGREEMENT
    owner: str | None = None
    due: date | None = None
    status: Status | None = None
    classification: str | None = None
    signed_by: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Photo:
    """A photograph printed on public documents; ``file`` is resolved against the
    readout's folder, ``alt`` says what it shows for those who cannot see it."""

    file: Path
    alt: str
    caption: str | None = None
    credit: str | None = None


@dataclass(frozen=True, slots=True)
class ContextEntry:
    heading: str
    body: str | None = None
    bullets: tuple[Bullet, ...] = ()
    classification: str | None = None


@dataclass(frozen=True, slots=True)
class FollowUp:
    """A structured follow-up item of a brief: an action someone owns, like an action
    outcome (a series' action tracker lists both)."""

    text: str
    owner: str | None = None
    due: date | None = None
    status: Status | None = None


@dataclass(frozen=True, slots=True)
class Brief:
    """Internal-only facts: printed in an internal brief, never in a press release.

    ``follow_up`` keeps each item as written: free text (a ``str``) or a `FollowUp`.
    """

    reference: str | None = None
    version: str | None = None
    purpose: str | None = None
    talking_points: tuple[str, ...] = ()
    follow_up: tuple[str | FollowUp, ...] = ()
    prepared_by: str | None = None
    cleared_by: str | None = None
    distribution: tuple[str, ...] = ()

    @property
    def follow_up_actions(self) -> tuple[FollowUp, ...]:
        """The structured follow-up items, in order (free-text items left out)."""
        return tuple(item for item in self.follow_up if isinstance(item, FollowUp))

    @property
    def follow_up_notes(self) -> tuple[str, ...]:
        """The free-text follow-up items, in order."""
        return tuple(item for item in self.follow_up if isinstance(item, str))


@dataclass(frozen=True, slots=True)
class Readout:
    """One meeting readout. ``source`` is the file it came from, if any.

    ``released`` is a `datetime`, or a `date` alone when the hour is not given.
    ``co_issuers`` are the other issuers of a joint statement; ``previous`` is the id
    of the meeting this one follows.
    """

    id: str
    title: str
    summary: str
    issuer: Issuer
    meeting: Meeting
    participants: tuple[Participant, ...]
    key_points: tuple[KeyPoint, ...]
    format: str = "readout/1"
    language: str = "en"
    classification: str = "PUBLIC"
    face_classification: str | None = None
    released: datetime | date | None = None
    embargo: datetime | date | None = None
    label: str | None = None
    dateline: Dateline | None = None
    release_id: str | None = None
    initials: str | None = None
    previous: str | None = None
    co_issuers: tuple[Issuer, ...] = ()
    photos: tuple[Photo, ...] = ()
    outcomes: tuple[Outcome, ...] = ()
    context: tuple[ContextEntry, ...] = ()
    tags: tuple[str, ...] = ()
    brief: Brief | None = None
    source: Path | None = field(default=None, compare=False)
    scheme: ClassificationScheme = field(default=DEFAULT_SCHEME, compare=False, repr=False)
    # Where each field was typed (a `loading.PositionIndex`) and the name of the input,
    # for messages about a field found after validation (a character no font has).
    positions: Any = field(default=None, compare=False, repr=False)
    origin: str = field(default="", compare=False, repr=False)

    @property
    def face_marking(self) -> str:
        """The marking of the face (title, summary, issuer, meeting): its own, or else
        the readout's."""
        return self.face_classification or self.classification

    @property
    def internal_marking(self) -> str:
        """The marking of an internal document about this readout: never below the
        scheme's lowest internal level."""
        return self.scheme.internal(self.classification)

    def marking_of(self, portion: Portion) -> str:
        """A portion's marking: its own, or else the readout's."""
        return portion.classification or self.classification

    def is_public(self, portion: Portion) -> bool:
        return self.scheme.is_public(self.marking_of(portion))

    @property
    def issuers(self) -> tuple[Issuer, ...]:
        """Every issuer: the issuer first, then the co-issuers of a joint statement."""
        return (self.issuer, *self.co_issuers)

    def public_refusals(self) -> tuple[tuple[str, str], ...]:
        """Why no public document can be made of this readout, as (field, message)
        pairs: its face is not at the public level, or no key point is. Empty when one
        can. `validate` warns with these; a public template refuses with them."""
        public, refusals = self.scheme.public, []
        if not self.scheme.is_public(self.face_marking):
            message = (f"face_classification is {self.face_marking}; set it to {public} when "
                       "the title and summary are cleared for release.")
            if self.face_classification is None:
                message += (" Without a face_classification of its own, the face takes the "
                            "readout's classification.")
            refusals.append(("face_classification", message))
        if not any(self.is_public(point) for point in self.key_points):
            refusals.append(("key_points", f"No key point is {public}, so a press release "
                             f"would have nothing to say; mark at least one key point "
                             f"{public}, or render only the internal brief."))
        return tuple(refusals)


Portion = KeyPoint | Outcome | ContextEntry | Participant
"""What may carry its own marking (SPEC section 4)."""


@dataclass(frozen=True, slots=True)
class DigestSettings:
    """What a series file says of its digest (its ``digest:`` mapping); all optional.

    ``as_at`` is the date overdue and due-soon actions are judged against (default: the
    series' latest meeting); ``marking`` is the least the digest is marked (it carries
    the highest marking of what it shows if that is higher); ``all_actions`` lists done
    and dropped actions too, instead of only counting them.
    """

    as_at: date | None = None
    reference: str | None = None
    issuer: str | None = None
    distribution: tuple[str, ...] = ()
    marking: str | None = None
    all_actions: bool = False
