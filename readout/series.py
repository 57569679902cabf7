"""Meeting series: load, merge defaults, and render every member in parallel, safely.

A series file (``readout-series/1``) lists member readouts and ``defaults`` that are
deep-merged under each of them (the member wins; lists replace). `render_series` renders
every member x template x format into one folder, in worker processes (or on any
`concurrent.futures.Executor`, such as a Dask cluster's), writes a digest of the whole
series, and keeps ``manifest.json``: for every output, its hash and a digest of its
inputs. A re-run renders only outputs whose inputs changed or whose file is missing or
altered. Every file is written to a temporary name and renamed, and the manifest is
saved the same way several times a second while members complete, so a run killed at
any moment leaves only complete documents and a manifest whose every entry matches
the disk (a document finished after the last save is simply rendered again); the next
run finishes the rest.

Output layout (``OUT``)::

    OUT/manifest.json
    OUT/<readout id>.<template>.<pdf|docx>      for every member, template and format
    OUT/<series id>.series-digest.<pdf|docx>    the digest of the series
"""

from __future__ import annotations

import copy
import glob
import hashlib
import json
import multiprocessing
import os
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .api import default_id
from .errors import Problem, ReadoutError, ValidationError
from .loading import Path_, PositionIndex, Source, parse, read_text
from .rendering import TEMPLATES, write_atomic
from .version import VERSION
from .writers import FORMATS

SERIES_FORMAT = "readout-series/1"
MANIFEST = "manifest.json"
DIGEST_TEMPLATE = "series-digest"
MANIFEST_INTERVAL = 0.25  # seconds between manifest saves while workers run


@dataclass(frozen=True)
class Member:
    """One member readout with the series defaults merged in, ready to validate."""

    source: Source
    output_id: str
    inputs: str


@dataclass(frozen=True)
class Series:
    """A loaded series: its members in order, what to render, and load problems."""

    path: Path
    id: str
    title: str
    members: tuple[Member, ...]
    templates: tuple[str, ...]
    formats: tuple[str, ...]
    failures: tuple[tuple[str, tuple[Problem, ...]], ...] = ()


@dataclass
class SeriesReport:
    """What a batch did: counts, failures with their problems, and the time taken."""

    rendered: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: dict[str, list[Problem]] = field(default_factory=dict)
    seconds: float = 0.0
    worker_peak_kib: int = 0

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        return (f"{len(self.rendered)} rendered, {len(self.unchanged)} unchanged, "
                f"{len(self.failed)} failed in {self.seconds:.1f} s")


# ---------------------------------------------------------------- loading a series


def is_series(data: Any) -> bool:
    return isinstance(data, dict) and data.get("format") == SERIES_FORMAT


def load_series(path: str | Path, *, templates: Sequence[str] = (),
                formats: Sequence[str] = ()) -> Series:
    """Load a series file, or a folder whose ``*.yaml`` readouts form a series."""
    folder_or_file = Path(path)
    if folder_or_file.is_dir():
        return _folder_series(folder_or_file, templates, formats)
    text, name = read_text(folder_or_file)
    source = parse(text, name, folder=folder_or_file.parent)
    settings = _validated_settings(source)
    patterns = settings["readouts"]
    files, missing = _expand(folder_or_file.parent, patterns, source)
    defaults = settings.get("defaults") or {}
    render = settings.get("render") or {}
    return _assemble(folder_or_file, settings["title"], files, defaults, source,
                     tuple(templates or render.get("templates") or TEMPLATES),
                     tuple(formats or render.get("formats") or FORMATS), missing)


def _validated_settings(source: Source) -> dict[str, Any]:
    from marshmallow import ValidationError as FieldError

    from .schema import problems_of
    from .series_schema import SeriesSchema

    try:
        settings: dict[str, Any] = SeriesSchema().load(source.data)
    except FieldError as exc:
        raise ValidationError(list(problems_of(exc.messages, source, SeriesSchema))) from None
    return settings


