"""Every character a document prints must have a font: checked before layout.

A character that no font of the theme covers would print as an empty box (or vanish),
silently: text extraction still reads it back, so nothing but a person's eyes would
notice. So a document is checked before any writer lays it out (`require_fonts`), and
what is missing is an error naming the character, ``U+1F600 (GRINNING FACE)``; when the
document comes from a readout, each problem names the field and the line where the
character was typed (`located`), and ``validate`` warns about the same characters
against the default theme (`warnings`).

The rule is conservative and simple: each font role the theme's styles use (``body``,
``heading``...) must cover every character of the document, since a template may print
any field in any style. The check is a set difference over code points: cheap.
"""

from __future__ import annotations

import dataclasses
import unicodedata
import weakref
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import Problem, RenderError
from .fontchain import chain_characters, chain_of
from .safe_text import printable
from .themes import Theme

if TYPE_CHECKING:  # the tree is imported by the checks of documents only, not by validate
    from . import tree

# Never drawn, so never missing: line ends, tabs, no-break space (drawn as a space);
# control characters, lone surrogates and non-characters, which writers drop; format
# characters (joiners, direction marks), which shaping consumes.
_INVISIBLE = frozenset(map(ord, "\n\r\t\u00a0\ufffe\uffff"))
_DROPPED = frozenset({"Cc", "Cs", "Cf"})


@dataclasses.dataclass(frozen=True, slots=True)
class Missing:
    """A character no font of role ``role`` covers; ``families`` names that chain."""

    char: str
    role: str
    families: tuple[str, ...]

    @property
    def name(self) -> str:
        """``U+1F600 (GRINNING FACE)``."""
        label = unicodedata.name(self.char, "")
        return f"U+{ord(self.char):04X}" + (f" ({label})" if label else "")

    def message(self, where: str = "") -> str:
        fonts = ", ".join(self.families)
        return (f"The character {self.name}{where} is in no font of the theme's "
                f"'{self.role}' fonts ({fonts}), so it would print as an empty box; "
                "remove it or replace it, or give the theme a font that has it.")


def _roles(theme: Theme) -> list[str]:
    found = _ROLES.get(id(theme))
    if found is None or found[0] is not theme:
        roles = {"body"}
        roles.update(str(theme.style(name).font) for name in theme.styles)
        found = _ROLES[id(theme)] = (theme, sorted(roles))
        if len(_ROLES) > 64:
            _ROLES.clear()
    return found[1]


_ROLES: dict[int, tuple[Theme, list[str]]] = {}


def missing(text: str, theme: Theme) -> list[Missing]:
    """The characters of ``text`` (first appearance first) that a font role of
    ``theme`` does not cover."""
    codes = set(map(ord, printable("".join(set(text))))) - _INVISIBLE  # each character alone
    found: dict[str, Missing] = {}
    for role in _roles(theme):
        chain = chain_of(theme, role)
        lacking = codes - chain_characters(chain)
        for code in lacking:
            char = chr(code)
            if unicodedata.category(char) in _DROPPED or char in found:
                continue
            found[char] = Missing(char, role, tuple(f.family for f in chain))
    return sorted(found.values(), key=lambda m: text.index(m.char))


def document_text(document: tree.Document) -> str:
    """Every character a document prints (body, headers, footers), in order."""
    from . import tree  # here: validate, which imports this module, needs no tree

    found = _TEXTS.get(id(document))
    if found is not None and found[0]() is document:
        return found[1]
    parts: list[str] = []
    for blocks in (document.first_header or (), document.header, document.body,
                   document.footer):
        for block in blocks:
            _block_text(tree, block, parts)
    text = "".join(parts)
    _remember(_TEXTS, document, text)
    return text


# The last document seen, with its text, and the last found to have a font for every
# character, with its theme: a document is checked before it is written
# (`rendering.prepare`), then by each writer it goes to. Each is known by a weak
# reference, which holds nothing alive (a long digest's tree, held, would cost every
# later garbage collection its walk) and is dead once the document is gone.
_TEXTS: dict[int, tuple[weakref.ref[tree.Document], str]] = {}
_COMPLETE: dict[int, tuple[weakref.ref[tree.Document], Theme]] = {}


def _remember(memo: dict[int, tuple[weakref.ref[tree.Document], Any]],
              document: tree.Document, value: Any) -> None:
    memo.clear()
    memo[id(document)] = (weakref.ref(document), value)


def _complete(document: tree.Document, theme: Theme) -> bool:
    found = _COMPLETE.get(id(document))
    return found is not None and found[0]() is document and found[1] is theme


