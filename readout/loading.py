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
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import yaml

from .errors import LoadError, Problem

MAX_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 32  # levels of nesting; the format itself needs six at most
DEPTH_MESSAGE = (f"This is nested more than {MAX_DEPTH} levels deep; a readout needs a few "
                 "levels at most. Check the brackets and the indentation.")
NULLS = frozenset({"", "~", "null", "Null", "NULL"})
PLAIN_TAGS = frozenset({
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq",
})
_Loader: type = getattr(yaml, "CBaseLoader", yaml.BaseLoader)

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
    """Parse YAML or JSON text into a `Source`, or raise `LoadError` with every problem."""
    if len(text) > max_bytes:
        raise LoadError.single(name, _too_large(max_bytes))
    surrogate = _SURROGATE.search(text)
    if surrogate is not None:
        line, column = _line_and_column(text, surrogate.start())
        raise LoadError.single(name, f"The text holds U+{ord(surrogate.group()):04X}, half "
                               "of a character pair, which is no character on its own; "
                               "remove it.", line=line, column=column)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow, by offset
        line, column = _line_and_column(text, exc.position)
        code = int(exc.character)
        escape = f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"
        raise LoadError.single(name, f"The character U+{code:04X} cannot appear in a YAML "
                               f"file; remove it, or write it as {escape} inside double "
                               "quotes.", line=line, column=column) from None
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, name) from None
    except yaml.YAMLError as exc:
        raise LoadError.single(name, f"The file is not valid YAML: {exc}.") from None
    except RecursionError:  # PyYAML without libyaml composes recursively
        raise LoadError.single(name, DEPTH_MESSAGE) from None
    if node is None:
        raise LoadError.single(name, "The file is empty; a readout starts with "
                                     "'format: readout/1'.", line=1, column=1)
    builder = _Builder(name)
    data = builder.build(node, ())
    if builder.aliased:
        builder.problems.extend(_alias_problems(text, name))
    if builder.problems:
        raise LoadError(sorted(builder.problems, key=lambda p: (p.line, p.column)))
    return Source(data=data, name=name, positions=builder.positions, folder=folder)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _line_and_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of the character at ``offset`` of ``text``."""
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def _syntax_error(exc: yaml.MarkedYAMLError, name: str) -> LoadError:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "syntax error"
    if "nesting depth" in problem:  # libyaml's own limit, far above ours
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        return LoadError.single(name, DEPTH_MESSAGE, line=line, column=column)
    hint = ""
    if "tab" in problem:
        hint = " Indent with spaces, never tabs."
    elif "mapping values are not allowed" in problem:
        hint = " A value containing ': ' must be quoted."
    line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    message = f"The YAML is malformed: {problem}.{hint}"
    return LoadError.single(name, message, line=line, column=column)


def _alias_problems(text: str, name: str) -> Iterator[Problem]:
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            mark = event.start_mark
            line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
            yield Problem(name, line, column, "",
                          f"YAML aliases (*{event.anchor}) are not allowed in a readout; "
                          "write the value out in full.")


class _Builder:
    """Turns a composed node graph into plain data, recording positions and problems."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.positions = PositionIndex()
        self.problems: list[Problem] = []
        self.aliased = False
        self._seen: set[int] = set()

    def build(self, node: yaml.Node, path: Path_) -> Any:
        if id(node) in self._seen:
            self.aliased = True
            return None
        self._seen.add(id(node))
        mark = node.start_mark
        self.positions.values[path] = (mark.line + 1, mark.column + 1)
        if len(path) > MAX_DEPTH:
            self._problem(node, path, DEPTH_MESSAGE)
            return None
        if node.tag not in PLAIN_TAGS:
            self._problem(node, path, f"The tag {node.tag.split(':', 2)[-1]!r} is not "
                          "allowed; remove it and write the plain value.")
            return None
        if isinstance(node, yaml.ScalarNode):
            if not node.style and node.value in NULLS:
                return None
            return node.value
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, index)) for index, item in enumerate(node.value)]
        assert isinstance(node, yaml.MappingNode)
        return self._mapping(node, path)

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if id(key_node) in self._seen:  # an alias as a key
                self.aliased = True
                continue
            self._seen.add(id(key_node))
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in PLAIN_TAGS:
                self._problem(key_node, path, "A key must be plain text.")
                continue
            key = key_node.value
            if key in result:
                self._problem(key_node, (*path, key), f"The key {key!r} appears twice; "
                              "keep one.")
                continue
            mark = key_node.start_mark
            self.positions.keys[(*path, key)] = (mark.line + 1, mark.column + 1)
            result[key] = self.build(value_node, (*path, key))
        return result

    def _problem(self, node: yaml.Node, path: Path_, message: str) -> None:
        line, column = self.positions.values.get(path, (0, 0))
        if node.start_mark is not None:
            line, column = node.start_mark.line + 1, node.start_mark.column + 1
        self.problems.append(Problem(self.name, line, column, dotted(path), message))


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
