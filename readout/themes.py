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
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from enum import StrEnum
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from .cache_folder import file_stamps
from .errors import TemplateError
from .names import PDF_STANDARDS as PDF_STANDARDS  # where it was
from .package_data import package_folder

BUILTIN_THEMES = package_folder("readout.templates") / "themes"
FONT_DIR = package_folder("readout.fonts")
THEME_FORMAT = "readout-theme/1"
# Page sizes by name, portrait (width, height) in millimetres.
PAGE_SIZES_MM = {"A3": (297.0, 420.0), "A4": (210.0, 297.0), "A5": (148.0, 210.0),
                 "letter": (215.9, 279.4), "legal": (215.9, 355.6)}
# What a PDF conforms to: always PDF/UA-1 (tagged); "a-2b" adds PDF/A-2b (archival).


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
    rule_width: float = 0.5       # points: a rule, or a table grid, that names no width


class Alignment(StrEnum):
    """How the lines of a paragraph sit between its margins."""

    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"
    JUSTIFY = "justify"


@dataclass(frozen=True, slots=True)
class Line:
    """A drawn line: a border, a rule, a table grid."""

    colour: str
    width: float


@dataclass(frozen=True, slots=True)
class Style:
    """A fully resolved style: every property has a value. Colours are ``#rrggbb``."""

    name: str
    font: str = "body"                 # a font role: a key of `Theme.fonts`
    size: float = 10.5
    leading: float = 14.5
    bold: bool = False
    italic: bool = False
    colour: str = "#000000"
    background: str | None = None
    border_colour: str | None = None
    border_width: float = 0.0
    padding: float = 6.0               # points between the box and its text, if boxed
    alignment: Alignment = Alignment.LEFT
    space_before: float = 0.0
    space_after: float = 6.0
    indent_mm: float = 0.0
    keep_with_next: bool = False
    word_style: str | None = None

    @property
    def border(self) -> Line | None:
        """The box's border: drawn when ``border_width`` is above 0, in ``border_colour``
        (else the text colour); a colour alone draws nothing."""
        if self.border_width <= 0:
            return None
        return Line(self.border_colour or self.colour, self.border_width)

    @property
    def boxed(self) -> bool:
        """Whether text in this style sits in a box: a background, or a border."""
        return self.background is not None or self.border is not None

    def unboxed(self) -> Style:
        """This style without its box (for the text inside the box)."""
        return replace(self, background=None, border_colour=None, border_width=0.0)


@dataclass(frozen=True, slots=True)
class InlineStyle:
    """What a style applies to a run of text inside a paragraph: only what it (or a
    parent below ``body``) sets; ``None`` keeps the paragraph's."""

    font: str | None = None
    bold: bool | None = None
    italic: bool | None = None
    colour: str | None = None


@dataclass(frozen=True, slots=True)
class TextLine:
    """A line of the theme's own text (a letterhead, header or footer line) in a style.
    ``text`` may hold inline markup; in a header or footer, ``{page}`` and ``{pages}``
    are the page number and count."""

    text: str
    style: str


@dataclass(frozen=True, slots=True)
class Letterhead:
    """The theme's letterhead, which templates print on page 1. ``logo`` replaces the
    issuer's logo and ``lines`` the issuer's names when given; ``alignment``, when given,
    aligns the whole letterhead (its style and every ``letterhead-*`` style)."""

    logo: Path | None = None
    logo_width_mm: float = 18.0
    logo_alt: str | None = None
    lines: tuple[TextLine, ...] | None = None
    alignment: Alignment | None = None


@dataclass(frozen=True, slots=True)
class Watermark:
    """Text drawn large and faint across every page, behind the text (e.g. DRAFT)."""

    text: str
    colour: str = "#a0a0a0"
    opacity: float = 0.3
    angle: float = 45.0          # degrees, counter-clockwise from the baseline
    font: str = "heading"        # a font role; drawn bold
    size: float | None = None    # points; None: as large as the page's diagonal allows

    def fitted_size(self, text_width_at_1pt: float, page: PageSetup) -> float:
        """The size that makes the text span about 70% of the page's diagonal (or
        ``size`` when the theme gives one), for a text ``text_width_at_1pt`` points wide
        at 1 point."""
        if self.size is not None:
            return self.size
        diagonal: float = (page.width_mm ** 2 + page.height_mm ** 2) ** 0.5 / 25.4 * 72
        return max(12.0, min(200.0, 0.7 * diagonal / max(text_width_at_1pt, 0.01)))


STYLE_KEYS = frozenset(f.name for f in fields(Style)) - {"name"} | {"parent"}
BOX_KEYS = frozenset({"background", "border_colour", "border_width", "padding"})
INHERITED_KEYS = STYLE_KEYS - BOX_KEYS - {"word_style", "parent"}
INLINE_KEYS = ("font", "bold", "italic", "colour")
LIST_LEVELS = 3
_NO_INLINE = InlineStyle()


