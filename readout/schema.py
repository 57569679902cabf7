"""The rules of the ``readout/1`` format, as marshmallow schemas that build the model.

`validate` takes a loaded `Source` and returns a `Readout` with its warnings, or raises
`ValidationError` listing every problem, each located at its YAML node. Field rules
live in the schemas; rules that need the whole readout (a portion marked above the
readout, a ``due`` before the meeting, an ``end`` before ``start``) use a context read
from the raw data first, so they are reported together with everything else. Rules
that only warn run over the built model (see `warnings_for`).

Only this module imports marshmallow.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from enum import StrEnum
from pathlib import Path, PurePosixPath
from typing import Any, ClassVar, TypeVar

from marshmallow import (
    RAISE,
    Schema,
    fields,
    post_load,
    validates_schema,
)
from marshmallow import ValidationError as FieldError
from marshmallow.experimental.context import Context
from marshmallow.validate import Equal, Length, Regexp

from . import model as m
from .classification import DEFAULT_SCHEME, PUBLIC, SCHEMES, ClassificationScheme
from .errors import Problem, ValidationError
from .images import ImageProblem
from .images import inspect as inspect_image
from .loading import Path_, Source, dotted

FORMAT = "readout/1"
ID_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"
MAX_SPEAKER_GUESSES = 20  # "did you mean" hints computed for unknown quote speakers
ID_MAX_LENGTH = 100  # "<id>.internal-brief.docx" and its temporary name stay under 255
LANGUAGE_PATTERN = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$"
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
SCHEME_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Rules:
    """What field rules need to know about the readout as a whole.

    ``markings`` is False when the readout names a scheme that cannot be read: its
    markings are then not checked (the scheme's own problem is reported instead).
    """

    scheme: ClassificationScheme = DEFAULT_SCHEME
    markings: bool = True
    chosen: bool = False  # the scheme was chosen by the caller (--scheme), not the readout
    ceiling: str | None = None
    meeting_date: date | None = None
    folder: Path | None = None


def _rules() -> Rules:
    return Context[Rules].get(default=Rules())


class Text(fields.String):
    """Text that must not be empty."""

    default_error_messages = {  # noqa: RUF012
        "invalid": "This must be text, not a list or a mapping.",
        "empty": "This is empty; write the text or remove the line.",
    }

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None,
                     **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if not any(_visible(char) for char in text):
            raise self.make_error("empty")
        _within_layout_limits(text)
        return text


MAX_PARAGRAPH = 10_000  # characters of one paragraph (blank lines separate them)
MAX_RUN = 5_000         # characters without a space: a page lays both out in linear time
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_RUN = re.compile(rf"\S{{{MAX_RUN + 1},}}")


def _within_layout_limits(text: str) -> None:
    """Refuse what no page can lay out in reasonable time (reportlab breaks a paragraph
    again at every page it spans, and a long word letter by letter): limits no real
    readout meets."""
    if len(text) > MAX_PARAGRAPH:
        for number, paragraph in enumerate(_BLANK_LINE.split(text), start=1):
            if len(paragraph.strip()) > MAX_PARAGRAPH:
                which = f"Paragraph {number}" if "\n" in text.strip() else "This paragraph"
                raise FieldError(f"{which} has {len(paragraph.strip()):,} characters; a "
                                 f"paragraph has at most {MAX_PARAGRAPH:,} (about three "
                                 "pages). Break it with a blank line.")
    if len(text) > MAX_RUN:
        run = _RUN.search(text)
        if run is not None:
            raise FieldError(f"This holds a run of {len(run.group()):,} characters without "
                             f"a space; the most is {MAX_RUN:,}. Add spaces, or shorten it.")


def _visible(char: str) -> bool:
    """Whether ``char`` prints as something: not a space, a control or a format
    character (a zero-width space, a direction mark)."""
    return not char.isspace() and unicodedata.category(char) not in ("Cc", "Cf", "Cs")


class DateField(fields.Field[date]):
    """An ISO 8601 calendar date, YYYY-MM-DD."""

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None,
                     **kwargs: Any) -> date:
        if isinstance(value, date) and not isinstance(value, datetime):
            return _plausible(value, value.isoformat())
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            try:
                parsed = date.fromisoformat(value)
            except ValueError:
                raise FieldError(f"{value!r} is not a date that exists; check the month "
                                 "and the day.") from None
            return _plausible(parsed, value)
        raise FieldError(f"{value!r} is not a date; write it as YYYY-MM-DD, "
                         "for example 2025-06-26.")


_D = TypeVar("_D", bound=date)
YEARS = (1000, 9998)  # a date outside them is a typo; inside, every conversion works


def _plausible(value: _D, shown: str) -> _D:
    """``value`` (a date or datetime) if its year is within `YEARS`, else a field error."""
    if not YEARS[0] <= value.year <= YEARS[1]:
        raise FieldError(f"{shown!r} is outside the years {YEARS[0]} to {YEARS[1]}; check "
                         "the year.")
    return value


class TimeField(fields.Field[time]):
    """A local time of day, HH:MM (24-hour)."""

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None,
                     **kwargs: Any) -> time:
        if isinstance(value, time):
            return value
        if isinstance(value, str) and re.fullmatch(r"\d{1,2}:\d{2}(:\d{2})?", value):
            try:
                return time.fromisoformat(value.zfill(len(value) + (value.index(":") == 1)))
            except ValueError:
                pass
        raise FieldError(f"{value!r} is not a time of day; write it as HH:MM "
                         "(24-hour), for example \"10:30\".")


class DateTimeField(fields.Field[datetime]):
    """An ISO 8601 date and time, ideally with its UTC offset."""

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None,
                     **kwargs: Any) -> datetime:
        if isinstance(value, datetime):
            return _plausible(value, value.isoformat())
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ][0-9:.+\-Z]+", value):
            try:
                parsed = datetime.fromisoformat(value)
            except ValueError:
                pass
            else:
                return _plausible(parsed, value)
        raise FieldError(f"{value!r} is not a date and time; write it as "
                         "YYYY-MM-DDTHH:MM+HH:MM, for example 2025-06-26T15:15:00+05:30.")


class Choice(fields.Field[StrEnum]):
    """One value of an enumeration; a wrong value lists the allowed ones."""

    def __init__(self, enum: type[StrEnum], noun: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.enum = enum
        self.noun = noun

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None,
                     **kwargs: Any) -> StrEnum:
        allowed = [member.value for member in self.enum]
        if isinstance(value, str) and value in allowed:
            return self.enum(value)
        raise FieldError(f"{value!r} is not a {self.noun}; choose one of: "
                         f"{', '.join(allowed)}.")


class Marking(fields.Field[str]):
    """A classification marking of the scheme; a portion's (or the face's) never above
    the readout's own."""

    def __init__(self, *, portion: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.portion = portion  # what is marked ("portion", "face"), if not the readout

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None,
                     **kwargs: Any) -> str:
        rules = _rules()
        scheme = rules.scheme
        if not isinstance(value, str) or not value.strip():
            raise FieldError("This must be a classification marking, such as "
                             f"{scheme.public}.")
        if not rules.markings:
            return value
        marking = scheme.canonical(value)
        if marking is None:
            raise FieldError(not_a_marking(value, scheme, hint=not rules.chosen))
        if self.portion and rules.ceiling and scheme.above(marking, rules.ceiling):
            raise FieldError(f"This {self.portion} is marked {value}, above the readout's "
                             f"own marking {rules.ceiling}; raise the readout's classification "
                             f"or lower this {self.portion}'s.")
        return marking


