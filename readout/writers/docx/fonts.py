"""Embedded fonts: the families a document uses inside its package, as Word embeds them.

What Word writes with "Embed fonts in the file" (ECMA-376 Part 1, 17.8.1 and 17.8.3):
each TrueType file is a part ``word/fonts/fontN.odttf`` whose first 32 bytes are XORed
with a key taken from a GUID (`obfuscate`), related from
``word/_rels/fontTable.xml.rels``; the family's ``w:font`` in ``word/fontTable.xml``
names each part with ``w:embedRegular`` (``Bold``, ``Italic``, ``BoldItalic``) carrying
the GUID as ``w:fontKey``; ``word/settings.xml`` says ``w:embedTrueTypeFonts`` and, since
each face is cut to the characters the document shows (`subset.cut`),
``w:saveSubsetFonts``. The GUID is derived from the SHA-256 of the embedded bytes, so
the same document always gives the same bytes; each cut is obfuscated and compressed
once per process (`face_part`; the DOCX cache keeps a document's cut faces between
processes). `prepare` runs once per theme, `embed_families` once per document.
"""

from __future__ import annotations

import dataclasses
import hashlib
import struct
import uuid
from functools import lru_cache
from pathlib import Path
from typing import Any

from lxml import etree

from ...themes import FontFamily
from .package import RELS_NS, Entry, Rel, entry, rels_xml
from .xml import R_NS, RT, W_NS, XML_DECL, attr

# python-docx's own parser settings and serialisation (``docx.oxml.parse_xml``,
# ``docx.opc.oxml.serialize_part_xml``), without importing python-docx (170 million
# instructions): these parts are edited once per document, and python-docx's element
# classes add nothing to what is done with them here.
_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False)


def parse_xml(xml: str | bytes) -> Any:
    """The root element of ``xml``, parsed as python-docx parses a part."""
    return etree.fromstring(xml, _PARSER)


def serialize_part_xml(element: Any) -> bytes:
    """``element`` as the bytes of a part, as python-docx writes one."""
    data: bytes = etree.tostring(element, encoding="UTF-8", standalone=True)
    return data


RT_FONT = RT + "font"
RT_FONT_TABLE = RT + "fontTable"
RT_SETTINGS = RT + "settings"
CT_ODTTF = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
_CT_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."
SLOTS = (("Regular", "regular"), ("Bold", "bold"), ("Italic", "italic"),
         ("BoldItalic", "bold_italic"))
_W = f"{{{W_NS}}}"
# CT_Settings children that come before w:embedTrueTypeFonts.
_BEFORE_EMBED = {f"{_W}{name}" for name in (
    "writeProtection", "view", "zoom", "removePersonalInformation", "removeDateAndTime",
    "doNotDisplayPageBoundaries", "displayBackgroundShape", "printPostScriptOverText",
    "printFractionalCharacterWidth", "printFormsData")}


def font_key(data: bytes) -> str:
    """A fixed GUID for a font file, ``{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}``."""
    return "{" + str(uuid.UUID(bytes=hashlib.sha256(data).digest()[:16])).upper() + "}"


def obfuscate(data: bytes, key: str) -> bytes:
    """``data`` with its first 32 bytes XORed with the key of GUID ``key`` (17.8.1):
    the GUID's 32 hex digits read two at a time from the end, twice. Its own inverse."""
    mask = bytes.fromhex(key.strip("{}").replace("-", ""))[::-1] * 2
    return bytes(a ^ b for a, b in zip(data[:32], mask, strict=False)) + data[32:]


FacePart = tuple[str, Entry, str]
"""(fontKey, the compressed obfuscated part, w:font metadata) of one font file."""


@lru_cache(maxsize=64)
def face_part(data: bytes) -> FacePart:
    """The `FacePart` of the font file ``data``."""
    key = font_key(data)
    return key, entry("", obfuscate(data, key), level=1), _metadata(data)


