"""A theme's styles written into a Word document (python-docx's), once per theme.

`apply_theme` gives a python-docx document the look of a theme: each theme style with a
``word_style`` becomes that Word style (created, based on Normal, when the template
lacks it) with the theme's font on all four ``rFonts`` slots, size, weight, slant,
colour, spacing, alignment, indent and keep-with-next; the document defaults take the
body font and a language mark (`styles.LANG_MARK`, replaced per document); the bullet
levels' numbering takes the theme's indents; a blue, underlined "Hyperlink" character
style is added. It runs only when a theme's base is built (`base`), which a warm DOCX
cache skips: python-docx is imported here and there alone.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.styles import BabelFish
from docx.styles.style import StyleFactory

from ...themes import Style, Theme
from .styles import HYPERLINK_STYLE, KINDS, LANG_MARK, differences, para_props, run_props
from .xml import (
    PPR_ORDER,
    RPR_ORDER,
    W_NS,
    ParaProps,
    RunProps,
    eighths,
    ppr_parts,
    rpr_children,
    twips,
    word_colour,
)


def apply_theme(document: Any, theme: Theme) -> dict[str, Style]:
    """Give ``document`` the theme's Word styles, defaults and bullet numbering;
    the theme style that defined each Word style, by styleId."""
    styles = _Styles(document.styles)
    mapper = _StyleMap(styles, theme, keep=theme.reference_docx is not None)
    for name, style in theme.styles.items():
        if style.word_style:
            mapper.configure(style, hanging=name.startswith("list"))
    for level in (1, 2, 3):
        level_style = theme.list_level(level)
        if level_style is None:
            continue
        if not theme.has_style(level_style.name):
            mapper.configure(level_style, hanging=True)
        mapper.configure(replace(level_style, space_before=0.0,
                                 word_style=KINDS[f"listcont{level}"][1]), hanging=False)
    _hyperlink_style(styles, theme)
    if not mapper.keep:
        _furniture_tabs(styles, theme)
    _doc_defaults(styles.element, theme, keep=mapper.keep)
    _list_numbering(document, styles, theme, mapper.made)
    return mapper.defined


def _local(element: Any) -> str:
    return str(element.tag).rpartition("}")[2]


class _Styles:
    """A document's styles by name, indexed once: python-docx finds a style by name by
    walking every style (``styles[name]``, and ``add_style`` checks the name that way),
    which made building a theme's base document cost 150 ms, most of a first DOCX."""

    def __init__(self, styles: Any) -> None:
        self.styles, self.element = styles, styles.element
        self.by_name: dict[str | None, Any] = {}
        for element in self.element.style_lst:  # the first of a name, as python-docx
            self.by_name.setdefault(element.name_val, element)

    def get(self, name: str) -> Any:
        """The style called ``name`` (in Word's UI names, as ``styles[name]``), or None."""
        element = self.by_name.get(BabelFish.ui2internal(name))
        return None if element is None else StyleFactory(element)

    def add(self, name: str, kind: Any) -> Any:
        """A new style ``name`` of ``kind`` (as ``add_style``; the name is new)."""
        internal = BabelFish.ui2internal(name)
        assert internal not in self.by_name
        element = self.by_name[internal] = self.element.add_style_of_type(internal, kind, False)
        return StyleFactory(element)


