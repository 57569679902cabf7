"""What the DOCX writer works out once per theme and per font, kept between processes.

A fresh process's first DOCX used to spend about 100 ms (after imports) on work whose
result depends only on the theme, the fonts and the code: python-docx parsing its default
template (or the theme's reference .docx) with the theme's styles applied and the parts
compressed (`base.Base`), and each font parsed for subsetting (its glyph offsets and
character map, `subset._parsed`). Both are kept in the user's cache folder (see
`readout.cache_folder`):

- a styled base, in a folder named by readout's, python-docx's and Python's versions,
  keyed by the theme's resolved values and stamped with the size and modification time of
  the reference .docx (if any) and of this writer's own modules, so an edited reference
  or writer builds it afresh;
- a font's parse, keyed by the SHA-256 of the font's bytes;
- the compressed ``word/styles.xml`` of a base, by the document's language;
- a face cut to what a document shows, obfuscated and compressed (`fonts.FacePart`: the
  part the document embeds), keyed by the face file's path, size and modification time,
  the characters and the shaped runs, and stamped like the base with this writer's
  modules: a batch in one language mostly shows the same characters, and a fresh
  process then reads its parts instead of cutting and compressing four faces (about
  20 ms);
- the parts a document's fonts make with a base (the font table, its relationships, the
  settings and the cut faces, as zipped), keyed by the base's key, the families and what
  each shows, stamped with the faces' files and this writer's modules: the first DOCX of
  a process then reads one entry instead of four faces and editing three parts (a third
  of what a first DOCX costs more than the next).

Entries hold only built-in data (bytes, strings, numbers, lists, dicts, tuples) and are
read with an unpickler that admits no class at all, so a damaged or planted entry cannot
run code: it is built over. With the cache off (``READOUT_CACHE_DIR=``), or no private
folder to be had, everything is worked out in each process as before; the bytes written
are the same either way.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import pickle
import re
import sys
from array import array
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ... import themes
from ...cache_folder import file_stamps, private_folder, read_entry, write_entry
from ...theme_cache import ThemeData
from ...themes import Theme
from ...version import VERSION
from .package import Entry, Rel

if TYPE_CHECKING:
    from .base import Base
    from .fonts import FacePart

def _docx_version() -> str:
    """python-docx's version, read from its ``__init__.py`` without importing it (what
    a warm cache saves is that import): the line ``__version__ = "1.2.0"``."""
    spec = importlib.util.find_spec("docx")
    origin = spec.origin if spec is not None else None
    if origin is not None:
        with contextlib.suppress(OSError):
            found = re.search(r'^__version__ = "([^"]+)"', Path(origin).read_text("utf-8"),
                              re.MULTILINE)
            if found:
                return found[1]
    import docx  # a version written otherwise: ask it

    return str(docx.__version__)


_PY = f"py{sys.version_info[0]}{sys.version_info[1]}"
_DOCX = _docx_version()
_BASE_FOLDER = f"docx-base-1-{_PY}-readout{VERSION}-docx{_DOCX}"
_FONT_FOLDER = f"docx-fonts-1-{_PY}-{sys.byteorder}"
_STYLES_FOLDER = f"docx-styles-1-{_PY}-readout{VERSION}-docx{_DOCX}"
_FACE_FOLDER = f"docx-faces-1-{_PY}-readout{VERSION}"
_EMBEDDED_FOLDER = f"docx-embedded-1-{_PY}-readout{VERSION}"
_CODE = sorted(Path(__file__).resolve().parent.glob("*.py"))
# Stamped once, on import: the code that runs is the code imported, even if its files
# change while the process lives.
_CODE_STAMPS = file_stamps(_CODE)
_WORD = "I" if array("I").itemsize == 4 else "L"  # an unsigned 32-bit array type


class _BuiltinsOnly(pickle.Unpickler):
    """Unpickles built-in data (its opcodes need no class), nothing else."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"{module}.{name} is not DOCX cache data")