def _folder_series(folder: Path, templates: Sequence[str], formats: Sequence[str]) -> Series:
    files = [p for p in sorted(folder.glob("*.yaml")) if not _looks_like_series(p)]
    if not files:
        raise ValidationError([Problem(str(folder), 0, 0, "",
                                       "This folder holds no readout files (*.yaml).")])
    return _assemble(folder, folder.name, files, {}, None,
                     tuple(templates or TEMPLATES), tuple(formats or FORMATS), [])


def _looks_like_series(path: Path) -> bool:
    with open(path, "rb") as handle:
        head = handle.read(4096)
    return SERIES_FORMAT.encode() in head and b"readouts:" in head


def _expand(folder: Path, patterns: list[str],
            source: Source) -> tuple[list[Path], list[tuple[str, tuple[Problem, ...]]]]:
    root = folder.resolve()
    files: list[Path] = []
    missing: list[tuple[str, tuple[Problem, ...]]] = []
    for index, pattern in enumerate(patterns):
        matches = sorted(Path(p) for p in glob.glob(str(folder / pattern)))
        matches = [m for m in matches if m.resolve().is_relative_to(root) and m.is_file()]
        if not matches:
            line, column = source.positions.locate(("readouts", index))
            missing.append((pattern, (Problem(source.name, line, column, f"readouts.{index}",
                                              f"No readout file matches {pattern!r}."),)))
        files.extend(m for m in matches if m not in files)
    return files, missing


def _assemble(path: Path, title: str, files: list[Path], defaults: dict[str, Any],
              series_source: Source | None, templates: tuple[str, ...],
              formats: tuple[str, ...], missing: list[tuple[str, tuple[Problem, ...]]]
              ) -> Series:
    folder = path if path.is_dir() else path.parent
    defaults = _resolve_default_logo(defaults, folder, series_source)
    members: list[Member] = []
    failures = list(missing)
    taken: dict[str, str] = {}
    for file in files:
        try:
            member = _member(file, defaults, series_source)
        except ReadoutError as exc:
            failures.append((str(file), exc.problems))
            continue
        if member.output_id in taken:
            failures.append((str(file), (Problem(str(file), 0, 0, "id",
                             f"The id {member.output_id!r} is already used by "
                             f"{taken[member.output_id]}; give each readout its own id."),)))
            continue
        taken[member.output_id] = str(file)
        members.append(member)
    series_id = default_id(path.name if path.is_dir() else path.stem).removesuffix(".series")
    return Series(path=path, id=series_id, title=title,
                  members=tuple(members), templates=templates, formats=formats,
                  failures=tuple(failures))


def _resolve_default_logo(defaults: dict[str, Any], folder: Path,
                          series_source: Source | None) -> dict[str, Any]:
    """A logo named in the defaults is relative to the series file, not the member."""
    issuer = defaults.get("issuer")
    if not isinstance(issuer, dict) or not isinstance(issuer.get("logo"), str):
        return defaults
    from marshmallow import ValidationError as FieldError
    from marshmallow.experimental.context import Context

    from .schema import LogoPath, Rules

    with Context(Rules(folder=folder)):
        try:
            logo = LogoPath().deserialize(issuer["logo"])
        except FieldError as exc:
            where = series_source.positions.locate(("defaults", "issuer", "logo")) if (
                series_source) else (0, 0)
            name = series_source.name if series_source else str(folder)
            raise ValidationError([Problem(name, where[0], where[1], "defaults.issuer.logo",
                                           " ".join(str(m) for m in exc.messages))]) from None
    resolved = copy.deepcopy(defaults)
    resolved["issuer"]["logo"] = logo
    return resolved


