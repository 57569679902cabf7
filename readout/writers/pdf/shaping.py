"""PDF writer: complex scripts shaped with HarfBuzz, and still searchable.

reportlab shapes a paragraph whose style says ``shaping=1`` (with uharfbuzz), but
gives each ligature glyph a private-use code, so the text a reader copies or searches
comes back as private-use characters, and it shapes a whole word with the font of its
first fragment. This module replaces its ``shapeFragWord`` (`shape_frag_word`):

* each run of one font in a word is shaped with that font;
* each HarfBuzz cluster's source text is split over the cluster's glyphs in drawing
  order (the i-matra of "सि" is drawn first, so it carries "स" and the consonant "ि");
* each (glyph, text piece, advance) gets a code of its own, whose ToUnicode entry is
  the piece (several characters when needed) and whose width is the HarfBuzz advance
  (plus a mark's negative offset, so the pen comes back where HarfBuzz puts it);
* the embedded subset gives a code whose width is not its glyph's advance a copy of
  the glyph with that advance (`subset_with_widths`), so the font program and the
  /Widths agree (PDF/A-2, ISO 19005-2 6.2.11.5); with the glyph's own advance as its
  width, pdftotext would read a space into a word where HarfBuzz kerns.

pdftotext, pdfplumber, pypdf and pdfium then read back exactly the source text. The
writer turns shaping on only for paragraphs that need it (`needs_shaping`): an English
document never pays for it.
"""

from __future__ import annotations

import copy
import re
import threading
from collections import ChainMap
from typing import Any

import uharfbuzz
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.pdfgen import textobject
from reportlab.platypus import paragraph as rl_paragraph

from .memo import remember

# Scripts HarfBuzz must shape: Hebrew, Arabic, Syriac, Thaana, NKo, the Indic scripts,
# Sinhala, Thai, Lao, Tibetan, Myanmar, Khmer, Mongolian, Vedic extensions, Devanagari
# Extended, Arabic presentation forms.
_COMPLEX = ((0x0590, 0x0900), (0x0900, 0x0E00), (0x0E00, 0x1100), (0x1780, 0x18B0),
            (0x1CD0, 0x1D00), (0xA8E0, 0xA900), (0xFB1D, 0xFE00), (0xFE70, 0xFF00))
_TINY_MARK_SHIFT = 150  # font units (of 1000): a mark's rightward nudge dropped
_LOCK = threading.Lock()
# Private-use planes 15 and 16: internal keys of shaped glyphs, never in the output.
_PRIVATE = iter(range(0xF0000, 0x10FFFE))
_KEYS: dict[tuple[str, int, str, float], int] = {}
_PIECES: dict[int, str] = {}


_NEEDS_SHAPING = re.compile("[" + "".join(f"\\u{low:04x}-\\u{high - 1:04x}"
                                            for low, high in _COMPLEX) + "]")
_MEMO: dict[tuple[str, str], list[tuple[int, str, Any]]] = {}
_MEMO_SIZE = 50_000


def needs_shaping(text: str) -> bool:
    """Whether ``text`` holds a character of a script that must be shaped."""
    return _NEEDS_SHAPING.search(text) is not None


def source_text(drawn: str) -> str:
    """The characters a shaped string stands for (its glyphs' pieces, in drawing order)."""
    return "".join(_PIECES.get(ord(char), char) for char in drawn)


def _code_for(ttf: Any, gid: int, piece: str, width: float) -> str:
    """The private character that draws glyph ``gid`` of ``ttf`` with ``width``
    and reads back as ``piece``."""
    key = (ttf.fontName, gid, piece, width)
    code = _KEYS.get(key)
    if code is None:
        with _LOCK:
            code = _KEYS.get(key)
            if code is None:
                code = next(_PRIVATE)
                face = ttf.face
                face.charToGlyph[code] = gid
                face.charWidths[code] = width
                _PIECES[code] = piece
                _KEYS[key] = code
    return chr(code)


