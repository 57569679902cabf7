"""The built-in default theme, validated once across processes.

Reading and validating ``default.yaml`` (its YAML, the theme schema, every style and
font chain resolved) costs about 14 ms, a tenth of ``readout validate``, which needs the
default theme to warn of characters no font has; the result depends only on the
package's own files. So the resolved `Theme` is kept in the user's cache folder (see
`cache_folder`), in a folder named by readout's and Python's versions, with the size and
modification time of every file it was made of; an entry whose files changed is
validated again and rewritten. Only the built-in theme is kept: a user's theme may
resolve a font differently when a file appears beside it, which no stamp would show.

Entries are read with an unpickler that builds nothing but the theme's own data classes
and paths, so a damaged or planted entry cannot run code: it is validated over.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import pickle
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import themes
from .cache_folder import Stamps, file_stamps, private_folder, read_entry, write_entry
from .version import VERSION

_FOLDER = f"themes-1-py{sys.version_info[0]}{sys.version_info[1]}-readout{VERSION}"


def cached_theme(path: Path, load: Callable[[], themes.Theme]) -> themes.Theme:
    """The theme ``load()`` makes from ``path``, taken from the cache when its files are
    unchanged."""
    folder = private_folder(_FOLDER)
    if folder is None:
        return load()
    entry = folder / (hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:32]
                      + ".pickle")
    found = _read(entry)
    if found is not None and found[0] == file_stamps(found[1].files):
        return found[1]
    theme = load()
    stamps = file_stamps(theme.files)
    if stamps:
        write_entry(entry, (stamps, theme))
    return theme


class ThemeData(pickle.Unpickler):
    """Unpickles the data classes and enums of `themes` and paths, nothing else (a
    cached theme, or the theme styles a cached DOCX base was made from)."""

    def find_class(self, module: str, name: str) -> Any:
        if module == themes.__name__:
            found = getattr(themes, name, None)
            if isinstance(found, type) and (dataclasses.is_dataclass(found)
                                            or issubclass(found, enum.Enum)):
                return found
        elif module == "pathlib" and name in ("PosixPath", "WindowsPath", "Path"):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not theme data")


def _read(entry: Path) -> tuple[Stamps, themes.Theme] | None:
    found = read_entry(entry, ThemeData)
    if (isinstance(found, tuple) and len(found) == 2
            and isinstance(found[1], themes.Theme)):
        return found
    return None


__all__ = ["ThemeData", "cached_theme"]
