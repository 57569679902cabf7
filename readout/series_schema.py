"""The rules of a ``readout-series/1`` file, as a marshmallow schema.

A series names its member readouts (files or globs, relative to the series file and
inside its folder), gives ``defaults`` deep-merged under each member, says what to
render, and what its digest says of itself (``digest``: as-at date, reference, issuer,
distribution, marking). ``defaults`` is checked here only for shape; its content is
checked as part of each merged member, where a problem is located in the series file.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Any

from marshmallow import RAISE, Schema, fields, post_load
from marshmallow import ValidationError as FieldError
from marshmallow.experimental.context import Context
from marshmallow.validate import Equal, Length, OneOf

from .classification import SCHEMES
from .errors import Problem, ValidationError
from .loading import Source, dotted
from .model import DigestSettings
from .names import FORMATS
from .schema import (
    DateField,
    FileInFolder,
    LogoPath,
    Rules,
    SchemePath,
    Text,
    problems_of,
)

SERIES_FORMAT = "readout-series/1"


def _inside_the_folder(pattern: str) -> None:
    relative = PurePosixPath(pattern)
    if relative.is_absolute() or ".." in relative.parts:
        raise FieldError(f"{pattern!r} points outside the series folder; list readouts in "
                         "that folder or below it, with relative paths.")


class RenderSchema(Schema):
    class Meta:
        unknown = RAISE

    templates = fields.List(Text(), validate=Length(min=1), metadata={"description": (
        "The templates to render for every member: press-release, internal-brief, or "
        "yours.")})
    formats = fields.List(Text(validate=OneOf(FORMATS, error=(
        "{input!r} is not a format; choose one of: {choices}."))), validate=Length(min=1),
        metadata={"description": "The formats to write: pdf, docx."})


class DigestSchema(Schema):
    class Meta:
        unknown = RAISE

    as_at = DateField(load_default=None, metadata={
        "description": "The date the digest is as at (YYYY-MM-DD): what is overdue or due "
                       "in the next 14 days is judged against it. Default: the date of the "
                       "series' latest meeting; 'readout batch --as-at' overrides it."})
    reference = Text(load_default=None, metadata={
        "description": "The digest's file reference, printed under its title and in its "
                       "footer."})
    issuer = Text(load_default=None, metadata={
        "description": "Who issues the digest: an office or a division."})
    distribution = fields.List(Text(), load_default=(), metadata={
        "description": "Who receives the digest, one entry a line."})
    marking = Text(load_default=None, metadata={
        "description": "The least marking of the digest, a level of the series' "
                       "classification scheme; it carries a higher one when what it shows "
                       "is marked higher."})
    all_actions = fields.Boolean(load_default=False, error_messages={
        "invalid": "This must be true or false."}, metadata={
        "description": "List done and dropped actions too (after the open ones), instead of "
                       "only counting them; 'readout batch --all-actions' does the same."})

    @post_load
    def build(self, data: dict[str, Any], **kwargs: Any) -> DigestSettings:
        values: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v
                                  for k, v in data.items()}
        return DigestSettings(**values)


class SeriesSchema(Schema):
    class Meta:
        unknown = RAISE

    noun = "a series"  # what messages call a file of this schema

    format = Text(required=True, validate=Equal(SERIES_FORMAT, error=(
        "{input!r} is not a series format this version reads; write 'format: "
        + SERIES_FORMAT + "'.")), metadata={"description": (
        "The version of this format: readout-series/1.")})
    title = Text(required=True, metadata={"description": (
        "The series' title, printed on its digest.")})
    defaults = fields.Dict(keys=fields.String(), load_default=dict, metadata={"description": (
        "Readout fields deep-merged under every member: the member wins, lists replace.")})
    readouts = fields.List(Text(validate=_inside_the_folder,
                                metadata={"not": {"pattern": r"(^/|(^|/)\.\.(/|$))"}}),
                           required=True,
                           validate=Length(min=1, error="List at least one readout file."),
                           metadata={"description": (
                               "The member readouts: files or globs, relative to this file "
                               "and inside its folder, in order.")})
    render = fields.Nested(RenderSchema, load_default=dict, metadata={"description": (
        "What to render for every member: templates and formats.")})
    digest = fields.Nested(DigestSchema, load_default=DigestSettings, metadata={
        "description": "What the series digest says of itself: its as-at date, reference, "
                       "issuer, distribution and marking."})


def validate_settings(source: Source) -> dict[str, Any]:
    """The series file's settings, or a `ValidationError` with every problem located."""
    try:
        settings: dict[str, Any] = SeriesSchema().load(source.data)
    except FieldError as exc:
        raise ValidationError(list(problems_of(exc.messages, source, SeriesSchema))) from None
    return settings


def default_logo(value: str, folder: Path, source: Source) -> Path:
    """A logo named in a series' defaults, resolved inside the series file's folder."""
    return _default_file(LogoPath(), value, folder, source, ("defaults", "issuer", "logo"))


def default_scheme(value: str, folder: Path, source: Source) -> str | Path:
    """A ``classification_scheme`` in a series' defaults: a built-in name as it is, a
    scheme file resolved inside the series file's folder."""
    if value in SCHEMES:
        return value
    return _default_file(SchemePath(), value, folder, source,
                         ("defaults", "classification_scheme"))


def _default_file(field: FileInFolder, value: str, folder: Path, source: Source,
                  path: tuple[str, ...]) -> Path:
    with Context(Rules(folder=folder)):
        try:
            return field.locate(value)
        except FieldError as exc:
            line, column = source.positions.locate(path)
            raise ValidationError([Problem(source.name, line, column, dotted(path),
                                           " ".join(str(m) for m in exc.messages))]) from None
