"""The digest of the sample series, read back from its PDF and its DOCX as a private
secretary would read it: the as-at date, the box of what needs attention, totals that
add up to the tracker, the Naval HQ follow-up, stable ids, the chart, links that work in
OUT, and markings that never break. Expected values are worked out here from the sample
YAML itself, not from the digest code."""

from __future__ import annotations

import io
import re
import shutil
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import docx
import pdfplumber
import pymupdf
import pypdf
import pytest
from click.testing import CliRunner

from readout.api import validated
from readout.batch import render_series
from readout.cli import main
from readout.series import load_series
from readout.typography import typographic

from .conftest import SAMPLES, SERIES
from .extract import docx_row_cells

DIGEST = "sco-qingdao-2025.series-digest"
TRACKER = ["Action", "Due", "Status", "Meeting"]
BOX = ["Action", "Owner", "Due", "Days", "Meeting"]
TOTALS = ["Open", "In progress", "Done", "Dropped", "Total"]
MEETINGS = ["Date", "Meeting", "Counterparts", "Outcomes", "Follows"]
STATUS = {"Open": "open", "In progress": "in-progress", "Done": "done", "Dropped": "dropped"}


# -- what the sample says, worked out from its YAML ----------------------------------------


@cache
def sample_actions(series_file: Path = SERIES) -> list[dict[str, Any]]:
    """Every action outcome and structured follow-up item of the series' members."""
    found = []
    for member in load_series(series_file).members:
        doc = validated(member.source)[0]
        items = [(f"O{n}", o) for n, o in enumerate(doc.outcomes, 1) if o.type == "action"]
        items += [(f"F{n}", f) for n, f in enumerate(doc.brief.follow_up if doc.brief else (), 1)
                  if not isinstance(f, str)]
        for ref, item in items:
            found.append({"id": f"{doc.id}/{ref}",  # the text as printed (curly quotes)
                          "text": typographic(item.text, doc.language), "owner": item.owner,
                          "due": item.due, "status": item.status.value if item.status
                          else "open", "meeting": doc.meeting.date})
    return found


def overdue_at(when: date) -> dict[str, int]:
    """Text -> days overdue, for the open or in-progress actions due before ``when``."""
    return {shortened(a["text"]): (when - a["due"]).days for a in sample_actions()
            if a["status"] in ("open", "in-progress") and a["due"] and a["due"] < when}


def latest_meeting() -> date:
    return max(validated(m.source)[0].meeting.date for m in load_series(SERIES).members)


# -- reading the documents back -------------------------------------------------------------


def norm(text: str | None) -> str:
    return " ".join((text or "").replace("\u2011", "-").replace("\u00a0", " ").split())


@cache
def pdf_tables(data: bytes) -> dict[str, list[list[str]]]:
    """The PDF's tables by the first cell of their header row; a table continued on the
    next page (its header repeated) is one table."""
    tables: dict[str, list[list[str]]] = {}
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            for table in page.extract_tables():
                rows = [[norm(cell) for cell in row] for row in table]
                key = _known(rows[0])
                if key:
                    tables.setdefault(key, [rows[0]]).extend(rows[1:])
    return tables


@cache
def docx_tables(data: bytes) -> dict[str, list[list[str]]]:
    tables: dict[str, list[list[str]]] = {}
    for table in docx.Document(io.BytesIO(data)).tables:
        rows = [[norm(text) for text in docx_row_cells(row)] for row in table.rows]
        key = _known(rows[0])
        if key:
            tables.setdefault(key, [rows[0]]).extend(rows[1:])
    return tables


def _known(header: list[str]) -> str | None:
    for name, cells in (("tracker", TRACKER), ("box", BOX), ("totals", TOTALS),
                        ("meetings", MEETINGS)):
        if header[:len(cells)] == cells:
            return name
    return None


@cache
def pdf_text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return norm(" ".join(page.extract_text() or "" for page in pdf.pages))


