"""PDF writer, part 2: theme styles as reportlab paragraph styles, inlines as markup.

All text goes into paragraph markup escaped; the only tags emitted are ours (``font``
with a registered face name and a theme colour, ``a`` with a safe target or a sibling
file, ``u``, ``br``). A link to a sibling PDF opens it (a ``GoToR`` action); to any
other sibling file, it is a relative URI, resolved against the PDF's own folder.
A block takes its own style or the theme's default for its kind (the whole resolved
`Style`); an inline applies its resolved `InlineStyle` (font, weight, slant, colour).

`Styles.parser_calls` gives what reportlab's parser would be told of that markup (its
tags, texts and references, as `paraparse` lists them) straight from the inlines, so a
paragraph of a shape met before gets its fragments without markup written and read
back (`paraparse.known`).
"""

from __future__ import annotations

import re
import weakref
from typing import Any

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle

from ... import tree as t
from ...fontchain import chain_of, face_index, face_path, glyph_characters, segments
from ...hyphenation import reportlab_hyphenator
from ...safe_text import is_safe_target, is_sibling_file, printable
from ...themes import Alignment, InlineStyle, Style, Theme
from .flow import colour, font_faces
from .tagging import LINK, SPAN_LANGUAGE

ALIGN = {Alignment.LEFT: TA_LEFT, Alignment.CENTER: TA_CENTER, Alignment.RIGHT: TA_RIGHT,
         Alignment.JUSTIFY: TA_JUSTIFY}
RTL_ALIGN = {Alignment.LEFT: TA_RIGHT, Alignment.CENTER: TA_CENTER, Alignment.RIGHT: TA_LEFT,
             Alignment.JUSTIFY: TA_RIGHT}

Run = tuple[str, bool, bool, str]  # font role, bold, italic, colour
Call = tuple[str, Any, Any]  # what `paraparse` lists: (kind, tag or reference, attributes)

DATA: Call = ("data", None, None)  # a run of text (the texts are kept apart)
_PARA: tuple[Call, Call] = (("start", "para", ()), ("end", "para", None))
_FONT_END: Call = ("end", "font", None)
_LINK_END: tuple[Call, Call] = (("end", "u", None), ("end", "a", None))
_BREAK: Call = ("empty", "br", ())
_REFERENCES: dict[str, Call] = {"&": ("entity", "amp", None), "<": ("entity", "lt", None),
                                ">": ("entity", "gt", None), '"': ("entity", "quot", None),
                                "'": ("char", "39", None)}
_ESCAPED = re.compile("[&<>\"']")
# What reportlab's cleaner (``cleanBlockQuotedText``) would change: any white space but
# the space and the no-break space, a zero-width space, two spaces in a row.
_UNCLEAN = re.compile("[^\\S \xa0]|\u200b|  ")


def text_markup(text: str) -> str:
    """``text`` as paragraph markup that prints exactly ``text`` (unprintables dropped)."""
    # by hand, not xml.sax.saxutils.escape: importing that imports urllib.request
    return (printable(text).replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
            .replace('"', "&quot;").replace("'", "&#39;"))


def link_href(target: str) -> str | None:
    """What reportlab's ``<a href>`` needs for ``target``, or ``None`` if it is no link."""
    if is_safe_target(target):
        return target
    if is_sibling_file(target):
        return f"pdf:{target}" if target.lower().endswith(".pdf") else target
    return None


def has_counters(nodes: tuple[t.Inline, ...]) -> bool:
    for node in nodes:
        if isinstance(node, (t.PageNumber, t.PageCount)):
            return True
        if isinstance(node, (t.Strong, t.Emphasis, t.Link)) and has_counters(node.children):
            return True
    return False


