"""The compiled-pattern cache: patterns are the same with it cold, warm or off; a warm
cache parses nothing; every kept program is the one ``re`` makes; a damaged or planted
file is ignored and written again; a folder open to others is never read; a program's
own patterns are never kept. Each case runs in a fresh process, as a user's."""

from __future__ import annotations

import marshal
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from readout import pattern_cache
from readout.cache_folder import CACHE_VARIABLE
from readout.writers import FORMATS

from .conftest import opened_to_others

# Compiles the corpus below from a module readout owns, after importing dependencies
# that compile many patterns of their own; prints how many patterns were parsed after
# ``readout`` was imported, then what each corpus pattern is and does.
_PROBE = r"""
import re, sys
import readout
from re import _compiler, _parser
from readout import pattern_cache
parsed = []
real_parse = _parser.parse
def counting(*args, **kwargs):
    parsed.append(args[0])
    return real_parse(*args, **kwargs)
_parser.parse = counting
import reportlab.platypus, yaml, jinja2, readout.schema
CORPUS = [
    (r"(?P<year>\d{4})-(?P<month>\d\d)(?:-(?P<day>\d\d))?", 0),
    (r"[\u00a1-\uffff]+", re.IGNORECASE),
    (r"(?<=\s)caf\u00e9\b", re.IGNORECASE | re.UNICODE),
    (rb"^\x00[\x01-\x7f]*$", re.MULTILINE),
    (r"a.b", re.DOTALL | re.VERBOSE),
    (r"(a)|(?P<second>b)(c)?", 0),
]
owned = {"__name__": "readout._probe", "re": re, "CORPUS": CORPUS}
exec("made = [re.compile(p, f) for p, f in CORPUS]", owned)
print(len(parsed), _compiler.compile is pattern_cache.cached_compile)
for (source, flags), made in zip(CORPUS, owned["made"]):
    real = pattern_cache._real_compile(source, flags)
    sample = source[:6] if isinstance(source, str) else b"\x00ab"
    print(made == real, made.pattern == real.pattern, made.flags, made.groups,
          sorted(made.groupindex.items()), bool(made.search(sample)))
"""


def _probe(cache: str) -> tuple[int, bool, str]:
    env = dict(os.environ, **{CACHE_VARIABLE: cache})
    done = subprocess.run([sys.executable, "-c", _PROBE], env=env, capture_output=True,
                          text=True, check=True)
    head, described = done.stdout.split("\n", 1)
    count, installed = head.split()
    return int(count), installed == "True", described


def _entry(cache: Path) -> Path:
    (entry,) = cache.glob("patterns-*/patterns.marshal")
    return entry


def test_patterns_are_the_same_cold_warm_and_off_and_a_warm_cache_parses_nothing(
        tmp_path: Path) -> None:
    off_parsed, off_installed, off = _probe("")
    cold_parsed, cold_installed, cold = _probe(str(tmp_path))
    warm_parsed, warm_installed, warm = _probe(str(tmp_path))
    assert not off_installed and cold_installed and warm_installed
    assert off.count("True True") == 6  # each the same program as re's own
    assert warm == cold == off
    assert off_parsed == cold_parsed > 50  # reportlab, yaml, jinja2, marshmallow...
    assert warm_parsed == 0


def test_a_warm_command_adds_nothing_and_every_kept_program_is_the_one_re_makes(
        tmp_path: Path) -> None:
    """A pattern whose text changes from process to process (one built from a set) would
    have every command write the file again: those of the dependencies are deferred."""
    from tests.conftest import SAMPLES

    seed = SAMPLES / "2025-06-26-qingdao-in-ru.yaml"
    env = dict(os.environ, **{CACHE_VARIABLE: str(tmp_path)})
    render = [sys.executable, "-m", "readout", "render", str(seed), "-o", str(tmp_path / "out"),
              "-q", "-t", "press-release", "-t", "internal-brief"]
    for fmt in FORMATS:
        render += ["-f", fmt]
    subprocess.run(render, env=env, check=True)
    kept = _entry(tmp_path).read_bytes()
    for _ in range(2):
        subprocess.run(render, env=env, check=True)
        assert _entry(tmp_path).read_bytes() == kept
    held = marshal.loads(kept)
    assert len(held) > 100
    for (source, flags), entry in held.items():
        assert pattern_cache._from_entry(source, entry) == pattern_cache._real_compile(
            source, flags), source