def not_a_marking(value: str, scheme: ClassificationScheme, *, hint: bool = True) -> str:
    """Why ``value`` is refused as a marking of ``scheme``, and what to write instead
    (with ``hint``, the built-in scheme that has it, if any)."""
    message = f"{value!r} is not a marking of the {scheme.name!r} scheme"
    same = [level for level in scheme.levels if level.casefold() == value.casefold()]
    if same:
        return f"{message}; did you mean {same[0]!r}?"
    message += f"; choose one of: {', '.join(scheme.levels)}"
    if scheme.public != PUBLIC:
        message += f" ({PUBLIC} is read as {scheme.public})"
    elsewhere = [name for name, other in SCHEMES.items() if value in other and hint]
    if elsewhere:
        message += (f"; or set classification_scheme: {elsewhere[0]}, whose markings "
                    "include it")
    return message + "."


class FullMatch(Regexp):
    """`Regexp` over the whole value (a trailing newline does not slip through)."""

    def __call__(self, value: Any) -> Any:
        if self.regex.fullmatch(value) is None:
            raise FieldError(self._format_error(value))
        return value


class CountedLength(Length):
    """`Length` whose message may also say ``{count}``, the length found."""

    def _format_error(self, value: Any, message: str) -> str:
        return (self.error or message).format(input=value, count=len(value), min=self.min,
                                              max=self.max, equal=self.equal)


