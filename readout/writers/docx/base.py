"""The styled base package of one theme, built once and cached.

`base_for(theme)` opens python-docx's default template or the theme's reference
.docx, removes its body (keeping the section properties), gives it the theme's
styles (`styles.apply_theme`), embeds the body font family unless the theme
says ``docx_embed_fonts: false`` (`fonts.prepare`; each document then embeds the
families it uses, cut to its characters), and keeps every part a
document of that theme shares compressed and ready to zip: the writer then only makes
the document's own parts. Parts a reference names unusually (``word/document2.xml``) get the usual
names, since those are the parts the writer writes anew.
"""

from __future__ import annotations

import io
import threading
import zipfile
from dataclasses import dataclass, field
from typing import Any

from ...errors import TemplateError
from ...themes import Style, Theme
from .cache import cached_base, cached_styles
from .fonts import prepare
from .package import APP_XML, CT_NS, RELS_NS, Entry, Rel, entry, rels_xml
from .styles import LANG_MARK
from .xml import W_NS, attr

# A reference document's custom properties are dropped: they might carry a marking
# into a public document. The writer adds its own (`CUSTOM_PART`) to marked documents.
_DROP_PARTS = ("/word/stylesWithEffects.xml", "/docProps/thumbnail.jpeg", "/docProps/custom.xml")
CUSTOM_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
CUSTOM_PART = "docProps/custom.xml"
CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_REGENERATED = {"[Content_Types].xml", "word/document.xml", "word/_rels/document.xml.rels",
                "docProps/core.xml", "docProps/app.xml", "word/styles.xml", "_rels/.rels"}
