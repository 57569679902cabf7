"""The character-map cache: codes read back are the codes the font has, a font edited in
place is read again, and an entry that is damaged or not of the kept shape is read over."""

from __future__ import annotations

import marshal
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from readout import cmap_cache, fontchain
from readout.cache_folder import CACHE_VARIABLE
from readout.themes import FONT_DIR

FONTS = sorted(str(path) for path in Path(FONT_DIR).glob("*.ttf"))


def _entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("cmaps-*/*.marshal"))


@pytest.mark.parametrize("path", FONTS, ids=lambda p: Path(p).name)
def test_codes_from_the_cache_are_the_codes_read(cache: Path, path: str) -> None:
    read = fontchain._read_codes(path)
    assert cmap_cache.cached_codes(path, lambda: read) == read  # read, and kept
    assert len(_entries(cache)) == 1
    assert cmap_cache.cached_codes(path, lambda: pytest.fail("read again")) == read


def test_a_font_edited_in_place_is_read_again(cache: Path, tmp_path: Path) -> None:
    copy = tmp_path / "font.ttf"
    copy.write_bytes(Path(FONTS[0]).read_bytes())
    cmap_cache.cached_codes(str(copy), lambda: frozenset({65}))
    os.utime(copy, ns=(1, 1))
    assert cmap_cache.cached_codes(str(copy), lambda: frozenset({66})) == {66}
    assert cmap_cache.cached_codes(str(copy), lambda: pytest.fail("read again")) == {66}


_PLANTED: dict[str, Callable[[str, object], bytes]] = {
    "damaged": lambda where, stamps: b"damaged",
    "not-a-tuple": lambda where, stamps: marshal.dumps(["a list"]),
    "another-file": lambda where, stamps: marshal.dumps(("/elsewhere.ttf", stamps, b"")),
    "other-stamps": lambda where, stamps: marshal.dumps((where, ((1, 2),), b"")),
    "not-bytes": lambda where, stamps: marshal.dumps((where, stamps, "not bytes")),
    "cut-short": lambda where, stamps: marshal.dumps((where, stamps, b"abc")),
}


@pytest.mark.parametrize("kind", _PLANTED)
def test_an_entry_that_is_not_the_codes_is_read_over(cache: Path, kind: str) -> None:
    path = FONTS[0]
    real = fontchain._read_codes(path)
    cmap_cache.cached_codes(path, lambda: real)
    (entry,) = _entries(cache)
    where, stamps, _ = marshal.loads(entry.read_bytes())
    content = _PLANTED[kind](where, stamps)
    entry.write_bytes(content)
    assert cmap_cache.cached_codes(path, lambda: real) == real
    assert entry.read_bytes() != content  # rewritten whole
    assert cmap_cache.cached_codes(path, lambda: pytest.fail("read again")) == real


def test_the_cache_off_reads_and_writes_nothing(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_VARIABLE, "")
    assert cmap_cache.cached_codes(FONTS[0], lambda: frozenset({65})) == {65}
    assert not list(tmp_path.iterdir())
