"""How a paragraph looks: theme styles resolved into ``w:pPr`` and run properties.

A block whose theme style names a (paragraph) Word style gets that style and nothing
else, so the document stays editable through its styles. A block whose style names no
Word style gets the Word style of its kind (Normal, Heading 2, List Bullet...) plus
direct formatting for what differs from it. An inline style sets only what it names
itself (font, weight, slant, colour). Results are memoised in the theme's `Base`.
"""

from __future__ import annotations

from typing import Any

from ...themes import InlineStyle, Style, Theme
from .base import Base
from .styles import KINDS, differences
from .xml import RunProps, border_xml, ppr, ppr_parts, rpr, shading_xml


def kind_style(theme: Theme, kind: str) -> Style | None:
    """The theme style a paragraph of ``kind`` takes when it names none (``None`` when
    the theme has none for it): a list level for list kinds, else `KINDS`' style."""
    if kind.startswith("list"):
        return theme.list_level(int(kind[-1]))
    return theme.styles.get(KINDS[kind][0])


def paragraph_format(base: Base, style: Style | None, kind: str,
                     box: Style | None, outline: int | None = None) -> tuple[str, RunProps]:
    """The ``w:pPr`` and the run formatting of a paragraph of ``kind`` (a key of `KINDS`)
    in resolved ``style`` (``None``: the kind's own), inside the boxed style ``box``;
    ``outline`` is a heading's level (1-3), which Word, its navigation pane and screen
    readers read from the paragraph's outline level, whatever its style (a title in
    the Title style is a level 1 heading)."""
    key = ("p", style, kind, box, outline)
    found: tuple[str, RunProps] | None = base.memo.get(key)
    if found is None:
        p_pr, run = _paragraph_format(base, style, kind, box, outline)
        found = base.memo[key] = (p_pr, interned(base, run))
    return found


def interned(base: Base, props: RunProps) -> RunProps:
    """The one `RunProps` of the theme equal to ``props``: the memos keyed by run
    properties then find theirs by identity, without comparing them field by field."""
    found: RunProps = base.memo.setdefault(("interned", props), props)
    return found


def _paragraph_format(base: Base, style: Style | None, kind: str,
                      box: Style | None, outline: int | None) -> tuple[str, RunProps]:
    theme = base.theme
    default, fallback = KINDS[kind]
    kind_word = fallback
    if theme.has_style(default) and not kind.startswith("listcont"):
        named = theme.style(default).word_style
        if named and named in base.ids:
            kind_word = named
    resolved = style if style is not None else kind_style(theme, kind)
    listy = kind.startswith("list")
    if resolved and resolved.word_style in base.ids and not listy:
        word_id, direct = base.ids[resolved.word_style], None
    else:
        word_id = base.ids.get(kind_word, base.ids.get(fallback, "Normal"))
        owner = base.defined.get(word_id)
        direct = None if owner is not None and resolved is not None and \
            owner.name == resolved.name else resolved
    parts: dict[str, str] = {}
    run = RunProps()
    if word_id != "Normal":
        parts["pStyle"] = f'<w:pStyle w:val="{word_id}"/>'
    if direct is not None:
        reference = base.defined.get(word_id)
        p_diff, run = differences(direct, reference, theme, hanging=listy)
        parts.update(ppr_parts(p_diff))
    if box is not None:
        if box.border is not None:
            parts["pBdr"] = border_xml(box.border.colour, box.border.width,
                                       ("top", "left", "bottom", "right"), round(box.padding))
        if box.boxed and "ind" not in parts:  # as in the PDF: the box on the margins
            pad = round(box.padding * 20)
            parts["ind"] = f'<w:ind w:left="{pad}" w:right="{pad}"/>'
        if box.background:
            parts["shd"] = shading_xml(box.background)
    if outline is not None:
        parts["outlineLvl"] = f'<w:outlineLvl w:val="{outline - 1}"/>'
    return ppr(parts), run


def inline_props(base: Base, style: str) -> dict[str, Any]:
    """Run properties of an inline style (what its `InlineStyle` sets), memoised."""
    key = ("i", style)
    found: dict[str, Any] | None = base.memo.get(key)
    if found is None:
        props: InlineStyle = base.theme.inline(style)
        found = {name: getattr(props, name) for name in ("bold", "italic", "colour")
                 if getattr(props, name) is not None}
        if props.font is not None:
            found["font"] = base.theme.font(props.font).family
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
