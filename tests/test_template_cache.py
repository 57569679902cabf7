"""The compiled-template cache: built-in templates compiled once across processes, and
not a byte of any document changed by it."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import jinja2
import pytest

import readout
from readout import templating
from readout.template_cache import CACHE_VARIABLE
from readout.templating import readout_templates

from .conftest import SEED

FORMATS = ("pdf", "docx")


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Each call of ``env.compile`` (a template compiled, not loaded), by name; the
    process's environments dropped before and after, as in a new process."""
    compiled: list[str] = []
    real = jinja2.Environment.compile

    def counting(self: jinja2.Environment, source: str, name: str | None = None,
                 filename: str | None = None, *args: object, **kwargs: object) -> object:
        compiled.append(str(name))
        return real(self, source, name, filename, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    templating._environment.cache_clear()
    templating._template.cache_clear()
    yield compiled
    templating._environment.cache_clear()
    templating._template.cache_clear()


def _documents(doc: readout.Readout, folders: tuple[Path, ...] = ()) -> dict[str, bytes]:
    return {f"{name}.{fmt}": readout.render(doc, name, fmt, template_dirs=folders)
            for name in readout_templates(folders) for fmt in FORMATS}


def _new_process() -> None:
    templating._environment.cache_clear()
    templating._template.cache_clear()


def test_templates_compile_once_and_the_cache_changes_no_byte(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh: list[str]) -> None:
    doc = readout.load(SEED)
    monkeypatch.setenv(CACHE_VARIABLE, "")  # off: what every process did before
    uncached = _documents(doc)
    assert fresh, "nothing compiled"
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path / "cache"))
    _new_process()
    fresh.clear()
    first = _documents(doc)
    assert fresh  # an empty cache: compiled, and kept
    kept = sorted(p.name for p in (tmp_path / "cache").rglob("*.cache"))
    assert len(kept) == len(set(fresh))
    _new_process()
    fresh.clear()
    again = _documents(doc)
    assert fresh == []  # every template's code loaded from the cache
    assert first == uncached and again == uncached
    folder = next((tmp_path / "cache").iterdir())
    assert folder.stat().st_mode & 0o777 == 0o700


def test_a_damaged_entry_compiles_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        fresh: list[str]) -> None:
    doc = readout.load(SEED)
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path / "cache"))
    first = _documents(doc)
    for entry in (tmp_path / "cache").rglob("*.cache"):
        entry.write_bytes(b"j2" + b"\x00" * 40)
    _new_process()
    fresh.clear()
    assert _documents(doc) == first
    assert fresh


def test_a_users_templates_are_not_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        fresh: list[str]) -> None:
    mine = tmp_path / "templates"
    shutil.copytree(templating.builtin_dir() / "press-release", mine / "my-release")
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path / "cache"))
    readout.render(readout.load(SEED), "my-release", "pdf", template_dirs=(mine,))
    kept = list((tmp_path / "cache").rglob("*.cache"))
    assert kept and all("my-release" not in p.read_bytes().decode("latin-1") for p in kept)
    assert "my-release/document.xml.j2" in fresh


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_cache_folder_others_can_write_is_not_used(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh: list[str]) -> None:
    doc = readout.load(SEED)
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path / "cache"))
    first = _documents(doc)
    for folder in (tmp_path / "cache").iterdir():
        folder.chmod(0o777)
    _new_process()
    fresh.clear()
    assert _documents(doc) == first
    assert fresh  # not loaded from a folder anyone could have put code in


def test_code_compiled_for_other_filters_is_not_loaded(tmp_path: Path) -> None:
    """The compiled code calls a filter that takes the context with it: code compiled
    while a filter took none (an older readout of the same version, in a checkout) is
    never loaded for one whose filter does."""
    from readout.template_cache import BuiltinTemplateCache

    plain, with_context = jinja2.Environment(), jinja2.Environment()
    plain.filters["f"] = lambda value: value
    with_context.filters["f"] = jinja2.pass_context(lambda context, value: value)
    keys = []
    for env in (plain, with_context):
        cache = BuiltinTemplateCache(str(tmp_path), tmp_path)
        cache.for_environment(env)
        keys.append(cache.get_cache_key("x/document.xml.j2", str(tmp_path / "x")))
    assert keys[0] != keys[1]
