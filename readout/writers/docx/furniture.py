"""Headers and footers: the template's furniture, the reference document's, the watermark.

Each header or footer part holds, in order: the reference document's own part of that
kind and type (its logo, its lines: kept, with their relationships), the theme's
watermark (headers only: Word anchors it to the page, so every page that uses the header
shows it), then the template's blocks. A document with a ``first_header`` gets a "first"
header and footer for page 1 (``w:titlePg``), built the same way from the reference's
first-page part, else its default one. A part with nothing of ours in it is the
reference's own part, referenced as it is.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

from ...safe_text import printable
from ...themes import Theme
from ...tree import Block, Document
from .base import Base
from .body import Ctx, DocState, PartWriter
from .metrics import text_width
from .package import Entry, Rel, entry, rels_xml
from .xml import (
    CT_FOOTER,
    CT_HEADER,
    PART_NS,
    R_NS,
    RT_FOOTER,
    RT_HEADER,
    WP_NS,
    XML_DECL,
    watermark_xml,
)

_REL_TYPES = {"header": RT_HEADER, "footer": RT_FOOTER}
_CONTENT_TYPES = {"header": CT_HEADER, "footer": CT_FOOTER}
_ROOTS = {"header": "w:hdr", "footer": "w:ftr"}
Part = tuple[bytes, bytes | None]  # the XML of a part and its relationships, if any


@dataclass
class Furniture:
    """The header and footer parts of one document, and the section's references."""

    parts: list[Entry] = field(default_factory=list)   # each part, then its relationships
    refs: list[str] = field(default_factory=list)      # w:headerReference / w:footerReference
    overrides: dict[str, str] = field(default_factory=dict)


def furniture(base: Base, state: DocState, document: Document,
              relate: Callable[[str, str], str]) -> Furniture:
    """The parts of ``document``'s headers and footers; ``relate`` relates a part to the
    document and returns its relationship id."""
    made = Furniture()
    taken = set(base.part_names)
    first = document.first_header is not None
    marks = _Watermarks(base.theme)

    def add(kind: str, ref_type: str, part: Part) -> None:
        number = base.free_part
        while f"word/{kind}{number}.xml" in taken:
            number += 1
        name = f"{kind}{number}.xml"
        taken.add(f"word/{name}")
        made.overrides[f"/word/{name}"] = _CONTENT_TYPES[kind]
        made.parts.append(entry(f"word/{name}", part[0]))
        if part[1] is not None:
            made.parts.append(entry(f"word/_rels/{name}.rels", part[1]))
        rid = relate(_REL_TYPES[kind], name)
        made.refs.append(f'<w:{kind}Reference w:type="{ref_type}" r:id="{rid}"/>')

    for kind in ("header", "footer"):
        own = {_ref_type(xml): xml for ref_kind, xml in base.sect_refs if ref_kind == kind}
        types = ("default", "first") if first else ("default",)
        for ref_type in types:
            blocks = (document.header if ref_type == "default" else document.first_header or ()) \
                if kind == "header" else document.footer
            ref = own.get(ref_type) or (own.get("default") if ref_type == "first" else None)
            reference = _reference_part(base, ref) if ref is not None else None
            mark = marks.next() if kind == "header" else ""
            if not blocks and not mark and ref_type in own:
                made.refs.append(own[ref_type])  # the reference's own part, as it is
            elif blocks or mark or reference is not None or ref_type == "first":
                add(kind, ref_type, _story(base, state, kind, blocks, reference, mark))
        made.refs += [xml for ref_type, xml in own.items() if ref_type not in types]
    return made


class _Watermarks:
    """The watermark paragraph of each header part (each shape with its own id)."""

    def __init__(self, theme: Theme) -> None:
        self.theme = theme
        self.count = 0

    def next(self) -> str:
        mark = self.theme.watermark
        if mark is None:
            return ""
        self.count += 1
        family = self.theme.font(mark.font)
        text = printable(mark.text)
        width = text_width(family.bold, text)
        size = mark.fitted_size(width, self.theme.page)
        return watermark_xml(text, family.family, mark.colour, mark.opacity, mark.angle,
                             width * size, 0.72 * size, self.count)


def _story(base: Base, state: DocState, kind: str, blocks: tuple[Block, ...],
           reference: Part | None, mark: str) -> Part:
    """A header or footer part: the reference's part, the watermark, then ``blocks``."""
    tag = _ROOTS[kind]
    root, inner, rels = f"<{tag} {PART_NS}>", "", []
    if reference is not None:
        root, inner = _split(reference[0].decode("utf-8"), tag)
        rels = _rels(reference[1])
    taken = [int(rel.rid[3:]) for rel in rels if rel.rid[3:].isdigit()]
    writer = PartWriter(base, state, max(taken, default=0) + 1)
    writer.blocks(blocks, Ctx(kind=kind))
    content = inner + mark + "".join(writer.out)
    if not content.rstrip().endswith(("</w:p>", "<w:p/>")):
        content += "<w:p/>"
    xml = f"{XML_DECL}{root}{content}</{tag}>".encode()
    rels += writer.rels
    return xml, rels_xml(rels) if rels else None


def _split(xml: str, tag: str) -> tuple[str, str]:
    """A reference part's root start tag (with the namespaces our content uses added)
    and what the root holds."""
    start = xml.index(f"<{tag}")
    open_end = xml.index(">", start) + 1
    close = xml.rindex(f"</{tag}>")
    root = xml[start:open_end]
    if root.endswith("/>"):  # an empty part: <w:hdr .../>
        root, close = root[:-2] + ">", open_end
    for prefix, namespace in (("r", R_NS), ("wp", WP_NS)):
        if f"xmlns:{prefix}=" not in root:
            root = root[:-1] + f' xmlns:{prefix}="{namespace}">'
    return root, xml[open_end:close]


def _rels(data: bytes | None) -> list[Rel]:
    if data is None:
        return []
    found = []
    for match in re.finditer(r"<Relationship\b([^>]*)/?>", data.decode("utf-8")):
        attrs = dict(re.findall(r'(\w+)="([^"]*)"', match.group(1)))
        found.append(Rel(attrs.get("Id", ""), attrs.get("Type", ""), attrs.get("Target", ""),
                         attrs.get("TargetMode") == "External"))
    return found


def _ref_type(ref: str) -> str:
    """The ``w:type`` of a header or footer reference of the reference document."""
    found = re.search(r'\bw:type="([^"]*)"', ref)
    return found.group(1) if found else "default"


def _reference_part(base: Base, ref: str) -> Part | None:
    """The XML and relationships of the reference document's part that ``ref`` names."""
    found = re.search(r'\b\w+:id="([^"]*)"', ref)
    rel = next((r for r in base.rels if found and r.rid == found.group(1)), None)
    if rel is None:
        return None
    name = rel.target.lstrip("/") if rel.target.startswith("/") else f"word/{rel.target}"
    folder, file_name = name.rsplit("/", 1)
    entries = {item.name: item for item in base.entries}
    if folder != "word" or name not in entries:  # a copy in word/ must keep its targets
        return None
    rels = entries.get(f"{folder}/_rels/{file_name}.rels")
    return _inflate(entries[name]), _inflate(rels) if rels is not None else None


def _inflate(item: Entry) -> bytes:
    return zlib.decompress(item.compressed, -15)


__all__ = ["Furniture", "furniture"]
