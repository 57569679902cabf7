"""Classification schemes: ordered markings, their abbreviations, and how portions are marked.

A scheme lists its markings from the public level up (``levels[0]`` is the only marking
a public document prints). ``levels[1]`` is its lowest internal level: an internal
document is never bannered below it. Its ``style`` says where portion marks go:

- ``headings``: each portion's heading (or its first paragraph where it has none);
- ``paragraphs``: every paragraph, bullet, table row and quote (the US practice).

A portion mark is the marking's abbreviation in parentheses, ``(S)``, or the whole
marking, ``(OFFICIAL)``, where the scheme gives none. Every scheme also reads
``PUBLIC`` as its public level (`canonical`), so a readout cleared for release reads
the same under any scheme (``PUBLIC`` is ``UNCLASSIFIED`` under ``us``). Four schemes
are built in (`SCHEMES`: ``default``, ``uk``, ``us``, ``india``); a scheme file (YAML)
is read by `scheme_schema`. This module has no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

MarkingStyle = Literal["headings", "paragraphs"]
PUBLIC = "PUBLIC"  # read as the public level of every scheme
STYLES: tuple[MarkingStyle, ...] = ("headings", "paragraphs")


@dataclass(frozen=True, slots=True)
class ClassificationScheme:
    """Markings from the public level up, with their abbreviations and marking style.

    ``abbreviations`` is empty, or holds one entry per level ("" for a level without
    one). ``name`` is what messages call the scheme.
    """

    levels: tuple[str, ...]
    abbreviations: tuple[str, ...] = ()
    style: MarkingStyle = "headings"
    name: str = "custom"

    def __post_init__(self) -> None:
        if len(self.levels) < 2 or len(set(self.levels)) != len(self.levels):
            raise ValueError("a classification scheme needs at least two distinct markings: "
                             "the public level and one above it")
        if self.abbreviations and len(self.abbreviations) != len(self.levels):
            raise ValueError("a classification scheme needs one abbreviation per level, "
                             "or none")
        if self.style not in STYLES:
            raise ValueError(f"a marking style is one of {', '.join(STYLES)}, "
                             f"not {self.style!r}")

    @property
    def public(self) -> str:
        """The public level: the only marking a public document may print."""
        return self.levels[0]

    @property
    def lowest_internal(self) -> str:
        """The lowest level above the public one: the floor of an internal document."""
        return self.levels[1]

    @property
    def marks_paragraphs(self) -> bool:
        """Whether every paragraph, bullet, table row and quote carries its mark."""
        return self.style == "paragraphs"

    def __contains__(self, marking: object) -> bool:
        return marking in self.levels

    def canonical(self, marking: str) -> str | None:
        """``marking`` as this scheme spells it (``PUBLIC`` is the public level), or
        ``None`` when it is not one of its markings."""
        if marking in self.levels:
            return marking
        return self.public if marking == PUBLIC else None

    def rank(self, marking: str) -> int:
        """Position of ``marking`` in the scheme; higher is more restricted."""
        return self.levels.index(marking)

    def is_public(self, marking: str) -> bool:
        return marking == self.levels[0]

    def above(self, marking: str, ceiling: str) -> bool:
        """Whether ``marking`` is more restricted than ``ceiling``."""
        return self.rank(marking) > self.rank(ceiling)

    def highest(self, markings: Iterable[str]) -> str:
        """The most restricted of ``markings`` (those of this scheme); the public level
        when there are none."""
        known = [m for m in markings if m in self.levels]
        return max(known, key=self.rank) if known else self.public

    def internal(self, marking: str) -> str:
        """The marking of an internal document about ``marking``: never the public level."""
        return self.highest((marking, self.lowest_internal))

    def abbreviation(self, marking: str) -> str:
        """The short form of ``marking`` ("S"), or the marking itself where it has none."""
        if self.abbreviations and marking in self.levels:
            return self.abbreviations[self.rank(marking)] or marking
        return marking

    def portion_mark(self, marking: str) -> str:
        """The mark a portion starts with: ``(S)``, ``(OFFICIAL)``."""
        return f"({self.abbreviation(marking)})"


DEFAULT_SCHEME = ClassificationScheme(
    ("PUBLIC", "OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET"), name="default")

SCHEMES: dict[str, ClassificationScheme] = {
    "default": DEFAULT_SCHEME,
    "uk": ClassificationScheme(
        ("PUBLIC", "OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET", "TOP SECRET"), name="uk"),
    "us": ClassificationScheme(
        ("UNCLASSIFIED", "CONFIDENTIAL", "SECRET", "TOP SECRET"), ("U", "C", "S", "TS"),
        style="paragraphs", name="us"),
    "india": ClassificationScheme(
        ("UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL", "SECRET", "TOP SECRET"), name="india"),
}
"""The built-in schemes by name (SPEC section 4)."""
