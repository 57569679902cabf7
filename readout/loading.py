"""Read YAML or JSON safely into plain data, remembering where every value came from.

Every scalar loads as the string the user typed (YAML 1.1's ``10:30`` -> 630 and
``NO`` -> False traps cannot happen); the schema converts types later. A plain empty
scalar or ``~``/``null`` loads as ``None``. Tags, aliases, duplicate keys, non-text
keys and oversized input are refused with located problems. The result is a `Source`:
the data plus a `PositionIndex` that maps a field path to its line and column.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import yaml

from .errors import LoadError, Problem

MAX_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 32  # levels of nesting; the format itself needs six at most
MAX_VALUES = 30_000  # a real readout has a few hundred; the 1 MB benchmark one 15,654
VALUES_MESSAGE = (f"The file holds more than {MAX_VALUES:,} values; a readout needs a few "
                  "hundred. Split it into several readouts.")
DEPTH_MESSAGE = (f"This is nested more than {MAX_DEPTH} levels deep; a readout needs a few "
                 "levels at most. Check the brackets and the indentation.")
NULLS = frozenset({"", "~", "null", "Null", "NULL"})
PLAIN_TAGS = frozenset({
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq",
})
_Loader: type = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
_SafeLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str) -> Any:
    """``yaml.safe_load`` with libyaml's parser when it is there: the same data, for
    readout's own small files (template specs, message catalogues), in a tenth of the
    time and without compiling the pure-Python reader's patterns in a fresh process."""
    return yaml.load(text, Loader=_SafeLoader)

Path_ = tuple[str | int, ...]


@dataclass
class PositionIndex:
    """Where each value (and each mapping key) of a document starts; 1-based."""

    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    files: dict[Path_, str] = field(default_factory=dict)

    def locate(self, path: Path_) -> tuple[int, int]:
        """The value at ``path``, or its nearest parent that exists; (0, 0) if none."""
        for depth in range(len(path), -1, -1):
            found = self.values.get(path[:depth])
            if found:
                return found
        return (0, 0)

    def file_of(self, path: Path_, default: str) -> str:
        """The file a value came from: ``default`` unless merged in from elsewhere."""
        for depth in range(len(path), -1, -1):
            found = self.files.get(path[:depth])
            if found:
                return found
        return default

    def locate_key(self, path: Path_) -> tuple[int, int]:
        """The key of the entry at ``path``, else the value, else the nearest parent."""
        return self.keys.get(path) or self.locate(path)


@dataclass
class Source:
    """Loaded data with its positions; ``name`` is what error lines print as FILE."""

    data: Any
    name: str
    positions: PositionIndex
    folder: Path | None = None


_FILES_READ: ContextVar[list[Path] | None] = ContextVar("readout_files_read", default=None)


@contextmanager
def files_read() -> Iterator[list[Path]]:
    """The files beside a readout (a logo, a scheme file) that validation reads while in
    the block: what else a member's output depends on, besides the member itself."""
    found: list[Path] = []
    token = _FILES_READ.set(found)
    try:
        yield found
    finally:
        _FILES_READ.reset(token)


def note_file_read(path: Path) -> None:
    """Tell `files_read` that ``path`` was read."""
    found = _FILES_READ.get()
    if found is not None:
        found.append(path)


def read_text(source: str | Path | TextIO, *, max_bytes: int = MAX_BYTES) -> tuple[str, str]:
    """The text of a path, ``-`` (stdin) or an open file, and the name to report it by."""
    if isinstance(source, (str, Path)) and str(source) == "-":
        return _decode(sys.stdin.buffer.read(max_bytes + 1), "<stdin>", max_bytes), "<stdin>"
    if isinstance(source, (str, Path)):
        name = str(source)
        try:
            with open(source, "rb") as handle:
                raw = handle.read(max_bytes + 1)
        except FileNotFoundError:
            raise LoadError.single(name, "The file does not exist.") from None
        except IsADirectoryError:
            raise LoadError.single(name, "This is a folder, not a readout file.") from None
        except OSError as exc:
            raise LoadError.single(name, f"The file cannot be read: {exc.strerror}.") from None
        return _decode(raw, name, max_bytes), name
    text = source.read(max_bytes + 1)
    name = getattr(source, "name", "<stream>")
    if len(text.encode("utf-8")) > max_bytes:
        raise LoadError.single(name, _too_large(max_bytes))
    return text, name


