"""PDF writer: a table of many rows, laid out one page-sized stretch of rows at a time.

At every page break reportlab measures all of a table's remaining rows again (its
split and height passes walk every row), so a table's layout time grows with the
square of its rows: 8,000 participants took 105 s. `LongTable` hands reportlab only
a chunk of rows at a time, a little more than a page holds (`TableRows.stop`), and
carries on with the rest after each page: time linear in the rows, the same layout.

Each row is measured once for the whole table (`TableRows.measured`: reportlab's own
row heights and laid-out cells, from one pass of its height code over every row) and
every chunk is given those heights, so no split, wrap or page measures a row again.
That pass finds each row to measure at once (`_Unmeasured`): reportlab's looks for it
from the first row every time, which made one pass over a 1,000-meeting digest's
tables a fifth of its PDF time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from reportlab.platypus import Flowable, TableStyle
from reportlab.platypus import Table as RLTable

Command = tuple[Any, ...]


@dataclass(frozen=True)
class TableRows:
    """A table as rows: each body row's cells and its own style commands (written for
    row 0), the commands of every cell, and the body rows kept with the next."""

    header: list[Any] | None
    rows: list[list[Any]]
    row_commands: list[list[Command]]
    header_commands: list[Command]
    base: list[Command]
    kept: frozenset[int]
    widths: list[float]
    split_in_row: float
    heights: list[float]  # of each body row
    page: float           # the height of a page's body
    render: Any = None    # each chunk's render callback (tagging: grids are artifacts)
    _measured: list[tuple[list[list[Any]], list[float]]] = field(
        default_factory=list, compare=False, repr=False)

    def measured(self) -> tuple[list[list[Any]], list[float]]:
        """Every row (the header first, when there is one) with its cells as reportlab
        lays them out, and each row's height exactly as reportlab computes it: measured
        once, by one reportlab table of every row (its height pass walks each row once
        when it has room for all of them)."""
        if not self._measured:
            data = [self.header] if self.header is not None else []
            commands = list(self.base)
            if data:
                commands.extend(moved(c, 0) for c in self.header_commands)
            offset = len(data)
            for index, own in enumerate(self.row_commands):
                commands.extend(moved(c, offset + index) for c in own)
            rows = data + self.rows
            whole = RLTable(rows, colWidths=self.widths, rowHeights=_Unmeasured(len(rows)),
                            repeatRows=offset, style=TableStyle(commands),
                            splitInRow=self.split_in_row, longTableOptimize=0)
            whole.wrap(sum(self.widths), float("inf"))
            self._measured.append((whole._cellvalues, list(whole._rowHeights)))
        return self._measured[0]

    def stop(self, start: int) -> int:
        """Where the chunk from ``start`` ends: just past the row that takes it beyond a
        page, so that a chunk never fits on one page unless it is the last."""
        height, stop = 0.0, start
        while stop < len(self.rows) and height <= self.page:
            height += self.heights[stop]
            stop += 1
        return stop

    def table(self, start: int, first: list[Any] | None, headed: bool) -> RLTable:
        """The reportlab table of the chunk of rows from ``start``, under the header if
        ``headed``; ``first`` replaces the first row's cells (the rest of a split row)."""
        stop = self.stop(start)
        cells, heights = self.measured()
        header = int(self.header is not None)
        data = [cells[0]] if headed and header else []
        rows: list[float | None] = [heights[0]] if data else []
        commands = list(self.base)
        if data:
            commands.extend(moved(c, 0) for c in self.header_commands)
        offset = len(data)
        for index in range(start, stop):
            row = offset + index - start
            if first is not None and index == start:  # measured where it is laid out
                data.append(first)
                rows.append(None)
            else:
                data.append(cells[header + index])
                rows.append(heights[header + index])
            commands.extend(moved(c, row) for c in self.row_commands[index])
            if index in self.kept and index + 1 < stop:
                commands.append(("NOSPLIT", (0, row), (-1, row + 1)))
        return RLTable(data, colWidths=self.widths, rowHeights=rows, repeatRows=offset,
                       hAlign="LEFT", style=TableStyle(commands),
                       splitInRow=self.split_in_row, renderCB=self.render)