class FileInFolder(fields.Field[Path]):
    """A file beside the readout: relative, inside the readout's folder, with one of
    ``suffixes``; ``noun`` names it in messages; `checked` looks inside it.

    A `Path` object (from Python code, or a series default already resolved against
    the series folder) is trusted as to where it is, and checked like any other.
    """

    noun = "file"
    suffixes: tuple[str, ...] = ()
    wrong_suffix = "is not a file of the right kind"

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None,
                     **kwargs: Any) -> Path:
        return self.locate(value)

    def locate(self, value: Any) -> Path:
        """The file ``value`` names, or a `FieldError` saying what is wrong."""
        if isinstance(value, Path):
            if not value.is_file():
                raise FieldError(f"The {self.noun} {str(value)!r} does not exist.")
            return self.checked(value, str(value))
        if not isinstance(value, str) or not value.strip():
            raise FieldError(f"This must be the path of {_a(self.noun)}.")
        if _CONTROL.search(value):
            raise FieldError(f"{value!r} holds a control character; give the {self.noun}'s "
                             "file name as it is.")
        relative = PurePosixPath(value.replace("\\", "/"))
        if relative.is_absolute() or ".." in relative.parts or re.match(r"[A-Za-z]:", value):
            raise FieldError(f"{value!r} points outside the readout's folder; put the "
                             f"{self.noun} in that folder (or below it) and give a relative "
                             "path.")
        if relative.suffix.lower() not in self.suffixes:
            raise FieldError(f"{value!r} {self.wrong_suffix}.")
        folder = (_rules().folder or Path.cwd()).resolve()
        try:
            path = (folder / relative).resolve()
            inside, exists = path.is_relative_to(folder), path.is_file()
        except OSError as exc:
            raise FieldError(f"The {self.noun} {value!r} cannot be opened: "
                             f"{exc.strerror}.") from None
        if not inside:
            raise FieldError(f"{value!r} leads outside the readout's folder (through a "
                             f"link); copy the {self.noun} into the folder instead.")
        if not exists:
            raise FieldError(f"The {self.noun} {value!r} does not exist in {folder}.")
        return self.checked(path, value)

    def checked(self, path: Path, shown: str) -> Path:
        """``path``, once what it holds is fit for use (here: anything)."""
        return path


_CONTROL = re.compile("[\x00-\x1f\x7f]")


def _a(noun: str) -> str:
    return f"an {noun}" if noun[:1] in "aeiou" else f"a {noun}"


class LogoPath(FileInFolder):
    """A PNG or JPEG beside the readout: a whole image within the limits of `images`."""

    noun = "image"
    suffixes = IMAGE_SUFFIXES
    wrong_suffix = "is not a PNG or JPEG file"

    def checked(self, path: Path, shown: str) -> Path:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise FieldError(f"The image {shown!r} cannot be opened: {exc.strerror}.") \
                from None
        try:
            inspect_image(data, Path(shown).name if "/" in shown else shown)
        except ImageProblem as problem:
            raise FieldError(str(problem)) from None
        return path


class SchemePath(FileInFolder):
    """A classification scheme file (YAML) beside the readout."""

    noun = "scheme file"
    suffixes = SCHEME_SUFFIXES
    wrong_suffix = "is not a scheme file (YAML, ending in .yaml)"


class SchemeRef(fields.Field[ClassificationScheme]):
    """A classification scheme: a built-in one by name, or a scheme file (`scheme_schema`)."""

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None,
                     **kwargs: Any) -> ClassificationScheme:
        try:
            return scheme_reference(value)
        except ValidationError:
            raise FieldError(f"The scheme file {str(value)!r} has errors (listed at its own "
                             "lines); correct them, or name a built-in scheme: "
                             f"{', '.join(SCHEMES)}.") from None


def scheme_reference(value: Any) -> ClassificationScheme:
    """The scheme ``value`` names, inside the readout's folder when it is a file.

    Raises `FieldError` when it names none, and `ValidationError` (located in the
    scheme file) when the file it names breaks the rules of a scheme.
    """
    from .scheme_schema import load_scheme_file

    if isinstance(value, ClassificationScheme):
        return value
    if isinstance(value, str) and value in SCHEMES:
        return SCHEMES[value]
    if isinstance(value, str) and not value.lower().endswith(SCHEME_SUFFIXES):
        guess = difflib.get_close_matches(value.lower(), list(SCHEMES), n=1)
        hint = f"did you mean {guess[0]!r}?" if guess else (
            f"name a built-in one ({', '.join(SCHEMES)}) or a scheme file ending in .yaml.")
        raise FieldError(f"{value!r} is not a classification scheme; {hint}")
    return load_scheme_file(SchemePath().locate(value))