class _ThemeCache:
    """What the writer makes of a theme, kept while the theme lives."""

    def __init__(self, theme: Theme) -> None:
        self.theme = weakref.ref(theme)
        self.pstyles: dict[tuple[Any, ...], ParagraphStyle] = {}
        self.faces: dict[tuple[str, bool, bool], str] = {}
        self.chains: dict[tuple[str, int], tuple[str, str, str, str]] = {}
        self.runs: dict[tuple[str, bool, bool], tuple[frozenset[str], str]] = {}


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
    """The theme's resolved styles as reportlab styles, faces and inline markup."""

    def __init__(self, theme: Theme) -> None:
        self.theme = theme
        cache = _cache_for(theme)
        self._pstyles, self._faces, self._chains = cache.pstyles, cache.faces, cache.chains
        self._runs = cache.runs
        self.body = theme.style("body")

    # -- styles -----------------------------------------------------------------------
    def style(self, name: str | None, default: str) -> Style:
        return self.theme.style(name, default)

    def own_style(self, name: str | None, fallback: Style) -> Style:
        """The style ``name`` if the theme defines it, else ``fallback``."""
        found = self.theme.styles.get(name) if name is not None else None
        return found or fallback

    def face(self, font: str, bold: bool, italic: bool) -> str:
        """The face of the first family of role ``font``'s chain."""
        key = (font, bold, italic)
        found = self._faces.get(key)
        if found is None:
            faces = font_faces(self.theme.font(font))
            found = self._faces[key] = faces[(1 if bold else 0) + (2 if italic else 0)]
        return found

    def chain_faces(self, font: str, family: int) -> tuple[str, str, str, str]:
        """The registered faces of family ``family`` of role ``font``'s chain: each family
        registered when a piece of text first needs it (parsing a CJK font that an
        English document never uses costs more than the whole document)."""
        key = (font, family)
        found = self._chains.get(key)
        if found is None:
            found = self._chains[key] = font_faces(chain_of(self.theme, font)[family])
        return found

    def pstyle(self, st: Style, left: float, bullet: float | None = None,
               cell: bool = False, shaped: bool = False, rtl: bool = False,
               cjk: bool = False, hyphenation: str = "") -> ParagraphStyle:
        """The reportlab style of ``st`` with text ``left`` points in (from the right,
        mirrored, when ``rtl``), an optional bullet, in a table cell or not, shaped by
        HarfBuzz or not, broken between any two characters (Chinese) or at spaces, and
        words hyphenated by the dictionary of the language ``hyphenation`` names."""
        key = (st, left, bullet, cell, shaped, rtl, cjk, hyphenation)
        found = self._pstyles.get(key)
        if found is not None:
            return found
        face = self.face(st.font, st.bold, st.italic)
        found = ParagraphStyle(
            f"{st.name}-{len(self._pstyles)}", fontName=face, fontSize=st.size,
            leading=st.leading, textColor=colour(st.colour),
            alignment=RTL_ALIGN[st.alignment] if rtl else ALIGN[st.alignment],
            leftIndent=0 if rtl else left, rightIndent=left if rtl else 0,
            spaceBefore=0 if cell else st.space_before,
            spaceAfter=0 if cell else st.space_after,
            keepWithNext=bool(st.keep_with_next) and not cell,
            allowWidows=0,  # never one line of a paragraph alone at the top of a page
            bulletFontName=face, bulletFontSize=st.size, bulletColor=colour(st.colour),
            bulletIndent=bullet or 0,
            shaping=1 if shaped else 0,
            wordWrap="CJK" if cjk else None,
            hyphenationLang=(reportlab_hyphenator(hyphenation) or "") if hyphenation else "",
        )
        self._pstyles[key] = found
        return found

    def _apply(self, run: Run, name: str | None) -> Run:
        props: InlineStyle = self.theme.inline(name)
        return (props.font if props.font is not None else run[0],
                props.bold if props.bold is not None else run[1],
                props.italic if props.italic is not None else run[2],
                props.colour if props.colour is not None else run[3])

    # -- inline markup ----------------------------------------------------------------
    def markup(self, nodes: tuple[t.Inline, ...], st: Style,
               numbers: tuple[str, str] | None = None, links: bool = True,
               spoken: str | None = None) -> str:
        """The paragraph markup of ``nodes``; with ``spoken``, the paragraph's language
        in a tagged PDF, a `Text` in another one is marked as a span in its language
        (`tagging.SPAN_LANGUAGE`)."""
        base: Run = (st.font, st.bold, st.italic, st.colour)
        out: list[str] = []
        self._emit(nodes, base, base, out, numbers, links, spoken)
        return "".join(out)

    def parser_calls(self, nodes: tuple[t.Inline, ...], st: Style, spoken: str | None = None
                     ) -> tuple[tuple[Call, ...], list[str], bool] | None:
        """What reportlab's parser is told of ``markup(nodes, st, spoken=spoken)`` once
        cleaned: its calls with every text left out (`DATA`), the texts in order, and
        whether the markup marks elements inside it (`tagging.marks_inline`); ``None``
        where the cleaner would change the markup (white space it collapses)."""
        base: Run = (st.font, st.bold, st.italic, st.colour)
        calls: list[Call] = [_PARA[0]]
        texts: list[str] = []
        values: list[str] = []  # attribute values that come from the document
        marks = self._calls(nodes, base, base, calls, texts, values, spoken)
        calls.append(_PARA[1])
        if texts and ((calls[1] is DATA and texts[0][0] == " ")
                      or (calls[-2] is DATA and texts[-1][-1] == " ")):
            return None
        for text in (*texts, *values):
            if _UNCLEAN.search(text) is not None:
                return None
            if LINK in text or SPAN_LANGUAGE in text:
                marks = True
        return tuple(calls), texts, marks

    def _calls(self, nodes: tuple[t.Inline, ...], run: Run, base: Run, calls: list[Call],
               texts: list[str], values: list[str], spoken: str | None) -> bool:
        """`_emit` as parser calls (no page numbers, links live); whether a Span or a
        Link is marked."""
        marks = False
        for node in nodes:
            if isinstance(node, t.Text):
                look = self._apply(run, node.style)
                if spoken is not None and node.lang and node.lang != spoken:
                    inner: list[Call] = []
                    inner_texts: list[str] = []
                    self._span_calls(node.text, look, base, inner, inner_texts)
                    if inner:
                        label = printable(node.lang)
                        values.append(label)
                        calls.append(("empty", "ondraw", (("name", SPAN_LANGUAGE),
                                                          ("label", label))))
                        calls += inner
                        texts += inner_texts
                        calls.append(("empty", "ondraw", (("name", SPAN_LANGUAGE),
                                                          ("label", ""))))
                        marks = True
                else:
                    self._span_calls(node.text, look, base, calls, texts)
            elif isinstance(node, t.Strong):
                inner_run = self._apply((run[0], True, run[2], run[3]), node.style)
                marks |= self._calls(node.children, inner_run, base, calls, texts, values,
                                     spoken)
            elif isinstance(node, t.Emphasis):
                inner_run = self._apply((run[0], run[1], True, run[3]), node.style)
                marks |= self._calls(node.children, inner_run, base, calls, texts, values,
                                     spoken)
            elif isinstance(node, t.Link):
                inner_run = self._apply(run, node.style if node.style else "link")
                href = link_href(node.target)
                if href is None:
                    marks |= self._calls(node.children, inner_run, base, calls, texts,
                                         values, spoken)
                    continue
                target = printable(href)
                values.append(target)
                calls += (("start", "a", (("href", target),)), ("start", "u", ()))
                if spoken is not None:
                    calls.append(("empty", "ondraw", (("name", LINK), ("label", target))))
                    marks = True
                marks |= self._calls(node.children, inner_run, base, calls, texts, values,
                                     spoken)
                if spoken is not None:
                    calls.append(("empty", "ondraw", (("name", LINK), ("label", ""))))
                calls += _LINK_END
            elif isinstance(node, t.LineBreak):
                calls.append(_BREAK)
            else:
                raise TypeError(f"No parser calls for an inline {type(node).__name__}.")
        return marks

    def _span_calls(self, text: str, run: Run, base: Run, calls: list[Call],
                    texts: list[str]) -> None:
        """`_span` as parser calls."""
        if not text:
            return
        base_face = self.face(base[0], base[1], base[2])
        first = self._first_family(run)
        if first[0].issuperset(text):  # all in the chain's first family (`segments`)
            if first[1] == base_face and run[3] == base[3]:
                _text_calls(printable(text), calls, texts)
            else:
                calls.append(("start", "font", (("name", first[1]), ("color", run[3]))))
                _text_calls(printable(text), calls, texts)
                calls.append(_FONT_END)
            return
        families = chain_of(self.theme, run[0])
        for piece in segments(text, families, run[1], run[2]):
            face = self.chain_faces(run[0], piece.family)[piece.face]
            if face == base_face and run[3] == base[3]:
                _text_calls(printable(piece.text), calls, texts)
            else:
                calls.append(("start", "font", (("name", face), ("color", run[3]))))
                _text_calls(printable(piece.text), calls, texts)
                calls.append(_FONT_END)

    def _first_family(self, run: Run) -> tuple[frozenset[str], str]:
        """The characters of the face ``run`` takes in the first family of its chain,
        and that face's name."""
        key = (run[0], run[1], run[2])
        found = self._runs.get(key)
        if found is None:
            wanted = face_index(run[1], run[2])
            path = face_path(chain_of(self.theme, run[0])[0], wanted)
            found = self._runs[key] = (glyph_characters(path),
                                       self.chain_faces(run[0], 0)[wanted])
        return found

    def _span(self, text: str, run: Run, base: Run) -> str:
        """``text`` in ``run``'s look, each piece in the first family of the chain that
        has it (see `fontchain.segments`)."""
        if not text:
            return ""
        families = chain_of(self.theme, run[0])
        base_face = self.face(base[0], base[1], base[2])
        out: list[str] = []
        for piece in segments(text, families, run[1], run[2]):
            face = self.chain_faces(run[0], piece.family)[piece.face]
            body = text_markup(piece.text)
            if face == base_face and run[3] == base[3]:
                out.append(body)
            else:
                out.append(f'<font name="{face}" color="{run[3]}">{body}</font>')
        return "".join(out)

    def _emit(self, nodes: tuple[t.Inline, ...], run: Run, base: Run, out: list[str],
              numbers: tuple[str, str] | None, links: bool, spoken: str | None = None
              ) -> None:
        for node in nodes:
            if isinstance(node, t.Text):
                span = self._span(node.text, self._apply(run, node.style), base)
                if spoken is not None and node.lang and node.lang != spoken and span:
                    span = (f'<ondraw name="{SPAN_LANGUAGE}" label="{text_markup(node.lang)}"/>'
                            f'{span}<ondraw name="{SPAN_LANGUAGE}" label=""/>')
                out.append(span)
            elif isinstance(node, t.Strong):
                inner = self._apply((run[0], True, run[2], run[3]), node.style)
                self._emit(node.children, inner, base, out, numbers, links, spoken)
            elif isinstance(node, t.Emphasis):
                inner = self._apply((run[0], run[1], True, run[3]), node.style)
                self._emit(node.children, inner, base, out, numbers, links, spoken)
            elif isinstance(node, t.Link):
                inner = self._apply(run, node.style if node.style else "link")
                href = link_href(node.target) if links else None
                if href is not None:
                    target = text_markup(href)
                    out.append(f'<a href="{target}"><u>')
                    if spoken is not None:  # its text is its Link element's
                        out.append(f'<ondraw name="{LINK}" label="{target}"/>')
                    self._emit(node.children, inner, base, out, numbers, links, spoken)
                    if spoken is not None:
                        out.append(f'<ondraw name="{LINK}" label=""/>')
                    out.append("</u></a>")
                else:
                    self._emit(node.children, inner, base, out, numbers, links, spoken)
            elif isinstance(node, t.LineBreak):
                out.append("<br/>")
            elif isinstance(node, (t.PageNumber, t.PageCount)):
                if numbers is None:  # never: such paragraphs are deferred
                    raise AssertionError("page numbers outside a deferred paragraph")
                value = numbers[0] if isinstance(node, t.PageNumber) else numbers[1]
                out.append(self._span(value, self._apply(run, node.style), base))
            else:
                raise TypeError(f"The PDF writer cannot render an inline {type(node).__name__}.")


def _text_calls(text: str, calls: list[Call], texts: list[str]) -> None:
    """The parser calls of ``text_markup(text)``: its runs of text (joined to a run
    just before) and the references its escapes make."""
    if _ESCAPED.search(text) is None:
        pieces: list[Any] = [text] if text else []
    else:
        pieces = []
        at = 0
        for found in _ESCAPED.finditer(text):
            if found.start() > at:
                pieces.append(text[at:found.start()])
            pieces.append(_REFERENCES[found.group()])
            at = found.end()
        if at < len(text):
            pieces.append(text[at:])
    for piece in pieces:
        if type(piece) is not str:
            calls.append(piece)
        elif calls and calls[-1] is DATA:
            texts[-1] += piece
        else:
            calls.append(DATA)
            texts.append(piece)


_CJK = re.compile("[\u3000-\u9fff\uff00-\uffef]")


def has_cjk(text: str) -> bool:
    """Whether ``text`` holds Han, kana or CJK punctuation: lines break between them."""
    return _CJK.search(text) is not None
