"""Meeting series: a series file, its members, and the defaults merged under them.

A series file (``readout-series/1``) lists member readouts (files or globs, relative to
it and inside its folder) and ``defaults`` that are deep-merged under each of them: the
member wins, lists replace. A folder of ``*.yaml`` readouts is a series too. A member's
problems are located in the member's file, or in the series file for what came from the
defaults. The series' classification scheme is the caller's (``--scheme``), else the
one its defaults name, else the default: its digest compares markings in that scheme,
so a member naming another scheme is refused. Rendering a series is
`batch.render_series`.
"""

from __future__ import annotations

import copy
import glob
import hashlib
import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .api import Scheme, default_id
from .classification import DEFAULT_SCHEME, SCHEMES, ClassificationScheme
from .errors import Problem, ReadoutError, ValidationError
from .loading import Path_, PositionIndex, Source, parse, read_text
from .model import DigestSettings
from .names import FORMATS, TEMPLATES
from .scheme_schema import load_scheme_file, reference_fingerprint, scheme_from
from .series_schema import default_logo, default_scheme, validate_settings
from .template_folders import renders


@dataclass(frozen=True)
class Member:
    """One member readout with the series defaults merged in, ready to validate."""

    source: Source
    output_id: str
    inputs: str


@dataclass(frozen=True)
class Series:
    """A series: its member files in order, what every member takes from the series
    (``defaults``, located in ``source``; ``settings`` is their digest), what to render,
    and load problems. `load_series` also reads ``members``; `open_series` leaves that
    to whoever renders them (`read_member`, in a batch's workers)."""

    path: Path
    id: str
    title: str
    members: tuple[Member, ...]
    templates: tuple[str, ...]
    formats: tuple[str, ...]
    failures: tuple[tuple[str, tuple[Problem, ...]], ...] = ()
    scheme: ClassificationScheme = DEFAULT_SCHEME
    chosen: ClassificationScheme | None = None  # the caller's, which wins over the members'
    digest: DigestSettings = field(default_factory=DigestSettings)
    files: tuple[Path, ...] = ()
    defaults: dict[str, Any] = field(default_factory=dict, compare=False)
    source: Source | None = field(default=None, compare=False)  # the series file's
    settings: str = ""

    @property
    def folder(self) -> Path:
        return self.path if self.path.is_dir() else self.path.parent


def load_series(path: str | Path, *, templates: Sequence[str] = (),
                formats: Sequence[str] = (), scheme: Scheme = None,
                template_dirs: Sequence[str | Path] = ()) -> Series:
    """Load a series file, or a folder whose ``*.yaml`` readouts form a series, with
    every member read (see `open_series`)."""
    series = open_series(path, templates=templates, formats=formats, scheme=scheme,
                         template_dirs=template_dirs)
    members, failures = _assemble(series)
    return replace(series, members=members, failures=(*series.failures, *failures))


def open_series(path: str | Path, *, templates: Sequence[str] = (),
                formats: Sequence[str] = (), scheme: Scheme = None,
                template_dirs: Sequence[str | Path] = ()) -> Series:
    """A series file, or a folder whose ``*.yaml`` readouts form a series, with its
    member files found but not read.

    ``scheme``, when given, is every member's classification scheme (it wins over theirs).
    A template the series file names must be one of the readout templates (built in, or
    in ``template_dirs``).
    """
    folder_or_file = Path(path)
    chosen = scheme_from(scheme)
    if folder_or_file.is_dir():
        return _folder_series(folder_or_file, templates, formats, chosen)
    text, name = read_text(folder_or_file)
    if _READOUT_LINE.search(text) and not _SERIES_LINE.search(text):
        raise ValidationError([Problem(name, 0, 0, "", not_a_series(name))])
    source = parse(text, name, folder=folder_or_file.parent)
    settings = validate_settings(source)
    _check_templates((settings.get("render") or {}).get("templates") or [], source,
                     template_dirs)
    patterns = settings["readouts"]
    files, missing = _expand(folder_or_file.parent, patterns, source, folder_or_file)
    defaults = _resolve_defaults(settings.get("defaults") or {}, folder_or_file.parent, source)
    render = settings.get("render") or {}
    series = _series(folder_or_file, settings["title"], files, defaults, source,
                     tuple(templates or render.get("templates") or TEMPLATES),
                     tuple(formats or render.get("formats") or FORMATS), missing, chosen)
    return replace(series, digest=_digest_settings(settings["digest"], series.scheme, source))


