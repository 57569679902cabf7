"""The ``readout`` command: arguments in, one API call, an exit code out.

Exit codes: 0 success; 1 the input has errors (or warnings, with ``--strict``) or a
document could not be made; 2 the command line itself is wrong (a missing file, an
unknown template included); 130 interrupted (Ctrl-C). No traceback ever reaches a user:
an unexpected failure prints one line asking for a bug report.

Shell completion (template names included): ``eval "$(_READOUT_COMPLETE=bash_source
readout)"`` in ``~/.bashrc`` (``zsh_source``, ``fish_source`` for the other shells).
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from datetime import date
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from .classification import SCHEMES
from .errors import NothingPublicError, OutputError, Problem, ReadoutError
from .names import FORMATS, PDF_STANDARDS
from .package_data import package_folder
from .version import VERSION

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
        except KeyboardInterrupt:  # Ctrl-C: what was written is whole; say nothing more
            sys.exit(130)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except Exception as exc:
            if os.environ.get("READOUT_DEBUG"):
                raise
            click.echo(f"readout: internal error: {type(exc).__name__}: {exc}. This is a bug; "
                       "please report it with the input that caused it "
                       "(set READOUT_DEBUG=1 for details).", err=True)
            sys.exit(1)

    return run  # type: ignore[return-value]


def _look_options(command: F) -> F:
    """``--theme``, ``--template-dir`` and ``--pdf-standard``, shared by the commands
    that render."""
    command = click.option(
        "--pdf-standard", "pdf_standard", type=click.Choice(PDF_STANDARDS), default=None,
        help="What every PDF conforms to: ua-1 (tagged, accessible; always) or a-2b "
             "(PDF/A-2b as well, for archives); default: the theme's, else ua-1.")(command)
    command = click.option(
        "--template-dir", "template_dirs", multiple=True,
        type=click.Path(exists=True, file_okay=False),
        help="A folder of your own templates, searched before the built-in ones.")(command)
    return click.option(
        "--theme", type=click.Path(exists=True, dir_okay=False), default=None,
        help="A theme file (YAML) instead of the default theme.")(command)


def _scheme_name_or_file(ctx: click.Context, param: click.Parameter,
                         value: str | None) -> str | None:
    if value is None or value in SCHEMES or Path(value).is_file():
        return value
    raise click.BadParameter(f"{value!r} is neither a built-in scheme ({', '.join(SCHEMES)}) "
                             "nor a scheme file.")


def _scheme_option(command: F) -> F:
    """``--scheme NAME|FILE``: the classification scheme, winning over the readout's."""
    return click.option(
        "--scheme", default=None, metavar="NAME|FILE", callback=_scheme_name_or_file,
        help=f"The classification scheme ({', '.join(SCHEMES)}, or a scheme file); "
             "wins over the readout's classification_scheme.")(command)


def _existing(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """A file argument must exist ('-' is standard input): a usage error otherwise."""
    for path in [value] if isinstance(value, str) else value:
        if path != "-" and not Path(path).exists():
            raise click.UsageError(f"{path}: The file does not exist.", ctx)
    return value


def _quiet_option(command: F) -> F:
    return click.option("-q", "--quiet", is_flag=True,
                        help="Print only problems: no progress, no summary.")(command)


def _complete_templates(ctx: click.Context, param: click.Parameter,
                        incomplete: str) -> list[Any]:
    from click.shell_completion import CompletionItem

    from .templating import readout_templates

    folders = ctx.params.get("template_dirs") or ()
    return [CompletionItem(name) for name in readout_templates(folders)
            if name.startswith(incomplete)]


def _known_templates(where: str, templates: Sequence[str],
                     template_dirs: Sequence[str]) -> None:
    """Every ``-t`` names a readout template, or one line saying which does not (exit 2)."""
    from .templating import unknown_template

    for name in templates:
        message = unknown_template(name, template_dirs)
        if message is not None:
            click.echo(f"{where}: {message}", err=True)
            sys.exit(2)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(VERSION, prog_name="readout")
def main() -> None:
    """Turn meeting readouts written as YAML into press releases and internal briefs."""


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(allow_dash=True),
                callback=_existing)
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="How to report problems.")
@click.option("-t", "--template", "templates", multiple=True, metavar="TEMPLATE",
              help="Also check what this template asks of the text (repeatable), e.g. "
                   "govuk-press-release's title and summary lengths.")
