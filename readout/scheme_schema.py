"""The rules of a classification scheme file (``readout-scheme/1``), as a marshmallow schema.

A scheme file lists its markings from the public level up, an optional abbreviation
for each, and the marking style (see `classification`)::

    format: readout-scheme/1        # optional
    name: nato                      # optional: what messages call it; default: the file's stem
    levels: [NATO UNCLASSIFIED, NATO RESTRICTED, NATO CONFIDENTIAL, NATO SECRET]
    abbreviations:                  # optional: the portion marks, "(NR)"
      NATO RESTRICTED: NR
    style: headings                 # headings (default) | paragraphs

`load_scheme_file` reads one, with every problem located in it; `scheme_from` turns
what a caller gives (a built-in name, a file, a scheme) into a `ClassificationScheme`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from marshmallow import RAISE, Schema, fields, validates_schema
from marshmallow import ValidationError as FieldError
from marshmallow.experimental.context import Context
from marshmallow.validate import Equal, Length, OneOf

from .classification import SCHEMES, STYLES, ClassificationScheme
from .errors import LoadError, ReadoutError, ValidationError
from .loading import Source, parse, read_text
from .schema import FullMatch, Rules, Text, problems_of, scheme_reference

SCHEME_FORMAT = "readout-scheme/1"
_ONE_LINE = r"^\S(?:[^\r\n]*\S)?$"


def _marking_text() -> Text:
    return Text(validate=FullMatch(_ONE_LINE, error=(
        "{input!r} is not a marking; write it on one line, without spaces at its ends.")))


class SchemeFileSchema(Schema):
    class Meta:
        unknown = RAISE

    noun = "a scheme file"  # what messages call a file of this schema

    format = Text(load_default=SCHEME_FORMAT, validate=Equal(SCHEME_FORMAT, error=(
        "{input!r} is not a scheme format this version reads; write 'format: "
        + SCHEME_FORMAT + "'.")), metadata={"description": (
        "The version of this format: readout-scheme/1.")})
    name = Text(load_default=None, metadata={"description": (
        "The scheme's name, in messages; default: the file's name.")})
    levels = fields.List(_marking_text(), required=True, validate=Length(min=2, error=(
        "List at least two markings: the public level first, then each level above it.")),
        metadata={"description": "The markings from the public level up: at least two."})
    abbreviations = fields.Dict(keys=fields.String(), values=_marking_text(),
                                load_default=dict, metadata={"description": (
        "A short form for each marking, printed where portions are marked: {SECRET: S}.")})
    style = Text(load_default="headings", validate=OneOf(STYLES, error=(
        "{input!r} is not a marking style; choose one of: {choices}.")), metadata={"description": (
        "How portions are marked: headings (each portion's heading) or paragraphs (every paragraph"
        " starts with its mark).")})

    @validates_schema(skip_on_field_errors=False)
    def distinct(self, data: dict[str, Any], **kwargs: Any) -> None:
        levels: list[str] = data.get("levels", [])
        errors: dict[str, dict[Any, list[str]]] = {}
        seen: dict[str, int] = {}
        for index, level in enumerate(levels):
            if level.casefold() in seen:
                errors.setdefault("levels", {})[index] = [
                    f"{level!r} is listed already (as level {seen[level.casefold()] + 1}); "
                    "give each level once."]
            seen.setdefault(level.casefold(), index)
        shorts: dict[str, str] = {}
        for marking, short in data.get("abbreviations", {}).items():
            if levels and marking not in levels:
                errors.setdefault("abbreviations", {})[marking] = [
                    f"{marking!r} is not one of the levels; abbreviate only the markings "
                    "listed under 'levels', spelt as there."]
            elif short.casefold() in shorts:
                errors.setdefault("abbreviations", {})[marking] = [
                    f"{short!r} already abbreviates {shorts[short.casefold()]!r}; give each "
                    "level its own abbreviation."]
            shorts.setdefault(short.casefold(), marking)
        if errors:
            raise FieldError(errors)


def load_scheme_file(path: Path) -> ClassificationScheme:
    """The scheme in the file ``path``; a `ValidationError` located in it if it breaks a
    rule, a `LoadError` if it cannot be read."""
    try:
        stat = path.stat()
    except OSError:
        raise LoadError.single(str(path), "The scheme file does not exist.") from None
    return _load(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=32)
def _load(path: str, mtime_ns: int, size: int) -> ClassificationScheme:
    """One read per version of a file: a batch reads its members' scheme only once."""
    text, name = read_text(path)
    source = parse(text, name, folder=Path(path).parent)
    return scheme_of(source, default_name=Path(path).stem)


def scheme_of(source: Source, *, default_name: str) -> ClassificationScheme:
    """The scheme a loaded scheme file describes, or a `ValidationError`."""
    try:
        data: dict[str, Any] = SchemeFileSchema().load(source.data)
    except FieldError as exc:
        raise ValidationError(list(problems_of(exc.messages, source,
                                               SchemeFileSchema))) from None
    levels = tuple(data["levels"])
    shorts = data["abbreviations"]
    return ClassificationScheme(
        levels, tuple(shorts.get(level, "") for level in levels) if shorts else (),
        style=data["style"], name=data["name"] or default_name)


def scheme_from(value: ClassificationScheme | str | Path | None
                ) -> ClassificationScheme | None:
    """The scheme a caller chose: a built-in one by name, or a scheme file.

    ``None`` stays ``None`` (each readout's own scheme then applies). A string that
    names no built-in scheme is the path of a file.
    """
    if value is None or isinstance(value, ClassificationScheme):
        return value
    if isinstance(value, str) and value in SCHEMES:
        return SCHEMES[value]
    path = Path(value)
    if not path.is_file():
        raise LoadError.single(str(value), f"{str(value)!r} is neither a built-in "
                               f"classification scheme ({', '.join(SCHEMES)}) nor a "
                               "scheme file.")
    return load_scheme_file(path)


def reference_fingerprint(value: Any, folder: Path) -> str:
    """What a readout's ``classification_scheme`` stands for, to tell when it changed:
    the scheme it names (a file's content included), else the value as given."""
    with Context(Rules(folder=folder)):
        try:
            return repr(scheme_reference(value))
        except (FieldError, ReadoutError):
            return repr(value)
