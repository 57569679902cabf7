"""The DOCX writer: a document tree and a theme in, the bytes of a .docx out.

Phases, like pandoc's ``Writers/Docx.hs``:

1. the theme's styled base package, built once and cached (`docx_styles.base_for`):
   Word styles, document defaults, numbering, settings, fonts table and the embedded
   body font family (`docx_fonts`), all compressed;
2. the body, the header and the footer as WordprocessingML (`docx_body.PartWriter`),
   each with its own relationships (hyperlinks, pictures);
3. the section properties (page size, margins, header and footer references);
4. the package: relationships, content types, core properties, and a zip with fixed
   timestamps and a fixed entry order, so one document always gives the same bytes.

The output opens in Word, LibreOffice and python-docx; every paragraph carries a real
Word style, so a person can go on editing it.
"""

from __future__ import annotations

from ..themes import Theme
from ..tree import Block, Document
from .docx_base import Base, base_for
from .docx_body import Ctx, DocState, PartWriter
from .docx_package import Entry, Rel, content_types_xml, core_xml, entry, rels_xml, write_zip
from .docx_xml import (
    CT_FOOTER,
    CT_HEADER,
    PART_NS,
    RT_FOOTER,
    RT_HEADER,
    XML_DECL,
    twips,
)

__all__ = ["write"]


def write(document: Document, theme: Theme) -> bytes:
    """The .docx bytes of ``document`` in ``theme``; the same input gives the same bytes.

    Raises `TypeError` for a node the document tree does not define.
    """
    base = base_for(theme)
    state = DocState()
    body = PartWriter(base, state, base.next_rid)
    body.blocks(document.body, Ctx())

    stories: list[tuple[str, str, bytes, list[Rel]]] = []  # (part name, type, xml, rels)
    refs: list[str] = []
    for kind, blocks, rel_type in (("header", document.header, RT_HEADER),
                                   ("footer", document.footer, RT_FOOTER)):
        if blocks:
            name = f"{kind}{base.free_part}.xml"
            xml, rels = _story(base, state, kind, blocks)
            stories.append((f"word/{name}", kind, xml, rels))
            rid = body.relate(rel_type, name)
            refs.append(f'<w:{kind}Reference w:type="default" r:id="{rid}"/>')
        else:
            refs += [xml for ref_kind, xml in base.sect_refs if ref_kind == kind]

    page = theme.page
    sect = (f"<w:sectPr>{''.join(refs)}"
            f'<w:pgSz w:w="{twips(page.width_mm)}" w:h="{twips(page.height_mm)}"/>'
            f'<w:pgMar w:top="{twips(page.margin_top_mm)}" w:right="{twips(page.margin_right_mm)}" '
            f'w:bottom="{twips(page.margin_bottom_mm)}" w:left="{twips(page.margin_left_mm)}" '
            f'w:header="{twips(page.header_mm)}" w:footer="{twips(page.footer_mm)}" '
            'w:gutter="0"/><w:cols w:space="708"/><w:docGrid w:linePitch="360"/></w:sectPr>')
    document_xml = (f'{XML_DECL}<w:document {PART_NS}><w:body>{"".join(body.out)}{sect}'
                    "</w:body></w:document>").encode()

    defaults = dict(base.defaults)
    overrides = dict(base.overrides)
    media = [item for _, item in state.media.values()]
    for item in media:
        ext = item.name.rsplit(".", 1)[1]
        defaults.setdefault(ext, "image/png" if ext == "png" else "image/jpeg")
    parts: list[Entry] = []
    for name, kind, xml, rels in stories:
        overrides[f"/{name}"] = CT_HEADER if kind == "header" else CT_FOOTER
        parts.append(entry(name, xml))
        if rels:
            folder, file_name = name.rsplit("/", 1)
            parts.append(entry(f"{folder}/_rels/{file_name}.rels", rels_xml(rels)))

    entries = [
        entry("[Content_Types].xml", content_types_xml(defaults, overrides)),
        base.entries[0],  # _rels/.rels
        entry("docProps/core.xml", core_xml(document.metadata)),
        base.entries[1],  # docProps/app.xml
        entry("word/document.xml", document_xml),
        entry("word/_rels/document.xml.rels", rels_xml(base.rels + body.rels)),
        base.styles_entry(document.metadata.language or "en"),
        *parts,
        *media,
        *base.entries[2:],
    ]
    return write_zip(entries)


def _story(base: Base, state: DocState, kind: str,
           blocks: tuple[Block, ...]) -> tuple[bytes, list[Rel]]:
    """The XML and relationships of a header or footer part holding ``blocks``."""
    writer = PartWriter(base, state, 1)
    writer.blocks(blocks, Ctx(kind=kind))
    content = "".join(writer.out)
    if not content.endswith("</w:p>"):
        content += "<w:p/>"
    tag = "w:hdr" if kind == "header" else "w:ftr"
    xml = f"{XML_DECL}<{tag} {PART_NS}>{content}</{tag}>".encode()
    return xml, writer.rels