@click.option("--template-dir", "template_dirs", multiple=True,
              type=click.Path(exists=True, file_okay=False),
              help="A folder of your own templates, which a series file or -t may name.")
@_scheme_option
@_quiet_option
@_guarded
def validate(files: Sequence[str], strict: bool, output: str, templates: Sequence[str],
             template_dirs: Sequence[str], scheme: str | None, quiet: bool) -> None:
    """Check readout, series and theme files; list every problem, located as FILE:LINE:COL.

    A readout that cannot make a public document (its face or every key point above
    the public level) is warned of: with --strict it fails, as render would.
    """
    from .scheme_schema import scheme_from
    from .series import check_any

    problems: list[Problem] = []
    try:
        chosen = scheme_from(scheme)
    except ReadoutError as exc:
        problems.extend(exc.problems)
        files = ()
    for path in files:
        try:
            problems.extend(check_any(path, scheme=chosen, templates=templates,
                                      template_dirs=template_dirs))
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
        if not quiet:
            click.echo(summary, err=True)
    sys.exit(1 if failed else 0)


@main.command()
@click.option("--series", is_flag=True, help="The schema of series files instead.")
@click.option("--theme", is_flag=True, help="The schema of theme files instead.")
@_guarded
def schema(series: bool, theme: bool) -> None:
    """Print the JSON Schema of the readout format (for editors and CI)."""
    if series and theme:
        raise click.UsageError("Give --series or --theme, not both.")
    name = ("readout-series-1.schema.json" if series else
            "readout-theme-1.schema.json" if theme else "readout-1.schema.json")
    click.echo((package_folder("readout.schemas") / name).read_text("utf-8"), nl=False)


@main.command()
@_guarded
def new() -> None:
    """Print a commented starting readout: readout new > meeting.yaml"""
    click.echo((package_folder("readout") / "starter.yaml").read_text("utf-8"), nl=False)


@main.command()
@click.argument("file", type=click.Path(allow_dash=True), callback=_existing)
@click.option("-t", "--template", "templates", multiple=True, metavar="TEMPLATE",
              shell_complete=_complete_templates,
              help="A template to render (repeatable); default: press-release and "
                   "internal-brief.")
@click.option("-f", "--format", "formats", multiple=True, type=click.Choice(FORMATS),
              help=f"A format to write (repeatable); default: all ({', '.join(FORMATS)}).")
@click.option("-o", "--output", type=click.Path(), default=".", show_default=True,
              help="A folder for <id>.<template>.<ext> files, one file name ending in "
                   f"{', '.join('.' + f for f in FORMATS)}, or - for standard output (one "
                   "document).")
@click.option("--images", type=click.Choice(["embed", "beside"]), default="embed",
              show_default=True,
              help="HTML: embed images in the page, or write them beside it in images/.")
@click.option("--dump-xml", is_flag=True,
              help="Print the markup each template renders (before it is read) instead of "
                   "writing documents: for template authors.")
