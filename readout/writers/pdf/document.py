"""The PDF writer: a `Document` and a `Theme` in, the bytes of a PDF out.

One reportlab build: the body flows through one frame; header and footer blocks are
drawn on every page by the page callback, wrapped to the frame width (page 1 gets the
document's ``first_header`` instead of its header when it has one). "Page X of Y"
needs Y before the last page exists: a paragraph holding a page number or count is
drawn as a form XObject whose content is written after the build (`flow.Forms`),
so the outline and links stay right (no NumberedCanvas) and nothing is built twice.

Output is byte-identical for the same input (``invariant``; dates from
``metadata.created``). A marked document leads its Subject with its marking. Fonts
are the theme's TrueType families, subset-embedded. Streams are Flate-only, decided per
document by the canvas (`canvas`): no process-global reportlab setting is changed, so
documents built at once in threads come out as they do one by one.

Every PDF is tagged (PDF/UA-1, `tagging`): the body's blocks become the structure tree
and the header and footer are drawn as pagination artifacts; `standards` adds the XMP
metadata and, for a theme whose ``pdf_standard`` is ``a-2b``, what PDF/A-2b asks.
"""

from __future__ import annotations

from functools import partial
from io import BytesIO
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import BaseDocTemplate, PageTemplate
from reportlab.platypus import Spacer as RLSpacer

from ...coverage import require_fonts
from ...errors import TemplateError
from ...fontchain import uncovered
from ...safe_text import printable
from ...themes import Theme
from ...tree import Document
from . import textout  # noqa: F401  (installs the text operators)
from .blocks import Builder, Ctx
from .canvas import PdfCanvas
from .flow import BodyFrame, Forms, Gap, KeepWithStart, Outline, colour, timestamp
from .standards import describe
from .tagging import Elem, TaggingCanvas, as_furniture

__all__ = ["write"]

CREATOR = "readout"
FURNITURE_GAP = 2 * mm  # the least room between the body and a header or footer


class _Furniture:
    """The theme's watermark, and header and footer flowables, drawn on every page
    (built once per document); the watermark first, so it lies behind the text.

    ``first_header``, unless ``None``, is drawn on page 1 instead of ``header``.
    """

    def __init__(self, header: list[Any], footer: list[Any], theme: Theme,
                 first_header: list[Any] | None = None,
                 watermark: tuple[str, str, float] | None = None) -> None:
        page = theme.page
        self.header, self.footer, self.first_header = header, footer, first_header
        self.theme = theme
        self.watermark = watermark  # (text, face, size)
        self.x = page.margin_left_mm * mm
        self.width = (page.width_mm - page.margin_left_mm - page.margin_right_mm) * mm
        self.top = (page.height_mm - page.header_mm) * mm
        self.header_mm = page.header_mm * mm
        self.bottom = page.footer_mm * mm
        self.pages = 0

    def __call__(self, canv: Any, doc: Any) -> None:
        self.pages = max(self.pages, canv.getPageNumber())
        if self.watermark is not None:
            with as_furniture(canv, "Watermark"):
                self._watermark(canv, *self.watermark)
        canv.saveState()
        header = self.header
        if self.first_header is not None and canv.getPageNumber() == 1:
            header = self.first_header
        if header:
            with as_furniture(canv, "Header"):
                self._stack(canv, header, self.top)
        if self.footer:
            height = self._height(canv, self.footer)
            with as_furniture(canv, "Footer"):
                self._stack(canv, self.footer, self.bottom + height)
        canv.restoreState()

    def _watermark(self, canv: Any, text: str, face: str, size: float) -> None:
        mark = self.theme.watermark
        assert mark is not None
        page = self.theme.page
        canv.saveState()
        canv.setFillColor(colour(mark.colour))
        canv.setFillAlpha(mark.opacity)
        canv.translate(page.width_mm * mm / 2, page.height_mm * mm / 2)
        canv.rotate(mark.angle)
        canv.setFont(face, size)
        canv.drawCentredString(0, -0.35 * size, text)  # the middle of capitals at the centre
        canv.restoreState()

    def margins(self, top: float, bottom: float) -> tuple[float, float]:
        """The body's top and bottom margins: ``top`` and ``bottom``, or more where a
        header or footer reaches further into the page (a long organisation name), so
        that the body never runs under them."""
        header = max(self._height(None, self.header),
                     self._height(None, self.first_header or []))
        footer = self._height(None, self.footer)
        return (max(top, self.header_mm + header + FURNITURE_GAP if header else top),
                max(bottom, self.bottom + footer + FURNITURE_GAP if footer else bottom))

    def _height(self, canv: Any, flows: list[Any]) -> float:
        total = 0.0
        for index, flow in enumerate(flows):
            _, height = (flow.wrapOn(canv, self.width, self.top) if canv is not None
                         else flow.wrap(self.width, self.top))
            total += height + (flow.getSpaceBefore() if index else 0.0)
            total += flow.getSpaceAfter() if index < len(flows) - 1 else 0.0
        return total

    def _stack(self, canv: Any, flows: list[Any], top: float) -> None:
        y = top
        for index, flow in enumerate(flows):
            if index:
                y -= flow.getSpaceBefore()
            _, height = flow.wrapOn(canv, self.width, self.top)
            y -= height
            flow.drawOn(canv, self.x, y)
            y -= flow.getSpaceAfter()


