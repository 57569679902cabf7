"""The typed model of a readout (``readout/1``): frozen dataclasses, no I/O.

`schema` builds these from validated data; templates read them. Text fields hold the
user's text as typed, inline markup included (``**bold**``); templates decide how to
print it. Optional fields are ``None`` or an empty tuple, never missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum
from pathlib import Path
from typing import Any

from .classification import DEFAULT_SCHEME, ClassificationScheme


class MeetingKind(StrEnum):
    BILATERAL = "bilateral"
    MULTILATERAL = "multilateral"
    CALL = "call"
    VISIT = "visit"
    OTHER = "other"


class Role(StrEnum):
    PRINCIPAL = "principal"
    COUNTERPART = "counterpart"
    DELEGATION = "delegation"
    OBSERVER = "observer"


class OutcomeType(StrEnum):
    AGREEMENT = "agreement"
    DECISION = "decision"
    ACTION = "action"
    STATEMENT = "statement"


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
class Issuer:
    """Who publishes the readout. ``logo`` is resolved against the readout's folder."""

    organisation: str
    government: str | None = None
    office: str | None = None
    city: str | None = None
    logo: Path | None = None
    contact: Contact | None = None


@dataclass(frozen=True, slots=True)
class Venue:
    city: str
    country: str
    name: str | None = None


@dataclass(frozen=True, slots=True)
class Meeting:
    kind: MeetingKind
    date: date
    venue: Venue
    start: time | None = None
    end: time | None = None
    event: str | None = None
    setting: str | None = None


@dataclass(frozen=True, slots=True)
class Participant:
    name: str
    title: str
    country: str
    role: Role
    honorific: str | None = None
    organisation: str | None = None
    classification: str | None = None

    @property
    def display_name(self) -> str:
        """The name as a release prints it: honorific first, when there is one."""
        return f"{self.honorific} {self.name}" if self.honorific else self.name


@dataclass(frozen=True, slots=True)
class Quote:
    speaker: str
    text: str


@dataclass(frozen=True, slots=True)
class Bullet:
    """A bullet; ``bullets`` holds its sub-items (one level deep)."""

    text: str
    bullets: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class KeyPoint:
    heading: str
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
    """One meeting readout. ``source`` is the file it came from, if any."""

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
    released: datetime | None = None
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
