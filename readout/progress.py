"""Progress of a batch: a rich progress bar on a terminal, plain lines otherwise."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from .batch import Progress


@contextmanager
def batch_progress(*, quiet: bool = False) -> Iterator[Progress]:
    """A ``progress(member_file, done, total)`` callback suited to standard error.

    The bar starts with the first report, not before: its refresh thread must not be
    running when the batch forks its workers (see `pool`). ``quiet`` reports nothing."""
    if quiet:
        yield lambda file, done, total: None
        return
    if not sys.stderr.isatty():
        def plain(file: str, done: int, total: int) -> None:
            click.echo(f"[{done}/{total}] {file}", err=True)

        yield plain
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as Bar

    bar = Bar(TextColumn("rendering"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
              TextColumn("{task.description}"), console=Console(stderr=True),
              transient=False)
    task = bar.add_task("", total=None)

    def fancy(file: str, done: int, total: int) -> None:
        bar.update(task, completed=done, total=total, description=file)
        if not bar.live.is_started:
            bar.start()

    try:
        yield fancy
    finally:
        if bar.live.is_started:
            bar.stop()