@cache
def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for r in t.rows for c in r.cells]
    return norm(" ".join(parts))


def tables_of(data: bytes, fmt: str) -> dict[str, list[list[str]]]:
    return pdf_tables(data) if fmt == "pdf" else docx_tables(data)


def text_of(data: bytes, fmt: str) -> str:
    return pdf_text(data) if fmt == "pdf" else docx_text(data)


def tracker_rows(tables: dict[str, list[list[str]]]) -> list[list[str]]:
    """The tracker's action rows (group rows and repeated headers left out)."""
    return [row for row in tables["tracker"][1:] if row != TRACKER and any(row[1:])]


def unmarked(cell: str) -> str:
    """A tracker cell without the portion mark it opens with ("(OFFICIAL) ")."""
    return re.sub(r"^\([A-Z‑-]+\) ", "", cell)


def status_of(cell: str) -> str:
    """The status a tracker's status cell says ("Open due in 3 days" is open)."""
    return next(status for label, status in STATUS.items() if cell.startswith(label))


def shortened(text: str, limit: int = 80) -> str:
    """``text`` as the box prints it: cut at a word, with an ellipsis, past ``limit``."""
    if len(text) <= limit:
        return text
    return text[:limit - 1].rsplit(" ", 1)[0] + "…"


def box_overdue(tables: dict[str, list[list[str]]]) -> dict[str, int]:
    rows = tables["box"][1:]
    found, inside = {}, False
    for row in rows:
        if row[0].startswith(("Overdue:", "Due in the next")):
            inside = row[0].startswith("Overdue:")
        elif inside and row[3]:
            days = re.fullmatch(r"(\d+) days? overdue", row[3])
            assert days, row
            found[row[0]] = int(days.group(1))
    return found


# -- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("digest") / "out"
    report = render_series(SERIES, folder, jobs=2, templates=["internal-brief"])
    assert report.ok, report.failed
    return folder


@pytest.fixture(scope="module")
def later(out: Path) -> Path:
    """The same batch re-run with ``--as-at 2025-12-31`` (only the digest is redone)."""
    folder = out.parent / "later"
    shutil.copytree(out, folder)
    result = CliRunner().invoke(main, ["batch", str(SERIES), "-o", str(folder), "-j", "1",
                                       "-t", "internal-brief", "--as-at", "2025-12-31"])
    assert result.exit_code == 0, result.output
    assert "2 rendered, 8 unchanged" in result.output, "the members are not redone"
    return folder


def digest_bytes(folder: Path, fmt: str) -> bytes:
    return (folder / f"{DIGEST}.{fmt}").read_bytes()


FORMATS = ("pdf", "docx")


