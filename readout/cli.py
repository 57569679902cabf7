"""The ``readout`` command: arguments in, one API call, an exit code out.

Exit codes: 0 success; 1 the input has errors (or warnings, with ``--strict``) or a
document could not be made; 2 the command line itself is wrong. No traceback ever
reaches a user: an unexpected failure prints one line asking for a bug report.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Sequence
from functools import wraps
from importlib import resources
from typing import Any, TypeVar

import click

from . import __version__
from .api import check
from .errors import Problem, ReadoutError

F = TypeVar("F", bound=Callable[..., Any])


def _guarded(command: F) -> F:
    """Turn any stray exception into one readable line and exit code 1."""

    @wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ReadoutError as exc:
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            sys.exit(1)
        except (click.exceptions.Exit, click.ClickException, SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:
            if os.environ.get("READOUT_DEBUG"):
                raise
            click.echo(f"readout: internal error: {type(exc).__name__}: {exc}. This is a bug; "
                       "please report it with the input that caused it "
                       "(set READOUT_DEBUG=1 for details).", err=True)
            sys.exit(1)

    return run  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="readout")
def main() -> None:
    """Turn meeting readouts written as YAML into press releases and internal briefs."""


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="How to report problems.")
@_guarded
def validate(files: Sequence[str], strict: bool, output: str) -> None:
    """Check readout files and list every problem, located as FILE:LINE:COL."""
    problems: list[Problem] = []
    for path in files:
        try:
            problems.extend(_check_one(path))
        except ReadoutError as exc:
            problems.extend(exc.problems)
    failed = any(p.severity == "error" or strict for p in problems)
    if output == "json":
        click.echo(json.dumps({"valid": not failed, "problems": [p.as_dict() for p in problems]},
                              indent=2, ensure_ascii=False))
    else:
        for problem in problems:
            click.echo(str(problem))
        errors = sum(p.severity == "error" for p in problems)
        warnings = len(problems) - errors
        summary = f"{len(files)} file(s) checked: {errors} error(s), {warnings} warning(s)."
        click.echo(summary, err=True)
    sys.exit(1 if failed else 0)


@main.command()
@click.option("--series", is_flag=True, help="The schema of series files instead.")
@_guarded
def schema(series: bool) -> None:
    """Print the JSON Schema of the readout format (for editors and CI)."""
    name = "readout-series-1.schema.json" if series else "readout-1.schema.json"
    click.echo(resources.files("readout.schemas").joinpath(name).read_text("utf-8"), nl=False)


@main.command()
@_guarded
def new() -> None:
    """Print a commented starting readout: readout new > meeting.yaml"""
    click.echo(resources.files("readout").joinpath("starter.yaml").read_text("utf-8"), nl=False)


def _check_one(path: str) -> list[Problem]:
    return check(path)[1]


if __name__ == "__main__":  # pragma: no cover
    main()
