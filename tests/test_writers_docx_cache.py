"""The DOCX writer's cross-process cache: a styled base, a font parse, a compressed
styles part and a cut face read back are what building, parsing and cutting give, the
DOCX is byte-identical with the cache cold, warm and off, and an entry that is damaged or
planted is built over, never run."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from readout.cache_folder import CACHE_VARIABLE
from readout.themes import FONT_DIR, load_theme
from readout.writers.docx import base, cache, document, fonts, package, subset

from .conftest import SEED

REGULAR = Path(FONT_DIR) / "NotoSans-Regular.ttf"


class _Planted:
    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (print, ("PLANTED CODE RAN",))


PLANTED = [b"not a pickle", pickle.dumps(_Planted()), pickle.dumps({"key": "x"}),
           pickle.dumps(("a", "b", "c", "d"))]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path / "cache"))
    return tmp_path / "cache"


def _entries(folder: Path, kind: str) -> list[Path]:
    return sorted(folder.glob(f"docx-{kind}-*/*.pickle"))



def _same_base(found: base.Base, built: base.Base) -> None:
    for field in ("entries", "custom_rels", "styles_head", "styles_tail", "lang_defaults",
                  "defaults", "overrides", "rels", "next_rid", "sect_refs", "free_part",
                  "ids", "table_ids", "char_ids", "defined", "part_names", "font_names",
                  "font_parts"):
        assert getattr(found, field) == getattr(built, field), field


def test_a_base_from_the_cache_is_the_base_built(folder: Path) -> None:
    theme = load_theme()
    built = cache.cached_base(theme, "the key", base._build)
    assert len(_entries(folder, "base")) == 1
    calls: list[object] = []
    found = cache.cached_base(theme, "the key", lambda t: calls.append(t) or base._build(t))
    assert not calls, "the kept base was built again"
    _same_base(found, built)
    assert found.theme is theme


@pytest.mark.parametrize("content", PLANTED, ids=["damaged", "planted", "partial", "other"])
def test_an_entry_that_is_not_a_base_is_built_over(
        folder: Path, content: bytes, capsys: pytest.CaptureFixture[str]) -> None:
    theme = load_theme()
    built = cache.cached_base(theme, "the key", base._build)
    (entry,) = _entries(folder, "base")
    entry.write_bytes(content)
    _same_base(cache.cached_base(theme, "the key", base._build), built)
    assert "PLANTED CODE RAN" not in capsys.readouterr().out
    assert entry.read_bytes() != content  # rewritten whole


def test_a_font_parse_from_the_cache_is_the_parse(folder: Path) -> None:
    data = REGULAR.read_bytes()
    parsed = subset._spans_and_cmap(data)
    assert cache.cached_font_parse(data, subset._spans_and_cmap) == parsed
    assert len(_entries(folder, "fonts")) == 1
    found = cache.cached_font_parse(data, lambda d: pytest.fail("parsed again"))
    assert found == parsed


@pytest.mark.parametrize("content", PLANTED, ids=["damaged", "planted", "partial", "other"])
def test_an_entry_that_is_not_a_font_parse_is_parsed_over(
        folder: Path, content: bytes, capsys: pytest.CaptureFixture[str]) -> None:
    data = REGULAR.read_bytes()
    parsed = cache.cached_font_parse(data, subset._spans_and_cmap)
    (entry,) = _entries(folder, "fonts")
    entry.write_bytes(content)
    assert cache.cached_font_parse(data, subset._spans_and_cmap) == parsed
    assert "PLANTED CODE RAN" not in capsys.readouterr().out
    assert entry.read_bytes() != content


def _cut_face() -> fonts.FacePart:
    return fonts.face_part(subset.cut(REGULAR.read_bytes(), "Qingdao 2025"))


def test_a_cut_face_from_the_cache_is_the_face_cut(folder: Path) -> None:
    made = _cut_face()
    assert cache.cached_face(REGULAR, "Qingdao 2025", (), _cut_face) == made
    assert len(_entries(folder, "faces")) == 1
    found = cache.cached_face(REGULAR, "Qingdao 2025", (), lambda: pytest.fail("cut again"))
    assert found == made
    other = cache.cached_face(REGULAR, "Qingdao", (), lambda: fonts.face_part(
        subset.cut(REGULAR.read_bytes(), "Qingdao")))
    assert other != made  # other characters, another entry
    assert len(_entries(folder, "faces")) == 2


@pytest.mark.parametrize("content", [*PLANTED, pickle.dumps(("k", "key", 1, b"", 1, "m"))],
                         ids=["damaged", "planted", "partial", "other", "another key"])
def test_an_entry_that_is_not_the_cut_face_is_cut_over(
        folder: Path, content: bytes, capsys: pytest.CaptureFixture[str]) -> None:
    made = cache.cached_face(REGULAR, "Qingdao 2025", (), _cut_face)
    (entry,) = _entries(folder, "faces")
    entry.write_bytes(content)
    assert cache.cached_face(REGULAR, "Qingdao 2025", (), _cut_face) == made
    assert "PLANTED CODE RAN" not in capsys.readouterr().out
    assert entry.read_bytes() != content


def test_compressed_styles_from_the_cache_are_the_styles_compressed(folder: Path) -> None:
    built = cache.cached_base(load_theme(), "the key", base._build)
    assert built.cache_key
    made = built.styles_entry("hi-IN")
    (entry,) = _entries(folder, "styles")
    built.styles_entries.clear()
    assert built.styles_entry("hi-IN") == made
    again = cache.cached_base(load_theme(), "the key", base._build)
    assert again.cache_key == built.cache_key
    assert cache.cached_styles(again.cache_key, "hi-IN", lambda: pytest.fail("made again")) \
        == made
    assert b'w:val="hi-IN"' in package_bytes(made)
    entry.write_bytes(pickle.dumps(_Planted()))
    assert cache.cached_styles(again.cache_key, "hi-IN", lambda: made) == made
    assert entry.read_bytes() != pickle.dumps(_Planted())


def _body_family(theme: Any) -> Any:
    return theme.fonts["body"].first


def _font_parts(doc_characters: str) -> tuple[base.Base, tuple[Any, ...], list[package.Entry]]:
    """A cached base, what a document showing ``doc_characters`` in the body family
    shows, and the font parts `document._embed` makes for it."""
    theme = load_theme()
    built = cache.cached_base(theme, "the key", base._build)
    shown = ((_body_family(theme), doc_characters, ()),)
    return built, shown, document._embed(built, shown)


def test_font_parts_from_the_cache_are_the_parts_embedded(folder: Path) -> None:
    built, shown, made = _font_parts("Qingdao 2025")
    faces = list(document._faces(shown[0][0]))
    assert cache.cached_embedding(built.cache_key, shown, faces, lambda: made) == made
    assert len(_entries(folder, "embedded")) == 1
    found = cache.cached_embedding(built.cache_key, shown, faces,
                                   lambda: pytest.fail("embedded again"))
    assert found == made and any(item.name.endswith(".odttf") for item in found)
    assert document._embedded(built, shown) == made  # the writer's way in, same key
    _, other_shown, other = _font_parts("Qingdao")
    assert cache.cached_embedding(built.cache_key, other_shown, faces, lambda: other) == other
    assert other != made and len(_entries(folder, "embedded")) == 2


@pytest.mark.parametrize("content", [*PLANTED, pickle.dumps(("k", [("a", 1, b"", 1)])),
                                     pickle.dumps(("k", [("a", "1", b"", 1)]))],
                         ids=["damaged", "planted", "partial", "other", "another key",
                              "not an entry"])
def test_an_entry_that_is_not_the_font_parts_is_embedded_over(
        folder: Path, content: bytes, capsys: pytest.CaptureFixture[str]) -> None:
    built, shown, made = _font_parts("Qingdao 2025")
    faces = list(document._faces(shown[0][0]))
    cache.cached_embedding(built.cache_key, shown, faces, lambda: made)
    (entry,) = _entries(folder, "embedded")
    entry.write_bytes(content)
    assert cache.cached_embedding(built.cache_key, shown, faces, lambda: made) == made
    assert "PLANTED CODE RAN" not in capsys.readouterr().out
    assert entry.read_bytes() != content
    assert cache.cached_embedding(built.cache_key, shown, faces,
                                  lambda: pytest.fail("embedded again")) == made


def test_font_parts_for_an_edited_face_file_are_embedded_again(folder: Path) -> None:
    built, shown, made = _font_parts("Qingdao 2025")
    faces = list(document._faces(shown[0][0]))
    cache.cached_embedding(built.cache_key, shown, faces, lambda: made)
    assert cache.cached_embedding(built.cache_key, shown, [*faces, REGULAR.parent / "gone.ttf"],
                                  lambda: []) == []  # a face that cannot be stamped
    assert cache.cached_embedding("", shown, faces, lambda: []) == []  # a base not kept


def package_bytes(item: package.Entry) -> bytes:
    import zlib

    return zlib.decompress(item.compressed, -15)


def test_the_cache_off_builds_and_writes_nothing(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_VARIABLE, "")
    theme = load_theme()
    _same_base(cache.cached_base(theme, "the key", base._build), base._build(theme))
    data = REGULAR.read_bytes()
    assert cache.cached_font_parse(data, subset._spans_and_cmap) == subset._spans_and_cmap(data)
    assert cache.cached_face(REGULAR, "Qingdao", (), _cut_face) == _cut_face()
    built = cache.cached_base(theme, "the key", base._build)
    assert not built.cache_key
    shown = ((_body_family(theme), "Qingdao", ()),)
    assert cache.cached_embedding(built.cache_key, shown, list(document._faces(
        _body_family(theme))), lambda: document._embed(built, shown)) == document._embed(
        built, shown)
    assert cache.cached_styles(built.cache_key, "en", lambda: built.styles_entry("en")) == \
        built.styles_entry("en")
    assert not list(tmp_path.iterdir())


@pytest.mark.slow
def test_fresh_processes_make_the_same_docx_with_the_cache_cold_warm_off_and_planted(
        tmp_path: Path) -> None:
    made = {}
    store = tmp_path / "cache"
    for run in ("cold", "warm", "planted", "off"):
        if run == "planted":
            for entry in [*_entries(store, "base"), *_entries(store, "fonts"),
                          *_entries(store, "styles"), *_entries(store, "faces"),
                          *_entries(store, "embedded")]:
                entry.write_bytes(pickle.dumps(_Planted()))
        out = tmp_path / f"{run}.docx"
        env = dict(os.environ, **{CACHE_VARIABLE: "" if run == "off" else str(store)})
        done = subprocess.run([sys.executable, "-m", "readout", "render", str(SEED), "-f",
                               "docx", "-t", "press-release", "-o", str(out)], check=True,
                              env=env, capture_output=True, text=True)
        assert "PLANTED CODE RAN" not in done.stdout + done.stderr
        made[run] = out.read_bytes()
        if run == "cold":
            assert len(_entries(store, "base")) == 1, "the cold run kept no base"
            assert len(_entries(store, "fonts")) == 4, "the cold run kept no font parse"
            assert len(_entries(store, "styles")) == 1, "the cold run kept no styles"
            assert len(_entries(store, "faces")) == 4, "the cold run kept no cut face"
            assert len(_entries(store, "embedded")) == 1, "the cold run kept no font parts"
    assert made["cold"] == made["warm"] == made["planted"] == made["off"]


def test_a_reference_docx_edited_in_place_is_built_again(folder: Path, tmp_path: Path) -> None:
    import dataclasses

    import docx

    reference = tmp_path / "reference.docx"
    docx.Document().save(str(reference))
    theme = dataclasses.replace(load_theme(), reference_docx=reference)
    built: list[object] = []

    def build(look: object) -> base.Base:
        built.append(look)
        return base._build(theme)

    cache.cached_base(theme, "with a reference", build)
    cache.cached_base(theme, "with a reference", build)
    assert len(built) == 1
    edited = docx.Document()
    edited.styles["Normal"].font.name = "Edited Font"
    edited.save(str(reference))
    found = cache.cached_base(theme, "with a reference", build)
    assert len(built) == 2
    assert b"Edited Font" in found.styles_head + found.styles_tail


# What a DOCX from a warm cache needs none of (each only builds a base, cuts or shapes a
# face, or paints a chart).
_BUILD_ONLY = ("docx", "uharfbuzz", "PIL", "fontTools", "readout.writers.docx.word_styles")
_LOADED_AT_EXIT = """
import atexit, runpy, sys
unwanted = sys.argv[1].split(",")
atexit.register(lambda: print("LOADED:" + ",".join(sorted(
    n for n in sys.modules if any(n == m or n.startswith(m + ".") for m in unwanted))),
    file=sys.stderr))