def _digest_settings(settings: DigestSettings, scheme: ClassificationScheme,
                     source: Source) -> DigestSettings:
    """The series' digest settings, their ``marking`` a level of the series' scheme."""
    if settings.marking is None:
        return settings
    marking = scheme.canonical(settings.marking)
    if marking is None:
        line, column = source.positions.locate(("digest", "marking"))
        raise ValidationError([Problem(
            source.name, line, column, "digest.marking",
            f"{settings.marking!r} is not a classification marking of the series' "
            f"'{scheme.name}' scheme; choose one of: {', '.join(scheme.levels)}.")])
    return replace(settings, marking=marking)


def _check_templates(names: Sequence[str], source: Source,
                     template_dirs: Sequence[str | Path]) -> None:
    """Every template of a series file's ``render`` is known, or one located error each."""
    if all(renders(name, template_dirs) == "readout" for name in names):
        return  # known without compiling any (a batch's re-run compiles none)
    from .templating import unknown_template

    problems = []
    for index, name in enumerate(names):
        message = unknown_template(name, template_dirs)
        if message is not None:
            line, column = source.positions.locate(("render", "templates", index))
            problems.append(Problem(source.name, line, column, f"render.templates.{index}",
                                    message))
    if problems:
        raise ValidationError(problems)


def _folder_series(folder: Path, templates: Sequence[str], formats: Sequence[str],
                   chosen: ClassificationScheme | None) -> Series:
    found = [p for p in sorted(folder.glob("*.yaml")) if not _is_series_file(p)]
    if not found:
        raise ValidationError([Problem(str(folder), 0, 0, "",
                                       "This folder holds no readout files (*.yaml).")])
    root = folder.resolve()
    files = [p for p in found if _inside(p, root)]
    message = ("This file leads outside the series folder (through a link); copy it "
               "into the folder instead.")
    outside: list[tuple[str, tuple[Problem, ...]]] = [
        (str(p), (Problem(str(p), 0, 0, "", message),)) for p in found if not _inside(p, root)]
    return _series(folder, folder.name, files, {}, None,
                   tuple(templates or TEMPLATES), tuple(formats or FORMATS), outside, chosen)


class _Resolver:
    """``path.resolve()``, each folder resolved once: a file that is no link lies where
    its folder does (a thousand members of one folder: one folder to resolve, not a
    thousand paths)."""

    def __init__(self) -> None:
        self.folders: dict[Path, Path] = {}
        self.files: dict[Path, Path] = {}

    def __call__(self, path: Path) -> Path:
        found = self.files.get(path)
        if found is None:
            if path.is_symlink():
                found = path.resolve()
            else:
                parent = self.folders.get(path.parent)
                if parent is None:
                    parent = self.folders[path.parent] = path.parent.resolve()
                found = parent / path.name
            self.files[path] = found
        return found


def _inside(path: Path, root: Path) -> bool:
    """Whether ``path``, links followed, lies inside the folder ``root``."""
    return path.resolve().is_relative_to(root)


_SERIES_LINE = re.compile(
    r"""^(format|"format")\s*:\s*["']?readout-series/1["']?\s*,?\s*(\#.*)?$""", re.MULTILINE)
_WILDCARD = re.compile(r"[*?\[]")
_READOUT_LINE = re.compile(
    r"""^(format|"format")\s*:\s*["']?readout/1["']?\s*,?\s*(\#.*)?$""", re.MULTILINE)


def not_a_series(name: str) -> str:
    """What to say when a readout is given where a series is expected."""
    return (f"This is a readout, not a series; render it with 'readout render {name}', "
            "or list it under 'readouts:' in a series file.")


def is_readout_file(path: str | Path) -> bool:
    """Whether ``path`` is a file that declares ``format: readout/1`` at its top level."""
    file = Path(path)
    if not file.is_file():
        return False
    try:
        text = file.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return bool(_READOUT_LINE.search(text)) and not _SERIES_LINE.search(text)


_SCHEME_LINE = re.compile(
    r"""^(format|"format")\s*:\s*["']?readout-scheme/1["']?\s*,?\s*(\#.*)?$""", re.MULTILINE)
_FORMAT_LINE = re.compile(r"""^(format|"format")\s*:""", re.MULTILINE)
_LEVELS_LINE = re.compile(r"""^(levels|"levels")\s*:""", re.MULTILINE)


