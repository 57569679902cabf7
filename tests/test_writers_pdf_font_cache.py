"""The parsed-font cache: a font loaded from it is the font reportlab parses, the PDFs
made with it are byte-identical, and an entry that is damaged or planted is parsed over,
never run."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from reportlab.pdfbase.ttfonts import TTFont

from readout.cache_folder import CACHE_VARIABLE
from readout.themes import FONT_DIR
from readout.writers.pdf import font_cache
from readout.writers.pdf.accel import FastTTFont

from .conftest import SEED

FONTS = sorted(str(path) for path in Path(FONT_DIR).glob("*.ttf"))
REGULAR = str(Path(FONT_DIR) / "NotoSans-Regular.ttf")


def _same_font(cached: TTFont, parsed: TTFont) -> None:
    ours = {k: v for k, v in vars(cached).items() if k not in ("face", "encoding", "state")}
    theirs = {k: v for k, v in vars(parsed).items() if k not in ("face", "encoding", "state")}
    assert ours == theirs
    assert vars(cached.encoding) == vars(parsed.encoding)
    assert cached.face.glyphToChar == parsed.face.glyphToChar  # worked out, if from the cache
    face = {k: v for k, v in vars(cached.face).items() if k != "_glyph_source"}
    fresh = vars(parsed.face)
    assert face.keys() == fresh.keys()
    for key in face.keys() - {"_pdfScale"}:
        assert face[key] == fresh[key], key
        assert type(face[key]) is type(fresh[key]), key
    widths = [0, 1, 517, 1000, 2048, 4096]
    assert ([cached.face._pdfScale(w) for w in widths]
            == [parsed.face._pdfScale(w) for w in widths])


def _entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("fonts-*/*.pickle"))


@pytest.mark.parametrize("kind", [TTFont, FastTTFont])
@pytest.mark.parametrize("path", FONTS, ids=lambda p: Path(p).name)
def test_a_font_from_the_cache_is_the_font_reportlab_parses(cache: Path, path: str,
                                                            kind: type[TTFont]) -> None:
    first = font_cache.load_font("rd-test", path, kind)  # parsed, and kept
    assert len(_entries(cache)) == 1
    again = font_cache.load_font("rd-test", path, kind)  # from the cache
    parsed = kind("rd-test", path)
    assert type(first) is type(again) is kind
    _same_font(first, parsed)
    _same_font(again, parsed)


def test_a_cached_faces_glyph_map_is_the_one_of_the_map_as_loaded(cache: Path) -> None:
    font_cache.load_font("rd-test", REGULAR)
    cached = font_cache.load_font("rd-test", REGULAR)
    assert "glyphToChar" not in vars(cached.face)  # not unpickled: worked out when asked
    parsed = TTFont("rd-test", REGULAR)
    assert parsed.face.glyphToChar[98] == [160] and parsed.face.glyphToChar[3] == [32]
    private = max(parsed.face.charToGlyph) + 1
    for face in (cached.face, parsed.face):  # as shaping adds a character before asking
        face.charToGlyph[private] = 7
    assert cached.face.glyphToChar == parsed.face.glyphToChar
    assert private not in cached.face.glyphToChar.get(7, [])


def test_a_font_edited_in_place_is_parsed_again(cache: Path, tmp_path: Path) -> None:
    copy = tmp_path / "font.ttf"
    copy.write_bytes(Path(REGULAR).read_bytes())
    font_cache.load_font("rd-test", str(copy))
    copy.write_bytes(Path(FONT_DIR, "NotoSans-Bold.ttf").read_bytes())
    os.utime(copy, ns=(1, 1))
    _same_font(font_cache.load_font("rd-test", str(copy)), TTFont("rd-test", str(copy)))
    assert len(_entries(cache)) == 2


class _Planted:
    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (print, ("planted code ran",))


@pytest.mark.parametrize("content", [b"not a pickle", pickle.dumps({"unitsPerEm": _Planted()}),
                                     pickle.dumps(["a list"])],
                         ids=["damaged", "planted", "not-a-font"])
def test_an_entry_that_is_not_font_data_is_parsed_over(
        cache: Path, content: bytes, capsys: pytest.CaptureFixture[str]) -> None:
    font_cache.load_font("rd-test", REGULAR)
    (entry,) = _entries(cache)
    entry.write_bytes(content)
    _same_font(font_cache.load_font("rd-test", REGULAR), TTFont("rd-test", REGULAR))
    assert "planted" not in capsys.readouterr().out
    assert entry.read_bytes() != content  # rewritten whole
    _same_font(font_cache.load_font("rd-test", REGULAR), TTFont("rd-test", REGULAR))


def test_the_cache_off_parses_and_writes_nothing(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_VARIABLE, "")
    _same_font(font_cache.load_font("rd-test", REGULAR), TTFont("rd-test", REGULAR))
    assert not list(tmp_path.iterdir())


def test_fresh_processes_make_the_same_pdf_with_the_cache_cold_warm_and_off(
        tmp_path: Path) -> None:
    made = {}
    for run, folder in (("cold", tmp_path / "cache"), ("warm", tmp_path / "cache"),
                        ("off", None)):
        out = tmp_path / f"{run}.pdf"
        env = dict(os.environ, **{CACHE_VARIABLE: str(folder) if folder else ""})
        subprocess.run([sys.executable, "-m", "readout", "render", str(SEED), "-f", "pdf",
                        "-t", "press-release", "-o", str(out)], check=True, env=env,
                       capture_output=True)
        made[run] = out.read_bytes()
        if run == "cold":
            assert _entries(tmp_path / "cache"), "the cold run kept no font"
    assert made["cold"] == made["warm"] == made["off"]
