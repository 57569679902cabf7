"""The document tree as WordprocessingML (like pandoc's Docx/OpenXML).

A `PartWriter` turns blocks into the XML of one story part (the body, the header or
the footer) and collects that part's relationships (hyperlinks, images). How each
paragraph looks comes from `format`; tables are written by `table`.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ... import tree as t
from ...errors import RenderError
from ...fontchain import chain_of, face_path, glyph_characters, segments
from ...hyphenation import applies, pieces
from ...images import ImageProblem
from ...images import inspect as inspect_image
from ...safe_text import is_safe_target, is_sibling_file
from ...scripts import (
    COMPLEX_SCRIPTS,
    EAST_ASIAN_SCRIPTS,
    SCRIPT_LANGUAGES,
    has_rtl,
    is_rtl,
    language_script,
    only_latin,
    script_runs,
)
from ...themes import FontFamily, Style
from ..headings import HeadingLevels
from ..picture import chart_png
from .base import Base
from .format import inline_props, interned, paragraph_format, run_xml
from .package import Entry, Rel, entry
from .styles import HYPERLINK_STYLE, KINDS
from .table import write_table
from .xml import (
    EMU_PER_MM,
    RT_HYPERLINK,
    RT_IMAGE,
    RunProps,
    border_xml,
    field_runs,
    inline_image,
    pt20,
    run_content,
    with_bidi,
)

# Scripts whose runs always carry their own marks (font slot, direction).
_MARKED = COMPLEX_SCRIPTS | EAST_ASIAN_SCRIPTS
_RTL_SCRIPTS = frozenset({"Arabic", "Hebrew"})


def keep_next(start: str) -> str:
    """A paragraph's start (``<w:p>`` and its ``w:pPr``) with ``w:keepNext`` set."""
    if "<w:keepNext/>" in start:
        return start
    start = start.replace('<w:keepNext w:val="0"/>', "")
    if not start.startswith("<w:p><w:pPr>"):
        return start.replace("<w:p>", "<w:p><w:pPr><w:keepNext/></w:pPr>", 1)
    head, rest = start[:len("<w:p><w:pPr>")], start[len("<w:p><w:pPr>"):]
    if rest.startswith("<w:pStyle "):  # keepNext follows pStyle in schema order
        end = rest.index("/>") + 2
        return head + rest[:end] + "<w:keepNext/>" + rest[end:]
    return head + "<w:keepNext/>" + rest


class Ctx(NamedTuple):
    """Where a block sits: the style unstyled paragraphs take, their kind, the boxed
    style around them, and the bullet list depth."""

    style: Style | None = None
    kind: str = "body"
    box: Style | None = None
    depth: int = 0
    lang: str | None = None  # the language of a passage in another one (a quote's)


@dataclass
class DocState:
    """What the parts of one document share: pictures and drawing ids, the document's
    language, and the characters each font family sets (for embedding its subset)."""

    media: dict[bytes, tuple[str, Entry]] = field(default_factory=dict)
    next_shape: int = 1
    language: str = "en"
    any_rtl: bool = False  # the document holds right-to-left text somewhere
    characters: dict[FontFamily, set[str]] = field(default_factory=dict)
    shaped: dict[FontFamily, set[str]] = field(default_factory=dict)  # complex-script runs