_ROOT_TYPES = {  # package relationships every output has: (type, part, content type)
    "core-properties": (
        "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
        "docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
    "extended-properties": (
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
        "extended-properties", "docProps/app.xml",
        "application/vnd.openxmlformats-officedocument.extended-properties+xml"),
}
_ROOT_PARTS = {"officeDocument": "word/document.xml", "core-properties": "docProps/core.xml",
               "extended-properties": "docProps/app.xml"}
_COMPLEX = {"ar", "fa", "ur", "he", "yi", "hi", "mr", "ne", "bn", "pa", "gu", "ta", "te", "kn",
            "ml", "si", "th", "km", "lo", "my", "sa", "ps", "sd"}
_EAST_ASIAN = {"zh", "ja", "ko"}


@dataclass
class Base:
    """What every DOCX of one theme shares, plus memos the body writer fills."""

    theme: Theme
    entries: list[Entry]                 # static parts, ready to zip
    custom_rels: Entry                   # _rels/.rels with the custom properties' relationship
    styles_head: bytes                   # styles.xml before / after the w:lang element
    styles_tail: bytes
    lang_defaults: tuple[str, str]       # (eastAsia, bidi) of the template's w:lang
    defaults: dict[str, str]             # content types by extension
    overrides: dict[str, str]            # content types by part name
    rels: list[Rel]                      # word/document.xml relationships of the template
    next_rid: int
    sect_refs: list[tuple[str, str]]     # (header|footer, xml) references the template had
    free_part: int                       # first free number for word/headerN.xml, footerN
    ids: dict[str, str]                  # Word style name -> styleId (paragraph styles)
    table_ids: dict[str, str]            # Word style name -> styleId (table styles)
    char_ids: dict[str, str]             # Word style name -> styleId (character styles)
    defined: dict[str, Style]            # styleId -> theme style that defined it
    part_names: frozenset[str]           # every part name of the template
    font_names: tuple[str, str, str] | None  # font table, its rels, settings; None: no embedding
    font_parts: dict[str, bytes]         # their bytes before a document's fonts are embedded
    lock: threading.Lock = field(default_factory=threading.Lock)
    styles_entries: dict[str, Entry] = field(default_factory=dict)
    memo: dict[Any, Any] = field(default_factory=dict)
    cache_key: str = ""  # what the DOCX cache knows this base by; "": not kept there

    def styles_entry(self, language: str) -> Entry:
        """``word/styles.xml`` with ``language`` as the document default language."""
        found = self.styles_entries.get(language)
        if found is None:
            primary = language.split("-")[0].lower()
            east, bidi = self.lang_defaults
            east = language if primary in _EAST_ASIAN else east
            bidi = language if primary in _COMPLEX else bidi
            lang = (f'<w:lang w:val="{attr(language)}" w:eastAsia="{attr(east)}" '
                    f'w:bidi="{attr(bidi)}"/>').encode()
            found = cached_styles(self.cache_key, language, lambda: entry(
                "word/styles.xml", self.styles_head + lang + self.styles_tail))
            with self.lock:
                self.styles_entries[language] = found
        return found


_CACHE: dict[str, Base] = {}
_CACHE_LOCK = threading.Lock()
_CACHE_SIZE = 16


def base_for(theme: Theme) -> Base:
    """The styled base of ``theme``, built on first use and cached."""
    known = _BY_THEME.get(id(theme))
    if known is not None and known[0] is theme:
        return known[1]
    found = _base_for(theme)
    if len(_BY_THEME) >= _CACHE_SIZE:
        _BY_THEME.clear()
    _BY_THEME[id(theme)] = (theme, found)
    return found


# The base of a theme object already seen (a theme is frozen: its base never changes).
_BY_THEME: dict[int, tuple[Theme, Base]] = {}


def _base_for(theme: Theme) -> Base:
    key = repr((theme.name, theme.source, theme.page, theme.fonts, theme.styles,
                theme.reference_docx, theme.docx_embed_fonts))
    found = _CACHE.get(key)
    if found is None:
        with _CACHE_LOCK:
            found = _CACHE.get(key)
            if found is None:
                found = cached_base(theme, key, _build)
                if len(_CACHE) >= _CACHE_SIZE:
                    _CACHE.pop(next(iter(_CACHE)))
                _CACHE[key] = found
    return found


def _build(theme: Theme) -> Base:
    # python-docx here only: a warm DOCX cache never builds a base (170 million
    # instructions of imports a fresh process does not pay)
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml.ns import qn

    from .word_styles import apply_theme

    if theme.reference_docx is not None:
        try:
            document = docx.Document(str(theme.reference_docx))
        except Exception as exc:  # python-docx raises several unrelated types
            raise TemplateError.single(
                str(theme.reference_docx), f"The reference .docx cannot be read: {exc}"
            ) from None
    else:
        document = docx.Document()
    body = document.element.body
    sect_refs: list[tuple[str, str]] = []
    for child in list(body):
        if child.tag == qn("w:sectPr"):
            for ref in child:
                if ref.tag in (qn("w:headerReference"), qn("w:footerReference")):
                    kind = "header" if ref.tag == qn("w:headerReference") else "footer"
                    sect_refs.append((kind, ref.xml.strip()))
        else:
            body.remove(child)

    defined = apply_theme(document, theme)
    styles = document.styles

    ids: dict[str, str] = {}
    table_ids: dict[str, str] = {}
    char_ids: dict[str, str] = {}
    for style in styles:
        if style.type == WD_STYLE_TYPE.PARAGRAPH:
            ids[style.name] = style.style_id
        elif style.type == WD_STYLE_TYPE.TABLE:
            table_ids[style.name] = style.style_id
        elif style.type == WD_STYLE_TYPE.CHARACTER:
            char_ids[style.name] = style.style_id

    buffer = io.BytesIO()
    document.save(buffer)
    return _package(theme, buffer.getvalue(), sect_refs, ids, table_ids, char_ids, defined)


def _package(theme: Theme, data: bytes, sect_refs: list[tuple[str, str]], ids: dict[str, str],
             table_ids: dict[str, str], char_ids: dict[str, str],
             defined: dict[str, Style]) -> Base:
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = package.namelist()
        parts = {name: package.read(name) for name in names}

    types = parse_xml(parts["[Content_Types].xml"])
    defaults = {d.get("Extension").lower(): d.get("ContentType")
                for d in types.iter(f"{{{CT_NS}}}Default")}
    overrides = {o.get("PartName"): o.get("ContentType")
                 for o in types.iter(f"{{{CT_NS}}}Override")
                 if o.get("PartName") not in _DROP_PARTS}

    def read_rels(name: str) -> list[Rel]:
        if name not in parts:
            return []
        rels = []
        for node in parse_xml(parts[name]).iter(f"{{{RELS_NS}}}Relationship"):
            target = node.get("Target", "")
            if ("/" + target.lstrip("/")).endswith(("stylesWithEffects.xml", "thumbnail.jpeg")):
                continue
            rels.append(Rel(node.get("Id", ""), node.get("Type", ""), target,
                            node.get("TargetMode") == "External"))
        return rels

    # The writer always names the parts it regenerates the usual way; a reference
    # document may have named them otherwise (Word 365 writes word/document2.xml).
    root_rels = [rel for rel in read_rels("_rels/.rels") if rel.type != CUSTOM_REL]
    overrides.pop("/" + CUSTOM_PART, None)
    renamed: dict[str, str] = {}
    for index, rel in enumerate(root_rels):
        standard = _ROOT_PARTS.get(rel.type.rsplit("/", 1)[1])
        if standard and rel.target.lstrip("/") != standard:
            renamed[rel.target.lstrip("/")] = standard
            root_rels[index] = Rel(rel.rid, rel.type, standard)
    present = {rel.type.rsplit("/", 1)[1] for rel in root_rels}
    for kind, (rel_type, standard, content_type) in _ROOT_TYPES.items():
        if kind not in present:
            root_rels.append(Rel(f"rIdReadout{len(root_rels)}", rel_type, standard))
            overrides["/" + standard] = content_type
    main = next((old for old, new in renamed.items() if new == "word/document.xml"),
                "word/document.xml")
    main_rels = f"{main.rsplit('/', 1)[0]}/_rels/{main.rsplit('/', 1)[1]}.rels"
    doc_rels = read_rels(main_rels)
    for index, rel in enumerate(doc_rels):
        if rel.type.endswith("/styles") and rel.target.lstrip("/") not in ("styles.xml",):
            renamed["word/" + rel.target.lstrip("/")] = "word/styles.xml"
            doc_rels[index] = Rel(rel.rid, rel.type, "styles.xml")
    for old, new in renamed.items():
        if old in parts:
            parts.setdefault(new, parts[old])
            if new == "word/styles.xml":
                parts[new] = parts[old]
        content_type = overrides.pop("/" + old, None)
        if content_type:
            overrides["/" + new] = content_type
    skipped = set(renamed) | {main_rels}
    font_names = (prepare(parts, doc_rels, overrides, defaults)
                  if theme.docx_embed_fonts else None)
    numbers = [int(r.rid[3:]) for r in doc_rels if r.rid.startswith("rId") and r.rid[3:].isdigit()]
    free = 1
    while f"word/header{free}.xml" in parts or f"word/footer{free}.xml" in parts:
        free += 1

    entries = [entry("_rels/.rels", rels_xml(root_rels)), entry("docProps/app.xml", APP_XML)]
    for name in parts:  # the template's parts in zip order, then any embed_family made
        if name in _REGENERATED or "/" + name in _DROP_PARTS or name in skipped:
            continue
        entries.append(entry(name, parts[name]))

    styles = parts["word/styles.xml"]
    mark = f'w:val="{LANG_MARK}"'.encode()
    at = styles.index(mark)
    start = styles.rindex(b"<", 0, at)
    end = styles.index(b">", at) + 1
    lang_el = parse_xml(styles[start:end].replace(b"<w:lang", f"<w:lang xmlns:w='{W_NS}'"
                                                         .encode(), 1))
    custom = Rel("rIdReadoutCustom", CUSTOM_REL, CUSTOM_PART)
    return Base(
        theme=theme, entries=entries, custom_rels=entry("_rels/.rels", rels_xml([
            *root_rels, custom])), styles_head=styles[:start], styles_tail=styles[end:],
        lang_defaults=(lang_el.get(qn("w:eastAsia"), "en-US"), lang_el.get(qn("w:bidi"), "ar-SA")),
        defaults=defaults, overrides=overrides, rels=doc_rels,
        next_rid=max(numbers, default=0) + 1, sect_refs=sect_refs, free_part=free, ids=ids,
        table_ids=table_ids, char_ids=char_ids, defined=defined,
        part_names=frozenset(parts), font_names=font_names,
        font_parts={name: parts[name] for name in font_names or () if name in parts})
