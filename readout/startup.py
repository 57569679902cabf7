"""What a fresh process pays before its first readout: patterns compiled for nothing.

Some dependencies compile regular expressions when they are imported, for features
readout seldom or never calls, and a few of those patterns are expensive: a
case-insensitive class of every character from U+00A1 to U+FFFF costs as much to
compile as importing a small library. Measured on the seed (instructions, callgrind):

* ``marshmallow.validate``: the e-mail validator's ``DOMAIN_REGEX``, about 320 million
  instructions (55 ms, a third of ``readout validate``); readout checks addresses itself;
* ``reportlab.platypus.paragraph``: ``uri_pat``, used only to break long URLs when a
  style asks for ``uriWasteReduce`` (readout's never do), about 30 ms;
* ``yaml.reader``: ``NON_PRINTABLE``, used by the pure-Python reader only (readout
  parses with libyaml's), about 11 ms; ``yaml.resolver``'s implicit-type patterns,
  used by the loaders that resolve types (readout's base loader keeps every scalar
  a string);
* ``reportlab.lib.textsplit``: a CJK splitting pattern for encodings readout never uses;
* ``jinja2.utils`` (the ``urlize`` filter's) and ``jinja2._identifier`` (the lexer's,
  which runs only when a template compiles, not when its code comes from the cache).

So, once ``readout`` is imported, a later import of one of those modules (by readout or
by anyone) runs with ``re.compile`` answering calls made from that module's own code
with a `LazyPattern`, which compiles on first use and then behaves as the pattern;
every other caller, in any thread, gets its pattern as usual. A module imported before
``readout`` is left as it is. A module joins `DEFERRED` only once each of its patterns
has been checked to be used through its methods alone (``match``, ``search``, ``sub``,
``split``...): a `LazyPattern` is not an ``re.Pattern`` to ``isinstance``.

The same hook runs each of readout's own modules with its dataclasses' methods compiled
through `dataclass_cache` (their compiling was a fifth of a fresh process).
"""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Sequence
from importlib.machinery import ModuleSpec, PathFinder
from types import ModuleType
from typing import Any

from . import dataclass_cache

DEFERRED = frozenset({
    "marshmallow.validate", "reportlab.platypus.paragraph", "reportlab.lib.textsplit",
    "yaml.reader", "yaml.resolver", "jinja2.utils", "jinja2._identifier",
})
"""The modules whose import-time patterns compile on first use."""


class LazyPattern:
    """A compiled pattern that compiles when it is first used."""

    __slots__ = ("_compiled", "_flags", "_lock", "_source")

    def __init__(self, source: Any, flags: int) -> None:
        self._source, self._flags = source, flags
        self._compiled: re.Pattern[Any] | None = None
        self._lock = threading.Lock()

    def _pattern(self) -> re.Pattern[Any]:
        if self._compiled is None:
            with self._lock:
                if self._compiled is None:
                    self._compiled = _real_compile(self._source, self._flags)
        return self._compiled

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # ABCMeta asks every class attribute for those
            raise AttributeError(name)
        return getattr(self._pattern(), name)

    def __repr__(self) -> str:
        return repr(self._pattern())


_real_compile = re.compile


def _deferring_compile(pattern: Any, flags: int = 0) -> Any:
    caller = sys._getframe(1).f_globals.get("__name__")
    if caller in DEFERRED and isinstance(pattern, str):
        return LazyPattern(pattern, flags)
    return _real_compile(pattern, flags)


_LOCK = threading.Lock()
_importing = 0  # deferred modules being imported now: one may import another


def _enter() -> None:
    global _importing
    with _LOCK:
        _importing += 1
        re.compile = _deferring_compile


def _leave() -> None:
    global _importing
    with _LOCK:
        _importing -= 1
        if not _importing:
            re.compile = _real_compile


# The finder and loader protocols, not importlib.abc's classes: importing importlib.abc
# imports importlib.resources (tempfile, shutil...), 40 million instructions.
class _Loader:
    """The module's own loader (every other attribute is its), running the module with
    its patterns deferred (`DEFERRED`) or its dataclasses compiled through
    `dataclass_cache` (readout's own modules)."""

    def __init__(self, inner: Any, ours: bool) -> None:
        self.inner, self.ours = inner, ours

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        module: ModuleType | None = self.inner.create_module(spec)
        return module

    def exec_module(self, module: ModuleType) -> None:
        if self.ours:
            record = dataclass_cache.enter(module.__name__)
            done = False
            try:
                self.inner.exec_module(module)
                done = True
            finally:
                dataclass_cache.leave(record, done=done)
            return
        _enter()
        try:
            self.inner.exec_module(module)
        finally:
            _leave()


class _Finder:
    def find_spec(self, fullname: str, path: Sequence[str] | None,
                  target: ModuleType | None = None) -> ModuleSpec | None:
        ours = fullname.startswith("readout.")
        if not ours and fullname not in DEFERRED:
            return None
        spec = PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return None
        spec.loader = _Loader(spec.loader, ours)  # type: ignore[assignment]
        return spec


def defer_import_patterns() -> None:
    """Install the finder above (once; a module imported already stays as it is)."""
    if not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.insert(0, _Finder())


defer_import_patterns()  # on import: ``readout`` imports this module before the others

__all__ = ["DEFERRED", "LazyPattern", "defer_import_patterns"]
