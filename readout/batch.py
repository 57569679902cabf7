"""Render a whole series: every member x template x format, a digest, a manifest.

`render_series` renders in worker processes (see `pool`; or on any
`concurrent.futures.Executor`, such as a Dask cluster's), writes a digest of the
series, and keeps ``manifest.json`` (see `manifest`). A re-run renders only outputs
whose inputs changed or whose file is missing or altered; when no member file, nothing
a member reads and no output changed, it reads nothing but file sizes and times.

Members are read in the workers, each checked and, where an output changed, rendered in
the same job as its file is found (read and validated once; each template's document
tree built once for all its formats); the parent keeps of a member only its id and a
few digests (what the digest shows of it goes to a file the digest's worker reads:
`_Meetings`). The digest is rendered as soon as every member is checked, beside the
members still to render (it links to their documents: see `_Batch`), in one job
whose document tree serves every format. One bad member never stops the others, and
one document a member cannot make never stops its other documents. A
public document that a member's current input refuses to make (re-marked SECRET, say)
is removed from OUT and from the manifest, never left as it was last cleared.

Crash safety: the batch holds the output folder's lock (`output`) for the whole run.
Workers write each document under a temporary name and only the batch, holding the
lock, renames it into place, so a run that is no longer the current one (killed, its
workers dying with it) cannot replace a document. Before any member is read,
``manifest.json`` is saved without the documents the run may replace (those of every
member whose file, or whose documents, changed); then each finished member appends its
entries to the manifest's journal. So a run killed at any moment leaves only complete
documents, and every document the manifest names is the one on disk; the next run
finishes the rest.

Output layout (``OUT``)::

    OUT/manifest.json
    OUT/<readout id>.<template>.<ext>           for every member, template and format
    OUT/<series id>.series-digest.<ext>         the digest of the series, in each format
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import os
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import IO, Any

from .api import Scheme
from .errors import NothingPublicError, Problem, ReadoutError, RenderError
from .loading import files_read
from .manifest import JOURNAL, MANIFEST, Manifest, stat_of
from .output import holding, is_temporary, unwritable, write_temporary
from .pool import job_done, start_method, start_pool, worker_count
from .series import Member, Series, duplicate, open_series, read_member, validate_member
from .version import VERSION

DIGEST_TEMPLATE = "series-digest"
TAIL = 0.25  # the share of members checked before they render, for the digest to start


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
    # CPU seconds of the jobs, wherever they ran, by kind: "members" (read, checked and
    # rendered in one job), "first" (the first of them, done cold in the batch's own
    # process before its workers start), "checks" (checked only), "renders" (a checked
    # member read, validated again and rendered), "digest" (every format)
    job_cpu: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        removed = f", {len(self.removed)} removed" if self.removed else ""
        return (f"{len(self.rendered)} rendered, {len(self.unchanged)} unchanged{removed}, "
                f"{len(self.failed)} failed in {self.seconds:.1f} s")


@dataclass(frozen=True)
class DigestOptions:
    """What the caller says of the digest; ``None`` leaves it to the series file."""

    as_at: date | None = None
    all_actions: bool | None = None


@dataclass(frozen=True)
class _Run:
    """What every job of a run shares (the series without its list of files: each job
    is sent one)."""

    series: Series
    out_dir: str
    template_dirs: tuple[str, ...]
    theme: str | None
    pdf_standard: str | None = None
    options: DigestOptions = DigestOptions()
    fingerprint: dict[str, str] = field(default_factory=dict)  # template -> its digest


@dataclass(frozen=True)
class _Member:
    """Check one member and, in the same go, write its outputs that changed: read and
    validated once. Which did change the worker tells from ``known``, the manifest's
    entries of the member's outputs under ``recorded_id`` (the id it had last run);
    when the member now has another id, only the check is done and the batch sends a
    `_Render` (``fresh``: the manifest names no output, so every output is written)."""

    run: _Run
    file: str
    recorded_id: str | None = None
    known: dict[str, dict[str, Any]] = field(default_factory=dict)
    fresh: bool = False
    render: bool = True  # False: only the check (a `_Render` follows, see `_Batch`)


@dataclass(frozen=True)
class _Render:
    """Read one member again and write ``outputs`` (name, template, format)."""

    run: _Run
    file: str
    outputs: tuple[tuple[str, str, str], ...]


@dataclass(frozen=True)
class _DigestJob:
    """Write the digest of the meetings in ``meetings`` (a file: one line a member,
    ``[output id, summary]``, see `_Meetings`) in each of its formats, ``names`` (format
    and file name: one tree built for them all), linking to each meeting's documents
    but those ``missing`` (not written)."""

    run: _Run
    names: tuple[tuple[str, str], ...]
    meetings: str
    missing: frozenset[str]
    generation: int = 0  # which plan of the digest it is (`_Batch._plan_digest`)

    @property
    def formats(self) -> tuple[str, ...]:
        return tuple(fmt for fmt, _ in self.names)


@dataclass
class _Checked:
    file: str
    cpu: float = 0.0  # seconds of CPU its job took (`_work`)
    record: dict[str, Any] | None = None  # the manifest's member record, when valid
    summary: str | None = None  # what the digest shows of it, as JSON text (compact)
    problems: list[Problem] = field(default_factory=list)
    peak_kib: int = 0
    rendered: _Result | None = None  # a `_Member`'s outputs, when it wrote them itself
    unchanged: list[str] = field(default_factory=list)  # and those it found current


@dataclass
class _Result:
    file: str
    cpu: float = 0.0  # seconds of CPU its job took (`_work`)
    inputs: str = ""  # the member's, as rendered
    written: dict[str, tuple[str, str]] = field(default_factory=dict)  # temporary, sha256
    refused: list[str] = field(default_factory=list)  # public documents the input refuses
    problems: list[Problem] = field(default_factory=list)
    peak_kib: int = 0
    unwritable: OSError | None = None  # the output folder refused a file: stop the run


@dataclass
class _DigestResult:
    name: str
    fmt: str
    generation: int = 0
    peak_kib: int = 0
    written: tuple[str, str] | None = None  # temporary, sha256
    problems: list[Problem] = field(default_factory=list)
    unwritable: OSError | None = None


@dataclass
class _Digests:
    """A digest job's result: one for each of its formats."""

    results: list[_DigestResult]
    cpu: float = 0.0  # seconds of CPU its job took (`_work`), every format


