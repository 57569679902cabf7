"""The public functions: load a readout, check it, render it.

``load``/``loads``/``from_dict`` return a validated `Readout` or raise a
`ReadoutError` whose ``problems`` say what is wrong and where. ``check`` does the same
work but returns the warnings too, for tools (the CLI's ``validate``) that report them.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

from . import coverage
from .classification import ClassificationScheme
from .errors import Problem, ValidationError
from .loading import DEPTH_MESSAGE, PositionIndex, Source, dotted, parse, read_text, too_deep
from .model import Readout
from .schema import ID_MAX_LENGTH, validate
from .scheme_schema import scheme_from
from .themes import load_theme

Scheme = ClassificationScheme | str | Path | None
"""A classification scheme as callers give it: a scheme, a built-in name ('us'), a
scheme file, or ``None`` for the readout's own ``classification_scheme`` (else the
default). A scheme given here wins over the readout's own."""


def load(path: str | Path | TextIO, *, scheme: Scheme = None) -> Readout:
    """Load and validate a readout file (YAML or JSON); ``-`` reads standard input."""
    return check(path, scheme=scheme)[0]


def loads(text: str, name: str | None = None, *, folder: str | Path | None = None,
          scheme: Scheme = None) -> Readout:
    """Validate readout text; ``name`` is what error messages print as the file.

    The readout's id is its ``id``, else the stem of ``name``, else (no name) one
    derived from the text: the same text always gets the same id, two texts two ids.
    """
    source = parse(text, name or "<string>", folder=Path(folder) if folder else None)
    fallback = default_id(name) if name else content_id(text)
    return validated(source, scheme, fallback_id=fallback)[0]


def from_dict(data: dict[str, Any], *, name: str | None = None,
              folder: str | Path | None = None, scheme: Scheme = None) -> Readout:
    """Validate a readout given as Python data (as ``json.load`` would give it).

    The readout's id is ``data["id"]``, else the stem of ``name``, else (no name) one
    derived from the content: the same data always gets the same id, two dicts two ids.
    Problems come in the order of the data's keys (there are no lines to order them by).
    """
    shown = name or "<dict>"
    deep = too_deep(data)
    if deep is not None:
        raise ValidationError([Problem(shown, 0, 0, dotted(deep), DEPTH_MESSAGE)])
    source = Source(data=data, name=shown, positions=PositionIndex(),
                    folder=Path(folder) if folder else None)
    fallback = default_id(name) if name else content_id(data)
    return validated(source, scheme, fallback_id=fallback)[0]


def content_id(content: Any) -> str:
    """A stable id for a readout that names none and has no file: ``readout-`` and 12
    hex digits of the SHA-256 of its content (canonical JSON for data)."""
    if isinstance(content, str):
        canonical = content
    else:
        canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
    return "readout-" + hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def check(path: str | Path | TextIO, *, scheme: Scheme = None,
          templates: Sequence[str] = (), template_dirs: Sequence[str | Path] = ()
          ) -> tuple[Readout, list[Problem]]:
    """Load and validate a file; return the readout and its warnings.

    ``templates`` adds the warnings of those templates' own limits (GOV.UK's
    65-character title, say), located like every other problem.
    """
    text, name = read_text(path)
    folder = Path(path).parent if isinstance(path, (str, Path)) and str(path) != "-" else None
    source = parse(text, name, folder=folder)
    readout, warnings = validated(source, scheme)
    return readout, warnings + template_warnings(readout, source, templates, template_dirs)


def template_warnings(readout: Readout, source: Source, templates: Sequence[str],
                      template_dirs: Sequence[str | Path] = ()) -> list[Problem]:
    """Warnings for what ``templates`` ask of the text (their ``limits``), located."""
    if not templates:
        return []
    from .templating import length_warnings

    problems = []
    for template in dict.fromkeys(templates):
        for field, message in length_warnings(readout, template, template_dirs):
            line, column = source.positions.locate((field,))
            problems.append(Problem(source.positions.file_of((field,), source.name), line,
                                    column, field, message, "warning"))
    return problems


def validated(source: Source, scheme: Scheme = None, *, fallback_id: str | None = None
              ) -> tuple[Readout, list[Problem]]:
    """Validate a loaded `Source`; return the readout and its warnings. A readout with
    no ``id`` takes ``fallback_id``, else the stem of its file's name."""
    readout, warnings = validate(source, default_id=fallback_id or default_id(source.name),
                                 scheme=scheme_from(scheme))
    readout = replace(readout, positions=source.positions, origin=source.name)
    if source.folder is not None:
        readout = replace(readout, source=source.folder / Path(source.name).name)
    warnings += coverage.warnings(readout, load_theme())
    return readout, warnings


def default_id(name: str) -> str:
    """A readout's id when it gives none: its file's stem, made safe; else 'readout'."""
    if name.startswith("<"):
        return "readout"
    stem = Path(name).stem.lower()
    slug = re.sub(r"[^a-z0-9._-]+", "-", stem).strip("-._")
    return slug[:ID_MAX_LENGTH].rstrip("-._") or "readout"
