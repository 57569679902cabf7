"""PDF/A-2b (`--pdf-standard a-2b`), one test per rule of ISO 19005-2 that these files
could break, since no full validator (veraPDF) is available here; and the XMP metadata
every PDF carries (PDF/UA-1 identification, the information dictionary's values).

The files under test are the seed press release and internal brief as PDF/A-2b, and a
document with a link, a transparent PNG and a CMYK JPEG.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from click.testing import CliRunner
from fontTools.ttLib import TTFont
from PIL import Image

import readout
from readout import NothingPublicError
from readout import tree as t
from readout.cli import main
from readout.errors import TemplateError, ThemeError
from readout.templating import available_templates, describe_template
from readout.themes import load_theme
from readout.writers.pdf import write

from .conftest import SAMPLES, SEED, SERIES, tiny_png
from .tagged_pdf import ministry_theme

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
PREDEFINED = {  # XMP schemas PDF/A-2 predefines (ISO 19005-2 6.6.2.3.1, XMP 2004)
    "http://purl.org/dc/elements/1.1/", "http://ns.adobe.com/xap/1.0/",
    "http://ns.adobe.com/xap/1.0/mm/", "http://ns.adobe.com/pdf/1.3/",
    "http://www.aiim.org/pdfa/ns/id/", "http://www.aiim.org/pdfa/ns/extension/"}
FORBIDDEN_ACTIONS = {"/Launch", "/Sound", "/Movie", "/ResetForm", "/ImportData",
                     "/JavaScript", "/Hide", "/SetOCGState", "/Rendition", "/Trans",
                     "/GoTo3DView"}
BLEND_MODES = {"/Normal", "/Compatible", "/Multiply", "/Screen", "/Overlay", "/Darken",
               "/Lighten", "/ColorDodge", "/ColorBurn", "/HardLight", "/SoftLight",
               "/Difference", "/Exclusion", "/Hue", "/Saturation", "/Color", "/Luminosity"}
TEXT_OPS = {"Tj", "TJ", "'", '"'}
READOUT_TEMPLATES = [name for name in available_templates()
                     if describe_template(name).renders == "readout"]
SAMPLE_PATHS = sorted(p for p in SAMPLES.glob("*.yaml") if not p.name.endswith(".series.yaml"))


def cmyk_jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("CMYK", (8, 4), (200, 10, 40, 20)).save(out, "JPEG")
    return out.getvalue()


def rgba_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (8, 4), (10, 20, 200, 128)).save(out, "PNG")
    return out.getvalue()


def picture_document() -> t.Document:
    return t.Document(
        metadata=t.Metadata(title="Pictures", author="Ministry of Tests", subject="Photos",
                            keywords=("a", "b"), language="en-IN",
                            created=datetime(2025, 6, 26, 15, 15)),
        footer=(t.Paragraph((t.Text("Page "), t.PageNumber(), t.Text(" of "),
                             t.PageCount())),),
        body=(t.Heading(1, (t.Text("Pictures"),)),
              t.Paragraph((t.Link("https://example.org/x", (t.Text("A link"),)),)),
              t.Image(cmyk_jpeg(), 30, alt="A CMYK photo"),
              t.Image(rgba_png(), 30, alt="A transparent logo"),
              t.Image(tiny_png(), 30, alt="")))


@cache
def archival() -> dict[str, bytes]:
    """The seed in every readout template of the registry, every other sample (its
    scripts, fonts and photos) as a press release (an internal brief when nothing is
    public), the series digest, all PDF/A-2b; the pictures; a theme asking for it."""
    doc = readout.load(SEED)
    found = {f"seed.{template}": readout.render(doc, template, "pdf", pdf_standard="a-2b")
             for template in READOUT_TEMPLATES}
    for path in SAMPLE_PATHS:
        if path != SEED:
            found[f"{path.stem}.sample"] = _archival_sample(readout.load(path))
    out = Path(tempfile.mkdtemp(prefix="readout-archival-"))
    try:
        report = readout.render_series(SERIES, out, jobs=1, formats=["pdf"],
                                       pdf_standard="a-2b")
        assert report.ok, report.failed
        found["series-digest"] = next(out.glob("*.series-digest.pdf")).read_bytes()
    finally:
        shutil.rmtree(out)
    found["pictures"] = write(picture_document(), load_theme().with_pdf_standard("a-2b"))
    with ministry_theme("pdf_standard: a-2b\n") as theme:  # a watermark (transparent)
        found["ministry-theme.internal-brief"] = readout.render(doc, "internal-brief", "pdf",
                                                                theme=theme)
    return found


def _archival_sample(doc: readout.Readout) -> bytes:
    try:
        return readout.render(doc, "press-release", "pdf", pdf_standard="a-2b")
    except NothingPublicError:
        return readout.render(doc, "internal-brief", "pdf", pdf_standard="a-2b")


NAMES = sorted(archival())


@pytest.fixture(params=NAMES)
def data(request: pytest.FixtureRequest) -> bytes:
    return archival()[request.param]


def opened(data: bytes) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(data))


def every_object(pdf: pikepdf.Pdf) -> Iterator[Any]:
    """Every direct and indirect object of the file, once each indirect one."""
    seen: set[tuple[int, int]] = set()
    stack: list[Any] = [pdf.trailer]
    while stack:
        obj = stack.pop()
        if isinstance(obj, (pikepdf.Dictionary, pikepdf.Array, pikepdf.Stream)):
            if obj.is_indirect:
                if obj.objgen in seen:
                    continue
                seen.add(obj.objgen)
            yield obj
            stack.extend(obj.values() if not isinstance(obj, pikepdf.Array) else obj)
        else:
            yield obj


def dictionaries(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary]:
    for obj in every_object(pdf):
        if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
            yield obj


def content_streams(pdf: pikepdf.Pdf) -> Iterator[tuple[Any, Any]]:
    """(stream owner, its resources) of every page and every form XObject."""
    for page in pdf.pages:
        yield page, page.Resources
        for xobject in page.Resources.get("/XObject", {}).values():
            if xobject.get("/Subtype") == "/Form":
                yield xobject, xobject.get("/Resources", page.Resources)


# -- 6.1: file structure --------------------------------------------------------------

def test_6_1_2_the_header_is_pdf_1_7_and_marks_the_file_binary(data: bytes) -> None:
    assert re.match(rb"%PDF-1\.[0-7]\n%[\x80-\xff]{4}", data)


def test_6_1_3_the_trailer_has_an_identifier_and_nothing_follows_the_end(data: bytes
                                                                        ) -> None:
    with opened(data) as pdf:
        ids = pdf.trailer.ID
        assert len(ids) == 2 and all(len(bytes(i)) == 16 for i in ids)
        assert "/Encrypt" not in pdf.trailer and not pdf.is_encrypted
    assert data.endswith(b"%%EOF\n")


def test_6_1_3_the_identifier_is_fixed_by_the_content() -> None:
    again = readout.render(readout.load(SEED), "press-release", "pdf", pdf_standard="a-2b")
    assert again == archival()["seed.press-release"]
    identifiers = set()
    for data in archival().values():
        with opened(data) as pdf:
            identifiers.add(bytes(pdf.trailer.ID[0]))
    assert len(identifiers) == len(archival())


def test_6_1_the_file_parses_without_a_warning(data: bytes) -> None:
    """qpdf (through pikepdf) reads every object and stream of the file: the lexical
    rules of 6.1.6 to 6.1.9 are not checked one by one, but a slip would show here."""
    with opened(data) as pdf:
        assert (pdf.check_pdf_syntax(), pdf.get_warnings()) == ([], [])


def test_the_syntax_check_finds_a_stream_of_the_wrong_length() -> None:
    data = re.sub(rb"/Length (\d+)", lambda m: b"/Length %d" % (int(m[1]) + 5),
                  archival()["pictures"], count=1)
    with opened(data) as pdf:
        assert any("expected endstream" in problem for problem in pdf.check_pdf_syntax())


def test_6_1_4_the_cross_reference_table_is_classic_and_well_formed(data: bytes) -> None:
    start = int(re.findall(rb"startxref\n(\d+)\n%%EOF", data)[-1])
    table = re.match(rb"xref\n0 (\d+)\n((?:\d{10} \d{5} [nf] \n)+)trailer", data[start:])
    assert table is not None
    assert len(table.group(2)) == 20 * int(table.group(1))


def test_6_1_7_streams_have_their_length_and_end_of_lines_and_no_external_data(
        data: bytes) -> None:
    starts = [m.end() for m in re.finditer(rb"\nstream\n", data)]
    assert len(starts) > 5
    for start in starts:
        head = data[data.rfind(b" 0 obj\n", 0, start):start]
        length = int(re.findall(rb"/Length (\d+)", head)[-1])
        assert data[start + length:start + length + 11] == b"\nendstream\n"
    with opened(data) as pdf:
        streams = [obj for obj in dictionaries(pdf) if isinstance(obj, pikepdf.Stream)]
        assert len(streams) == len(starts)
        for stream in streams:
            assert not {"/F", "/FFilter", "/FDecodeParms"} & set(stream.keys())


def test_6_1_7_2_filters_are_standard_ones(data: bytes) -> None:
    with opened(data) as pdf:
        used = {str(f) for obj in dictionaries(pdf) if isinstance(obj, pikepdf.Stream)
                for f in (obj.get("/Filter") if isinstance(obj.get("/Filter"), pikepdf.Array)
                          else [obj.get("/Filter")]) if f is not None}
    assert used <= {"/FlateDecode", "/DCTDecode"}


def test_6_1_12_implementation_limits(data: bytes) -> None:
    with opened(data) as pdf:
        for obj in every_object(pdf):
            if isinstance(obj, pikepdf.String):
                assert len(bytes(obj)) <= 32767
            elif isinstance(obj, pikepdf.Name):
                assert len(str(obj).encode()) - 1 <= 127
            elif isinstance(obj, int) and not isinstance(obj, bool):
                assert -(2 ** 31) <= obj < 2 ** 31
            if isinstance(obj, pikepdf.Dictionary):
                assert all(len(key.encode()) - 1 <= 127 for key in obj)
        for owner, _ in content_streams(pdf):
            depth = deepest = 0
            for _, operator in pikepdf.parse_content_stream(owner):
                depth += {"q": 1, "Q": -1}.get(str(operator), 0)
                deepest = max(deepest, depth)
            assert depth == 0 and deepest <= 28


# -- 6.2: graphics --------------------------------------------------------------------

def test_6_2_2_one_srgb_output_intent_with_a_valid_icc_profile(data: bytes) -> None:
    with opened(data) as pdf:
        intents = list(pdf.Root.OutputIntents)
        assert [str(i.S) for i in intents] == ["/GTS_PDFA1"]
        intent = intents[0]
        assert str(intent.OutputConditionIdentifier)
        profile = intent.DestOutputProfile
        assert int(profile.N) == 3
        icc = profile.read_bytes()
    size, version = int.from_bytes(icc[:4], "big"), icc[8]
    assert size == len(icc) and icc[36:40] == b"acsp"
    assert (icc[12:16], icc[16:20], icc[20:24]) == (b"mntr", b"RGB ", b"XYZ ")
    assert version in (2, 4)  # below 5: ICC.1:2004-10 or earlier
    tags = int.from_bytes(icc[128:132], "big")
    names = {icc[132 + 12 * i:136 + 12 * i] for i in range(tags)}
    assert {b"desc", b"wtpt", b"rXYZ", b"gXYZ", b"bXYZ", b"rTRC", b"gTRC", b"bTRC"} <= names


def colour_spaces(pdf: pikepdf.Pdf) -> set[str]:
    found = set()
    for obj in dictionaries(pdf):
        if obj.get("/Subtype") == "/Image":
            space = obj.get("/ColorSpace")
            found.add(str(space[0] if isinstance(space, pikepdf.Array) else space))
    for owner, _ in content_streams(pdf):
        for operands, operator in pikepdf.parse_content_stream(owner):
            if str(operator) in ("k", "K"):
                found.add("/DeviceCMYK")
            elif str(operator) in ("cs", "CS"):
                found.add(str(operands[0]))
    return found


def test_6_2_4_3_device_colours_are_those_of_the_rgb_output_intent(data: bytes) -> None:
    with opened(data) as pdf:
        assert colour_spaces(pdf) <= {"/DeviceRGB", "/DeviceGray"}


def test_6_2_4_3_a_cmyk_photo_is_made_rgb_only_for_pdf_a() -> None:
    with opened(archival()["pictures"]) as pdf:
        assert "/DeviceCMYK" not in colour_spaces(pdf)
    with opened(write(picture_document(), load_theme())) as pdf:
        assert "/DeviceCMYK" in colour_spaces(pdf)  # PDF/UA alone keeps the photo as is


def test_6_2_5_and_6_2_10_graphics_states_and_transparency(data: bytes) -> None:
    with opened(data) as pdf:
        states = [obj for obj in dictionaries(pdf) if obj.get("/Type") == "/ExtGState"
                  or any(key in obj for key in ("/BM", "/TR", "/TR2", "/HTP"))]
        soft_masks = [obj for obj in dictionaries(pdf)
                      if obj.get("/Subtype") == "/Image" and "/SMask" in obj]
    for state in states:
        assert not {"/TR", "/HTP", "/HTO"} & set(state.keys())
        assert str(state.get("/TR2", "/Default")) == "/Default"
        assert str(state.get("/BM", "/Normal")) in BLEND_MODES
        assert str(state.get("/SMask", "/None")) == "/None"
    for image in soft_masks:  # PDF/A-2 allows soft-masked images
        assert image.SMask.get("/Subtype") == "/Image"
        assert str(image.SMask.ColorSpace) == "/DeviceGray"


def test_6_2_10_the_transparent_logo_keeps_its_soft_mask() -> None:
    with opened(archival()["pictures"]) as pdf:
        assert any("/SMask" in obj for obj in dictionaries(pdf)
                   if obj.get("/Subtype") == "/Image")


def test_6_2_8_and_6_2_9_images_and_forms_have_nothing_pdf_a_forbids(data: bytes) -> None:
    with opened(data) as pdf:
        xobjects = [obj for obj in dictionaries(pdf) if obj.get("/Type") == "/XObject"
                    or obj.get("/Subtype") in ("/Image", "/Form", "/PS")]
        rendering = [str(operands[0]) for owner, _ in content_streams(pdf)
                     for operands, operator in pikepdf.parse_content_stream(owner)
                     if str(operator) == "ri"]
    assert xobjects
    for xobject in xobjects:
        assert str(xobject.Subtype) in ("/Image", "/Form")
        assert not {"/Alternates", "/OPI", "/Subtype2", "/Ref", "/PS"} & set(xobject.keys())
        assert xobject.get("/Interpolate", False) is False
        if xobject.Subtype == "/Image":
            assert int(xobject.BitsPerComponent) in (1, 2, 4, 8, 16)
            assert str(xobject.get("/Intent", "/Perceptual")) in (
                "/RelativeColorimetric", "/AbsoluteColorimetric", "/Perceptual", "/Saturation")
    assert set(rendering) <= {"/RelativeColorimetric", "/AbsoluteColorimetric",
                              "/Perceptual", "/Saturation"}


# -- 6.2.11: fonts ----------------------------------------------------------------------

def pdffonts(data: bytes) -> list[list[str]]:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        out = subprocess.run(["pdffonts", handle.name], check=True, capture_output=True,
                             text=True).stdout
    return [line.split() for line in out.splitlines()[2:]]


def test_6_2_11_4_every_font_is_embedded(data: bytes) -> None:
    rows = pdffonts(data)
    assert rows and all(row[-5] == "yes" for row in rows)  # the "emb" column
    with opened(data) as pdf:
        fonts = [obj for obj in dictionaries(pdf) if obj.get("/Type") == "/Font"]
        assert fonts
        for font in fonts:
            descriptor = font.FontDescriptor
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            assert re.fullmatch(r"/[A-Z]{6}\+.+", str(font.BaseFont))


def shown_codes(pdf: pikepdf.Pdf) -> Iterator[tuple[Any, int]]:
    """(font dictionary, code) of every character code that a text operator shows."""
    for owner, resources in content_streams(pdf):
        font = None
        for operands, operator in pikepdf.parse_content_stream(owner):
            op = str(operator)
            if op == "Tf":
                font = resources.Font[operands[0]]
            elif op in TEXT_OPS:
                strings = operands[-1] if op != "TJ" else [
                    s for s in operands[0] if isinstance(s, pikepdf.String)]
                for string in (strings if op == "TJ" else [strings]):
                    for code in bytes(string):
                        yield font, code


def test_6_2_11_5_to_8_every_shown_glyph_exists_has_its_width_and_is_not_notdef(
        data: bytes) -> None:
    programs: dict[tuple[int, int], TTFont] = {}
    shown = 0
    with opened(data) as pdf:
        for font, code in shown_codes(pdf):
            assert font is not None
            program = programs.get(font.objgen)
            if program is None:
                program = programs[font.objgen] = TTFont(io.BytesIO(
                    font.FontDescriptor.FontFile2.read_bytes()))
            first = int(font.FirstChar)
            assert first <= code <= int(font.LastChar)
            glyph = program["cmap"].tables[0].cmap.get(code)
            assert glyph is not None and program.getGlyphID(glyph) != 0  # 6.2.11.8
            advance = program["hmtx"][glyph][0] * 1000 / program["head"].unitsPerEm
            assert abs(float(font.Widths[code - first]) - advance) <= 1  # 6.2.11.5
            shown += 1
        for font_id, program in programs.items():  # 6.2.11.6: symbolic TrueType
            font = pdf.get_object(font_id)
            assert int(font.FontDescriptor.Flags) & 4 and "/Encoding" not in font
            subtables = [(c.platformID, c.platEncID) for c in program["cmap"].tables]
            assert len(subtables) == 1 or (3, 0) in subtables
    assert shown > 20


# -- 6.3, 6.5: annotations and actions --------------------------------------------------

def test_6_3_annotations_are_printed_links(data: bytes) -> None:
    with opened(data) as pdf:
        annots = [a for page in pdf.pages for a in page.obj.get("/Annots", [])]
        for annot in annots:
            assert str(annot.Subtype) == "/Link"
            flags = int(annot.F)
            assert flags & 4 and not flags & (1 | 2 | 32 | 256)


def test_6_3_the_seed_press_release_has_printed_links() -> None:
    with opened(archival()["seed.press-release"]) as pdf:
        flags = [int(a.F) for page in pdf.pages for a in page.obj.get("/Annots", [])]
    assert flags and all(f & 4 for f in flags)


def test_6_5_actions_are_links_and_nothing_runs(data: bytes) -> None:
    with opened(data) as pdf:
        actions = [obj.A for obj in dictionaries(pdf)  # a StructElem's /A: attributes
                   if isinstance(obj.get("/A"), pikepdf.Dictionary)
                   and obj.get("/Type") != "/StructElem"]
        assert not [obj for obj in dictionaries(pdf) if "/AA" in obj]
        assert "/OpenAction" not in pdf.Root
        assert "/JavaScript" not in pdf.Root.get("/Names", {})
        for key in ("/Requirements", "/OCProperties", "/AcroForm", "/Perms"):
            assert key not in pdf.Root
        assert "/EmbeddedFiles" not in pdf.Root.get("/Names", {})
        kinds = {str(action.S) for action in actions}
    # /GoToR: the digest's links to its members' PDFs beside it (ISO 19005-2 6.6.1 permits it)
    assert kinds <= {"/URI", "/GoTo", "/GoToR"} and not kinds & FORBIDDEN_ACTIONS


# -- 6.6: metadata --------------------------------------------------------------------

def xmp_of(pdf: pikepdf.Pdf) -> tuple[pikepdf.Stream, bytes]:
    stream = pdf.Root.Metadata
    return stream, stream.read_raw_bytes()


def description(packet: bytes) -> ET.Element:
    root = ET.fromstring(packet)
    found = root.find(f".//{{{RDF}}}Description")
    assert found is not None
    return found


def prop(desc: ET.Element, ns: str, name: str) -> str | None:
    element = desc.find(f"{{{ns}}}{name}")
    if element is None:
        return None
    return "".join(element.itertext()).strip()


DC = "http://purl.org/dc/elements/1.1/"
XMP = "http://ns.adobe.com/xap/1.0/"
PDF = "http://ns.adobe.com/pdf/1.3/"
PDFAID = "http://www.aiim.org/pdfa/ns/id/"
PDFUAID = "http://www.aiim.org/pdfua/ns/id/"
PDFX = "http://ns.adobe.com/pdfx/1.3/"


def test_6_6_2_1_the_metadata_stream_is_unfiltered_xmp_in_a_plain_packet(data: bytes
                                                                       ) -> None:
    with opened(data) as pdf:
        stream, packet = xmp_of(pdf)
        assert (stream.Type, stream.Subtype) == ("/Metadata", "/XML")
        assert "/Filter" not in stream
    header = re.match(rb'<\?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"\?>',
                      packet)
    assert header and b"bytes=" not in packet[:100] and b"encoding=" not in packet[:100]
    assert packet.rstrip().endswith(b'<?xpacket end="r"?>')
    description(packet)  # well-formed


def test_6_6_2_3_every_property_is_predefined_or_in_an_extension_schema(data: bytes
                                                                       ) -> None:
    with opened(data) as pdf:
        desc = description(xmp_of(pdf)[1])
    used = {(el.tag[1:].split("}")[0], el.tag.split("}")[1]) for el in desc}
    described: set[tuple[str, str]] = set()
    for schema in desc.iter("{http://www.aiim.org/pdfa/ns/extension/}schemas"):
        for li in schema.find(f"{{{RDF}}}Bag"):
            uri = li.find("{http://www.aiim.org/pdfa/ns/schema#}namespaceURI").text
            for item in li.iter("{http://www.aiim.org/pdfa/ns/property#}name"):
                described.add((uri, item.text))
            assert li.find("{http://www.aiim.org/pdfa/ns/schema#}prefix").text
    other = {(ns, name) for ns, name in used if ns not in PREDEFINED}
    assert other and other <= described


def pdf_date(value: str) -> datetime:
    found = re.fullmatch(r"D:(\d{14})([+-])(\d\d)'(\d\d)'", value)
    assert found
    return datetime.strptime(f"{found[1]}{found[2]}{found[3]}{found[4]}", "%Y%m%d%H%M%S%z")


def test_6_6_3_the_xmp_says_what_the_information_dictionary_says(data: bytes) -> None:
    with opened(data) as pdf:
        info = {str(k)[1:]: str(v) for k, v in pdf.docinfo.items()}
        desc = description(xmp_of(pdf)[1])
    pairs = {"Title": prop(desc, DC, "title"), "Author": prop(desc, DC, "creator"),
             "Subject": prop(desc, DC, "description"), "Keywords": prop(desc, PDF, "Keywords"),
             "Creator": prop(desc, XMP, "CreatorTool"), "Producer": prop(desc, PDF, "Producer"),
             "Trapped": prop(desc, PDF, "Trapped")}
    for key, value in pairs.items():
        given = info.get(key, "/False" if key == "Trapped" else None)
        assert (given.lstrip("/") if given is not None else None) == value, key
    for key, name in (("CreationDate", "CreateDate"), ("ModDate", "ModifyDate")):
        assert pdf_date(info[key]) == datetime.fromisoformat(prop(desc, XMP, name))
    assert (prop(desc, PDFAID, "part"), prop(desc, PDFAID, "conformance")) == ("2", "B")
    assert prop(desc, PDFUAID, "part") == "1"


def test_the_marking_is_in_the_metadata_of_internal_documents_only() -> None:
    documents = {name: data for name, data in archival().items()
                 if name.startswith(("seed.", "ministry-theme.", "pictures"))}
    documents["ua.brief"] = readout.render(readout.load(SEED), "internal-brief", "pdf")
    for name, data in documents.items():
        with opened(data) as pdf:
            desc = description(xmp_of(pdf)[1])
            info = pdf.docinfo.get("/Classification")
        marking = prop(desc, PDFX, "Classification")
        if "brief" in name:
            assert marking == str(info) == "OFFICIAL"
            assert prop(desc, DC, "description") == "OFFICIAL — Internal brief"
        else:
            assert marking is None and info is None


def test_every_pdf_declares_pdf_ua_and_only_an_a_2b_one_declares_pdf_a() -> None:
    data = readout.render(readout.load(SEED), "press-release", "pdf")
    with opened(data) as pdf:
        desc = description(xmp_of(pdf)[1])
        assert "/OutputIntents" not in pdf.Root
        assert prop(desc, DC, "title") == str(pdf.docinfo.Title)
        assert prop(desc, DC, "language") == "en-IN" == str(pdf.Root.Lang)
    assert prop(desc, PDFUAID, "part") == "1"
    assert prop(desc, PDFAID, "part") is None


# -- asking for it ----------------------------------------------------------------------

def is_pdf_a(data: bytes) -> bool:
    with opened(data) as pdf:
        return prop(description(xmp_of(pdf)[1]), PDFAID, "part") == "2" and \
            "/OutputIntents" in pdf.Root


def test_a_theme_key_asks_for_pdf_a(tmp_path: Path) -> None:
    theme = tmp_path / "archive.yaml"
    theme.write_text("format: readout-theme/1\npdf_standard: a-2b\n", encoding="utf-8")
    doc = readout.load(SEED)
    assert is_pdf_a(readout.render(doc, "press-release", "pdf", theme=theme))
    assert not is_pdf_a(readout.render(doc, "press-release", "pdf", theme=theme,
                                       pdf_standard="ua-1"))


def test_a_wrong_theme_value_is_located(tmp_path: Path) -> None:
    theme = tmp_path / "archive.yaml"
    theme.write_text("format: readout-theme/1\npdf_standard: a-1b\n", encoding="utf-8")
    with pytest.raises(ThemeError) as caught:
        load_theme(theme)
    assert str(caught.value.problems[0]).startswith(f"{theme}:2:15: pdf_standard: 'a-1b' is")


def test_the_api_refuses_an_unknown_standard() -> None:
    with pytest.raises(TemplateError, match="The PDF standard 'a-3u' is unknown"):
        readout.render(readout.load(SEED), "press-release", "pdf", pdf_standard="a-3u")


def test_the_command_line_renders_and_batches_pdf_a(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["render", str(SEED), "-f", "pdf", "-t", "press-release",
                                  "-o", str(tmp_path / "one"), "--pdf-standard", "a-2b"])
    assert result.exit_code == 0, result.output
    assert is_pdf_a((tmp_path / "one" / f"{SEED.stem}.press-release.pdf").read_bytes())
    result = runner.invoke(main, ["batch", str(SERIES), "-f", "pdf", "-j", "1",
                                  "-o", str(tmp_path / "all"), "--pdf-standard", "a-2b"])
    assert result.exit_code == 0, result.output
    files = sorted((tmp_path / "all").glob("*.pdf"))
    assert any(f.name.endswith(".series-digest.pdf") for f in files)
    assert all(is_pdf_a(f.read_bytes()) for f in files)
    again = runner.invoke(main, ["batch", str(SERIES), "-f", "pdf", "-j", "1",
                                 "-o", str(tmp_path / "all")])
    assert again.exit_code == 0 and "0 unchanged" in again.output  # ua-1 now: re-rendered
    assert not any(is_pdf_a(f.read_bytes()) for f in files)
    bad = runner.invoke(main, ["render", str(SEED), "--pdf-standard", "a-1b"])
    assert bad.exit_code == 2


def test_a_2b_output_is_byte_identical_in_another_process() -> None:
    script = ("import sys, hashlib, readout\n"
              "doc = readout.load(sys.argv[1])\n"
              "data = readout.render(doc, 'press-release', 'pdf', pdf_standard='a-2b')\n"
              "print(hashlib.sha256(data).hexdigest())\n")
    env = {**os.environ, "PYTHONHASHSEED": "7", "SOURCE_DATE_EPOCH": ""}
    out = subprocess.run([sys.executable, "-c", script, str(SEED)], env=env, check=True,
                         capture_output=True, text=True).stdout.strip()
    assert out == hashlib.sha256(archival()["seed.press-release"]).hexdigest()
