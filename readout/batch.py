"""Render a whole series: every member x template x format, a digest, a manifest.

`render_series` renders in worker processes (see `pool`; or on any
`concurrent.futures.Executor`, such as a Dask cluster's), writes a digest of the
series, and keeps ``manifest.json`` (see `manifest`). A re-run renders only outputs
whose inputs changed or whose file is missing or altered. One bad member never stops
the others, and one document a member cannot make never stops its other documents. A
public document that a member's current input refuses to make (re-marked SECRET, say)
is removed from OUT and from the manifest, never left as it was last cleared.

Crash safety: the batch holds the output folder's lock (`output`) for the whole run.
Workers write each document under a temporary name and only the batch, holding the
lock, renames it into place, so a run that is no longer the current one (killed, its
workers dying with it) cannot replace a document. Before anything is replaced, the
manifest is saved without the entries about to change; it is saved again every second
while members complete. So a run killed at any moment leaves only complete documents,
and every document the manifest names is the one on disk (a document renamed after the
last save is simply rendered again); the next run finishes the rest.

Output layout (``OUT``)::

    OUT/manifest.json
    OUT/<readout id>.<template>.<ext>           for every member, template and format
    OUT/<series id>.series-digest.<ext>         the digest of the series, in each format
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import Executor, Future, as_completed
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from .api import Scheme
from .classification import ClassificationScheme
from .errors import NothingPublicError, Problem, ReadoutError, RenderError
from .manifest import MANIFEST, Manifest
from .output import holding, unwritable
from .pool import start_method, start_pool, worker_count
from .rendering import is_temporary, write_atomic, write_temporary
from .series import Member, Series, load_series, validate_member
from .themes import load_theme
from .version import VERSION

DIGEST_TEMPLATE = "series-digest"
MANIFEST_INTERVAL = 1.0  # seconds between manifest saves while workers run


@dataclass
class SeriesReport:
    """What a batch did: counts, failures with their problems, and the time taken."""

    rendered: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # public documents no longer cleared
    failed: dict[str, list[Problem]] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    worker_peak_kib: int = 0

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        removed = f", {len(self.removed)} removed" if self.removed else ""
        return (f"{len(self.rendered)} rendered, {len(self.unchanged)} unchanged{removed}, "
                f"{len(self.failed)} failed in {self.seconds:.1f} s")


@dataclass(frozen=True)
class _Job:
    member: Member
    chosen: ClassificationScheme | None  # the caller's scheme, if any
    scheme: ClassificationScheme         # the series' scheme
    out_dir: str
    outputs: tuple[tuple[str, str, str], ...]
    template_dirs: tuple[str, ...]
    theme: str | None
    pdf_standard: str | None = None


@dataclass
class _Result:
    file: str
    written: dict[str, tuple[str, str]] = field(default_factory=dict)  # temporary, sha256
    refused: list[str] = field(default_factory=list)  # public documents the input refuses
    problems: list[Problem] = field(default_factory=list)
    summary: dict[str, Any] | None = None
    peak_kib: int = 0
    unwritable: OSError | None = None  # the output folder refused a file: stop the run


def _run_job(job: _Job) -> _Result:
    """In a worker: validate one member and write the outputs it needs.

    Whatever goes wrong with this member is this member's failure, located in its
    file; only an output folder that cannot take a file concerns the whole run."""
    result = _Result(file=job.member.source.name)
    try:
        doc, problems = validate_member(job.member, job.chosen, job.scheme)
        if doc is None:
            result.problems = problems
        else:
            from .digest import meeting_summary

            result.summary = meeting_summary(doc)
            _write_outputs(job, doc, result)
    except Exception as exc:  # a bug of ours, met in this member only
        result.problems = [_bug(job, "readout cannot be checked", exc)]
    finally:
        result.peak_kib = _peak_memory_kib()
    return result


def _write_outputs(job: _Job, doc: Any, result: _Result) -> None:
    from .rendering import render

    for file_name, template, fmt in job.outputs:
        try:
            data = render(doc, template, fmt, theme=job.theme,
                          template_dirs=job.template_dirs, pdf_standard=job.pdf_standard)
        except ReadoutError as exc:  # this document only: the member's others go on
            result.problems.extend(found for found in (
                replace(p, file=p.file or job.member.source.name) for p in exc.problems)
                if found not in result.problems)
            if isinstance(exc, NothingPublicError):
                result.refused.append(file_name)
            continue
        except Exception as exc:  # a bug of ours, met in this document only
            result.problems.append(_bug(job, f"{template} {fmt.upper()} cannot be made", exc))
            continue
        try:
            temporary = write_temporary(Path(job.out_dir) / file_name, data, durable=False)
        except OSError as exc:
            result.unwritable = exc
            return
        result.written[file_name] = (str(temporary), hashlib.sha256(data).hexdigest())


def _bug(job: _Job, what: str, exc: Exception) -> Problem:
    return Problem(job.member.source.name, 0, 0, "",
                   f"The {what} ({type(exc).__name__}: {exc}). This is a bug in readout; "
                   "please report it with this readout file.")


def _peak_memory_kib() -> int:
    """This process's peak resident memory, where the platform tells it."""
    try:
        import resource
    except ImportError:  # pragma: no cover - not on POSIX
        return 0
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