@dataclass(frozen=True)
class Theme:
    """A resolved theme: what every writer reads, and nothing it must work out itself.

    ``styles`` are resolved once (inheritance, colours, alignment, box); ``declared`` is
    each style's own properties as the theme file gives them (for a theme that extends
    this one); ``files`` is every file the theme is made of (for fingerprints).
    Build one with `build_theme`.
    """

    name: str
    page: PageSetup
    fonts: Mapping[str, FontChain]
    styles: Mapping[str, Style]
    inlines: Mapping[str, InlineStyle]
    declared: Mapping[str, Mapping[str, Any]]
    list_levels: tuple[Style | None, ...]
    layout: Layout = Layout()
    source: str = ""
    reference_docx: Path | None = None
    docx_embed_fonts: bool = True  # embed the body family's four TTFs in every DOCX
    pdf_standard: str = "ua-1"     # one of PDF_STANDARDS
    hyphenate: bool | None = None  # None: justified text only (`hyphenation.applies`)
    files: tuple[Path, ...] = field(default=())
    letterhead: Letterhead = Letterhead()
    watermark: Watermark | None = None
    header: tuple[TextLine, ...] = ()   # added below the template's header, every page
    footer: tuple[TextLine, ...] = ()   # added below the template's footer, every page

    def style(self, name: str | None, default: str = "body") -> Style:
        """The resolved style ``name``; a name the theme does not define (or ``None``)
        gives the style ``default``, else ``body``."""
        found = self.styles.get(name) if name is not None else None
        return found or self.styles.get(default) or self.styles["body"]

    def has_style(self, name: str | None) -> bool:
        return name is not None and name in self.styles

    def inline(self, name: str | None) -> InlineStyle:
        """What style ``name`` applies to a run; nothing for an unknown name."""
        return self.inlines.get(name, _NO_INLINE) if name is not None else _NO_INLINE

    def list_level(self, depth: int) -> Style | None:
        """The style of a bullet list ``depth`` levels deep (1 is the outermost): the
        theme's ``list``, ``list2``, ``list3``; a level it leaves out continues the
        indents of the level above; deeper levels take the third. ``None`` when the
        theme has no ``list`` style."""
        return self.list_levels[min(max(depth, 1), LIST_LEVELS) - 1]

    def contents(self, style: Style) -> Style:
        """The style of an unstyled paragraph (or image) inside a section of ``style``:
        its text properties and alignment, the body's spacing, no box, indent, keep or
        Word style of its own (the section's spacing goes around the whole section).
        Made once per theme and style, so the writers' memos keyed by style find it
        again, by identity, in every document."""
        made: dict[Style, Style] = self.__dict__.setdefault("_contents", {})
        found = made.get(style)
        if found is None:
            body = self.style("body")
            found = made[style] = replace(
                style, space_before=body.space_before, space_after=body.space_after,
                background=None, border_colour=None, border_width=0.0,
                keep_with_next=False, indent_mm=0.0, word_style=None)
        return found

    def rule(self, style: Style) -> Line:
        """A horizontal rule in ``style``: its border colour (else its colour), its
        border width (else the layout's rule width)."""
        return Line(style.border_colour or style.colour,
                    style.border_width or self.layout.rule_width)

    def grid(self, style: Style) -> Line:
        """The grid of a table in ``style``: its border colour (else the colour of the
        ``rule`` style), its border width (else the layout's rule width)."""
        return Line(style.border_colour or self.style("rule").colour,
                    style.border_width or self.layout.rule_width)

    def chain(self, role: str) -> FontChain:
        """The font chain of role ``role``; ``heading`` (or an unknown role) gives the
        body's when the theme names none."""
        return self.fonts.get(role) or self.fonts["body"]

    def font(self, role: str) -> FontFamily:
        """The first family of role ``role``'s chain."""
        return self.chain(role).first

    @cached_property
    def key(self) -> str:
        """A text that differs between any two themes that look different (cache key)."""
        return repr((self.name, self.source, self.page, sorted(self.fonts.items()),
                     sorted(self.styles.items()), self.layout, self.reference_docx,
                     self.docx_embed_fonts, self.letterhead, self.watermark, self.header,
                     self.footer, self.pdf_standard, self.hyphenate))

    def with_pdf_standard(self, standard: str | None) -> Theme:
        """This theme with PDFs to ``standard`` (one of `PDF_STANDARDS`; ``None``: the
        theme's own), made once per theme and standard."""
        if standard is None or standard == self.pdf_standard:
            return self
        if standard not in PDF_STANDARDS:
            raise TemplateError.single("", f"The PDF standard {standard!r} is unknown; "
                                           f"choose one of: {', '.join(PDF_STANDARDS)}.")
        variants: dict[str, Theme] = self.__dict__.setdefault("_variants", {})
        found = variants.get(standard)
        if found is None:
            found = variants[standard] = replace(self, pdf_standard=standard)
        return found