def cached_base(theme: Theme, key: str, build: Callable[[Theme], Base]) -> Base:
    """``build(theme)``, taken from the cache when the theme (``key``: its resolved
    values), its reference .docx and this writer's code are unchanged."""
    folder = private_folder(_BASE_FOLDER)
    if folder is None:
        return build(theme)
    reference = file_stamps([Path(theme.reference_docx)]) if theme.reference_docx else ()
    stamps = (*_CODE_STAMPS, *reference) if _CODE_STAMPS and (
        reference or not theme.reference_docx) else ()
    if not stamps:
        return build(theme)
    name = hashlib.sha256(key.encode()).hexdigest()[:32]
    entry = folder / (name + ".pickle")
    state = read_entry(entry, ThemeData)
    if isinstance(state, dict) and state.get("key") == key and state.get("stamps") == stamps:
        found = _base_from(theme, state)
        if found is not None:
            found.cache_key = repr((name, key, stamps))
            return found
    made = build(theme)
    write_entry(entry, _state_of(made, key, stamps))
    made.cache_key = repr((name, key, stamps))
    return made


def cached_styles(base_key: str, language: str, make: Callable[[], Entry]) -> Entry:
    """``make()``, the compressed ``word/styles.xml`` of the base the cache knows as
    ``base_key`` (`Base.cache_key`) with ``language`` the default, taken from the cache
    when it was made before; compressing it was a tenth of a fresh process's first DOCX."""
    folder = private_folder(_STYLES_FOLDER) if base_key else None
    if folder is None:
        return make()
    key = repr((base_key, language))
    entry = folder / (hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]
                      + ".pickle")
    state = read_entry(entry, _BuiltinsOnly)
    if (isinstance(state, tuple) and len(state) == 5 and state[0] == key
            and isinstance(state[1], str) and isinstance(state[2], int)
            and isinstance(state[3], bytes) and isinstance(state[4], int)):
        return Entry(*state[1:])
    made = make()
    write_entry(entry, (key, *_entry_data(made)))
    return made


def _entry_data(item: Entry) -> tuple[str, int, bytes, int]:
    return item.name, item.crc, item.compressed, item.size


def _state_of(base: Base, key: str, stamps: tuple[tuple[int, int], ...]) -> dict[str, Any]:
    """``base`` as built-in data and theme styles."""
    return {
        "key": key, "stamps": stamps,
        "entries": [_entry_data(item) for item in base.entries],
        "custom_rels": _entry_data(base.custom_rels),
        "styles_head": base.styles_head, "styles_tail": base.styles_tail,
        "lang_defaults": base.lang_defaults, "defaults": base.defaults,
        "overrides": base.overrides,
        "rels": [(r.rid, r.type, r.target, r.external) for r in base.rels],
        "next_rid": base.next_rid, "sect_refs": base.sect_refs, "free_part": base.free_part,
        "ids": base.ids, "table_ids": base.table_ids, "char_ids": base.char_ids,
        "defined": base.defined, "part_names": sorted(base.part_names),
        "font_names": base.font_names, "font_parts": base.font_parts,
    }


def _base_from(theme: Theme, state: dict[str, Any]) -> Base | None:
    """The `Base` of ``state``; ``None`` when it is not what `_state_of` writes."""
    from .base import Base

    try:
        font_names = state["font_names"]
        return Base(
            theme=theme, entries=[Entry(*item) for item in state["entries"]],
            custom_rels=Entry(*state["custom_rels"]), styles_head=state["styles_head"],
            styles_tail=state["styles_tail"], lang_defaults=tuple(state["lang_defaults"]),
            defaults=dict(state["defaults"]), overrides=dict(state["overrides"]),
            rels=[Rel(*rel) for rel in state["rels"]], next_rid=int(state["next_rid"]),
            sect_refs=[tuple(ref) for ref in state["sect_refs"]],
            free_part=int(state["free_part"]), ids=dict(state["ids"]),
            table_ids=dict(state["table_ids"]), char_ids=dict(state["char_ids"]),
            defined=_styles(state["defined"]),
            part_names=frozenset(state["part_names"]),
            font_names=tuple(font_names) if font_names is not None else None,
            font_parts=dict(state["font_parts"]))
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def _styles(found: Any) -> dict[str, themes.Style]:
    if not (isinstance(found, dict) and all(isinstance(style, themes.Style)
                                            for style in found.values())):
        raise TypeError("not theme styles")
    return dict(found)


FontParse = tuple[list[tuple[int, int]], dict[int, int]]


def cached_font_parse(data: bytes, parse: Callable[[bytes], FontParse]) -> FontParse:
    """``parse(data)`` (a font's glyph spans and character map), taken from the cache
    when this font's bytes were parsed before."""
    folder = private_folder(_FONT_FOLDER)
    if folder is None:
        return parse(data)
    entry = folder / (hashlib.sha256(data).hexdigest()[:32] + ".pickle")
    found = _font_parse_from(read_entry(entry, _BuiltinsOnly))
    if found is not None:
        return found
    spans, cmap = parse(data)
    ends = array(_WORD, [end for _, end in spans])
    starts = array(_WORD, [start for start, _ in spans])
    write_entry(entry, (starts.tobytes(), ends.tobytes(), array(_WORD, cmap).tobytes(),
                        array(_WORD, cmap.values()).tobytes()))
    return spans, cmap


