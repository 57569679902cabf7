"""A long table measured once: each row's height and laid-out cells come from one pass
of reportlab's own height code (`TableRows.measured`), and every chunk, split and page
uses them. Checked against reportlab measuring every chunk itself (the layout before):
the same bytes, with each cell wrapped a few times instead of at every split."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from readout import tree as t
from readout.api import validated
from readout.digest import build_digest, meeting_summary
from readout.rendering import render_tree
from readout.series import load_series
from readout.themes import Theme, load_theme
from readout.writers.pdf import longtable, write
from readout.writers.pdf.longtable import TableRows
from readout.writers.pdf.measure import MemoParagraph

from .conftest import SERIES


@pytest.fixture(scope="module")
def theme() -> Theme:
    return load_theme()


def unmeasured(self: TableRows) -> tuple[list[list[Any]], list[float | None]]:
    """What a chunk was given before: the rows as they are, and no height (reportlab
    measures each chunk's rows itself, at every wrap and split)."""
    rows = ([self.header] if self.header is not None else []) + self.rows
    return rows, [None] * len(rows)


def long_table(rows: int, tall: int | None = None) -> t.Document:
    """A participants table of ``rows`` rows, every 50th a kept group row; row ``tall``
    longer than a page (it splits inside itself)."""
    def row(n: int) -> t.Row:
        words = (" ".join(f"w{k:03d}" for k in range(900)) if n == tall
                 else "Delegate " * (1 + n % 7))
        return t.Row((t.Cell((t.Text(f"Person{n:04d}"),)), t.Cell((t.Text(words),))),
                     style="table-group" if n % 50 == 0 else None)

    header = t.Row((t.Cell((t.Text("Name"),)), t.Cell((t.Text("Title"),))))
    return t.Document(metadata=t.Metadata(title="Long table"), body=(
        t.Heading(1, (t.Text("Participants"),)),
        t.Table(widths=(0.4, 0.6), header=header, rows=tuple(row(n) for n in range(rows)))))


def wraps_while(render: Any) -> tuple[bytes, int]:
    """The bytes ``render()`` makes, and how many times it wrapped a paragraph."""
    calls = 0
    real = MemoParagraph.wrap

    def counting(self: Any, width: float, height: float) -> tuple[float, float]:
        nonlocal calls
        calls += 1
        return real(self, width, height)  # type: ignore[no-any-return]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(MemoParagraph, "wrap", counting)
        data = render()
    return data, calls


@pytest.mark.parametrize("tall", [None, 200], ids=["rows", "a-row-taller-than-a-page"])
def test_a_long_table_measured_once_lays_out_as_reportlab_measuring_every_chunk(
        theme: Theme, tall: int | None) -> None:
    rows = 1200
    document = long_table(rows, tall)
    measured, calls = wraps_while(lambda: write(document, theme))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(TableRows, "measured", unmeasured)
        before, calls_before = wraps_while(lambda: write(document, theme))
    assert measured == before
    cells = 2 * (rows + 1)
    # each cell: measured for the chunking, once by the whole table, drawn (a split row:
    # a few more); reportlab measuring each chunk wrapped each cell about 9 times
    assert calls < 3.3 * cells < calls_before / 2


def test_a_chunk_is_given_every_row_height_but_the_rest_of_a_split_row(theme: Theme) -> None:
    import reportlab.platypus.tables as tables

    given: list[list[float | None]] = []
    real = tables.Table.__init__

    def noting(self: Any, data: Any, *args: Any, **kwargs: Any) -> None:
        given.append(list(kwargs.get("rowHeights") or [None] * len(data)))
        real(self, data, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tables.Table, "__init__", noting)
        write(long_table(400, tall=200), theme)
    unmeasured_rows = sum(height is None for heights in given for height in heights)
    # the whole table (measured once), and the rest of the tall row where it carries on
    assert unmeasured_rows <= 402 + 3


def test_the_whole_table_measured_without_rescanning_is_reportlabs_own_pass(
        theme: Theme) -> None:
    document = long_table(600, tall=200)
    found = write(document, theme)
    with pytest.MonkeyPatch.context() as patch:  # reportlab's pass over a plain list
        patch.setattr(longtable, "_Unmeasured", lambda rows: [None] * rows)
        stock = write(document, theme)
    assert found == stock


def test_unmeasured_heights_answer_as_a_list_while_filled_in_order() -> None:
    heights = longtable._Unmeasured(4)[:]  # the pass fills in a copy
    assert isinstance(heights, longtable._Unmeasured)
    seen = []
    while None in heights:
        i = heights.index(None)
        seen.append(i)
        heights[i] = 10.0 + i
    assert seen == [0, 1, 2, 3]
    assert heights == [10.0, 11.0, 12.0, 13.0] and None not in heights
    assert 12.0 in heights and heights.index(12.0) == 2 and sum(heights[:2]) == 21.0
    with pytest.raises(ValueError):
        heights.index(None)


def generated_summaries(count: int) -> list[dict[str, Any]]:
    """``count`` meetings made from the sample series' members, each on its own day."""
    samples = [meeting_summary(validated(member.source)[0])
               for member in load_series(SERIES).members]
    first = date(2022, 1, 3)
    found = []
    for n in range(count):
        summary = dict(samples[n % len(samples)])
        held = first + timedelta(days=n)
        summary.update(id=f"meeting-{n:04d}", date=held.isoformat(), end_date=None,
                       previous=None)
        summary["actions"] = [dict(action, due=(held + timedelta(days=30 + 7 * k)).isoformat())
                              for k, action in enumerate(summary["actions"])]
        found.append(summary)
    return found


@pytest.mark.slow
def test_a_thousand_meeting_digest_is_the_same_pdf_as_measured_by_every_chunk() -> None:
    document = build_digest("Generated series", generated_summaries(1000), theme=load_theme())
    measured, calls = wraps_while(lambda: render_tree(document, "pdf"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(TableRows, "measured", unmeasured)
        before, calls_before = wraps_while(lambda: render_tree(document, "pdf"))
    assert measured == before
    assert len(measured) > 1_000_000  # hundreds of pages of tables
    assert calls < calls_before / 2

