"""The dataclass code cache: readout's classes are the same with it cold, warm or off; a
warm cache compiles nothing; a damaged or planted file is ignored and written again; a
folder open to others is never read. Each case runs in a fresh process, as a user's."""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
from pathlib import Path

import pytest

from readout.cache_folder import CACHE_VARIABLE

from .conftest import opened_to_others

# What every dataclass of the modules below is made of, as a string to compare across
# processes, and how many of its sources were compiled in this process; "baseline":
# with `dataclasses` left alone (those modules are imported after ``readout`` itself).
_DESCRIBE = r"""
import __future__, builtins, dataclasses, importlib, sys
from types import CodeType

compiled = []
def counting(source):
    if isinstance(source, str) and source.startswith("def __create_fn__"):
        compiled.append(source)
real_compile, real_exec = builtins.compile, builtins.exec
FUTURES = 0
for feature in __future__.all_feature_names:
    FUTURES |= getattr(__future__, feature).compiler_flag
def compile_counted(source, filename, mode, flags=0, dont_inherit=False, *args, **kwargs):
    counting(source)
    if not dont_inherit:  # the caller's __future__ flags, as compile itself takes them
        flags |= sys._getframe(1).f_code.co_flags & FUTURES
    return real_compile(source, filename, mode, flags, dont_inherit, *args, **kwargs)
def exec_counted(source, *args):  # dataclasses' own module has no __future__ flags
    counting(source)
    return real_exec(source, *args)
builtins.compile, builtins.exec = compile_counted, exec_counted
if sys.argv[2] == "baseline":  # dataclasses as they are, no cache in the way
    import readout.dataclass_cache
    readout.dataclass_cache._cached_exec = builtins.exec

def code(c):
    return (c.co_code, c.co_flags, c.co_argcount, c.co_kwonlyargcount, c.co_names,
            c.co_varnames, c.co_freevars, c.co_cellvars, c.co_filename, c.co_qualname,
            tuple(code(k) if isinstance(k, CodeType) else repr(k) for k in c.co_consts))

lines = []
for name in sys.argv[1].split(","):
    module = importlib.import_module(name)
    for cls_name, cls in sorted(vars(module).items()):
        if isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ == name:
            for method in ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__",
                           "__delattr__"):
                fn = cls.__dict__.get(method)
                if hasattr(fn, "__code__"):
                    lines.append(repr((name, cls_name, method, code(fn.__code__),
                                       sorted(map(repr, fn.__annotations__.items())),
                                       fn.__defaults__, fn.__kwdefaults__, fn.__qualname__)))
print(len(compiled))
print("\n".join(lines))
"""

MODULES = "readout.model,readout.themes,readout.tree"


def _describe(cache: str, how: str = "cached") -> tuple[int, str]:
    env = dict(os.environ, **{CACHE_VARIABLE: cache})
    done = subprocess.run([sys.executable, "-c", _DESCRIBE, MODULES, how], env=env,
                          capture_output=True, text=True, check=True)
    compiled, described = done.stdout.split("\n", 1)
    return int(compiled), described


def _entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("dataclasses-*/*.marshal"))


def test_classes_are_the_same_cold_warm_and_off_and_a_warm_cache_compiles_nothing(
        tmp_path: Path) -> None:
    baseline_compiled, baseline = _describe("", "baseline")
    off_compiled, off = _describe("")
    cold_compiled, cold = _describe(str(tmp_path))
    warm_compiled, warm = _describe(str(tmp_path))
    assert baseline.count("\n") > 100  # the model, the theme and the tree: many classes
    assert warm == cold == off == baseline
    assert baseline_compiled == off_compiled == cold_compiled > 100
    assert warm_compiled == 0
    names = [entry.name for entry in _entries(tmp_path)]
    assert {"readout.model.marshal", "readout.themes.marshal", "readout.tree.marshal"} <= set(
        names)


