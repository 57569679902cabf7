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


def _reading_order_text(blocks: tuple[t.Block, ...]) -> str:
    """What a reader sees of ``blocks``, in order: each heading, paragraph and cell, a
    quote's attribution after its words."""
    out = []
    for block in blocks:
        if isinstance(block, (t.Heading, t.Paragraph)):
            out.append(t.plain_text(block.children))
        elif isinstance(block, t.BulletList):
            out.extend(_reading_order_text(item) for item in block.items)
        elif isinstance(block, t.Table):
            rows = ((block.header,) if block.header else ()) + block.rows
            out.extend(t.plain_text(cell.children) for row in rows for cell in row.cells)
        elif isinstance(block, t.Quote):
            out += [_reading_order_text(block.children), t.plain_text(block.attribution)]
        elif isinstance(block, t.Section):
            out.append(_reading_order_text(block.children))
    return "".join(out)


def test_the_document_text_is_every_printed_text_in_reading_order() -> None:
    from readout.coverage import document_text
    from readout.templating import build_document

    from .conftest import SEED, every_node_document

    documents = [every_node_document(), *(build_document(readout.load(SEED), name)
                                          for name in ("press-release", "internal-brief"))]
    for document in documents:
        expected = "".join(_reading_order_text(blocks) for blocks in (
            document.first_header or (), document.header, document.body, document.footer))
        assert document_text(document) == expected
    assert "Speaker Name, Title" in document_text(documents[0])
