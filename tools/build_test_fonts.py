"""Build the Noto Serif faces the theme tests use, into ``tests/fonts``.

A test theme sets its text in a serif font from PyPI, as a ministry's own theme would:
``fontpkg-noto-serif`` ships only variable fonts, so this instances regular and bold
(as ``tools/build_fonts.py`` does for Noto Sans), cut to Basic Latin, Latin-1 and
general punctuation to keep the repository small. Run ``pip install fontpkg-noto-serif
fonttools`` and then ``python tools/build_test_fonts.py``; the output is deterministic.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import fontpkg_noto_serif
from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.varLib.instancer import instantiateVariableFont

OUT = Path(__file__).resolve().parent.parent / "tests" / "fonts"
SOURCE = Path(fontpkg_noto_serif.__file__).parent / "files" / "NotoSerif[wdth,wght].ttf"
INSTANCES = {"NotoSerif-Regular.ttf": 400, "NotoSerif-Bold.ttf": 700}


def wanted(codepoint: int) -> bool:
    """Basic Latin, Latin-1, Latin Extended-A, general punctuation and currency signs."""
    return 0x20 <= codepoint < 0x180 or 0x2000 <= codepoint < 0x20C0


def build(target: str, weight: int) -> None:
    font = TTFont(SOURCE)
    options = subset.Options()
    options.layout_features = ["kern", "liga", "mark", "mkmk"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[c for c in font.getBestCmap() if wanted(c)])
    subsetter.subset(font)
    static = instantiateVariableFont(font, {"wght": weight, "wdth": 100}, updateFontNames=True)
    static.recalcTimestamp = False  # keep the source's dates: the same bytes every run
    buffer = io.BytesIO()
    static.save(buffer)
    (OUT / target).write_bytes(buffer.getvalue())
    print(f"{target}: {len(buffer.getvalue()) // 1024} KiB", file=sys.stderr)


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for target, weight in INSTANCES.items():
        build(target, weight)
    (OUT / "OFL.txt").write_bytes((SOURCE.parent.parent / "LICENSE").read_bytes())


if __name__ == "__main__":
    main()