def _block_text(tree: Any, block: Any, parts: list[str]) -> None:
    kind = type(block)
    if kind is tree.Paragraph or kind is tree.Heading:
        _inline_text(tree, block.children, parts)
    elif kind is tree.BulletList:
        for item in block.items:
            for child in item:
                _block_text(tree, child, parts)
    elif kind is tree.Table:
        for row in ((block.header,) if block.header else ()) + block.rows:
            for cell in row.cells:
                _inline_text(tree, cell.children, parts)
    elif kind is tree.Quote:
        for child in block.children:
            _block_text(tree, child, parts)
        _inline_text(tree, block.attribution, parts)
    elif kind is tree.Section:
        for child in block.children:
            _block_text(tree, child, parts)


def _inline_text(tree: Any, inlines: tuple[Any, ...], parts: list[str]) -> None:
    """`tree.plain_text` of ``inlines``, added to ``parts``."""
    for node in inlines:
        kind = type(node)
        if kind is tree.Text:
            parts.append(node.text)
        elif kind is tree.Strong or kind is tree.Emphasis or kind is tree.Link:
            _inline_text(tree, node.children, parts)
        elif kind is tree.LineBreak:
            parts.append("\n")


def require_fonts(document: tree.Document, theme: Theme, text: str | None = None) -> None:
    """Raise `RenderError` naming each character of ``document`` no font covers
    (``text``: its `document_text`, when the caller has it already)."""
    if _complete(document, theme):
        return
    lacking = missing(document_text(document) if text is None else text, theme)
    if lacking:
        raise RenderError([Problem("", 0, 0, "", item.message()) for item in lacking])
    _remember(_COMPLETE, document, theme)


# -- where a readout's character was typed ----------------------------------------------------

def field_texts(value: Any, path: tuple[str | int, ...] = ()
                ) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every text of a model object with its field path (``("key_points", 2, "body")``)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from field_texts(item, (*path, index))
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for name in _typed_fields(type(value)):
            yield from field_texts(getattr(value, name), (*path, name))


def _texts(value: Any, out: list[str]) -> list[str]:
    """Every text of a model object, as `field_texts` finds them, without their paths."""
    if isinstance(value, str):
        out.append(value)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _texts(item, out)
    else:
        for name in _text_fields(type(value)):
            _texts(getattr(value, name), out)
    return out


def _text_fields(cls: type) -> tuple[str, ...]:
    """The fields `_texts` walks in an instance of ``cls``: a data class's
    `_typed_fields`, nothing of anything else (a class itself included)."""
    found = _TEXT_FIELDS.get(cls)
    if found is None:
        found = _TEXT_FIELDS[cls] = (
            _typed_fields(cls) if dataclasses.is_dataclass(cls)
            and not issubclass(cls, type) else ())
    return found


_TEXT_FIELDS: dict[type, tuple[str, ...]] = {}


@lru_cache(maxsize=256)
def _typed_fields(cls: type) -> tuple[str, ...]:
    """The fields of a model class that hold what the user typed (not ``source``,
    ``scheme``, ``positions``: those do not take part in comparisons)."""
    return tuple(item.name for item in dataclasses.fields(cls) if item.compare)


def located(readout: Any, lacking: list[Missing], severity: Any = "error"
            ) -> list[Problem]:
    """A problem per missing character per field that holds it, at its line."""
    problems: list[Problem] = []
    if not lacking:
        return problems
    texts = list(field_texts(readout))
    for item in lacking:
        for path, text in texts:
            if item.char in text:
                file, line, column = _position(readout, path, item.char)
                dotted = ".".join(str(part) for part in path)
                problems.append(Problem(file, line, column, dotted,
                                        item.message(f" in {dotted}"), severity))
    return problems


def _position(readout: Any, path: tuple[str | int, ...], char: str) -> tuple[str, int, int]:
    """The file, line and column where ``char`` was typed in the field at ``path``."""
    positions = getattr(readout, "positions", None)
    source: Path | None = getattr(readout, "source", None)
    name = str(source) if source else getattr(readout, "origin", "")
    if positions is None:
        return name, 0, 0
    line, column = positions.locate(path)
    if source is not None and line:
        try:
            lines = source.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            return name, line, column
        for number in range(line - 1, len(lines)):
            at = lines[number].find(char, column - 1 if number == line - 1 else 0)
            if at >= 0:
                return name, number + 1, at + 1
    return name, line, column


def check_readout_document(readout: Any, document: tree.Document, theme: Theme) -> None:
    """`require_fonts`, with each problem located in the readout that made ``document``
    (a character only the template prints is reported without a field)."""
    if _complete(document, theme):
        return
    problems: list[Problem] = []
    for item in missing(document_text(document), theme):
        problems += located(readout, [item]) or [
            Problem(getattr(readout, "origin", ""), 0, 0, "", item.message())]
    if problems:
        raise RenderError(problems)
    _remember(_COMPLETE, document, theme)


def warnings(readout: Any, theme: Theme) -> list[Problem]:
    """Warnings for characters of ``readout``'s fields that ``theme`` cannot print."""
    text = "".join(_texts(readout, []))
    return located(readout, missing(text, theme), "warning")