class _Unmeasured(list[float | None]):
    """The row heights reportlab's height pass fills in, first row to last, each
    found at once.

    The pass looks for the next row to measure with ``while None in H: i =
    H.index(None)``, from the first row every time: over a long table that scan, not
    the measuring, took most of its time (its square of the rows). Here both answer
    from the first row not yet measured (rows are only ever measured, never
    unmeasured). Its long-table check (``longTableOptimize``: the sum of the rows so
    far, after every row, to stop at a page) is off: this table has unlimited room, so
    the check never stops it, and the heights are the same."""

    def __init__(self, rows: Iterable[float | None] | int) -> None:
        super().__init__([None] * rows if isinstance(rows, int) else rows)
        self._first = 0  # no row before it is None

    def _unmeasured(self) -> int:
        first, length = self._first, len(self)
        while first < length and list.__getitem__(self, first) is not None:
            first += 1
        self._first = first
        return first

    def __contains__(self, value: object) -> bool:
        if value is None:
            return self._unmeasured() < len(self)
        return super().__contains__(value)

    def index(self, value: Any, *args: Any) -> int:
        if value is None and not args:
            first = self._unmeasured()
            if first < len(self):
                return first
        return super().index(value, *args)

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, slice):  # the pass fills in a copy (``H = H[:]``)
            return _Unmeasured(super().__getitem__(key))
        return super().__getitem__(key)


def moved(command: Command, row: int) -> Command:
    """A row's command (written for row 0) moved to ``row``."""
    name, (c0, r0), (c1, r1), *rest = command
    return (name, (c0, r0 + row), (c1, r1 + row), *rest)


class LongTable(Flowable):  # type: ignore[misc]
    """The rows of ``spec`` from ``start`` on, a chunk at a time (see the module).

    The header row opens the table and every page it continues on; a part that carries
    on below another on the same page (after a split) goes on without one."""

    def __init__(self, spec: TableRows, start: int = 0, first: list[Any] | None = None,
                 space_before: float = 0.0, space_after: float = 0.0,
                 opening: bool = True) -> None:
        super().__init__()
        self.spec, self.start, self.first, self.opening = spec, start, first, opening
        self.spaceBefore, self.spaceAfter = space_before, space_after
        self.hAlign = "LEFT"
        self._stop = spec.stop(start)
        self._more = self._stop < len(spec.rows)
        self._tables: dict[bool, RLTable] = {}
        self._drawn: RLTable | None = None

    def _table(self, avail_height: float) -> tuple[RLTable, int]:
        """The chunk's table here, and how many header rows it has."""
        headed = self.spec.header is not None and (
            self.opening or avail_height >= self.spec.page - 1)  # the top of a page
        table = self._tables.get(headed)
        if table is None:
            table = self._tables[headed] = self.spec.table(self.start, self.first, headed)
        return table, int(headed)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        table, _ = self._table(avail_height)
        width, height = table.wrap(avail_width, avail_height)
        if self._more:  # never "fits": the rows after this chunk come after a split
            height = max(height, avail_height + 1)
        self._drawn, self.width, self.height = table, width, height
        return width, height

    def draw(self) -> None:
        assert self._drawn is not None
        self._drawn.drawOn(self.canv, 0, 0)

    def split(self, avail_width: float, avail_height: float) -> list[Any]:
        table, header = self._table(avail_height)
        table.wrap(avail_width, avail_height)
        parts = table.split(avail_width, avail_height)
        if not parts:
            return []
        spec, after = self.spec, self.spaceAfter
        if len(parts) == 1:  # the whole chunk fits (rows drawn shorter than measured)
            return [parts[0], LongTable(spec, self._stop, None, 0.0, after, opening=False)]
        head, rest = parts[0], parts[1]
        taken = len(head._cellvalues) - header
        left = len(rest._cellvalues) - header
        head.spaceBefore, head.spaceAfter = self.spaceBefore, 0.0
        if taken + left == self._stop - self.start:  # split between two rows
            return [head, LongTable(spec, self.start + taken, None, 0.0, after,
                                    opening=False)]
        # A row split in two: the rest carries on with that row's second part.
        return [head, LongTable(spec, self.start + taken - 1, rest._cellvalues[header], 0.0,
                                after, opening=False)]


__all__ = ["LongTable", "TableRows", "moved"]
