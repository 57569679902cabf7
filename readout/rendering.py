"""Render a readout: template -> document tree -> writer -> bytes, and write files safely.

`render` is the whole pipeline for one document. `render_to` also writes it, atomically:
the bytes go to a temporary file in the target folder, which is then renamed over the
target, so a failure never leaves a partial file or clobbers a good one.
"""

from __future__ import annotations

import dataclasses
import os
import re
import secrets
from collections.abc import Sequence
from pathlib import Path

from .coverage import check_readout_document
from .errors import OutputError, TemplateError
from .markup import parse_inline
from .model import Readout
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

TEMPLATES = ("press-release", "internal-brief")


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
    look = _look(theme, pdf_standard)
    document = build_document(doc, template, template_dirs=[Path(d) for d in template_dirs],
                              theme=look)
    check_readout_document(doc, document, look)
    return write_with_assets(fmt, furnished(document, look), look, embed_images=embed_images)


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


def write_atomic(target: Path, data: bytes, *, durable: bool = True) -> None:
    """Write ``data`` to ``target`` through a temporary file and a rename.

    A killed process never leaves a partial file. ``durable`` also flushes the data to
    the disk before the rename, which survives a power cut too, at a cost per file. The
    file is created as `open` creates one: with the user's umask, never wider (a
    SECRET brief written under ``umask 077`` is 0600).
    """
    temporary = write_temporary(target, data, durable=durable)
    try:
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_temporary(target: Path, data: bytes, *, durable: bool = True) -> Path:
    """Write ``data`` beside ``target`` under a temporary name (see `is_temporary`) and
    return that name; renaming it over ``target`` is the caller's move."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = _create_temporary(target)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            if durable:
                stream.flush()
                os.fsync(stream.fileno())
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Path(temporary)


_TEMPORARY_MARK = ".readout-"
# What `write_temporary` names a file: "." + target + ".readout-" + 8 letters + ".tmp".
_TEMPORARY = re.compile(r"\A\..+\.readout-[a-z0-9_]{8}\.tmp\Z", re.DOTALL)


def is_temporary(name: str) -> bool:
    """Whether ``name`` is a temporary file this program makes (never a user's own)."""
    return _TEMPORARY.match(name) is not None


def _create_temporary(target: Path) -> tuple[int, Path]:
    """A new, empty file beside ``target``, mode 0666 less the umask: the kernel applies
    it, as for any file `open` creates (no process-wide umask call: safe in threads).
    The name is kept short enough that a target near the length limit still fits."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        name = f".{target.name[:200]}{_TEMPORARY_MARK}{secrets.token_hex(4)}.tmp"
        try:
            return os.open(target.parent / name, flags, 0o666), target.parent / name
        except FileExistsError:
            continue
