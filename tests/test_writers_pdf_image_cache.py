"""The image cache: an image XObject read back is the one reportlab's decoding makes,
PDFs made with it are byte-identical, and an entry that is damaged or planted is made
over, never trusted."""

from __future__ import annotations

import io
import marshal
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from reportlab.lib.utils import ImageReader

from readout.cache_folder import CACHE_VARIABLE
from readout.writers.pdf import canvas, image_cache

from .conftest import SAMPLES, SEED, tiny_png


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (6, 3), (200, 30, 40)).save(out, "JPEG")
    return out.getvalue()


def _grey_with_alpha() -> bytes:
    out = io.BytesIO()
    Image.new("LA", (5, 5), (90, 128)).save(out, "PNG")
    return out.getvalue()


IMAGES = {"emblem": (SAMPLES / "assets" / "emblem.png").read_bytes(), "rgb": tiny_png(),
          "jpeg": _jpeg(), "grey-alpha": _grey_with_alpha()}


def _plain(xobject: Any) -> dict[str, Any]:
    state = dict(vars(xobject))
    if "_smask" in state:
        state["_smask"] = _plain(state["_smask"])
    return state


def _entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("images-*/*.marshal"))


def _made(data: bytes) -> Any:
    return canvas._make_xobject(ImageReader(io.BytesIO(data)))


@pytest.mark.parametrize("name", IMAGES)
def test_an_image_from_the_cache_is_the_one_decoded(cache: Path, name: str) -> None:
    data = IMAGES[name]
    first = image_cache.cached_xobject("d" * 64, lambda: _made(data))  # made, and kept
    assert len(_entries(cache)) == 1
    again = image_cache.cached_xobject("d" * 64, lambda: pytest.fail("made again"))
    assert _plain(first) == _plain(again) == _plain(_made(data))
    assert type(again) is type(first)
    assert ("_smask" in vars(again)) == (name in ("emblem", "grey-alpha"))



@pytest.mark.parametrize("content", [
    b"not marshal data", marshal.dumps(["a list"]), marshal.dumps({"streamContent": 12}),
    marshal.dumps({"streamContent": b"x", "_dotrans": "1", "name": "x"}),
    marshal.dumps({"streamContent": b"x", "_smask": {"streamContent": b"y", "_smask": {}}}),
    marshal.dumps({"streamContent": b"x", "__class__": "os.system"}),
], ids=["damaged", "not-a-dict", "bad-stream", "bad-type", "nested-mask", "unknown-key"])
def test_an_entry_that_is_not_image_data_is_made_over(cache: Path, content: bytes) -> None:
    data = IMAGES["emblem"]
    image_cache.cached_xobject("e" * 64, lambda: _made(data))
    (entry,) = _entries(cache)
    entry.write_bytes(content)
    assert _plain(image_cache.cached_xobject("e" * 64, lambda: _made(data))) == _plain(
        _made(data))
    assert entry.read_bytes() != content  # rewritten whole
    again = image_cache.cached_xobject("e" * 64, lambda: pytest.fail("made again"))
    assert _plain(again) == _plain(_made(data))


def test_an_xobject_with_attributes_it_does_not_know_is_not_kept(cache: Path) -> None:
    image = _made(IMAGES["rgb"])
    image.extra = object()
    assert image_cache.cached_xobject("f" * 64, lambda: image) is image
    assert _entries(cache) == []


def test_the_cache_off_decodes_and_writes_nothing(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_VARIABLE, "")
    made = image_cache.cached_xobject("a" * 64, lambda: _made(IMAGES["emblem"]))
    assert _plain(made) == _plain(_made(IMAGES["emblem"]))
    assert not list(tmp_path.iterdir())


_PILLOW_RAN = """
import atexit, runpy, sys
atexit.register(lambda: print("PIL.Image ran:", "PIL.ImageMode" in sys.modules,
                              file=sys.stderr))
sys.argv = ["readout", *sys.argv[1:]]
runpy.run_module("readout", run_name="__main__")
"""


def test_fresh_processes_make_the_same_pdf_cold_warm_and_off_and_warm_needs_no_pillow(
        tmp_path: Path) -> None:
    made, ran = {}, {}
    for run, folder in (("cold", tmp_path / "cache"), ("warm", tmp_path / "cache"),
                        ("off", None)):
        out = tmp_path / f"{run}.pdf"
        env = dict(os.environ, **{CACHE_VARIABLE: str(folder) if folder else ""})
        done = subprocess.run([sys.executable, "-c", _PILLOW_RAN, "render", str(SEED), "-f",
                               "pdf", "-t", "press-release", "-o", str(out)], check=True,
                              env=env, capture_output=True, text=True)
        made[run] = out.read_bytes()
        ran[run] = done.stderr.rsplit("PIL.Image ran:", 1)[1].strip()
        if run == "cold":
            assert _entries(tmp_path / "cache"), "the cold run kept no image"
    assert made["cold"] == made["warm"] == made["off"]
    assert ran == {"cold": "True", "warm": "False", "off": "True"}