class _StyleMap:
    """Gives Word styles the look of theme styles. With a reference document (``keep``),
    a Word style it defines keeps its own look; one it lacks is made, based on Normal,
    with only what its theme style changes from the theme's body, so it looks like the
    reference too. ``defined`` is the theme style of each Word style, by styleId (what a
    paragraph's direct formatting is measured from); ``made`` the styleIds given a look."""

    def __init__(self, styles: _Styles, theme: Theme, *, keep: bool) -> None:
        self.styles, self.theme, self.keep = styles, theme, keep
        self.defined: dict[str, Style] = {}
        self.made: set[str] = set()

    def configure(self, style: Style, *, hanging: bool) -> None:
        """Give the Word style ``style.word_style`` the look of the theme style ``style``."""
        assert style.word_style
        styles, theme = self.styles, self.theme
        word = styles.get(style.word_style)
        if word is not None and self.keep:
            self.defined.setdefault(word.style_id, style)
            return
        created = word is None
        if word is None:
            kind = WD_STYLE_TYPE.TABLE if style.name.startswith("table") else \
                WD_STYLE_TYPE.PARAGRAPH
            word = styles.add(style.word_style, kind)
            if style.word_style != "Normal" and kind == WD_STYLE_TYPE.PARAGRAPH:
                word.base_style = styles.get("Normal")
                word.next_paragraph_style = styles.get("Normal")
            word.quick_style = True
        self.defined[word.style_id] = style
        self.made.add(word.style_id)
        if word.type == WD_STYLE_TYPE.TABLE:
            _table_look(word.element, style, theme)
            return
        p_props, r_props = para_props(style, theme, hanging), run_props(style, theme)
        if self.keep and created:
            p_props, r_props = differences(style, theme.style("body"), theme, hanging=hanging)
        element = word.element
        if word.type == WD_STYLE_TYPE.PARAGRAPH:
            p_pr = element.get_or_add_pPr()
            new = ppr_parts(p_props)
            for child in list(p_pr):
                local = _local(child)
                if local in new or local in ("pBdr", "shd", "contextualSpacing"):
                    p_pr.remove(child)
            for xml in new.values():
                p_pr.append(parse_xml(f'<w:x xmlns:w="{W_NS}">{xml}</w:x>')[0])
            _sort(p_pr, PPR_ORDER)
        element._remove_rPr()
        r_pr = element.get_or_add_rPr()
        children = rpr_children(r_props)
        for child in parse_xml(f'<w:x xmlns:w="{W_NS}">{children}</w:x>'):
            r_pr.append(child)




_TBLPR_ORDER = ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
                "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders",
                "shd", "tblLayout", "tblCellMar", "tblLook")


