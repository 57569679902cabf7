"""How a paragraph looks: theme styles resolved into ``w:pPr`` and run properties.

A block whose theme style names a (paragraph) Word style gets that style and nothing
else, so the document stays editable through its styles. A block whose style names no
Word style gets the Word style of its kind (Normal, Heading 2, List Bullet...) plus
direct formatting for what differs from it. An inline style sets only what it names
itself (font, weight, slant, colour). Results are memoised in the theme's `Base`.
"""

from __future__ import annotations

from typing import Any

from ...themes import Style, Theme
from .base import Base
from .styles import KINDS, para_props, run_props
from .xml import ParaProps, RunProps, border_xml, ppr, ppr_parts, rpr, shading_xml

_PARA_FIELDS = ("space_before", "space_after", "leading", "alignment", "indent_mm",
                "keep_with_next")
_RUN_FIELDS = ("font", "size", "bold", "italic", "colour")
_INLINE_KEYS = ("font", "bold", "italic", "colour")


def boxes(theme: Theme, style: str | None) -> bool:
    """Whether theme style ``style`` draws a box: a background or a border."""
    if not style or not theme.has_style(style):
        return False
    found = theme.style(style)
    return bool(found.background or found.border_colour or found.border_width)


def paragraph_format(base: Base, style: str | None, kind: str,
                     box: str | None) -> tuple[str, RunProps]:
    """The ``w:pPr`` and the run formatting of a paragraph of ``kind`` (a key of `KINDS`)
    in theme style ``style`` (``None``: the kind's own), inside boxed style ``box``."""
    key = ("p", style, kind, box)
    found: tuple[str, RunProps] | None = base.memo.get(key)
    if found is None:
        found = _paragraph_format(base, style, kind, box)
        base.memo[key] = found
    return found


def _paragraph_format(base: Base, style: str | None, kind: str,
                      box: str | None) -> tuple[str, RunProps]:
    theme = base.theme
    default, fallback = KINDS[kind]
    kind_word = fallback
    if theme.has_style(default) and not kind.startswith("listcont"):
        named = theme.style(default).word_style
        if named and named in base.ids:
            kind_word = named
    name = style or default
    resolved = theme.style(name) if theme.has_style(name) else None
    listy = kind.startswith("list")
    if resolved and resolved.word_style in base.ids and not listy:
        word_id, direct = base.ids[resolved.word_style], None
    else:
        word_id = base.ids.get(kind_word, base.ids.get(fallback, "Normal"))
        owner = base.defined.get(word_id)
        direct = None if owner is not None and owner.name == name else resolved
    parts: dict[str, str] = {}
    run = RunProps()
    if word_id != "Normal":
        parts["pStyle"] = f'<w:pStyle w:val="{word_id}"/>'
    if direct is not None:
        reference = base.defined.get(word_id)
        p_diff, run = _diff(direct, reference, theme, hanging=listy)
        parts.update(ppr_parts(p_diff))
    if box and theme.has_style(box):
        boxed = theme.style(box)
        if boxed.border_colour or boxed.border_width:
            parts["pBdr"] = border_xml(boxed.border_colour, boxed.border_width,
                                       ("top", "left", "bottom", "right"),
                                       round(theme.layout.box_padding))
            if "ind" not in parts:  # as in the PDF: the border on the margins, text inside
                pad = round(theme.layout.box_padding * 20)
                parts["ind"] = f'<w:ind w:left="{pad}" w:right="{pad}"/>'
        if boxed.background:
            parts["shd"] = shading_xml(boxed.background)
    return ppr(parts), run


def inline_props(base: Base, style: str) -> dict[str, Any]:
    """What an inline style sets explicitly (font, bold, italic, colour), up to body."""
    key = ("i", style)
    found: dict[str, Any] | None = base.memo.get(key)
    if found is None:
        found = {}
        current: str | None = style
        seen: set[str] = set()
        while current and current != "body" and current not in seen:
            seen.add(current)
            entry_ = base.theme.styles.get(current)
            if entry_ is None:
                break
            for prop in _INLINE_KEYS:
                if prop in entry_ and prop not in found:
                    found[prop] = entry_[prop]
            current = entry_.get("parent", "body")
        if "font" in found:
            found["font"] = base.theme.font(str(found["font"])).family
        base.memo[key] = found
    return found


def run_xml(base: Base, props: RunProps) -> str:
    """The ``w:rPr`` of ``props`` (memoised per theme)."""
    key = ("r", props)
    found: str | None = base.memo.get(key)
    if found is None:
        found = rpr(props)
        base.memo[key] = found
    return found


def _diff(style: Style, reference: Style | None, theme: Theme, *,
          hanging: bool) -> tuple[ParaProps, RunProps]:
    """Paragraph and run properties of ``style`` that differ from ``reference``."""
    p_full = para_props(style, theme, hanging)
    r_full = run_props(style, theme)
    if reference is None:
        return p_full, r_full
    p_ref = para_props(reference, theme, hanging)
    r_ref = run_props(reference, theme)
    p_changes = {name: getattr(p_full, name) for name in _PARA_FIELDS
                 if getattr(p_full, name) != getattr(p_ref, name)}
    if "indent_mm" in p_changes and hanging:
        p_changes["hanging_mm"] = p_full.hanging_mm
    r_changes = {name: getattr(r_full, name) for name in _RUN_FIELDS
                 if getattr(r_full, name) != getattr(r_ref, name)}
    return ParaProps(**p_changes), RunProps(**r_changes)