def _work(job: _Member | _Render | _DigestJob) -> _Checked | _Result | _Digests:
    """In a worker: one job (and, in the pool's workers, the cycle collection after it:
    `pool.job_done`), with the CPU time it took."""
    started = time.thread_time()
    result: _Checked | _Result | _Digests
    try:
        if isinstance(job, _Member):
            result = _check_and_render(job)
        elif isinstance(job, _Render):
            result = _render(job)
        else:
            result = _render_digest(job)
    finally:
        job_done()
    result.cpu = time.thread_time() - started
    return result


def _check(job: _Member) -> tuple[_Checked, Member | None, Any]:
    """Validate one member: its id, inputs and summary (for the digest), with the member
    and its readout when valid. Whatever goes wrong is this member's failure."""
    series, file = job.run.series, Path(job.file)
    result = _Checked(file=job.file)
    member = doc = None
    with _member_failure(result):
        size, mtime_ns = stat_of(file)  # before reading: a later change shows next run
        with files_read() as used:
            member = read_member(series, file)
            doc, problems = validate_member(member, series.chosen, series.scheme)
        if doc is None:
            result.problems = problems
        else:
            uses = sorted({str(p) for p in used} - {str(file)})
            result.record = {"file": member_key(series, file), "size": size,
                             "mtime_ns": mtime_ns, "settings": series.settings,
                             "id": member.output_id, "inputs": _inputs(member, uses),
                             "uses": [[p, *stat_of(Path(p))] for p in uses]}
            from .digest import meeting_summary

            result.summary = json.dumps(meeting_summary(doc), ensure_ascii=False,
                                        separators=(",", ":"))
    return result, member, doc if result.record is not None else None


def _check_and_render(job: _Member) -> _Checked:
    """Check one member, then write what changed of its outputs (see `_Member`)."""
    result, member, doc = _check(job)
    record = result.record
    if (not job.render or record is None or member is None
            or not (job.fresh or record["id"] == job.recorded_id)):
        return result
    known, out, run = Manifest(outputs=job.known), Path(job.run.out_dir), job.run
    outputs = []
    for template in run.series.templates:
        for fmt in run.series.formats:
            name = f"{record['id']}.{template}.{fmt}"
            if known.is_current(out, name, _hash(record["inputs"], run.fingerprint[template],
                                                 fmt)):
                result.unchanged.append(name)
            else:
                outputs.append((name, template, fmt))
    rendered = result.rendered = _Result(file=job.file, inputs=record["inputs"])
    with _member_failure(rendered):
        _write_outputs(run, job.file, tuple(outputs), member, doc, rendered)
    result.peak_kib = rendered.peak_kib
    return result


def _render(job: _Render) -> _Result:
    """Validate one member again and write the outputs it needs. Whatever goes wrong
    with this member is this member's failure, located in its file; only an output
    folder that cannot take a file concerns the whole run."""
    series = job.run.series
    result = _Result(file=job.file)
    with _member_failure(result):
        with files_read() as used:
            member = read_member(series, Path(job.file))
            doc, problems = validate_member(member, series.chosen, series.scheme)
        if doc is None:
            result.problems = problems
        else:
            result.inputs = _inputs(member, sorted({str(p) for p in used} - {job.file}))
            _write_outputs(job.run, job.file, job.outputs, member, doc, result)
    return result


