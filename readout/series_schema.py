"""The rules of a ``readout-series/1`` file, as a marshmallow schema.

A series names its member readouts (files or globs, relative to the series file and
inside its folder), gives ``defaults`` deep-merged under each member, and says what to
render. ``defaults`` is checked here only for shape; its content is checked as part of
each merged member, where a problem is located in the series file.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any

from marshmallow import RAISE, Schema, fields
from marshmallow import ValidationError as FieldError
from marshmallow.validate import Length

from .schema import Text
from .writers import FORMATS

SERIES_FORMAT = "readout-series/1"


class SeriesFormat(Text):
    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None,
                     **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if text != SERIES_FORMAT:
            raise FieldError(f"{text!r} is not a series format this version reads; write "
                             f"'format: {SERIES_FORMAT}'.")
        return text


class MemberPattern(Text):
    """A file name or glob, relative, that stays inside the series folder."""

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None,
                     **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        relative = PurePosixPath(text)
        if relative.is_absolute() or ".." in relative.parts:
            raise FieldError(f"{text!r} points outside the series folder; list readouts "
                             "in that folder or below it, with relative paths.")
        return text


class FormatName(Text):
    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None,
                     **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if text not in FORMATS:
            raise FieldError(f"{text!r} is not a format; choose one of: {', '.join(FORMATS)}.")
        return text


class RenderSchema(Schema):
    class Meta:
        unknown = RAISE

    templates = fields.List(Text(), validate=Length(min=1))
    formats = fields.List(FormatName(), validate=Length(min=1))


class SeriesSchema(Schema):
    class Meta:
        unknown = RAISE

    format = SeriesFormat(required=True)
    title = Text(required=True)
    defaults = fields.Dict(keys=fields.String(), load_default=dict)
    readouts = fields.List(MemberPattern(), required=True,
                           validate=Length(min=1, error="List at least one readout file."))
    render = fields.Nested(RenderSchema, load_default=dict)