def _pieces(text: str, count: int) -> list[str]:
    """``text`` split over ``count`` glyphs: one character each, the rest on the last."""
    if count <= 1 or not text:
        return [text] + [""] * (count - 1)
    if len(text) <= count:
        return list(text) + [""] * (count - len(text))
    return [*text[:count - 1], text[count - 1:]]


def _shape_run(ttf: Any, size: float, text: str, features: dict[str, bool]
               ) -> list[tuple[int, str, Any]]:
    """HarfBuzz glyphs of ``text`` in ``ttf``: (first character index, private
    character, ShapeData) each, in drawing order. Positions are in font units, so a
    word is shaped once per font and process (a paragraph is wrapped several times)."""
    if not text:
        return []
    key = (ttf.fontName, text)
    found = _MEMO.get(key)
    if found is None:
        found = remember(_MEMO, key, _shape(ttf, text, features), _MEMO_SIZE)
    return found


def _shape(ttf: Any, text: str, features: dict[str, bool]) -> list[tuple[int, str, Any]]:
    hb_font = _hb_font(ttf)
    buf = uharfbuzz.Buffer()
    buf.cluster_level = uharfbuzz.BufferClusterLevel.MONOTONE_CHARACTERS
    buf.add_str(text)
    buf.guess_segment_properties()
    rtl = buf.direction == "rtl"
    uharfbuzz.shape(hb_font, buf, features)
    glyphs = list(zip(buf.glyph_infos, buf.glyph_positions or [], strict=True))
    starts = sorted({info.cluster for info, _ in glyphs})
    ends = {start: (starts[i + 1] if i + 1 < len(starts) else len(text))
            for i, start in enumerate(starts)}
    members: dict[int, list[int]] = {}
    for index, (info, _) in enumerate(glyphs):
        members.setdefault(info.cluster, []).append(index)
    texts: dict[int, str] = {}
    for cluster, indexes in members.items():
        order = indexes[::-1] if rtl else indexes
        for at, piece in zip(order, _pieces(text[cluster:ends[cluster]], len(order)),
                             strict=True):
            texts[at] = piece
    out: list[tuple[int, str, Any]] = []
    scale = ttf.pdfScale
    for index, (info, pos) in enumerate(glyphs):
        advance, x_offset = scale(pos.x_advance), scale(pos.x_offset)
        if advance == 0 and 0 < x_offset <= _TINY_MARK_SHIFT:
            x_offset = 0
        width = advance - min(x_offset, 0)
        char = _code_for(ttf, info.codepoint, texts[index], width)
        data = ttfonts.ShapeData(info.cluster, advance, scale(pos.y_advance), x_offset,
                                 scale(pos.y_offset), width)
        out.append((info.cluster, char, data))
    return out


def _hb_font(ttf: Any) -> Any:
    font = _FONTS.get(ttf.fontName)
    if font is None:
        font = _FONTS[ttf.fontName] = uharfbuzz.Font(ttf.hbFace)
    return font


_FONTS: dict[str, Any] = {}


def shape_frag_word(w: Any, features: dict[str, bool] | None = None,
                    force: bool = False) -> Any:
    """A shaped copy of reportlab's frag word ``w`` ([width, (frag, text)...]); each
    run of one font is shaped with that font. ``w`` itself when nothing is shapable."""
    if isinstance(w, ttfonts.ShapedFragWord):
        return w
    if features is None and len(w) == 2:  # one piece (most words): a shorter key
        frag, text = w[1]
        if not hasattr(frag, "cbDefn"):
            key: tuple[Any, ...] = (getattr(frag, "fontName", None),
                                    getattr(frag, "fontSize", None), str(text))
            plan = _SINGLE.get(key)
            if plan is None:
                plan = remember(_SINGLE, key, _plan([[(frag, text)]], w[1:], _FEATURES),
                                _WORDS_MAX)
            new = ttfonts.makeShapedFragWord(w)([plan[0]])
            new.extend([(frag, shaped) for _, shaped in plan[1]])
            return new
    features = features or _FEATURES
    entries = w[1:]
    specials = [(i, e) for i, e in enumerate(entries) if hasattr(e[0], "cbDefn")]
    runs: list[list[tuple[Any, str]]] = []
    for frag, text in entries:
        if hasattr(frag, "cbDefn"):
            continue
        if runs and runs[-1][0][0].fontName == frag.fontName \
                and runs[-1][0][0].fontSize == frag.fontSize:
            runs[-1].append((frag, text))
        else:
            runs.append([(frag, text)])
    if not runs:
        return w
    key = _word_key(entries, features)
    plan = _WORDS.get(key)
    if plan is None:
        plan = remember(_WORDS, key, _plan(runs, entries, features), _WORDS_MAX)
    total, pieces = plan
    new = ttfonts.makeShapedFragWord(w)([])
    for index, shaped in pieces:
        new.append((entries[index][0], shaped))
    for index, special in specials:  # zero-width callbacks (link anchors) keep their place
        new.insert(min(index, len(new)), special)
    new.insert(0, total)
    return new


