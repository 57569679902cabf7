"""Themes: page set-up, font chains, layout measures and named styles, as data.

A theme is a ``readout-theme/1`` YAML file (see ``templates/themes/default.yaml``),
validated by `theme_schema` with every mistake located. A user's theme extends the
built-in default unless it says ``extends: none``, so it gives only what it changes.

Writers ask a theme for a resolved `Style` by name; a style inherits every property it
leaves out from its ``parent`` (by default ``body``), except the box properties
(``background``, ``border_colour``, ``border_width``, ``padding``) and ``word_style``.
A style's ``font`` names a font role (``body``, ``heading``...), whose `FontChain` lists
families in order: each run of text is set in the first family that covers it.
Writers hard-code no look: what a document looks like is here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

BUILTIN_THEMES = resources.files("readout.templates").joinpath("themes")
FONT_DIR = resources.files("readout.fonts")
THEME_FORMAT = "readout-theme/1"
# Page sizes by name, portrait (width, height) in millimetres.
PAGE_SIZES_MM = {"A3": (297.0, 420.0), "A4": (210.0, 297.0), "A5": (148.0, 210.0),
                 "letter": (215.9, 279.4), "legal": (215.9, 355.6)}


@dataclass(frozen=True, slots=True)
class PageSetup:
    """Page size and margins, in millimetres."""

    size: str = "A4"
    margin_top_mm: float = 24
    margin_bottom_mm: float = 22
    margin_left_mm: float = 22
    margin_right_mm: float = 22
    header_mm: float = 10
    footer_mm: float = 10

    @property
    def width_mm(self) -> float:
        return PAGE_SIZES_MM[self.size][0]

    @property
    def height_mm(self) -> float:
        return PAGE_SIZES_MM[self.size][1]

    @property
    def text_width_mm(self) -> float:
        return self.width_mm - self.margin_left_mm - self.margin_right_mm


@dataclass(frozen=True, slots=True)
class FontFamily:
    """A family of four TrueType files; ``family`` is the name Word shows."""

    family: str
    regular: Path
    bold: Path
    italic: Path
    bold_italic: Path

    def face(self, bold: bool, italic: bool) -> Path:
        """The file of one face of the family."""
        return (self.regular, self.bold, self.italic, self.bold_italic)[bold + 2 * italic]


@dataclass(frozen=True, slots=True)
class FontChain:
    """Font families in order of preference: a run of text is set in the first family
    that covers it. ``families`` is never empty; ``first`` is the main family."""

    families: tuple[FontFamily, ...]

    @property
    def first(self) -> FontFamily:
        return self.families[0]


@dataclass(frozen=True, slots=True)
class Layout:
    """The measures writers used to hard-code: paddings, gaps and steps."""

    box_padding: float = 6.0      # points between a box's edge and its text
    cell_padding_x: float = 4.0   # points left and right of a table cell's text
    cell_padding_y: float = 3.0   # points above and below a table cell's text
    bullet_gap_mm: float = 4.5    # from a bullet to its text
    list_step_mm: float = 6.0     # how much further each nested list level starts


@dataclass(frozen=True, slots=True)
class Style:
    """A fully resolved style: every property has a value."""

    name: str
    font: str = "body"
    size: float = 10.5
    leading: float = 14.5
    bold: bool = False
    italic: bool = False
    colour: str = "#000000"
    background: str | None = None
    border_colour: str | None = None
    border_width: float = 0.0
    alignment: str = "left"
    space_before: float = 0.0
    space_after: float = 6.0
    indent_mm: float = 0.0
    keep_with_next: bool = False
    word_style: str | None = None


STYLE_KEYS = frozenset(f.name for f in fields(Style)) - {"name"} | {"parent"}
INHERITED_KEYS = frozenset(STYLE_KEYS) - {"word_style", "parent", "background", "border_colour",
                                          "border_width"}


@dataclass(frozen=True)
class Theme:
    """Page set-up, font chains, layout and the style table of one theme.

    ``styles`` holds each style's own properties (validated, colours as ``#rrggbb``);
    ``files`` is every file the theme is made of (for fingerprints).
    """

    name: str
    page: PageSetup
    fonts: dict[str, FontChain]
    styles: dict[str, dict[str, Any]]
    layout: Layout = Layout()
    source: str = ""
    reference_docx: Path | None = None
    docx_embed_fonts: bool = True  # embed the body family's four TTFs in every DOCX
    files: tuple[Path, ...] = field(default=())

    def style(self, name: str) -> Style:
        """The resolved style ``name``; an unknown name resolves to ``body``."""
        return _resolve(self, name)

    def has_style(self, name: str) -> bool:
        return name in self.styles

    def chain(self, role: str) -> FontChain:
        """The font chain of role ``role``; an unknown role gives the body's."""
        return self.fonts.get(role) or self.fonts["body"]

    def font(self, role: str) -> FontFamily:
        """The first family of role ``role``'s chain."""
        return self.chain(role).first


def _resolve(theme: Theme, name: str) -> Style:
    chain: list[dict[str, Any]] = []
    current: str | None = name if name in theme.styles else "body"
    seen: set[str] = set()
    while current is not None and current not in seen:
        seen.add(current)
        entry = theme.styles.get(current, {})
        chain.append(entry)
        current = entry.get("parent", "body" if current != "body" else None)
    values: dict[str, Any] = {}
    for depth, entry in enumerate(reversed(chain)):
        own = depth == len(chain) - 1
        for key, value in entry.items():
            if key != "parent" and (own or key in INHERITED_KEYS):
                values[key] = value
    return Style(name=name, **values)


def load_theme(path: Path | str | None = None) -> Theme:
    """Load a theme file; ``None`` gives the built-in default theme.

    Raises `ThemeError` (or `LoadError` for a file that cannot be read as YAML) with
    every problem of the file, located.
    """
    if path is None:
        return default_theme()
    from .loading import parse, read_text
    from .theme_schema import validate_theme

    file = Path(path)
    text, name = read_text(file)
    return validate_theme(parse(text, name, folder=file.parent))


@cache
def default_theme() -> Theme:
    """The built-in default theme (loaded once per process)."""
    from .loading import parse
    from .theme_schema import validate_theme

    with resources.as_file(BUILTIN_THEMES.joinpath("default.yaml")) as path:
        text = path.read_text(encoding="utf-8")
        return validate_theme(parse(text, str(path), folder=path.parent), builtin=True)


_THEME_LINE = re.compile(
    r"""^(format|"format")\s*:\s*["']?readout-theme/1["']?\s*,?\s*(\#.*)?$""", re.MULTILINE)
_FORMAT_LINE = re.compile(r"""^(format|"format")\s*:""", re.MULTILINE)
_THEME_KEY_LINE = re.compile(r"""^(styles|fonts|page|layout)\s*:""", re.MULTILINE)


def is_theme_file(path: Path) -> bool:
    """Whether ``path`` is a theme: it declares ``format: readout-theme/1`` at its top
    level, or (a theme from before the format line) has no format line but top-level
    ``styles``, ``fonts``, ``page`` or ``layout``."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    if _THEME_LINE.search(text):
        return True
    return not _FORMAT_LINE.search(text) and bool(_THEME_KEY_LINE.search(text))


def builtin_font(file_name: str) -> Path | None:
    """A font file shipped with the package, by file name, or ``None``."""
    candidate = FONT_DIR.joinpath(file_name)
    if not candidate.is_file():
        return None
    with resources.as_file(candidate) as path:
        return Path(path)
