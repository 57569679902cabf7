"""Every writer reads one resolved style: random styles come out the same in PDF, DOCX and HTML.

A style is drawn at random (size, weight, slant, colour, alignment by any of its names,
background, border), loaded through the theme schema, and rendered by every writer as a
paragraph of its own style and as a paragraph inside a section of that style. What a
reader can tell (face, size, colour, alignment, whether it is boxed, the box's fill and
border) is read back from each file and must agree, and match the style.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readout import tree as t
from readout.loading import parse
from readout.theme_schema import validate_theme
from readout.themes import Theme
from readout.writers import FORMATS, writer_for

from .extract import Look, docx_look, html_look, pdf_look

TEXT = ("The ministers reviewed the state of defence cooperation and agreed to meet again "
        "before the end of the year in New Delhi to take stock of the joint projects, the "
        "exercises and the supply of spares, and to settle what remains open. They asked "
        "their officials to report on each of these within three months, and on the wider "
        "questions of the region, the sea lanes and the new partners before the summit.")
ALIGNMENTS = {"left": "left", "center": "center", "centre": "center", "right": "right",
              "justify": "justify", "justified": "justify"}
READERS = {"pdf": pdf_look, "docx": docx_look, "html": html_look}
# Formats whose look is not read back here: plain text has no face, size, colour or box
# (its alignment is tested with its writer).
NOT_READ = {"txt": "no look"}

colours = st.integers(0, 0xFFFFFF).map(lambda n: f"#{n:06x}")
styles = st.fixed_dictionaries({
    "size": st.integers(16, 32).map(lambda n: n / 2),
    "bold": st.booleans(),
    "italic": st.booleans(),
    "colour": colours,
    "alignment": st.sampled_from(sorted(ALIGNMENTS)),
}, optional={
    "background": colours,
    "border_colour": colours,
    "border_width": st.sampled_from([0, 0.5, 1, 2.25]),
})


def theme_with(style: dict[str, object]) -> Theme:
    entry = ", ".join(f'{key}: "{value}"' if isinstance(value, str) else
                      f"{key}: {str(value).lower()}" for key, value in style.items())
    return validate_theme(parse(f"format: readout-theme/1\nstyles:\n  x: {{{entry}}}\n",
                                "random.yaml"))


def expected(style: dict[str, object], theme: Theme) -> Look:
    resolved = theme.style("x")
    border = resolved.border
    return Look(font=theme.font("body").family.replace(" ", ""), bold=bool(style["bold"]),
                italic=bool(style["italic"]), size=float(style["size"]),  # type: ignore[arg-type]
                colour=str(style["colour"]), alignment=ALIGNMENTS[str(style["alignment"])],
                background=resolved.background,
                border=(border.colour, border.width) if border else None)


def test_every_writer_of_the_registry_is_read_back_or_exempted() -> None:
    assert set(READERS) <= set(FORMATS)
    assert set(FORMATS) - set(READERS) <= set(NOT_READ)


@pytest.mark.slow
@settings(max_examples=30, deadline=None)
@given(style=styles, in_section=st.booleans())
def test_a_random_style_looks_the_same_in_every_format(style: dict[str, object],
                                                       in_section: bool) -> None:
    theme = theme_with(style)
    paragraph = t.Paragraph((t.Text(TEXT),), style=None if in_section else "x")
    block: t.Block = t.Section((paragraph,), style="x") if in_section else paragraph
    document = t.Document(metadata=t.Metadata(title="Parity"), body=(block,))
    looks = {fmt: reader(writer_for(fmt)(document, theme)) for fmt, reader in READERS.items()}
    want = expected(style, theme)
    for fmt, look in looks.items():
        assert look == want, fmt
    assert looks["pdf"].boxed == looks["docx"].boxed == looks["html"].boxed == \
        theme.style("x").boxed