def _metadata(data: bytes) -> str:
    """``w:panose1``, ``w:charset``, ``w:family``, ``w:pitch`` and ``w:sig`` from the
    OS/2 table, as Word writes them; empty when the file has no usable OS/2 table."""
    try:
        count = struct.unpack_from(">H", data, 4)[0]
        tables = {data[12 + 16 * i:16 + 16 * i]: struct.unpack_from(">I", data, 20 + 16 * i)[0]
                  for i in range(count)}
        at = tables[b"OS/2"]
        version = struct.unpack_from(">H", data, at)[0]
        panose = data[at + 32:at + 42]
        unicode_ranges = struct.unpack_from(">4I", data, at + 42)
        code_pages = struct.unpack_from(">2I", data, at + 78) if version >= 1 else (1, 0)
    except (KeyError, struct.error):
        return ""
    if len(panose) != 10:
        return ""
    family = "auto"
    if panose[0] == 2:
        family = "swiss" if panose[1] in (11, 12, 13) else "roman"
    elif panose[0] in (3, 4):
        family = "script" if panose[0] == 3 else "decorative"
    pitch = "fixed" if panose[0] == 2 and panose[3] == 9 else "variable"
    usb = " ".join(f'w:usb{i}="{v:08X}"' for i, v in enumerate(unicode_ranges))
    csb = " ".join(f'w:csb{i}="{v:08X}"' for i, v in enumerate(code_pages))
    return (f'<w:panose1 w:val="{panose.hex().upper()}"/><w:charset w:val="00"/>'
            f'<w:family w:val="{family}"/><w:pitch w:val="{pitch}"/><w:sig {usb} {csb}/>')


def _part_of(source: str, target: str) -> str:
    """The part name a relationship of part ``source`` with ``target`` points to."""
    if target.startswith("/"):
        return target.lstrip("/")
    folder = source.rsplit("/", 1)[0] if "/" in source else ""
    path: list[str] = folder.split("/") if folder else []
    for piece in target.split("/"):
        if piece == "..":
            if path:
                path.pop()
        elif piece not in ("", "."):
            path.append(piece)
    return "/".join(path)


def _rels_name(part: str) -> str:
    folder, _, name = part.rpartition("/")
    return f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"


def _read_rels(data: bytes | None) -> list[Rel]:
    if data is None:
        return []
    return [Rel(node.get("Id", ""), node.get("Type", ""), node.get("Target", ""),
                node.get("TargetMode") == "External")
            for node in parse_xml(data).iter(f"{{{RELS_NS}}}Relationship")]


def _part(parts: dict[str, bytes], doc_rels: list[Rel], overrides: dict[str, str],
          rel_type: str, content_type: str, default: str, root: str) -> str:
    """The name of the main document's part of ``rel_type``, made (``word/default``,
    an empty ``root`` element) when the package has none."""
    for rel in doc_rels:
        if rel.type == rel_type and not rel.external:
            name = _part_of("word/document.xml", rel.target)
            if name in parts:
                return name
    name = f"word/{default}"
    parts[name] = f'{XML_DECL}<w:{root} xmlns:w="{W_NS}" xmlns:r="{R_NS}"/>'.encode()
    taken = {rel.rid for rel in doc_rels}
    number = len(doc_rels) + 1
    while f"rId{number}" in taken:
        number += 1
    doc_rels.append(Rel(f"rId{number}", rel_type, default))
    overrides["/" + name] = content_type
    return name


def prepare(parts: dict[str, bytes], doc_rels: list[Rel], overrides: dict[str, str],
            defaults: dict[str, str]) -> tuple[str, str, str]:
    """Make sure the package has a font table and settings (made when it has none) and
    knows the embedded-font content type; their part names and the table's rels name."""
    table_name = _part(parts, doc_rels, overrides, RT_FONT_TABLE, _CT_WML + "fontTable+xml",
                       "fontTable.xml", "fonts")
    settings_name = _part(parts, doc_rels, overrides, RT_SETTINGS, _CT_WML + "settings+xml",
                          "settings.xml", "settings")
    defaults.setdefault("odttf", CT_ODTTF)
    return table_name, _rels_name(table_name), settings_name


def embed_families(parts: dict[str, bytes], doc_rels: list[Rel], names: tuple[str, str, str],
                   families: list[tuple[FontFamily, dict[Path, FacePart]]]) -> list[Entry]:
    """Embed each family's faces (file -> the part to embed, e.g. of a cut) in ``parts``
    (the font table, its relationships and the settings named by ``names``, changed in
    place); the font parts, ready to zip."""
    fonts: list[Entry] = []
    for family, faces in families:
        made = embed_family(parts, list(doc_rels), {}, {}, family, faces)
        parts.update((font.name, b"") for font in made)  # taken: the next family numbers on
        fonts += made
    settings: Any = parse_xml(parts[names[2]])
    if fonts and settings.find(f"{_W}saveSubsetFonts") is None:
        after = settings.find(f"{_W}embedSystemFonts")
        if after is None:
            after = settings.find(f"{_W}embedTrueTypeFonts")
        after.addnext(parse_xml(f'<w:saveSubsetFonts xmlns:w="{W_NS}"/>'))
        parts[names[2]] = serialize_part_xml(settings)
    return fonts


