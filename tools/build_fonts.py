"""Build the static fonts that ship in ``readout/fonts`` from the Noto wheels on PyPI.

reportlab cannot use variable fonts and python-docx only names fonts, so the default
theme ships static instances (instancing a variable font takes seconds, far too slow
to do at render time; here it happens once and the result is committed):

* Noto Sans, four faces: Latin, Greek, Cyrillic and Devanagari (one family, so a Hindi
  sentence with Latin digits and punctuation stays one shaped run);
* Noto Sans Arabic, regular and bold: Arabic script for Arabic, Persian and Urdu
  (Arabic has no italic: the theme names the upright faces for the slanted slots);
* Noto Sans SC, regular and bold: every Han character of GB 2312 (the 6,763 of everyday
  Simplified Chinese), CJK punctuation and full-width forms. The whole font would be
  17 MB a face; this cut is 2 MB. A character outside it is a located error, never a box.

Run ``pip install fontpkg-noto-sans fontpkg-noto-sans-arabic justmytype-intl-cjk
fonttools`` and then ``python tools/build_fonts.py``; the output is deterministic.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from pathlib import Path

import fontpkg_noto_sans
import fontpkg_noto_sans_arabic
import justmytype_intl_cjk
from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.varLib.instancer import instantiateVariableFont

OUT = Path(__file__).resolve().parent.parent / "readout" / "fonts"
NOTO_SANS = Path(fontpkg_noto_sans.__file__).parent / "files"
NOTO_ARABIC = Path(fontpkg_noto_sans_arabic.__file__).parent / "files"
NOTO_SC = Path(justmytype_intl_cjk.__file__).parent / "fonts" / "ofl" / "notosanssc"


def latin_greek_cyrillic_devanagari(codepoint: int) -> bool:
    """Latin, Greek, Cyrillic, Devanagari, punctuation, currency and letterlike symbols."""
    return (
        codepoint < 0x0980
        or 0x1CD0 <= codepoint < 0x2C00
        or 0x2DE0 <= codepoint < 0x2E80
        or 0xA640 <= codepoint < 0xA800
        or 0xA8E0 <= codepoint < 0xA900
        or 0xFB00 <= codepoint < 0xFB07
        or codepoint == 0xFFFD
    )


def arabic(codepoint: int) -> bool:
    """The Arabic blocks and presentation forms, the joiners shaping needs, and the
    digits, spaces and punctuation of ASCII and General Punctuation (so the brackets and
    numbers of an Arabic phrase stay in its font and its shaped run)."""
    return (
        (codepoint < 0x80 and not chr(codepoint).isalpha())
        or codepoint == 0xA0
        or 0x2000 <= codepoint < 0x2070
        or 0x0600 <= codepoint < 0x0780
        or 0x0870 <= codepoint < 0x0900
        or 0xFB50 <= codepoint < 0xFE00
        or 0xFE70 <= codepoint < 0xFF00
        or codepoint == 0x25CC
    )


def _gb2312(codepoint: int) -> bool:
    try:
        chr(codepoint).encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def chinese(codepoint: int) -> bool:
    """GB 2312's Han characters, CJK symbols and punctuation, full-width forms."""
    return (
        (0x4E00 <= codepoint < 0xA000 and _gb2312(codepoint))
        or 0x3000 <= codepoint < 0x3040
        or 0xFF00 <= codepoint < 0xFFF0
        or (0x2E80 <= codepoint < 0x2F00 and _gb2312(codepoint))
    )


