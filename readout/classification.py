"""The classification scheme: an ordered list of markings, in one place.

The default is ``PUBLIC < OFFICIAL < OFFICIAL-SENSITIVE < SECRET``. A user with another
scheme builds a `ClassificationScheme` and passes it to `readout.load`; the lowest
marking is the public one, the only one a press release prints.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ClassificationScheme:
    """Markings from lowest to highest; ``levels[0]`` is the public marking."""

    levels: tuple[str, ...]

    def __post_init__(self) -> None:
        if not self.levels or len(set(self.levels)) != len(self.levels):
            raise ValueError("a classification scheme needs distinct markings, at least one")

    @property
    def public(self) -> str:
        return self.levels[0]

    def __contains__(self, marking: object) -> bool:
        return marking in self.levels

    def rank(self, marking: str) -> int:
        """Position of ``marking`` in the scheme; higher is more restricted."""
        return self.levels.index(marking)

    def is_public(self, marking: str) -> bool:
        return marking == self.levels[0]

    def above(self, marking: str, ceiling: str) -> bool:
        """Whether ``marking`` is more restricted than ``ceiling``."""
        return self.rank(marking) > self.rank(ceiling)


DEFAULT_SCHEME = ClassificationScheme(("PUBLIC", "OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET"))
