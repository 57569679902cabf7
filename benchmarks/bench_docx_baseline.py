"""Baselines for the DOCX writer: the seed press release three ways.

* `render_python_docx_baseline()`: a hand-written python-docx script;
* `render_docxtpl_baseline()`: docxtpl rendering a .docx template (made here, once,
  in a temporary folder: nothing is committed);
* `render_readout_docx()`: ``readout.render(seed, "press-release", "docx")``.

The baselines take their words from the seed YAML (`seed_content`): letterhead with the
emblem, label, release time, title, lead with dateline, headed sections with paragraphs,
bullets, sub-bullets and quotes, outcomes, background, end mark, media contact, a header
and a footer with PAGE / NUMPAGES fields: the same text as readout's press release.
`measure()` times them in one run; ``python benchmarks/bench_docx_baseline.py`` prints
ms per document and the ratios.
"""

from __future__ import annotations

import io
import tempfile
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Mm
from docxtpl import DocxTemplate  # type: ignore[import-untyped]
from seed_content import SEED, plain
from seed_content import content as seed_content

CONTENT = {**seed_content(), "sections": [
    {**entry, "paragraphs": [plain(p) for p in entry["paragraphs"]]}
    for entry in seed_content()["sections"]], "context": [
    {**entry, "paragraphs": [plain(p) for p in entry["paragraphs"]]}
    for entry in seed_content()["context"]]}


