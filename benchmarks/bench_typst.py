"""Typst as a peer of the PDF writer: the seed press release through an equivalent Typst
template (``typst/press-release.typ``: the default theme's page, Noto Sans from the
package's font folder only, sizes, colours, spacing, the same outline entries, both links,
no header on page 1, "Page X of Y").

Typst (PyPI ``typst``, the ``bench`` extra) memoises its work between compilations of
one `Compiler`, so a peer that compiled the same input twice would measure a cache hit:
``bench_pdf.py`` gives it every round's varied content, as it does readout and the
hand-written baseline. The conversion of the content to Typst markup and JSON is timed
with it, as readout's templating and the baseline's mark-up conversion are with theirs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from seed_content import ROOT, typst_markup

from readout.themes import FONT_DIR

TEMPLATE = Path(__file__).resolve().parent / "typst" / "press-release.typ"


def _markup_section(entry: dict[str, Any]) -> dict[str, Any]:
    return {"heading": typst_markup(entry["heading"]),
            "paragraphs": [typst_markup(p) for p in entry["paragraphs"]],
            "bullets": [(typst_markup(text), [typst_markup(s) for s in subs])
                        for text, subs in entry["bullets"]],
            "quotes": [(typst_markup(text), typst_markup(who)) for text, who in entry["quotes"]]}


def typst_input(c: dict[str, Any]) -> str:
    """The press release's content as the JSON the template reads."""
    return json.dumps({
        "title": typst_markup(c["title"]), "organisation": typst_markup(c["organisation"]),
        "government": typst_markup(c["government"]), "office": typst_markup(c["office"]),
        "release_time": c["release_time"], "dateline": typst_markup(c["dateline"]),
        "lead": [typst_markup(p) for p in c["lead"]],
        "sections": [_markup_section(s) for s in c["sections"]],
        "outcomes": [typst_markup(o) for o in c["outcomes"]],
        "context": [_markup_section(s) for s in c["context"]],
        "contact": [typst_markup(line) for line in c["contact"]], "email": c["email"],
    }, ensure_ascii=False)


class TypstPeer:
    """One warm Typst compiler (fonts loaded once, like readout's registered fonts)."""

    def __init__(self, tagged: bool) -> None:
        import typst

        self.tagged = tagged
        self.compiler = typst.Compiler(str(TEMPLATE), root=str(ROOT),
                                       font_paths=[str(FONT_DIR)], ignore_system_fonts=True)

    def render(self, c: dict[str, Any]) -> bytes:
        data: bytes = self.compiler.compile(sys_inputs={"content": typst_input(c)},
                                            pdf_tags=self.tagged, timestamp=0)
        return data


def available() -> bool:
    try:
        import typst  # noqa: F401
    except ImportError:
        return False
    return True