class BulletField(fields.Field[m.Bullet]):
    """A bullet: a line of text, or ``{text, bullets}`` with one level of sub-items."""

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None,
                     **kwargs: Any) -> m.Bullet:
        if isinstance(value, str):
            if not value.strip():
                raise FieldError("This bullet is empty; write the text or remove the line.")
            return m.Bullet(text=value)
        if isinstance(value, dict):
            bullet: m.Bullet = BulletSchema().load(value)
            return bullet
        raise FieldError("A bullet must be a line of text or a mapping with 'text' "
                         "and 'bullets'.")


class FollowUpField(fields.Field[str | m.FollowUp]):
    """A follow-up item: a line of text, or ``{text, owner, due, status}``."""

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None,
                     **kwargs: Any) -> str | m.FollowUp:
        if isinstance(value, str):
            if not value.strip():
                raise FieldError("This follow-up item is empty; write the text or remove "
                                 "the line.")
            return value
        if isinstance(value, dict):
            item: m.FollowUp = FollowUpSchema().load(value)
            return item
        raise FieldError("A follow-up item must be a line of text, or a mapping with "
                         "'text' and, optionally, 'owner', 'due' and 'status'.")


def _due_after_meeting(data: dict[str, Any], what: str) -> None:
    due, held = data.get("due"), _rules().meeting_date
    if due and held and due < held:
        raise FieldError(f"The due date {due.isoformat()} is before the meeting "
                         f"({held.isoformat()}); {what}.", "due")


class _Base(Schema):
    class Meta:
        unknown = RAISE

    model: ClassVar[type]

    @post_load
    def build(self, data: dict[str, Any], **kwargs: Any) -> Any:
        built = {key: tuple(value) if isinstance(value, list) else value
                 for key, value in data.items()}
        return self.model(**built)


def _texts(**kwargs: Any) -> fields.List[str]:
    return fields.List(Text(), **kwargs)


class BulletSchema(_Base):
    model = m.Bullet
    text = Text(required=True, metadata={"description": "The bullet's text."})
    bullets = _texts(load_default=(), metadata={"description": (
        "Sub-bullets, one level deep: lines of text.")})


class ContactSchema(_Base):
    model = m.Contact
    name = Text(load_default=None, metadata={"description": "A person or desk to contact."})
    email = fields.Email(load_default=None, error_messages={
        "invalid": "This is not an e-mail address."}, metadata={"description": (
        "The contact's e-mail address.")})
    phone = Text(load_default=None, metadata={"description": (
        "The contact's telephone number, quoted (\"+00 0000 0000\").")})


class IssuerSchema(_Base):
    model = m.Issuer
    organisation = Text(required=True, metadata={"description": (
        "The publishing organisation (required), e.g. Ministry of Defence.")})
    government = Text(load_default=None, metadata={"description": (
        "The government, printed above the organisation.")})
    office = Text(load_default=None, metadata={"description": (
        "The issuing office, e.g. Press Information Bureau.")})
    city = Text(load_default=None, metadata={"description": "The dateline city."})
    logo = LogoPath(load_default=None, metadata={"description": (
        "A PNG or JPEG, relative to this file and inside its folder.")})
    contact = fields.Nested(ContactSchema, load_default=None, metadata={"description": (
        "The media contact printed on a release: name, email, phone.")})


class VenueSchema(_Base):
    model = m.Venue
    name = Text(load_default=None, metadata={"description": "The building or hall."})
    city = Text(required=True, metadata={"description": "The city of the venue."})
    country = Text(required=True, metadata={"description": "The country of the venue."})


