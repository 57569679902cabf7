"""Reading a tagged PDF back as assistive technology does (pikepdf): its structure tree,
and every operator of every content stream with the marked content it lies in."""

from __future__ import annotations

import io
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf

from readout.themes import Theme, load_theme

from .test_theme_look import CREST, FONTS, THEME

TEXT_OPS = frozenset({"Tj", "TJ", "'", '"'})
PAINT_OPS = frozenset({"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh"})
XOBJECT_OPS = frozenset({"Do", "BI", "INLINE IMAGE"})


@dataclass
class Node:
    """A structure element as read back: its type, attributes and kids."""

    role: str
    obj: Any
    kids: list[Node] = field(default_factory=list)
    mcids: list[tuple[tuple[int, int], int]] = field(default_factory=list)  # (page, mcid)
    annots: list[Any] = field(default_factory=list)

    def walk(self) -> Iterator[Node]:
        yield self
        for kid in self.kids:
            yield from kid.walk()

    def roles(self) -> list[str]:
        return [node.role for node in self.walk()]


def structure(pdf: pikepdf.Pdf) -> Node:
    """The structure tree under the StructTreeRoot (a node of role "StructTreeRoot")."""
    root = pdf.Root.StructTreeRoot
    top = Node("StructTreeRoot", root)
    _kids(top, root.get("/K"), None)
    return top


def _kids(node: Node, kids: Any, page: Any) -> None:
    if kids is None:
        return
    items = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
    for kid in items:
        if isinstance(kid, int):
            assert page is not None, f"an MCID of {node.role} has no page"
            node.mcids.append((page.objgen, int(kid)))
        elif kid.get("/Type") == "/MCR":
            node.mcids.append((kid.Pg.objgen, int(kid.MCID)))
        elif kid.get("/Type") == "/OBJR":
            node.annots.append(kid.Obj)
        else:
            child = Node(str(kid.S)[1:], kid)
            assert kid.P.objgen == node.obj.objgen, f"{child.role}'s /P is not its parent"
            _kids(child, kid.get("/K"), kid.get("/Pg"))
            node.kids.append(child)


@dataclass(frozen=True)
class Op:
    """An operator that draws, where it is: page (1-based), the stream it is in (a form
    XObject's name, or "page"), and the marked content around it, outermost first."""

    page: int
    stream: str
    operator: str
    marks: tuple[tuple[str, int | None], ...]  # (tag, MCID or None)

    @property
    def artifact(self) -> bool:
        return any(tag == "Artifact" for tag, _ in self.marks)

    @property
    def mcid(self) -> int | None:
        """The MCID of the innermost marked content that has one."""
        return next((m for _, m in reversed(self.marks) if m is not None), None)


def drawing_ops(pdf: pikepdf.Pdf) -> Iterator[Op]:
    """Every text-showing, path-painting and XObject-painting operator of every page,
    descending into the form XObjects they paint (with the marks around the Do)."""
    for number, page in enumerate(pdf.pages, start=1):
        yield from _stream_ops(page, number, "page", (), page.obj.get("/Resources"), 0)


def _stream_ops(source: Any, page: int, name: str, outer: tuple[tuple[str, int | None], ...],
                resources: Any, depth: int) -> Iterator[Op]:
    assert depth < 8, "form XObjects nest too deep"
    marks = list(outer)
    for operands, operator in pikepdf.parse_content_stream(source):
        op = str(operator)
        if op in ("BDC", "BMC"):
            tag = str(operands[0])[1:]
            props = operands[1] if op == "BDC" else None
            mcid = None
            if isinstance(props, pikepdf.Dictionary) and "/MCID" in props:
                mcid = int(props.MCID)
            marks.append((tag, mcid))
        elif op == "EMC":
            assert len(marks) > len(outer), f"page {page} {name}: EMC without BDC/BMC"
            marks.pop()
        elif op in TEXT_OPS or op in PAINT_OPS or op in XOBJECT_OPS:
            yield Op(page, name, op, tuple(marks))
            if op == "Do":
                xobject = resources.XObject[operands[0]]
                if xobject.get("/Subtype") == "/Form":
                    yield from _stream_ops(xobject, page, str(operands[0]), tuple(marks),
                                           xobject.get("/Resources", resources), depth + 1)
    assert len(marks) == len(outer), f"page {page} {name}: BDC/BMC without EMC"


def page_numbers(pdf: pikepdf.Pdf) -> dict[tuple[int, int], int]:
    """Each page object's (number, generation): its page number, 1-based."""
    return {page.obj.objgen: index for index, page in enumerate(pdf.pages, start=1)}


