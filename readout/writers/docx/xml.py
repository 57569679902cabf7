"""WordprocessingML fragments as text: escaping, units, run and paragraph properties.

The DOCX writer builds its parts as strings (it is several times faster than building
lxml trees), so this module owns every rule that keeps those strings well-formed and
schema-ordered: `text` and `attr` escape and drop characters XML cannot hold,
`rpr` and `ppr` emit property children in the order the schema demands.
Nothing here imports python-docx.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...safe_text import printable
from ...themes import Alignment

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
PIC_NS = "http://schemas.openxmlformats.org/drawingml/2006/picture"
PART_NS = f'xmlns:w="{W_NS}" xmlns:r="{R_NS}" xmlns:wp="{WP_NS}"'
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
RT_HYPERLINK = RT + "hyperlink"
RT_IMAGE = RT + "image"
RT_HEADER = RT + "header"
RT_FOOTER = RT + "footer"
CT_HEADER = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
CT_FOOTER = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"

_SPECIAL = re.compile("[\t\n\r\u2011]")
NO_BREAK_HYPHEN = "\u2011"

TWIPS_PER_MM = 1440 / 25.4
EMU_PER_MM = 36000

ALIGNMENT = {Alignment.LEFT: "left", Alignment.CENTER: "center", Alignment.RIGHT: "right",
             Alignment.JUSTIFY: "both"}


def text(value: str) -> str:
    """``value`` escaped for element content (control characters dropped)."""
    return _escaped(printable(value))


def _escaped(value: str) -> str:
    if "&" in value:
        value = value.replace("&", "&amp;")
    if "<" in value:
        value = value.replace("<", "&lt;")
    if ">" in value:
        value = value.replace(">", "&gt;")
    return value


def attr(value: str) -> str:
    """``value`` escaped for a double-quoted attribute."""
    value = text(value)
    if '"' in value:
        value = value.replace('"', "&quot;")
    return value


def run_content(value: str) -> str:
    """The children of a ``w:r`` that show ``value``: tabs and line breaks become
    ``w:tab`` and ``w:br``, so a reader gets the very same characters back; a
    non-breaking hyphen (U+2011) becomes Word's own ``w:noBreakHyphen``, which Word and
    LibreOffice never break a line at and read back as a hyphen."""
    value = printable(value)
    if not _SPECIAL.search(value):
        return f'<w:t xml:space="preserve">{_escaped(value)}</w:t>' if value else ""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    out: list[str] = []
    for piece in re.split("([\t\n\u2011])", value):
        if piece == "\t":
            out.append("<w:tab/>")
        elif piece == "\n":
            out.append("<w:br/>")
        elif piece == NO_BREAK_HYPHEN:
            out.append("<w:noBreakHyphen/>")
        elif piece:
            out.append(f'<w:t xml:space="preserve">{text(piece)}</w:t>')
    return "".join(out)


def twips(mm: float) -> int:
    return round(mm * TWIPS_PER_MM)


def pt20(points: float) -> int:
    """Points in twentieths (spacing, exact line heights)."""
    return round(points * 20)


def half_points(points: float) -> int:
    return max(1, round(points * 2))


def word_colour(value: str) -> str:
    """A theme colour (``#rrggbb``, checked when the theme loaded) as Word writes it."""
    return value.lstrip("#").upper()


def eighths(points: float) -> int:
    """A line width in eighths of a point, within what Word draws (2-96)."""
    return max(2, min(96, round(points * 8)))


@dataclass(frozen=True, slots=True)
class RunProps:
    """Run formatting; ``None`` means "inherit from the style"."""

    font: str | None = None
    size: float | None = None
    bold: bool | None = None
    italic: bool | None = None
    colour: str | None = None
    char_style: str | None = None
    rtl: bool = False          # a right-to-left run (Arabic script): w:rtl
    complex: bool = False      # set with the complex-script font and size: w:cs
    east_asian: bool = False   # Chinese: Word's East Asian font slot (w:hint)
    lang: str = ""             # w:lang attributes of a run in another script


@dataclass(frozen=True, slots=True)
class ParaProps:
    """Paragraph formatting; ``None`` means "inherit from the style"."""

    space_before: float | None = None
    space_after: float | None = None
    leading: float | None = None
    alignment: Alignment | None = None
    indent_mm: float | None = None
    hanging_mm: float | None = None
    keep_with_next: bool | None = None


def rpr_children(props: RunProps) -> str:
    """The children of a ``w:rPr`` for ``props``, in schema order."""
    out: list[str] = []
    if props.char_style:
        out.append(f'<w:rStyle w:val="{attr(props.char_style)}"/>')
    hint = ' w:hint="eastAsia"' if props.east_asian else ""
    if props.font:
        name = attr(props.font)
        out.append(f'<w:rFonts w:ascii="{name}" w:hAnsi="{name}" w:eastAsia="{name}" '
                   f'w:cs="{name}"{hint}/>')
    elif hint:
        out.append(f"<w:rFonts{hint}/>")
    if props.bold is not None:
        out.append("<w:b/><w:bCs/>" if props.bold else '<w:b w:val="0"/><w:bCs w:val="0"/>')
    if props.italic is not None:
        out.append("<w:i/><w:iCs/>" if props.italic else '<w:i w:val="0"/><w:iCs w:val="0"/>')
    if props.colour:
        out.append(f'<w:color w:val="{word_colour(props.colour)}"/>')
    if props.size is not None:
        size = half_points(props.size)
        out.append(f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>')
    if props.rtl:
        out.append("<w:rtl/>")
    if props.complex:
        out.append("<w:cs/>")
    if props.lang:
        out.append(f"<w:lang {props.lang}/>")
    return "".join(out)


def rpr(props: RunProps) -> str:
    children = rpr_children(props)
    return f"<w:rPr>{children}</w:rPr>" if children else ""


def border_xml(colour: str, width_pt: float, sides: tuple[str, ...], space_pt: int = 4) -> str:
    """A ``w:pBdr`` with one single line on each of ``sides``."""
    size = eighths(width_pt)
    inner = "".join(f'<w:{side} w:val="single" w:sz="{size}" w:space="{space_pt}" '
                    f'w:color="{word_colour(colour)}"/>' for side in sides)
    return f"<w:pBdr>{inner}</w:pBdr>"


def shading_xml(colour: str) -> str:
    return f'<w:shd w:val="clear" w:color="auto" w:fill="{word_colour(colour)}"/>'


def ppr_parts(props: ParaProps) -> dict[str, str]:
    """``props`` as ``w:pPr`` children keyed by their local name (see `PPR_ORDER`)."""
    out: dict[str, str] = {}
    if props.keep_with_next is not None:
        out["keepNext"] = "<w:keepNext/>" if props.keep_with_next else '<w:keepNext w:val="0"/>'
    spacing: list[str] = []
    if props.space_before is not None:
        spacing.append(f'w:before="{pt20(props.space_before)}"')
    if props.space_after is not None:
        spacing.append(f'w:after="{pt20(props.space_after)}"')
    if props.leading is not None:
        spacing.append(f'w:line="{pt20(props.leading)}" w:lineRule="atLeast"')
    if spacing:
        out["spacing"] = f'<w:spacing {" ".join(spacing)}/>'
    if props.indent_mm is not None or props.hanging_mm is not None:
        ind = f'w:left="{twips(props.indent_mm or 0)}"'
        if props.hanging_mm:
            ind += f' w:hanging="{twips(props.hanging_mm)}"'
        out["ind"] = f"<w:ind {ind}/>"
    if props.alignment is not None:
        out["jc"] = f'<w:jc w:val="{ALIGNMENT[props.alignment]}"/>'
    return out


PPR_ORDER = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl",
             "numPr", "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens",
             "kinsoku", "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE",
             "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind",
             "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
             "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
             "sectPr", "pPrChange")
RPR_ORDER = ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike",
             "dstrike", "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid",
             "vanish", "webHidden", "color", "spacing", "w", "kern", "position", "sz", "szCs",
             "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em",
             "lang", "eastAsianLayout", "specVanish", "oMath")


