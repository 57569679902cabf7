"""PDF writer, part 2: theme styles as reportlab paragraph styles, inlines as markup.

All text goes into paragraph markup escaped; the only tags emitted are ours (``font``
with a registered face name and a checked colour, ``a`` with an http(s)/mailto target,
``u``, ``br``). A block takes its own style or the theme's default for its kind (the
whole `Style`); an inline applies only font, weight, slant and colour, and only those its
style sets itself (not what it inherits from ``body``).
"""

from __future__ import annotations

import re
import weakref
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle

from ... import tree as t
from ...themes import Style, Theme
from .flow import colour, cover, font_faces, hex_colour

LINK_SCHEMES = ("http://", "https://", "mailto:")
_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "centre": TA_CENTER, "right": TA_RIGHT,
          "justify": TA_JUSTIFY}
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_INLINE_KEYS = ("font", "bold", "italic", "colour")

Run = tuple[str, bool, bool, str]  # font key, bold, italic, colour


def text_markup(text: str) -> str:
    """``text`` as paragraph markup that prints exactly ``text`` (control characters dropped)."""
    return escape(_CONTROL.sub("", text), {'"': "&quot;", "'": "&#39;"})


def safe_target(target: str) -> bool:
    return target.strip().lower().startswith(LINK_SCHEMES)


def has_counters(nodes: tuple[t.Inline, ...]) -> bool:
    for node in nodes:
        if isinstance(node, (t.PageNumber, t.PageCount)):
            return True
        if isinstance(node, (t.Strong, t.Emphasis, t.Link)) and has_counters(node.children):
            return True
    return False


class _ThemeCache:
    """What a theme resolves to, kept while the theme lives (styles are immutable)."""

    def __init__(self, theme: Theme) -> None:
        self.theme = weakref.ref(theme)
        self.styles: dict[str, Style] = {}
        self.inline: dict[str, dict[str, Any]] = {}
        self.pstyles: dict[tuple[Any, ...], ParagraphStyle] = {}
        self.faces: dict[tuple[str, bool, bool], str] = {}


_CACHES: dict[int, _ThemeCache] = {}


def _cache_for(theme: Theme) -> _ThemeCache:
    found = _CACHES.get(id(theme))
    if found is None or found.theme() is not theme:
        if len(_CACHES) > 64:
            for key in [k for k, v in _CACHES.items() if v.theme() is None]:
                del _CACHES[key]
        found = _CACHES[id(theme)] = _ThemeCache(theme)
    return found



