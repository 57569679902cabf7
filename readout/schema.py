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
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from enum import StrEnum
from functools import cache
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
from marshmallow.validate import Email, Equal, Length, Regexp

from . import model as m
from .classification import DEFAULT_SCHEME, PUBLIC, SCHEMES, ClassificationScheme
from .errors import Problem, ValidationError
from .images import ImageProblem
from .images import inspect as inspect_image
from .loading import Path_, Source, dotted, note_file_read


@cache
def _instance(kind: type[Schema]) -> Schema:
    """One instance of each schema, made on first use: making one copies all its fields
    (tens of them, for every style of a theme and every readout), loading with it does
    not change it, so one serves every load."""
    return kind()


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
    """Text that must not be empty. An empty optional field may go; a required one
    must be written, so its message never says to remove the line."""

    default_error_messages = {  # noqa: RUF012
        "invalid": "This must be text, not a list or a mapping.",
        "empty": "This is empty; write the text or remove the line.",
        "empty_required": "This is empty; write the text.",
    }

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None,
                     **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if not text[:1].isalnum() and not any(_visible(char) for char in text):
            raise self.make_error("empty_required" if self.required else "empty")
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


class DateTimeField(fields.Field[datetime | date]):
    """An ISO 8601 date and time, ideally with its UTC offset; or a date alone
    (YYYY-MM-DD), when the hour is not given."""

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None,
                     **kwargs: Any) -> datetime | date:
        if isinstance(value, datetime):
            return _plausible(value, value.isoformat())
        if isinstance(value, date):
            return DateField()._deserialize(value, attr, data)
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return DateField()._deserialize(value, attr, data)
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ][0-9:.+\-Z]+", value):
            try:
                parsed = datetime.fromisoformat(value)
            except ValueError:
                pass
            else:
                return _plausible(parsed, value)
        raise FieldError(f"{value!r} is not a date and time; write it as "
                         "YYYY-MM-DDTHH:MM+HH:MM, for example 2025-06-26T15:15:00+05:30, "
                         "or as a date alone (YYYY-MM-DD).")


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
        path = self._locate(value)
        note_file_read(path)
        return path

    def _locate(self, value: Any) -> Path:
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
    """A PNG or JPEG beside the readout (a logo or a photo): a whole image within the
    limits of `images`."""

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


class SubBulletField(fields.Field[str]):
    """A sub-bullet: a line of text. Bullets go two levels deep, no further."""

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None,
                     **kwargs: Any) -> str:
        if isinstance(value, str):
            if not value.strip():
                raise FieldError("This bullet is empty; write the text or remove the line.")
            return value
        if isinstance(value, dict):
            raise FieldError("Bullets go two levels deep at most, and this would be a "
                             "third; make it a line of text, or move its items up a level.")
        raise FieldError("A sub-bullet must be a line of text.")


class BulletField(fields.Field[m.Bullet]):
    """A bullet: a line of text, or ``{text, bullets}`` with one level of sub-items."""

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None,
                     **kwargs: Any) -> m.Bullet:
        if isinstance(value, str):
            if not value.strip():
                raise FieldError("This bullet is empty; write the text or remove the line.")
            return m.Bullet(text=value)
        if isinstance(value, dict):
            bullet: m.Bullet = _instance(BulletSchema).load(value)
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
            item: m.FollowUp = _instance(FollowUpSchema).load(value)
            return item
        raise FieldError("A follow-up item must be a line of text, or a mapping with "
                         "'text' and, optionally, 'owner', 'due' and 'status'.")


def _given(original: Any, *keys: str) -> bool:
    """Whether the input gives any of ``keys`` a value (even one that fails its own
    rule, which is then reported alone)."""
    if not isinstance(original, Mapping):
        return True
    return any(original.get(key) not in (None, [], ()) for key in keys)


def _due_after_meeting(data: dict[str, Any], what: str) -> None:
    due, held = data.get("due"), _rules().meeting_date
    if due and held and due < held:
        raise FieldError(f"The due date {due.isoformat()} is before the meeting "
                         f"({held.isoformat()}); {what}.", "due")


class _Base(Schema):
    class Meta:
        unknown = RAISE

    model: ClassVar[type]
    singular: ClassVar[str] = "entry"  # what one of these is called in messages
    needs: ClassVar[str] = ""  # the keys it needs, said in words; default: its required keys

    @post_load
    def build(self, data: dict[str, Any], **kwargs: Any) -> Any:
        built = {key: tuple(value) if isinstance(value, list) else value
                 for key, value in data.items()}
        return self.model(**built)