class MeetingSchema(_Base):
    model = m.Meeting
    kind = Choice(m.MeetingKind, "meeting kind", required=True, metadata={"description": (
        "bilateral, multilateral, call, visit or other.")})
    date = DateField(required=True, metadata={"description": (
        "The day of the meeting (YYYY-MM-DD).")})
    start = TimeField(load_default=None, metadata={"description": (
        "The local start time, quoted (\"10:30\").")})
    end = TimeField(load_default=None, metadata={"description": (
        "The local end time, quoted, after the start.")})
    event = Text(load_default=None, metadata={"description": "The event the meeting was part of."})
    setting = Text(load_default=None, metadata={"description": (
        "The phrase that joins the meeting to the event, e.g. on the sidelines of.")})
    venue = fields.Nested(VenueSchema, required=True, metadata={"description": (
        "Where the meeting took place: name, city and country.")})

    @validates_schema(skip_on_field_errors=False)
    def end_after_start(self, data: dict[str, Any], **kwargs: Any) -> None:
        start, end = data.get("start"), data.get("end")
        if start and end and end <= start:
            raise FieldError(f"The meeting ends ({end:%H:%M}) before it starts "
                             f"({start:%H:%M}); check both times.", "end")


class ParticipantSchema(_Base):
    model = m.Participant
    name = Text(required=True, metadata={"description": (
        "The person's name, as quote speakers name them.")})
    honorific = Text(load_default=None, metadata={"description": (
        "Printed before the name, e.g. Shri, Mr., Dr.")})
    title = Text(required=True, metadata={"description": "The person's office or rank."})
    country = Text(required=True, metadata={"description": "The country the person represents."})
    organisation = Text(load_default=None, metadata={"description": "The person's organisation."})
    role = Choice(m.Role, "participant role", required=True, metadata={"description": (
        "principal, counterpart, delegation or observer.")})
    classification = Marking(portion="participant", load_default=None, metadata={"description": (
        "This participant's marking; default: the readout's.")})


class QuoteSchema(_Base):
    model = m.Quote
    speaker = Text(required=True, metadata={"description": (
        "Who said it: a participant's name, exactly.")})
    text = Text(required=True, metadata={"description": "The words, as said."})


class KeyPointSchema(_Base):
    model = m.KeyPoint
    heading = Text(required=True, metadata={"description": "The heading of this point."})
    body = Text(load_default=None, metadata={"description": (
        "Paragraphs, separated by a blank line; a paragraph of lines starting with '- ' "
        "is a list.")})
    bullets = fields.List(BulletField(), load_default=(), metadata={"description": (
        "Bullets: text, or {text, bullets} with one level of sub-bullets.")})
    quotes = fields.List(fields.Nested(QuoteSchema), load_default=(), metadata={"description": (
        "What participants said: speaker and text.")})
    classification = Marking(portion="portion", load_default=None, metadata={"description": (
        "This portion's marking, never above the readout's; default: the readout's.")})

    @validates_schema(skip_on_field_errors=False)
    def has_content(self, data: dict[str, Any], **kwargs: Any) -> None:
        if not (data.get("body") or data.get("bullets") or data.get("quotes")):
            raise FieldError("A key point needs a 'body', 'bullets' or 'quotes' under "
                             "its heading.", "heading")


class OutcomeSchema(_Base):
    model = m.Outcome
    text = Text(required=True, metadata={"description": (
        "What the meeting agreed, decided or set in motion.")})
    type = Choice(m.OutcomeType, "type of outcome", load_default=m.OutcomeType.AGREEMENT,
                  metadata={"description": (
        "agreement, decision, action or statement.")})
    owner = Text(load_default=None, metadata={"description": (
        "Who acts on it (an action needs an owner).")})
    due = DateField(load_default=None, metadata={"description": (
        "The deadline (YYYY-MM-DD), on or after the meeting date.")})
    status = Choice(m.Status, "status", load_default=None, metadata={"description": (
        "open, in-progress, done or dropped.")})
    classification = Marking(portion="portion", load_default=None, metadata={"description": (
        "This portion's marking, never above the readout's; default: the readout's.")})

    @validates_schema(skip_on_field_errors=False)
    def due_after_meeting(self, data: dict[str, Any], **kwargs: Any) -> None:
        _due_after_meeting(data, "an outcome cannot fall due before it was agreed")


class ContextSchema(_Base):
    model = m.ContextEntry
    heading = Text(required=True, metadata={"description": "The heading of this background entry."})
    body = Text(load_default=None, metadata={"description": (
        "Paragraphs, separated by a blank line.")})
    bullets = fields.List(BulletField(), load_default=(), metadata={"description": (
        "Bullets: text, or {text, bullets} with one level of sub-bullets.")})
    classification = Marking(portion="portion", load_default=None, metadata={"description": (
        "This portion's marking, never above the readout's; default: the readout's.")})


