"""HTML writer, part 2: the theme's resolved styles as one small stylesheet.

Every element the writer makes carries the class of the theme style it is set in
(``s-<style>`` on a block, ``i-<style>`` on a run of text); the stylesheet has one rule
for each class a document uses, generated from the resolved `Style` (or `InlineStyle`),
and nothing else of the theme. The few parts a style has in HTML get a class named
after it too (``s-list-item``, ``s-<style>-image``, ``s-quote-box``), and the writer's
own measures one each (``w-<percent>`` a column width, ``sp-<points>`` a spacer).
Lengths keep the theme's units (points, millimetres) so the printed page measures what
the PDF measures. Print rules come from the page set-up: ``@page`` size and margins,
and the page furniture in the page-margin boxes (`MarginBox`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ...themes import Alignment, FontChain, InlineStyle, Style, Theme

Declarations = tuple[tuple[str, str], ...]

_ALIGN = {Alignment.LEFT: "start", Alignment.CENTER: "center", Alignment.RIGHT: "end",
          Alignment.JUSTIFY: "justify"}
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9_-]")


def number(value: float) -> str:
    """A length's number as CSS writes it: no trailing zeros, at most three decimals."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def class_name(prefix: str, name: str) -> str:
    """A CSS class for the style ``name``: characters a class cannot hold become ``_hex_``."""
    return prefix + _UNSAFE_NAME.sub(lambda m: f"_{ord(m.group()):x}_", name)


def css_string(text: str) -> str:
    """``text`` as a CSS string: every character but letters, digits and spaces escaped,
    so no text can close the string, the rule or the ``<style>`` element."""
    out = []
    for char in text:
        if char.isascii() and (char.isalnum() or char == " "):
            out.append(char)
        else:
            out.append(f"\\{ord(char):x} ")  # the space ends the escape; it is not shown
    return f'"{"".join(out)}"'


def font_stack(chain: FontChain) -> str:
    """The chain's families in order, then the generic family that looks most like them."""
    names = [css_string(family.family) for family in chain.families]
    first = chain.first.family.lower()
    generic = "monospace" if "mono" in first else "serif" if (
        "serif" in first and "sans" not in first) else "sans-serif"
    return ", ".join([*names, generic])


def alignment(st: Style) -> str:
    """The style's alignment as CSS says it (start and end follow the text direction)."""
    return _ALIGN[st.alignment]


def text_declarations(st: Style, theme: Theme) -> Declarations:
    """What a style sets on text: family, size, leading, weight, slant, colour, alignment."""
    return (("font-family", font_stack(theme.chain(st.font))),
            ("font-size", f"{number(st.size)}pt"),
            ("line-height", number(st.leading / st.size) if st.size else "normal"),
            ("font-weight", "700" if st.bold else "400"),
            ("font-style", "italic" if st.italic else "normal"),
            ("color", st.colour), ("text-align", alignment(st)))


def box_declarations(st: Style) -> Declarations:
    """A boxed style's background, border and padding (nothing for an unboxed one)."""
    out: list[tuple[str, str]] = []
    if st.background:
        out.append(("background-color", st.background))
    border = st.border
    if border is not None:
        out.append(("border", f"{number(border.width)}pt solid {border.colour}"))
    if st.boxed:
        out.append(("padding", f"{number(st.padding)}pt"))
    return tuple(out)


def spacing(before: float, after: float, indent_mm: float = 0.0) -> Declarations:
    return (("margin-block", f"{number(before)}pt {number(after)}pt"),
            ("margin-inline", f"{number(indent_mm)}mm 0"))


def inline_declarations(props: InlineStyle, theme: Theme) -> Declarations:
    out: list[tuple[str, str]] = []
    if props.font is not None:
        out.append(("font-family", font_stack(theme.chain(props.font))))
    if props.bold is not None:
        out.append(("font-weight", "700" if props.bold else "400"))
    if props.italic is not None:
        out.append(("font-style", "italic" if props.italic else "normal"))
    if props.colour is not None:
        out.append(("color", props.colour))
    return tuple(out)


