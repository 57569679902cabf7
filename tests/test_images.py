"""Images a readout names: a whole PNG or JPEG within limits, checked when it is read."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

import readout

from .conftest import MINIMAL, tiny_png


def readout_with_logo(folder: Path, data: bytes, name: str = "logo.png") -> str:
    (folder / name).write_bytes(data)
    return MINIMAL.replace("  city: New Delhi", f"  city: New Delhi\n  logo: {name}")


def problems(folder: Path, data: bytes, name: str = "logo.png") -> list[str]:
    with pytest.raises(readout.ValidationError) as caught:
        readout.loads(readout_with_logo(folder, data, name), name="m.yaml", folder=folder)
    return [str(p) for p in caught.value.problems]


def test_a_truncated_png_is_refused_where_it_is_named(tmp_path: Path) -> None:
    whole = tiny_png(40, 20)
    [line] = problems(tmp_path, whole[: len(whole) // 2])
    assert line == ("m.yaml:7:9: issuer.logo: 'logo.png' is not a whole PNG or JPEG image "
                    "(it is cut short or damaged); export it again.")


def test_a_file_that_is_no_image_is_refused(tmp_path: Path) -> None:
    [line] = problems(tmp_path, b"GIF89a not a png at all")
    assert line == ("m.yaml:7:9: issuer.logo: 'logo.png' is not a PNG or JPEG image; "
                    "save it as one of those.")


def test_an_image_over_the_pixel_limit_is_refused_before_it_is_decoded(
        tmp_path: Path) -> None:
    big = io.BytesIO()
    Image.new("1", (12000, 12000)).save(big, "PNG")
    [line] = problems(tmp_path, big.getvalue())
    assert line == ("m.yaml:7:9: issuer.logo: 'logo.png' is 12000 x 12000 pixels; an image "
                    "has at most 50 million pixels (8000 x 6000 is 48 million). Scale it down.")


def test_a_cmyk_jpeg_is_a_jpeg_in_every_format(tmp_path: Path) -> None:
    picture = io.BytesIO()
    Image.new("CMYK", (40, 20), (0, 100, 200, 0)).save(picture, "JPEG")
    text = readout_with_logo(tmp_path, picture.getvalue(), "logo.jpg")
    doc = readout.loads(text, folder=tmp_path)
    for fmt in ("pdf", "docx"):
        assert readout.render(doc, "press-release", fmt)


def test_an_image_a_hundred_thousand_pixels_tall_fits_the_page(tmp_path: Path) -> None:
    from pypdf import PdfReader

    doc = readout.loads(readout_with_logo(tmp_path, tiny_png(1, 100_000)), folder=tmp_path)
    pdf = readout.render(doc, "press-release", "pdf")
    assert "Minister A meets Minister B" in "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert readout.render(doc, "press-release", "docx")