class FollowUpSchema(_Base):
    model = m.FollowUp
    text = Text(required=True, metadata={"description": "What is to be done."})
    owner = Text(load_default=None, metadata={
        "description": "Who acts on it: an office, a division or a person."})
    due = DateField(load_default=None, metadata={
        "description": "The deadline (YYYY-MM-DD), on or after the meeting date."})
    status = Choice(m.Status, "status", load_default=None, metadata={
        "description": "open, in-progress, done or dropped."})

    @validates_schema(skip_on_field_errors=False)
    def due_after_meeting(self, data: dict[str, Any], **kwargs: Any) -> None:
        _due_after_meeting(data, "a follow-up item cannot fall due before the meeting "
                                 "that set it")


class BriefSchema(_Base):
    model = m.Brief
    reference = Text(load_default=None, metadata={"description": "The file reference."})
    version = Text(load_default=None, metadata={"description": (
        "The brief's version, quoted (\"1.0\").")})
    purpose = Text(load_default=None, metadata={"description": "Why the brief exists."})
    talking_points = _texts(load_default=(), metadata={"description": "Lines to take."})
    follow_up = fields.List(FollowUpField(), load_default=(), metadata={
        "description": "Follow-up items: free text, or {text, owner, due, status}; the "
                       "structured ones join a series' action tracker."})
    prepared_by = Text(load_default=None, metadata={"description": "Who prepared the brief."})
    cleared_by = Text(load_default=None, metadata={"description": "Who cleared the brief."})
    distribution = _texts(load_default=(), metadata={"description": "Who receives the brief."})


class ReadoutSchema(_Base):
    model = m.Readout
    format = Text(required=True, validate=Equal(FORMAT, error=(
        "{input!r} is not a format this version reads; write 'format: " + FORMAT + "'.")),
        metadata={"description": "The version of this format: readout/1."})
    id = Text(load_default=None, validate=[FullMatch(ID_PATTERN, error=(
        "{input!r} is not a valid id; use lower-case letters, digits, '.', '_' and '-', "
        "starting with a letter or digit.")), CountedLength(max=ID_MAX_LENGTH, error=(
            "This id has {count} characters; an id has at most {max}, so that the file "
            "names made of it fit every system."))], metadata={"description": (
                "The readout's id: lower-case letters, digits, '.', '_' and '-'; default: "
                "the file name without .yaml.")})
    title = Text(required=True, metadata={"description": "The headline of the press release."})
    summary = Text(required=True, metadata={
        "description": "The lead paragraph of the press release."})
    language = Text(load_default="en", validate=FullMatch(LANGUAGE_PATTERN, error=(
        "{input!r} is not a language tag; use a BCP 47 tag such as en, en-GB, hi or ru.")),
        metadata={"description": "The document language, a BCP 47 tag: en, fr, hi, ru..."})
    classification = Marking(load_default=None, metadata={"description": (
        "The marking of the whole readout, in its scheme (by default PUBLIC, OFFICIAL, "
        "OFFICIAL-SENSITIVE or SECRET).")})
    classification_scheme = SchemeRef(load_default=None, metadata={"description": (
        "default, uk, us, india, or a scheme file (.yaml) beside this file.")})
    face_classification = Marking(portion="face", load_default=None, metadata={"description": (
        "The marking of the title, summary, issuer, meeting and participants; default: the "
        "classification. PUBLIC when they are cleared for release: a press release needs it.")})
    released = DateTimeField(load_default=None, metadata={"description": (
        "When the release is issued, with its UTC offset: 2025-06-26T15:15:00+05:30.")})
    issuer = fields.Nested(IssuerSchema, required=True, metadata={
        "description": "Who publishes the readout."})
    meeting = fields.Nested(MeetingSchema, required=True, metadata={
        "description": "What, when and where."})
    participants = fields.List(fields.Nested(ParticipantSchema), required=True,
                               validate=Length(min=1, error="List at least one participant."),
                               metadata={"description": "Who took part: at least one."})
    key_points = fields.List(fields.Nested(KeyPointSchema), required=True,
                             validate=Length(min=1, error="List at least one key point."),
                             metadata={"description": (
                                 "What was discussed: at least one, each with a heading and "
                                 "a body, bullets or quotes.")})
    outcomes = fields.List(fields.Nested(OutcomeSchema), load_default=(), metadata={
        "description": "What the meeting agreed, decided or set in motion."})
    context = fields.List(fields.Nested(ContextSchema), load_default=(), metadata={
        "description": "Background: entries with heading, body, bullets and marking."})
    tags = _texts(load_default=(), metadata={
        "description": "Keywords, for search and the PDF's metadata."})
    brief = fields.Nested(BriefSchema, load_default=None, metadata={
        "description": "Internal only: never printed in a press release."})

    @post_load
    def build(self, data: dict[str, Any], **kwargs: Any) -> Any:
        rules = _rules()
        data["classification"] = data.get("classification") or rules.scheme.public
        data.pop("classification_scheme", None)  # the scheme in force is `rules.scheme`
        data["scheme"] = rules.scheme
        return super().build(data, **kwargs)


