"""Words, dates and quotation marks in the readout's language (SPEC section 6).

Every word a template prints itself ("PRESS RELEASE", "Page 1 of 3", "Participants")
is looked up in a message catalogue: a small YAML file per language, mapping the
English text a template writes to its translation::

    # templates/_messages/hi.yaml
    "PRESS RELEASE": "प्रेस विज्ञप्ति"
    "Page {page} of {count}": "पृष्ठ {page} / {count}"

Catalogues are read from ``_messages/<language>.yaml`` in each of the user's template
folders, then in the built-in ``templates/``; the first that has a message wins, and a
message no catalogue has prints in English. A tag is tried whole, then by its language
alone (``hi-IN``, then ``hi``). YAML rather than gettext: a press office edits it
without tools, a user's template folder adds one by dropping a file, and the English
text is the key, so a template reads as plain English.

A message that counts something is written with its English plural, gettext's way:
``_("{count} meeting", count=n, plural="{count} meetings")``. Its translation is then
one text per CLDR plural category the language uses (Babel's plural rules: Russian
has ``one``, ``few``, ``many`` and ``other``; Hindi ``one`` and ``other``)::

    "{count} meeting":
      one: "{count} встреча"      # 1, 21, 101
      few: "{count} встречи"      # 2-4, 22-24
      many: "{count} встреч"      # 5-20, 25-30
      other: "{count} встречи"    # fractions

Dates and times come from Babel (CLDR): "26 जून 2025", "26 июня 2025 г.". English
keeps the day-month-year style the product has always printed ("26 June 2025",
"26 Sep 2025", "Thursday, 26 June 2025") unless the tag names a region (``en-GB``,
``en-US``: CLDR's formats of that region). Time zones
print by their usual abbreviation where the language has one (IST, MSK, CEST), else as
"UTC+02:00". Quotation marks and apostrophes are `typography`'s.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .errors import TemplateError
from .loading import safe_load
from .package_data import package_folder

MESSAGES_FOLDER = "_messages"
PLACEHOLDER = re.compile(r"\{(\w+)\}")
PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")  # CLDR's
Message = str | dict[str, str]  # a text, or one text per plural category
# Zones by UTC offset, with their abbreviation and the languages that write it
# otherwise (Russian prints Moscow time as МСК).
_ZONES: dict[timedelta, tuple[str, dict[str, str]]] = {
    timedelta(0): ("UTC", {}),
    timedelta(hours=1): ("CET", {}),
    timedelta(hours=2): ("CEST", {}),
    timedelta(hours=3): ("MSK", {"ru": "МСК"}),
    timedelta(hours=3, minutes=30): ("IRST", {}),
    timedelta(hours=4, minutes=30): ("AFT", {}),
    timedelta(hours=5): ("PKT", {}),
    timedelta(hours=5, minutes=30): ("IST", {}),
    timedelta(hours=8): ("CST", {"zh": "北京时间"}),
    timedelta(hours=-4): ("EDT", {}),
    timedelta(hours=-5): ("EST", {}),
}
_PATTERNS_EN = {"long": "d MMMM y", "medium": "d MMM y", "full": "EEEE, d MMMM y"}


def primary(language: str) -> str:
    """``hi`` of ``hi-IN``; ``en`` for an empty tag."""
    return (language or "en").split("-")[0].split("_")[0].lower()


# -- catalogues ---------------------------------------------------------------------------------

def _builtin_folder() -> Path:
    return package_folder("readout.templates")


@lru_cache(maxsize=128)
def _read(path: str, mtime_ns: int) -> dict[str, Message]:
    try:
        data = safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise TemplateError.single(path, f"The message catalogue cannot be read: {exc}"
                                   ) from None
    if not isinstance(data, dict) or not all(
            isinstance(k, str) and _is_message(v) for k, v in data.items()):
        raise TemplateError.single(path, "A message catalogue maps each English text (in "
                                         "quotes) to its translation, one per line; a "
                                         "message that counts maps each plural category ("
                                         + ", ".join(PLURAL_CATEGORIES) + ") to its text.")
    return data


def _is_message(value: object) -> bool:
    if isinstance(value, str):
        return True
    return isinstance(value, dict) and "other" in value and all(
        key in PLURAL_CATEGORIES and isinstance(text, str) for key, text in value.items())


def _catalogue(folder: Path, tag: str) -> dict[str, Message]:
    path = folder / MESSAGES_FOLDER / f"{tag}.yaml"
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return {}
    return _read(str(path), stamp)


@lru_cache(maxsize=64)
def catalogue(language: str, folders: tuple[str, ...] = ()) -> dict[str, Message]:
    """Every message of ``language`` the catalogues of the user's template ``folders``
    and the built-in templates give (the user's first; for ``hi-IN``: ``hi-IN``, then
    ``hi``)."""
    merged: dict[str, Message] = {}
    tags = [language] if primary(language) == language.lower() else [language,
                                                                        primary(language)]
    for folder in (*map(Path, folders), _builtin_folder()):
        for tag in tags:
            for key, value in _catalogue(folder, tag).items():
                merged.setdefault(key, value)
    return merged


def translate(message: str, language: str, folders: Sequence[str] = (), *,
              plural: str | None = None, **values: str) -> str:
    """``message`` in ``language`` (English when no catalogue has it), its ``{name}``
    placeholders replaced by ``values``. With a ``count`` among the values, the form
    its plural category takes: the catalogue's text for that category, or in English
    ``message`` for one and ``plural`` otherwise."""
    text = lookup(message, language, folders, plural=plural, count=values.get("count"))
    if not values:
        return text
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def lookup(message: str, language: str, folders: Sequence[str] = (), *,
           plural: str | None = None, count: object = None) -> str:
    """The text of ``message`` in ``language`` for ``count`` things (placeholders left)."""
    found = catalogue(language, tuple(folders)).get(message)
    if isinstance(found, str):
        return found
    if isinstance(found, dict):
        return found.get(plural_category(count, language)) or found["other"]
    if plural is not None and plural_category(count, "en") != "one":
        return plural
    return message


def plural_category(count: object, language: str) -> str:
    """CLDR's plural category of ``count`` in ``language`` (``one``, ``few``, ``many``,
    ``other``...); ``other`` for what is not a number."""
    try:
        number = float(str(count).replace(",", "").strip())
    except ValueError:
        return "other"
    value: int | float = int(number) if number.is_integer() else number
    return str(_locale(language).plural_form(value))


# -- dates, times, zones ----------------------------------------------------------------------

@lru_cache(maxsize=32)
def _locale(language: str) -> Any:
    """Babel's locale for ``language``, its data merged once across processes
    (`locale_cache`)."""
    from .locale_cache import warm

    locale = _parsed(language)
    warm(str(locale))
    return locale


def _parsed(language: str) -> Any:
    from babel import Locale, UnknownLocaleError

    tag = language.replace("-", "_") or "en"
    try:
        return Locale.parse(tag)
    except (UnknownLocaleError, ValueError):
        try:
            return Locale.parse(primary(language))
        except (UnknownLocaleError, ValueError):
            return Locale.parse("en")


@lru_cache(maxsize=1024)
def format_day(value: date, width: str, language: str) -> str:
    """``value`` (a datetime gives its own date) as ``long``, ``medium`` or ``full``."""
    from babel.dates import format_date

    day = value.date() if isinstance(value, datetime) else value
    pattern = _PATTERNS_EN[width] if language.lower() in ("en", "") else width
    return str(format_date(day, pattern, locale=_locale(language)))


def format_days(first: date, last: date, language: str) -> str:
    """The days ``first`` to ``last`` as CLDR writes such an interval in ``language``
    ("26–27 июня 2025 г.")."""
    from babel.dates import format_interval

    return str(format_interval(first, last, "yMMMMd", locale=_locale(language)))


@lru_cache(maxsize=1024)
def format_short_days(start: date, end: date | None, language: str,
                      year: bool = True) -> str:
    """A day, or a range of days joined by an en dash: 26 Jun 2025, 24-27 Jun 2025,
    30 Jun - 2 Jul 2025, 30 Dec 2025 - 2 Jan 2026; ``year=False`` leaves the year out
    (26 Jun) unless the range runs into another year. English as our house style
    writes it (the day first); other languages as Babel's CLDR data does."""
    from babel.dates import format_date, format_interval, format_skeleton

    last = end or start
    year = year or start.year != last.year
    if language.lower() in ("en", ""):
        def day(value: date, with_year: bool) -> str:
            return str(format_date(value, "d MMM y" if with_year else "d MMM",
                                   locale=_locale("en")))

        if last == start:
            return day(start, year)
        if start.year != last.year:
            return f"{day(start, True)} \u2013 {day(last, True)}"
        if start.month == last.month:
            return f"{start.day}\u2013{day(last, year)}"
        return f"{day(start, False)} \u2013 {day(last, year)}"
    skeleton = "yMMMd" if year else "MMMd"
    if last == start:
        return str(format_skeleton(skeleton, start, locale=_locale(language)))
    return str(format_interval(start, last, skeleton, locale=_locale(language)))


def zone_name(value: datetime, language: str = "en") -> str:
    """The zone of ``value``: IST, MSK (МСК in Russian), CEST...; ``UTC+02:00`` for an
    offset without a usual name; ``""`` for a naive time."""
    offset = value.utcoffset()
    if offset is None:
        return ""
    if offset in _ZONES:
        name, own = _ZONES[offset]
        return own.get(primary(language), name)
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"