Progress = Callable[[str, int, int], None]


def render_series(path: str | Path, out_dir: str | Path, *, executor: Executor | None = None,
                  progress: Progress | None = None, jobs: int | None = None,
                  templates: Sequence[str] = (), formats: Sequence[str] = (),
                  template_dirs: Sequence[str | Path] = (),
                  theme: str | Path | None = None, scheme: Scheme = None,
                  pdf_standard: str | None = None,
                  as_at: date | str | None = None,
                  all_actions: bool | None = None) -> SeriesReport:
    """Render a whole series into ``out_dir``; see the module docstring for the layout.

    ``executor`` may be any `concurrent.futures.Executor` (a Dask cluster's, a Ray pool);
    by default a process pool of at most ``jobs`` workers, never more than the members
    to render (1 renders in this process; ``None``: one a CPU, when the series is large
    enough to gain from them, see `pool.worker_count`). ``progress`` is called as
    ``progress(member_file, done, total)`` after each member. ``scheme`` (a built-in
    name, a scheme file) is every member's classification scheme, winning over the
    series' and the members' own. ``as_at`` (a date, or ``YYYY-MM-DD``) is the date the
    digest judges overdue and due-soon actions against, instead of the series file's
    ``digest.as_at`` or its latest meeting; ``all_actions`` lists done and dropped
    actions in the digest. Raises `OutputError` when another batch is writing into
    ``out_dir``. ``pdf_standard`` ("a-2b") makes every PDF PDF/A-2b as well
    (``None``: the theme's).
    """
    started = time.perf_counter()
    if pdf_standard is not None:
        load_theme(theme).with_pdf_standard(pdf_standard)  # an unknown one fails first
    out = Path(out_dir)
    options = DigestOptions(_as_date(as_at), all_actions)
    with holding(out):
        try:
            report = _render_series(Path(path), out, executor, jobs, progress, templates,
                                    formats, template_dirs, theme, scheme, pdf_standard,
                                    options)
        finally:
            _remove_temporaries(out)
    report.seconds = time.perf_counter() - started
    return report


@dataclass(frozen=True)
class DigestOptions:
    """What the caller says of the digest; ``None`` leaves it to the series file."""

    as_at: date | None = None
    all_actions: bool | None = None


