"""The HTML writer: a `Document` and a `Theme` in, one self-contained HTML5 page out.

Phases:

1. the body as semantic HTML (`blocks.Builder`), inside ``<main><article>``; the blocks
   up to and including the first level-1 heading are the article's ``<header>``;
2. the page furniture: the header of page 1 (``first_header``, else ``header``) above
   the article, the footer below it, both without the paragraphs that count pages
   (page numbers mean nothing on a screen); printed, the furniture is also in the
   page-margin boxes, with ``counter(page)`` and ``counter(pages)``, so every printed
   page carries its header, footer and marking, as in the PDF (page 1's margin stays
   empty where the page's own header already prints there). A browser without margin
   boxes still prints the marking where the page shows it: first and last;
3. the stylesheet of the classes used (`css.Stylesheet`), embedded in one ``<style>``,
   with the theme's watermark (if any) behind the text of the window and of every
   printed page;
4. the head: ``lang`` and ``dir`` of the document, its title and properties, and a
   Content-Security-Policy that allows only that stylesheet and the page's own images,
   so the page runs no script and fetches nothing even if opened from a hostile place.

Images are embedded as ``data:`` URIs (`write`: one file, nothing beside it), or named
by their content for the caller to write beside the page (`write_page`): the writer
itself never touches a file. The same input gives the same bytes.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from ... import tree as t
from ...coverage import require_fonts
from ...themes import Alignment, Style, Theme
from ...tree import Document
from .blocks import Builder, Ctx, asset_name, embedded, escape
from .css import (
    MarginBox,
    Stylesheet,
    css_string,
    font_stack,
    number,
    page_rules,
    text_declarations,
)

__all__ = ["Page", "write", "write_page"]

GENERATOR = "readout"
# Primary language subtags and script subtags written right to left.
_RTL_LANGUAGES = frozenset({"ar", "arc", "ckb", "dv", "fa", "he", "ks", "ps", "sd", "ug",
                            "ur", "yi"})
_RTL_SCRIPTS = frozenset({"arab", "hebr", "thaa", "syrc", "nkoo", "adlm", "rohg"})
_AREAS = {Alignment.LEFT: "left", Alignment.JUSTIFY: "left", Alignment.CENTER: "center",
          Alignment.RIGHT: "right"}


@dataclass(frozen=True)
class Page:
    """An HTML page and the files it links to (empty when its images are embedded):
    each a name relative to the page, and its bytes."""

    html: bytes
    assets: dict[str, bytes] = field(default_factory=dict)


def write(document: Document, theme: Theme) -> bytes:
    """The HTML page of ``document`` in ``theme``, images embedded: one file."""
    return write_page(document, theme).html


def write_page(document: Document, theme: Theme, image_folder: str | None = None) -> Page:
    """The HTML page of ``document``; with ``image_folder`` (a relative folder name), its
    images are not embedded but linked as ``image_folder/<content hash>.<ext>`` and
    returned as the page's assets, for the caller to write beside the page. A character
    no font of the theme has is refused as in every format, so all formats carry one text."""
    require_fonts(document, theme)
    assets: dict[str, bytes] = {}

    def beside(data: bytes, extension: str) -> str:
        name = f"{image_folder}/{asset_name(data, extension)}"
        assets[name] = data
        return name

    source: Callable[[bytes, str], str] = embedded if image_folder is None else beside
    meta = document.metadata
    base_dir = language_direction(meta.language)
    css = Stylesheet(theme)
    body = theme.style("body")

    article = Builder(theme, css, source, base_dir)
    lead, rest = _split_header(document.body)
    article.out.append("<main><article>")
    if lead:
        article.out.append("<header>")
        article.blocks(lead, Ctx(para=body))
        article.out.append("</header>")
    article.blocks(rest, Ctx(para=body))
    article.out.append("</article></main>")

    top_blocks = document.header if document.first_header is None else document.first_header
    top = _furniture(theme, css, source, base_dir, top_blocks, "header")
    bottom = _furniture(theme, css, source, base_dir, document.footer, "footer")

    every = (*_margin_boxes(theme, document.header, "top"),
             *_margin_boxes(theme, document.footer, "bottom"))
    first = (None if document.first_header is None
             else _margin_boxes(theme, document.first_header, "top"))
    if top and not any(counts_pages(block) for block in top_blocks):
        first = ()  # page 1 prints the page's own header: no second one in its margin
    stylesheet = css.text(_base_rules(theme, bool(top), bool(bottom)),
                          _print_rules(theme, every, first))
    style_hash = base64.b64encode(hashlib.sha256(stylesheet.encode("utf-8")).digest())
    images = "data:" if image_folder is None else "'self' data:"
    policy = (f"default-src 'none'; style-src 'sha256-{style_hash.decode('ascii')}'; "
              f"img-src {images}; base-uri 'none'; form-action 'none'")

    head = [
        "<!DOCTYPE html>",
        f'<html lang="{escape(meta.language or "und")}" dir="{base_dir}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">',
        f"<title>{escape(meta.title)}</title>",
        f'<meta name="generator" content="{GENERATOR}">',
    ]
    properties = (("author", meta.author), ("description", meta.marked_subject),
                  ("keywords", ", ".join(meta.keywords)),
                  ("classification", meta.classification),
                  ("dcterms.created", meta.created.isoformat()))
    head += [f'<meta name="{name}" content="{escape(value)}">'
             for name, value in properties if value]
    head += [f"<style>{stylesheet}</style>", "</head>", "<body>"]
    parts = [*head, *top, *article.out, *bottom, "</body>", "</html>", ""]
    return Page("\n".join(parts).encode("utf-8"), assets)


def language_direction(language: str) -> str:
    """``rtl`` for a language (or a script subtag) written right to left, else ``ltr``."""
    subtags = [part.lower() for part in (language or "").replace("_", "-").split("-")]
    if subtags and subtags[0] in _RTL_LANGUAGES:
        return "rtl" if not any(s in ("latn", "cyrl") for s in subtags[1:]) else "ltr"
    return "rtl" if any(s in _RTL_SCRIPTS for s in subtags[1:]) else "ltr"


def _split_header(body: tuple[t.Block, ...]) -> tuple[tuple[t.Block, ...], tuple[t.Block, ...]]:
    """The blocks up to and including the first level-1 heading, and the rest."""
    for index, block in enumerate(body):
        if isinstance(block, t.Heading) and block.level == 1:
            return body[:index + 1], body[index + 1:]
    return (), body


def counts_pages(block: t.Block) -> bool:
    """Whether a furniture block is a page count ("Page 2 of 3"): it holds a counter."""
    return isinstance(block, t.Paragraph) and t.has_counters(block.children)


def _furniture(theme: Theme, css: Stylesheet, source: Callable[[bytes, str], str],
               base_dir: str, blocks: tuple[t.Block, ...], tag: str) -> list[str]:
    shown = tuple(block for block in blocks if not counts_pages(block))
    if not shown:
        return []
    builder = Builder(theme, css, source, base_dir)
    builder.blocks(shown, Ctx(para=theme.style(None, tag), furniture=True))
    return [f'<{tag} class="page-{tag}">', *builder.out, f"</{tag}>"]


def _margin_boxes(theme: Theme, blocks: tuple[t.Block, ...], edge: str
                  ) -> tuple[MarginBox, ...]:
    """The paragraphs of a furniture part as page-margin boxes, one box a side (left,
    centre, right by alignment), lines in order, set in the style of its first line."""
    default = "header" if edge == "top" else "footer"
    lines: dict[str, list[str]] = {}
    styles: dict[str, Style] = {}
    for block in _paragraphs(blocks):
        st = theme.style(block.style, default)
        area = f"{edge}-{_AREAS[st.alignment]}"
        lines.setdefault(area, []).append(_content(block.children))
        styles.setdefault(area, st)
    return tuple(MarginBox(area, ' "\\a" '.join(parts), styles[area])
                 for area, parts in lines.items())


def _paragraphs(blocks: tuple[t.Block, ...]) -> list[t.Paragraph]:
    out: list[t.Paragraph] = []
    for block in blocks:
        if isinstance(block, t.Paragraph):
            out.append(block)
        elif isinstance(block, t.Section):
            out.extend(_paragraphs(block.children))
    return out


def _content(nodes: tuple[t.Inline, ...]) -> str:
    """A paragraph as a CSS ``content`` value: its text as strings, its counters as
    ``counter(page)`` and ``counter(pages)``."""
    parts: list[str] = []
    text: list[str] = []

    def flush() -> None:
        if text:
            parts.append(css_string("".join(text)))
            text.clear()

    def walk(items: tuple[t.Inline, ...]) -> None:
        for node in items:
            if isinstance(node, t.Text):
                text.append(node.text)
            elif isinstance(node, (t.Strong, t.Emphasis, t.Link)):
                walk(node.children)
            elif isinstance(node, t.LineBreak):
                text.append("\n")
            elif isinstance(node, (t.PageNumber, t.PageCount)):
                flush()
                parts.append("counter(page)" if isinstance(node, t.PageNumber)
                             else "counter(pages)")

    walk(nodes)
    flush()
    return " ".join(parts) if parts else '""'


def _base_rules(theme: Theme, top: bool, bottom: bool
                ) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    body = theme.style("body")
    page = theme.page
    rules = [
        ("html", (("background-color", "#ffffff"),)),
        ("body", (*text_declarations(body, theme), ("margin", "0 auto"),
                  ("max-width", f"{page.text_width_mm:g}mm"), ("padding", "8mm 5mm"))),
        ("p,h1,h2,h3,ul,figure,blockquote,figcaption", (("margin", "0"),)),
        ("strong", (("font-weight", "700"),)),
        ("em", (("font-style", "italic"),)),
        ("main,article,header,footer", (("display", "block"),)),
    ]
    if theme.watermark is not None:
        rules.append(("body::before", _watermark(theme)))
    if top:
        rules.append((".page-header", (("margin-bottom", "6mm"),)))
    if bottom:
        rules.append((".page-footer", (("margin-top", "6mm"),)))
    return rules


# The width of a bold capital at 1 point, in points: the text's width at 1 point, for
# the watermark's size, without the font's metrics (the browser has the font, not us).
_CAPITAL_WIDTH = 0.68


def _watermark(theme: Theme) -> tuple[tuple[str, str], ...]:
    """The theme's watermark: its text large and faint across the middle of the window
    and of every printed page (a fixed element repeats on each), behind the text."""
    mark = theme.watermark
    assert mark is not None
    size = mark.fitted_size(_CAPITAL_WIDTH * len(mark.text), theme.page)
    return (("content", css_string(mark.text)), ("position", "fixed"), ("top", "50%"),
            ("left", "50%"), ("transform", f"translate(-50%,-50%) rotate({-mark.angle:g}deg)"),
            ("font-family", font_stack(theme.chain(mark.font))), ("font-weight", "700"),
            ("font-size", f"{number(size)}pt"), ("color", mark.colour),
            ("opacity", number(mark.opacity)), ("white-space", "nowrap"), ("z-index", "-1"),
            ("pointer-events", "none"))


def _print_rules(theme: Theme, every: tuple[MarginBox, ...],
                 first: tuple[MarginBox, ...] | None) -> str:
    """Printed, the furniture is in the page margins of every page (`css.page_rules`);
    the page's own header and footer print too, at its start and end, so a browser
    without page-margin boxes still prints the marking."""
    return (page_rules(theme, every, first) + "\n@media print{"
            "body{max-width:none;margin:0;padding:0}"
            "h1,h2,h3{break-after:avoid-page;break-inside:avoid-page}"
            "p,li,figcaption{orphans:2;widows:2}"
            "tr,img,figure,blockquote{break-inside:avoid-page}}")