@dataclass
class Stylesheet:
    """The classes one document uses, each with its declarations, in order of first use.

    A style used in two ways (a paragraph's own indent, or inside a quote that already
    indents) gets one class per way: ``s-quote``, then ``s-quote-2``.
    """

    theme: Theme
    rules: dict[str, Declarations] = field(default_factory=dict)
    extra: dict[str, Declarations] = field(default_factory=dict)  # selector -> declarations
    _names: dict[tuple[str, str, Declarations], str] = field(default_factory=dict)

    def use(self, prefix: str, name: str, declarations: Declarations) -> str:
        """The class of style ``name`` with ``declarations`` (made on first use)."""
        key = (prefix, name, declarations)
        found = self._names.get(key)
        if found is not None:
            return found
        base = class_name(prefix, name)
        found, count = base, 1
        while found in self.rules:
            count += 1
            found = f"{base}-{count}"
        self.rules[found] = declarations
        self._names[key] = found
        return found

    def add(self, selector: str, declarations: Declarations) -> None:
        """A rule of a selector of the writer's own (a class's children, a width)."""
        self.extra.setdefault(selector, declarations)

    def text(self, base: Iterable[tuple[str, Declarations]], print_rules: str) -> str:
        """The whole stylesheet: the writer's base rules, the classes, then print."""
        lines = [_rule(selector, decls) for selector, decls in base]
        lines += [_rule(f".{name}", decls) for name, decls in self.rules.items()]
        lines += [_rule(selector, decls) for selector, decls in self.extra.items()]
        lines.append(print_rules)
        return "\n".join(lines)


def _rule(selector: str, declarations: Declarations) -> str:
    body = ";".join(f"{prop}:{value}" for prop, value in declarations)
    return f"{selector}{{{body}}}"


@dataclass(frozen=True, slots=True)
class MarginBox:
    """One page-margin box: where it sits, what it shows (a CSS ``content`` value) and
    the style it is set in."""

    area: str       # top-left | top-center | top-right | bottom-...
    content: str
    style: Style


def margin_box_rule(box: MarginBox, theme: Theme) -> str:
    st = box.style
    page = theme.page
    edge = page.header_mm if box.area.startswith("top") else page.footer_mm
    decls: Declarations = (
        ("content", box.content), ("white-space", "pre-wrap"),
        *((p, v) for p, v in text_declarations(st, theme) if p != "text-align"),
        ("text-align", {"left": "left", "center": "center", "right": "right"}[
            box.area.split("-")[1]]),
        ("vertical-align", "top" if box.area.startswith("top") else "bottom"),
        ("padding-top" if box.area.startswith("top") else "padding-bottom",
         f"{number(edge)}mm"))
    return f"@{box.area}{{{';'.join(f'{p}:{v}' for p, v in decls)}}}"


def page_rules(theme: Theme, every: tuple[MarginBox, ...], first: tuple[MarginBox, ...] | None
               ) -> str:
    """``@page`` rules: the theme's size and margins, the furniture in margin boxes;
    page 1 gets ``first`` instead of ``every`` when it is not ``None``."""
    page = theme.page
    size = f"{number(page.width_mm)}mm {number(page.height_mm)}mm"
    margins = " ".join(f"{number(v)}mm" for v in (page.margin_top_mm, page.margin_right_mm,
                                                 page.margin_bottom_mm, page.margin_left_mm))
    rules = [f"@page{{size:{size};margin:{margins};"
             + "".join(margin_box_rule(box, theme) for box in every) + "}"]
    if first is not None:
        mine = {box.area for box in first}
        cleared = [f"@{box.area}{{content:none}}" for box in every
                   if box.area.startswith("top") and box.area not in mine]
        rules.append("@page:first{" + "".join(margin_box_rule(box, theme) for box in first
                                              if box.area.startswith("top"))
                     + "".join(cleared) + "}")
    return "\n".join(rules)
