"""Font chains: the character map read straight from a font is fontTools' own."""

from __future__ import annotations

from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from readout.fontchain import _read_cmap
from readout.themes import FONT_DIR

FONTS = sorted([*Path(str(FONT_DIR)).glob("*.ttf"),
                *(Path(__file__).parent / "fonts").glob("*.ttf")])


@pytest.mark.parametrize("path", FONTS, ids=lambda p: p.name)
def test_the_character_map_is_read_as_fonttools_reads_it(path: Path) -> None:
    with TTFont(str(path), lazy=True, fontNumber=0) as font:
        expected = frozenset(font.getBestCmap() or {})
    assert _read_cmap(str(path)) == expected
