"""The style map (like pandoc's Docx/StyleMap): what each paragraph kind's style is.

`KINDS` names the theme style and the fallback Word style of each paragraph kind;
`differences` says how a style's paragraph and run properties differ from another's
(what a paragraph states of its own). Writing a theme's styles into a Word document is
`word_styles`' (run when a theme's base is built: python-docx is imported only there).
"""

from __future__ import annotations

from ...themes import Style, Theme
from .xml import ParaProps, RunProps

HYPERLINK_STYLE = "Hyperlink"
# Kinds of paragraph: (theme style a block of that kind takes by default, the Word style
# used when the theme does not name one).
KINDS: dict[str, tuple[str, str]] = {
    "body": ("body", "Normal"),
    "heading1": ("heading1", "Heading 1"),
    "heading2": ("heading2", "Heading 2"),
    "heading3": ("heading3", "Heading 3"),
    "list1": ("list", "List Bullet"),
    "list2": ("list2", "List Bullet 2"),
    "list3": ("list3", "List Bullet 3"),
    "listcont1": ("list", "List Continue"),
    "listcont2": ("list2", "List Continue 2"),
    "listcont3": ("list3", "List Continue 3"),
    "quote": ("quote", "Quote"),
    "attribution": ("attribution", "Normal"),
    "cell": ("table", "Normal"),
    "rule": ("rule", "Normal"),
    "header": ("header", "Header"),
    "footer": ("footer", "Footer"),
}
LANG_MARK = "readout-language-mark"  # the w:lang value the base replaces per document


def run_props(style: Style, theme: Theme) -> RunProps:
    return RunProps(font=theme.font(style.font).family, size=style.size, bold=style.bold,
                    italic=style.italic, colour=style.colour)


def para_props(style: Style, theme: Theme, hanging: bool = False) -> ParaProps:
    return ParaProps(space_before=style.space_before, space_after=style.space_after,
                     leading=style.leading, alignment=style.alignment,
                     indent_mm=style.indent_mm, keep_with_next=style.keep_with_next,
                     hanging_mm=min(style.indent_mm, theme.layout.bullet_gap_mm) if hanging
                     else None)


_PARA_FIELDS = ("space_before", "space_after", "leading", "alignment", "indent_mm",
                "keep_with_next")
_RUN_FIELDS = ("font", "size", "bold", "italic", "colour")


def differences(style: Style, reference: Style | None, theme: Theme, *,
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