class PartWriter:
    """Writes blocks of one story part; ``out`` holds its XML, ``rels`` its relationships."""

    def __init__(self, base: Base, state: DocState, first_rid: int) -> None:
        self.base = base
        self.theme = base.theme
        self.state = state
        self.out: list[str] = []
        self.rels: list[Rel] = []
        self._rid = first_rid
        self._targets: dict[tuple[str, str], str] = {}
        self._families: tuple[FontFamily, ...] = chain_of(self.theme, "body")
        self._first: FontFamily | None = None  # the family whose characters are below
        self._first_chars: frozenset[str] = frozenset()
        self._first_shown: set[str] = set()  # what the document shows in that family
        self._script = language_script(state.language)
        self.levels = HeadingLevels()  # headings of this part, as readers number them
        self._passage: str | None = None  # the language of the paragraph being written
        self._hyphenation = ""  # the language its words break by ("": they do not)
        self._props: RunProps | None = None  # the last run's properties, and their XML:
        self._rpr = ""                       # a paragraph's runs mostly share them
        self._blocks: dict[type, Any] = {
            t.Paragraph: self.paragraph, t.Heading: self.heading, t.BulletList: self.bullets,
            t.Table: self.table, t.Quote: self.quote, t.Rule: self.rule, t.Spacer: self.spacer,
            t.PageBreak: self.page_break, t.Image: self.image, t.Chart: self.chart,
            t.Section: self.section,
        }

    # -- relationships ---------------------------------------------------------------
    def relate(self, rel_type: str, target: str, external: bool = False) -> str:
        key = (rel_type, target)
        rid = self._targets.get(key)
        if rid is None:
            rid = f"rId{self._rid}"
            self._rid += 1
            self._targets[key] = rid
            self.rels.append(Rel(rid, rel_type, target, external))
        return rid

    # -- formatting (see format) --------------------------------------------------
    def own(self, name: str | None) -> Style | None:
        """The theme's style ``name``, or ``None`` when it defines no such style."""
        return self.theme.styles.get(name) if name is not None else None

    def para_format(self, style: Style | None, kind: str, box: Style | None,
                    outline: int | None = None) -> tuple[str, RunProps]:
        return paragraph_format(self.base, style, kind, box, outline)

    def varied(self, props: RunProps, **changes: Any) -> RunProps:
        """``props`` with ``changes`` (`dataclasses.replace`), memoised per theme: a
        document varies the same few run properties again and again."""
        key = ("varied", props, *changes.items())
        found: RunProps | None = self.base.memo.get(key)
        if found is None:
            found = self.base.memo[key] = interned(self.base,
                                                   dataclasses.replace(props, **changes))
        return found

    def run_xml(self, props: RunProps) -> str:
        if props is not self._props:
            self._props, self._rpr = props, run_xml(self.base, props)
        return self._rpr

    # -- inlines ---------------------------------------------------------------------
    def inlines(self, nodes: tuple[t.Inline, ...], props: RunProps) -> None:
        out = self.out
        for node in nodes:
            if node.style is not None:
                own = inline_props(self.base, node.style)
                props_here = self.varied(props, **own) if own else props
            else:
                props_here = props
            kind = type(node)
            if kind is t.Text:
                if node.lang:  # type: ignore[union-attr]
                    around, self._passage = self._passage, node.lang  # type: ignore[union-attr]
                    self.text(node.text, props_here)  # type: ignore[union-attr]
                    self._passage = around
                else:
                    self.text(node.text, props_here)  # type: ignore[union-attr]
            elif kind is t.Strong:
                self.inlines(node.children,  # type: ignore[union-attr]
                             self.varied(props_here, bold=True))
            elif kind is t.Emphasis:
                self.inlines(node.children,  # type: ignore[union-attr]
                             self.varied(props_here, italic=True))
            elif kind is t.Link:
                self.link(node, props_here)  # type: ignore[arg-type]
            elif kind is t.LineBreak:
                out.append(f"<w:r>{self.run_xml(props_here)}<w:br/></w:r>")
            elif kind is t.PageNumber:
                out.append(field_runs("PAGE", "1", self.run_xml(props_here)))
            elif kind is t.PageCount:
                out.append(field_runs("NUMPAGES", "1", self.run_xml(props_here)))
            else:
                raise TypeError(f"The DOCX writer cannot write the inline node "
                                f"{type(node).__name__!r}: {node!r}")

    def text(self, text: str, props: RunProps) -> None:
        """Runs of ``text``: each in the first family of the chain that has it, marked
        with its direction, its complex-script or East Asian slot and, in a script other
        than the document's, its language."""
        families = self._families
        if (self._passage is None and self._script == "Latin" and only_latin(text)
                and self._first_has(text)):
            # the common case: one run in the document's script and its first family
            self._first_shown.update(text)
            content = self._content(text)
            if content:
                self.out.append(f"<w:r>{self.run_xml(props)}{content}</w:r>")
            return
        for piece in segments(text, families):
            family = families[piece.family]
            self.state.characters.setdefault(family, set()).update(piece.text)
            for script, part in script_runs(piece.text):
                content = self._content(part)
                if not content:
                    continue
                if script in COMPLEX_SCRIPTS:
                    self.state.shaped.setdefault(family, set()).add(part)
                here = props
                if piece.family or self._passage or (script is not None and (
                        script != self._script or script in _MARKED)):
                    here = self.varied(
                        props, font=family.family if piece.family else props.font,
                        rtl=script in _RTL_SCRIPTS and has_rtl(part),
                        complex=script in COMPLEX_SCRIPTS,
                        east_asian=script in EAST_ASIAN_SCRIPTS, lang=self._lang(script))
                self.out.append(f"<w:r>{self.run_xml(here)}{content}</w:r>")

    def _content(self, text: str) -> str:
        """The children of a run showing ``text``, with a soft hyphen where a word of it
        may break, when the paragraph is hyphenated (`hyphenation`)."""
        language = self._passage or self._hyphenation
        if not self._hyphenation or not language:
            return run_content(text)
        return "<w:softHyphen/>".join(run_content(piece) for piece in pieces(text, language))

    def _first_has(self, text: str) -> bool:
        """Whether the regular face of the chain's first family has every character of
        ``text``."""
        family = self._families[0]
        if family is not self._first:
            self._first, self._first_chars = family, glyph_characters(face_path(family, 0))
            self._first_shown = self.state.characters.setdefault(family, set())
        return self._first_chars.issuperset(text)

    def _lang(self, script: str | None) -> str:
        """The ``w:lang`` attributes of a run in ``script``: the language of the passage
        (a quote's, from the tree) for a run in its script, else none in the document's
        own script and the script's usual language in another (a gloss in English
        inside a Russian quote is English)."""
        if self._passage and script in (None, language_script(self._passage)):
            tag = self._passage
        elif script is None or script == self._script:
            return ""
        else:
            tag = SCRIPT_LANGUAGES.get(script, "")
        if script in COMPLEX_SCRIPTS:
            return f'w:bidi="{tag}"'
        if script in EAST_ASIAN_SCRIPTS:
            return f'w:eastAsia="{tag}"'
        return f'w:val="{tag}"'

    def link(self, node: t.Link, props: RunProps) -> None:
        if not (is_safe_target(node.target) or is_sibling_file(node.target)):
            self.inlines(node.children, props)  # not a live link: its text, plainly
            return
        rid = self.relate(RT_HYPERLINK, node.target, external=True)
        style_id = self.base.char_ids.get(HYPERLINK_STYLE, HYPERLINK_STYLE)
        # The Hyperlink character style has the theme's link colour; a link's own
        # style colour wins over it, as in the PDF.
        own = self.theme.inline(node.style).colour
        self.out.append(f'<w:hyperlink r:id="{rid}" w:history="1">')
        self.inlines(node.children, self.varied(props, char_style=style_id,
                                                        colour=own))
        self.out.append("</w:hyperlink>")

    # -- blocks ----------------------------------------------------------------------
    def blocks(self, nodes: tuple[t.Block, ...], ctx: Ctx) -> None:
        for node in nodes:
            self.block(node, ctx)

    def block(self, node: t.Block, ctx: Ctx) -> None:
        method = self._blocks.get(type(node))
        if method is None:
            raise TypeError(f"The DOCX writer cannot write the block node "
                            f"{type(node).__name__!r}: {node!r}")
        method(node, ctx)

    def para(self, inlines: tuple[t.Inline, ...], style: Style | None, kind: str,
             box: Style | None, outline: int | None = None, lang: str | None = None) -> None:
        if kind != "cell" and box is None and style is not None and style.boxed:
            box = style  # its own box (an enclosing one wins)
        p_pr, props, self._families, hyphenated = self._look(style, kind, box, outline)
        self._hyphenation = (lang or self.state.language) if hyphenated else ""
        if self.state.any_rtl and is_rtl(t.plain_text(inlines), lang or self.state.language):
            p_pr = with_bidi(p_pr)
        self.out.append(f"<w:p>{p_pr}")
        self._passage = lang
        self.inlines(inlines, props)
        self._passage, self._hyphenation = None, ""
        self.out.append("</w:p>")

    def _look(self, style: Style | None, kind: str, box: Style | None, outline: int | None
              ) -> tuple[str, RunProps, tuple[FontFamily, ...], bool]:
        """A paragraph's ``w:pPr``, run properties, font chain and whether it is
        hyphenated: the same for every paragraph of its style, kind, box and outline
        level, so memoised per theme (by identity: the memo holds the styles it is keyed
        by, so their ids stay theirs)."""
        key = ("look", id(style), kind, id(box), outline)
        found = self.base.memo.get(key)
        if found is None or found[0] is not style or found[1] is not box:
            p_pr, props = self.para_format(style, kind, box, outline)
            look = style if style is not None else self.theme.style(KINDS[kind][0])
            found = self.base.memo[key] = (
                style, box, p_pr, props, chain_of(self.theme, look.font),
                applies(self.theme, look, kind.startswith("heading")))
        return found[2], found[3], found[4], found[5]

    def paragraph(self, node: t.Paragraph, ctx: Ctx) -> None:
        self.para(node.children, self.own(node.style) or ctx.style, ctx.kind, ctx.box,
                  lang=node.lang or ctx.lang)

    def heading(self, node: t.Heading, ctx: Ctx) -> None:
        level = min(3, max(1, node.level))
        outline = None if ctx.kind in ("header", "footer") else self.levels.level(level)
        self.para(node.children, self.own(node.style), f"heading{level}", ctx.box, outline)

    def bullets(self, node: t.BulletList, ctx: Ctx) -> None:
        depth = min(3, ctx.depth + 1)
        inner = ctx._replace(depth=depth)
        start = len(self.out)
        for item in node.items:
            first = True
            for child in item:
                if isinstance(child, t.Paragraph):
                    kind = f"list{depth}" if first else f"listcont{depth}"
                    self.para(child.children, self.own(child.style) or self.own(node.style),
                              kind, ctx.box, lang=child.lang or ctx.lang)
                else:
                    if first and not isinstance(child, t.BulletList):
                        self.para((), self.own(node.style), f"list{depth}", ctx.box)
                    self.block(child, inner)
                first = False
        if depth == 1:  # like the PDF: no lone first or last item on a page
            starts = self._paragraph_starts(start)
            if len(starts) >= 2:
                for index in (starts[0], starts[-2]):
                    self.out[index] = keep_next(self.out[index])

    def _paragraph_starts(self, start: int) -> list[int]:
        return [i for i in range(start, len(self.out)) if self.out[i].startswith("<w:p>")]

    def quote(self, node: t.Quote, ctx: Ctx) -> None:
        self.blocks(node.children, ctx._replace(style=self.own(node.style), kind="quote",
                                                lang=node.lang or ctx.lang))
        if node.attribution:
            self.para(node.attribution, None, "attribution", ctx.box)

    def section(self, node: t.Section, ctx: Ctx) -> None:
        own = self.own(node.style)
        box = own if own is not None and own.boxed and ctx.box is None else ctx.box
        inner = self.theme.contents(own) if own is not None else ctx.style
        start = len(self.out)
        self.blocks(node.children, ctx._replace(style=inner, box=box))
        if box is not None and box != ctx.box:  # like the PDF: a box stays on one page
            for index in self._paragraph_starts(start)[:-1]:
                self.out[index] = keep_next(self.out[index])

    def rule(self, node: t.Rule, ctx: Ctx) -> None:
        style = self.theme.style(node.style, "rule")
        line = self.theme.rule(style)
        border = border_xml(line.colour, line.width, ("bottom",))
        self.out.append(
            f'<w:p><w:pPr>{border}<w:spacing w:before="{pt20(style.space_before)}" '
            f'w:after="{pt20(style.space_after)}" w:line="20" w:lineRule="exact"/>'
            '<w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr></w:pPr></w:p>')

    def spacer(self, node: t.Spacer, ctx: Ctx) -> None:
        height = max(1, pt20(node.height))
        self.out.append(
            f'<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="{height}" '
            'w:lineRule="exact"/><w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr>'
            "</w:pPr></w:p>")

    def page_break(self, node: t.PageBreak, ctx: Ctx) -> None:
        self.out.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')

    def image(self, node: t.Image, ctx: Ctx) -> None:
        self.picture(node.data, node.width_mm, None, node.alt, node.style, ctx)

    def picture(self, data: bytes, width_mm: float, height_mm: float | None, alt: str,
                style: str | None, ctx: Ctx, label: str = "Picture") -> None:
        """A paragraph holding one picture, ``width_mm`` wide and ``height_mm`` high (by
        default, as high as the picture's own proportions make it)."""
        name, width_px, height_px = self.media(data)
        rid = self.relate(RT_IMAGE, name.removeprefix("word/"))
        cx = max(1, round(width_mm * EMU_PER_MM))
        cy = max(1, round(height_mm * EMU_PER_MM) if height_mm is not None
                 else round(cx * height_px / max(1, width_px)))
        shape = self.state.next_shape
        self.state.next_shape += 1
        kind = ctx.kind if not ctx.kind.startswith("list") else "body"
        p_pr, _ = self.para_format(self.own(style) or ctx.style, kind, ctx.box)
        drawing = inline_image(rid, shape, name.rsplit("/", 1)[1], alt, cx, cy, label)
        self.out.append(f"<w:p>{p_pr}<w:r>{drawing}</w:r></w:p>")

    def chart(self, node: t.Chart, ctx: Ctx) -> None:
        """A chart as a picture painted from its geometry (see `chart`), with its alt text."""
        key = ("chart", node)
        data: bytes | None = self.base.memo.get(key)
        if data is None:
            data = chart_png(node, self.theme)
            if len(self.base.memo) < 4096:
                self.base.memo[key] = data
        self.picture(data, node.width_mm, node.height_mm, node.alt, node.style, ctx, "Chart")

    def media(self, data: bytes) -> tuple[str, int, int]:
        """The part name of picture ``data`` in this document, and its size in pixels."""
        key = ("m", hashlib.sha256(data).digest())
        info: tuple[str, int, int, bytes, int, int] | None = self.base.memo.get(key)
        if info is None:
            ext, px_width, px_height = _kind_and_size(data)
            packed = entry("x", data, level=1)
            info = (ext, px_width, px_height, packed.compressed, packed.crc, packed.size)
            if len(self.base.memo) < 4096:
                self.base.memo[key] = info
        ext, width_px, height_px, compressed, crc, size = info
        known = self.state.media.get(data)
        if known is None:
            number = len(self.state.media) + 1
            name = f"word/media/image{number}.{ext}"
            while name in self.base.part_names:
                number += 1
                name = f"word/media/image{number}.{ext}"
            known = (name, Entry(name, crc, compressed, size))
            self.state.media[data] = known
        return known[0], width_px, height_px

    def table(self, node: t.Table, ctx: Ctx) -> None:
        write_table(node, self.base, self.out, self.para)


def _kind_and_size(data: bytes) -> tuple[str, int, int]:
    """'png' or 'jpeg', and the size in pixels, as `images` reads them (the header
    python-docx reads too, without importing it); an image `images` refuses (over its
    limits, a damaged chunk) is sized by python-docx, as it always was."""
    try:
        found = inspect_image(data, "image")
        return found.kind, found.width, found.height
    except ImageProblem:
        pass
    from docx.image.image import Image as ImageInfo

    try:
        image = ImageInfo.from_blob(data)
        if image.content_type in ("image/png", "image/jpeg"):
            return ("png" if image.content_type == "image/png" else "jpeg",
                    image.px_width, image.px_height)
    except Exception:  # python-docx raises several types
        pass
    raise RenderError.single("", "An image is neither a PNG nor a JPEG.")
