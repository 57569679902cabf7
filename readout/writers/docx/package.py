"""The OPC package around the parts: zip entries, relationships, content types, core.xml.

A DOCX is a zip of XML parts. To be fast and byte-reproducible the writer compresses
the parts a theme shares (styles, numbering, settings, fonts, theme) once, keeps them
as ready `Entry` values, and writes the zip itself: every entry carries the fixed time
1980-01-01 00:00 and the entries always come in the same order.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime

from ...tree import Metadata
from .xml import XML_DECL, attr, text

_DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01
_DOS_TIME = 0
_VERSION = 20
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"


@dataclass(frozen=True, slots=True)
class Entry:
    """One zip member, already deflated."""

    name: str
    crc: int
    compressed: bytes
    size: int


def entry(name: str, data: bytes, level: int = 6) -> Entry:
    packer = zlib.compressobj(level, zlib.DEFLATED, -15)
    compressed = packer.compress(data) + packer.flush()
    return Entry(name, zlib.crc32(data), compressed, len(data))


def write_zip(entries: list[Entry]) -> bytes:
    """The bytes of a zip holding ``entries`` in this order, with fixed timestamps."""
    chunks: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for item in entries:
        name = item.name.encode("utf-8")
        flags = 0x800 if not item.name.isascii() else 0
        local = struct.pack("<IHHHHHIIIHH", 0x04034B50, _VERSION, flags, 8, _DOS_TIME,
                            _DOS_DATE, item.crc, len(item.compressed), item.size, len(name), 0)
        chunks += (local, name, item.compressed)
        central.append(struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, _VERSION, _VERSION, flags, 8, _DOS_TIME,
            _DOS_DATE, item.crc, len(item.compressed), item.size, len(name), 0, 0, 0, 0, 0,
            offset) + name)
        offset += len(local) + len(name) + len(item.compressed)
    directory = b"".join(central)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries),
                      len(directory), offset, 0)
    return b"".join(chunks) + directory + end


@dataclass(frozen=True, slots=True)
class Rel:
    rid: str
    type: str
    target: str
    external: bool = False


def rels_xml(rels: list[Rel]) -> bytes:
    out = [XML_DECL, f'<Relationships xmlns="{RELS_NS}">']
    for rel in rels:
        mode = ' TargetMode="External"' if rel.external else ""
        out.append(f'<Relationship Id="{attr(rel.rid)}" Type="{attr(rel.type)}" '
                   f'Target="{attr(rel.target)}"{mode}/>')
    out.append("</Relationships>")
    return "".join(out).encode("utf-8")


def content_types_xml(defaults: dict[str, str], overrides: dict[str, str]) -> bytes:
    out = [XML_DECL, f'<Types xmlns="{CT_NS}">']
    out += [f'<Default Extension="{attr(ext)}" ContentType="{attr(ct)}"/>'
            for ext, ct in sorted(defaults.items())]
    out += [f'<Override PartName="{attr(name)}" ContentType="{attr(ct)}"/>'
            for name, ct in overrides.items()]
    out.append("</Types>")
    return "".join(out).encode("utf-8")


def _w3cdtf(moment: datetime) -> str:
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def core_xml(meta: Metadata) -> bytes:
    """``docProps/core.xml``: title, subject, author, keywords, language, fixed dates."""
    when = _w3cdtf(meta.created)
    return (
        XML_DECL
        + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{text(meta.title)}</dc:title>"
        f"<dc:subject>{text(meta.marked_subject)}</dc:subject>"
        f"<dc:creator>{text(meta.author)}</dc:creator>"
        f"<cp:keywords>{text(', '.join(meta.keywords))}</cp:keywords>"
        f"<dc:language>{text(meta.language)}</dc:language>"
        f"<cp:lastModifiedBy>{text(meta.author)}</cp:lastModifiedBy>"
        "<cp:revision>1</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified>'
        "</cp:coreProperties>").encode("utf-8")


def custom_xml(properties: dict[str, str]) -> bytes:
    """``docProps/custom.xml``: custom document properties (text), such as the marking."""
    out = [XML_DECL, '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/'
           '2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/'
           'officeDocument/2006/docPropsVTypes">']
    for pid, (name, value) in enumerate(properties.items(), start=2):
        out.append(f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{pid}" '
                   f'name="{attr(name)}"><vt:lpwstr>{text(value)}</vt:lpwstr></property>')
    out.append("</Properties>")
    return "".join(out).encode("utf-8")


APP_XML = (
    XML_DECL
    + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
    'docPropsVTypes"><Application>readout</Application><DocSecurity>0</DocSecurity>'
    "<ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate>"
    "<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>"
    "</Properties>").encode("utf-8")