def _font_parse_from(state: Any) -> FontParse | None:
    if not (isinstance(state, tuple) and len(state) == 4
            and all(isinstance(part, bytes) for part in state)):
        return None
    try:
        starts, ends, codes, glyphs = (array(_WORD, part) for part in state)
    except ValueError:
        return None
    if len(ends) != len(starts) or len(codes) != len(glyphs):
        return None
    return list(zip(starts, ends, strict=True)), dict(zip(codes, glyphs, strict=True))


_Made = TypeVar("_Made")


def _place(folder_name: str | None, files: Sequence[Path], *made_of: Any
           ) -> tuple[Path, str] | None:
    """Where the cache keeps what is ``made_of`` these parts, and the key its entry
    holds (the parts, the stamps of ``files`` and of this writer's code), or ``None``
    when there is no private folder or nothing to stamp."""
    folder = private_folder(folder_name) if folder_name else None
    face = file_stamps(files) if folder is not None else ()
    stamps = (*face, *_CODE_STAMPS) if face and _CODE_STAMPS else ()
    if folder is None or not stamps:
        return None
    key = repr((*made_of, stamps))
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return folder / (digest + ".pickle"), key


def _read_or_make(place: tuple[Path, str] | None, make: Callable[[], _Made],
                  read: Callable[[Any, str], _Made | None],
                  data: Callable[[_Made], tuple[Any, ...]]) -> _Made:
    """What the entry at ``place`` holds, as ``read`` finds it there under its key, or
    ``make()``, kept there (its key, then its ``data``) for the next process."""
    if place is None:
        return make()
    entry, key = place
    found = read(read_entry(entry, _BuiltinsOnly), key)
    if found is not None:
        return found
    made = make()
    write_entry(entry, (key, *data(made)))
    return made


def cached_face(path: Path, characters: str, shaped: tuple[str, ...],
                make: Callable[[], FacePart]) -> FacePart:
    """``make()``, the part of face file ``path`` cut to ``characters`` and ``shaped``,
    taken from the cache when that file and this writer's code are unchanged."""
    place = _place(_FACE_FOLDER, [path], str(path.resolve()), characters, shaped)
    return _read_or_make(place, make, _face_from, _face_data)


def _face_data(made: FacePart) -> tuple[Any, ...]:
    font_key, part, metadata = made
    return font_key, part.crc, part.compressed, part.size, metadata


def _face_from(state: Any, key: str) -> FacePart | None:
    if not (isinstance(state, tuple) and len(state) == 6 and state[0] == key):
        return None
    _, font_key, crc, compressed, size, metadata = state
    if not (isinstance(font_key, str) and isinstance(crc, int) and isinstance(size, int)
            and isinstance(compressed, bytes) and isinstance(metadata, str)):
        return None
    return font_key, Entry("", crc, compressed, size), metadata


def cached_embedding(base_key: str, shown: Any, faces: Sequence[Path],
                     make: Callable[[], list[Entry]]) -> list[Entry]:
    """``make()``, the parts the fonts of a document showing ``shown`` (its families,
    the characters and the shaped runs of each) make with the base the cache knows as
    ``base_key`` (`Base.cache_key`), taken from the cache when that base, the face
    files ``faces`` and this writer's code are unchanged."""
    place = _place(_EMBEDDED_FOLDER if base_key else None, faces, base_key, shown)
    return _read_or_make(place, make, _entries_from,
                         lambda made: ([_entry_data(item) for item in made],))


def _entries_from(state: Any, key: str) -> list[Entry] | None:
    if not (isinstance(state, tuple) and len(state) == 2 and state[0] == key
            and isinstance(state[1], list)):
        return None
    found = []
    for item in state[1]:
        if not (isinstance(item, tuple) and len(item) == 4 and isinstance(item[0], str)
                and isinstance(item[1], int) and isinstance(item[2], bytes)
                and isinstance(item[3], int)):
            return None
        found.append(Entry(*item))
    return found


__all__ = ["cached_base", "cached_embedding", "cached_face", "cached_font_parse",
           "cached_styles"]