def _inputs(member: Member, uses: list[str]) -> str:
    """What a member's documents are made from: its data, and the files it names."""
    def content(path: str) -> str:
        try:
            return hashlib.sha256(Path(path).read_bytes()).hexdigest()
        except OSError:
            return ""
    return _hash(member.inputs, *(f"{path}\x1e{content(path)}" for path in uses))


def _write_outputs(run: _Run, file: str, outputs: Sequence[tuple[str, str, str]],
                   member: Member, doc: Any, result: _Result) -> None:
    """Write ``outputs`` (name, template, format) of one member under temporary names,
    each template's document tree built once for all its formats."""
    from .rendering import prepare
    from .writers import writer_for

    def failed(exc: Exception, template: str, fmt: str) -> None:
        if isinstance(exc, ReadoutError):  # this document only: the member's others go on
            result.problems.extend(found for found in (
                replace(p, file=p.file or member.source.name) for p in exc.problems)
                if found not in result.problems)
        else:  # a bug of ours, met in this document only
            result.problems.append(_bug(file, f"{template} {fmt.upper()} cannot be made", exc))

    wanted: dict[str, list[tuple[str, str]]] = {}  # template -> (name, format)
    for file_name, template, fmt in outputs:
        wanted.setdefault(template, []).append((file_name, fmt))
    for template, documents in wanted.items():
        try:
            prepared = prepare(doc, template, theme=run.theme, template_dirs=run.template_dirs,
                               pdf_standard=run.pdf_standard)
        except Exception as exc:  # every format of it fails alike
            for file_name, fmt in documents:
                failed(exc, template, fmt)
                if isinstance(exc, NothingPublicError):
                    result.refused.append(file_name)
            continue
        for file_name, fmt in documents:
            try:
                data = writer_for(fmt)(*prepared)
            except Exception as exc:  # this document only
                failed(exc, template, fmt)
                continue
            try:
                temporary = write_temporary(Path(run.out_dir) / file_name, data,
                                            durable=False)
            except OSError as exc:
                result.unwritable = exc
                return
            result.written[file_name] = (str(temporary), hashlib.sha256(data).hexdigest())


def _render_digest(job: _DigestJob) -> _Digests:
    """The digest in each of the job's formats, written under temporary names, with the
    worker's peak memory (a long digest is what takes most). Its document tree is built
    once for every format (for 1,000 meetings that costs a tenth of the digest).

    Python's cycle collector is paused meanwhile: a digest of 1,000 meetings makes
    millions of objects that live until it is written, and the collector walking them
    again and again took a third of its time (12.5 s against 8.5 s, for 14% more peak
    memory)."""
    results = [_DigestResult(name, fmt, job.generation) for fmt, name in job.names]
    collecting = gc.isenabled()
    gc.disable()
    try:
        _write_digest(job, results)
    finally:
        if collecting:
            gc.enable()
        peak = _peak_memory_kib()
        for result in results:
            result.peak_kib = peak
    return _Digests(results)


def _write_digest(job: _DigestJob, results: list[_DigestResult]) -> None:
    from .digest import build_digest
    from .rendering import render_tree
    from .themes import load_theme

    run, series = job.run, job.run.series
    try:
        summaries, documents = _read_meetings(job)
        document = build_digest(series.title, summaries, scheme=series.scheme,
                                as_at=run.options.as_at, settings=series.digest,
                                documents=documents, all_actions=run.options.all_actions,
                                template_dirs=run.template_dirs, theme=load_theme(run.theme))
    except Exception as exc:  # every format fails alike
        for result in results:
            result.problems = _digest_problems(series, result.fmt, exc)
        return
    for result in results:
        try:
            data = render_tree(document, result.fmt, theme=run.theme,
                               pdf_standard=run.pdf_standard)
        except Exception as exc:  # this format only
            result.problems = _digest_problems(series, result.fmt, exc)
            continue
        try:
            temporary = write_temporary(Path(run.out_dir) / result.name, data, durable=False)
        except OSError as exc:
            result.unwritable = exc
            return
        result.written = (str(temporary), hashlib.sha256(data).hexdigest())


def _digest_problems(series: Series, fmt: str, exc: Exception) -> list[Problem]:
    """What stops the digest in ``fmt``: located in the series file, or a bug of ours."""
    if isinstance(exc, ReadoutError):
        return [replace(p, file=p.file or str(series.path)) for p in exc.problems]
    return [Problem(
        str(series.path), 0, 0, "", f"The series digest {fmt.upper()} cannot be "
        f"made ({type(exc).__name__}: {exc}). This is a bug in readout; please "
        "report it with this series.")]