def _member(file: Path, defaults: dict[str, Any], series_source: Source | None) -> Member:
    text, name = read_text(file)
    source = parse(text, name, folder=file.parent)
    if series_source is not None and isinstance(source.data, dict):
        positions = PositionIndex(values=dict(source.positions.values),
                                  keys=dict(source.positions.keys))
        data = _merge(defaults, source.data, (), series_source.positions, positions,
                      series_source.name)
        source = Source(data=data, name=name, positions=positions, folder=file.parent)
    raw_id = source.data.get("id") if isinstance(source.data, dict) else None
    output_id = raw_id if isinstance(raw_id, str) and raw_id else default_id(name)
    return Member(source=source, output_id=output_id, inputs=_inputs_digest(source.data))


def _merge(defaults: Any, member: Any, path: Path_, series: PositionIndex,
           merged: PositionIndex, series_name: str) -> Any:
    """Deep-merge ``defaults`` under ``member``: the member wins, lists replace."""
    if isinstance(defaults, dict) and isinstance(member, dict):
        result = dict(member)
        for key, value in defaults.items():
            if key in member:
                result[key] = _merge(value, member[key], (*path, key), series, merged,
                                     series_name)
            else:
                result[key] = copy.deepcopy(value)
                _adopt(series, merged, ("defaults", *path, key), (*path, key), series_name)
        return result
    return member


def _adopt(series: PositionIndex, merged: PositionIndex, origin: Path_, target: Path_,
           series_name: str) -> None:
    """Point the positions of a defaulted subtree at its place in the series file."""
    size = len(origin)
    for table, own in ((series.values, merged.values), (series.keys, merged.keys)):
        for path, where in table.items():
            if path[:size] == origin:
                own[target + path[size:]] = where
    merged.files[target] = series_name