@_look_options
@_scheme_option
@_quiet_option
@_guarded
def render(file: str, templates: Sequence[str], formats: Sequence[str], output: str,
           images: str, dump_xml: bool, theme: str | None, template_dirs: Sequence[str],
           scheme: str | None, pdf_standard: str | None, quiet: bool) -> None:
    """Render a readout as documents; '-' reads the readout from standard input.

    A public document the readout cannot make is refused (and an older one of that
    name removed); every other document is still written.
    """
    from .api import check
    from .rendering import TEMPLATES, output_name, render_to
    from .themes import load_theme

    _known_templates(file, templates, template_dirs)
    jobs = _render_jobs(output, templates, formats)
    doc, warnings = check(file, scheme=scheme, templates=templates or TEMPLATES,
                          template_dirs=template_dirs)
    # once, before any document: a broken theme fails alone
    look = load_theme(theme).with_pdf_standard(pdf_standard)
    refusals = [message for _, message in doc.public_refusals()]
    for problem in warnings:  # a public document refused says so itself, as an error
        if not any(problem.message.startswith(message) for message in refusals):
            click.echo(str(problem), err=True)
    if dump_xml:
        from .templating import render_xml

        for index, name in enumerate(templates or TEMPLATES):
            if index:
                click.echo()
            click.echo(f"<!-- {name} -->")
            click.echo(render_xml(doc, name, template_dirs=template_dirs, theme=look))
        return
    if output == "-":
        from . import rendering

        data = rendering.render(doc, templates[0] if templates else "press-release",
                                formats[0], theme=look, template_dirs=template_dirs)
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    if jobs is None:
        jobs = [(Path(output) / output_name(doc, t, f), t, f)
                for t in templates or TEMPLATES for f in formats or FORMATS]
    failed, shown = False, set()
    for path, template, fmt in jobs:
        try:
            render_to(doc, path, template, fmt, theme=look, template_dirs=template_dirs,
                      embed_images=images == "embed")
        except OutputError:
            raise  # the folder cannot take a file: said once, for every document
        except ReadoutError as exc:
            failed = True
            for problem in exc.problems:
                if problem not in shown:
                    click.echo(str(problem), err=True)
                shown.add(problem)
            if isinstance(exc, NothingPublicError):
                _remove_refused(path)
            continue
        if not quiet:
            click.echo(f"wrote {path}")
    if failed:
        sys.exit(1)


Job = tuple[Path, str | None, str]


def _render_jobs(output: str, templates: Sequence[str], formats: Sequence[str]
                 ) -> list[Job] | None:
    """What ``-o`` asks for: one file's job, or ``None`` for a folder (whose file names
    need the readout's id) or standard output (``-``). Anything else is a usage error."""
    if output == "-":
        if len(formats) != 1 or len(templates) > 1:
            raise click.UsageError("Standard output (-o -) takes one document: give -f once "
                                   f"({', '.join(FORMATS)}), and -t once at most.")
        return None
    target = Path(output)
    if target.suffix.lower().lstrip(".") in FORMATS:
        # One file: its suffix is the format; the template is -t, else the name's middle
        # part (x.internal-brief.pdf), else the press release (as `render_to` decides).
        fmt = target.suffix.lower().lstrip(".")
        if len(templates) > 1 or len(formats) > 1 or (formats and formats[0] != fmt):
            raise click.UsageError("An output file name takes one template and the format "
                                   "of its suffix; give -t once, or an output folder.")
        return [(target, templates[0] if templates else None, fmt)]
    suffixes = " or ".join(", ".join(f".{f}" for f in FORMATS).rsplit(", ", 1))
    if target.exists() and not target.is_dir():
        raise click.UsageError(f"{output!r} is a file, not a folder: give a folder, or a "
                               f"file name ending in {suffixes}.")
    if not target.exists() and target.suffix:
        raise click.UsageError(f"{output!r} is not a folder, nor a file name ending in "
                               f"{suffixes}; create the folder first, or name a file of one "
                               "of those kinds.")
    return None


def _remove_refused(path: Path) -> None:
    """Remove an older public document at ``path`` that the current input refuses to
    make: left there, it would still publish what the input no longer clears."""
    if path.is_file():
        path.unlink()
        click.echo(f"removed {path}: the current input cannot make this public document.",
                   err=True)


