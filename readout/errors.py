"""Every error `readout` raises, and the located problems they carry.

::

    ReadoutError                  base: carries ``problems``, a tuple of `Problem`
    ├── LoadError                 the file cannot be read or is not safe, well-formed YAML/JSON
    ├── ValidationError           the data breaks a rule of the format
    ├── TemplateError             a template or theme is unknown, broken or emits bad markup
    │   └── ThemeError            a theme file breaks a rule of readout-theme/1
    ├── RenderError               a document cannot be made from this readout
    │   └── NothingPublicError    a public document was asked of a readout whose face or
    │                             key points are not cleared for release
    └── OutputError               the output folder cannot take the documents: another batch
                                  holds it, the disk is full, it is read-only

A `Problem` is data (file, line, column, dotted path, message, severity); its ``str``
is the one line a user sees: ``FILE:LINE:COL: field.path: message``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal, Self

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One located problem. ``line`` and ``column`` are 1-based; 0 means unknown."""

    file: str
    line: int
    column: int
    path: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = self.file or "<input>"
        if self.line:
            where = f"{where}:{self.line}:{self.column}"
        label = "warning: " if self.severity == "warning" else ""
        if self.path:
            return f"{where}: {self.path}: {label}{self.message}"
        return f"{where}: {label}{self.message}"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class ReadoutError(Exception):
    """Base of every `readout` error; ``problems`` holds what went wrong, located."""

    def __init__(self, problems: tuple[Problem, ...] | list[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def single(cls, file: str, message: str, *, line: int = 0, column: int = 0,
               path: str = "") -> Self:
        return cls([Problem(file, line, column, path, message)])

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "warning")


class LoadError(ReadoutError):
    """The input cannot be read, is too large, or is not safe, well-formed YAML or JSON."""


class ValidationError(ReadoutError):
    """The input is well-formed but breaks a rule of the format."""


class TemplateError(ReadoutError):
    """A template or theme is unknown, broken, or produced markup the reader rejects."""


class ThemeError(TemplateError):
    """A theme file breaks a rule of the ``readout-theme/1`` format."""


class RenderError(ReadoutError):
    """A document cannot be made from this readout."""


class NothingPublicError(RenderError):
    """A public document was asked of a readout whose face is not at the public level, or
    that has no public key point: it is refused, naming what is not cleared."""


class OutputError(ReadoutError):
    """The output folder cannot take the documents (busy, full, read-only): nothing a
    change to the input would cure, so a batch stops at the first one."""
