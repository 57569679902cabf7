"""A character no font of the theme has is refused before layout, never drawn as a box."""

from __future__ import annotations

import pytest

import readout
from readout import tree as t
from readout.coverage import missing
from readout.errors import RenderError
from readout.themes import load_theme
from readout.writers import FORMATS, writer_for

from .conftest import MINIMAL


def document(text: str) -> t.Document:
    return t.Document(metadata=t.Metadata(title="x"), body=(t.Paragraph((t.Text(text),)),))


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_writer_refuses_a_character_no_font_has(fmt: str) -> None:
    with pytest.raises(RenderError) as caught:
        writer_for(fmt)(document("Smile \U0001F600 please"), load_theme())
    assert "U+1F600 (GRINNING FACE)" in str(caught.value)
    assert "'body' fonts (Noto Sans" in str(caught.value)


def test_what_the_writers_drop_or_shaping_consumes_is_never_missing() -> None:
    assert missing("a\x00b\u200dc\u200e\u00a0\t\ufffe\ud800\x85\ufdd0\U0001ffff",
                   load_theme()) == []


def test_a_readout_names_the_field_and_the_line_of_the_character() -> None:
    text = MINIMAL.replace("with Minister B.", "with Minister B \U0001F600.")
    doc = readout.loads(text, name="m.yaml")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if row.startswith("summary:"))
    for fmt in FORMATS:
        with pytest.raises(RenderError) as caught:
            readout.render(doc, "press-release", fmt)
        [problem] = caught.value.problems
        assert (problem.file, problem.line, problem.path) == ("m.yaml", line, "summary")
        assert "U+1F600" in problem.message


def test_validate_warns_about_the_same_character() -> None:
    text = MINIMAL.replace("with Minister B.", "with Minister B \U0001F600.")
    _, warnings = readout.api.validated(readout.loading.parse(text, "m.yaml"))
    assert [(w.path, w.severity) for w in warnings if "U+1F600" in w.message] == [
        ("summary", "warning")]