class Styles:
    """Resolves a theme's styles, faces and inline markup (cached per theme)."""

    def __init__(self, theme: Theme) -> None:
        self.theme = theme
        cache = _cache_for(theme)
        self._styles, self._inline = cache.styles, cache.inline
        self._pstyles, self._faces = cache.pstyles, cache.faces
        self.body = self.style(None, "body")

    # -- styles -----------------------------------------------------------------------
    def style(self, name: str | None, default: str) -> Style:
        key = name if name is not None and self.theme.has_style(name) else default
        found = self._styles.get(key)
        if found is None:
            found = self._styles[key] = self.theme.style(key)
        return found

    def own_style(self, name: str | None, fallback: Style) -> Style:
        """The style ``name`` if the theme defines it, else ``fallback``."""
        if name is not None and self.theme.has_style(name):
            return self.style(name, "body")
        return fallback

    def face(self, font: str, bold: bool, italic: bool) -> str:
        key = (font, bold, italic)
        found = self._faces.get(key)
        if found is None:
            faces = font_faces(self.theme.font(font))
            found = self._faces[key] = faces[(1 if bold else 0) + (2 if italic else 0)]
        return found

    def pstyle(self, st: Style, left: float, bullet: float | None = None,
               cell: bool = False) -> ParagraphStyle:
        key = (st, left, bullet, cell)
        found = self._pstyles.get(key)
        if found is not None:
            return found
        face = self.face(st.font, st.bold, st.italic)
        boxed = st.background is not None or (st.border_colour and st.border_width > 0)
        found = ParagraphStyle(
            f"{st.name}-{len(self._pstyles)}", fontName=face, fontSize=st.size,
            leading=st.leading, textColor=colour(st.colour),
            alignment=_ALIGN.get(st.alignment, TA_LEFT), leftIndent=left,
            spaceBefore=0 if cell else st.space_before,
            spaceAfter=0 if cell else st.space_after,
            keepWithNext=bool(st.keep_with_next) and not cell,
            allowWidows=0,  # never one line of a paragraph alone at the top of a page
            bulletFontName=face, bulletFontSize=st.size, bulletColor=colour(st.colour),
            bulletIndent=bullet or 0,
            backColor=colour(st.background) if st.background and not cell else None,
            borderColor=colour(st.border_colour) if boxed and st.border_colour and not cell
            else None,
            borderWidth=st.border_width if boxed and not cell else 0,
            borderPadding=self.theme.layout.box_padding / 2 if boxed and not cell else 0,
        )
        self._pstyles[key] = found
        return found

    def inline_props(self, name: str | None) -> dict[str, Any]:
        """What an inline style sets itself: font, bold, italic, colour (not body's)."""
        if name is None or not self.theme.has_style(name):
            return {}
        found = self._inline.get(name)
        if found is None:
            found = {}
            current: str | None = name
            seen: set[str] = set()
            while current is not None and current not in seen and (
                    current != "body" or name == "body"):
                seen.add(current)
                entry = self.theme.styles.get(current, {})
                for key in _INLINE_KEYS:
                    if key in entry and key not in found:
                        found[key] = entry[key]
                parent = entry.get("parent", "body" if current != "body" else None)
                current = str(parent) if parent is not None else None
            self._inline[name] = found
        return found

    def _apply(self, run: Run, name: str | None) -> Run:
        props = self.inline_props(name)
        if not props:
            return run
        return (str(props.get("font", run[0])), bool(props.get("bold", run[1])),
                bool(props.get("italic", run[2])), str(props.get("colour", run[3])))

    # -- inline markup ----------------------------------------------------------------
    def markup(self, nodes: tuple[t.Inline, ...], st: Style,
               numbers: tuple[str, str] | None = None, links: bool = True) -> str:
        base: Run = (st.font, st.bold, st.italic, st.colour)
        out: list[str] = []
        self._emit(nodes, base, base, out, numbers, links)
        return "".join(out)

    def _span(self, text: str, run: Run, base: Run) -> str:
        if not text:
            return ""
        body = text_markup(text)
        face = self.face(run[0], run[1], run[2])
        cover(face, text)
        if run == base:
            return body
        return f'<font name="{face}" color="{hex_colour(run[3])}">{body}</font>'

    def _emit(self, nodes: tuple[t.Inline, ...], run: Run, base: Run, out: list[str],
              numbers: tuple[str, str] | None, links: bool) -> None:
        for node in nodes:
            if isinstance(node, t.Text):
                out.append(self._span(node.text, self._apply(run, node.style), base))
            elif isinstance(node, t.Strong):
                inner = self._apply((run[0], True, run[2], run[3]), node.style)
                self._emit(node.children, inner, base, out, numbers, links)
            elif isinstance(node, t.Emphasis):
                inner = self._apply((run[0], run[1], True, run[3]), node.style)
                self._emit(node.children, inner, base, out, numbers, links)
            elif isinstance(node, t.Link):
                inner = self._apply(run, node.style if node.style else "link")
                if links and safe_target(node.target):
                    out.append(f'<a href="{text_markup(node.target.strip())}"><u>')
                    self._emit(node.children, inner, base, out, numbers, links)
                    out.append("</u></a>")
                else:
                    self._emit(node.children, inner, base, out, numbers, links)
            elif isinstance(node, t.LineBreak):
                out.append("<br/>")
            elif isinstance(node, (t.PageNumber, t.PageCount)):
                if numbers is None:  # never: such paragraphs are deferred
                    raise AssertionError("page numbers outside a deferred paragraph")
                value = numbers[0] if isinstance(node, t.PageNumber) else numbers[1]
                out.append(self._span(value, self._apply(run, node.style), base))
            else:
                raise TypeError(f"The PDF writer cannot render an inline {type(node).__name__}.")