def test_a_programs_own_patterns_are_never_kept(tmp_path: Path) -> None:
    env = dict(os.environ, **{CACHE_VARIABLE: str(tmp_path)})
    subprocess.run([sys.executable, "-c", "import readout, re, yaml\n"
                    "re.compile('a private (?P<pattern>of the program)+')"], env=env,
                   check=True)
    held = marshal.loads(_entry(tmp_path).read_bytes())
    assert held  # yaml's own
    assert not any("private" in str(source) for source, _ in held)


def test_with_caches_off_nothing_is_written(tmp_path: Path) -> None:
    env = dict(os.environ, **{CACHE_VARIABLE: ""}, HOME=str(tmp_path),
               XDG_CACHE_HOME=str(tmp_path / "xdg"))
    subprocess.run([sys.executable, "-c", "import readout, yaml"], env=env, check=True)
    assert list(tmp_path.rglob("patterns*")) == []


_KEY = (r"(?P<year>\d{4})-(?P<month>\d\d)(?:-(?P<day>\d\d))?", 0)
_ENTRY_SHAPES = [
    "a string",
    (0, [1, 2, 3], 0, {}),  # one part short
    (0, "not a list", 0, {}, ()),
    (0, [1, 2, 3], 0, {1: 1}, ()),  # a group named by a number
    (32, [999999, 7, 3, 1, 1, 1], 3, {"year": 1, "month": 2, "day": 3},
     (None, "year", "month", "day")),  # a program the engine rejects
    (32, [17, 4, 0, 1, 4294967295, 1], 3, {"year": 1, "month": 2, "day": 3},
     (None, "year", "month", "day")),  # an unfinished program
]


@pytest.mark.parametrize("planted", [
    b"not marshal data at all",
    marshal.dumps(["a list", "not a dict"]),
    b"",
    *(marshal.dumps({_KEY: shape}) for shape in _ENTRY_SHAPES),
])
def test_a_damaged_or_planted_file_is_ignored_and_written_again(tmp_path: Path,
                                                                planted: bytes) -> None:
    _, _, baseline = _probe("")
    _probe(str(tmp_path))
    entry = _entry(tmp_path)
    entry.write_bytes(planted)
    parsed, _, described = _probe(str(tmp_path))
    assert parsed > 0
    assert described == baseline
    held = marshal.loads(entry.read_bytes())
    assert type(held) is dict and len(held) > 50
    assert pattern_cache._from_entry(_KEY[0], held[_KEY]) == re.compile(*_KEY)
    assert _probe(str(tmp_path))[0] == 0


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="folder permissions are POSIX")
def test_a_folder_open_to_others_is_not_read(tmp_path: Path) -> None:
    _probe(str(tmp_path))
    (folder,) = tmp_path.glob("patterns-*")
    with opened_to_others(folder):
        assert _probe(str(tmp_path))[0] > 50  # parsed afresh, nothing read


def test_past_the_limit_the_file_keeps_only_what_the_process_used(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A dependency that builds a pattern from what a process holds would fill the file
    with patterns no other process asks for: past `LIMIT` they are dropped."""
    held = {(f"old{n}", 0): "entry" for n in range(5)}
    monkeypatch.setattr(pattern_cache, "_held", held)
    monkeypatch.setattr(pattern_cache, "_new", {("new", 0): "entry"})
    monkeypatch.setattr(pattern_cache, "_used", {("old1", 0)})
    assert pattern_cache._kept() == {**held, ("new", 0): "entry"}  # under the limit: all
    monkeypatch.setattr(pattern_cache, "LIMIT", 4)
    assert pattern_cache._kept() == {("old1", 0): "entry", ("new", 0): "entry"}


def _broken_code(*args: object, **kwargs: object) -> list[int]:
    return [0]


def _parse_refused(*args: object, **kwargs: object) -> object:
    raise TypeError("parse() takes another form in this Python")


@pytest.mark.parametrize("broken", [("_code", _broken_code), ("_parser", None)],
                         ids=["other-code", "no-parser"])
def test_a_python_whose_re_makes_patterns_otherwise_never_gets_the_cache(
        monkeypatch: pytest.MonkeyPatch, broken: tuple[str, object]) -> None:
    from re import _compiler  # type: ignore[attr-defined]

    assert pattern_cache._works()
    name, stand_in = broken
    if stand_in is None:
        monkeypatch.setattr(_compiler._parser, "parse", _parse_refused)
    else:
        monkeypatch.setattr(_compiler, name, stand_in)
    monkeypatch.setattr(_compiler, "compile", pattern_cache._real_compile)
    assert not pattern_cache._works()
    pattern_cache.install()
    assert _compiler.compile is pattern_cache._real_compile