def mcid_sequences(pdf: pikepdf.Pdf) -> list[tuple[int, int]]:
    """(page, MCID) of every marked-content sequence with an MCID, in stream order."""
    found = []
    for number, page in enumerate(pdf.pages, start=1):
        for operands, operator in pikepdf.parse_content_stream(page):
            if str(operator) == "BDC" and isinstance(operands[1], pikepdf.Dictionary) \
                    and "/MCID" in operands[1]:
                found.append((number, int(operands[1].MCID)))
    return found


@dataclass
class Printed:
    """An element of `pdfinfo -struct-text`'s tree: its type, title, text and kids."""

    role: str
    title: str = ""
    attributes: list[str] = field(default_factory=list)
    text: str = ""
    kids: list[Printed] = field(default_factory=list)
    content: list[str | Printed] = field(default_factory=list)  # its text and kids, in order

    def walk(self) -> Iterator[Printed]:
        yield self
        for kid in self.kids:
            yield from kid.walk()

    def all_text(self) -> str:
        return "".join(node.text for node in self.walk())


def struct_text(output: str) -> Printed:
    """Parse what `pdfinfo -struct-text` prints: two spaces of indent per level,
    an element per line ("H1 (block)", 'Figure "its title"'), its attributes on the
    lines after a trailing ':', its text as quoted lines one level deeper."""
    root = Printed("(root)")
    stack: list[tuple[int, Printed]] = [(-1, root)]
    for line in output.splitlines():
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip(" "))
        body = line.strip()
        while stack[-1][0] >= indent:
            stack.pop()
        parent = stack[-1][1]
        if body.startswith('"'):
            text = body[1:-1] if body.endswith('"') else body[1:]
            parent.text += text
            parent.content.append(text)
        elif body.startswith("/"):
            parent.attributes.append(body)
        elif body.startswith("Object "):
            parent.kids.append(Printed("Object"))
            parent.content.append(parent.kids[-1])
        else:
            role = body.split()[0].rstrip(":")
            title = body.split('"')[1] if '"' in body else ""
            node = Printed(role, title)
            parent.kids.append(node)
            parent.content.append(node)
            stack.append((indent, node))
    return root


@contextmanager
def ministry_theme(extra: str = "") -> Iterator[Theme]:
    """The ministry's theme of `test_theme_look` (Letter, a crest, a DRAFT watermark, a
    footer line of its own) and ``extra`` theme lines, alive while its folder is."""
    folder = Path(tempfile.mkdtemp(prefix="readout-ministry-"))
    try:
        for font in FONTS.glob("*.ttf"):
            shutil.copy(font, folder / font.name)
        (folder / "crest.png").write_bytes(CREST)
        (folder / "theme.yaml").write_text(THEME + extra, encoding="utf-8")
        yield load_theme(folder / "theme.yaml")
    finally:
        shutil.rmtree(folder)


def span_languages(data: bytes) -> list[tuple[str, str]]:
    """(/Lang, text) of each Span structure element that names its language, in reading
    order: its marked content read through the fonts' ToUnicode maps (pdfminer), spaces
    between words as drawn."""
    texts = marked_texts(data)
    found: list[tuple[str, str]] = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pages = page_numbers(pdf)
        for node in structure(pdf).walk():
            if node.role == "Span" and "/Lang" in node.obj:
                found.append((str(node.obj.Lang), "".join(
                    texts.get((pages[page], mcid), "") for page, mcid in node.mcids)))
    return found


def marked_texts(data: bytes) -> dict[tuple[int, int], str]:
    """The text of each marked-content sequence with an MCID, by (page, MCID), as
    pdfminer reads it (the page 1-based, as `page_numbers`)."""
    from pdfminer.converter import PDFLayoutAnalyzer
    from pdfminer.layout import LTChar
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    class Reader(PDFLayoutAnalyzer):  # type: ignore[misc]
        def __init__(self, manager: Any) -> None:
            super().__init__(manager)
            self.mcids: list[int | None] = []
            self.page = 0
            self.texts: dict[tuple[int, int], str] = {}

        def begin_page(self, page: Any, ctm: Any) -> None:
            super().begin_page(page, ctm)
            self.page += 1

        def begin_tag(self, tag: Any, props: Any = None) -> None:
            mcid = props.get("MCID") if isinstance(props, dict) else None
            self.mcids.append(mcid if mcid is not None else
                              (self.mcids[-1] if self.mcids else None))

        def end_tag(self) -> None:
            self.mcids.pop()

        def render_char(self, *args: Any) -> float:
            advance: float = super().render_char(*args)
            if self.mcids and self.mcids[-1] is not None:
                char = self.cur_item._objs[-1]
                assert isinstance(char, LTChar)
                key = (self.page, self.mcids[-1])
                self.texts[key] = self.texts.get(key, "") + char.get_text()
            return advance

    manager = PDFResourceManager()
    reader = Reader(manager)
    interpreter = PDFPageInterpreter(manager, reader)
    for page in PDFPage.get_pages(io.BytesIO(data)):
        interpreter.process_page(page)
    return reader.texts