sys.argv = ["readout", *sys.argv[2:]]
runpy.run_module("readout", run_name="__main__")
"""


def test_a_docx_from_a_warm_cache_imports_no_python_docx_harfbuzz_or_pillow(
        tmp_path: Path) -> None:
    env = dict(os.environ, **{CACHE_VARIABLE: str(tmp_path / "cache")})
    loaded, made = [], []
    for run in ("cold", "warm"):
        out = tmp_path / f"{run}.docx"
        done = subprocess.run(
            [sys.executable, "-c", _LOADED_AT_EXIT, ",".join(_BUILD_ONLY), "render",
             str(SEED), "-f", "docx", "-t", "press-release", "-o", str(out)],
            capture_output=True, text=True, check=False, env=env)
        assert done.returncode == 0, done.stderr
        loaded.append(done.stderr.rsplit("LOADED:", 1)[1].strip())
        made.append(out.read_bytes())
    assert "docx" in loaded[0].split(",")  # the cold run built the base with python-docx
    assert loaded[1] == ""
    assert made[0] == made[1]


def test_font_parts_are_parsed_and_written_as_python_docx_does() -> None:
    import docx
    from docx.opc.oxml import serialize_part_xml
    from docx.oxml import parse_xml

    document = docx.Document()
    parts = [part.blob for part in document.part.package.iter_parts()
             if part.partname.endswith(".xml")]
    assert len(parts) >= 5
    for blob in parts:
        assert fonts.serialize_part_xml(fonts.parse_xml(blob)) == serialize_part_xml(
            parse_xml(blob))
    spaced = b'<?xml version="1.0"?>\n<w:x xmlns:w="urn:x">\n  <w:y a="1"/>\n</w:x>\n'
    assert fonts.serialize_part_xml(fonts.parse_xml(spaced)) == serialize_part_xml(
        parse_xml(spaced))


def test_the_docx_folder_names_python_docx_as_it_says_it_is() -> None:
    import docx

    assert cache._docx_version() == docx.__version__