def test_with_caches_off_nothing_is_written(tmp_path: Path) -> None:
    env = dict(os.environ, **{CACHE_VARIABLE: ""}, HOME=str(tmp_path),
               XDG_CACHE_HOME=str(tmp_path / "xdg"))
    subprocess.run([sys.executable, "-c", "import readout.model"], env=env, check=True)
    assert list(tmp_path.rglob("*.marshal")) == []


@pytest.mark.parametrize("planted", [
    b"not marshal data at all",
    marshal.dumps(["a list", "not a dict"]),
    marshal.dumps({"def __create_fn__(): pass": "a string, not code"}),
    marshal.dumps({1: compile("x = 1", "<string>", "exec")}),
    b"",
])
def test_a_damaged_or_planted_file_is_ignored_and_written_again(tmp_path: Path,
                                                                planted: bytes) -> None:
    _describe(str(tmp_path))
    entry = next(e for e in _entries(tmp_path) if e.name == "readout.model.marshal")
    entry.write_bytes(planted)
    compiled, described = _describe(str(tmp_path))
    assert compiled > 0
    assert described == _describe("", "baseline")[1]
    held = marshal.loads(entry.read_bytes())
    assert isinstance(held, dict) and held and all(isinstance(k, str) for k in held)
    assert _describe(str(tmp_path))[0] == 0


def test_code_for_another_source_is_never_run(tmp_path: Path) -> None:
    """An entry is found by its exact source: code kept for another source (a class as
    it was before an edit, or a planted one) is not used, and is dropped from the file."""
    _describe(str(tmp_path))
    entry = next(e for e in _entries(tmp_path) if e.name == "readout.model.marshal")
    held = marshal.loads(entry.read_bytes())
    stale = "def __create_fn__():\n def __init__(self): raise SystemExit(3)\n return __init__"
    held[stale] = compile(stale, "<string>", "exec")
    entry.write_bytes(marshal.dumps(held))
    assert _describe(str(tmp_path))[0] == 0
    assert stale not in marshal.loads(entry.read_bytes())


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="folder permissions are POSIX")
def test_a_folder_open_to_others_is_not_read(tmp_path: Path) -> None:
    _describe(str(tmp_path))
    (folder,) = tmp_path.glob("dataclasses-*")
    with opened_to_others(folder):
        assert _describe(str(tmp_path))[0] > 100  # compiled afresh, nothing read


def test_rendering_is_byte_identical_with_the_cache_cold_warm_and_off(tmp_path: Path) -> None:
    from tests.conftest import SAMPLES

    seed = SAMPLES / "2025-06-26-qingdao-in-ru.yaml"
    made = []
    for cache in ("", str(tmp_path / "cache"), str(tmp_path / "cache")):
        out = tmp_path / f"out{len(made)}"
        env = dict(os.environ, **{CACHE_VARIABLE: cache})
        subprocess.run([sys.executable, "-m", "readout", "render", str(seed), "-f", "pdf",
                        "-f", "docx", "-t", "press-release", "-o", str(out), "-q"], env=env,
                       check=True)
        made.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert len(made[0]) == 2
    assert made[0] == made[1] == made[2]



def test_unpickled_frozen_classes_are_their_originals_through_the_quick_setstate() -> None:
    """Every frozen, slotted dataclass of the theme unpickles through the
    `quicken_unpickling` setstate, to an object equal to its original, field by field."""
    import dataclasses
    import pickle

    from readout import themes

    theme = themes.load_theme(None)
    stock = dataclasses._dataclass_setstate  # type: ignore[attr-defined]
    slotted = [cls for cls in vars(themes).values() if isinstance(cls, type)
               and dataclasses.is_dataclass(cls) and "__slots__" in cls.__dict__]
    assert {themes.Style, themes.PageSetup, themes.FontFamily} <= set(slotted)
    for cls in slotted:
        assert cls.__dict__["__setstate__"] is not stock, cls
    again = pickle.loads(pickle.dumps(theme))
    assert again == theme and again is not theme
    for name, style in theme.styles.items():
        made = pickle.loads(pickle.dumps(style))
        assert [getattr(made, f.name) for f in dataclasses.fields(made)] == [
            getattr(style, f.name) for f in dataclasses.fields(style)], name
