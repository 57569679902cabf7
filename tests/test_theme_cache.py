"""The default-theme cache: the theme it gives back is the theme validation makes, an
entry whose files changed is validated again, and a damaged or planted entry is
validated over, never run."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from readout import theme_cache, themes
from readout.cache_folder import CACHE_VARIABLE

DEFAULT = themes.BUILTIN_THEMES / "default.yaml"


def _validated() -> themes.Theme:
    return themes._validated_default(DEFAULT)


def _entry(cache: Path) -> Path:
    (entry,) = cache.glob("themes-*/*.pickle")
    return entry


def test_the_cached_default_theme_is_the_validated_one(cache: Path) -> None:
    calls: list[int] = []

    def load() -> themes.Theme:
        calls.append(1)
        return _validated()

    first = theme_cache.cached_theme(DEFAULT, load)
    again = theme_cache.cached_theme(DEFAULT, load)
    assert calls == [1]  # the second came from the cache
    assert again == first == _validated() == themes.default_theme()
    assert again is not first


def test_an_entry_whose_files_changed_is_validated_again(cache: Path) -> None:
    theme_cache.cached_theme(DEFAULT, _validated)
    entry = _entry(cache)
    stamps, theme = pickle.loads(entry.read_bytes())
    moved = (*stamps[:-1], (1, 1))  # a file that has changed since
    entry.write_bytes(pickle.dumps((moved, theme)))
    calls: list[int] = []
    theme_cache.cached_theme(DEFAULT, lambda: calls.append(1) or _validated())
    assert calls == [1]
    assert pickle.loads(entry.read_bytes())[0] == stamps  # rewritten


class _Planted:
    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, ("echo planted code ran",))


@pytest.mark.parametrize("content", [b"damaged", pickle.dumps(((), _Planted())),
                                     pickle.dumps(("not", "a theme"))],
                         ids=["damaged", "planted", "not-a-theme"])
def test_an_entry_that_is_not_theme_data_is_validated_over(
        cache: Path, content: bytes, capfd: pytest.CaptureFixture[str]) -> None:
    theme_cache.cached_theme(DEFAULT, _validated)
    entry = _entry(cache)
    entry.write_bytes(content)
    assert theme_cache.cached_theme(DEFAULT, _validated) == _validated()
    assert "planted" not in capfd.readouterr().out
    assert entry.read_bytes() != content


def test_the_cache_off_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_VARIABLE, "")
    assert theme_cache.cached_theme(DEFAULT, _validated) == _validated()
    assert not list(tmp_path.iterdir())
