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
  which runs only when a template compiles, not when its code comes from the cache);
* ``reportlab.lib.rl_safe_eval``: ``__rl_unsafe_re__``, which nothing in reportlab
  reads, built from a set, so that its text changes with every process's string hashes
  (the compiled-pattern cache, `pattern_cache`, could never keep it), and
  ``babel.plural``'s rule tokens (one of them built from a set too), used only to parse
  a plural rule.

So, once ``readout`` is imported, a later import of one of those modules (by readout or
by anyone) runs with ``re.compile`` answering calls made from that module's own code
with a `LazyPattern`, which compiles on first use and then behaves as the pattern;
every other caller, in any thread, gets its pattern as usual. A module imported before
``readout`` is left as it is. A module joins `DEFERRED` only once each of its patterns
has been checked to be used through its methods alone (``match``, ``search``, ``sub``,
``split``...): a `LazyPattern` is not an ``re.Pattern`` to ``isinstance``.

The same hook runs each of readout's own modules with its dataclasses' methods compiled
through `dataclass_cache` (their compiling was a fifth of a fresh process; their
unpickling is quickened there too), and with the
cyclic garbage collector paused: an import makes objects that live as long as the
process, and collecting while they are made only walks them again and again.

`run_command` runs the command line as a process of its own: a module of `LATER`
imported then runs its code only when it is first used; start-up and a handful of
documents make little cyclic garbage, so the collector stays off (after the imports it
walked every module's objects at each full collection: 80 million instructions of a
render), and the process ends without tearing the interpreter down (every module,
every object freed one by one: another 110 million), once the exit handlers have run
and standard output and error are flushed. A long-running command turns the collector
back on (`collect_garbage`).
"""

from __future__ import annotations

import atexit
import gc
import os
import re
import sys
import threading
from collections.abc import Callable, Sequence
from importlib.machinery import ModuleSpec, PathFinder
from types import ModuleType
from typing import Any, NoReturn

from . import dataclass_cache, pattern_cache

DEFERRED = frozenset({
    "marshmallow.validate", "reportlab.platypus.paragraph", "reportlab.lib.textsplit",
    "yaml.reader", "yaml.resolver", "jinja2.utils", "jinja2._identifier",
    "reportlab.lib.rl_safe_eval", "babel.plural",
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
class _Wrapping:
    """A loader around the module's own (every other attribute is its)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        module: ModuleType | None = self.inner.create_module(spec)
        return module


class _Loader(_Wrapping):
    """The module's own loader, running the module with its patterns deferred
    (`DEFERRED`) or its dataclasses compiled through `dataclass_cache` (readout's own
    modules)."""

    def __init__(self, inner: Any, ours: bool) -> None:
        super().__init__(inner)
        self.ours = ours

    def exec_module(self, module: ModuleType) -> None:
        if self.ours:
            collecting = pause_gc()
            record = dataclass_cache.enter(module.__name__)
            done = False
            try:
                self.inner.exec_module(module)
                done = True
            finally:
                dataclass_cache.leave(record, done=done)
                resume_gc(collecting)
            dataclass_cache.quicken_unpickling(module)
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
        later = _running_later and fullname in LATER
        if not ours and not later and fullname not in DEFERRED:
            return None
        spec = PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return None
        spec.loader = (_LaterLoader(spec.loader) if later  # type: ignore[assignment]
                       else _Loader(spec.loader, ours))
        return spec


LATER = frozenset({"PIL.Image", "uharfbuzz", "socket"})
"""The modules whose code runs when they are first used, in a command's process
(`run_command`), both imported by reportlab whatever the document holds: Pillow's image
module (100 million instructions), which only decoding an image needs, seldom once the
PDF writer's images are cached (see ``writers/pdf/image_cache``); HarfBuzz (45 million,
loading its library), which only shaping a complex script needs; and ``socket``, which
``email.utils`` imports for marshmallow (12 million, making its enums) and only a
series' worker processes use."""

_running_later = False  # run_command: LATER modules imported from now on run on first use
_LATER_LOCK = threading.RLock()
_waiting: dict[str, Any] = {}  # a LATER module's name: its loader, until its code runs

# What the import system itself reads of a module: answered without running it.
_MODULE_FACTS = frozenset({"__name__", "__spec__", "__loader__", "__package__", "__path__",
                           "__file__", "__cached__", "__class__"})


class _LaterModule(ModuleType):
    """A module whose code runs when anything but its import facts is first asked of it
    (in whichever thread: the others wait for it), after which it is a plain module."""

    def __getattribute__(self, name: str) -> Any:
        if name not in _MODULE_FACTS:
            _run_later(self)
        return ModuleType.__getattribute__(self, name)


def _run_later(module: ModuleType) -> None:
    with _LATER_LOCK:
        name = ModuleType.__getattribute__(module, "__name__")
        loader = _waiting.pop(name, None)
        if loader is None:  # run already, or running in this thread (a circular import)
            return
        try:
            loader.exec_module(module)
        except BaseException:
            sys.modules.pop(name, None)  # as a failed import leaves it
            raise
        finally:
            module.__class__ = ModuleType


class _LaterLoader(_Wrapping):
    """The module's own loader, whose module's code waits for its first use
    (`_LaterModule`)."""

    def exec_module(self, module: ModuleType) -> None:
        with _LATER_LOCK:
            _waiting[module.__name__] = self.inner
            module.__class__ = _LaterModule


def defer_import_patterns() -> None:
    """Install the finder above (once; a module imported already stays as it is)."""
    if not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.insert(0, _Finder())


def pause_gc() -> bool:
    """Pause the cyclic garbage collector; whether it ran (for `resume_gc`)."""
    collecting = gc.isenabled()
    gc.disable()
    return collecting


def resume_gc(collecting: bool) -> None:
    """Run the collector again if it ran before the matching `pause_gc`."""
    if collecting and not _command_running:
        gc.enable()


_command_running = False  # run_command owns the collector: imports leave it off


def run_command(command: Callable[[], object]) -> NoReturn:
    """Run ``command`` (the command line) as this process's whole life: with the cyclic
    garbage collector off, then `exit_now` with its exit code."""
    global _command_running, _running_later
    _command_running = _running_later = True
    gc.disable()
    try:
        command()
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    exit_now(code)


def collect_garbage() -> None:
    """For a command that runs long (a series): the collector back on, leaving out of
    its walks the objects start-up made, which live as long as the process anyway."""
    global _command_running
    if _command_running:
        _command_running = False
        gc.freeze()
        gc.enable()


def exit_now(code: object) -> NoReturn:
    """End the process with ``code`` as ``sys.exit`` would, without freeing every object
    and module on the way: the exit handlers run (``atexit``: temporary folders, logging,
    a process pool's), standard output and error are flushed (a failure to flush exits
    with 120, as Python does), then ``os._exit``. Every file readout writes is closed (and
    renamed into place) before its command returns. While another thread that is not a
    daemon runs, Python's own exit (which waits for it) is used instead."""
    if any(not thread.daemon for thread in threading.enumerate()
           if thread is not threading.current_thread()):
        raise SystemExit(code)  # Python's exit waits for it; a daemon thread it does not
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:
        print(code, file=sys.stderr)
        status = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            status = status or 120
    os._exit(status)


defer_import_patterns()  # on import: ``readout`` imports this module before the others
pattern_cache.install()

__all__ = ["DEFERRED", "LATER", "LazyPattern", "collect_garbage", "defer_import_patterns",
           "exit_now", "pause_gc", "resume_gc", "run_command"]