# ---------------------------------------------------------------- validation entry point


def validate(source: Source, *, default_id: str = "readout",
             scheme: ClassificationScheme | None = None) -> tuple[m.Readout, list[Problem]]:
    """Build the model from ``source``; return it with its warnings, or raise.

    ``scheme``, when given, wins over the readout's own ``classification_scheme``.
    """
    data = source.data
    if not isinstance(data, dict):
        line, column = source.positions.locate(())
        raise ValidationError([Problem(source.name, line, column, "",
                                       "A readout must be a mapping of keys and values "
                                       "(starting with 'format: readout/1'), not a "
                                       f"{_kind(data)}.")])
    own, scheme_problems = _own_scheme(data, source)
    chosen = scheme or own or DEFAULT_SCHEME
    known = scheme is not None or own is not None or data.get("classification_scheme") is None
    rules = Rules(scheme=chosen, markings=known, chosen=scheme is not None,
                  ceiling=_raw_ceiling(data, chosen), meeting_date=_raw_meeting_date(data),
                  folder=source.folder)
    with Context(rules):
        try:
            readout: m.Readout = ReadoutSchema().load(data)
        except FieldError as exc:
            raise ValidationError([*problems_of(exc.messages, source),
                                   *scheme_problems]) from None
    if readout.id is None:
        readout = replace(readout, id=default_id)
    return readout, list(warnings_for(readout, source))


def _own_scheme(data: dict[str, Any], source: Source
                ) -> tuple[ClassificationScheme | None, list[Problem]]:
    """The scheme the readout names, if it names one that can be read, and the problems
    of its scheme file (located in that file) if that file breaks the rules."""
    value = data.get("classification_scheme")
    if value is None:
        return None, []
    with Context(Rules(folder=source.folder)):
        try:
            return scheme_reference(value), []
        except FieldError:  # reported at the field, with everything else
            return None, []
        except ValidationError as exc:
            return None, list(exc.problems)


def _raw_ceiling(data: dict[str, Any], scheme: ClassificationScheme) -> str | None:
    value = data.get("classification", scheme.public)
    return scheme.canonical(value) if isinstance(value, str) else None


def _raw_meeting_date(data: dict[str, Any]) -> date | None:
    meeting = data.get("meeting")
    if isinstance(meeting, dict) and isinstance(meeting.get("date"), str):
        try:
            return date.fromisoformat(meeting["date"])
        except ValueError:
            return None
    return None


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "list"
    if isinstance(value, str):
        return "line of text"
    return type(value).__name__


def warnings_for(readout: m.Readout, source: Source) -> Iterator[Problem]:
    """Rules that only warn: no public document possible, a quote by no participant,
    an action without an owner."""
    yield from _public_warnings(readout, source)
    names = [p.name for p in readout.participants]
    known, hints = set(names), dict[str, str]()
    for index, point in enumerate(readout.key_points):
        for number, quote in enumerate(point.quotes):
            if quote.speaker not in known:
                hint = hints.get(quote.speaker)
                if hint is None:
                    # A guess costs a comparison with every name: the first few unknown
                    # speakers get one; past them, the hint says what to do.
                    guess = difflib.get_close_matches(quote.speaker, names, n=1) if len(
                        hints) < MAX_SPEAKER_GUESSES else []
                    hint = hints[quote.speaker] = f" Did you mean {guess[0]!r}?" if guess \
                        else " Add the speaker to 'participants' or correct the name."
                yield _located(source, ("key_points", index, "quotes", number, "speaker"),
                               f"{quote.speaker!r} is not a participant of this "
                               f"meeting.{hint}", "warning")
    for index, outcome in enumerate(readout.outcomes):
        if outcome.type is m.OutcomeType.ACTION and not outcome.owner:
            yield _located(source, ("outcomes", index),
                           "This action has no owner; add 'owner:' so the brief says who "
                           "acts on it.", "warning")
    for index, item in enumerate(readout.brief.follow_up if readout.brief else ()):
        if isinstance(item, m.FollowUp) and not item.owner:
            yield _located(source, ("brief", "follow_up", index),
                           "This follow-up item has no owner; add 'owner:' so the brief "
                           "says who acts on it.", "warning")