def _field(paragraph: Any, instruction: str) -> None:
    """PAGE / NUMPAGES as a complex field in ``paragraph`` (python-docx has no API)."""
    for xml in (f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="begin"/></w:r>',
                f'<w:r {nsdecls("w")}><w:instrText xml:space="preserve"> {instruction} '
                "</w:instrText></w:r>",
                f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="separate"/></w:r>',
                f'<w:r {nsdecls("w")}><w:t>1</w:t></w:r>',
                f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="end"/></w:r>'):
        paragraph._p.append(parse_xml(xml))


def _page_setup(document: Any) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(22)
    section.top_margin, section.bottom_margin = Mm(24), Mm(22)
    section.header.paragraphs[0].text = CONTENT["organisation"]
    section.header.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer = section.footer.paragraphs[0]
    footer.add_run("Page ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _letterhead(document: Any) -> None:
    c = CONTENT
    document.add_picture(io.BytesIO(c["logo"]), width=Mm(18))
    document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text in (c["government"], c["organisation"], c["office"]):
        document.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.CENTER


def render_python_docx_baseline() -> bytes:
    """A hand-written python-docx build of the seed press release."""
    c = CONTENT
    document = docx.Document()
    _page_setup(document)
    _letterhead(document)
    document.add_paragraph("PRESS RELEASE").runs[0].bold = True
    document.add_paragraph(c["release_time"])
    document.add_paragraph(c["title"], style="Title")
    lead = document.add_paragraph()
    lead.add_run(c["dateline"]).bold = True
    lead.add_run(c["lead"][0])
    for text in c["lead"][1:]:
        document.add_paragraph(text)

    def section(entry: dict[str, Any], level: int) -> None:
        document.add_paragraph(entry["heading"], style=f"Heading {level}")
        for text in entry["paragraphs"]:
            document.add_paragraph(text)
        for text, subs in entry["bullets"]:
            document.add_paragraph(plain(text), style="List Bullet")
            for sub in subs:
                document.add_paragraph(plain(sub), style="List Bullet 2")
        for text, who in entry["quotes"]:
            document.add_paragraph(text, style="Quote")
            document.add_paragraph(who)

    for entry in c["sections"]:
        section(entry, 2)
    document.add_paragraph("Outcomes", style="Heading 2")
    for text in c["outcomes"]:
        document.add_paragraph(text, style="List Bullet")
    document.add_paragraph("Background", style="Heading 2")
    for entry in c["context"]:
        section(entry, 3)
    ends = document.add_paragraph()
    ends.add_run("\u2014 ENDS \u2014").bold = True
    ends.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph().add_run("Media contact").bold = True
    for line in c["contact"]:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@cache
def _template_path() -> Path:
    """A docxtpl template of the press release, written once per process."""
    document = docx.Document()
    _page_setup(document)
    _letterhead(document)  # static in the template, as a designer would leave it
    document.add_paragraph("PRESS RELEASE").runs[0].bold = True
    document.add_paragraph("{{ release_time }}")
    document.add_paragraph("{{ title }}", style="Title")
    lead = document.add_paragraph()
    lead.add_run("{{ dateline }}").bold = True
    lead.add_run("{{ lead[0] }}")
    document.add_paragraph("{%p for text in lead[1:] %}")
    document.add_paragraph("{{ text }}")
    document.add_paragraph("{%p endfor %}")
    for loop, level in (("sections", 2), ("context", 3)):
        if loop == "context":
            document.add_paragraph("Outcomes", style="Heading 2")
            document.add_paragraph("{%p for text in outcomes %}")
            document.add_paragraph("{{ text }}", style="List Bullet")
            document.add_paragraph("{%p endfor %}")
            document.add_paragraph("Background", style="Heading 2")
        document.add_paragraph(f"{{%p for s in {loop} %}}")
        document.add_paragraph("{{ s.heading }}", style=f"Heading {level}")
        document.add_paragraph("{%p for text in s.paragraphs %}")
        document.add_paragraph("{{ text }}")
        document.add_paragraph("{%p endfor %}")
        document.add_paragraph("{%p for text, subs in s.bullets %}")
        document.add_paragraph("{{ text }}", style="List Bullet")
        document.add_paragraph("{%p for sub in subs %}")
        document.add_paragraph("{{ sub }}", style="List Bullet 2")
        document.add_paragraph("{%p endfor %}")
        document.add_paragraph("{%p endfor %}")
        document.add_paragraph("{%p for text, who in s.quotes %}")
        document.add_paragraph("{{ text }}", style="Quote")
        document.add_paragraph("{{ who }}")
        document.add_paragraph("{%p endfor %}")
        document.add_paragraph("{%p endfor %}")
    ends = document.add_paragraph()
    ends.add_run("\u2014 ENDS \u2014").bold = True
    ends.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph().add_run("Media contact").bold = True
    document.add_paragraph("{%p for line in contact %}")
    document.add_paragraph("{{ line }}")
    document.add_paragraph("{%p endfor %}")
    path = Path(tempfile.mkdtemp(prefix="readout-bench-")) / "press-release-template.docx"
    document.save(str(path))
    return path


def render_docxtpl_baseline() -> bytes:
    """docxtpl rendering the press release from its template."""
    template = DocxTemplate(str(_template_path()))
    template.render({**CONTENT, "logo": None}, autoescape=True)
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()


@cache
def _seed() -> Any:
    import readout

    return readout.load(SEED)


def render_readout_docx() -> bytes:
    """The seed press release through ``readout.render`` (default theme)."""
    import readout

    return readout.render(_seed(), "press-release", "docx")


def _per_doc_ms(render: Callable[[], bytes], runs: int) -> float:
    render()  # warm up: imports, template, cached theme base
    start = time.perf_counter()
    for _ in range(runs):
        render()
    return (time.perf_counter() - start) / runs * 1000


def measure(runs: int = 50) -> dict[str, float]:
    """Milliseconds per document of the three builds, and readout's ratios."""
    result = {
        "docxtpl_ms": _per_doc_ms(render_docxtpl_baseline, runs),
        "python_docx_ms": _per_doc_ms(render_python_docx_baseline, runs),
        "readout_ms": _per_doc_ms(render_readout_docx, runs),
    }
    result["ratio_vs_docxtpl"] = result["readout_ms"] / result["docxtpl_ms"]
    result["ratio_vs_python_docx"] = result["readout_ms"] / result["python_docx_ms"]
    return result


if __name__ == "__main__":
    for key, value in measure().items():
        print(f"{key:22} {value:8.3f}")
