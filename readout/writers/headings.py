"""Heading levels as a reader's software sees them, the same in every writer.

PDF/UA and screen readers expect headings that never skip a level on the way down
(H1, H2, H3; never H1 then H3) and start at level 1. A template may skip (a press
release whose title is level 1 and whose first section heading is level 3), so writers
map the levels a document gives, in order, to levels that do not: a heading is one level
below the nearest earlier heading of a smaller given level, and a sibling of an earlier
one of the same given level.
"""

from __future__ import annotations


class HeadingLevels:
    """Maps the given level of each heading of one document, in order, to its level."""

    def __init__(self) -> None:
        self._open: list[int] = []  # given levels of the headings above this one

    def level(self, given: int) -> int:
        """The level (1-3) of the next heading, whose template gives it ``given``."""
        while self._open and self._open[-1] >= given:
            self._open.pop()
        self._open.append(given)
        return min(len(self._open), 3)
