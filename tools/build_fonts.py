"""Build the static fonts that ship in ``readout/fonts`` from the Noto Sans wheel.

reportlab cannot use variable fonts and python-docx only names fonts, so the default
theme ships four static instances of Noto Sans (regular, bold, italic, bold italic),
cut to Latin, Greek, Cyrillic and common punctuation. Instancing a variable font takes
seconds, far too slow to do at render time, so it happens here, once, and the result
is committed. Run ``pip install fontpkg-noto-sans fonttools`` and then
``python tools/build_fonts.py``; the output is deterministic.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import fontpkg_noto_sans
from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.varLib.instancer import instantiateVariableFont

OUT = Path(__file__).resolve().parent.parent / "readout" / "fonts"
SOURCE = Path(fontpkg_noto_sans.__file__).parent / "files"
INSTANCES = {
    "NotoSans-Regular.ttf": ("NotoSans[wdth,wght].ttf", 400),
    "NotoSans-Bold.ttf": ("NotoSans[wdth,wght].ttf", 700),
    "NotoSans-Italic.ttf": ("NotoSans-Italic[wdth,wght].ttf", 400),
    "NotoSans-BoldItalic.ttf": ("NotoSans-Italic[wdth,wght].ttf", 700),
}


def wanted(codepoint: int) -> bool:
    """Latin, Greek, Cyrillic, general punctuation, currency and letterlike symbols."""
    return (
        codepoint < 0x0900
        or 0x1D00 <= codepoint < 0x2C00
        or 0x2DE0 <= codepoint < 0x2E80
        or 0xA640 <= codepoint < 0xA800
        or 0xFB00 <= codepoint < 0xFB07
        or codepoint == 0xFFFD
    )


def build(target: str, source: str, weight: int) -> None:
    font = TTFont(SOURCE / source)
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[c for c in font.getBestCmap() if wanted(c)])
    subsetter.subset(font)
    static = instantiateVariableFont(font, {"wght": weight, "wdth": 100}, updateFontNames=True)
    buffer = io.BytesIO()
    static.save(buffer)
    (OUT / target).write_bytes(buffer.getvalue())
    print(f"{target}: {len(buffer.getvalue()) // 1024} KiB", file=sys.stderr)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for target, (source, weight) in INSTANCES.items():
        build(target, source, weight)
    (OUT / "OFL.txt").write_text((SOURCE.parent / "LICENSE").read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