def _decode(raw: bytes, name: str, max_bytes: int) -> str:
    if len(raw) > max_bytes:
        raise LoadError.single(name, _too_large(max_bytes))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1:].decode("utf-8", "replace")) + 1
        raise LoadError.single(name, "The file is not valid UTF-8 text; save it as UTF-8.",
                               line=line, column=column) from None


def _too_large(max_bytes: int) -> str:
    return (f"The file is larger than {max_bytes // (1024 * 1024)} MB; "
            "a readout should be far smaller. Split it, or check it is the right file.")


def parse(text: str, name: str = "<string>", *, folder: Path | None = None,
          max_bytes: int = MAX_BYTES) -> Source:
    """Parse YAML or JSON text into a `Source`, or raise `LoadError` with every problem.

    ``max_bytes`` counts the text's UTF-8 bytes, as a file's size does."""
    if len(text) > max_bytes or (len(text) * 4 > max_bytes and len(
            text.encode("utf-8", "surrogatepass")) > max_bytes):
        raise LoadError.single(name, _too_large(max_bytes))
    surrogate = _SURROGATE.search(text)
    if surrogate is not None:
        line, column = _line_and_column(text, surrogate.start())
        raise LoadError.single(name, f"The text holds U+{ord(surrogate.group()):04X}, half "
                               "of a character pair, which is no character on its own; "
                               "remove it.", line=line, column=column)
    builder = _Builder(name)
    loader = None
    try:
        loader = _Loader(text)
        data = builder.document(loader.get_event)
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow, by offset
        line, column = _line_and_column(text, exc.position)
        code = int(exc.character)
        escape = f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"
        raise LoadError.single(name, f"The character U+{code:04X} cannot appear in a YAML "
                               f"file; remove it, or write it as {escape} inside double "
                               "quotes.", line=line, column=column) from None
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, name, text) from None
    except yaml.YAMLError as exc:
        raise LoadError.single(name, f"The file is not valid YAML: {exc}.") from None
    finally:
        if loader is not None:
            loader.dispose()
    if builder.problems:
        raise LoadError(sorted(builder.problems, key=lambda p: (p.line, p.column)))
    return Source(data=data, name=name, positions=builder.positions, folder=folder)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _line_and_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of the character at ``offset`` of ``text``."""
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def _tab_at(text: str, mark: Any) -> bool:
    """Whether the line of ``mark`` has a tab in its indentation, or at the mark."""
    if mark is None:
        return False
    lines = text.splitlines()
    if not 0 <= mark.line < len(lines):
        return False
    line = lines[mark.line]
    indent = line[: len(line) - len(line.lstrip(" \t"))]
    return "\t" in indent or line[mark.column:mark.column + 1] == "\t"


def _syntax_error(exc: yaml.MarkedYAMLError, name: str, text: str) -> LoadError:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "syntax error"
    if "nesting depth" in problem:  # libyaml's own limit, far above ours
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        return LoadError.single(name, DEPTH_MESSAGE, line=line, column=column)
    hint = ""
    if "tab" in problem or _tab_at(text, mark):
        hint = " Indent with spaces, never tabs."
        if "tab" not in problem:
            problem = "this line is indented with a tab"
    elif "mapping values are not allowed" in problem:
        hint = " A value containing ': ' must be quoted."
    line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    message = f"The YAML is malformed: {problem}.{hint}"
    return LoadError.single(name, message, line=line, column=column)


class _Stop(Exception):
    """Parsing ends here: the file is past a limit (see `_Builder.count`)."""


class _Builder:
    """Builds plain data straight from the parser's events, in one pass: positions,
    problems and limits as it goes. No node graph is made, so an alias can never be
    expanded, and a file past `MAX_VALUES` is refused before the rest is parsed."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.positions = PositionIndex()
        self.problems: list[Problem] = []
        self._next: Callable[[], yaml.Event] = _no_events
        self.values = 0

    def document(self, next_event: Callable[[], yaml.Event]) -> Any:
        """The data of the single document whose events ``next_event`` gives, one a
        call (the parser's own ``get_event``: no generator between it and the walk)."""
        self._next = next_event
        try:
            event = self._next()  # StreamStart
            event = self._next()
            if isinstance(event, yaml.StreamEndEvent):
                self.problems.append(Problem(self.name, 1, 1, "", "The file is empty; a "
                                             "readout starts with 'format: readout/1'."))
                return None
            data = self.value(self._next(), ())  # after DocumentStart
            self._next()  # DocumentEnd
            event = self._next()
            if isinstance(event, yaml.DocumentStartEvent):
                self._problem(event, (), "The file holds a second YAML document (after "
                                         "'---'); a readout is one document.")
        except _Stop:
            return None
        return data

    def value(self, event: yaml.Event, path: Path_) -> Any:
        """The value that starts with ``event``; its events are consumed."""
        self.values += 1
        if self.values > MAX_VALUES:
            self.count(event, path)
        mark = event.start_mark
        self.positions.values[path] = ((mark.line + 1, mark.column + 1) if mark is not None
                                       else (0, 0))
        if type(event) is yaml.ScalarEvent and len(path) <= MAX_DEPTH and (
                event.tag is None or event.tag in PLAIN_TAGS):
            # the common case, decided as the general one below would decide it
            if not event.style and event.value in NULLS:  # plain: '' (libyaml) or None
                return None
            return event.value
        if isinstance(event, yaml.AliasEvent):
            self._problem(event, path, f"YAML aliases (*{event.anchor}) are not allowed in "
                                       "a readout; write the value out in full.")
            return None
        if len(path) > MAX_DEPTH:
            self._problem(event, path, DEPTH_MESSAGE)
            self.skip(event, path)
            return None
        tag = getattr(event, "tag", None)
        if tag is not None and tag not in PLAIN_TAGS:
            self._problem(event, path, f"The tag {tag.split(':', 2)[-1]!r} is not allowed; "
                                       "remove it and write the plain value.")
            self.skip(event, path)
            return None
        if isinstance(event, yaml.SequenceStartEvent):
            items: list[Any] = []
            next_event = self._next
            while type(event := next_event()) is not yaml.SequenceEndEvent:
                items.append(self.value(event, (*path, len(items))))
            return items
        return self._mapping(path)

    def _mapping(self, path: Path_) -> dict[str, Any]:
        result: dict[str, Any] = {}
        next_event = self._next
        keys = self.positions.keys
        while type(key := next_event()) is not yaml.MappingEndEvent:
            if type(key) is yaml.AliasEvent:
                self._problem(key, path, f"YAML aliases (*{key.anchor}) are not allowed in "
                                         "a readout; write the value out in full.")
                self.skip(next_event(), path)
                continue
            if type(key) is not yaml.ScalarEvent or (
                    key.tag is not None and key.tag not in PLAIN_TAGS):
                self._problem(key, path, "A key must be plain text.")
                self.skip(key, path)
                self.skip(next_event(), path)
                continue
            name = key.value
            if name in result:
                self._problem(key, (*path, name), f"The key {name!r} appears twice; keep one.")
                self.skip(next_event(), path)
                continue
            mark = key.start_mark
            here = (*path, name)
            keys[here] = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
            result[name] = self.value(next_event(), here)
        return result

    def skip(self, event: yaml.Event, path: Path_) -> None:
        """Consume the rest of the value that starts with ``event``, unbuilt."""
        depth = int(isinstance(event, yaml.CollectionStartEvent))
        while depth:
            event = self._next()
            self.values += 1
            self.count(event, path)
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1

    def count(self, event: yaml.Event, path: Path_) -> None:
        """Past `MAX_VALUES` (values counted by the caller), the file is refused here
        and now."""
        if self.values > MAX_VALUES:
            self._problem(event, path, VALUES_MESSAGE)
            raise _Stop

    def _problem(self, event: yaml.Event, path: Path_, message: str) -> None:
        line, column = _place(event)
        self.problems.append(Problem(self.name, line, column, dotted(path), message))


def _no_events() -> yaml.Event:
    raise _Stop


def _place(event: yaml.Event) -> tuple[int, int]:
    """Where ``event`` starts: 1-based line and column."""
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)


def too_deep(data: Any, limit: int = MAX_DEPTH) -> Path_ | None:
    """The path of the first value of ``data`` nested deeper than ``limit`` (a value
    that contains itself is infinitely deep), or ``None``."""
    stack: list[tuple[Any, Path_]] = [(data, ())]
    while stack:
        value, path = stack.pop()
        if len(path) > limit:
            return path
        if isinstance(value, dict):
            stack.extend((item, (*path, str(key))) for key, item in value.items())
        elif isinstance(value, (list, tuple)):
            stack.extend((item, (*path, index)) for index, item in enumerate(value))
    return None


def dotted(path: Path_) -> str:
    """``('key_points', 2, 'body')`` -> ``key_points.2.body``."""
    return ".".join(str(part) for part in path)