def _texts(**kwargs: Any) -> fields.List[str]:
    return fields.List(Text(), **kwargs)


class BulletSchema(_Base):
    model = m.Bullet
    singular = "bullet"
    text = Text(required=True, metadata={"description": "The bullet's text."})
    bullets = fields.List(SubBulletField(), load_default=(), metadata={"description": (
        "Sub-bullets, one level deep: lines of text (two levels in all).")})


def _letter_or_digit(char: str) -> bool:
    return (char.isascii() and char.isalnum()) or "\u00a1" <= char <= "\uffff"


class _DomainRule:
    """``match(domain)`` as marshmallow's ``Email.DOMAIN_REGEX`` matches: labels of 1-63
    letters (A-Z, a-z, U+00A1-U+FFFF), digits and inner hyphens, then a last label of
    two or more of those or hyphens, or an IPv4 address in brackets."""

    _IPV4 = re.compile(r"\[(25[0-5]|2[0-4]\d|[0-1]?\d?\d)(\.(25[0-5]|2[0-4]\d|[0-1]?\d?\d)){3}"
                       r"\]\Z")

    def match(self, domain: str) -> bool:
        if domain.startswith("["):
            return self._IPV4.match(domain) is not None
        *labels, last = domain.split(".")
        if not labels or len(last) < 2 or not all(
                _letter_or_digit(c) or c == "-" for c in last):
            return False
        return all(0 < len(label) <= 63 and _letter_or_digit(label[0])
                   and _letter_or_digit(label[-1])
                   and all(_letter_or_digit(c) or c == "-" for c in label)
                   for label in labels)


class _EmailCheck(Email):
    """marshmallow's e-mail rule, its domain pattern checked in Python: compiling that
    pattern (a class of every character up to U+FFFF) costs about 55 ms in a fresh
    process (see `startup`); this accepts exactly what it accepts (a test compares
    them character by character)."""

    DOMAIN_REGEX = _DomainRule()  # type: ignore[assignment]


