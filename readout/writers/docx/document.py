"""The DOCX writer: a document tree and a theme in, the bytes of a .docx out.

Phases, like pandoc's ``Writers/Docx.hs``:

1. the theme's styled base package, built once and cached (`base.base_for`):
   Word styles, document defaults, numbering, settings, fonts table and the embedded
   body font family (`fonts`), all compressed;
2. the body as WordprocessingML (`body.PartWriter`), with its relationships
   (hyperlinks, pictures); the headers and footers (`furniture`): the reference
   document's own, the theme's watermark, the template's blocks;
3. the section properties (page size, margins, header and footer references); a
   document with a ``first_header`` gets ``w:titlePg`` and "first" header and footer
   parts, the first footer the same as the others, as Word itself does;
4. the package: relationships, content types, core properties (and, for a marked
   document, the custom property ``Classification``), and a zip with fixed timestamps
   and a fixed entry order, so one document always gives the same bytes.

The output opens in Word, LibreOffice and python-docx; every paragraph carries a real
Word style, so a person can go on editing it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ...coverage import document_text, require_fonts
from ...scripts import has_rtl
from ...themes import FontFamily, Theme
from ...tree import Document
from .base import CUSTOM_PART, CUSTOM_TYPE, Base, base_for
from .body import Ctx, DocState, PartWriter
from .cache import cached_embedding, cached_face
from .fonts import FacePart, embed_families, face_part
from .furniture import furniture
from .package import Entry, content_types_xml, core_xml, custom_xml, entry, rels_xml, write_zip
from .subset import cut
from .xml import PART_NS, XML_DECL, twips

__all__ = ["write"]


def write(document: Document, theme: Theme) -> bytes:
    """The .docx bytes of ``document`` in ``theme``; the same input gives the same bytes.

    Raises `TypeError` for a node the document tree does not define.
    """
    shown = document_text(document)
    require_fonts(document, theme, shown)
    base = base_for(theme)
    state = DocState(language=document.metadata.language or "en", any_rtl=has_rtl(shown))
    body = PartWriter(base, state, base.next_rid)
    body.blocks(document.body, Ctx())

    made = furniture(base, state, document, body.relate)
    overrides = {**base.overrides, **made.overrides}
    refs, parts = made.refs, made.parts
    first = document.first_header is not None

    page = theme.page
    sect = (f"<w:sectPr>{''.join(refs)}"
            f'<w:pgSz w:w="{twips(page.width_mm)}" w:h="{twips(page.height_mm)}"/>'
            f'<w:pgMar w:top="{twips(page.margin_top_mm)}" w:right="{twips(page.margin_right_mm)}" '
            f'w:bottom="{twips(page.margin_bottom_mm)}" w:left="{twips(page.margin_left_mm)}" '
            f'w:header="{twips(page.header_mm)}" w:footer="{twips(page.footer_mm)}" '
            'w:gutter="0"/><w:cols w:space="708"/>'
            f'{"<w:titlePg/>" if first else ""}<w:docGrid w:linePitch="360"/></w:sectPr>')
    document_xml = (f'{XML_DECL}<w:document {PART_NS}><w:body>{"".join(body.out)}{sect}'
                    "</w:body></w:document>").encode()

    defaults = dict(base.defaults)
    media = [item for _, item in state.media.values()]
    for item in media:
        ext = item.name.rsplit(".", 1)[1]
        defaults.setdefault(ext, "image/png" if ext == "png" else "image/jpeg")

    marking = document.metadata.classification
    custom = [entry(CUSTOM_PART, custom_xml({"Classification": marking}))] if marking else []
    if custom:
        overrides[f"/{CUSTOM_PART}"] = CUSTOM_TYPE
    entries = [
        entry("[Content_Types].xml", content_types_xml(defaults, overrides)),
        base.custom_rels if custom else base.entries[0],  # _rels/.rels
        entry("docProps/core.xml", core_xml(document.metadata)),
        base.entries[1],  # docProps/app.xml
        *custom,
        entry("word/document.xml", document_xml),
        entry("word/_rels/document.xml.rels", rels_xml(base.rels + body.rels)),
        base.styles_entry(document.metadata.language or "en"),
        *parts,
        *media,
        *_with_fonts(base, state),
    ]
    return write_zip(entries)


def _with_fonts(base: Base, state: DocState) -> list[Entry]:
    """The theme's shared parts, with the font table, its relationships and the settings
    of this document: each family it uses embedded, every face cut to what it shows."""
    if base.font_names is None or not state.characters:
        return base.entries[2:]
    key = (id(base), tuple((family, "".join(sorted(chars)),
                            tuple(sorted(state.shaped.get(family, ()))))
                           for family, chars in state.characters.items()))
    found = _EMBEDDED.get(key)
    if found is not None and found[0] is base:
        return found[1]
    made = _embedded(base, key[1])
    if len(_EMBEDDED) >= 64:
        _EMBEDDED.clear()
    _EMBEDDED[key] = (base, made)
    return made


# The shared parts with the fonts embedded, by base and what each family shows: the
# documents of a batch in one language mostly show the same characters.
_EMBEDDED: dict[tuple[int, tuple[tuple[FontFamily, str, tuple[str, ...]], ...]],
                tuple[Base, list[Entry]]] = {}


def _embedded(base: Base, shown: tuple[tuple[FontFamily, str, tuple[str, ...]], ...]
              ) -> list[Entry]:
    faces = list(dict.fromkeys(path for family, _, _ in shown for path in _faces(family)))
    return cached_embedding(base.cache_key, shown, faces, lambda: _embed(base, shown))


def _embed(base: Base, shown: tuple[tuple[FontFamily, str, tuple[str, ...]], ...]
           ) -> list[Entry]:
    assert base.font_names is not None
    parts = dict(base.font_parts)
    parts.update((name, b"") for name in base.part_names if name.endswith(".odttf"))
    families = [(family, {path: _cut(path, chars, shaped)
                          for path in dict.fromkeys(_faces(family))})
                for family, chars, shaped in shown]
    fonts = embed_families(parts, base.rels, base.font_names, families)
    changed = {name: entry(name, parts[name]) for name in base.font_names if name in parts}
    shared = [changed.pop(item.name, item) for item in base.entries[2:]]
    return [*shared, *changed.values(), *fonts]


@lru_cache(maxsize=256)
def _cut(path: Path, characters: str, shaped: tuple[str, ...]) -> FacePart:
    return cached_face(path, characters, shaped,
                       lambda: face_part(cut(path.read_bytes(), characters, shaped)))


def _faces(family: FontFamily) -> tuple[Path, ...]:
    return (family.regular, family.bold, family.italic, family.bold_italic)
