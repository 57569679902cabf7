"""Shared fixtures: paths to the samples and a document that uses every tree node."""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import struct
import tempfile
import zlib
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import settings

from readout import tree as t
from readout.cache_folder import CACHE_VARIABLE

# Property tests run with a fixed budget: each test's max_examples (100 where it gives
# none), and no deadline, as CI machines are shared and a slow example is not a bug.
settings.register_profile("readout", max_examples=100, deadline=None)
settings.load_profile("readout")

# Compiled templates go to a folder of this run (inherited by the processes tests start),
# never to the user's own cache.
os.environ["READOUT_CACHE_DIR"] = _CACHE = tempfile.mkdtemp(prefix="readout-test-cache-")
atexit.register(shutil.rmtree, _CACHE, True)

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SEED = SAMPLES / "2025-06-26-qingdao-in-ru.yaml"
SERIES = SAMPLES / "sco-qingdao-2025.series.yaml"


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
                                style="table-group", group=True),
                          t.Row((t.Cell((t.Text("Do the thing"),)),
                                 t.Cell((t.Strong((t.Text("Someone"),)),)),
                                 t.Cell((t.Text("2025-12-31"),)))))),
            t.PageBreak(),
            t.Paragraph((t.Text("Second page text, with "),
                         t.Link("sibling.internal-brief.pdf", (t.Text("a sibling file"),)),
                         t.Text("."))),
            every_node_chart(),
        ),
    )


def every_node_chart() -> t.Chart:
    """A small chart with every shape: two boxes, a line and labels at each anchor."""
    return t.Chart(width_mm=60, height_mm=20, alt="Chart of two bars: Alpha 2, Beta 1.",
                   shapes=(t.Line(10, 2, 10, 14, "chart-axis"),
                           t.Box(10, 3, 30, 4, "chart-open"),
                           t.Box(10, 9, 15, 4, "chart-done"),
                           t.Label(9, 6, "Alpha", "end", "chart-label"),
                           t.Label(9, 12, "Beta", "end", "chart-label"),
                           t.Label(25, 6, "2", "middle", "chart-value"),
                           t.Label(42, 18, "Chart note", "start", "chart-note")))


@pytest.fixture
def every_node() -> t.Document:
    return every_node_document()


MINIMAL = """\
format: readout/1
title: Minister A meets Minister B
summary: Minister A held a bilateral meeting with Minister B.
issuer:
  organisation: Ministry of Defence
  city: New Delhi
meeting:
  kind: bilateral
  date: 2025-06-26
  start: "10:30"
  end: "11:15"
  venue:
    city: Qingdao
    country: China
participants:
  - name: Rajnath Singh
    title: Raksha Mantri
    country: India
    role: principal
  - name: Andrey Belousov
    title: Minister of Defence
    country: Russia
    role: counterpart
key_points:
  - heading: Defence partnership
    body: The ministers reviewed cooperation.
    quotes:
      - speaker: Andrey Belousov
        text: Russia stands in complete solidarity with India against terrorism.
outcomes:
  - text: Deepen defence industrial cooperation
    type: action
    owner: Department of Defence Production
    due: 2025-12-31
"""


@pytest.fixture
def minimal_text() -> str:
    """A small valid readout; tests break copies of it."""
    return MINIMAL


# Every fact of the seed article, as a phrase a reader finds in the readout's text.
SEED_FACTS = (
    "Rajnath Singh", "Raksha Mantri", "Andrey Belousov",
    "Minister of Defence of the Russian Federation", "Qingdao", "China",
    "Shanghai Cooperation Organisation (SCO) Defence Ministers' Meeting", "26 June 2025",
    "stood the test of time", "Pahalgam", "Jammu & Kashmir", "22 April 2025",
    "Russia stands in complete solidarity with India against terrorism.",
    "cross-border terrorism", "interoperability", "Operation Sindoor",
    "co-development and co-production", "Air defence systems",
    "Air-to-air missile capabilities", "Platform modernisation", "S-400 Triumf",
    "Su-30 MKI", "radar", "weapon systems", "avionics", "spares and components",
    "Make in India, Make for the World", "Indo-Pacific stability", "Eurasian dynamics",
    "regional conflict zones", "multilateral platforms", "INDRA",
    "Indian Ocean Region (IOR)", "Intelligence sharing", "multipolar", "non-alignment",
    "strategic autonomy", "Deepen defence industrial cooperation",
    "Streamline joint research and development (R&D) in emerging defence technologies",
    "Ensure timely execution of ongoing contracts",
    "Explore next-generation weapon systems and unmanned solutions",
    "India's defence modernisation drive", "Atmanirbharta",
)


# A member readout of generated series; make_series writes several.
MEMBER = """\
format: readout/1
title: Meeting {n}
summary: Minister A met Minister {n}.
meeting:
  kind: bilateral
  date: {day}
  venue: {{city: Qingdao, country: China}}
participants:
  - {{name: Minister A, title: Minister, country: India, role: principal}}
  - {{name: Minister {n}, title: Minister, country: Land {n}, role: counterpart}}
key_points:
  - heading: Cooperation
    classification: PUBLIC
    body: They discussed cooperation number {n}.
outcomes:
  - text: Action of meeting {n}
    type: action
    owner: Owner {n}
    due: {due}
    status: {status}
"""


def make_series(folder: Path, members: int = 3, *, formats: str = "[pdf]",
                templates: str = "[press-release]") -> Path:
    """A series of ``members`` small readouts, each on its own day with one action."""
    (folder / "meetings").mkdir(parents=True, exist_ok=True)
    statuses = ["open", "done", "in-progress", "dropped"]
    for n in range(1, members + 1):
        held = date(2025, 6, 10) + timedelta(days=n)
        text = MEMBER.format(n=n, day=held, due=held + timedelta(days=1), status=statuses[n % 4])
        (folder / "meetings" / f"m{n:03d}.yaml").write_text(text, encoding="utf-8")
    series = folder / "series.yaml"
    series.write_text(
        "format: readout-series/1\n"
        "title: Test series\n"
        "defaults:\n"
        "  classification: OFFICIAL\n"
        "  issuer:\n"
        "    organisation: Ministry of Defence\n"
        "    city: New Delhi\n"
        "  brief:\n"
        "    distribution: [Default office]\n"
        "  face_classification: PUBLIC\n"
        "readouts: [meetings/*.yaml]\n"
        f"render: {{templates: {templates}, formats: {formats}}}\n", encoding="utf-8")
    return series


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private, empty folder for the caches readout keeps between processes."""
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path / "cache"))
    return tmp_path / "cache"


@contextlib.contextmanager
def opened_to_others(folder: Path) -> Iterator[Path]:
    """``folder`` writable by anyone for the time of the block (a cache folder nobody
    should read from), then private again so that the test's folder can be removed."""
    folder.chmod(0o777)
    try:
        yield folder
    finally:
        folder.chmod(0o700)
