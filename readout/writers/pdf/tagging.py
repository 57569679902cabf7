"""PDF writer, part 4: the tagged PDF (PDF/UA-1): structure elements and marked content.

reportlab draws; this module says what each drawing is. The builder (`blocks`) gives
every block of the document tree a structure element (`Elem`) as it makes the block's
flowables, so the structure tree follows the document tree, which is the reading order.
The flowables that draw content (a paragraph, an image) become `Tagged` (mixed into
their own class, not wrapped, so layout costs what it costs untagged): drawn, one opens
a marked-content sequence with the page's next MCID under its element, so an element
split across pages gets an MCID on each page. Everything else the writer draws
is an artifact: running headers and footers (`as_furniture`, in the page callback),
the backgrounds and grids of tables and boxes (`decor`, reportlab's table render
callback), rules, images without alternative text, a table's header row repeated on a
following page, and the "Page X of Y" forms drawn in any of these.

`TaggingCanvas` numbers the MCIDs of each page, fills the ParentTree, puts each link
annotation under a Link element (an OBJR) with a /Contents, gives every page its
/StructParents and /Tabs /S, and writes the StructTreeRoot (`write_structure`), each
element as its final bytes, in one pass once the pages are numbered.
Elements that got no content (an empty paragraph) are left out; table cells never are,
so every row keeps its columns.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from functools import cache, partial
from itertools import accumulate, repeat
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import (
    PDFDictionary,
    PDFFile,
    PDFIndirectObject,
    PDFObjectReference,
    PDFPage,
    PDFString,
    PDFTrailer,
)
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Flowable

from .canvas import PdfCanvas

__all__ = ["LINK", "SPAN_LANGUAGE", "Elem", "Tagged", "TaggingCanvas", "artifact",
           "as_furniture", "content", "decor", "marks_inline", "tagged_class"]


_Mark = tuple[int, int]
"""A marked-content sequence: the number of its page (reportlab's page counter) and its
MCID on that page."""


@dataclass(frozen=True, slots=True)
class _Objr:
    """An annotation under a structure element: its page's number and its own name."""

    page: int
    annot: str


class Elem:
    """A structure element: a standard structure type (``P``, ``H1``, ``TD``...) and
    its kids in reading order (elements, marked content, annotations); written as an
    object of the file once its number and its kids' are known (`write_structure`)."""

    alt: str | None = None     # a Figure's alternative text
    lang: str | None = None    # a passage in another language than the document's
    scope: str | None = None   # a TH's /Scope: Column or Row
    span = 1                   # the columns a table cell spans (/ColSpan)
    actual: str | None = None  # the text in reading order, where the drawing is not
    number = 0                 # its PDF object number, once the tree is written

    def __init__(self, role: str, parent: Elem | None = None, alt: str | None = None,
                 lang: str | None = None, scope: str | None = None, span: int = 1) -> None:
        self.role = role
        self.parent = parent
        self.kids: list[Elem | _Mark | _Objr] = []
        if alt is not None or lang is not None or scope is not None or span != 1:  # most: none
            self.alt, self.lang, self.scope, self.span = alt, lang, scope, span

    def add(self, role: str, *, alt: str | None = None, lang: str | None = None,
            scope: str | None = None, span: int = 1) -> Elem:
        child = Elem(role, self, alt, lang, scope, span)
        self.kids.append(child)
        return child

    def release(self) -> None:
        """Drop the links to the parents, in the whole tree under this element (a
        parent and its kids hold each other: a reference cycle)."""
        stack = [self]
        while stack:
            elem = stack.pop()
            elem.parent = None
            stack += [kid for kid in elem.kids if type(kid) is Elem]


def content(flow: Any, elem: Elem | None, label: Elem | None = None,
            source: str | None = None, spans: bool = False) -> Any:
    """``flow``, drawn as the content of ``elem`` (unchanged when there is no element:
    an untagged build, or page furniture, which is drawn as an artifact whole);
    ``source`` is a paragraph's text, to tell where its lines were broken at a space;
    ``spans``: whether its markup marks elements inside it (`marks_inline`)."""
    return flow if elem is None else _tagged(flow, elem, label, source, spans)


def artifact(flow: Any, parent: Elem | None) -> Any:
    """``flow``, drawn as an artifact where ``parent`` is tagged content (a rule, a
    decorative image)."""
    return flow if parent is None else _tagged(flow, None, None, None, False)


SPAN_LANGUAGE = "rdSpanLanguage"
"""The paragraph callback (reportlab's ``<ondraw name=.. label=..>``) around a passage
in another language inside a paragraph: ``label`` is its language, then empty where it
ends. In a tagged PDF the passage is a Span element with that /Lang inside the
paragraph's element. Marked content must nest with text objects (ISO 32000-1 14.6), so
such a paragraph's marked-content sequences lie inside its text object, one after the
other (its text, the Span's, its text again); what it draws outside (a link's
underline) is an artifact."""


def _span_language(canvas: TaggingCanvas, kind: str, label: str | None) -> None:
    canvas.switch_span(canvas._curr_tx_info["tx"], label or None)


LINK = "rdLink"
"""The paragraph callback around a link's text: ``label`` is its target where it
begins, then empty where it ends. In a tagged PDF the text is the content of the Link
element that holds the link's annotation (PDF/UA-1 7.18.5), inside the paragraph's
element, marked as `SPAN_LANGUAGE` says; a passage in another language inside it is a
Span inside the Link."""


def _link(canvas: TaggingCanvas, kind: str, label: str | None) -> None:
    canvas.switch_link(canvas._curr_tx_info["tx"], label or None)


def _linked_uri(href: str) -> str:
    """What reportlab gives `TaggingCanvas.linkURL` for an ``<a href>`` (a file's link,
    ``pdf:name.pdf``, without its scheme)."""
    scheme, _, rest = href.partition(":")
    return rest if scheme.lower() == "pdf" else href


def marks_inline(markup: str) -> bool:
    """Whether paragraph markup marks elements inside the paragraph (a Span, a Link):
    its callbacks are the only ``<ondraw>`` tags our markup has."""
    return "<ondraw " in markup


def decor(table: Any, event: str, *args: Any) -> None:
    """A table's render callback: its backgrounds and grid lines are artifacts (its
    cells tag themselves)."""
    canv = table.canv
    if event in ("startBG", "startLines"):
        canv.begin_artifact("Layout")
    elif event in ("endBG", "endLines"):
        canv.end_artifact()


def as_furniture(canv: Any, subtype: str) -> Any:
    """A context drawing a running header or footer as a pagination artifact."""
    if isinstance(canv, TaggingCanvas):
        return canv.artifact("Pagination", subtype)
    return nullcontext()


class Tagged(Flowable):  # type: ignore[misc]
    """A flowable that marks what it draws: the content of ``tag_elem`` (``None``: an
    artifact).

    Mixed into the flowable's own class (`_tagged`) rather than wrapped around it, so
    that laying out a tagged document costs what laying out an untagged one does: only
    drawing differs. ``tag_label`` is the Lbl element of a list item: the bullet, a
    text object of its own (drawn before the text by reportlab, after it by a
    right-to-left `BidiParagraph`), goes under it and the text under ``tag_elem``;
    ``tag_source`` is a paragraph's text. Its parts, when it splits, mark theirs, the
    bullet with the first. Drawn a second time (a header row that a table repeats on
    the next page), it is a pagination artifact.
    """

    tag_elem: Elem | None = None
    tag_label: Elem | None = None
    tag_source: str | None = None
    tag_spans: bool = False
    tag_drawn: bool = False

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        elem, label = self.tag_elem, self.tag_label
        if canvas._artifacts:
            super().drawOn(canvas, x, y, _sW)
        elif elem is None or self.tag_drawn:
            with canvas.artifact("Pagination" if self.tag_drawn else "Layout"):
                super().drawOn(canvas, x, y, _sW)
        elif self.tag_spans:
            self.tag_drawn = True
            canvas.begin_inline(elem, label if getattr(self, "bulletText", None) else None)
            canvas.line_spaces = iter(line_spaces(self, self.tag_source))
            super().drawOn(canvas, x, y, _sW)
            canvas.line_spaces = _NO_LINES
            canvas.end_inline()
        else:
            self.tag_drawn = True
            if label is not None and getattr(self, "bulletText", None):
                canvas.begin_content(label, then=elem)  # the bullet first
            elif label is not None and getattr(self, "bullet", None):
                canvas.begin_content(elem, then=label)  # right to left: it follows
            else:
                canvas.begin_content(elem)
            canvas.line_spaces = iter(line_spaces(self, self.tag_source))
            super().drawOn(canvas, x, y, _sW)
            canvas.line_spaces = _NO_LINES
            canvas.end_content()

    def split(self, avail_width: float, avail_height: float) -> list[Any]:
        parts: list[Any] = super().split(avail_width, avail_height)
        elem, label, source = self.tag_elem, self.tag_label, self.tag_source
        return [_tagged(part, elem, label if index == 0 else None, source, self.tag_spans)
                for index, part in enumerate(parts)]


def _tagged(flow: Any, elem: Elem | None, label: Elem | None, source: str | None,
            spans: bool) -> Any:
    """``flow`` as a `Tagged` flowable of its own class, marking as it is told.

    A flowable not yet tagged is made again as an instance of that class, its
    attributes set one by one: Python finds an object's attributes slowly once its
    class has been changed in place (CPython's specialised lookups no longer apply), and
    reportlab reads a flowable's attributes hundreds of times as it lays it out."""
    if not isinstance(flow, Tagged):
        made: Any = object.__new__(_tagged_class(flow.__class__))
        for name, value in vars(flow).items():
            setattr(made, name, value)
        flow = made
    flow.tag_elem, flow.tag_label, flow.tag_source = elem, label, source
    flow.tag_spans = spans
    return flow


def tagged_class(cls: Any) -> type:
    """``cls`` with `Tagged` mixed in: a flowable made as one from the start is tagged by
    `content` without being made again."""
    return _tagged_class(cls)


@cache
def _tagged_class(cls: Any) -> type:
    """``cls`` with `Tagged` mixed in, under the same name (reportlab reads some)."""
    return type(cls.__name__, (Tagged, cls), {"__module__": cls.__module__})


_NO_LINES: Iterator[bool] = iter(())  # no paragraph is being drawn


class TaggingCanvas(PdfCanvas):
    """A canvas that marks what is drawn and builds the structure tree under ``root``
    (on `PdfCanvas`: Flate-only streams, images made once a process)."""

    def __init__(self, *args: Any, root: Elem, **kwargs: Any) -> None:
        self.root = root
        self._mcid = 0
        self._marks: list[Elem] = []      # the element of each MCID of this page
        self._parents: list[tuple[int, Elem | list[Elem]]] = []  # the ParentTree
        self._open: list[Elem] = []       # elements of the open marked content
        self._then: Elem | None = None    # the element after a list item's bullet
        self._artifacts = 0
        self._form_uses: dict[str, set[bool]] = {}  # form name: drawn in an artifact?
        self._target = ""                 # the URI of the link being made
        self._keys = 0                    # ParentTree keys handed out
        self.line_spaces: Iterator[bool] = _NO_LINES  # lines of the paragraph being drawn
        self._inline: Elem | None = None  # a paragraph marked inside its text objects
        self._inner: Elem | None = None   # the element of the open sequence inside one
        self._inner_at = 0                # where its drawing begins in the text object
        self._first: Elem | None = None   # the element its first text object is under
        self._container: Elem | None = None  # where its text goes: it, or a Link in it
        self._carried: tuple[Elem, Elem] | None = None  # container and Span or Link that
        #                                                 go on in the paragraph's next part
        self._links: list[tuple[str, Elem]] = []  # its Link elements, with their targets
        super().__init__(*args, **kwargs)
        # the document's own class kept (one changed in place reads its attributes
        # slowly), its file written by `_format_tagged`
        self._doc.format = partial(_format_tagged, self._doc)
        self.setNamedCB(SPAN_LANGUAGE, _span_language)
        self.setNamedCB(LINK, _link)

    # -- marked content ---------------------------------------------------------------
    @property
    def in_artifact(self) -> bool:
        return self._artifacts > 0

    def begin_content(self, elem: Elem, then: Elem | None = None) -> None:
        """Open marked content under ``elem`` (``then``: switch to it after the next
        text object, a list item's bullet)."""
        mcid = self._mcid
        self._mcid = mcid + 1
        self._marks.append(elem)
        elem.kids.append((self._doc.pageCounter, mcid))
        self._code.append(f"/{elem.role} <</MCID {mcid}>> BDC")
        self._open.append(elem)
        self._then = then

    def _mark(self, elem: Elem) -> int:
        """The page's next MCID, for marked content under ``elem``."""
        mcid = self._mcid
        self._mcid += 1
        self._marks.append(elem)
        elem.kids.append((self._doc.pageCounter, mcid))
        return mcid

    def end_content(self) -> None:
        self._code.append("EMC")
        self._open.pop()
        self._then = None

    def begin_artifact(self, kind: str, subtype: str | None = None) -> None:
        kind_name = f"/Type /{kind}" + (f" /Subtype /{subtype}" if subtype else "")
        self._code.append(f"/Artifact <<{kind_name}>> BDC")
        self._artifacts += 1

    def end_artifact(self) -> None:
        self._artifacts -= 1
        self._code.append("EMC")

    @contextmanager
    def artifact(self, kind: str, subtype: str | None = None) -> Iterator[None]:
        self.begin_artifact(kind, subtype)
        try:
            yield
        finally:
            self.end_artifact()

    def beginText(self, x: float = 0, y: float = 0, direction: Any = None) -> Any:
        text = _SpacedText(self, x, y, direction=direction)
        inline = self._inline
        if inline is not None:
            carried, self._carried = self._carried, None
            if carried is not None and inline in (carried[0], carried[0].parent):
                self._container = carried[0]
                self._open_inner(text, carried[1])
            else:
                self._open_inner(text, self._first or inline)
            self._first = None
        return text

    def drawText(self, aTextObject: Any) -> None:
        if self._inline is not None:
            inner = self._inner
            if inner is not None and inner.role in _INLINE and self._container is not None:
                self._carried = (self._container, inner)  # split inside: it goes on
            self._close_inner(aTextObject)
            self._code.append("EMC")  # the artifact drawn before the text object
            super().drawText(aTextObject)
            self._code.append("/Artifact BMC")
            return
        super().drawText(aTextObject)
        then = self._then
        if then is not None:
            self.end_content()
            self.begin_content(then)

    # -- a paragraph with elements inside (`SPAN_LANGUAGE`, `LINK`) ----------------------
    def begin_inline(self, elem: Elem, first: Elem | None = None) -> None:
        """Draw ``elem`` with its marked content inside its text objects (``first``:
        the element of the first one, a list item's bullet)."""
        if self._container is None or elem not in (self._container, self._container.parent):
            self._links = []  # a new paragraph, not the next part of one
        self._inline, self._first, self._container = elem, first, elem
        self._open.append(elem)  # a link inside goes under it
        self._code.append("/Artifact BMC")

    def end_inline(self) -> None:
        self._code.append("EMC")
        self._open.pop()
        self._inline = self._first = None

    def switch_span(self, text: Any, lang: str | None) -> None:
        """What ``text`` shows next is a Span in ``lang`` (``None``: the paragraph's
        own text again, or its link's)."""
        container = self._container
        if self._inline is None or container is None:
            return
        self._close_inner(text)
        self._open_inner(text, container if lang is None else container.add("Span", lang=lang))

    def switch_link(self, text: Any, target: str | None) -> None:
        """What ``text`` shows next is the text of a link to ``target`` (``None``: the
        paragraph's own text again)."""
        inline = self._inline
        if inline is None:
            return
        self._close_inner(text)
        if target is None:
            self._container = inline
        else:
            self._container = inline.add("Link")
            self._links.append((_linked_uri(target), self._container))
        self._open_inner(text, self._container)

    def _link_to(self, target: str) -> Elem | None:
        """The Link element of the paragraph being drawn whose text goes to ``target``
        and holds the fewest annotations (reportlab makes one for each line of a link,
        after the line), the first of those."""
        found = [link for to, link in self._links if to == target]
        if not found or self._inline is None:
            return None
        return min(found, key=lambda link: sum(type(kid) is _Objr for kid in link.kids))

    def _open_inner(self, text: Any, elem: Elem) -> None:
        text._code.append(f"/{elem.role} <</MCID {self._mark(elem)}>> BDC")
        self._inner, self._inner_at = elem, len(text._code)

    def _close_inner(self, text: Any) -> None:
        inner = self._inner
        if inner is None:
            return
        code = text._code
        if not any("Tj" in op or "TJ" in op for op in code[self._inner_at:]):  # no text
            del code[self._inner_at - 1]
            self._marks.pop()
            self._mcid -= 1
            inner.kids.remove((self._doc.pageCounter, self._mcid))
        else:
            code.append("EMC")
        self._inner = None

    # -- forms: one drawn only inside artifacts is an artifact inside too -------------
    def doForm(self, name: str) -> None:
        super().doForm(name)
        self._form_uses.setdefault(name, set()).add(self.in_artifact)

    def beginForm(self, name: str, *args: Any, **kwargs: Any) -> None:
        super().beginForm(name, *args, **kwargs)
        if self._form_uses.get(name) == {True}:
            self._code.append("/Artifact BMC")

    def endForm(self, **extra_attributes: Any) -> None:
        if self._form_uses.get(self._formData[0]) == {True}:
            self._code.append("EMC")
        super().endForm(**extra_attributes)

    # -- annotations and pages --------------------------------------------------------
    def linkURL(self, url: str, rect: Any, *args: Any, **kwargs: Any) -> None:
        self._target = url
        try:
            super().linkURL(url, rect, *args, **kwargs)
        finally:
            self._target = ""

    def _addAnnotation(self, annotation: Any, name: str | None = None,
                       addtopage: int = 1) -> None:
        key = self._key()
        if isinstance(annotation, PDFDictionary):
            annotation["StructParent"] = key
            annotation["F"] = 4  # printed (PDF/A)
            if "Contents" not in annotation.dict:
                annotation["Contents"] = PDFString(self._target.removeprefix("mailto:"))
        else:  # reportlab's LinkAnnotation (a link inside the document)
            annotation.permitted = (*annotation.permitted, "StructParent")
            annotation.otherkw.update(StructParent=key, F=4)
            annotation.Contents = annotation.Contents or "Link"
        count = self._annotationCount + 1
        super()._addAnnotation(annotation, name, addtopage)
        link = self._link_to(self._target) if self._target else None
        if link is None:  # not marked in its paragraph: drawn in visual order, or furniture
            parent = self._open[-1] if self._open else self.root
            link = parent.add("Link")
        link.kids.append(_Objr(self._doc.pageCounter,
                               self._doc.annotationName(name or f"NUMBER{count}")))
        self._parents.append((key, link))

    def _setAnnotations(self, thing: Any) -> None:
        super()._setAnnotations(thing)
        if isinstance(thing, PDFPage):  # called once per page, as it is shown
            key = self._key()
            thing.__NoDefault__ = [*PDFPage.__NoDefault__, "StructParents", "Tabs"]
            thing.StructParents = key
            thing.Tabs = "/S"
            self._parents.append((key, self._marks))
            self._marks, self._mcid = [], 0

    def _key(self) -> int:
        self._keys += 1
        return self._keys - 1

    # -- the structure tree -----------------------------------------------------------
    def write_structure(self) -> None:
        """Add the StructTreeRoot, its elements, the ParentTree and MarkInfo.

        Every object they refer to (pages, annotations) is numbered already, and theirs
        are the next numbers: they are made here, once, as their final text, and
        written as one run (`_format_tagged`)."""
        doc = self._doc
        first = doc.objectcounter + 1  # the StructTreeRoot's number; then the elements'
        objects = [""]  # the StructTreeRoot, once the ParentTree's number is known
        _write_element(self.root, first, first, objects, doc, _PageRefs(
            doc.idToObjectNumberAndVersion))
        last = first + len(objects)  # the ParentTree's number
        objects[0] = _object(first, f"<< /Type /StructTreeRoot /K [{self.root.number} 0 R]"
                                    f" /ParentTree {last} 0 R /ParentTreeNextKey {self._keys} >>")
        objects.append(_object(last, _parent_tree(self._parents)))
        doc.structure = _ObjectRun(first, objects)
        doc.objectcounter = last
        doc.idToObjectNumberAndVersion["StructTreeRoot"] = (first, 0)
        doc.Catalog.StructTreeRoot = PDFObjectReference("StructTreeRoot")
        doc.Catalog.MarkInfo = PDFDictionary({"Marked": "true"})


def _object(number: int, body: str) -> str:
    """An indirect object, as reportlab writes one."""
    return f"{number} 0 obj\n{body}\nendobj\n"


class _ObjectRun:
    """Indirect objects (`_object`) numbered one after the other from ``first`` (the
    StructTreeRoot, the elements, the ParentTree), written as one piece of the file.
    Only the StructTreeRoot has a name (the catalog refers to it); the others are known
    by their numbers."""

    def __init__(self, first: int, objects: list[str]) -> None:
        self.first = first
        self.count = len(objects)
        self.data = "".join(objects).encode("latin-1")  # every one is PDF bytes as text
        self.starts = [0, *accumulate(map(len, objects[:-1]))]  # each one's place in data
        self._entries = "%010d 00000 n \n" * self.count

    def xref_entries(self, at: int) -> str:
        """The objects' lines of the cross-reference table, the run written at ``at``."""
        return self._entries % tuple([at + start for start in self.starts])


def _format_tagged(doc: Any) -> bytes:
    """The file, as `PDFDocument.format` writes it (with no encryption and no comments,
    which readout never asks for), the structure tree (``structure``, `_ObjectRun`) in
    its place as one run: reportlab's own loop formats each object on its own (about
    3 us each, for over a hundred elements in a press release), and names each in the
    cross-reference table."""
    run: _ObjectRun | None = getattr(doc, "structure", None)
    if run is None or doc.encrypt.info():
        raise AssertionError("a tagged document is written with its structure, "
                             "unencrypted")
    doc.encrypt.prepare(doc)
    catalog, info = doc.Catalog, doc.info
    doc.Reference(catalog)
    doc.Reference(info)
    numbers, objects, offsets = doc.numberToId, doc.idToObject, doc.idToOffset
    doc.__accum__ = file = PDFFile(doc._pdfVersion)
    entries = ["0000000000 65535 f \n"]  # the cross-reference table's lines, by number
    count = 1
    counter = 0
    while True:
        counter += 1
        if counter == run.first:
            entries.append(run.xref_entries(file.add(run.data)))
            count += run.count
            counter += run.count - 1
            continue
        name = numbers.get(counter)
        if name is None:
            break
        at = offsets[name] = file.add(PDFIndirectObject(name, objects[name]).format(doc))
        entries.append(f"{at:010d} 00000 n \n")
        count += 1
    del doc.__accum__
    if counter - 1 != len(numbers) + run.count:
        raise ValueError(f"counter {counter} doesn't match {len(numbers)} objects")
    at = file.add(f"xref\n0 {count}\n" + "".join(entries))
    file.add(PDFTrailer(startxref=at, Size=count, Root=doc.Reference(catalog),
                        Info=doc.Reference(info), ID=doc.ID()).format(doc))
    formatted: bytes = file.format(doc)
    return formatted


class _SpacedText(PDFTextObject):  # type: ignore[misc]
    """A text object that gives back the space where reportlab broke a line.

    reportlab drops the space where it breaks a line, so software that reads the
    tagged text gets "onthe" for "on / the". The space, shown after the line's last word
    (where `line_spaces` says a space was dropped, and the font has one), is invisible
    and moves nothing: the next line starts from the line matrix.
    """

    def _textOut(self, text: Any, TStar: int = 0) -> None:
        if not TStar or not next(self._canvas.line_spaces, False) or text.endswith(" ") \
                or not _has_space(self._fontname):
            _text_out(self, text, TStar)
        elif type(text) is str:
            _text_out(self, text + " ", TStar)
        else:  # a shaped run keeps its glyphs: the space is shown after it
            _text_out(self, text, 0)
            _text_out(self, " ", TStar)


_text_out = PDFTextObject._textOut


_SPACES: dict[str, bool] = {}


def _has_space(font_name: str) -> bool:
    """Whether the font has a glyph for the space (a CJK font may not)."""
    found = _SPACES.get(font_name)
    if found is None:
        face = getattr(pdfmetrics.getFont(font_name), "face", None)
        found = _SPACES[font_name] = face is None or bool(face.charToGlyph.get(32))
    return found


def line_spaces(para: Any, source: str | None) -> list[bool]:
    """Whether reportlab broke each line of the wrapped paragraph ``para`` at a space
    (or a line break) of ``source``, its text; none where the text is not known.

    Lines that our own line breakers made for a whole paragraph
    (`measure.MemoParagraph.at_spaces`) end at spaces, bar the last. Others (a part of a
    split paragraph among them) are found in ``source`` one after the other, so a word
    split to fit a narrow column, a hyphenated one or Chinese broken between characters
    get no space.
    Lines of shaped text (private-use codes, see `shaping`) cannot be found: those end
    at a space unless they end with a hyphen, or their paragraph is Chinese or Japanese.
    """
    lines = getattr(getattr(para, "blPara", None), "lines", None)
    if source is None or not lines:
        return []
    if len(lines) == 1:  # no line break inside (a heading, a cell, a short paragraph)
        return [False]
    if getattr(para, "at_spaces", None) is para.blPara:  # broken at spaces (`measure`)
        return [*repeat(True, len(lines) - 1), False]
    kind = para.blPara.kind
    if kind == 0:  # lines of words in one font: they are the source's words, most often
        by_words = _word_line_ends(lines, source.split())
        if by_words is not None:
            return by_words
    texts = [" ".join(_line_text(line, kind).split()) for line in lines]
    text = " ".join(source.split())
    ends: list[bool] = []
    at = -1
    for line in texts:
        found = text.find(line, max(at, 0)) if line else -1
        if found < 0 or (at >= 0 and text[at:found].strip()):
            break
        at = found + len(line)
        ends.append(text[at:at + 1] == " ")
    if len(ends) < len(texts):  # not found: shaped text
        cjk = getattr(para.style, "wordWrap", None) == "CJK"
        ends += [not cjk and bool(line) and not line.endswith(("-", "\u00ad"))
                 for line in texts[len(ends):]]
        ends[-1] = False
    return ends


def _word_line_ends(lines: Any, words: list[str]) -> list[bool] | None:
    """`line_spaces` for lines of words (``(extra space, words)``) that are ``words``
    one after the other (``None`` if they are not: a split or hyphenated word)."""
    ends: list[bool] = []
    at = 0
    for line in lines:
        line_words = line[1]
        after = at + len(line_words)
        if not line_words or words[at:after] != line_words:
            return None
        at = after
        ends.append(at < len(words))
    return ends


def _line_text(line: Any, kind: int) -> str:
    if kind == 0:  # (extra space, words)
        return " ".join(line[1])
    return "".join(f.text for f in line.words if not hasattr(f, "cbDefn"))


class _PageRefs(dict[int, str]):
    """The reference to each page, by its number, made on first use."""

    def __init__(self, numbers: dict[str, tuple[int, int]]) -> None:
        super().__init__()
        self.numbers = numbers

    def __missing__(self, page: int) -> str:
        number, version = self.numbers[f"Page{page}"]
        ref = self[page] = f"{number} {version} R"
        return ref


def _text(document: Any, value: str) -> str:
    """A PDF string of ``value``, as reportlab writes it (bytes read as Latin-1)."""
    formatted: bytes = PDFString(value).format(document)
    return formatted.decode("latin-1")


_INLINE = frozenset({"Span", "Link"})
_KEEP_EMPTY = frozenset({"THead", "TBody", "TR", "TH", "TD"})


def _write_element(elem: Elem, parent: int, first: int, out: list[str], document: Any,
                   pages: _PageRefs) -> bool:
    """Number ``elem`` (``first``: the number of ``out[0]``), then the elements under it,
    in reading order, and add them to ``out`` as objects (`_object`), leaving out those
    that mark no content (bar a table's parts); whether ``elem`` marks any. ``parent``:
    its parent's number. Its /Pg is the page of its first marked content."""
    index = len(out)
    number = elem.number = first + index
    out.append("")
    found = False
    page: int | None = None
    made = []
    for kid in elem.kids:
        if type(kid) is Elem:
            marks = kid.kids
            if len(marks) == 1 and type(marks[0]) is tuple:  # most: content on one page
                kid_page, mcid = marks[0]
                kid.number = kid_number = first + len(out)
                out.append(f"{kid_number} 0 obj\n<< /Type /StructElem /S /{kid.role} /P "
                           f"{number} 0 R /Pg {pages[kid_page]}{_attributes(document, kid)}"
                           f" /K {mcid} >>\nendobj\n")  # as the general case writes it
                found = True
            else:
                start = len(out)
                if _write_element(kid, number, first, out, document, pages):
                    found = True
                elif kid.role not in _KEEP_EMPTY:
                    del out[start:]  # with everything under it
                    continue
            made.append(f"{kid.number} 0 R")
        elif type(kid) is tuple:
            found = True
            if page is None:
                page = kid[0]
            made.append(str(kid[1]) if kid[0] == page else
                        f"<< /Type /MCR /Pg {pages[kid[0]]} /MCID {kid[1]} >>")
        elif isinstance(kid, _Objr):
            found = True
            obj, version = document.idToObjectNumberAndVersion[kid.annot]
            made.append(f"<< /Type /OBJR /Obj {obj} {version} R /Pg {pages[kid.page]} >>")
    on_page = "" if page is None else " /Pg " + pages[page]
    kids_text = made[0] if len(made) == 1 else f"[{' '.join(made)}]"  # a lone kid alone
    out[index] = _object(number, f"<< /Type /StructElem /S /{elem.role} /P {parent} 0 R"
                                 f"{on_page}{_attributes(document, elem)} /K {kids_text} >>")
    return found


def _attributes(document: Any, elem: Elem) -> str:
    """What an element says besides its type and kids: a figure's alternative text (its
    title too, which Tags panels show), its language, the text in reading order, a
    table header's scope and the columns it spans."""
    if elem.alt is None and not elem.lang and elem.actual is None and not elem.scope:
        return ""  # most
    out = []
    if elem.alt is not None:
        alt = _text(document, elem.alt)
        out += [" /Alt ", alt, " /T ", alt]
    if elem.lang:
        out += [" /Lang ", _text(document, elem.lang)]
    if elem.actual is not None:
        out += [" /ActualText ", _text(document, elem.actual)]
    if elem.scope:
        spans = f" /ColSpan {elem.span}" if elem.span > 1 else ""
        out.append(f" /A << /O /Table /Scope /{elem.scope}{spans} >>")
    return "".join(out)


def _parent_tree(parents: list[tuple[int, Elem | list[Elem]]]) -> str:
    out = ["<< /Nums ["]
    for key, value in sorted(parents, key=lambda item: item[0]):
        if isinstance(value, Elem):
            out.append(f"{key} {value.number} 0 R ")
        else:
            refs = " ".join([f"{elem.number} 0 R" for elem in value])
            out.append(f"{key} [{refs}] ")
    out.append("] >>")
    return "".join(out)