_CHILD = re.compile(r"<w:(\w+)")


def with_bidi(p_pr: str) -> str:
    """A ``w:pPr`` (maybe empty) with ``w:bidi`` added in schema order: a right-to-left
    paragraph. Its alignment stays as it is: Word reads ``left`` as the start of a
    right-to-left line, so adding ``right`` would flip it to the left."""
    if not p_pr:
        return "<w:pPr><w:bidi/></w:pPr>"
    if "<w:bidi/>" in p_pr:
        return p_pr
    rank = PPR_ORDER.index("bidi")
    for match in _CHILD.finditer(p_pr, len("<w:pPr>")):
        name = match.group(1)
        if name in PPR_ORDER and PPR_ORDER.index(name) > rank:
            return p_pr[:match.start()] + "<w:bidi/>" + p_pr[match.start():]
    return p_pr.replace("</w:pPr>", "<w:bidi/></w:pPr>")


def ppr(parts: dict[str, str]) -> str:
    """A ``w:pPr`` from children keyed by local name, in schema order."""
    if not parts:
        return ""
    return "<w:pPr>" + "".join(parts[k] for k in PPR_ORDER if k in parts) + "</w:pPr>"


def field_runs(instruction: str, placeholder: str, run_props: str) -> str:
    """A complex field (``PAGE``, ``NUMPAGES``) as begin / instrText / separate / end runs."""
    return (f'<w:r>{run_props}<w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r>{run_props}<w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>'
            f'<w:r>{run_props}<w:fldChar w:fldCharType="separate"/></w:r>'
            f"<w:r>{run_props}<w:t>{placeholder}</w:t></w:r>"
            f'<w:r>{run_props}<w:fldChar w:fldCharType="end"/></w:r>')