def embed_family(parts: dict[str, bytes], doc_rels: list[Rel], overrides: dict[str, str],
                 defaults: dict[str, str], family: FontFamily,
                 faces: dict[Path, FacePart] | None = None) -> list[Entry]:
    """Embed ``family`` in the package: update (or make) the font table, its
    relationships and the settings in ``parts``, ``doc_rels`` and the content types;
    the font parts, ready to zip. Embedded fonts of the same family the package already
    had are replaced; those of other families stay."""
    table_name = _part(parts, doc_rels, overrides, RT_FONT_TABLE, _CT_WML + "fontTable+xml",
                       "fontTable.xml", "fonts")
    settings_name = _part(parts, doc_rels, overrides, RT_SETTINGS, _CT_WML + "settings+xml",
                          "settings.xml", "settings")
    rels_name = _rels_name(table_name)
    rels = _read_rels(parts.get(rels_name))
    table: Any = parse_xml(parts[table_name])
    font: Any = next((f for f in table.iter(f"{_W}font") if f.get(f"{_W}name") == family.family),
                     None)
    if font is None:
        font = parse_xml(f'<w:font xmlns:w="{W_NS}" w:name="{attr(family.family)}">'
                         f"{_face(family.regular, faces)[2]}</w:font>")
        table.append(font)
    dropped: set[str] = set()
    for child in list(font):
        if child.tag.startswith(f"{_W}embed"):
            dropped.add(child.get(f"{{{R_NS}}}id", ""))
            font.remove(child)
    for rel in rels:
        if rel.rid in dropped and rel.type == RT_FONT:
            parts.pop(_part_of(table_name, rel.target), None)
    rels = [rel for rel in rels if rel.rid not in dropped]

    folder = table_name.rpartition("/")[0]
    prefix = f"{folder}/" if folder else ""
    taken_ids = {rel.rid for rel in rels}
    entries: list[Entry] = []
    done: dict[Path, tuple[str, str]] = {}  # file -> (rId, fontKey)
    number = 1
    for slot, attr_name in SLOTS:
        path: Path = getattr(family, attr_name)
        if path in done:  # a style the family lacks: Word synthesises it
            continue
        key, part, _ = _face(path, faces)
        while f"{prefix}fonts/font{number}.odttf" in parts:
            number += 1
        rid = f"rIdFont{number}"
        while rid in taken_ids:
            rid += "x"
        target = f"fonts/font{number}.odttf"
        entries.append(dataclasses.replace(part, name=prefix + target))
        rels.append(Rel(rid, RT_FONT, target))
        taken_ids.add(rid)
        done[path] = (rid, key)
        font.append(parse_xml(f'<w:embed{slot} xmlns:w="{W_NS}" xmlns:r="{R_NS}" '
                              f'r:id="{rid}" w:fontKey="{key}"/>'))
        number += 1
    parts[table_name] = serialize_part_xml(table)
    parts[rels_name] = rels_xml(rels)
    defaults.setdefault("odttf", CT_ODTTF)

    settings: Any = parse_xml(parts[settings_name])
    if settings.find(f"{_W}embedTrueTypeFonts") is None:
        position = 0
        for index, child in enumerate(settings):
            if child.tag in _BEFORE_EMBED:
                position = index + 1
        settings.insert(position, parse_xml(f'<w:embedTrueTypeFonts xmlns:w="{W_NS}"/>'))
        parts[settings_name] = serialize_part_xml(settings)
    return entries


def _face(path: Path, faces: dict[Path, FacePart] | None) -> FacePart:
    """The part to embed for the face file ``path``: given, else of the whole file."""
    if faces is not None and path in faces:
        return faces[path]
    return face_part(_file(str(path)))


@lru_cache(maxsize=32)
def _file(path: str) -> bytes:
    return Path(path).read_bytes()