def build_theme(*, name: str, page: PageSetup, fonts: Mapping[str, FontChain],
                declared: Mapping[str, Mapping[str, Any]], layout: Layout = Layout(),
                source: str = "", reference_docx: Path | None = None,
                docx_embed_fonts: bool = True, files: tuple[Path, ...] = (),
                letterhead: Letterhead = Letterhead(), watermark: Watermark | None = None,
                header: tuple[TextLine, ...] = (), footer: tuple[TextLine, ...] = (),
                pdf_standard: str = "ua-1", hyphenate: bool | None = None) -> Theme:
    """A `Theme` with every style resolved from the ``declared`` table (each style's own,
    validated properties, ``parent`` naming the style it inherits from). A letterhead
    alignment becomes the alignment of the letterhead's styles."""
    if letterhead.alignment is not None:
        aligned = {"letterhead", *(line.style for line in letterhead.lines or ())}
        declared = {style: {**entry, "alignment": letterhead.alignment.value}
                    if style in aligned or style.startswith("letterhead-") else entry
                    for style, entry in declared.items()}
    styles = {style: _resolve(declared, style, layout) for style in declared}
    inlines = {style: _inline(declared, style) for style in declared}
    return Theme(name=name, page=page, fonts=dict(fonts), styles=styles, inlines=inlines,
                 declared={key: dict(value) for key, value in declared.items()},
                 list_levels=_list_levels(styles, layout), layout=layout, source=source,
                 reference_docx=reference_docx, docx_embed_fonts=docx_embed_fonts,
                 files=files, letterhead=letterhead, watermark=watermark, header=header,
                 footer=footer, pdf_standard=pdf_standard, hyphenate=hyphenate)


def _ancestry(declared: Mapping[str, Mapping[str, Any]], name: str) -> list[Mapping[str, Any]]:
    """The entries of ``name`` and its ancestors, nearest first, up to ``body``."""
    chain: list[Mapping[str, Any]] = []
    current: str | None = name
    seen: set[str] = set()
    while current is not None and current not in seen and current in declared:
        seen.add(current)
        entry = declared[current]
        chain.append(entry)
        current = entry.get("parent", "body" if current != "body" else None)
    return chain


def _resolve(declared: Mapping[str, Mapping[str, Any]], name: str, layout: Layout) -> Style:
    values: dict[str, Any] = {"padding": layout.box_padding}
    chain = _ancestry(declared, name)
    for depth, entry in enumerate(reversed(chain)):
        own = depth == len(chain) - 1
        for key, value in entry.items():
            if key != "parent" and (own or key in INHERITED_KEYS):
                values[key] = value
    if "alignment" in values:
        values["alignment"] = Alignment(values["alignment"])
    return Style(name=name, **values)


def _inline(declared: Mapping[str, Mapping[str, Any]], name: str) -> InlineStyle:
    """A style as a run's style: what it and its parents set, ``body``'s only for
    ``body`` itself (a run already has the paragraph's look)."""
    found: dict[str, Any] = {}
    for entry in _ancestry(declared, name):
        if entry is declared.get("body") and name != "body":
            break
        for key in INLINE_KEYS:
            if key in entry and key not in found:
                found[key] = entry[key]
    return InlineStyle(**found)


def _list_levels(styles: Mapping[str, Style], layout: Layout) -> tuple[Style | None, ...]:
    levels: list[Style | None] = [styles.get("list")]
    for depth in range(2, LIST_LEVELS + 1):
        name = f"list{depth}"
        above = levels[-1]
        if name in styles or above is None:
            levels.append(styles.get(name))
        else:
            levels.append(replace(above, name=name, word_style=f"List Bullet {depth}",
                                  indent_mm=above.indent_mm + layout.list_step_mm))
    return tuple(levels)


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
    found = _LOADED.get(str(file))
    if found is not None and found[0] == file_stamps(found[1].files):
        return found[1]
    text, name = read_text(file)
    theme = validate_theme(parse(text, name, folder=file.parent))
    if len(_LOADED) >= 32:
        _LOADED.pop(next(iter(_LOADED)))
    _LOADED[str(file)] = (file_stamps(theme.files), theme)
    return theme


# Themes loaded from files, by path, with the (mtime, size) of every file they are made
# of: a batch renders hundreds of documents with one theme, loaded and resolved once.
_LOADED: dict[str, tuple[tuple[tuple[int, int], ...], Theme]] = {}


@cache
def default_theme() -> Theme:
    """The built-in default theme (loaded once per process, validated once across
    processes: see `theme_cache`)."""
    from .theme_cache import cached_theme

    path = BUILTIN_THEMES / "default.yaml"
    return cached_theme(path, lambda: _validated_default(path))


def _validated_default(path: Path) -> Theme:
    from .loading import parse
    from .theme_schema import validate_theme

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
    candidate = FONT_DIR / file_name
    return candidate if candidate.is_file() else None