def _as_date(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise RenderError.single("", f"The as-at date {value!r} is not a date; write it as "
                                     "YYYY-MM-DD, for example 2025-12-31.") from None


def _remove_temporaries(out: Path) -> None:
    """Delete what a killed or failed run left half-written (only names we make)."""
    with contextlib.suppress(OSError):  # a folder we cannot write has none of ours
        for entry in out.iterdir():
            if is_temporary(entry.name):
                entry.unlink(missing_ok=True)


@contextlib.contextmanager
def _writing(out: Path) -> Iterator[None]:
    """A file ``out`` cannot take stops the whole run, said once (`unwritable`)."""
    try:
        yield
    except OSError as exc:
        raise unwritable(out, exc) from None


def _render_series(path: Path, out: Path, executor: Executor | None, jobs: int | None,
                   progress: Progress | None, templates: Sequence[str],
                   formats: Sequence[str], template_dirs: Sequence[str | Path],
                   theme: str | Path | None, scheme: Scheme,
                   pdf_standard: str | None, options: DigestOptions) -> SeriesReport:
    series = load_series(path, templates=templates, formats=formats, scheme=scheme,
                         template_dirs=template_dirs)
    _remove_temporaries(out)
    manifest = Manifest.read(out / MANIFEST)
    report = SeriesReport()
    if manifest.ignored:
        report.warnings.append(Problem(
            str(out / MANIFEST), 0, 0, "", f"The manifest is damaged ({manifest.ignored}), "
            "so it is ignored and every document is rendered again.", "warning"))
    for file, problems in series.failures:
        report.failed[file] = list(problems)
    fingerprint = _templates_fingerprint((*series.templates, DIGEST_TEMPLATE),
                                         template_dirs, theme, pdf_standard)
    digest = _Digest(series, fingerprint[DIGEST_TEMPLATE], options)
    everyone = not digest.unchanged_members(out, manifest)  # the digest needs them all
    work: dict[str, _Job] = {}
    for member in series.members:
        outputs = []
        for template in series.templates:
            for fmt in series.formats:
                name = f"{member.output_id}.{template}.{fmt}"
                inputs = _hash(member.inputs, fingerprint[template], fmt)
                if manifest.is_current(out, name, inputs):
                    report.unchanged.append(name)
                else:
                    outputs.append((name, template, fmt))
        if outputs or everyone:
            work[member.source.name] = _Job(member, series.chosen, series.scheme, str(out),
                                            tuple(outputs),
                                            tuple(str(d) for d in template_dirs),
                                            str(theme) if theme else None, pdf_standard)
    with _writing(out):
        if manifest.forget({name for job in work.values() for name, _, _ in job.outputs}):
            manifest.write(out / MANIFEST)  # no entry may name a document about to change
        method = start_method()
        workers = worker_count(jobs, len(work), method) if executor is None else 1
        results = _execute(list(work.values()), executor, workers, method)
        with contextlib.closing(results):
            _collect(work, results, out, manifest, fingerprint, report, progress, digest)
        if everyone:
            digest.render(out, manifest, report, template_dirs, theme, pdf_standard)
        else:
            report.unchanged.extend(digest.names())
        manifest.write(out / MANIFEST)
    return report


def _collect(work: dict[str, _Job], results: Iterator[_Result], out: Path,
             manifest: Manifest, fingerprint: dict[str, str], report: SeriesReport,
             progress: Progress | None, digest: _Digest) -> None:
    """Move each finished document into place and record it."""
    total = len(work)
    for done, result in enumerate(results, start=1):
        job = work[result.file]
        if result.unwritable is not None:
            raise result.unwritable
        report.worker_peak_kib = max(report.worker_peak_kib, result.peak_kib)
        if result.problems:
            report.failed[result.file] = result.problems
        if result.summary is not None:
            digest.summaries[result.file] = result.summary
        for name, (temporary, sha256) in result.written.items():
            template, fmt = next((t, f) for n, t, f in job.outputs if n == name)
            os.replace(temporary, out / name)
            manifest.record(out, name, template, fmt, sha256,
                            _hash(job.member.inputs, fingerprint[template], fmt))
            report.rendered.append(name)
        for name in result.refused:
            _remove_refused(out, name, manifest, report)
        if time.perf_counter() - manifest.saved > MANIFEST_INTERVAL:
            manifest.write(out / MANIFEST)
        if progress:
            progress(result.file, done, total)


def _remove_refused(out: Path, name: str, manifest: Manifest, report: SeriesReport) -> None:
    """Remove a public document its member's current input refuses to make: left as it
    was, it would publish what the input no longer clears."""
    existed = (out / name).exists() or name in manifest.outputs
    (out / name).unlink(missing_ok=True)
    manifest.outputs.pop(name, None)
    if existed:
        report.removed.append(name)


def _execute(work: list[_Job], executor: Executor | None, workers: int, method: str
             ) -> Generator[_Result, None, None]:
    """The results of ``work``: on ``executor``, else on our own pool of ``workers``
    (1: in this process)."""
    if executor is not None:
        yield from _submitted(work, executor)
        return
    if workers <= 1 or len(work) < 2:
        yield from (_run_job(job) for job in work)
        return
    # The first member renders here: that fills this process's caches (templates,
    # fonts, styles), which forked workers then inherit instead of each filling its own.
    # The pool starts before the first result is reported, so before any progress bar
    # starts its thread.
    first = _run_job(work[0])
    pool = start_pool(min(workers, len(work) - 1), method)
    try:
        rest = _submitted(work[1:], pool)
        yield first
        yield from rest
    finally:
        pool.shutdown(cancel_futures=True)


def _submitted(work: list[_Job], executor: Executor) -> Iterator[_Result]:
    """Submit every job now; the results as they complete."""
    futures: list[Future[_Result]] = [executor.submit(_run_job, job) for job in work]
    return (future.result() for future in as_completed(futures))


class _Digest:
    """The series digest: unchanged while its members are, else made again from the
    summaries of this run's members (never from the manifest, which anyone can edit),
    and written only when what it shows changed."""

    def __init__(self, series: Series, fingerprint: str, options: DigestOptions) -> None:
        self.series = series
        self.fingerprint = fingerprint
        self.options = options
        self.members = _hash(series.title, fingerprint, repr(series.scheme),
                             repr(series.digest), repr(options), repr(series.templates),
                             repr(series.formats), *(m.inputs for m in series.members))
        self.summaries: dict[str, dict[str, Any]] = {}

    def names(self) -> list[str]:
        return [f"{self.series.id}.{DIGEST_TEMPLATE}.{fmt}" for fmt in self.series.formats]

    def unchanged_members(self, out: Path, manifest: Manifest) -> bool:
        """Whether every digest file is current and was made from these very members."""
        return all(manifest.outputs.get(name, {}).get("members") == self.members
                   and manifest.is_current(out, name, manifest.outputs[name]["inputs"])
                   for name in self.names())

    def render(self, out: Path, manifest: Manifest, report: SeriesReport,
               template_dirs: Sequence[str | Path], theme: str | Path | None,
               pdf_standard: str | None = None) -> None:
        from .digest import MemberDocument, build_digest
        from .rendering import render_tree

        series = self.series
        members = [m for m in series.members if m.source.name in self.summaries]
        summaries = [self.summaries[m.source.name] for m in members]
        written = set(report.rendered) | set(report.unchanged)  # made or checked this run
        documents = {
            summary["id"]: [MemberDocument(template, fmt, name)
                            for template in series.templates for fmt in series.formats
                            if (name := f"{member.output_id}.{template}.{fmt}") in written]
            for member, summary in zip(members, summaries, strict=True)}
        shown = _hash(json.dumps([series.title, summaries, repr(series.scheme),
                                  repr(series.digest), repr(self.options),
                                  sorted((k, [d.name for d in v]) for k, v in documents.items())],
                                 sort_keys=True), self.fingerprint)
        document = None
        for fmt, name in zip(series.formats, self.names(), strict=True):
            inputs = _hash(shown, fmt)
            if manifest.is_current(out, name, inputs):  # new members, the same digest
                manifest.outputs[name]["members"] = self.members
                report.unchanged.append(name)
                continue
            try:
                if document is None:
                    document = build_digest(series.title, summaries, scheme=series.scheme,
                                            as_at=self.options.as_at, settings=series.digest,
                                            documents=documents,
                                            all_actions=self.options.all_actions,
                                            template_dirs=template_dirs,
                                            theme=load_theme(theme))
                data = render_tree(document, fmt, theme=theme, pdf_standard=pdf_standard)
            except ReadoutError as exc:
                report.failed[name] = [replace(p, file=p.file or str(series.path))
                                       for p in exc.problems]
                continue
            except Exception as exc:  # a bug of ours, met in the digest only
                report.failed[name] = [Problem(
                    str(series.path), 0, 0, "", f"The series digest {fmt.upper()} cannot be "
                    f"made ({type(exc).__name__}: {exc}). This is a bug in readout; please "
                    "report it with this series.")]
                continue
            manifest.forget({name})
            manifest.write(out / MANIFEST)
            write_atomic(out / name, data, durable=False)
            manifest.record(out, name, DIGEST_TEMPLATE, fmt, hashlib.sha256(data).hexdigest(),
                            inputs, members=self.members)
            report.rendered.append(name)


def _templates_fingerprint(templates: Sequence[str], template_dirs: Sequence[str | Path],
                           theme: str | Path | None, pdf_standard: str | None = None
                           ) -> dict[str, str]:
    from .templating import template_files

    look = load_theme(theme).with_pdf_standard(pdf_standard)
    base = _hash(VERSION, look.pdf_standard, *(hashlib.sha256(file.read_bytes()).hexdigest()
                                               for file in look.files))
    prints = {}
    for template in templates:
        digest = hashlib.sha256(base.encode())
        for file in template_files(template, [Path(d) for d in template_dirs]):
            digest.update(file.read_bytes())
        prints[template] = digest.hexdigest()
    return prints


def _hash(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


__all__ = ["DigestOptions", "SeriesReport", "render_series"]
