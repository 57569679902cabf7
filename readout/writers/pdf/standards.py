"""PDF writer, part 5: what PDF/UA-1 and PDF/A-2b ask of the file as a whole.

* XMP metadata saying what the document information dictionary says (title, author,
  subject, keywords, creator tool, producer, dates, language), declaring PDF/UA-1
  (``pdfuaid:part 1``) and, for ``a-2b``, PDF/A-2b; the properties that PDF/A does
  not predefine are described in an extension schema, as PDF/A requires.
* the information dictionary with only the entries that have a value; a marked
  document also carries its marking (``/Classification``, ``pdfx:Classification`` in
  the XMP), as its DOCX carries the custom property; a public one carries none.
* unique font subset tags: reportlab names the subsets of every font "AAAAAA+",
  "AAAAAB+"...; a tag here is made from a digest of the font's name and its subset.
* the file identifier: reportlab's digest of the dates and the information, plus the
  pages' content, so two documents that share a title differ.
* for ``a-2b``, an sRGB output intent (an ICC profile made by LittleCMS through
  Pillow, with a fixed date so the bytes never change), and CMYK photos made RGB
  (`device_rgb`), since device colours must match the output intent.

Every stream ends with an end-of-line before ``endstream`` (PDF/A): reportlab's
`PDFStream.format` is wrapped once, for the process, when this module is imported.
"""

from __future__ import annotations

import hashlib
import html
import re
import struct
from functools import cache, lru_cache
from io import BytesIO
from typing import Any

from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFCatalog,
    PDFDate,
    PDFDictionary,
    PDFInfo,
    PDFName,
    PDFStream,
    PDFString,
    PDFZCompress,
)

from ...tree import Metadata
from .memo import remember

__all__ = ["PDF_A", "describe", "device_rgb", "srgb_profile"]

PDF_A = "a-2b"
_NS = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "xmpMM": "http://ns.adobe.com/xap/1.0/mm/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfx": "http://ns.adobe.com/pdfx/1.3/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
    "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#",
}


def _stream_with_eol(self: PDFStream, document: Any) -> bytes:
    """reportlab's stream, with the end-of-line before ``endstream`` that PDF/A asks for
    (ISO 19005-2 6.1.7.1; not counted in /Length)."""
    formatted: bytes = _STREAM_FORMAT(self, document)
    end = b"endstream\n"
    if formatted.endswith(end) and formatted[-len(end) - 1:-len(end)] != b"\n":
        formatted = formatted[:-len(end)] + b"\n" + end
    return formatted


_STREAM_FORMAT = PDFStream.format
PDFStream.format = _stream_with_eol  # every stream of every PDF: readers ignore the EOL


def describe(doc: Any, meta: Metadata, standard: str) -> None:
    """Give ``doc`` (a reportlab PDFDocument about to be saved) its metadata, subset
    tags and identifier, and for ``standard`` "a-2b" its output intent."""
    _tag_subsets(doc)
    info = _Info(doc.info, meta.classification)
    doc.info = info
    identifier = _identify(doc, info)
    xmp = PDFStream(PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}),
                    content=_xmp(info, doc._timeStamp, meta, standard, identifier).encode())
    catalog = doc.Catalog
    catalog.Metadata = doc.Reference(xmp, "XMPMetadata")
    if standard == PDF_A:
        profile = PDFStream(PDFDictionary({"N": 3}), content=srgb_profile(),
                            filters=[PDFZCompress])
        intent = PDFDictionary({
            "Type": PDFName("OutputIntent"), "S": PDFName("GTS_PDFA1"),
            "OutputConditionIdentifier": PDFString("sRGB IEC61966-2.1"),
            "RegistryName": PDFString("http://www.color.org"),
            "Info": PDFString("sRGB IEC61966-2.1"),
            "DestOutputProfile": doc.Reference(profile, "sRGBProfile")})
        catalog.__NoDefault__ = [*PDFCatalog.__NoDefault__, "OutputIntents"]
        catalog.OutputIntents = PDFArray([doc.Reference(intent, "OutputIntent")])


@cache
def srgb_profile() -> bytes:
    """An sRGB ICC profile (LittleCMS's built-in sRGB), dated 2025-01-01."""
    from PIL import ImageCms

    data = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    data[24:36] = struct.pack(">6H", 2025, 1, 1, 0, 0, 0)
    return bytes(data)