def _table_look(element: Any, style: Style, theme: Theme) -> None:
    """The table style's grid (colour and width of the theme's table, else its rule),
    cell padding, and an indent that puts the grid, not the text, on the margin."""
    hpad = round(theme.layout.cell_padding_x * 20)
    vpad = round(theme.layout.cell_padding_y * 20)
    grid = theme.grid(style)
    size = eighths(grid.width)
    colour = word_colour(grid.colour)
    t_pr = element.find(qn("w:tblPr"))
    if t_pr is None:
        t_pr = parse_xml(f'<w:tblPr xmlns:w="{W_NS}"/>')
        element.append(t_pr)
    for child in list(t_pr):
        if _local(child) in ("tblInd", "tblBorders", "tblCellMar"):
            t_pr.remove(child)
    sides = "".join(f'<w:{side} w:val="single" w:sz="{size}" w:space="0" w:color="{colour}"/>'
                    for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    margins = "".join(f'<w:{side} w:w="{pad}" w:type="dxa"/>'
                      for side, pad in (("top", vpad), ("left", hpad), ("bottom", vpad),
                                        ("right", hpad)))
    for xml in (f'<w:tblInd w:w="{hpad}" w:type="dxa"/>', f"<w:tblBorders>{sides}</w:tblBorders>",
                f"<w:tblCellMar>{margins}</w:tblCellMar>"):
        t_pr.append(parse_xml(f'<w:x xmlns:w="{W_NS}">{xml}</w:x>')[0])
    _sort(t_pr, _TBLPR_ORDER)


def _sort(element: Any, order: tuple[str, ...]) -> None:
    children = list(element)
    rank = {name: index for index, name in enumerate(order)}
    children.sort(key=lambda c: rank.get(_local(c), len(order)))
    for child in children:
        element.append(child)


def _furniture_tabs(styles: _Styles, theme: Theme) -> None:
    """Centre and right tab stops of Header and Footer at the middle and the end of the
    text width (the template has them where US Letter would)."""
    page = theme.page
    width = twips(page.width_mm - page.margin_left_mm - page.margin_right_mm)
    for name in ("Header", "Footer"):
        word = styles.get(name)
        if word is None or word.type != WD_STYLE_TYPE.PARAGRAPH:
            continue
        p_pr = word.element.get_or_add_pPr()
        for old in p_pr.findall(qn("w:tabs")):
            p_pr.remove(old)
        p_pr.append(parse_xml(
            f'<w:tabs xmlns:w="{W_NS}"><w:tab w:val="center" w:pos="{width // 2}"/>'
            f'<w:tab w:val="right" w:pos="{width}"/></w:tabs>'))
        _sort(p_pr, PPR_ORDER)


def _hyperlink_style(styles: _Styles, theme: Theme) -> None:
    """Word's Hyperlink character style: underlined, in the colour of the theme's
    ``link`` style (as the PDF draws links)."""
    word = styles.get(HYPERLINK_STYLE)
    if word is None or word.type != WD_STYLE_TYPE.CHARACTER:
        word = styles.add(HYPERLINK_STYLE, WD_STYLE_TYPE.CHARACTER)
        word.base_style = styles.get("Default Paragraph Font")
        word.element._remove_rPr()
        r_pr = word.element.get_or_add_rPr()
        link = theme.inline("link").colour
        if link is not None:
            r_pr.append(parse_xml(f'<w:color xmlns:w="{W_NS}" w:val="{word_colour(link)}"/>'))
        r_pr.append(parse_xml(f'<w:u xmlns:w="{W_NS}" w:val="single"/>'))
        word.unhide_when_used = True
        word.priority = 99


def _doc_defaults(styles_element: Any, theme: Theme, *, keep: bool) -> None:
    """Body font on all four ``rFonts`` slots, body size (unless a reference document's
    own are kept), and a language mark."""
    defaults = styles_element.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = parse_xml(f'<w:docDefaults xmlns:w="{W_NS}"/>')
        styles_element.insert(0, defaults)
    r_default = defaults.find(qn("w:rPrDefault"))
    if r_default is None:
        r_default = parse_xml(f'<w:rPrDefault xmlns:w="{W_NS}"/>')
        defaults.insert(0, r_default)
    r_pr = r_default.find(qn("w:rPr"))
    if r_pr is None:
        r_pr = parse_xml(f'<w:rPr xmlns:w="{W_NS}"/>')
        r_default.append(r_pr)
    old_lang = r_pr.find(qn("w:lang"))
    east = old_lang.get(qn("w:eastAsia"), "en-US") if old_lang is not None else "en-US"
    bidi = old_lang.get(qn("w:bidi"), "ar-SA") if old_lang is not None else "ar-SA"
    for child in list(r_pr):
        if _local(child) in (("lang",) if keep else ("rFonts", "sz", "szCs", "lang")):
            r_pr.remove(child)
    body = theme.style("body")
    extra = "" if keep else rpr_children(RunProps(font=theme.font(body.font).family,
                                                  size=body.size))
    for child in parse_xml(f'<w:x xmlns:w="{W_NS}">{extra}</w:x>'):
        r_pr.append(child)
    lang = parse_xml(f'<w:lang xmlns:w="{W_NS}" w:val="{LANG_MARK}"/>')
    lang.set(qn("w:eastAsia"), east)
    lang.set(qn("w:bidi"), bidi)
    r_pr.append(lang)
    _sort(r_pr, RPR_ORDER)


def _list_numbering(document: Any, styles: _Styles, theme: Theme, made: set[str]) -> None:
    """Put each bullet level's indent into its numbering definition too (Word lets the
    numbering's indent win over the style's when the style carries the ``numPr``); only
    for the list styles given the theme's look (``made``)."""
    try:
        numbering = document.part.numbering_part.element
    except (KeyError, NotImplementedError):
        return
    for kind in ("list1", "list2", "list3"):
        level_style = theme.list_level(int(kind[-1]))
        word = styles.get(KINDS[kind][1])
        if word is None or level_style is None or word.style_id not in made:
            continue
        num_id = word.element.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
        if num_id is None:
            continue
        num = numbering.find(f"{qn('w:num')}[@{qn('w:numId')}='{num_id.get(qn('w:val'))}']")
        if num is None:
            continue
        abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
        level = numbering.find(
            f"{qn('w:abstractNum')}[@{qn('w:abstractNumId')}='{abstract_id}']/"
            f"{qn('w:lvl')}[@{qn('w:ilvl')}='0']")
        if level is None:
            continue
        props = para_props(level_style, theme, hanging=True)
        left = ppr_parts(ParaProps(indent_mm=props.indent_mm, hanging_mm=props.hanging_mm))
        for old in level.findall(qn("w:pPr")):
            level.remove(old)
        position = left["ind"].split('w:left="')[1].split('"')[0]
        level.append(parse_xml(
            f'<w:pPr xmlns:w="{W_NS}"><w:tabs><w:tab w:val="num" w:pos="{position}"/>'
            f"</w:tabs>{left['ind']}</w:pPr>"))
        _sort(level, ("start", "numFmt", "lvlRestart", "pStyle", "isLgl", "suff", "lvlText",
                      "lvlPicBulletId", "legacy", "lvlJc", "pPr", "rPr"))
