"""The Babel locale-data cache: a locale's data from it is the data Babel merges, every
date and plural readout formats with it is the same, and a damaged or planted entry is
loaded over, never run."""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from babel import localedata

from readout import locale_cache, localise
from readout.cache_folder import CACHE_VARIABLE

LANGUAGES = ("en", "en-IN", "en-GB", "ru", "hi", "ur", "zh", "fr", "ar")
DAYS = (date(2025, 6, 26), date(2025, 12, 31), date(2026, 1, 2), date(2024, 2, 29))


def _new_process() -> None:
    localedata.clear_caches()
    for cached in (localise._locale, localise.format_day, localise.format_short_days):
        cached.cache_clear()


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path / "cache"))
    _new_process()
    yield tmp_path / "cache"
    _new_process()


def _printed(language: str) -> list[str]:
    """What readout prints of dates and counts in ``language``."""
    out = []
    for day in DAYS:
        out += [localise.format_day(day, width, language) for width in ("long", "medium", "full")]
        out.append(localise.format_days(day, DAYS[0], language) if day > DAYS[0]
                   else localise.format_days(DAYS[0], date(2025, 6, 27), language))
        out.append(localise.format_short_days(day, date(2026, 3, 1), language))
        out.append(localise.format_short_days(day, None, language, year=False))
    out += [localise.plural_category(n, language) for n in (0, 1, 2, 5, 11, 21, 1.5)]
    return out


def _plain(value: Any) -> Any:
    """``value`` with Babel's objects as (class, attributes), for comparing."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(v) for v in value)
    if hasattr(value, "__dict__") or hasattr(value, "__slots__"):
        names = getattr(value, "__slots__", None) or vars(value)
        return (type(value).__qualname__,
                {n: _plain(getattr(value, n)) for n in names if hasattr(value, n)})
    return value


@pytest.mark.parametrize("language", LANGUAGES)
def test_dates_and_plurals_print_the_same_with_the_cache_cold_warm_and_off(
        cache: Path, monkeypatch: pytest.MonkeyPatch, language: str) -> None:
    cold = _printed(language)  # Babel loads, the entry is written
    assert list(cache.glob("babel-*/*.pickle"))
    _new_process()
    warm = _printed(language)  # from the entry
    _new_process()
    monkeypatch.setenv(CACHE_VARIABLE, "")
    off = _printed(language)
    assert cold == warm == off


@pytest.mark.parametrize("name", ["en_IN", "ru", "zh_Hans_CN", "ur"])
def test_a_locale_from_the_cache_is_the_data_babel_merges(cache: Path, name: str) -> None:
    locale_cache.warm(name)  # written
    _new_process()
    locale_cache.warm(name)  # read back, handed to Babel
    cached = localedata._cache[name]
    _new_process()
    assert _plain(cached) == _plain(localedata.load(name))


@pytest.mark.parametrize(("parent", "child"), [("en", "en_IN"), ("en", "en_GB"),
                                                ("zh", "zh_Hans_CN"), ("fr", "fr_CA")])
def test_a_locale_babel_loads_over_its_parent_from_the_cache_is_the_data_babel_merges(
        cache: Path, parent: str, child: str) -> None:
    # an English document rendered first, an Indian English one in a later process
    locale_cache.warm(parent)  # written
    _new_process()
    locale_cache.warm(parent)  # read back: Babel merges the child over its copy
    locale_cache.warm(child)  # not in the cache yet: Babel loads it
    merged = localedata._cache[child]
    assert localise.format_day(DAYS[0], "medium", child.replace("_", "-"))
    _new_process()
    assert _plain(dict(merged.items())) == _plain(localedata.load(child))


class _Planted:
    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, ("echo planted code ran",))


@pytest.mark.parametrize("content", [b"damaged", pickle.dumps(((), {"x": _Planted()})),
                                     pickle.dumps(["not", "locale data"])],
                         ids=["damaged", "planted", "not-locale-data"])
def test_an_entry_that_is_not_locale_data_is_loaded_over(
        cache: Path, content: bytes, capfd: pytest.CaptureFixture[str]) -> None:
    expected = _printed("ru")
    (entry,) = cache.glob("babel-*/ru.pickle")
    entry.write_bytes(content)
    _new_process()
    assert _printed("ru") == expected
    assert "planted" not in capfd.readouterr().out
    assert entry.read_bytes() != content


def test_a_section_that_cannot_be_unpacked_has_babel_load_the_locale(
        cache: Path, capfd: pytest.CaptureFixture[str]) -> None:
    expected = _printed("ru")
    (entry,) = cache.glob("babel-*/ru.pickle")
    stamps, sections = pickle.loads(entry.read_bytes())
    assert {"months", "days", "date_formats"} <= sections.keys()
    planted = dict(sections, months=locale_cache._Packed(pickle.dumps(_Planted())),
                   days=locale_cache._Packed(b"damaged"))
    entry.write_bytes(pickle.dumps((stamps, planted)))
    _new_process()
    assert _printed("ru") == expected
    assert "planted" not in capfd.readouterr().out
    _new_process()
    locale_cache.warm("ru")  # the rewritten entry unpacks whole
    cached = localedata._cache["ru"]
    _new_process()
    assert _plain(dict(cached.items())) == _plain(localedata.load("ru"))


def test_only_the_sections_a_date_asks_for_are_unpacked(cache: Path) -> None:
    _printed("en-IN")
    _new_process()
    localise.format_day(DAYS[0], "long", "en-IN")
    sections = localedata._cache["en_IN"]
    packed = [key for key in sections if isinstance(dict.__getitem__(sections, key),
                                                    locale_cache._Packed)]
    assert len(packed) > len(sections) / 2
    assert "unit_patterns" in packed and "months" not in packed