@lru_cache(maxsize=16)
def device_rgb(data: bytes) -> bytes:
    """A CMYK JPEG as an RGB one (PDF/A-2b allows DeviceCMYK only under a CMYK output
    intent); any other image unchanged."""
    if not data.startswith(b"\xff\xd8\xff"):
        return data
    from PIL import Image

    with Image.open(BytesIO(data)) as image:
        if image.mode != "CMYK":
            return data
        out = BytesIO()
        image.convert("RGB").save(out, "JPEG", quality=95)
    return out.getvalue()


class _Info(PDFInfo):  # type: ignore[misc]
    """reportlab's information dictionary without empty entries, with the marking."""

    def __init__(self, info: PDFInfo, classification: str) -> None:
        super().__init__()
        self.__dict__.update(info.__dict__)
        self.classification = classification

    def entries(self) -> dict[str, str]:
        """The text entries that have a value, by their Info key."""
        found = {"Title": self.title, "Author": self.author, "Subject": self.subject,
                 "Keywords": self.keywords, "Creator": self.creator,
                 "Producer": self.producer, "Classification": self.classification}
        return {key: value for key, value in found.items() if value}

    def format(self, document: Any) -> bytes:
        entries: dict[str, Any] = {key: PDFString(value)
                                   for key, value in self.entries().items()}
        entries["CreationDate"] = entries["ModDate"] = PDFDate(ts=document._timeStamp)
        entries["Trapped"] = PDFName(self.trapped)
        formatted: bytes = PDFDictionary(entries).format(document)
        return formatted


def _identify(doc: Any, info: _Info) -> str:
    """Fix the file identifier (/ID) from the dates, the information and the pages'
    content; its hex digits."""
    for value in info.entries().values():
        doc.updateSignature(value)
    for page in doc.Pages.pages:
        doc.updateSignature(page.stream)
    found = re.search(rb"<([0-9A-Fa-f]{32})>", doc.ID())
    return found.group(1).decode().lower() if found else ""


def _xmp_date(stamp: Any) -> str:
    year, month, day, hour, minute, second = stamp.YMDhms
    sign = "-" if stamp.dhh < 0 else "+"
    return (f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}"
            f"{sign}{abs(stamp.dhh):02d}:{stamp.dmm:02d}")


def _escape(text: str) -> str:
    """``&``, ``<`` and ``>`` as XML entities (xml.sax.saxutils.escape's output, without
    importing urllib.request along with it)."""
    return html.escape(text, quote=False)


def _alt(text: str) -> str:
    return f'<rdf:Alt><rdf:li xml:lang="x-default">{_escape(text)}</rdf:li></rdf:Alt>'


def _xmp(info: _Info, stamp: Any, meta: Metadata, standard: str, identifier: str) -> str:
    entries = info.entries()
    date = _xmp_date(stamp)
    props = ["<dc:format>application/pdf</dc:format>"]
    if "Title" in entries:
        props.append(f"<dc:title>{_alt(entries['Title'])}</dc:title>")
    if "Author" in entries:
        props.append(f"<dc:creator><rdf:Seq><rdf:li>{_escape(entries['Author'])}</rdf:li>"
                     "</rdf:Seq></dc:creator>")
    if "Subject" in entries:
        props.append(f"<dc:description>{_alt(entries['Subject'])}</dc:description>")
    if meta.keywords:
        items = "".join(f"<rdf:li>{_escape(k)}</rdf:li>" for k in meta.keywords)
        props.append(f"<dc:subject><rdf:Bag>{items}</rdf:Bag></dc:subject>")
    if meta.language:
        props.append(f"<dc:language><rdf:Bag><rdf:li>{_escape(meta.language)}</rdf:li>"
                     "</rdf:Bag></dc:language>")
    if "Keywords" in entries:
        props.append(f"<pdf:Keywords>{_escape(entries['Keywords'])}</pdf:Keywords>")
    if "Producer" in entries:
        props.append(f"<pdf:Producer>{_escape(entries['Producer'])}</pdf:Producer>")
    props.append(f"<pdf:Trapped>{_escape(info.trapped)}</pdf:Trapped>")
    if "Creator" in entries:
        props.append(f"<xmp:CreatorTool>{_escape(entries['Creator'])}</xmp:CreatorTool>")
    props += [f"<xmp:CreateDate>{date}</xmp:CreateDate>",
              f"<xmp:ModifyDate>{date}</xmp:ModifyDate>",
              f"<xmp:MetadataDate>{date}</xmp:MetadataDate>"]
    if identifier:
        uuid = (f"uuid:{identifier[:8]}-{identifier[8:12]}-{identifier[12:16]}-"
                f"{identifier[16:20]}-{identifier[20:32]}")
        props += [f"<xmpMM:DocumentID>{uuid}</xmpMM:DocumentID>",
                  f"<xmpMM:InstanceID>{uuid}</xmpMM:InstanceID>"]
    if "Classification" in entries:
        props.append(f"<pdfx:Classification>{_escape(entries['Classification'])}"
                     "</pdfx:Classification>")
    props.append("<pdfuaid:part>1</pdfuaid:part>")
    if standard == PDF_A:
        props += ["<pdfaid:part>2</pdfaid:part>", "<pdfaid:conformance>B</pdfaid:conformance>"]
    props.append(_extension_schemas("Classification" in entries))
    namespaces = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in _NS.items())
    body = "\n".join(props)
    return ('<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
            '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
            f'<rdf:Description rdf:about="" {namespaces}>\n{body}\n</rdf:Description>\n'
            "</rdf:RDF>\n</x:xmpmeta>\n"
            '<?xpacket end="r"?>')


