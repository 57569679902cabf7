"""Where rendered markup came from: a map from the rendered XML back to template lines.

A template error found in the rendered XML (a misspelt style, an unknown element,
malformed markup) is only useful at the template's own line. `render_mapped` renders a
template piece by piece (the pieces Jinja's generated code yields) and notes, for each,
the template and line that yielded it: the innermost generator's frame, through Jinja's
debug information (``Template.get_corresponding_lineno``). A piece of template text
copied as written is found in the template source, so a position inside it maps to its
exact line and column; a value or a macro's output maps to the line that printed it.

Mapping costs a second rendering, so it is done only once an error has been found.
"""

from __future__ import annotations

import bisect
import inspect
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import jinja2


@dataclass(frozen=True, slots=True)
class _Piece:
    offset: int      # where the piece starts in the rendered text
    file: str        # the template file that yielded it
    line: int        # its template line (1-based)
    column: int      # its template column (1-based)
    literal: bool    # template text copied as written: positions inside it map exactly


class SourceMap:
    """Rendered (line, column) -> (template file, line, column)."""

    def __init__(self, text: str, pieces: list[_Piece]) -> None:
        self.text = text
        self.pieces = pieces
        self.starts = [piece.offset for piece in pieces]
        self.line_offsets = [0]
        for index, char in enumerate(text):
            if char == "\n":
                self.line_offsets.append(index + 1)

    def locate(self, line: int, column: int) -> tuple[str, int, int] | None:
        """Where the rendered character at ``line``, ``column`` (1-based) came from."""
        if not self.pieces or not 0 < line <= len(self.line_offsets):
            return None
        offset = self.line_offsets[line - 1] + max(column, 1) - 1
        piece = self.pieces[max(bisect.bisect_right(self.starts, offset) - 1, 0)]
        if not piece.literal:
            return piece.file, piece.line, piece.column
        before = self.text[piece.offset:offset]
        newlines = before.count("\n")
        if not newlines:
            return piece.file, piece.line, piece.column + len(before)
        return piece.file, piece.line + newlines, len(before) - before.rfind("\n")


def render_mapped(template: jinja2.Template, context: Mapping[str, Any]) -> SourceMap:
    """Render ``template`` with ``context`` and map every piece of the result."""
    environment = template.environment
    sources: dict[str, str] = {}
    pieces: list[_Piece] = []
    offset = 0
    text: list[str] = []
    generator = template.root_render_func(template.new_context(dict(context)))
    try:
        for chunk in generator:
            frame = _innermost(generator).gi_frame
            owner: jinja2.Template | None = frame.f_globals.get("__jinja_template__")
            if owner is None:
                owner = template
            line = owner.get_corresponding_lineno(frame.f_lineno)
            source = _source(environment, owner, sources)
            pieces.append(_place(chunk, offset, owner, line, source))
            text.append(chunk)
            offset += len(chunk)
    except Exception:
        environment.handle_exception()
    return SourceMap("".join(text), pieces)


def _innermost(generator: Iterator[str]) -> Any:
    """The generator that really yielded: through ``yield from`` (blocks, extends)."""
    current: Any = generator
    while inspect.isgenerator(getattr(current, "gi_yieldfrom", None)):
        current = current.gi_yieldfrom
    return current


def _source(environment: jinja2.Environment, owner: jinja2.Template,
            cache: dict[str, str]) -> str:
    name = owner.name or ""
    if name not in cache:
        try:
            assert environment.loader is not None
            cache[name] = environment.loader.get_source(environment, name)[0]
        except (jinja2.TemplateError, AssertionError, OSError):
            cache[name] = ""
    return cache[name]


def _place(chunk: str, offset: int, owner: jinja2.Template, line: int, source: str) -> _Piece:
    """A piece at the template text it copies (searched from ``line`` on, where Jinja's
    debug information puts the statement before it), else at the line that printed it."""
    file = owner.filename or owner.name or "<template>"
    lines = source.splitlines(keepends=True)
    start = sum(len(text) for text in lines[:max(line - 1, 0)])
    found = source.find(chunk, start) if chunk else -1
    if found >= 0:
        at_line = source.count("\n", 0, found) + 1
        return _Piece(offset, file, at_line, found - source.rfind("\n", 0, found), True)
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    marker = here.find("{{")
    column = marker + 1 if marker >= 0 else len(here) - len(here.lstrip()) + 1
    return _Piece(offset, file, line, column, False)
