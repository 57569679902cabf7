"""What a fresh process pays before its first readout: one cost of a dependency deferred.

``marshmallow.validate`` compiles the e-mail validator's patterns when it is imported;
``Email.DOMAIN_REGEX`` is a case-insensitive class of every character from U+00A1 to
U+FFFF, and compiling it is about 320 million instructions (55 ms, a third of ``readout
validate``, measured with callgrind), for a validator readout never calls. So, once
``readout`` is imported, a later import of ``marshmallow.validate`` (by readout or by
anyone) runs with ``re.compile`` answering calls made from that module's own code with
a `LazyPattern`, which compiles on first use; every other caller, in any thread, gets
its pattern as usual. If marshmallow is already imported, nothing changes.
"""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Sequence
from importlib.machinery import ModuleSpec, PathFinder
from types import ModuleType
from typing import Any

_DEFERRED = "marshmallow.validate"


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
    if caller == _DEFERRED and isinstance(pattern, str):
        return LazyPattern(pattern, flags)
    return _real_compile(pattern, flags)


# The finder and loader protocols, not importlib.abc's classes: importing importlib.abc
# imports importlib.resources (tempfile, shutil...), 40 million instructions.
class _Loader:
    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        module: ModuleType | None = self.inner.create_module(spec)
        return module

    def exec_module(self, module: ModuleType) -> None:
        re.compile = _deferring_compile
        try:
            self.inner.exec_module(module)
        finally:
            re.compile = _real_compile


class _Finder:
    def find_spec(self, fullname: str, path: Sequence[str] | None,
                  target: ModuleType | None = None) -> ModuleSpec | None:
        if fullname != _DEFERRED:
            return None
        spec = PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None:
            return None
        spec.loader = _Loader(spec.loader)  # type: ignore[assignment]
        return spec


def defer_email_patterns() -> None:
    """Install the finder above (once; nothing if marshmallow is imported already)."""
    if _DEFERRED in sys.modules or any(isinstance(f, _Finder) for f in sys.meta_path):
        return
    sys.meta_path.insert(0, _Finder())


defer_email_patterns()  # on import: ``readout`` imports this module before marshmallow

__all__ = ["LazyPattern", "defer_email_patterns"]
