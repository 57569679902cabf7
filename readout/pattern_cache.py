"""Compiled regular expressions kept between processes.

Compiling a regular expression is parsing it and writing its matching program, in
Python (``re._parser``, ``re._compiler``), and readout's dependencies compile hundreds of
them as they are imported: about a tenth of a fresh ``readout render`` and ``readout
validate``. The program depends only on the pattern, its flags and the Python version,
so once ``readout`` is imported, a pattern compiled by readout, by one of its
dependencies (`OWNERS`) or by the standard library has its program looked up in a file
of the user's cache folder (see `cache_folder`), in a folder named by the Python version
and the regular-expression engine's magic number, and handed to ``_sre.compile`` as
``re._compiler.compile`` itself does; what was missing is compiled as usual and the file
written again when the process exits, with at most `LIMIT` patterns (`_kept`). The pattern made is
the same (patterns compare equal only when their programs do: the tests hold them so).
Patterns of any other code (a program's own, which may be anything) never reach the
cache, nor patterns compiled with ``re.DEBUG``. A pattern the engine would warn about
warns only when it is compiled, not when it comes from the cache.
The cache is installed only in a Python whose ``re`` makes a few probe patterns exactly
as the cache would (its compiler and engine are private and may change).

What is read back is a matching program, so it comes only from the private folder (see
`cache_folder.private_folder`), each entry is checked for its shape (flags, a list of
numbers, groups) before use, and ``_sre.compile`` checks the program itself; an entry
that fails either is compiled afresh.
"""

from __future__ import annotations

import _sre  # type: ignore[import-not-found]
import atexit
import sys
import threading
from pathlib import Path
from re import _compiler  # type: ignore[attr-defined]
from typing import Any

from .cache_folder import cache_folder, private_folder, read_marshal, write_bytes

_FOLDER = f"patterns-{sys.implementation.cache_tag}-{sys.hexversion:x}-{_sre.MAGIC}"
_ENTRY = "patterns.marshal"
LIMIT = 1000
"""The most patterns the file holds (a render of every format uses about 300)."""

OWNERS = frozenset({
    "readout", "reportlab", "yaml", "jinja2", "markupsafe", "marshmallow", "click", "babel",
    "docx", "lxml", "PIL", "fontTools", "pyphen", "bidi", "uharfbuzz", "pypdf",
}) | frozenset(sys.stdlib_module_names)
"""The top-level packages whose patterns are kept: readout's, its dependencies', Python's."""

_DEBUG = 128  # re.DEBUG
_real_compile = _compiler.compile
_lock = threading.Lock()
_held: dict[Any, Any] | None = None  # read on the first pattern compiled
_new: dict[Any, Any] = {}  # compiled in this process
_used: set[Any] = set()  # found in the file by this process
_entry: Path | None = None


def _owned(frame: Any) -> bool:
    """Whether the first caller outside ``re`` belongs to `OWNERS`."""
    while frame is not None:
        name = frame.f_globals.get("__name__")
        if type(name) is not str:
            return False
        top = name.partition(".")[0]
        if top != "re":
            return top in OWNERS
        frame = frame.f_back
    return False


def _read() -> dict[Any, Any]:
    global _entry
    folder = private_folder(_FOLDER)
    if folder is None:
        return {}
    _entry = folder / _ENTRY
    held = read_marshal(_entry)
    return held if type(held) is dict else {}


def _from_entry(pattern: Any, entry: Any) -> Any:
    """The pattern from its kept program, or ``None`` when the entry is not one."""
    if type(entry) is not tuple or len(entry) != 5:
        return None
    flags, code, groups, groupindex, indexgroup = entry
    if (type(flags) is not int or type(code) is not list or type(groups) is not int
            or type(groupindex) is not dict or type(indexgroup) is not tuple
            or not all(type(k) is str and type(v) is int for k, v in groupindex.items())
            or not all(g is None or type(g) is str for g in indexgroup)):
        return None
    try:  # the engine checks every number of the program
        return _sre.compile(pattern, flags, code, groups, groupindex, indexgroup)
    except (TypeError, ValueError, OverflowError, RuntimeError):
        return None


def cached_compile(p: Any, flags: int = 0) -> Any:
    """``re._compiler.compile`` through the cache (see the module docstring)."""
    global _held
    if (type(p) is not str and type(p) is not bytes) or type(flags) is not int \
            or flags & _DEBUG or not _owned(sys._getframe(1)):
        return _real_compile(p, flags)
    key = (p, flags)
    if _held is None:
        with _lock:
            if _held is None:
                _held = _read()
    entry = _held.get(key) or _new.get(key)
    if entry is not None:
        pattern = _from_entry(p, entry)
        if pattern is not None:
            _used.add(key)
            return pattern
    entry = _program(p, flags)
    pattern = _sre.compile(p, *entry)
    _new[key] = entry
    return pattern


def _program(p: str | bytes, flags: int) -> tuple[Any, ...]:
    """The matching program of ``p``, as ``re._compiler.compile`` hands it to
    ``_sre.compile`` (flags, code, groups, group index, index group)."""
    parsed = _compiler._parser.parse(p, flags)
    code = list(map(int, _compiler._code(parsed, flags)))  # opcodes are int subclasses
    state = parsed.state
    groupindex = dict(state.groupdict)
    indexgroup: list[str | None] = [None] * state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return (flags | state.flags, code, state.groups - 1, groupindex, tuple(indexgroup))


_PROBES: tuple[tuple[str | bytes, int], ...] = (
    (r"(?P<day>\d{1,2})\s+(?:of\s+)?([A-Z][a-z]+)\b", 0), (r"[^\W\d_]+|\s*$", 0),
    (r"(?i)é|ß|\N{DEVANAGARI LETTER KA}", 0), (rb"^\x00[\x80-\xff]*?(\x01)", 16),
)


def _works() -> bool:
    """Whether this Python's ``re`` makes its patterns as `_program` does: the cache
    stays out of a Python whose engine or compiler is made otherwise."""
    try:
        return all(_sre.compile(p, *_program(p, flags)) == _real_compile(p, flags)
                   for p, flags in _PROBES)
    except Exception:
        return False


def _kept() -> dict[Any, Any]:
    """What the file holds next: what it held and what this process added, or, past
    `LIMIT` (a dependency that builds patterns from what a process holds), only what
    this process used, so that no pattern of one process's making stays for good."""
    assert _held is not None
    kept = {**_held, **_new}
    if len(kept) > LIMIT:
        kept = {key: entry for key, entry in kept.items() if key in _used or key in _new}
        kept = dict(list(kept.items())[:LIMIT])
    return kept


def _keep() -> None:
    """At exit: the file written again when this process compiled what it lacked."""
    if _new and _entry is not None and _held is not None:
        import marshal

        write_bytes(_entry, marshal.dumps(_kept()))


def install() -> None:
    """Compile through the cache from now on (once; nothing when caches are off, or
    when this Python's ``re`` is not made as the cache expects)."""
    if (_compiler.compile is cached_compile or cache_folder() is None
            or not all(hasattr(_compiler, name) for name in ("_parser", "_code"))
            or not _works()):
        return
    _compiler.compile = cached_compile
    atexit.register(_keep)


__all__ = ["LIMIT", "OWNERS", "cached_compile", "install"]