def _public_warnings(readout: m.Readout, source: Source) -> Iterator[Problem]:
    """What keeps every public document (a press release) from being made: the same
    reasons for which `templating.public_view` refuses one."""
    data = source.data if isinstance(source.data, dict) else {}
    for field, message in readout.public_refusals():
        if field == "face_classification":
            where = field if field in data else "classification"
            message += " Until then no public document (a press release) can be made of it."
        else:
            where = field
        yield _located(source, (where,), message, "warning")


def _located(source: Source, path: Path_, message: str,
             severity: Any = "error", *, key: bool = False) -> Problem:
    where = source.positions.locate_key(path) if key else source.positions.locate(path)
    file = source.positions.file_of(path, source.name)
    return Problem(file, where[0], where[1], dotted(path), message, severity)


# ---------------------------------------------------------------- error messages


def problems_of(messages: Any, source: Source,
                root: type[Schema] | None = None) -> Iterator[Problem]:
    """Located, readable problems from marshmallow's nested ``messages``."""
    schema = (root or ReadoutSchema)()
    found = [_explain(path, text, source, schema) for path, text in _flatten(messages, ())]
    yield from sorted(found, key=lambda p: (p.line, p.column, p.path))


def _flatten(messages: Any, path: Path_) -> Iterator[tuple[Path_, str]]:
    if isinstance(messages, dict):
        for key, value in messages.items():
            yield from _flatten(value, path if key == "_schema" else (*path, key))
    elif isinstance(messages, list):
        for item in messages:
            yield from _flatten(item, path)
    else:
        yield path, str(messages)


def _explain(path: Path_, text: str, source: Source, root: Schema) -> Problem:
    key = str(path[-1]) if path else ""
    if text == "Unknown field.":
        return _located(source, path, _unknown_key(path, root), key=True)
    if text == "Missing data for required field.":
        parent = f"under '{path[-2]}'" if len(path) > 1 and isinstance(path[-2], str) else (
            "in this entry" if len(path) > 1 else "at the top level")
        return _located(source, path, f"'{key}' is required but missing; add it {parent}.")
    if text == "Field may not be null.":
        return _located(source, path, f"'{key}' is empty; give it a value.")
    if text == "Not a valid list.":
        return _located(source, path, f"'{key}' must be a list (lines starting with '- ').")
    if text in ("Invalid input type.", "Not a valid mapping type."):
        return _located(source, path, "This must be a mapping of keys and values.")
    return _located(source, path, text)


def _unknown_key(path: Path_, root: Schema) -> str:
    allowed = sorted(_schema_at(path[:-1], root))
    key = str(path[-1])
    guess = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    noun = getattr(root, "noun", None) or (
        "a series" if "readouts" in root.fields else "a readout")
    where = f"'{dotted_parent(path)}'" if len(path) > 1 else noun
    if guess:
        return f"'{key}' is not a field of {where}; did you mean '{guess[0]}'?"
    return f"'{key}' is not a field of {where}; the fields are: {', '.join(allowed)}."


def dotted_parent(path: Path_) -> str:
    return dotted(tuple(p for p in path[:-1]))


def _schema_at(path: Path_, root: Schema) -> list[str]:
    schema: Schema = root
    keyed = False  # the part after a table of named entries is a name, not a field
    for part in path:
        if isinstance(part, int) or keyed:
            keyed = False
            continue
        field = schema.fields.get(part)
        table = getattr(field, "value_schema", None)
        keyed = isinstance(table, Schema)
        schema_next = table if keyed else _inner_schema(field)
        if schema_next is None:
            return []
        schema = schema_next
    return list(schema.fields)


def _inner_schema(field: fields.Field[Any] | None) -> Schema | None:
    if isinstance(field, fields.List):
        field = field.inner
    if isinstance(field, fields.Nested):
        nested = field.schema
        return nested if isinstance(nested, Schema) else None
    if isinstance(field, BulletField):
        return BulletSchema()
    if isinstance(field, FollowUpField):
        return FollowUpSchema()
    return None


SCHEMAS: dict[str, type[Schema]] = {"readout/1": ReadoutSchema}
__all__ = ["SCHEMAS", "ReadoutSchema", "Rules", "problems_of", "validate", "warnings_for"]