def _inputs_digest(data: Any) -> str:
    def default(value: Any) -> str:
        if isinstance(value, Path):
            return hashlib.sha256(value.read_bytes()).hexdigest() if value.is_file() else ""
        return str(value)

    canonical = json.dumps(data, sort_keys=True, default=default, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def check_any(path: str) -> list[Problem]:
    """Validate a readout or a series file (every member); return problems, errors first."""
    from .api import check

    if path != "-" and Path(path).is_file() and _looks_like_series(Path(path)):
        series = load_series(path)
        problems = [p for _, found in series.failures for p in found]
        for member in series.members:
            problems.extend(_validate_member(member)[1])
        return problems
    return check(path)[1]


def _validate_member(member: Member) -> tuple[Any, list[Problem]]:
    from .api import validated

    try:
        return validated(member.source)
    except ReadoutError as exc:
        return None, list(exc.problems)


# ---------------------------------------------------------------- rendering a series


@dataclass(frozen=True)
class _Job:
    member: Member
    out_dir: str
    outputs: tuple[tuple[str, str, str], ...]
    template_dirs: tuple[str, ...]
    theme: str | None


@dataclass
class _Result:
    file: str
    written: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    summary: dict[str, Any] | None = None
    peak_kib: int = 0


def _run_job(job: _Job) -> _Result:
    """In a worker: validate one member and write the outputs it needs."""
    result = _Result(file=job.member.source.name)
    try:
        doc, problems = _validate_member(job.member)
        if doc is None:
            result.problems = problems
        else:
            result.summary = meeting_summary(doc)
            _write_outputs(job, doc, result)
    finally:
        result.peak_kib = _peak_memory_kib()
    return result


def _write_outputs(job: _Job, doc: Any, result: _Result) -> None:
    from .rendering import render

    try:
        for file_name, template, fmt in job.outputs:
            data = render(doc, template, fmt, theme=job.theme,
                          template_dirs=job.template_dirs)
            write_atomic(Path(job.out_dir) / file_name, data, durable=False)
            result.written[file_name] = hashlib.sha256(data).hexdigest()
    except ReadoutError as exc:
        result.problems = list(exc.problems)


def _peak_memory_kib() -> int:
    """This process's peak resident memory, where the platform tells it."""
    try:
        import resource
    except ImportError:  # pragma: no cover - not on POSIX
        return 0
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def meeting_summary(doc: Any) -> dict[str, Any]:
    """What the digest needs of one meeting, as JSON-ready data (kept in the manifest)."""
    counterparts = [p.display_name for p in doc.participants if p.role.value == "counterpart"]
    actions = [{"text": o.text, "owner": o.owner, "due": o.due.isoformat() if o.due else None,
                "status": (o.status.value if o.status else "open"),
                "marking": doc.marking_of(o)}
               for o in doc.outcomes if o.type.value == "action"]
    return {"id": doc.id, "title": doc.title, "date": doc.meeting.date.isoformat(),
            "kind": doc.meeting.kind.value,
            "venue": ", ".join(x for x in (doc.meeting.venue.name, doc.meeting.venue.city,
                                           doc.meeting.venue.country) if x),
            "counterparts": counterparts,
            "outcomes": len(doc.outcomes), "classification": doc.classification,
            "actions": actions}


Progress = Callable[[str, int, int], None]


def render_series(path: str | Path, out_dir: str | Path, *, executor: Executor | None = None,
                  progress: Progress | None = None, jobs: int | None = None,
                  templates: Sequence[str] = (), formats: Sequence[str] = (),
                  template_dirs: Sequence[str | Path] = (),
                  theme: str | Path | None = None) -> SeriesReport:
    """Render a whole series into ``out_dir``; see the module docstring for the layout.

    ``executor`` may be any `concurrent.futures.Executor` (a Dask cluster's, a Ray pool);
    by default a process pool of ``jobs`` workers (the CPU count; 1 renders in this
    process). ``progress`` is called as ``progress(member_file, done, total)`` after
    each member.
    """
    started = time.perf_counter()
    workers = jobs or os.cpu_count() or 1
    pool = _start_pool(workers) if executor is None and workers > 1 else None
    try:
        report = _render_series(Path(path), Path(out_dir), executor or pool, progress,
                                templates, formats, template_dirs, theme)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    report.seconds = time.perf_counter() - started
    return report


def _start_pool(workers: int) -> ProcessPoolExecutor:
    """Worker processes, started before the series is loaded so that they begin small
    and stay small (a forked worker would otherwise carry the parent's loaded series)."""
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
    pool.submit(int)  # starts the workers now
    return pool


def _render_series(path: Path, out: Path, executor: Executor | None,
                   progress: Progress | None, templates: Sequence[str],
                   formats: Sequence[str], template_dirs: Sequence[str | Path],
                   theme: str | Path | None) -> SeriesReport:
    series = load_series(path, templates=templates, formats=formats)
    out.mkdir(parents=True, exist_ok=True)
    for leftover in out.glob(".*.tmp"):  # half-written by a run that was killed
        leftover.unlink(missing_ok=True)
    manifest = Manifest.read(out / MANIFEST)
    report = SeriesReport()
    for file, problems in series.failures:
        report.failed[file] = list(problems)
    fingerprint = _templates_fingerprint(series.templates, template_dirs, theme)
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
        if outputs or member.source.name not in manifest.summaries:
            work[member.source.name] = _Job(member, str(out), tuple(outputs),
                                            tuple(str(d) for d in template_dirs),
                                            str(theme) if theme else None)
    total = len(work)
    for done, result in enumerate(_execute(list(work.values()), executor), start=1):
        job = work[result.file]
        report.worker_peak_kib = max(report.worker_peak_kib, result.peak_kib)
        if result.problems:
            report.failed[result.file] = result.problems
        if result.summary is not None:
            manifest.summaries[result.file] = result.summary
        for name, digest in result.written.items():
            template, fmt = next((t, f) for n, t, f in job.outputs if n == name)
            manifest.record(name, template, fmt, digest,
                            _hash(job.member.inputs, fingerprint[template], fmt))
            report.rendered.append(name)
        if time.perf_counter() - manifest.saved > MANIFEST_INTERVAL:
            manifest.write(out / MANIFEST)
        if progress:
            progress(result.file, done, total)
    _render_digest(series, out, manifest, report, template_dirs, theme)
    manifest.forget_except({m.source.name for m in series.members})
    manifest.write(out / MANIFEST)
    return report


def _execute(work: list[_Job], executor: Executor | None) -> Iterator[_Result]:
    if executor is None:
        yield from (_run_job(job) for job in work)
        return
    futures: list[Future[_Result]] = [executor.submit(_run_job, job) for job in work]
    for future in as_completed(futures):
        yield future.result()


def _render_digest(series: Series, out: Path, manifest: Manifest, report: SeriesReport,
                   template_dirs: Sequence[str | Path], theme: str | Path | None) -> None:
    from .digest import build_digest
    from .rendering import render_tree

    summaries = [manifest.summaries[m.source.name] for m in series.members
                 if m.source.name in manifest.summaries]
    inputs_base = _hash(json.dumps([series.title, summaries], sort_keys=True),
                        _templates_fingerprint((DIGEST_TEMPLATE,), template_dirs,
                                               theme)[DIGEST_TEMPLATE])
    document = None
    for fmt in series.formats:
        name = f"{series.id}.{DIGEST_TEMPLATE}.{fmt}"
        inputs = _hash(inputs_base, fmt)
        if manifest.is_current(out, name, inputs):
            report.unchanged.append(name)
            continue
        if document is None:
            document = build_digest(series.title, summaries, template_dirs=template_dirs)
        data = render_tree(document, fmt, theme=theme)
        write_atomic(out / name, data, durable=False)
        manifest.record(name, DIGEST_TEMPLATE, fmt, hashlib.sha256(data).hexdigest(), inputs)
        report.rendered.append(name)


def _templates_fingerprint(templates: Sequence[str], template_dirs: Sequence[str | Path],
                           theme: str | Path | None) -> dict[str, str]:
    from .templating import template_files
    from .themes import load_theme

    theme_file = Path(load_theme(theme).source)
    base = _hash(VERSION, hashlib.sha256(theme_file.read_bytes()).hexdigest())
    prints = {}
    for template in templates:
        digest = hashlib.sha256(base.encode())
        for file in template_files(template, [Path(d) for d in template_dirs]):
            digest.update(file.read_bytes())
        prints[template] = digest.hexdigest()
    return prints


def _hash(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


# ---------------------------------------------------------------- the manifest


@dataclass
class Manifest:
    """``manifest.json``: every output with its hash and its inputs' digest."""

    outputs: dict[str, dict[str, str]] = field(default_factory=dict)
    summaries: dict[str, dict[str, Any]] = field(default_factory=dict)
    saved: float = 0.0

    @classmethod
    def read(cls, path: Path) -> Manifest:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            outputs = {entry["path"]: entry for entry in data["outputs"]}
            return cls(outputs=outputs, summaries=data.get("meetings", {}))
        except (OSError, ValueError, KeyError, TypeError):
            return cls()

    def is_current(self, out: Path, name: str, inputs: str) -> bool:
        entry = self.outputs.get(name)
        if entry is None or entry.get("inputs") != inputs:
            return False
        try:
            return hashlib.sha256((out / name).read_bytes()).hexdigest() == entry["sha256"]
        except OSError:
            return False

    def record(self, name: str, template: str, fmt: str, sha256: str, inputs: str) -> None:
        self.outputs[name] = {"path": name, "template": template, "format": fmt,
                              "sha256": sha256, "inputs": inputs}

    def forget_except(self, members: set[str]) -> None:
        self.summaries = {k: v for k, v in self.summaries.items() if k in members}

    def write(self, path: Path) -> None:
        data = {"format": "readout-manifest/1", "version": VERSION,
                "outputs": [self.outputs[k] for k in sorted(self.outputs)],
                "meetings": dict(sorted(self.summaries.items()))}
        text = json.dumps(data, indent=1, ensure_ascii=False) + "\n"
        write_atomic(path, text.encode("utf-8"), durable=False)
        self.saved = time.perf_counter()


__all__ = ["Manifest", "Series", "SeriesReport", "check_any", "load_series", "render_series"]