Build = tuple[Path, dict[str, float], Callable[[int], bool]]
FACES: dict[str, Build] = {
    "NotoSans-Regular.ttf": (NOTO_SANS / "NotoSans[wdth,wght].ttf", {"wght": 400, "wdth": 100},
                             latin_greek_cyrillic_devanagari),
    "NotoSans-Bold.ttf": (NOTO_SANS / "NotoSans[wdth,wght].ttf", {"wght": 700, "wdth": 100},
                          latin_greek_cyrillic_devanagari),
    "NotoSans-Italic.ttf": (NOTO_SANS / "NotoSans-Italic[wdth,wght].ttf",
                            {"wght": 400, "wdth": 100}, latin_greek_cyrillic_devanagari),
    "NotoSans-BoldItalic.ttf": (NOTO_SANS / "NotoSans-Italic[wdth,wght].ttf",
                                {"wght": 700, "wdth": 100}, latin_greek_cyrillic_devanagari),
    "NotoSansArabic-Regular.ttf": (NOTO_ARABIC / "NotoSansArabic[wdth,wght].ttf",
                                   {"wght": 400, "wdth": 100}, arabic),
    "NotoSansArabic-Bold.ttf": (NOTO_ARABIC / "NotoSansArabic[wdth,wght].ttf",
                                {"wght": 700, "wdth": 100}, arabic),
    "NotoSansSC-Regular.ttf": (NOTO_SC / "NotoSansSC[wght].ttf", {"wght": 400}, chinese),
    "NotoSansSC-Bold.ttf": (NOTO_SC / "NotoSansSC[wght].ttf", {"wght": 700}, chinese),
}


# Characters whose glyph the font splits in two (GSUB multiple substitution) though it
# has a whole one: Devanagari ई and ऐ (इ plus a mark). Kept whole, so each character is
# one glyph and a PDF reader gets the character back without an empty glyph beside it.
KEPT_WHOLE = (0x0908, 0x0910)


def keep_whole(font: TTFont, codepoints: tuple[int, ...]) -> None:
    """Drop the multiple substitutions that split the glyphs of ``codepoints``."""
    if "GSUB" not in font:
        return
    cmap = font.getBestCmap()
    names = {cmap[c] for c in codepoints if c in cmap}
    for lookup in font["GSUB"].table.LookupList.Lookup:
        for table in lookup.SubTable:
            inner = table.ExtSubTable if lookup.LookupType == 7 else table
            if getattr(inner, "LookupType", lookup.LookupType) == 2:
                for name in names & set(inner.mapping):
                    del inner.mapping[name]


def match_vertical_metrics(font: TTFont, main: TTFont) -> None:
    """Give a fallback font the ascent and descent of the chain's main font, as font
    fallback does: a Chinese or Arabic word inside a Latin line then sits in the same
    line box, and PDF readers do not cut "(董军)" into three words."""
    for table, keys in (("hhea", ("ascent", "descent", "lineGap")),
                        ("OS/2", ("sTypoAscender", "sTypoDescender", "sTypoLineGap",
                                  "usWinAscent", "usWinDescent"))):
        for key in keys:
            setattr(font[table], key, getattr(main[table], key))


def build(target: str, source: Path, axes: dict[str, float],
          wanted: Callable[[int], bool]) -> None:
    font = TTFont(source)
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[c for c in font.getBestCmap() if wanted(c)])
    subsetter.subset(font)
    static = instantiateVariableFont(font, axes, updateFontNames=True)
    keep_whole(static, KEPT_WHOLE)
    if not target.startswith("NotoSans-"):
        match_vertical_metrics(static, TTFont(OUT / "NotoSans-Regular.ttf"))
    buffer = io.BytesIO()
    static.save(buffer)
    (OUT / target).write_bytes(buffer.getvalue())
    print(f"{target}: {len(buffer.getvalue()) // 1024} KiB", file=sys.stderr)


def main() -> None:
    """Build every face (the Noto Sans ones first: the others take their metrics), or
    only the files named on the command line."""
    OUT.mkdir(parents=True, exist_ok=True)
    wanted = sys.argv[1:]
    for target, (source, axes, keep) in FACES.items():
        if not wanted or target in wanted:
            build(target, source, axes, keep)
    (OUT / "OFL.txt").write_text((NOTO_SANS.parent / "LICENSE").read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