# A word's width and its pieces: (index of their fragment in the word, the text drawn,
# a ShapedStr where it was shaped). The pieces are handed out again and again; nothing
# changes a ShapedStr or its shape data in place (reportlab's "+" makes new ones).
Plan = tuple[float, tuple[tuple[int, str], ...]]
_WORDS: dict[tuple[Any, ...], Plan] = {}
_SINGLE: dict[tuple[Any, ...], Plan] = {}  # words of one piece, in the default features
_WORDS_MAX = 20_000
_FEATURES = {"kern": True, "liga": True}


def _word_key(entries: list[Any], features: dict[str, bool]) -> tuple[Any, ...]:
    """What a word's shaping depends on: each piece's font, size and text, which pieces
    share one fragment, where the callbacks are, and the features."""
    frags = [frag for frag, _ in entries]
    return (tuple((getattr(frag, "fontName", None), getattr(frag, "fontSize", None),
                   str(text), hasattr(frag, "cbDefn"),
                   next(j for j, other in enumerate(frags) if other is frag))
                  for frag, text in entries), tuple(features.items()))


def _plan(runs: list[list[tuple[Any, str]]], entries: list[Any], features: dict[str, bool]
          ) -> Plan:
    """A word's shaped pieces as (index of their fragment in ``entries``, its text: a
    ShapedStr where it was shaped), and its width: made once per distinct word
    (a paragraph is wrapped at several widths, and words recur across documents)."""
    index_of = {id(frag): j for j, (frag, _) in reversed(list(enumerate(entries)))}
    pieces: list[tuple[int, str]] = []
    total = 0.0
    for run in runs:
        frag0 = run[0][0]
        ttf = pdfmetrics.getFont(frag0.fontName)
        text = "".join(str(piece) for _, piece in run)
        if not text or not getattr(ttf, "_dynamicFont", False) or not ttf.shapable:
            for frag, text in run:
                pieces.append((index_of[id(frag)], text))
                total += pdfmetrics.stringWidth(text, frag.fontName, frag.fontSize)
            continue
        owners: list[Any] = []
        for frag, piece in run:
            owners.extend([frag] * len(piece))
        current, chars, data = None, "", []
        for cluster, char, shape in _shape_run(ttf, frag0.fontSize, text, features):
            owner = owners[min(cluster, len(owners) - 1)]
            if owner is not current and current is not None:
                pieces.append((index_of[id(current)], ttfonts.ShapedStr(chars, shapeData=data)))
                chars, data = "", []
            current = owner
            chars += char
            data.append(shape)
            total += shape.x_advance * frag0.fontSize / 1000
        if current is not None:
            pieces.append((index_of[id(current)], ttfonts.ShapedStr(chars, shapeData=data)))
    return total, tuple(pieces)


