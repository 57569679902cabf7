"""Render a readout: template -> document tree -> writer -> bytes, and write files safely.

`render` is the whole pipeline for one document. `render_to` also writes it, atomically:
the bytes go to a temporary file in the target folder, which is then renamed over the
target, so a failure never leaves a partial file or clobbers a good one.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from pathlib import Path

from .coverage import check_readout_document
from .errors import OutputError, TemplateError
from .markup import parse_inline
from .model import Readout
from .names import TEMPLATES
from .output import is_temporary, write_atomic, write_temporary
from .safe_text import printable
from .templating import build_document
from .themes import TextLine, Theme, load_theme
from .tree import (
    Block,
    Document,
    Emphasis,
    Inline,
    PageCount,
    PageNumber,
    Paragraph,
    Strong,
    Text,
)
from .writers import FORMATS, write_with_assets, writer_for


def render(doc: Readout, template: str = "press-release", fmt: str = "pdf", *,
           theme: Theme | str | Path | None = None,
           template_dirs: Sequence[str | Path] = (), pdf_standard: str | None = None) -> bytes:
    """The bytes of ``doc`` rendered with ``template`` as ``fmt`` (one of `FORMATS`).

    Every PDF is tagged (PDF/UA-1); ``pdf_standard="a-2b"`` makes it PDF/A-2b as well
    (``None``: the theme's ``pdf_standard``).
    """
    return render_files(doc, template, fmt, theme=theme, template_dirs=template_dirs,
                        pdf_standard=pdf_standard)[0]


def render_files(doc: Readout, template: str = "press-release", fmt: str = "pdf", *,
                 theme: Theme | str | Path | None = None,
                 template_dirs: Sequence[str | Path] = (), embed_images: bool = True,
                 pdf_standard: str | None = None) -> tuple[bytes, dict[str, bytes]]:
    """Like `render`, with the files the document links to (by name relative to it):
    none, but for an HTML page with ``embed_images=False`` (its images)."""
    writer_for(fmt)
    document, look = prepare(doc, template, theme=theme, template_dirs=template_dirs,
                             pdf_standard=pdf_standard)
    return write_with_assets(fmt, document, look, embed_images=embed_images)


def prepare(doc: Readout, template: str = "press-release", *,
            theme: Theme | str | Path | None = None,
            template_dirs: Sequence[str | Path] = (),
            pdf_standard: str | None = None) -> tuple[Document, Theme]:
    """The document tree ``template`` makes of ``doc``, fonts checked and the theme's
    header and footer lines in, with the theme to write it in: what every format of one
    document is written from (a batch builds it once for both PDF and DOCX)."""
    look = _look(theme, pdf_standard)
    document = furnished(build_document(doc, template, theme=look,
                                        template_dirs=[Path(d) for d in template_dirs]), look)
    check_readout_document(doc, document, look)  # the writers find it checked already
    return document, look


def render_tree(document: Document, fmt: str, *, theme: Theme | str | Path | None = None,
                pdf_standard: str | None = None) -> bytes:
    """The bytes of an already built document tree, as ``fmt``, with the theme's own
    header and footer lines below the template's; ``pdf_standard`` as for `render`."""
    look = _look(theme, pdf_standard)
    return writer_for(fmt)(furnished(document, look), look)


def _look(theme: Theme | str | Path | None, pdf_standard: str | None) -> Theme:
    """The theme to render with: ``theme`` loaded, its PDFs to ``pdf_standard``."""
    look = theme if isinstance(theme, Theme) else load_theme(theme)
    return look.with_pdf_standard(pdf_standard)


def furnished(document: Document, theme: Theme) -> Document:
    """``document`` with the theme's header lines below its header (page 1's too) and
    the theme's footer lines below its footer."""
    if not theme.header and not theme.footer:
        return document
    header = tuple(_paragraph(line) for line in theme.header)
    footer = tuple(_paragraph(line) for line in theme.footer)
    first = None if document.first_header is None else document.first_header + header
    return dataclasses.replace(document, header=document.header + header,
                               footer=document.footer + footer, first_header=first)


_COUNTERS = re.compile(r"\{(page|pages)\}")


def _paragraph(line: TextLine) -> Block:
    """A theme's line as a paragraph: its inline markup, ``{page}`` and ``{pages}``."""
    return Paragraph(_counted(parse_inline(printable(line.text))), line.style)


def _counted(nodes: tuple[Inline, ...]) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for node in nodes:
        if isinstance(node, Text):
            for index, piece in enumerate(_COUNTERS.split(node.text)):
                if index % 2:
                    out.append(PageNumber() if piece == "page" else PageCount())
                elif piece:
                    out.append(Text(piece, node.style))
        elif isinstance(node, (Strong, Emphasis)):
            out.append(dataclasses.replace(node, children=_counted(node.children)))
        else:
            out.append(node)
    return tuple(out)


def render_to(doc: Readout, path: str | Path, template: str | None = None,
              fmt: str | None = None, *, theme: Theme | str | Path | None = None,
              template_dirs: Sequence[str | Path] = (), embed_images: bool = True,
              pdf_standard: str | None = None) -> Path:
    """Render ``doc`` into the file ``path`` and return it.

    The format defaults to the file's suffix; the template to the name's middle part
    (``x.internal-brief.pdf``) when it names a template, else the press release. An HTML
    page embeds its images; with ``embed_images=False`` they are written beside it, in
    ``images/`` (named by their content, so pages that share a logo share its file),
    before the page itself. ``pdf_standard`` is as for `render`.
    """
    target = Path(path)
    fmt = fmt or target.suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        suffixes = ", ".join(f".{name}" for name in FORMATS)
        raise TemplateError.single(str(target), "Cannot tell the format from the name; "
                                   f"end it with one of {suffixes}, or pass fmt=.")
    data, assets = render_files(doc, template or template_named_by(target), fmt, theme=theme,
                                template_dirs=template_dirs, embed_images=embed_images,
                                pdf_standard=pdf_standard)
    try:
        for name, content in assets.items():
            beside = target.parent / name
            if not (beside.is_file() and beside.read_bytes() == content):
                write_atomic(beside, content)
        write_atomic(target, data)
    except OSError as exc:  # a full disk, a read-only folder, a file where a folder goes
        raise OutputError.single(str(target), f"The file cannot be written: "
                                              f"{exc.strerror or exc}.") from None
    return target


def template_named_by(path: Path) -> str:
    """The template a file name asks for: its middle part (``x.internal-brief.pdf``) when
    that names a built-in template, else the press release."""
    middle = Path(path.stem).suffix.lstrip(".")
    return middle if middle in TEMPLATES else "press-release"


def output_name(doc: Readout, template: str, fmt: str) -> str:
    """The file name a rendered document gets: ``<id>.<template>.<ext>``."""
    return f"{doc.id}.{template}.{fmt}"


__all__ = ["TEMPLATES", "furnished", "is_temporary", "output_name", "prepare", "render",
           "render_to", "render_tree", "template_named_by", "write_atomic", "write_temporary"]