def _read_meetings(job: _DigestJob) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The summaries of a digest's meetings and, by meeting id, the documents it links
    to (`digest.MemberDocument`s)."""
    from .digest import MemberDocument

    series = job.run.series
    summaries, documents = [], {}
    with open(job.meetings, encoding="utf-8") as lines:
        for line in lines:
            output_id, summary = json.loads(line)
            summaries.append(summary)
            documents[summary["id"]] = [
                MemberDocument(template, fmt, name)
                for template in series.templates for fmt in series.formats
                if (name := f"{output_id}.{template}.{fmt}") not in job.missing]
    return summaries, documents


class _Meetings:
    """What the digest shows of each member, kept on disk as members are checked (one
    line each, in file order, under a temporary name in the output folder, where every
    worker reads it), with the digest of what was written: the batch holds none of it."""

    def __init__(self, out: Path, series: Series) -> None:
        self.out, self.series = out, series
        self.path: Path | None = None
        self._file: IO[str] | None = None
        self._digest = hashlib.sha256()
        self.count = 0

    def add(self, output_id: str, summary: str) -> None:
        if self._file is None:
            self._open()
        assert self._file is not None
        line = f"[{json.dumps(output_id, ensure_ascii=False)},{summary}]\n"
        self._file.write(line)
        self._digest.update(line.encode())
        self.count += 1

    def finish(self) -> str:
        """Every line written (an empty file for no member); the digest of them."""
        if self._file is None:
            self._open()
        self.close()
        return self._digest.hexdigest()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()

    def _open(self) -> None:
        self.path = write_temporary(self.out / f"{self.series.id}.{DIGEST_TEMPLATE}.meetings",
                                    b"", durable=False)
        self._file = open(self.path, "a", encoding="utf-8")  # noqa: SIM115


@contextlib.contextmanager
def _member_failure(result: _Checked | _Result) -> Iterator[None]:
    """Whatever goes wrong with one member becomes that member's own located failure
    (never the run's), and its worker's peak memory is noted either way."""
    try:
        yield
    except ReadoutError as exc:
        result.problems = list(exc.problems)
    except Exception as exc:  # a bug of ours, met in this member only
        result.problems = [_bug(result.file, "readout cannot be checked", exc)]
    finally:
        result.peak_kib = _peak_memory_kib()


def _bug(file: str, what: str, exc: Exception) -> Problem:
    return Problem(file, 0, 0, "",
                   f"The {what} ({type(exc).__name__}: {exc}). This is a bug in readout; "
                   "please report it with this readout file.")


def _peak_memory_kib() -> int:
    """This process's peak resident memory, where the platform tells it."""
    try:
        import resource
    except ImportError:  # pragma: no cover - not on POSIX
        return 0
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def member_key(series: Series, file: Path, folder: str | None = None) -> str:
    """How the manifest names a member file: relative to the series' folder (``folder``,
    when the caller has it as text already)."""
    folder, path = folder or str(series.folder), str(file)
    if path.startswith(folder + os.sep):  # what relative_to gives, for a thousand files
        return Path(path[len(folder) + 1:]).as_posix()
    try:
        return file.relative_to(series.folder).as_posix()
    except ValueError:
        return path


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
    (1 renders in this process; ``None``: one a CPU, when the series is large enough to
    gain from them, see `pool.worker_count`). ``progress`` is called as
    ``progress(member_file, done, total)`` after each member. ``scheme`` (a built-in
    name, a scheme file) is every member's classification scheme, winning over the
    series' and the members' own. ``as_at`` (a date, or ``YYYY-MM-DD``) is the date the
    digest judges overdue and due-soon actions against, instead of the series file's
    ``digest.as_at`` or its latest meeting; ``all_actions`` lists done and dropped
    actions in the digest. Raises `OutputError` when another batch is writing into
    ``out_dir``. ``pdf_standard`` ("a-2b") makes every PDF PDF/A-2b as well
    (``None``: the theme's).
    """
    from .themes import load_theme

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
        for entry in os.scandir(out):
            if is_temporary(entry.name):
                Path(entry.path).unlink(missing_ok=True)


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
    series = open_series(path, templates=templates, formats=formats, scheme=scheme,
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
    kept_theme = manifest.theme
    fingerprint = _templates_fingerprint((*series.templates, DIGEST_TEMPLATE),
                                         template_dirs, theme, pdf_standard, manifest)
    unchanged = _unchanged(series, out, manifest, fingerprint, options)
    if unchanged is not None:  # nothing to read, nothing to write
        report.unchanged.extend(unchanged)
        if manifest.theme != kept_theme and not manifest.ignored:
            with _writing(out):  # the theme's files, so that the next run parses none
                manifest.write(out / MANIFEST)
        return report
    run = _Run(replace(series, files=()), str(out), tuple(str(d) for d in template_dirs),
               str(theme) if theme else None, pdf_standard, options, fingerprint)
    with _writing(out), contextlib.closing(manifest):
        if manifest.ignored:
            (out / JOURNAL).unlink(missing_ok=True)  # start afresh: nothing of it is used
        manifest.open_journal(out / MANIFEST)
        _Batch(run, series.files, manifest, report, progress).run(executor, jobs)
        manifest.write(out / MANIFEST)
    return report


def _unchanged(series: Series, out: Path, manifest: Manifest,
               fingerprint: dict[str, str], options: DigestOptions) -> list[str] | None:
    """Every output's name, when no member file, nothing a member read and no output
    changed since the manifest was written (nothing read but the sizes and times of
    files); else ``None``."""
    names: list[str] = []
    inputs: list[str] = []
    ids: set[str] = set()
    folder = str(series.folder)
    wanted = [(template, fmt, fingerprint[template]) for template in series.templates
              for fmt in series.formats]
    for file in series.files:
        record = manifest.members.get(member_key(series, file, folder))
        if (record is None or record["settings"] != series.settings
                or stat_of(file) != (record["size"], record["mtime_ns"])
                or any(stat_of(p) != (size, mtime) for p, size, mtime in record["uses"])):
            return None
        for template, fmt, printed in wanted:
            name = f"{record['id']}.{template}.{fmt}"
            if not manifest.is_current(out, name, _hash(record["inputs"], printed, fmt)):
                return None
            names.append(name)
        inputs.append(record["inputs"])
        ids.add(record["id"])
    if len(ids) < len(series.files):
        return None  # ids shared: the duplicates must be reported again
    members = _members_digest(series, fingerprint, inputs, options)
    digest_names = _digest_names(series)
    if not all(manifest.outputs.get(name, {}).get("members") == members
               and manifest.is_current(out, name, manifest.outputs[name]["inputs"])
               for name in digest_names):
        return None
    return names + digest_names


def _members_digest(series: Series, fingerprint: dict[str, str], inputs: list[str],
                    options: DigestOptions) -> str:
    """What the digest is made from, but for which documents were written."""
    return _hash(series.title, fingerprint[DIGEST_TEMPLATE], repr(series.scheme),
                 repr(series.digest), repr(options), repr(series.templates),
                 repr(series.formats), *inputs)


def _digest_names(series: Series) -> list[str]:
    return [f"{series.id}.{DIGEST_TEMPLATE}.{fmt}" for fmt in series.formats]


class _Inline(Executor):
    """Runs each job at once, in this process."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:
            future.set_exception(exc)
        return future


class _Batch:
    """One run's work: every member checked and rendered in the workers in one job
    (`_Member`) as its file is found, the results taken in file order (the first of two
    readouts with one id keeps it), and the digest.

    The digest needs every member's summary, so it could start only at the end, alone.
    Instead the last quarter of the members (`TAIL`) is checked first and rendered after
    (those members are validated twice): once every member is checked, the digest is
    rendered beside the members still to render, taking their documents as written; if
    one is not (a document that fails), it is rendered again at the end.

    Crash safety: before any job, ``manifest.json`` is rewritten without the documents
    this run may replace (`_unname_changing`: every output of a member whose file or
    whose documents changed since the last run); a document the manifest on disk still
    names is never replaced before it is left out of it too. Each placed document is
    appended to the journal."""

    def __init__(self, run: _Run, files: Sequence[Path], manifest: Manifest,
                 report: SeriesReport, progress: Progress | None) -> None:
        self.context, self.manifest, self.fingerprint = run, manifest, run.fingerprint
        self.report, self.progress = report, progress
        self.series, self.out = run.series, Path(run.out_dir)
        self.files, self.folder = files, str(run.series.folder)
        self.fresh = not manifest.outputs  # nothing to compare: every output is written
        self.unnamed: set[str] = set()                    # left out of manifest.json
        self.to_check = 0                                 # the next file to submit
        self.tail = len(files) - int(len(files) * TAIL)   # from here: checks, then renders
        self.checked: dict[int, _Checked] = {}            # come back, not yet taken
        self.taken_upto = 0                               # checks taken in file order
        self.owners: dict[str, str] = {}                  # output id -> member file
        self.records: dict[str, dict[str, Any]] = {}      # member file -> its record
        self.meetings = _Meetings(self.out, self.series)  # what the digest shows of each
        self.meetings_digest = ""
        self.digest_plan: frozenset[str] | None = None  # the documents it misses
        self.digest_generation = 0
        self.digest_held: list[_DigestResult] = []  # come back before every member
        self.digest_settled = False
        self.all_checked = False
        self.inputs: dict[int, str] = {}
        self.renders: deque[_Render] = deque()
        self.planned: dict[str, dict[str, tuple[str, str]]] = {}  # file -> name -> (t, f)
        self.digest_inputs: dict[str, str] = {}
        self.digests: deque[_DigestJob] = deque()
        self.members_digest = ""
        self.done = 0
        self.total = len(self.files)

    # -- scheduling ---------------------------------------------------------------------
    def run(self, executor: Executor | None, jobs: int | None) -> None:
        try:
            self._run(executor, jobs)
        finally:
            self.meetings.close()

    def _run(self, executor: Executor | None, jobs: int | None) -> None:
        self._unname_changing()
        if not self.files:
            self._all_checked()  # a digest of no meeting
        if executor is not None:
            self._drive(executor, window=64)
            return
        method = start_method()
        workers = worker_count(jobs, len(self.files), method)
        if workers <= 1 or len(self.files) < 2:
            self.tail = len(self.files)  # one process: nothing to render beside the digest
            self._drive(_Inline(), window=1)
            return
        # The first member is done here: that fills this process's caches (templates,
        # fonts, styles), which forked workers then inherit instead of each filling its
        # own. The pool starts before the first result is taken, so before any progress
        # bar starts its thread.
        job = self._next()
        assert isinstance(job, _Member)
        first = _work(job)
        pool = start_pool(min(workers, len(self.files) - 1), method)
        try:
            self._taken(0, first, "first")
            self._drive(pool, window=4 * workers)
        finally:
            pool.shutdown(cancel_futures=True)

    def _drive(self, executor: Executor, window: int) -> None:
        running: dict[Future[Any], int] = {}
        while True:
            while len(running) < window:
                job = self._next()
                if job is None:
                    break
                index = self.to_check - 1 if isinstance(job, _Member) else -1
                running[executor.submit(_work, job)] = index
            if not running:
                return
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                self._taken(running.pop(future), future.result())

    def _taken(self, index: int, result: _Checked | _Result | _Digests,
               kind: str | None = None) -> None:
        kind = kind or ("digest" if isinstance(result, _Digests) else "renders"
                        if isinstance(result, _Result) else "checks"
                        if result.rendered is None else "members")
        self.report.job_cpu[kind] = self.report.job_cpu.get(kind, 0.0) + result.cpu
        if isinstance(result, _Checked):
            self._take(index, result)
        elif isinstance(result, _Digests):
            for each in result.results:
                self._collect(each)
        else:
            self._collect(result)

    def _next(self) -> _Member | _Render | _DigestJob | None:
        """The next job: the digest first, then members (the tail's checks last), then
        renders."""
        if self.digests:
            return self.digests.popleft()
        if self.to_check < len(self.files):
            self.to_check += 1
            return self._member_job(self.to_check - 1)
        if self.renders:
            return self.renders.popleft()
        return None

    def _member_job(self, index: int) -> _Member:
        file, render = self.files[index], index < self.tail
        record = self.manifest.members.get(member_key(self.series, file, self.folder))
        if record is None:
            return _Member(self.context, str(file), fresh=self.fresh, render=render)
        known = {name: entry for name, _, _ in self._outputs(record)
                 if (entry := self.manifest.outputs.get(name)) is not None}
        return _Member(self.context, str(file), record["id"], known, self.fresh, render)

    # -- checks, in file order ----------------------------------------------------------
    def _take(self, index: int, result: _Checked) -> None:
        self.report.worker_peak_kib = max(self.report.worker_peak_kib, result.peak_kib)
        self.checked[index] = result
        while self.taken_upto in self.checked:
            self._plan(self.taken_upto, self.checked.pop(self.taken_upto))
            self.taken_upto += 1
        if self.taken_upto == len(self.files) and not self.all_checked:
            self._all_checked()

    def _plan(self, index: int, checked: _Checked) -> None:
        """What one checked member needs rendered, or what it rendered already."""
        record = checked.record
        if record is None:
            self.report.failed[checked.file] = checked.problems
            self._finished(checked.file)
            return
        owner = self.owners.get(record["id"])
        if owner is not None:
            self.report.failed[checked.file] = [duplicate(Path(checked.file), record["id"],
                                                          owner)]
            if checked.rendered is not None:  # made before its id was known to be taken
                for temporary, _ in checked.rendered.written.values():
                    Path(temporary).unlink(missing_ok=True)
            self._finished(checked.file)
            return
        self.owners[record["id"]] = checked.file
        self.records[checked.file] = record
        assert checked.summary is not None
        self.meetings.add(record["id"], checked.summary)
        self.inputs[index] = record["inputs"]
        if checked.rendered is not None:
            self.report.unchanged.extend(checked.unchanged)
            self.planned[checked.file] = {name: (template, fmt) for name, template, fmt
                                          in self._outputs(record)}
            self._collect(checked.rendered)
            return
        outputs = []
        for name, template, fmt in self._outputs(record):
            inputs = _hash(record["inputs"], self.fingerprint[template], fmt)
            if self.manifest.is_current(self.out, name, inputs):
                self.report.unchanged.append(name)
            else:
                outputs.append((name, template, fmt))
        if outputs:
            self.planned[checked.file] = {name: (t, f) for name, t, f in outputs}
            self.renders.append(_Render(self.context, checked.file, tuple(outputs)))
        else:
            self.manifest.remember(record)
            self._finished(checked.file)

    def _all_checked(self) -> None:
        """Every member is checked: what the digest shows is known, and the documents it
        links to are those written, found unchanged, or still to be written."""
        self.all_checked = True
        self.members_digest = _members_digest(self.series, self.fingerprint,
                                              [self.inputs[i] for i in sorted(self.inputs)],
                                              self.context.options)
        self.inputs.clear()
        self.meetings_digest = self.meetings.finish()
        coming = {name for outputs in self.planned.values() for name in outputs}
        self._plan_digest(self._written() | coming)
        self._digest_when_done()

    def _written(self) -> set[str]:
        return set(self.report.rendered) | set(self.report.unchanged)

    def _plan_digest(self, written: set[str]) -> None:
        """The digest jobs for the members' documents ``written``: only the formats whose
        digest shows something else than the one on disk."""
        series = self.series
        missing = frozenset(name for output_id in self.owners for template in series.templates
                            for fmt in series.formats
                            if (name := f"{output_id}.{template}.{fmt}") not in written)
        shown = _hash(json.dumps([series.title, repr(series.scheme), repr(series.digest),
                                  repr(self.context.options), series.templates,
                                  series.formats, sorted(missing)]),
                      self.fingerprint[DIGEST_TEMPLATE], self.meetings_digest)
        self.digest_generation += 1
        self.digest_plan = missing
        changed = []
        for fmt, name in zip(series.formats, _digest_names(series), strict=True):
            inputs = self.digest_inputs[fmt] = _hash(shown, fmt)
            if not self.manifest.is_current(self.out, name, inputs):
                changed.append((fmt, name))
        if changed:  # one job: the formats share its document tree
            self.digests.append(_DigestJob(self.context, tuple(changed),
                                           str(self.meetings.path), missing,
                                           self.digest_generation))

    def _digest_when_done(self) -> None:
        """Once every member is done: the digest planned as they were checked is right
        when every document it links to was written (else it is planned again); the
        digests that came back are placed, those still the same recorded."""
        if not self.all_checked or self.done < self.total or self.digest_settled:
            return
        assert self.digest_plan is not None
        planned = self.digest_plan
        self._plan_digest(self._written())
        if self.digest_plan != planned:  # a document it links to was not made
            for result in self.digest_held:
                if result.written is not None:
                    Path(result.written[0]).unlink(missing_ok=True)
            self.digests = deque(job for job in self.digests
                                 if job.generation == self.digest_generation)
        else:  # the same plan: its jobs are queued, running or back already
            self.digest_generation -= 1
            self.digests = deque(job for job in self.digests
                                 if job.generation == self.digest_generation)
        self.digest_settled = True
        series = self.series
        for fmt, name in zip(series.formats, _digest_names(series), strict=True):
            inputs = self.digest_inputs[fmt]
            if self.manifest.is_current(self.out, name, inputs):  # the same digest
                if self.manifest.outputs[name].get("members") != self.members_digest:
                    entry = self.manifest.outputs[name]
                    self.manifest.record(self.out, name, DIGEST_TEMPLATE, fmt,
                                         entry["sha256"], inputs, members=self.members_digest)
                self.report.unchanged.append(name)
        held, self.digest_held = self.digest_held, []
        for result in held:
            if result.generation == self.digest_generation:
                self._place_digest(result)

    def _unname_changing(self) -> None:
        """Rewrite ``manifest.json`` without the documents this run may replace: all of
        this run's templates and formats but those of members whose file, the files it
        reads and whose documents are as the manifest says (a changed template or theme
        changes every member's). So a run killed from now on leaves none named that is
        not on disk as named; the entries stay in memory, for the workers to compare."""
        kept: set[str] = set()
        for file in self.files:
            record = self.manifest.members.get(member_key(self.series, file, self.folder))
            if (record is None or record["settings"] != self.series.settings
                    or stat_of(file) != (record["size"], record["mtime_ns"])
                    or any(stat_of(Path(p)) != (size, mtime)
                           for p, size, mtime in record["uses"])):
                continue
            kept.update(name for name, template, fmt in self._outputs(record)
                        if self.manifest.is_current(self.out, name, _hash(
                            record["inputs"], self.fingerprint[template], fmt)))
        endings = tuple(f".{template}.{fmt}" for template in self.series.templates
                        for fmt in self.series.formats)
        self.unnamed = {name for name in self.manifest.outputs
                        if name.endswith(endings) and name not in kept}
        if self.unnamed or not (self.out / MANIFEST).exists():
            self._write_manifest()

    def _outputs(self, record: dict[str, Any]) -> list[tuple[str, str, str]]:
        return [(f"{record['id']}.{template}.{fmt}", template, fmt)
                for template in self.series.templates for fmt in self.series.formats]

    def _write_manifest(self) -> None:
        """``manifest.json`` as it stands, but for the documents about to change."""
        path = self.out / MANIFEST
        self.manifest.write(path, leaving_out=self.unnamed)
        self.manifest.open_journal(path)

    def _replacing(self, names: set[str]) -> None:
        """Before ``names`` are replaced: leave any the manifest on disk names out of it
        (a member whose documents changed though its file did not, or that takes an id
        another member had)."""
        named = {name for name in names
                 if name in self.manifest.outputs and name not in self.unnamed}
        if named:
            self.unnamed |= named
            self._write_manifest()

    # -- results ------------------------------------------------------------------------
    def _collect(self, result: _Result | _DigestResult) -> None:
        """Move finished documents into place and record them."""
        if result.unwritable is not None:
            raise result.unwritable
        self.report.worker_peak_kib = max(self.report.worker_peak_kib, result.peak_kib)
        if isinstance(result, _DigestResult):
            if result.generation != self.digest_generation:  # of a plan given up
                if result.written is not None:
                    Path(result.written[0]).unlink(missing_ok=True)
            elif self.digest_settled:
                self._place_digest(result)
            else:
                self.digest_held.append(result)
            return
        if result.problems:
            self.report.failed[result.file] = result.problems
        outputs = self.planned.pop(result.file, {})
        self._replacing(set(result.written))
        for name, (temporary, sha256) in result.written.items():
            template, fmt = outputs[name]
            os.replace(temporary, self.out / name)
            self.manifest.record(self.out, name, template, fmt, sha256,
                                 _hash(result.inputs, self.fingerprint[template], fmt))
            self.unnamed.discard(name)
            self.report.rendered.append(name)
        for name in result.refused:
            self._remove_refused(name)
        record = self.records.pop(result.file, None)
        if record is not None and not result.problems:
            self.manifest.remember(record)
        self._finished(result.file)

    def _place_digest(self, result: _DigestResult) -> None:
        if result.problems or result.written is None:
            self.report.failed[result.name] = result.problems
            return
        if self.manifest.forget({result.name}):  # before the new digest replaces the old
            self._write_manifest()
        temporary, sha256 = result.written
        os.replace(temporary, self.out / result.name)
        self.manifest.record(self.out, result.name, DIGEST_TEMPLATE, result.fmt, sha256,
                             self.digest_inputs[result.fmt], members=self.members_digest)
        self.report.rendered.append(result.name)

    def _remove_refused(self, name: str) -> None:
        """Remove a public document its member's current input refuses to make: left as
        it was, it would publish what the input no longer clears."""
        existed = (self.out / name).exists() or name in self.manifest.outputs
        self._replacing({name})
        self.manifest.forget({name})
        self.unnamed.discard(name)
        (self.out / name).unlink(missing_ok=True)
        if existed:
            self.report.removed.append(name)

    def _finished(self, file: str) -> None:
        self.done += 1
        if self.progress:
            self.progress(file, self.done, self.total)
        self._digest_when_done()


def _templates_fingerprint(templates: Sequence[str], template_dirs: Sequence[str | Path],
                           theme: str | Path | None, pdf_standard: str | None,
                           manifest: Manifest) -> dict[str, str]:
    from .template_folders import template_files

    base = _theme_fingerprint(theme, pdf_standard, manifest)
    prints = {}
    for template in templates:
        digest = hashlib.sha256(base.encode())
        for file in template_files(template, [Path(d) for d in template_dirs]):
            digest.update(file.read_bytes())
        prints[template] = digest.hexdigest()
    return prints


def _theme_fingerprint(theme: str | Path | None, pdf_standard: str | None,
                       manifest: Manifest) -> str:
    """The digest of the theme's files (its own, its fonts, its images) and its PDF
    standard; taken from the manifest while none of them changed size or time, so a
    re-run parses no theme."""
    named = Path(theme).resolve() if theme and Path(theme).exists() else theme
    name = f"{VERSION}\x1e{named or ''}\x1e{pdf_standard or ''}"
    kept = manifest.theme
    if kept is not None and kept["name"] == name and all(
            stat_of(Path(path)) == (size, mtime) for path, size, mtime in kept["files"]):
        return str(kept["digest"])
    from .themes import load_theme

    look = load_theme(theme).with_pdf_standard(pdf_standard)
    stats = [[str(file), *stat_of(file)] for file in look.files]  # before reading: a
    digest = _hash(VERSION, look.pdf_standard, *(  # file changed meanwhile is read again
        hashlib.sha256(file.read_bytes()).hexdigest() for file in look.files))
    manifest.theme = {"name": name, "digest": digest, "files": stats}
    return digest


def _hash(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


__all__ = ["DigestOptions", "SeriesReport", "render_series"]