class EmailField(fields.Email):
    """marshmallow's e-mail field (so its JSON Schema says ``format: email``), checked by
    `_EmailCheck`."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators[0] = _EmailCheck(error=str(self.error_messages["invalid"]))


class ContactSchema(_Base):
    model = m.Contact
    singular = "contact"
    name = Text(load_default=None, metadata={"description": "A person or desk to contact."})
    email = EmailField(load_default=None, error_messages={
        "invalid": "This is not an e-mail address."}, metadata={"description": (
        "The contact's e-mail address.")})
    phone = Text(load_default=None, metadata={"description": (
        "The contact's telephone number, quoted (\"+00 0000 0000\").")})


class SpokespersonSchema(_Base):
    model = m.Spokesperson
    singular = "spokesperson"
    name = Text(required=True, metadata={
        "description": "The spokesperson's name, as the attribution line prints it."})
    title = Text(load_default=None, metadata={
        "description": "Their title, printed before the name: Spokesperson."})


class IssuerSchema(_Base):
    model = m.Issuer
    singular = "issuer"
    organisation = Text(required=True, metadata={"description": (
        "The publishing organisation (required), e.g. Ministry of Defence.")})
    government = Text(load_default=None, metadata={"description": (
        "The government, printed above the organisation.")})
    office = Text(load_default=None, metadata={"description": (
        "The issuing office, e.g. Press Information Bureau.")})
    city = Text(load_default=None, metadata={"description": "The dateline city."})
    logo = LogoPath(load_default=None, metadata={"description": (
        "A PNG or JPEG, relative to this file and inside its folder.")})
    logo_alt = Text(load_default=None, metadata={
        "description": "The logo's alternative text, for readers who cannot see it; "
                       "default: 'Emblem of' and the government or organisation."})
    spokesperson = fields.Nested(SpokespersonSchema, load_default=None, metadata={
        "description": "Whom the text is attributable to: {name, title}."})
    contact = fields.Nested(ContactSchema, load_default=None, metadata={"description": (
        "The media contact printed on a release: name, email, phone.")})


class VenueSchema(_Base):
    model = m.Venue
    singular = "venue"
    needs = "'country', and optionally 'city' and 'name'"
    name = Text(load_default=None, metadata={"description": "The building or hall."})
    city = Text(load_default=None, metadata={
        "description": "The city of the venue, when the source names one."})
    country = Text(required=True, metadata={"description": "The country of the venue."})


class MeetingSchema(_Base):
    model = m.Meeting
    singular = "meeting"
    kind = Choice(m.MeetingKind, "meeting kind", required=True, metadata={"description": (
        "bilateral, multilateral, call, video, visit, call-on or other.")})
    date = DateField(required=True, metadata={"description": (
        "The (first) day of the meeting (YYYY-MM-DD).")})
    end_date = DateField(load_default=None, metadata={
        "description": "The last day of a meeting held over several days (YYYY-MM-DD)."})
    start = TimeField(load_default=None, metadata={"description": (
        "The local start time, quoted (\"10:30\").")})
    end = TimeField(load_default=None, metadata={"description": (
        "The local end time, quoted, after the start.")})
    requested_by = Text(load_default=None, metadata={
        "description": "Who asked for the meeting or placed the call."})
    event = Text(load_default=None, metadata={"description": "The event the meeting was part of."})
    setting = Text(load_default=None, metadata={"description": (
        "The phrase printed just before the event's name, e.g. on the sidelines of the.")})
    venue = fields.Nested(VenueSchema, load_default=None, metadata={
        "description": "Where it was held: required, except for a call or a video call."})

    @validates_schema(skip_on_field_errors=False)
    def end_after_start(self, data: dict[str, Any], **kwargs: Any) -> None:
        first, last = data.get("date"), data.get("end_date")
        if first and last and last < first:
            raise FieldError(f"The meeting's last day ({last.isoformat()}) is before its "
                             f"first ({first.isoformat()}); check 'date' and 'end_date'.",
                             "end_date")
        start, end = data.get("start"), data.get("end")
        one_day = not (first and last and last > first)
        if start and end and end <= start and one_day:
            raise FieldError(f"The meeting ends ({end:%H:%M}) before it starts "
                             f"({start:%H:%M}); check both times.", "end")

    @validates_schema(skip_on_field_errors=False, pass_original=True)
    def has_venue(self, data: dict[str, Any], original: Any, **kwargs: Any) -> None:
        kind = data.get("kind")
        if not _given(original, "venue") and isinstance(kind, m.MeetingKind) and (
                not kind.is_remote):
            raise FieldError("'venue' is required but missing; add it under 'meeting' "
                             "(only a call or a video call may leave it out).", "venue")


class ParticipantSchema(_Base):
    model = m.Participant
    singular = "participant"
    needs = "'name' or 'title' (or both), 'country' or 'organisation', and 'role'"
    name = Text(load_default=None, metadata={
        "description": "The person's name, as quote speakers name them; a name or a "
                       "title is required."})
    honorific = Text(load_default=None, metadata={"description": (
        "Printed before the name, e.g. Shri, Mr., Dr.")})
    title = Text(load_default=None, metadata={
        "description": "The person's office or rank; a name or a title is required."})
    country = Text(load_default=None, metadata={
        "description": "The country they speak for; required unless 'organisation' "
                       "is given."})
    organisation = Text(load_default=None, metadata={
        "description": "Their organisation; the side of an international official."})
    role = Choice(m.Role, "participant role", required=True, metadata={"description": (
        "principal, counterpart, delegation, observer, chair or attendee.")})
    classification = Marking(portion="participant", load_default=None, metadata={"description": (
        "This participant's marking; default: the readout's.")})
    attendance = Choice(m.Attendance, "kind of attendance", load_default=None, metadata={
        "description": "in-person or remote."})

    @validates_schema(skip_on_field_errors=False, pass_original=True)
    def is_someone(self, data: dict[str, Any], original: Any, **kwargs: Any) -> None:
        problems: list[str] = []
        if not _given(original, "name", "title"):
            problems.append("A participant needs a 'name' or a 'title' (or both); add the "
                            "one the source gives.")
        if not _given(original, "country", "organisation"):
            problems.append("A participant needs a 'country', or the 'organisation' of an "
                            "international official.")
        if problems:
            raise FieldError(problems)


class QuoteSchema(_Base):
    model = m.Quote
    singular = "quote"
    speaker = Text(required=True, metadata={"description": (
        "Who said it: a participant's name, exactly.")})
    text = Text(required=True, metadata={
        "description": "The words as spoken; paragraphs separated by blank lines."})
    language = Text(load_default=None, validate=FullMatch(LANGUAGE_PATTERN, error=(
        "{input!r} is not a language tag; use a BCP 47 tag such as en, hi or ru.")),
        metadata={"description": "The language the words were spoken in (BCP 47)."})
    translation = Text(load_default=None, metadata={
        "description": "A translation, printed after the quote, never inside its marks."})


class KeyPointSchema(_Base):
    model = m.KeyPoint
    singular = "key point"
    heading = Text(load_default=None, metadata={
        "description": "Optional: a point without a heading prints as paragraphs."})
    body = Text(load_default=None, metadata={
        "description": "Paragraphs separated by blank lines; a paragraph whose every line "
                       "starts with '- ' is a bullet list."})
    bullets = fields.List(BulletField(), load_default=(), metadata={"description": (
        "Bullets: text, or {text, bullets} with one level of sub-bullets.")})
    quotes = fields.List(fields.Nested(QuoteSchema), load_default=(), metadata={"description": (
        "What participants said: speaker and text.")})
    classification = Marking(portion="portion", load_default=None, metadata={"description": (
        "This portion's marking, never above the readout's; default: the readout's.")})

    @validates_schema(skip_on_field_errors=False, pass_original=True)
    def has_content(self, data: dict[str, Any], original: Any, **kwargs: Any) -> None:
        if _given(original, "body", "bullets", "quotes"):
            return
        if _given(original, "heading"):
            raise FieldError("A key point needs a 'body', 'bullets' or 'quotes' under its "
                             "heading.", "heading")
        raise FieldError("A key point needs a 'body', 'bullets' or 'quotes'.")


class OutcomeSchema(_Base):
    model = m.Outcome
    singular = "outcome"
    text = Text(required=True, metadata={"description": (
        "What the meeting agreed, decided or set in motion.")})
    type = Choice(m.OutcomeType, "type of outcome", load_default=m.OutcomeType.AGREEMENT,
                  metadata={"description": (
        "agreement, decision, action, statement or document.")})
    signed_by = _texts(load_default=(), metadata={
        "description": "Who signed it: for agreements and documents."})
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

    @validates_schema(skip_on_field_errors=False)
    def signed_what_can_be_signed(self, data: dict[str, Any], **kwargs: Any) -> None:
        kind = data.get("type", m.OutcomeType.AGREEMENT)
        if data.get("signed_by") and kind not in (m.OutcomeType.AGREEMENT,
                                                  m.OutcomeType.DOCUMENT):
            raise FieldError(f"An outcome of type {kind.value!r} is not signed; "
                             "'signed_by' is for an agreement or a document, so change "
                             "the type or remove 'signed_by'.", "signed_by")


class PhotoSchema(_Base):
    model = m.Photo
    singular = "photo"
    file = LogoPath(required=True, metadata={
        "description": "A PNG or JPEG inside this file's folder."})
    caption = Text(load_default=None, metadata={
        "description": "The caption printed under the photo."})
    credit = Text(load_default=None, metadata={
        "description": "Who took the photo or holds its rights."})
    alt = Text(required=True, metadata={
        "description": "What the photo shows, for readers who cannot see it."})


class ContextSchema(_Base):
    model = m.ContextEntry
    singular = "context entry"
    heading = Text(required=True, metadata={"description": "The heading of this background entry."})
    body = Text(load_default=None, metadata={"description": (
        "Paragraphs, separated by a blank line.")})
    bullets = fields.List(BulletField(), load_default=(), metadata={"description": (
        "Bullets: text, or {text, bullets} with one level of sub-bullets.")})
    classification = Marking(portion="portion", load_default=None, metadata={"description": (
        "This portion's marking, never above the readout's; default: the readout's.")})


class FollowUpSchema(_Base):
    model = m.FollowUp
    singular = "follow-up item"
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
    singular = "brief"
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
    released = DateTimeField(load_default=None, metadata={
        "description": "When the release is issued: a date and time with its UTC offset "
                       "(2025-06-26T15:15:00+05:30), or a date alone."})
    embargo = DateTimeField(load_default=None, metadata={
        "description": "Not for publication before this date and time; not before "
                       "'released'."})
    label = Text(load_default=None, metadata={
        "description": "The public document's name: Press Release (default), Readout, "
                       "Joint Statement, Media Note, Statement, or any text."})
    dateline = Choice(m.Dateline, "dateline", load_default=None, metadata={
        "description": "The city that opens the lead: issuer (the issuer's city), venue "
                       "(the venue's), or none; default: the template's."})
    release_id = Text(load_default=None, metadata={
        "description": "The issuing office's release number, e.g. \"2139043\"."})
    initials = Text(load_default=None, metadata={
        "description": "The releasing officers' initials (PIB convention), e.g. VM/SR."})
    previous = Text(load_default=None, validate=FullMatch(ID_PATTERN, error=(
        "{input!r} is not a readout id; use the 'id' (or file name without .yaml) of "
        "the meeting this one follows.")), metadata={
        "description": "The id of the meeting this one follows, in the same series."})
    issuer = fields.Nested(IssuerSchema, required=True, metadata={
        "description": "Who publishes the readout."})
    co_issuers = fields.List(fields.Nested(IssuerSchema), load_default=(), metadata={
        "description": "The other issuers of a joint statement, each like 'issuer'."})
    meeting = fields.Nested(MeetingSchema, required=True, metadata={
        "description": "What, when and where."})
    participants = fields.List(fields.Nested(ParticipantSchema), required=True,
                               validate=Length(min=1, error="List at least one participant."),
                               metadata={"description": "Who took part: at least one."})
    key_points = fields.List(fields.Nested(KeyPointSchema), required=True,
                             validate=Length(min=1, error="List at least one key point."),
                             metadata={"description": (
                                 "What was discussed: at least one, each with a body, "
                                 "bullets or quotes, and a heading if it has one.")})
    outcomes = fields.List(fields.Nested(OutcomeSchema), load_default=(), metadata={
        "description": "What the meeting agreed, decided or set in motion."})
    context = fields.List(fields.Nested(ContextSchema), load_default=(), metadata={
        "description": "Background: entries with heading, body, bullets and marking."})
    photos = fields.List(fields.Nested(PhotoSchema), load_default=(), metadata={
        "description": "Photos printed on public documents after the lead: {file, "
                       "caption, credit, alt}; alt is required."})
    tags = _texts(load_default=(), metadata={
        "description": "Keywords, for search and the PDF's metadata."})
    brief = fields.Nested(BriefSchema, load_default=None, metadata={
        "description": "Internal only: never printed in a press release."})

    @validates_schema(skip_on_field_errors=False)
    def embargo_after_release(self, data: dict[str, Any], **kwargs: Any) -> None:
        released, embargo = data.get("released"), data.get("embargo")
        if released and embargo and _earlier(embargo, released):
            raise FieldError(f"The embargo ({embargo.isoformat()}) ends before the release "
                             f"is issued ({released.isoformat()}); an embargo is never "
                             "before 'released': correct one of them.", "embargo")

    @validates_schema(skip_on_field_errors=False)
    def dateline_has_a_city(self, data: dict[str, Any], **kwargs: Any) -> None:
        dateline, issuer, meeting = data.get("dateline"), data.get("issuer"), data.get(
            "meeting")
        if dateline is m.Dateline.ISSUER and isinstance(issuer, m.Issuer) and not issuer.city:
            raise FieldError("The dateline is the issuer's city, but 'issuer' has no "
                             "'city'; add it, or choose 'dateline: venue' or 'none'.",
                             "dateline")
        if dateline is m.Dateline.VENUE and isinstance(meeting, m.Meeting) and (
                meeting.venue is None):
            raise FieldError("The dateline is the venue's city, but the meeting has no "
                             "'venue'; add one, or choose 'dateline: issuer' or 'none'.",
                             "dateline")

    @validates_schema(skip_on_field_errors=False)
    def follows_another(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data.get("previous") and data.get("previous") == data.get("id"):
            raise FieldError("A meeting cannot follow itself; 'previous' names the id of "
                             "an earlier meeting.", "previous")

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
            readout: m.Readout = _instance(ReadoutSchema).load(data)
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
def _earlier(first: date, second: date) -> bool:
    """Whether ``first`` is before ``second``: by day when either is a date alone; a
    time without a UTC offset is taken in the other's zone."""
    if not isinstance(first, datetime) or not isinstance(second, datetime):
        return _day(first) < _day(second)
    if (first.tzinfo is None) != (second.tzinfo is None):
        zone = first.tzinfo or second.tzinfo
        first, second = first.replace(tzinfo=zone), second.replace(tzinfo=zone)
    return first < second