class _IsoDate(click.ParamType[date, Any]):
    """A calendar date written YYYY-MM-DD; anything else is a usage error that says so."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        text = str(value)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            try:
                return date.fromisoformat(text)
            except ValueError:
                self.fail(f"{text!r} is not a date that exists; check the month and the "
                          "day.", param, ctx)
        self.fail(f"{text!r} is not a date; write it as YYYY-MM-DD, for example "
                  "2025-12-31.", param, ctx)


_ISO_DATE = _IsoDate()


@main.command()
@click.argument("series", type=click.Path(), callback=_existing)
@click.option("-o", "--output", type=click.Path(file_okay=False), default="out",
              show_default=True, help="The folder for the documents and manifest.json.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="At most this many worker processes; default: one a CPU, when the "
                   "series is large enough to gain from them.")
@click.option("-t", "--template", "templates", multiple=True, metavar="TEMPLATE",
              shell_complete=_complete_templates,
              help="Only these templates (repeatable); default: the series' own.")
@click.option("-f", "--format", "formats", multiple=True, type=click.Choice(FORMATS),
              help="Only these formats (repeatable); default: the series' own, else all.")
@click.option("--as-at", "as_at", type=_ISO_DATE, default=None, metavar="YYYY-MM-DD",
              help="The date the digest is as at: overdue and due-soon actions are judged "
                   "against it; default: the series' digest.as_at, else its latest meeting.")
@click.option("--all-actions", is_flag=True, default=None,
              help="List done and dropped actions in the digest too, not only count them.")
@_look_options
@_scheme_option
@_quiet_option
@_guarded
def batch(series: str, output: str, jobs: int | None, templates: Sequence[str],
          formats: Sequence[str], as_at: date | None, all_actions: bool | None,
          theme: str | None, template_dirs: Sequence[str], scheme: str | None,
          pdf_standard: str | None, quiet: bool) -> None:
    """Render a whole series (a series file, or a folder of readouts) with a digest."""
    from .batch import render_series
    from .progress import batch_progress
    from .series import is_readout_file, not_a_series
    from .startup import collect_garbage

    collect_garbage()  # a series may hold thousands of documents' objects

    if is_readout_file(series):  # a usage error: the wrong command for this file
        click.echo(f"{series}: {not_a_series(series)}", err=True)
        sys.exit(2)

    _known_templates(series, templates, template_dirs)
    with batch_progress(quiet=quiet) as progress:
        report = render_series(series, output, jobs=jobs, templates=templates,
                               formats=formats, template_dirs=template_dirs, theme=theme,
                               progress=progress, scheme=scheme, as_at=as_at,
                               all_actions=all_actions, pdf_standard=pdf_standard)
    for problem in report.warnings:
        click.echo(str(problem), err=True)
    for file, problems in report.failed.items():
        click.echo(f"failed: {file}", err=True)
        for problem in problems:
            click.echo(f"  {problem}", err=True)
    for name in report.removed:
        click.echo(f"removed {Path(output) / name}: its readout can no longer make this "
                   "public document.", err=True)
    if not quiet:
        click.echo(report.summary() + (" (nothing changed)" if not report.rendered else ""),
                   err=True)
    sys.exit(0 if report.ok else 1)


@main.command(name="templates")
@click.option("--template-dir", "template_dirs", multiple=True,
              type=click.Path(exists=True, file_okay=False),
              help="A folder of your own templates, listed before the built-in ones.")
@_guarded
def list_templates(template_dirs: Sequence[str]) -> None:
    """List the templates: yours first, then the built-in ones."""
    from .templating import available_templates, describe_template

    folders = [Path(d) for d in template_dirs]
    for name in available_templates(folders):
        spec = describe_template(name, folders)
        click.echo(f"{name:<18} {spec.audience:<9} {spec.renders:<8} {spec.description}")


@main.group()
def template() -> None:
    """Make templates of your own."""


@template.command(name="new")
@click.argument("name")
@click.option("--from", "source", default="press-release", show_default=True,
              metavar="TEMPLATE", help="The template to start from.")
@click.option("-o", "--output", type=click.Path(file_okay=False), default=".",
              show_default=True, help="The folder of your templates; NAME/ is made in it.")
@click.option("--template-dir", "template_dirs", multiple=True,
              type=click.Path(exists=True, file_okay=False),
              help="A folder of your own templates to start from too.")
@_guarded
def new_template(name: str, source: str, output: str, template_dirs: Sequence[str]) -> None:
    """Copy a template into OUTPUT/NAME/ to edit: readout template new my-release"""
    from .templating import copy_template

    try:
        files = copy_template(source, name, Path(output), template_dirs=template_dirs)
    except FileExistsError as exc:
        raise click.UsageError(f"{exc.filename} exists already; choose another name, or "
                               "remove it first.") from None
    for path in files:
        click.echo(f"wrote {path}")
    click.echo(f"Render with it: readout render FILE --template-dir {output} -t {name} "
               f"(or add {Path(output).resolve()} to READOUT_TEMPLATES).", err=True)


def run() -> None:
    """The ``readout`` program (its console script and ``python -m readout``): `main` as
    a process of its own, with start-up's costs cut (see `startup.run_command`)."""
    from .startup import run_command

    run_command(main)


if __name__ == "__main__":  # pragma: no cover
    run()
