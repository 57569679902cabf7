"""Shared fixtures: paths to the samples and a document that uses every tree node."""

from __future__ import annotations

import struct
import zlib
from datetime import datetime
from pathlib import Path

import pytest

from readout import tree as t

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SEED = SAMPLES / "2025-06-26-qingdao-in-ru.yaml"


def tiny_png(width: int = 4, height: int = 2) -> bytes:
    """A valid RGB PNG of one colour, built by hand so tests need no image library."""
    raw = b"".join(b"\x00" + b"\x0b\x25\x45" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def every_node_document() -> t.Document:
    """A document that holds every block and inline node type at least once."""
    words = (t.Text("Plain "), t.Strong((t.Text("strong"),)), t.Text(" and "),
             t.Emphasis((t.Text("emphasis"),)), t.Text(" with "),
             t.Link("https://example.org/a?b=1&c=2", (t.Text("a link"),)),
             t.LineBreak(), t.Text("after a break <b>&amp;</b>", style="marking"))
    return t.Document(
        metadata=t.Metadata(title="Every node", author="Ministry of Tests",
                            subject="A fixture", keywords=("alpha", "beta"), language="en",
                            created=datetime(2025, 6, 26, 15, 15)),
        header=(t.Paragraph((t.Text("HEADER BANNER"),), style="banner"),),
        footer=(t.Paragraph((t.Text("Page "), t.PageNumber(), t.Text(" of "), t.PageCount())),),
        body=(
            t.Section((t.Image(tiny_png(), 20, alt="emblem"),
                       t.Paragraph((t.Text("Letterhead Organisation"),),
                                   style="letterhead-organisation")), style="letterhead"),
            t.Heading(1, (t.Text("Heading one"),)),
            t.Paragraph(words),
            t.Heading(2, (t.Text("Heading two"),)),
            t.BulletList((
                (t.Paragraph((t.Text("First item"),)),),
                (t.Paragraph((t.Text("Second item"),)),
                 t.BulletList(((t.Paragraph((t.Text("Nested item"),)),),))),
            )),
            t.Heading(3, (t.Text("Heading three"),)),
            t.Quote((t.Paragraph((t.Text("A quoted sentence."),)),),
                    attribution=(t.Text("Speaker Name, Title"),)),
            t.Rule(),
            t.Spacer(12),
            t.Table(widths=(0.5, 0.25, 0.25),
                    header=t.Row((t.Cell((t.Text("Action"),)), t.Cell((t.Text("Owner"),)),
                                  t.Cell((t.Text("Due"),)))),
                    rows=(t.Row((t.Cell((t.Text("Group row"),)), t.Cell(()), t.Cell(())),
                                style="table-group"),
                          t.Row((t.Cell((t.Text("Do the thing"),)),
                                 t.Cell((t.Strong((t.Text("Someone"),)),)),
                                 t.Cell((t.Text("2025-12-31"),)))))),
            t.PageBreak(),
            t.Paragraph((t.Text("Second page text."),)),
        ),
    )


@pytest.fixture
def every_node() -> t.Document:
    return every_node_document()