def _day(value: date) -> date:
    return value.date() if isinstance(value, datetime) else value


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
    an action or a follow-up item without an owner, a setting without an event."""
    yield from _public_warnings(readout, source)
    names = [p.name for p in readout.participants if p.name]
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
    if readout.meeting.setting and not readout.meeting.event:
        yield _located(source, ("meeting", "setting"),
                       "'setting' is printed just before the event's name, but there is no "
                       "'event'; add the event, or remove the setting.", "warning")
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
    order = _document_order(source.data, schema)
    found = [(_explain(path, text, source, schema), order(path))
             for path, text in _flatten(messages, ())]
    found.sort(key=lambda pair: (pair[0].line, pair[0].column, pair[1]))
    yield from (problem for problem, _ in found)


def _document_order(data: Any, root: Schema) -> Callable[[Path_], tuple[int, ...]]:
    """A sort key that puts paths in the order of the data: a value where its key is
    given; a missing key at the end of its parent, in the order the schema declares
    it. Data from Python has no lines and columns: this is its document order."""
    seen: dict[Path_, int] = {}
    end: dict[Path_, int] = {}

    def walk(value: Any, path: Path_) -> None:
        seen[path] = len(seen)
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, (*path, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, (*path, index))
        end[path] = len(seen)

    walk(data, ())

    def key(path: Path_) -> tuple[int, ...]:
        if path in seen:
            return (seen[path], 0)
        depth = len(path)
        while depth and path[:depth] not in seen:
            depth -= 1
        nested = _nested_at(path[:depth], root)
        names = list(nested.fields) if nested is not None else []
        missing = str(path[depth])
        rank = names.index(missing) if missing in names else len(names)
        return (end.get(path[:depth], 0), 1, rank)

    return key


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
        message = _unknown_key(path, root)
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", key) and _value_at(source.data, path) is None:
            message += (" If it belongs to the value before it, put that value in quotes: "
                        "inside { } a comma starts a new key.")
        return _located(source, path, message, key=True)
    if text == "Missing data for required field.":
        parent = f"under '{path[-2]}'" if len(path) > 1 and isinstance(path[-2], str) else (
            "in this entry" if len(path) > 1 else "at the top level")
        return _located(source, path, f"'{key}' is required but missing; add it {parent}.")
    if text == "Field may not be null.":
        wanted = "write the text" if isinstance(_field_at(path, root), fields.String) else (
            "give it a value")
        return _located(source, path, f"'{key}' is empty; {wanted}.")
    if text == "Not a valid list.":
        return _located(source, path, f"'{key}' must be a list (lines starting with '- ').")
    if text in ("Invalid input type.", "Not a valid mapping type."):
        return _located(source, path, _not_a_mapping(path, source, root))
    return _located(source, path, text)


def _not_a_mapping(path: Path_, source: Source, root: Schema) -> str:
    """What to write where one entry of keys was expected: its keys, by name."""
    nested = _nested_at(path, root)
    if not isinstance(nested, _Base):
        return "This must be a mapping of keys and values."
    needs = nested.needs or ", ".join(f"'{name}'" for name, field in nested.fields.items()
                                      if field.required)
    one = nested.singular
    given = _value_at(source.data, path)
    if isinstance(given, list):
        return (f"This must be one {one}, not a list; write its keys ({needs}) directly "
                f"under '{path[-1]}', without '- '.")
    if isinstance(given, str):
        return (f"A {one} is written as keys, not as a line of text; give it {needs}, "
                "each on its own line as 'key: value'.")
    return f"This must be a {one}: a mapping with {needs}."


def _value_at(data: Any, path: Path_) -> Any:
    for part in path:
        if isinstance(data, dict) and isinstance(part, str):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return None
    return data


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


def _field_at(path: Path_, root: Schema) -> fields.Field[Any] | None:
    """The field that reads the value at ``path``, if the schemas know it."""
    parent = _nested_at(path[:-1], root) if path else None
    if parent is None or not path or not isinstance(path[-1], str):
        return None
    return parent.fields.get(path[-1])


def _nested_at(path: Path_, root: Schema) -> Schema | None:
    """The schema that reads the entry at ``path`` (a list item's, for a list)."""
    schema: Schema = root
    for part in path:
        if isinstance(part, int):
            continue
        inner = _inner_schema(schema.fields.get(part))
        if inner is None:
            return None
        schema = inner
    return schema


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