# -- acceptance --------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_totals_equal_the_tracker_rows_by_status(out: Path, fmt: str) -> None:
    data = digest_bytes(out, fmt)
    tables = tables_of(data, fmt)
    header, numbers = tables["totals"][:2]
    totals = {STATUS.get(h, h): int(n) for h, n in zip(header, numbers, strict=True)}
    expected = {s: sum(a["status"] == s for a in sample_actions())
                for s in ("open", "in-progress", "done", "dropped")}
    assert totals == {**expected, "Total": len(sample_actions())}
    shown = [status_of(row[2]) for row in tracker_rows(tables)]
    assert {s: shown.count(s) for s in expected} == {**expected, "done": 0, "dropped": 0}
    assert (f"Not listed: {expected['done']} done actions and {expected['dropped']} dropped "
            "action") in text_of(data, fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_all_actions_lists_done_and_dropped_too(out: Path, fmt: str) -> None:
    folder = out.parent / f"all-{fmt}"
    shutil.copytree(out, folder)
    render_series(SERIES, folder, jobs=1, templates=["internal-brief"], all_actions=True)
    tables = tables_of(digest_bytes(folder, fmt), fmt)
    shown = [status_of(row[2]) for row in tracker_rows(tables)]
    assert {s: shown.count(s) for s in STATUS.values()} == {
        s: sum(a["status"] == s for a in sample_actions()) for s in STATUS.values()}


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_box_lists_exactly_the_overdue_actions_with_their_days(out: Path,
                                                                   fmt: str) -> None:
    data = digest_bytes(out, fmt)
    as_at = latest_meeting()
    assert as_at == date(2025, 6, 27)
    assert "As at: 27 June 2025 (the date of the latest meeting)" in text_of(data, fmt)
    expected = overdue_at(as_at)
    assert expected == {"Note on the delivery schedule of the remaining S-400 Triumf "
                        "systems": 2}
    assert box_overdue(tables_of(data, fmt)) == expected


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_box_lists_what_falls_due_in_the_next_14_days(out: Path, fmt: str) -> None:
    as_at = latest_meeting()
    soon = sorted((a["due"], a["text"]) for a in sample_actions()
                  if a["status"] in ("open", "in-progress") and a["due"]
                  and as_at <= a["due"] <= as_at + timedelta(days=14))
    rows = tables_of(digest_bytes(out, fmt), fmt)["box"]
    start = next(i for i, row in enumerate(rows) if row[0].startswith("Due in the next 14"))
    assert rows[start][0] == f"Due in the next 14 days: {len(soon)} actions"
    listed = rows[start + 1:start + 1 + len(soon)]
    assert [row[0] for row in listed] == [shortened(text) for _, text in soon]
    assert [row[3] for row in listed] == [f"in {(due - as_at).days} days" for due, _ in soon]


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_naval_hq_follow_up_is_in_the_tracker(out: Path, fmt: str) -> None:
    rows = tracker_rows(tables_of(digest_bytes(out, fmt), fmt))
    [row] = [r for r in rows if "Indian Ocean Region (IOR)" in r[0]]
    assert row[0] == ("(OFFICIAL) Propose Indian Ocean Region (IOR) cooperation items for the "
                      "next staff talks 2025-06-26-qingdao-in-ru/F4 · follow-up")
    assert row[1:3] == ["10 Jul 2025", "Open due in 13 days"]
    assert row[3].startswith("26 Jun 2025, Mr. Andrey Belousov")
    groups = [r[0] for r in tables_of(digest_bytes(out, fmt), fmt)["tracker"]
              if r[0] and not any(r[1:])]
    assert "Naval Headquarters · 1 action" in groups


@pytest.mark.parametrize("fmt", FORMATS)
def test_as_at_a_later_date_changes_what_is_overdue_and_says_so(later: Path,
                                                                fmt: str) -> None:
    data = digest_bytes(later, fmt)
    text = text_of(data, fmt)
    assert "As at: 31 December 2025" in text and "(the date of the latest meeting)" not in text
    expected = overdue_at(date(2025, 12, 31))
    assert len(expected) == 10 and expected != overdue_at(latest_meeting())
    tables = tables_of(data, fmt)
    most = dict(sorted(expected.items(), key=lambda item: -item[1])[:8])
    assert box_overdue(tables) == most, "the box: the eight most overdue"
    assert "Overdue: 10 actions" in text
    assert "… and 2 more overdue actions, listed by owner in the action tracker." in text
    days = {unmarked(row[0]): row[2] for row in tracker_rows(tables)}
    for action in sample_actions():
        late = (date(2025, 12, 31) - action["due"]).days if action["due"] else 0
        shown = next(status for row, status in days.items() if row.startswith(action["text"])
                     ) if action["status"] in ("open", "in-progress") else None
        if shown is not None:
            assert shown.endswith(f"{late} days overdue") == (late > 0), (action, shown)
    assert "Due in the next 14 days" not in text


def test_ids_are_the_same_on_two_runs_and_after_adding_a_member(out: Path,
                                                               tmp_path: Path) -> None:
    def ids(data: bytes) -> list[str]:
        return re.findall(r"[a-z0-9.-]+/[OF]\d+", pdf_text(data))

    first = ids(digest_bytes(out, "pdf"))
    assert sorted(first) == sorted(a["id"] for a in sample_actions()
                                   if a["status"] in ("open", "in-progress"))
    again = tmp_path / "again"
    render_series(SERIES, again, jobs=2, templates=["internal-brief"])
    assert ids(digest_bytes(again, "pdf")) == first
    assert digest_bytes(again, "pdf") == digest_bytes(out, "pdf"), "byte-identical"
    assert digest_bytes(again, "docx") == digest_bytes(out, "docx"), "byte-identical"
    grown = tmp_path / "grown"
    shutil.copytree(SAMPLES, grown, ignore=shutil.ignore_patterns("sources"))
    series_file = grown / SERIES.name
    (grown / "series" / "2025-06-23-call.yaml").write_text(CALL, encoding="utf-8")
    series_file.write_text(series_file.read_text().replace(
        "  - series/2025-06-24-delegation-briefing.yaml\n",
        "  - series/2025-06-23-call.yaml\n  - series/2025-06-24-delegation-briefing.yaml\n"))
    render_series(series_file, grown / "out", jobs=1, templates=["internal-brief"],
                  formats=["pdf"])
    more = ids(digest_bytes(grown / "out", "pdf"))
    assert set(more) - set(first) == {"2025-06-23-call/O1"}
    assert set(first) <= set(more)


CALL = """\
format: readout/1
id: 2025-06-23-call
title: Joint Secretary speaks to the SCO Secretariat
summary: The Joint Secretary spoke to the SCO Secretariat ahead of the meeting.
meeting:
  kind: call
  date: 2025-06-23
  venue: {city: New Delhi, country: India}
participants:
  - {name: Arjun Menon, title: Joint Secretary, country: India, role: principal}
  - {name: Liu Wen, title: Deputy Secretary-General, country: China, role: counterpart}
key_points:
  - heading: Logistics
    body: The two sides reviewed the programme.
outcomes:
  - text: Send the delegation list to the Secretariat
    type: action
    owner: International Cooperation Division
    due: 2025-07-30
    status: open
"""


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_chart_is_there_with_its_alternative_text(out: Path, fmt: str) -> None:
    data = digest_bytes(out, fmt)
    total = len(sample_actions())
    start = f"Bar chart of the {total} actions of the series by owner and status, as at 27 June"
    if fmt == "pdf":
        reader = pypdf.PdfReader(io.BytesIO(data))
        contents = b"".join(page.get_contents().get_data() for page in reader.pages)
        [hex_alt] = re.findall(rb"/Span <</Alt <FEFF([0-9A-F]+)> >> BDC", contents)
        alt = bytes.fromhex(hex_alt.decode()).decode("utf-16-be")
    else:
        document = docx.Document(io.BytesIO(data))
        [alt] = [d.get("descr") for d in document.element.body.iter(
            "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")]
    assert alt.startswith(start)
    assert "Naval Headquarters: 1 (1 open)." in alt
    assert "Air Headquarters: 2 (1 open, 1 in progress; 1 overdue)." in alt


KINDS = {"bilateral": "Bilateral", "multilateral": "Multilateral", "other": "Meeting"}
TYPES = ("agreement", "decision", "action", "statement", "document")  # the format's order


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_meeting_is_one_row_with_its_counterparts_outcomes_and_what_it_follows(
        out: Path, fmt: str) -> None:
    docs = [validated(m.source)[0] for m in load_series(SERIES).members]
    by_id = {doc.id: doc for doc in docs}
    expected = []
    for doc in sorted(docs, key=lambda d: d.meeting.date):
        counts: dict[str, int] = {}
        for outcome in doc.outcomes:
            counts[outcome.type.value] = counts.get(outcome.type.value, 0) + 1
        sides = [f"{p.display_name} ({p.side})" for p in doc.participants
                 if p.role.value == "counterpart"]
        follows = by_id[doc.previous].meeting.date if doc.previous else None
        venue = doc.meeting.venue
        expected.append([
            f"{doc.meeting.date.day} {doc.meeting.date:%b}",
            f"{KINDS[doc.meeting.kind.value]}, {venue.city if venue else ''}",
            "; ".join(sides) or "—",
            ", ".join(f"{counts[kind]} {kind}{'s' if counts[kind] > 1 else ''}"
                      for kind in TYPES if kind in counts),
            f"{follows.day} {follows:%b}" if follows else "—", "PDF DOCX"])
    rows = tables_of(digest_bytes(out, fmt), fmt)["meetings"]
    assert rows[0] == [*MEETINGS, "Brief"]
    assert rows[1:] == expected
    assert expected[1][2] == ("Mr. Zhou Ming (China); Mr. Dmitry Sokolov (Russia); Mr. Yerlan "
                              "Abenov (Kazakhstan); Mr. Dilshod Karimov (Uzbekistan)")
    assert [row[4] for row in expected] == ["—", "24 Jun", "25 Jun", "26 Jun"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_meetings_link_to_documents_that_exist_beside_the_digest(out: Path,
                                                                     fmt: str) -> None:
    data = digest_bytes(out, fmt)
    if fmt == "pdf":
        targets = []
        for page in pypdf.PdfReader(io.BytesIO(data)).pages:
            for annot in page.get("/Annots", []):
                action = annot.get_object()["/A"]
                targets.append(str(action.get("/F") or action.get("/URI")))
    else:
        document = docx.Document(io.BytesIO(data))
        targets = [r.target_ref for r in document.part.rels.values()
                   if r.reltype.endswith("/hyperlink")]
    members = [m.output_id for m in load_series(SERIES).members]
    assert sorted(targets) == sorted(f"{m}.internal-brief.{f}" for m in members
                                     for f in FORMATS)
    assert all((out / target).is_file() for target in targets)


def test_the_pdf_links_open_the_member_pdfs_beside_it(out: Path) -> None:
    reader = pypdf.PdfReader(io.BytesIO(digest_bytes(out, "pdf")))
    actions = [a.get_object()["/A"] for page in reader.pages for a in page.get("/Annots", [])]
    kinds = {(str(a["/S"]), str(a.get("/F") or a.get("/URI")).rsplit(".", 1)[1])
             for a in actions}
    assert kinds == {("/GoToR", "pdf"), ("/URI", "docx")}


def test_the_marking_never_breaks_and_is_drawn_with_real_glyphs(out: Path) -> None:
    data = digest_bytes(out, "pdf")
    with pymupdf.open(stream=data) as pdf:
        for page in pdf:
            lines = page.get_text().splitlines()
            assert lines[0] == "OFFICIAL\u2011SENSITIVE", "the banner, whole, on one line"
            assert not any(line.endswith(("OFFICIAL-", "OFFICIAL\u2011")) for line in lines)
            glyphs = [g for span in page.get_texttrace() for g in span["chars"]]
            assert all(glyph[1] != 0 for glyph in glyphs), "no empty boxes"
    document = docx.Document(io.BytesIO(digest_bytes(out, "docx")))
    header = document.sections[0].header.paragraphs[0]
    assert header.text == "OFFICIAL-SENSITIVE"
    assert "<w:noBreakHyphen/>" in header._p.xml
    body = document.element.body.xml
    assert "OFFICIAL-SENSITIVE" not in body, "every marking carries a non-breaking hyphen"


# -- scale -----------------------------------------------------------------------------------


def generated(count: int) -> tuple[list[dict[str, Any]], dict[str, list[Any]]]:
    """Summaries of ``count`` meetings as a batch keeps them, with their documents."""
    from readout.digest import MemberDocument

    owners = ["Department of Defence Production", "Air Headquarters", "Naval Headquarters",
              "International Cooperation Division", "Army Headquarters"]
    counterparts = [("Andrey Belousov", "Russia"), ("Sébastien Lecornu", "France"),
                    ("Gen Nakatani", "Japan"), ("Ruslan Zhaksylykov", "Kazakhstan"),
                    ("Gursed Saikhanbayar", "Mongolia"), ("Phan Van Giang", "Viet Nam")]
    summaries, documents = [], {}
    for n in range(count):
        held = date(2022, 1, 3) + timedelta(days=n)
        ident = f"meeting-{n:04d}"
        summaries.append({
            "format": 2, "id": ident, "date": held.isoformat(), "end_date": None,
            "kind": "bilateral", "venue": "South Block, New Delhi, India", "city": "New Delhi",
            "counterparts": [{"name": f"Mr. {counterparts[n % 6][0]}",
                              "side": counterparts[n % 6][1]}],
            "outcomes": {"agreement": 1, "action": 2}, "follow_ups": 0,
            "previous": f"meeting-{n - 1:04d}" if n % 3 == 2 else None, "marking": "OFFICIAL",
            "actions": [{"ref": f"O{k + 2}", "text": f"Report on item {k + 1}",
                         "owner": owners[(n + k) % len(owners)],
                         "due": (held + timedelta(days=30 + 40 * k)).isoformat(),
                         "status": ["open", "in-progress", "done", "dropped"][(n + k) % 4],
                         "marking": "OFFICIAL"} for k in range(2)]})
        documents[ident] = [MemberDocument(t, f, f"{ident}.{t}.{f}")
                            for t in ("internal-brief", "press-release") for f in FORMATS]
    return summaries, documents


@pytest.mark.slow
def test_at_1000_meetings_page_1_answers_and_each_meeting_is_one_line() -> None:
    from readout.digest import build_digest
    from readout.rendering import render_tree

    summaries, documents = generated(1000)
    document = build_digest("Generated series", summaries, documents=documents)
    pdf = render_tree(document, "pdf")
    with pdfplumber.open(io.BytesIO(pdf)) as reader:
        first = norm(reader.pages[0].extract_text())
    assert "Open In progress Done Dropped Total 500 500 500 500 2000" in first
    assert re.search(r"Overdue: \d+ actions .* … and \d+ more overdue actions, listed by owner "
                     r"in the action tracker\. Due in the next 14 days: \d+ actions", first)
    assert "more due in the next 14 days, listed by owner in the action tracker." in first
    assert one_line_each(pdf) == 1000
    docx_first = docx_tables(render_tree(document, "docx"))
    assert docx_first["totals"][1] == ["500", "500", "500", "500", "2000"]


def one_line_each(pdf: bytes) -> int:
    """How many meetings the meetings tables list, each on one line: every line between
    the heading "Meetings" and the next, bar the years and the header rows, starts with
    the meeting's day and month."""
    date_line = re.compile(r"\d{1,2}(\u2013\d{1,2})? [A-Z][a-z]{2}\b")
    rows, inside = 0, False
    with pymupdf.open(stream=pdf) as reader:
        for page in reader:
            lines: dict[int, list[str]] = {}
            for _x0, y0, *_, word, _block, _line, _number in page.get_text("words"):
                if 60 < y0 < page.rect.height - 60:  # not the page furniture
                    lines.setdefault(round(y0), []).append(word)
            for _, words in sorted(lines.items()):
                text = " ".join(words)
                if text == "Meetings":
                    inside = True
                elif text == "Action tracker":
                    return rows
                elif inside and not (text.startswith("Date Meeting Counterparts")
                                     or re.fullmatch(r"(\(\S+\) )?\d{4}", text)):
                    assert date_line.match(text), f"a meeting row wraps: {text!r}"
                    rows += 1
    return rows