def _extension_schemas(classification: bool) -> str:
    """The PDF/A extension schema description of the XMP properties PDF/A does not
    predefine: pdfuaid:part, and pdfx:Classification where it is used."""
    schemas = [_schema("PDF/UA identification schema", "pdfuaid", "internal",
                       "part", "Integer", "Part of ISO 14289 to which the file conforms")]
    if classification:
        schemas.append(_schema("PDF extension: custom document information", "pdfx",
                               "external", "Classification", "Text",
                               "The document's protective marking"))
    return ("<pdfaExtension:schemas><rdf:Bag>" + "".join(schemas)
            + "</rdf:Bag></pdfaExtension:schemas>")


def _schema(title: str, prefix: str, category: str, name: str, kind: str,
            description: str) -> str:
    return (
        '<rdf:li rdf:parseType="Resource">'
        f"<pdfaSchema:schema>{title}</pdfaSchema:schema>"
        f"<pdfaSchema:namespaceURI>{_NS[prefix]}</pdfaSchema:namespaceURI>"
        f"<pdfaSchema:prefix>{prefix}</pdfaSchema:prefix>"
        '<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">'
        f"<pdfaProperty:name>{name}</pdfaProperty:name>"
        f"<pdfaProperty:valueType>{kind}</pdfaProperty:valueType>"
        f"<pdfaProperty:category>{category}</pdfaProperty:category>"
        f"<pdfaProperty:description>{description}</pdfaProperty:description>"
        "</rdf:li></rdf:Seq></pdfaSchema:property></rdf:li>")


def _tag_subsets(doc: Any) -> None:
    """Embed the fonts now, each subset under a tag made from its name and glyphs."""
    fonts = doc.idToObject["BasicFonts"].dict
    for font in doc.delayedFonts:
        state = font.state.get(doc)
        subsets = [list(subset) for subset in state.subsets] if state is not None else []
        internal = [font.getSubsetInternalName(n, doc)[1:] for n in range(len(subsets))]
        font.addObjects(doc)
        for name, subset in zip(internal, subsets, strict=True):
            pdf_font = fonts[name]
            old = pdf_font.BaseFont
            new = _subset_tag(old, subset) + old[6:]
            pdf_font.BaseFont = new
            descriptor = doc.idToObject.get("fontDescriptor:" + old)
            if descriptor is not None:
                descriptor.dict["FontName"] = PDFName(new)
            cmap = doc.idToObject.get("toUnicodeCMap:" + old)
            if cmap is not None:
                cmap.content = cmap.content.replace(old, new)
    doc.delayedFonts = []


def _subset_tag(base_font: str, subset: list[int]) -> str:
    """Six capital letters from a digest of the font's name and its subset's codes
    (remembered: a series' documents mostly share their subsets)."""
    key = (base_font[7:], tuple(subset))
    found = _TAGS.get(key)
    if found is None:
        codes = struct.pack(f"<{len(subset)}I", *subset)
        digest = hashlib.sha256(key[0].encode() + b":" + codes).digest()
        found = remember(_TAGS, key, "".join(chr(65 + byte % 26) for byte in digest[:6]),
                         _TAGS_MAX)
    return found


_TAGS: dict[tuple[str, tuple[int, ...]], str] = {}
_TAGS_MAX = 1024
