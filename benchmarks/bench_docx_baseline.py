"""Baselines for the DOCX writer: the same 2-page press release three ways.

* `render_python_docx_baseline()`: a hand-written python-docx script;
* `render_docxtpl_baseline()`: docxtpl rendering a .docx template (made here, once,
  in a temporary folder: nothing is committed);
* `render_readout_docx()`: the `readout` document tree through `readout.writers.docx`.

All three hold a title, a lead, 8 headed sections (16 paragraphs), bullets, a quote,
a header and a footer with PAGE / NUMPAGES fields. `measure()` times them in one run;
``python benchmarks/bench_docx_baseline.py`` prints ms per document and the ratios.
"""

from __future__ import annotations

import io
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Mm
from docxtpl import DocxTemplate  # type: ignore[import-untyped]

from readout import tree as t
from readout.themes import load_theme
from readout.writers.docx import write

WORDS = ("The ministers reviewed the full range of bilateral defence cooperation, including "
         "joint exercises, training exchanges and co-production of equipment, and agreed to "
         "meet again before the end of the year to take stock of progress. ")


def _content() -> dict[str, Any]:
    sections = []
    for number in range(8):
        sections.append({
            "heading": f"Key point {number + 1}: defence industrial partnership",
            "paragraphs": [WORDS * 2, WORDS],
            "bullets": ["Air defence systems", "Spare parts and maintenance",
                        "Joint research"] if number in (1, 4) else [],
            "quote": ("Russia stands in complete solidarity with India against terrorism."
                      if number == 2 else ""),
        })
    return {
        "title": "Raksha Mantri meets Russian Defence Minister on the sidelines of the SCO "
                 "Defence Ministers' Meeting in Qingdao",
        "summary": WORDS * 2,
        "sections": sections,
        "banner": "PRESS RELEASE",
    }


CONTENT = _content()


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
    section.header.paragraphs[0].text = CONTENT["banner"]
    footer = section.footer.paragraphs[0]
    footer.add_run("Page ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")


def render_python_docx_baseline() -> bytes:
    """A hand-written python-docx build of the press release."""
    c = CONTENT
    document = docx.Document()
    _page_setup(document)
    document.add_paragraph(c["title"], style="Title")
    document.add_paragraph(c["summary"])
    for section in c["sections"]:
        document.add_paragraph(section["heading"], style="Heading 1")
        for text in section["paragraphs"]:
            paragraph = document.add_paragraph()
            paragraph.add_run("NEW DELHI: ").bold = True
            paragraph.add_run(text)
        for item in section["bullets"]:
            document.add_paragraph(item, style="List Bullet")
        if section["quote"]:
            document.add_paragraph(section["quote"], style="Quote")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@cache
def _template_path() -> Path:
    """A docxtpl template of the press release, written once per process."""
    document = docx.Document()
    _page_setup(document)
    document.add_paragraph("{{ title }}", style="Title")
    document.add_paragraph("{{ summary }}")
    document.add_paragraph("{%p for s in sections %}")
    document.add_paragraph("{{ s.heading }}", style="Heading 1")
    document.add_paragraph("{%p for text in s.paragraphs %}")
    paragraph = document.add_paragraph()
    paragraph.add_run("NEW DELHI: ").bold = True
    paragraph.add_run("{{ text }}")
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{%p for item in s.bullets %}")
    document.add_paragraph("{{ item }}", style="List Bullet")
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{%p if s.quote %}")
    document.add_paragraph("{{ s.quote }}", style="Quote")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p endfor %}")
    path = Path(tempfile.mkdtemp(prefix="readout-bench-")) / "press-release-template.docx"
    document.save(str(path))
    return path


def render_docxtpl_baseline() -> bytes:
    """docxtpl rendering the press release from its template."""
    template = DocxTemplate(str(_template_path()))
    template.render(CONTENT)
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()


@cache
def comparable_document() -> t.Document:
    """The press release as a `readout` document tree."""
    c = CONTENT
    body: list[t.Block] = [t.Heading(1, (t.Text(c["title"]),), style="title"),
                           t.Paragraph((t.Text(c["summary"]),), style="lead")]
    for section in c["sections"]:
        body.append(t.Heading(1, (t.Text(section["heading"]),)))
        body += [t.Paragraph((t.Text("NEW DELHI: ", style="dateline"), t.Text(text)))
                 for text in section["paragraphs"]]
        if section["bullets"]:
            body.append(t.BulletList(tuple((t.Paragraph((t.Text(item),)),)
                                           for item in section["bullets"])))
        if section["quote"]:
            body.append(t.Quote((t.Paragraph((t.Text(section["quote"]),)),),
                                attribution=(t.Text("Andrey Belousov"),)))
    return t.Document(
        metadata=t.Metadata(title=c["title"], author="Ministry of Defence",
                            created=datetime(2025, 6, 26, 15, 15)),
        body=tuple(body),
        header=(t.Paragraph((t.Text(c["banner"]),), style="banner"),),
        footer=(t.Paragraph((t.Text("Page "), t.PageNumber(), t.Text(" of "),
                             t.PageCount())),),
    )


def render_readout_docx() -> bytes:
    """The press release through the `readout` DOCX writer (default theme)."""
    return write(comparable_document(), load_theme())


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