class _DocTemplate(BaseDocTemplate):  # type: ignore[misc]
    """Sets the document dates from the metadata once the canvas exists."""

    created: Any = None

    def handle_documentBegin(self) -> None:
        super().handle_documentBegin()
        self.canv._doc._timeStamp = timestamp(self.created)


def write(document: Document, theme: Theme, *, _tagged: bool = True) -> bytes:
    """Render ``document`` with ``theme`` as PDF bytes.

    ``_tagged=False`` builds the PDF as it was before tagging (no structure, no XMP):
    only the render benchmark's baseline wants that.
    """
    require_fonts(document, theme)
    page = theme.page
    width_pt, height_pt = page.width_mm * mm, page.height_mm * mm
    frame_w = (page.width_mm - page.margin_left_mm - page.margin_right_mm) * mm
    forms, outline = Forms(), Outline()
    builder = Builder(theme, forms, outline, document.metadata.language, tagged=_tagged)
    root = Elem("Document") if _tagged else None

    def ctx(default: str, outlined: bool, tag: Elem | None = None) -> Ctx:
        para = builder.style(None, default)
        return Ctx(left=0.0, width=frame_w, floor=0.0, para=para, align=para.alignment,
                   outline=outlined, tag=tag)

    first_header = (None if document.first_header is None
                    else builder.blocks(document.first_header, ctx("header", False)))
    furniture = _Furniture(builder.blocks(document.header, ctx("header", False)),
                           builder.blocks(document.footer, ctx("footer", False)), theme,
                           first_header, _watermark(builder, theme))
    top, bottom = furniture.margins(page.margin_top_mm * mm, page.margin_bottom_mm * mm)
    frame_h = builder.frame_height = height_pt - top - bottom
    story = builder.blocks(document.body, ctx("body", True, root))
    while story and isinstance(story[-1], Gap):  # space after the end would need a page
        story.pop()
    story = story or [RLSpacer(0, 0)]

    meta = document.metadata
    buffer = BytesIO()
    doc = _DocTemplate(
        buffer, pagesize=(width_pt, height_pt),
        leftMargin=page.margin_left_mm * mm, rightMargin=page.margin_right_mm * mm,
        topMargin=top, bottomMargin=bottom,
        title=meta.title, author=meta.author, subject=meta.marked_subject,
        keywords=list(meta.keywords), creator=CREATOR, lang=meta.language or None,
        invariant=1, displayDocTitle=1, keepTogetherClass=KeepWithStart,
        initialFontName=builder.face(builder.body.font, False, False),
    )
    doc.created = meta.created
    frame = BodyFrame(doc.leftMargin, doc.bottomMargin, frame_w, frame_h, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=furniture)])
    doc._doSave = 0  # define the deferred forms before saving
    maker = PdfCanvas if root is None else partial(TaggingCanvas, root=root, pdfVersion=(1, 7))
    doc.build(story, canvasmaker=maker)
    forms.define(doc.canv, furniture.pages)
    if root is not None:
        doc.canv.write_structure()
        describe(doc.canv._doc, meta, theme.pdf_standard)
    doc.canv.save()
    _release(doc, forms, root)
    return buffer.getvalue()


def _release(doc: Any, forms: Forms, root: Elem | None) -> None:
    """Break the reference cycles a build leaves (reportlab's and ours), so that the
    document's objects are freed as soon as ``write`` returns, not by the cyclic garbage
    collector: a document left to it costs more than its own work (the collector walks
    it, and runs more often while it waits)."""
    del doc._nameSpace  # a dict holding the document
    doc.canv._doc.__dict__.pop("format", None)  # a tagged file's writer, bound to it
    forms.pending.clear()
    if root is not None:
        root.release()


def _watermark(builder: Builder, theme: Theme) -> tuple[str, str, float] | None:
    """The watermark's text, face and size, when the theme has one."""
    mark = theme.watermark
    if mark is None:
        return None
    text = printable(mark.text)
    face = builder.face(mark.font, True, False)
    lacking = uncovered(text, (theme.font(mark.font),))
    if lacking:
        raise TemplateError.single(theme.source, f"The watermark's character "
                                   f"U+{ord(lacking[0]):04X} is not in its font "
                                   f"{theme.font(mark.font).family}; change the text or the "
                                   "font.", path="watermark.text")
    return text, face, mark.fitted_size(stringWidth(text, face, 1), theme.page)

