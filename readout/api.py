"""The public functions: load a readout, check it, render it.

``load``/``loads``/``from_dict`` return a validated `Readout` or raise a
`ReadoutError` whose ``problems`` say what is wrong and where. ``check`` does the same
work but returns the warnings too, for tools (the CLI's ``validate``) that report them.
"""

from __future__ import annotations

import re
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


def loads(text: str, name: str = "<string>", *, folder: str | Path | None = None,
          scheme: Scheme = None) -> Readout:
    """Validate readout text; ``name`` is what error messages print as the file."""
    source = parse(text, name, folder=Path(folder) if folder else None)
    return validated(source, scheme)[0]


def from_dict(data: dict[str, Any], *, name: str = "<dict>", folder: str | Path | None = None,
              scheme: Scheme = None) -> Readout:
    """Validate a readout given as Python data (as ``json.load`` would give it)."""
    deep = too_deep(data)
    if deep is not None:
        raise ValidationError([Problem(name, 0, 0, dotted(deep), DEPTH_MESSAGE)])
    source = Source(data=data, name=name, positions=PositionIndex(),
                    folder=Path(folder) if folder else None)
    return validated(source, scheme)[0]


def check(path: str | Path | TextIO, *, scheme: Scheme = None
          ) -> tuple[Readout, list[Problem]]:
    """Load and validate a file; return the readout and its warnings."""
    text, name = read_text(path)
    folder = Path(path).parent if isinstance(path, (str, Path)) and str(path) != "-" else None
    return validated(parse(text, name, folder=folder), scheme)


def validated(source: Source, scheme: Scheme = None) -> tuple[Readout, list[Problem]]:
    """Validate a loaded `Source`; return the readout and its warnings."""
    readout, warnings = validate(source, default_id=default_id(source.name),
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