_CMAPS: dict[tuple[str, tuple[int, ...]], str] = {}
_CMAPS_MAX = 1024


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """The ToUnicode CMap of a subset: shaped glyphs read back as their text pieces,
    characters beyond the BMP as UTF-16 pairs (reportlab writes "<1F600>"). Made once
    a process for each subset (a code's piece never changes once given)."""
    key = (fontname, tuple(subset))
    found = _CMAPS.get(key)
    if found is None:
        found = remember(_CMAPS, key, _make_cmap(fontname, subset), _CMAPS_MAX)
    return found


def _make_cmap(fontname: str, subset: list[int]) -> str:
    def utf16(text: str) -> str:
        return text.encode("utf-16-be", "surrogatepass").hex().upper()

    entries = [f"<{index:02X}> <{utf16(_PIECES.get(code, chr(code)))}>"
               for index, code in enumerate(subset)]
    lines = [
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
        "/CIDSystemInfo", f"<< /Registry ({fontname})", f"/Ordering ({fontname})",
        "/Supplement 0", ">> def", f"/CMapName /{fontname} def", "/CMapType 2 def",
        "1 begincodespacerange", f"<00> <{len(subset) - 1:02X}>", "endcodespacerange",
        f"{len(entries)} beginbfchar", *entries,
        "endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end",
    ]
    return "\n".join(lines)


def _set_rise(self: Any, rise: float) -> None:
    """reportlab's ``PDFTextObject.setRise`` without its two bugs: it read the last
    operator of an empty list (a crash on a mark with a y-offset, as in Arabic) and,
    replacing a previous rise, forgot the new one (glyphs drawn off the baseline)."""
    operator = f"{fp_str(rise)} Ts"
    if self._code and self._code[-1].endswith(" Ts"):
        self._y += self._rise
        self._code[-1] = operator
    else:
        self._code.append(operator)
    self._rise = rise
    self._y -= rise


def subset_with_widths(face: Any, subset: list[int]) -> bytes:
    """reportlab's subset of ``face`` for the codes ``subset``, where a shaped glyph
    drawn with a width other than its advance is a glyph of its own with that advance.

    Each such glyph is given to reportlab's subset maker as one more glyph of the font
    (a copy of the glyph's data and metrics, with the advance changed), on a shallow
    copy of the face, so the face itself is never changed."""
    twins: dict[int, tuple[int, int]] = {}  # code: (glyph, advance in font units)
    for code in subset:
        if code in _PIECES:
            glyph = face.charToGlyph.get(code, 0)
            wanted = round(face.charWidths.get(code, face.defaultWidth)
                           * face.unitsPerEm / 1000)
            if wanted != int(face.hmetrics[glyph][0]):
                twins[code] = (glyph, max(wanted, 0))
    if not twins:
        return _MAKE_SUBSET(face, subset)  # type: ignore[no-any-return]
    proxy = copy.copy(face)
    positions, metrics, glyphs = list(face.glyphPos), list(face.hmetrics), {}
    metrics += [(0, 0)] * (len(positions) - len(metrics))
    for code, (glyph, advance) in twins.items():
        glyphs[code] = len(positions)  # its data: from its start to its end
        positions += [face.glyphPos[glyph], face.glyphPos[glyph + 1]]
        metrics += [(advance, face.hmetrics[glyph][1]), (0, 0)]
    proxy.glyphPos, proxy.hmetrics = positions, metrics
    proxy.charToGlyph = ChainMap(glyphs, face.charToGlyph)
    return _MAKE_SUBSET(proxy, subset)  # type: ignore[no-any-return]


_MAKE_SUBSET = ttfonts.TTFontFile.makeSubset


def install() -> None:
    """Put `shape_frag_word`, the ToUnicode writer, a sound ``setRise`` and the subset
    maker in place of reportlab's own."""
    ttfonts.TTFontFile.makeSubset = subset_with_widths
    textobject.PDFTextObject.setRise = _set_rise
    ttfonts.makeToUnicodeCMap = _to_unicode_cmap
    ttfonts.shapeFragWord = shape_frag_word
    rl_paragraph.shapeFragWord = shape_frag_word  # imported there by name
    rl_canvas.shapeFragWord = shape_frag_word


install()