def _is_scheme_file(path: Path) -> bool:
    """Whether ``path`` is a classification scheme file: it declares ``format:
    readout-scheme/1``, or has no format line but top-level ``levels``."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    if _SCHEME_LINE.search(text):
        return True
    return not _FORMAT_LINE.search(text) and bool(_LEVELS_LINE.search(text))


def _is_series_file(path: Path) -> bool:
    """Whether ``path`` declares ``format: readout-series/1`` at its top level (YAML
    block style or JSON); a readout that merely mentions the format does not."""
    try:
        data = path.read_bytes()
    except OSError:
        return False
    return (b"readout-series/1" in data
            and _SERIES_LINE.search(data.decode("utf-8", errors="replace")) is not None)


def _expand(folder: Path, patterns: list[str], source: Source, itself: Path
            ) -> tuple[list[Path], list[tuple[str, tuple[Problem, ...]]]]:
    """The member files the patterns name, in order; the series file itself is never
    one, and a pattern with wildcards leaves out every other series file too."""
    inside = str(folder.resolve()) + os.sep  # what a resolved path inside starts with
    own = itself.resolve()
    files: list[Path] = []
    missing: list[tuple[str, tuple[Problem, ...]]] = []
    seen: set[Path] = set()
    resolve = _Resolver()
    for index, pattern in enumerate(patterns):
        line, column = source.positions.locate(("readouts", index))
        wildcard = _WILDCARD.search(pattern) is not None
        # Only the pattern is a pattern: a folder named "br[1]" is taken as written.
        found = [(folder / name, name) for name in sorted(glob.glob(pattern, root_dir=folder))]
        found = [(m, name) for m, name in found if m.is_file() and resolve(m) != own
                 and not (wildcard and _is_series_file(m))]
        for outside, name in found:
            if not str(resolve(outside)).startswith(inside):
                missing.append((str(outside), (Problem(
                    source.name, line, column, f"readouts.{index}",
                    f"{Path(name).as_posix()!r} leads outside the series folder (through a "
                    "link); copy the file into the folder instead."),)))
        matches = [m for m, _ in found if str(resolve(m)).startswith(inside)]
        if not matches and not any(m for m in missing if m[1][0].path == f"readouts.{index}"):
            missing.append((pattern, (Problem(source.name, line, column, f"readouts.{index}",
                                              f"No readout file matches {pattern!r}."),)))
        for match in matches:
            if match not in seen:
                seen.add(match)
                files.append(match)
    return files, missing


def _series(path: Path, title: str, files: list[Path], defaults: dict[str, Any],
            series_source: Source | None, templates: tuple[str, ...],
            formats: tuple[str, ...], missing: list[tuple[str, tuple[Problem, ...]]],
            chosen: ClassificationScheme | None = None) -> Series:
    series_id = default_id(path.name if path.is_dir() else path.stem).removesuffix(".series")
    settings = _inputs_digest([defaults, repr(chosen) if chosen else None])
    return Series(path=path, id=series_id, title=title, members=(), templates=templates,
                  formats=formats, failures=tuple(missing),
                  scheme=chosen or _named(defaults.get("classification_scheme")),
                  chosen=chosen, files=tuple(files), defaults=defaults,
                  source=series_source, settings=settings)


def _assemble(series: Series) -> tuple[tuple[Member, ...],
                                       tuple[tuple[str, tuple[Problem, ...]], ...]]:
    """Every member of ``series`` read, in order, and the problems of those that cannot
    be (a second readout with an id already taken is one)."""
    members: list[Member] = []
    failures: list[tuple[str, tuple[Problem, ...]]] = []
    taken: dict[str, str] = {}
    for file in series.files:
        try:
            member = read_member(series, file)
        except ReadoutError as exc:
            failures.append((str(file), exc.problems))
            continue
        if member.output_id in taken:
            failures.append((str(file), (duplicate(file, member.output_id,
                                                   taken[member.output_id]),)))
            continue
        taken[member.output_id] = str(file)
        members.append(member)
    return tuple(members), tuple(failures)


def duplicate(file: Path, output_id: str, owner: str) -> Problem:
    """The problem of a member whose id an earlier member (``owner``) has."""
    return Problem(str(file), 0, 0, "id", f"The id {output_id!r} is already used by "
                   f"{owner}; give each readout its own id.")


def read_member(series: Series, file: Path) -> Member:
    """The member ``file`` of ``series``, its defaults merged in (not yet validated)."""
    return _member(file, series.defaults, series.source, series.chosen)


def _resolve_defaults(defaults: dict[str, Any], folder: Path,
                      source: Source) -> dict[str, Any]:
    """Files named in the defaults (a logo, a scheme file) are relative to the series
    file, not to the member: resolve them here."""
    resolved = copy.deepcopy(defaults)
    issuer = resolved.get("issuer")
    if isinstance(issuer, dict) and isinstance(issuer.get("logo"), str):
        issuer["logo"] = default_logo(issuer["logo"], folder, source)
    if isinstance(resolved.get("classification_scheme"), str):
        resolved["classification_scheme"] = default_scheme(
            resolved["classification_scheme"], folder, source)
    return resolved


def _named(value: Any) -> ClassificationScheme:
    """The scheme a series' defaults name (a built-in name or a resolved file)."""
    if isinstance(value, Path):
        return load_scheme_file(value)
    return SCHEMES.get(value, DEFAULT_SCHEME) if isinstance(value, str) else DEFAULT_SCHEME


