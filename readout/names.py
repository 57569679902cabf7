"""The built-in templates and the formats: what a command line or a series file may
ask for, known without importing a renderer (``readout validate`` imports none)."""

from __future__ import annotations

TEMPLATES = ("press-release", "internal-brief")  # rendered when none is asked for
FORMATS = ("pdf", "docx", "html", "txt")  # every format a writer exists for (`writers.writer_for`)
PDF_STANDARDS = ("ua-1", "a-2b")  # what a PDF may conform to: tagged always, archival too

__all__ = ["FORMATS", "PDF_STANDARDS", "TEMPLATES"]
