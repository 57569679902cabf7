"""Compiled dataclass methods kept between processes.

``@dataclass`` writes the source of each class's ``__init__``, ``__repr__``, ``__eq__``
(and, for a frozen class, ``__hash__``, ``__setattr__`` and ``__delattr__``) and
compiles it, every time the class is defined. For readout's frozen classes (the model,
the theme, the document tree...) that compiling was a fifth of a fresh ``readout
validate`` and of ``readout render`` (about 120 and 330 million instructions). The code
depends only on that source and on the Python version, so, while one of readout's own
modules is being imported, `dataclasses` compiles through this cache (`startup` sees to
that): the sources a module's classes asked for and their code objects are kept in one
file per module in the user's cache folder (see `cache_folder`), in a folder named by
the Python version, each keyed by its exact source text. A changed class asks for
another source, which compiles afresh; the file is written again whenever its module
asked for anything it did not hold, with only what was asked. The classes made are the
same: the code is what ``compile`` gives for that source, as ``exec`` would compile it.

What is read back is code, so it comes only from the private folder (see
`cache_folder.private_folder`); a file that is damaged, or holds anything but source
texts and code objects, is ignored and written again.
"""

from __future__ import annotations

import dataclasses
import marshal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import CodeType, ModuleType
from typing import Any

_FOLDER = f"dataclasses-{sys.implementation.cache_tag}-{sys.hexversion:x}"
_UNKNOWN: Any = object()


class _Module:
    """What one module being imported asked for, and what its file held."""

    __slots__ = ("entry", "held", "missed", "name", "used")

    def __init__(self, name: str) -> None:
        self.name = name
        self.entry: Path | None = None
        self.held: dict[str, CodeType] | None = None  # read on the module's first class
        self.used: dict[str, CodeType] = {}
        self.missed = False

    def code(self, source: str) -> CodeType:
        if self.held is None:
            folder = _folder()
            self.entry = None if folder is None else folder / f"{self.name}.marshal"
            self.held = _read(self.entry) if self.entry is not None else {}
        code = self.held.get(source)
        if code is None:
            # dont_inherit: compiled as dataclasses' own exec would (no __future__ flags)
            code = compile(source, "<string>", "exec", dont_inherit=True)
            self.missed = True
        self.used[source] = code
        return code

    def keep(self) -> None:
        """Write the module's file if it lacked what was asked, or held more."""
        if self.entry is None or not self.used:
            return
        if self.missed or self.held is None or len(self.held) != len(self.used):
            from .cache_folder import write_bytes

            write_bytes(self.entry, marshal.dumps(self.used))


_folder_found: Any = _UNKNOWN


def _folder() -> Path | None:
    global _folder_found
    if _folder_found is _UNKNOWN:
        from .cache_folder import private_folder

        _folder_found = private_folder(_FOLDER)
    folder: Path | None = _folder_found
    return folder


def _read(entry: Path) -> dict[str, CodeType]:
    from .cache_folder import read_marshal

    held = read_marshal(entry)
    if type(held) is not dict or not all(type(source) is str and type(code) is CodeType
                                         for source, code in held.items()):
        return {}
    return held


_local = threading.local()  # .importing: the modules this thread is importing, innermost last
_lock = threading.Lock()
_importers = 0  # threads importing one of readout's modules now


def _cached_exec(source: Any, globals: Any = None, locals: Any = None, /) -> None:
    """``exec`` for `dataclasses`: a source text compiled through the cache while this
    thread imports one of readout's modules; anything else as ``exec`` does it."""
    importing: list[_Module] | None = getattr(_local, "importing", None)
    if importing and type(source) is str:
        source = importing[-1].code(source)
    exec(source, globals, locals)


def enter(name: str) -> _Module:
    """Module ``name`` is about to be executed: its classes compile through the cache."""
    global _importers
    module = _Module(name)
    importing = getattr(_local, "importing", None)
    if importing is None:
        importing = _local.importing = []
    with _lock:
        if not importing:
            _importers += 1
            dataclasses.exec = _cached_exec  # type: ignore[attr-defined]
        importing.append(module)
    return module


def leave(module: _Module, *, done: bool) -> None:
    """``module`` has been executed (``done``: without an error)."""
    global _importers
    importing: list[_Module] = _local.importing
    with _lock:
        importing.remove(module)
        if not importing:
            _importers -= 1
            if not _importers:
                del dataclasses.exec  # type: ignore[attr-defined]
    if done:
        module.keep()


def quicken_unpickling(module: ModuleType) -> None:
    """Give each frozen, slotted dataclass of ``module`` an ``__setstate__`` that sets
    its fields from their names, listed once, instead of ``dataclasses``' own, which
    lists them again for every object: unpickling a cached theme or DOCX base makes
    hundreds of such objects (0.6 -> 0.3 ms for a DOCX base). The same fields get the
    same values, in the same order."""
    stock = getattr(dataclasses, "_dataclass_setstate", None)
    if stock is None:
        return
    for value in list(vars(module).values()):
        if (isinstance(value, type) and value.__module__ == module.__name__
                and value.__dict__.get("__setstate__") is stock):
            value.__setstate__ = _setstate_of(  # type: ignore[attr-defined]
                tuple(field.name for field in dataclasses.fields(value)))


def _setstate_of(names: tuple[str, ...]) -> Callable[[Any, Any], None]:
    setter = object.__setattr__

    def __setstate__(self: Any, state: Any) -> None:
        for name, value in zip(names, state, strict=False):  # as dataclasses' own
            setter(self, name, value)

    return __setstate__


__all__ = ["enter", "leave", "quicken_unpickling"]