# Word's "Mark as decorative": a picture with no alternative text carries no meaning.
DECORATIVE = ('<a:extLst xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
              '<a:ext uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}">'
              '<adec:decorative xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/'
              'decorative" val="1"/></a:ext></a:extLst>')


def inline_image(rid: str, shape_id: int, name: str, alt: str, cx: int, cy: int,
                 kind: str = "Picture") -> str:
    """A ``w:drawing`` holding one inline picture of ``cx`` x ``cy`` EMU (marked
    decorative when ``alt`` is empty), named ``kind`` and its number in Word's selection
    pane (a chart's is "Chart 3")."""
    return (
        f'<w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:docPr id="{shape_id}" name="{kind} {shape_id}" descr="{attr(alt)}"'
        f'{">" + DECORATIVE + "</wp:docPr>" if not alt.strip() else "/>"}'
        f'<wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a="{A_NS}" noChangeAspect="1"/>'
        f'</wp:cNvGraphicFramePr><a:graphic xmlns:a="{A_NS}">'
        f'<a:graphicData uri="{PIC_NS}"><pic:pic xmlns:pic="{PIC_NS}">'
        f'<pic:nvPicPr><pic:cNvPr id="{shape_id}" name="{attr(name)}" descr="{attr(alt)}"/>'
        f"<pic:cNvPicPr/></pic:nvPicPr>"
        f'<pic:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch>'
        f'</pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/>'
        f'</a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>'
        f"</a:graphicData></a:graphic></wp:inline></w:drawing>")


V_NS = "urn:schemas-microsoft-com:vml"
O_NS = "urn:schemas-microsoft-com:office:office"
# Word's own text watermark shape type (WordArt "plain text", o:spt 136), as Word writes it.
_TEXT_SHAPE_TYPE = (
    '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
    'path="m@7,l@8,m@5,21600l@6,21600e"><v:formulas><v:f eqn="sum #0 0 10800"/>'
    '<v:f eqn="prod #0 2 1"/><v:f eqn="sum 21600 0 @1"/><v:f eqn="sum 0 0 @2"/>'
    '<v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/><v:f eqn="if @0 21600 @1"/>'
    '<v:f eqn="if @0 0 @2"/><v:f eqn="if @0 @4 21600"/><v:f eqn="mid @5 @6"/>'
    '<v:f eqn="mid @8 @5"/><v:f eqn="mid @7 @8"/><v:f eqn="mid @6 @7"/>'
    '<v:f eqn="sum @6 0 @5"/></v:formulas><v:path textpathok="t" o:connecttype="custom" '
    'o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" o:connectangles="270,180,90,0"/>'
    '<v:textpath on="t" fitshape="t"/><v:handles><v:h position="#0,bottomRight" '
    'xrange="6629,14971"/></v:handles><o:lock v:ext="edit" text="t" shapetype="t"/>'
    "</v:shapetype>")


def watermark_xml(text_: str, family: str, colour: str, opacity: float, angle: float,
                  width_pt: float, height_pt: float, number: int) -> str:
    """A header paragraph holding a text watermark as Word makes one (a VML WordArt
    shape behind the text, centred on the page, so it shows on every page that uses
    this header). ``angle`` is counter-clockwise, in degrees."""
    rotation = round((360 - angle) % 360, 2)
    style = (f"position:absolute;margin-left:0;margin-top:0;width:{width_pt:.2f}pt;"
             f"height:{height_pt:.2f}pt;rotation:{rotation:g};z-index:-251657216;"
             "mso-position-horizontal:center;mso-position-horizontal-relative:page;"
             "mso-position-vertical:center;mso-position-vertical-relative:page")
    font = attr(f'font-family:"{family}";font-size:1pt;font-weight:bold')
    return (f'<w:p><w:pPr><w:spacing w:before="0" w:after="0"/></w:pPr><w:r><w:rPr>'
            f'<w:noProof/></w:rPr><w:pict xmlns:v="{V_NS}" xmlns:o="{O_NS}">'
            f"{_TEXT_SHAPE_TYPE}"
            f'<v:shape id="PowerPlusWaterMarkObject{number}" o:spid="_x0000_s{2048 + number}" '
            f'type="#_x0000_t136" style="{style}" o:allowincell="f" '
            f'fillcolor="{attr(colour)}" stroked="f"><v:fill opacity="{opacity:g}"/>'
            f'<v:textpath style="{font}" string="{attr(text_)}"/></v:shape></w:pict></w:r></w:p>')