def _member(file: Path, defaults: dict[str, Any], series_source: Source | None,
            chosen: ClassificationScheme | None = None) -> Member:
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
    own = source.data.get("classification_scheme") if isinstance(source.data, dict) else None
    scheme = repr(chosen) if chosen else reference_fingerprint(own, file.parent)
    return Member(source=source, output_id=output_id,
                  inputs=_inputs_digest([source.data, scheme]))


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


def check_any(path: str, *, scheme: Scheme = None, templates: Sequence[str] = (),
              template_dirs: Sequence[str | Path] = ()) -> list[Problem]:
    """Validate a readout, a series file (every member), a theme or a classification
    scheme file (``format: readout-scheme/1``); return problems.

    ``scheme``, when given, is the classification scheme of every readout checked;
    ``template_dirs``, the user's templates a series file (or ``templates``) may name;
    ``templates`` adds the warnings of those templates' limits (see `api.check`).
    """
    from .api import check, template_warnings
    from .themes import is_theme_file, load_theme

    if path != "-" and Path(path).is_file() and is_theme_file(Path(path)):
        load_theme(path)
        return []
    if path != "-" and Path(path).is_file() and _is_scheme_file(Path(path)):
        load_scheme_file(Path(path))
        return []
    if path != "-" and Path(path).is_file() and _is_series_file(Path(path)):
        series = load_series(path, scheme=scheme, template_dirs=template_dirs)
        problems = [p for _, found in series.failures for p in found]
        checked = [(member, *validate_member(member, series.chosen, series.scheme))
                   for member in series.members]
        for member, doc, found in checked:
            problems.extend(found)
            if doc is not None:
                problems.extend(template_warnings(doc, member.source, templates,
                                                  template_dirs))
        problems.extend(_unknown_previous([(m, doc) for m, doc, _ in checked]))
        return problems
    return check(path, scheme=scheme, templates=templates, template_dirs=template_dirs)[1]


def _unknown_previous(members: list[tuple[Member, Any]]) -> list[Problem]:
    """A warning for each member whose ``previous`` names no member of the series."""
    ids = {doc.id for _, doc in members if doc is not None}
    problems = []
    for member, doc in members:
        if doc is None or not doc.previous or doc.previous in ids:
            continue
        path: Path_ = ("previous",)
        line, column = member.source.positions.locate(path)
        file = member.source.positions.file_of(path, member.source.name)
        problems.append(Problem(file, line, column, "previous",
                                f"'previous' names {doc.previous!r}, which is no member of "
                                "this series; give the id of a meeting the series lists.",
                                "warning"))
    return problems


def validate_member(member: Member, chosen: ClassificationScheme | None = None,
                    expected: ClassificationScheme | None = None
                    ) -> tuple[Any, list[Problem]]:
    """The member's readout and warnings, or ``None`` and its problems. ``chosen`` is
    the caller's scheme (it wins); ``expected``, the series' scheme, which the member's
    must be."""
    from .api import validated

    try:
        doc, problems = validated(member.source, chosen)
    except ReadoutError as exc:
        return None, list(exc.problems)
    if expected is not None and doc.scheme != expected:
        where = ("classification_scheme",)
        line, column = member.source.positions.locate(where)
        file = member.source.positions.file_of(where, member.source.name)
        return None, [Problem(file, line, column, "classification_scheme",
                              f"This readout uses the {doc.scheme.name!r} classification "
                              f"scheme, but its series uses {expected.name!r}; a digest "
                              "cannot compare markings of two schemes. Name the scheme in "
                              "the series' defaults instead, or remove it here.")]
    return doc, problems


__all__ = ["Member", "Series", "check_any", "load_series", "open_series", "read_member",
           "validate_member"]
