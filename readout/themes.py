"""Themes: page set-up, fonts and named styles, as data.

A theme is a YAML file (see ``templates/themes/default.yaml``). Writers ask a theme
for a resolved `Style` by name; a style inherits every property it leaves out from its
``parent`` (by default ``body``). Writers never hard-code a look: what a document looks
like is here, so a user can change it without touching code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .errors import TemplateError

BUILTIN_THEMES = resources.files("readout.templates").joinpath("themes")
FONT_DIR = resources.files("readout.fonts")
PAGE_SIZES_MM = {"A4": (210.0, 297.0), "letter": (215.9, 279.4)}


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


@dataclass(frozen=True, slots=True)
class FontFamily:
    """A family of four TrueType files; ``family`` is the name Word shows."""

    family: str
    regular: Path
    bold: Path
    italic: Path
    bold_italic: Path


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
COLOUR_KEYS = frozenset({"colour", "background", "border_colour"})
INHERITED_KEYS = frozenset(STYLE_KEYS) - {"word_style", "parent", "background", "border_colour",
                                          "border_width"}


@dataclass(frozen=True)
class Theme:
    """Page set-up, font families and the raw style table of one theme."""

    name: str
    page: PageSetup
    fonts: dict[str, FontFamily]
    styles: dict[str, dict[str, Any]]
    source: str = ""
    reference_docx: Path | None = None
    docx_embed_fonts: bool = True  # embed the body family's four TTFs in every DOCX

    def style(self, name: str) -> Style:
        """The resolved style ``name``; an unknown name resolves to ``body``."""
        return _resolve(self, name)

    def has_style(self, name: str) -> bool:
        return name in self.styles

    def font(self, key: str) -> FontFamily:
        return self.fonts.get(key) or self.fonts["body"]


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
    """Load a theme file; ``None`` gives the built-in default theme."""
    if path is None:
        return _default_theme()
    return _load(Path(path))


@cache
def _default_theme() -> Theme:
    with resources.as_file(BUILTIN_THEMES.joinpath("default.yaml")) as path:
        return _load(path)


def _load(path: Path) -> Theme:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise TemplateError.single(str(path), f"The theme cannot be read: {exc}") from None
    if not isinstance(data, dict):
        raise TemplateError.single(str(path), "A theme must be a mapping.")
    page = PageSetup(**data.get("page", {}))
    if page.size not in PAGE_SIZES_MM:
        raise TemplateError.single(
            str(path), f"Page size {page.size!r} is unknown; use one of: "
            f"{', '.join(PAGE_SIZES_MM)}.")
    fonts = {key: _font_family(path.parent, spec) for key, spec in data.get("fonts", {}).items()}
    if "body" not in fonts:
        raise TemplateError.single(str(path), "A theme must define a 'body' font family.")
    styles: dict[str, dict[str, Any]] = data.get("styles", {})
    for style_name, entry in styles.items():
        unknown = set(entry) - STYLE_KEYS
        if unknown:
            raise TemplateError.single(
                str(path), f"Style {style_name!r} has unknown properties: "
                f"{', '.join(sorted(unknown))}.")
        for key in COLOUR_KEYS & set(entry):
            entry[key] = _colour(entry[key], f"{style_name}.{key}", path)
    reference = data.get("reference_docx")
    embed = data.get("docx_embed_fonts", True)
    if not isinstance(embed, bool):
        raise TemplateError.single(str(path), "docx_embed_fonts must be true or false.")
    return Theme(name=str(data.get("name", path.stem)), page=page, fonts=fonts, styles=styles,
                 source=str(path), reference_docx=path.parent / reference if reference else None,
                 docx_embed_fonts=embed)


def _colour(value: object, where: str, path: Path) -> str:
    """A colour as ``#rrggbb``; ``#rgb`` is widened. Checked here, once, for every writer."""
    text = str(value)
    if not re.fullmatch(r"#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})", text):
        raise TemplateError.single(str(path), f"The colour {text!r} of {where} is not of "
                                              "the form #rrggbb (or #rgb).")
    if len(text) == 4:
        text = "#" + "".join(c * 2 for c in text[1:])
    return text.lower()


def _font_family(folder: Path, spec: dict[str, str]) -> FontFamily:
    def locate(file_name: str) -> Path:
        own = folder / file_name
        if own.is_file():
            return own
        with resources.as_file(FONT_DIR.joinpath(file_name)) as builtin:
            return Path(builtin)

    return FontFamily(
        family=spec["family"],
        regular=locate(spec["regular"]),
        bold=locate(spec.get("bold", spec["regular"])),
        italic=locate(spec.get("italic", spec["regular"])),
        bold_italic=locate(spec.get("bold_italic", spec.get("bold", spec["regular"]))),
    )
