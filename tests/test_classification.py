"""Classification as a departmental security officer checks it (issue #9, SPEC section 4):
a marked face, schemes by name or file, portion marks placed by the scheme's style,
banners on every page, the brief's floor, metadata, file modes, no stale public documents.

Every template and format loop reads the registries (`available_templates` with
`describe_template`, `writers.FORMATS`), so a template added later is covered too.
"""

from __future__ import annotations

import io
import json
import os
import re
import stat
import subprocess
import sys
import zipfile
from functools import cache
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

import readout
from readout.cli import main
from readout.templating import available_templates, describe_template
from readout.writers import FORMATS

from .conftest import MINIMAL, ROOT, SEED, make_series
from .extract import (
    docx_furniture,
    docx_parts,
    docx_row_cells,
    html_page,
    pdf_pages,
    pdf_raw_strings,
    raw_strings,
    visible_text,
)

MM = 72 / 25.4

# A SECRET readout with one PUBLIC key point and no face marking: the title and summary
# name the operation, and nothing in the file says they are cleared for release.
NIGHTJAR = """\
format: readout/1
id: nightjar
title: Defence Secretary reviews Operation NIGHTJAR with the Joint Intelligence Committee
summary: >-
  The Defence Secretary chaired a review of Operation NIGHTJAR source reporting with the
  Joint Intelligence Committee in New Delhi on 3 March 2026.
classification: SECRET
issuer:
  organisation: Ministry of Defence
  government: Government of India
  city: New Delhi
meeting:
  kind: other
  date: 2026-03-03
  venue: {name: South Block, city: New Delhi, country: India}
participants:
  - {name: Anil Mehra, title: Defence Secretary, country: India, role: principal,
     classification: PUBLIC}
  - {name: ZQSecretOfficer, title: ZQSecretOfficerTitle, country: India, role: delegation}
key_points:
  - heading: Maritime security cooperation
    classification: PUBLIC
    body: The meeting reviewed maritime security cooperation in the Indian Ocean Region.
  - heading: ZQSecretHeading
    body: ZQSecretBody source reporting on the northern sector.
    bullets: [ZQSecretBullet]
    quotes: [{speaker: Anil Mehra, text: ZQSecretQuote}]
outcomes:
  - {text: ZQSecretOutcome, type: action, owner: ZQSecretOwner, due: 2026-04-01}
  - {text: Continue maritime cooperation, classification: PUBLIC}
context:
  - {heading: ZQSecretContext, body: ZQSecretContextBody}
tags: [ZQSecretTag]
brief:
  purpose: ZQSecretPurpose
  talking_points: [ZQSecretTalkingPoint]
  distribution: [ZQSecretDistribution]
"""
SECRET_CANARIES = sorted(set(re.findall(r"ZQ\w+", NIGHTJAR)))
FACE_REFUSED = ("face_classification is SECRET; set it to PUBLIC when the title and summary "
                "are cleared for release.")


def public_templates() -> list[str]:
    return [t for t in available_templates()
            if describe_template(t).audience == "public" and describe_template(t).renders
            == "readout"]


def nightjar(face: str | None = None, scheme: str | None = None) -> readout.Readout:
    text = NIGHTJAR if face is None else NIGHTJAR.replace(
        "classification: SECRET\n", f"classification: SECRET\nface_classification: {face}\n", 1)
    return readout.loads(text, name="nightjar.yaml", scheme=scheme)


def everything_in(data: bytes, fmt: str) -> bytes:
    """Every byte a reader or a tool could get at: raw, decompressed, metadata (an HTML
    page's text is read back unescaped too)."""
    if fmt == "pdf":
        reader = PdfReader(io.BytesIO(data))
        meta = " ".join(str(v) for v in (reader.metadata or {}).values())
        return pdf_raw_strings(data) + meta.encode("utf-8") + meta.encode("utf-16-be")
    if fmt == "html":
        return data + visible_text(data, fmt).encode("utf-8")
    return raw_strings(data, fmt)


def shown(canary: str, blob: bytes) -> bool:
    return canary.encode("utf-8") in blob or canary.encode("utf-16-be") in blob


# -- 1. the face ------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_secret_face_refuses_every_public_template_and_the_brief_still_renders(
        fmt: str) -> None:
    doc = nightjar()
    templates = public_templates()
    assert "press-release" in templates
    for template in templates:
        with pytest.raises(readout.NothingPublicError) as caught:
            readout.render(doc, template, fmt)
        (problem,) = caught.value.problems
        assert problem.path == "face_classification"
        assert problem.message.startswith(FACE_REFUSED)
    brief = readout.render(doc, "internal-brief", fmt)
    assert all(shown(c, everything_in(brief, fmt)) for c in ("ZQSecretBody", "ZQSecretPurpose"))


@cache
def cleared_outputs() -> dict[tuple[str, str], bytes]:
    doc = nightjar(face="PUBLIC")
    return {(t, f): readout.render(doc, t, f) for t in public_templates() for f in FORMATS}


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_cleared_face_gives_public_documents_with_no_secret_portion(fmt: str) -> None:
    for (template, each_fmt), data in cleared_outputs().items():
        if each_fmt != fmt:
            continue
        blob = everything_in(data, fmt)
        assert [c for c in SECRET_CANARIES if shown(c, blob)] == [], template
        assert shown("Maritime security cooperation", blob), template
        assert shown("Operation NIGHTJAR", blob), template  # the face, now cleared


def test_a_public_document_carries_no_marking_in_its_properties() -> None:
    for (template, fmt), data in cleared_outputs().items():
        if fmt == "pdf":
            meta = PdfReader(io.BytesIO(data)).metadata or {}
            assert "SECRET" not in " ".join(str(v) for v in meta.values()), template
        elif fmt == "html":
            page = html_page(data)
            assert "classification" not in page.meta, template
            assert "SECRET" not in " ".join([page.title, *page.meta.values()]), template
        elif fmt == "txt":
            assert "SECRET" not in data.decode("utf-8").replace("NIGHTJAR", ""), template
        else:
            parts = docx_parts(data)
            assert "docProps/custom.xml" not in parts, template
            for name in ("docProps/core.xml", "docProps/app.xml"):
                assert b"SECRET" not in parts[name], (template, name)


def test_the_cli_refuses_the_release_once_and_writes_the_brief(tmp_path: Path) -> None:
    source = tmp_path / "nightjar.yaml"
    source.write_text(NIGHTJAR, encoding="utf-8")
    result = CliRunner().invoke(main, ["render", str(source), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    refusals = [line for line in result.stderr.splitlines() if FACE_REFUSED in line]
    assert refusals == [f"{source}: face_classification: {FACE_REFUSED} Without a "
                        "face_classification of its own, the face takes the readout's "
                        "classification."]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        f"nightjar.internal-brief.{fmt}" for fmt in FORMATS)


# -- 2. validate tells the truth -----------------------------------------------------------


def test_validate_warns_of_a_face_or_key_points_not_cleared_and_strict_fails(
        tmp_path: Path) -> None:
    runner = CliRunner()
    face = tmp_path / "face.yaml"
    face.write_text(NIGHTJAR, encoding="utf-8")
    portions = tmp_path / "portions.yaml"
    portions.write_text(MINIMAL.replace("format: readout/1\n", "format: readout/1\n"
                                        "classification: OFFICIAL\n"
                                        "face_classification: PUBLIC\n"), encoding="utf-8")
    relaxed = runner.invoke(main, ["validate", str(face), str(portions)])
    assert relaxed.exit_code == 0
    assert relaxed.stdout.splitlines() == [
        f"{face}:7:17: classification: warning: {FACE_REFUSED} Without a face_classification "
        "of its own, the face takes the readout's classification. Until then no public "
        "document (a press release) can be made of it.",
        f"{portions}:27:3: key_points: warning: No key point is PUBLIC, so a press release "
        "would have nothing to say; mark at least one key point PUBLIC, or render only the "
        "internal brief."]
    assert runner.invoke(main, ["validate", "--strict", str(face)]).exit_code == 1
    assert runner.invoke(main, ["validate", "--strict", str(portions)]).exit_code == 1


def test_what_validate_strict_passes_render_never_refuses() -> None:
    """The refusals of a public template and the warnings of validate are one list."""
    for text in (NIGHTJAR, MINIMAL, NIGHTJAR.replace("classification: SECRET\n",
                                                     "classification: SECRET\n"
                                                     "face_classification: PUBLIC\n", 1)):
        doc, warnings = readout.api.validated(readout.loading.parse(text, "m.yaml"))
        refusals = [m for _, m in doc.public_refusals()]
        assert [w for w in warnings if any(w.message.startswith(m) for m in refusals)] \
            or not refusals
        for template in public_templates():
            if refusals:
                with pytest.raises(readout.NothingPublicError):
                    readout.templating.build_document(doc, template)
            else:
                assert readout.templating.build_document(doc, template).body


def test_a_face_above_the_readout_is_a_located_error() -> None:
    text = MINIMAL.replace("format: readout/1\n", "format: readout/1\nface_classification: "
                           "OFFICIAL\n")
    with pytest.raises(readout.ValidationError) as caught:
        readout.loads(text, name="m.yaml")
    assert str(caught.value) == (
        "m.yaml:2:22: face_classification: This face is marked OFFICIAL, above the readout's "
        "own marking PUBLIC; raise the readout's classification or lower this face's.")


# -- 3. banners and the brief's floor --------------------------------------------------------


def banner_lines(data: bytes, fmt: str) -> list[tuple[str, str]]:
    """(first line, last line-but-page-number) of every page, or the DOCX furniture."""
    if fmt == "docx":
        furniture = docx_furniture(data)
        return [(furniture["header"][0], furniture["footer"][0])]
    if fmt == "html":  # the page header and footer around the article
        page = html_page(data)
        header, footer = ("".join(page.furniture[p]).split() for p in ("header", "footer"))
        return [(" ".join(header), " ".join(footer))]
    if fmt == "txt":  # the first and last lines
        lines = data.decode("utf-8").splitlines()
        return [(lines[0].strip(), lines[-1].strip())]
    return [(page.lines()[0], page.lines()[-2]) for page in pdf_pages(data)]


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_seed_brief_is_bannered_official_on_every_page(fmt: str) -> None:
    doc = readout.load(SEED)
    assert doc.classification == "PUBLIC"
    data = readout.render(doc, "internal-brief", fmt)
    lines = banner_lines(data, fmt)
    assert len(lines) >= (2 if fmt == "pdf" else 1)
    assert set(lines) == {("OFFICIAL", "OFFICIAL")}
    if fmt == "docx":
        custom = docx_parts(data)["docProps/custom.xml"].decode()
        assert 'name="Classification"><vt:lpwstr>OFFICIAL</vt:lpwstr>' in custom
        assert docx.Document(io.BytesIO(data)).core_properties.subject == (
            "OFFICIAL — Internal brief")
    elif fmt == "html":
        meta = html_page(data).meta
        assert meta["classification"] == "OFFICIAL"
        assert meta["description"] == "OFFICIAL — Internal brief"
    elif fmt == "txt":
        assert data.decode("utf-8").count("OFFICIAL") >= 2
    else:
        meta = PdfReader(io.BytesIO(data)).metadata
        assert meta is not None and meta.subject == "OFFICIAL — Internal brief"


@cache
def seed_under(scheme: str, fmt: str) -> bytes:
    return readout.render(readout.load(SEED, scheme=scheme), "internal-brief", fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_under_india_the_seed_brief_is_bannered_restricted_on_every_page(fmt: str) -> None:
    assert set(banner_lines(seed_under("india", fmt), fmt)) == {("RESTRICTED", "RESTRICTED")}
    secret = readout.loads(NIGHTJAR, scheme="india")
    data = readout.render(secret, "internal-brief", fmt)
    assert set(banner_lines(data, fmt)) == {("SECRET", "SECRET")}  # the readout's own


def test_under_india_the_banners_sit_in_the_top_and_bottom_margins() -> None:
    for page in pdf_pages(seed_under("india", "pdf")):
        top = [w.text for w in page.words if w.bottom < 24 * MM]
        bottom = [w.text for w in page.words if w.top > page.height - 22 * MM]
        assert "RESTRICTED" in top and "RESTRICTED" in bottom


US_MARK = re.compile(r"\((U|C|S|TS)\) ")


def unmarked_us_paragraphs(data: bytes) -> list[str]:
    """Body paragraphs and bullets of a DOCX brief that do not start with a US portion
    mark: the template's own labels and headings, and table header rows, aside."""
    document = docx.Document(io.BytesIO(data))
    own = {"Document Label", "Heading 2", "Quote Attribution"}
    missing = []
    for paragraph in document.paragraphs:
        if paragraph.style.name in own or not paragraph.text.strip():
            continue
        if paragraph.style.name == "Heading 2" or paragraph.text in ("Key points",):
            continue
        if not US_MARK.match(paragraph.text):
            missing.append(paragraph.text)
    for table in document.tables:
        for row in table.rows[1:] if table.rows[0].cells[0].text in ("Name", "Action") \
                else table.rows:
            if not US_MARK.match(row.cells[0].text):
                missing.append(row.cells[0].text)
    return missing


def test_under_us_every_paragraph_bullet_and_row_of_the_brief_starts_with_its_mark() -> None:
    data = seed_under("us", "docx")
    assert unmarked_us_paragraphs(data) == []
    paragraphs = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    assert "(C) Classification: CONFIDENTIAL" in paragraphs  # the brief's own: its floor
    assert "(U) Air defence systems" in paragraphs  # a bullet of a public key point
    assert any(p.startswith("(C) Record of Raksha Mantri\u2019s") for p in paragraphs)  # purpose
    assert set(banner_lines(data, "docx")) == {("CONFIDENTIAL", "CONFIDENTIAL")}
    secret = readout.render(readout.loads(NIGHTJAR, scheme="us"), "internal-brief", "docx")
    texts = [p.text for p in docx.Document(io.BytesIO(secret)).paragraphs]
    assert unmarked_us_paragraphs(secret) == []
    assert "(S) ZQSecretBullet" in texts and "(S) ZQSecretHeading" in texts
    assert "(U) Maritime security cooperation" in texts


def test_under_us_the_pdf_carries_the_same_marks_as_the_docx() -> None:
    pdf = " ".join(" ".join(page.lines()) for page in pdf_pages(seed_under("us", "pdf")))
    document = docx.Document(io.BytesIO(seed_under("us", "docx")))
    docx_text = [p.text for p in document.paragraphs] + [
        text for table in document.tables for row in table.rows for text in docx_row_cells(row)]
    assert len(US_MARK.findall(pdf)) == sum(len(US_MARK.findall(t)) for t in docx_text) > 40


def test_under_headings_style_only_headings_and_single_block_portions_are_marked() -> None:
    document = docx.Document(io.BytesIO(readout.render(nightjar(), "internal-brief", "docx")))
    texts = [p.text for p in document.paragraphs]
    assert "(SECRET) ZQSecretHeading" in texts and "ZQSecretBullet" in texts
    assert "(PUBLIC) Maritime security cooperation" in texts
    assert "(SECRET) Purpose" in texts and "ZQSecretPurpose" in texts
    assert "(SECRET) Action: ZQSecretOutcome" not in texts  # an action goes to the table
    rows = [row.cells[0].text for table in document.tables for row in table.rows]
    assert "(SECRET) ZQSecretOfficer" in rows and "(PUBLIC) Shri Anil Mehra" not in rows
    assert "(PUBLIC) Anil Mehra" in rows and "(SECRET) ZQSecretOutcome" in rows


def test_a_marking_not_in_the_scheme_is_a_located_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["validate", "--scheme", "us",
                                       str(ROOT / "samples" / "2025-06-25-sco-plenary.yaml")])
    assert result.exit_code == 1
    first = result.stdout.splitlines()[0]
    assert first.endswith(":27:17: classification: 'OFFICIAL-SENSITIVE' is not a marking of "
                          "the 'us' scheme; choose one of: UNCLASSIFIED, CONFIDENTIAL, SECRET, "
                          "TOP SECRET (PUBLIC is read as UNCLASSIFIED).")
    own = tmp_path / "m.yaml"
    own.write_text(MINIMAL.replace("format: readout/1\n", "format: readout/1\n"
                                   "classification_scheme: india\nclassification: OFFICIAL\n"))
    result = CliRunner().invoke(main, ["validate", str(own)])
    assert result.stdout.splitlines() == [
        f"{own}:3:17: classification: 'OFFICIAL' is not a marking of the 'india' scheme; "
        "choose one of: UNCLASSIFIED, RESTRICTED, CONFIDENTIAL, SECRET, TOP SECRET "
        "(PUBLIC is read as UNCLASSIFIED); or set classification_scheme: default, whose "
        "markings include it."]


def test_an_unknown_scheme_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["render", str(SEED), "--scheme", "nato", "-o",
                                       str(tmp_path)])
    assert result.exit_code == 2
    assert "'nato' is neither a built-in scheme (default, uk, us, india) nor a scheme file." \
        in result.stderr
    assert list(tmp_path.iterdir()) == []


# -- 4. scheme files --------------------------------------------------------------------------

NATO = """\
name: nato
levels: [NATO UNCLASSIFIED, NATO RESTRICTED, NATO CONFIDENTIAL, NATO SECRET]
abbreviations: {NATO UNCLASSIFIED: NU, NATO RESTRICTED: NR, NATO CONFIDENTIAL: NC,
                NATO SECRET: NS}
style: paragraphs
"""


def test_a_scheme_file_from_the_cli_and_from_the_readout(tmp_path: Path) -> None:
    (tmp_path / "nato.yaml").write_text(NATO)
    text = MINIMAL.replace("format: readout/1\n", "format: readout/1\n"
                           "classification: NATO RESTRICTED\nface_classification: PUBLIC\n")
    text = text.replace("    body: The ministers", "    classification: PUBLIC\n"
                        "    body: The ministers")
    by_cli = readout.loads(text, scheme=tmp_path / "nato.yaml")
    own = readout.loads("classification_scheme: nato.yaml\n" + text, folder=tmp_path)
    assert by_cli.scheme == own.scheme
    assert own.scheme.levels[0] == "NATO UNCLASSIFIED" and own.face_marking == own.scheme.public
    brief = docx.Document(io.BytesIO(readout.render(own, "internal-brief", "docx")))
    texts = [p.text for p in brief.paragraphs]
    assert "(NU) Defence partnership" in texts and "(NR) Classification: NATO RESTRICTED" in texts


def test_a_bad_scheme_file_is_reported_at_its_own_lines(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("levels: [A, B, a]\nabbreviations: {C: x}\n"
                                       "style: bold\ncolour: red\n")
    own = tmp_path / "m.yaml"
    own.write_text("classification_scheme: bad.yaml\n" + MINIMAL)
    result = CliRunner().invoke(main, ["validate", str(own)])
    assert result.exit_code == 1
    bad = tmp_path / "bad.yaml"
    assert result.stdout.splitlines() == [
        f"{own}:1:24: classification_scheme: The scheme file 'bad.yaml' has errors (listed at "
        "its own lines); correct them, or name a built-in scheme: default, uk, us, india.",
        f"{bad}:1:16: levels.2: 'a' is listed already (as level 1); give each level once.",
        f"{bad}:2:20: abbreviations.C: 'C' is not one of the levels; abbreviate only the "
        "markings listed under 'levels', spelt as there.",
        f"{bad}:3:8: style: 'bold' is not a marking style; choose one of: headings, "
        "paragraphs.",
        f"{bad}:4:1: colour: 'colour' is not a field of a scheme file; the fields are: "
        "abbreviations, format, levels, name, style."]
    result = CliRunner().invoke(main, ["validate", "--scheme", str(bad), str(own)])
    assert result.exit_code == 1
    assert f"{bad}:1:16: levels.2: 'a' is listed already (as level 1); give each level " \
        "once." in result.stdout.splitlines()


def test_a_scheme_file_must_be_inside_the_readouts_folder(tmp_path: Path) -> None:
    (tmp_path / "nato.yaml").write_text(NATO)
    inner = tmp_path / "inner"
    inner.mkdir()
    with pytest.raises(readout.ValidationError) as caught:
        readout.loads("classification_scheme: ../nato.yaml\n" + MINIMAL, name="m.yaml",
                      folder=inner)
    assert str(caught.value) == (
        "m.yaml:1:24: classification_scheme: '../nato.yaml' points outside the readout's "
        "folder; put the scheme file in that folder (or below it) and give a relative path.")


# -- 5. series: the scheme, the digest, stale releases --------------------------------------


def test_a_series_scheme_marks_the_digest_in_its_style(tmp_path: Path) -> None:
    series = make_series(tmp_path, 2, formats="[docx]")
    series.write_text(series.read_text().replace("  classification: OFFICIAL\n",
                                                 "  classification: CONFIDENTIAL\n"
                                                 "  classification_scheme: us\n"))
    report = readout.render_series(series, tmp_path / "out", jobs=1)
    assert report.ok, report.failed
    digest = docx.Document(str(tmp_path / "out" / "series.series-digest.docx"))
    assert docx_furniture((tmp_path / "out" / "series.series-digest.docx").read_bytes())[
        "header"][0] == "CONFIDENTIAL"
    paragraphs = [p.text for p in digest.paragraphs if p.text and p.style.name != "Heading 2"
                  and p.style.name != "Document Label"]
    assert paragraphs and all(US_MARK.match(p) for p in paragraphs), paragraphs
    rows = [row.cells[0].text for table in digest.tables for row in table.rows[1:]]
    assert rows and all(US_MARK.match(r) for r in rows), rows


def test_a_member_of_another_scheme_is_refused_with_its_location(tmp_path: Path) -> None:
    series = make_series(tmp_path, 2)
    member = tmp_path / "meetings" / "m002.yaml"
    member.write_text("classification_scheme: india\nclassification: RESTRICTED\n"
                      "face_classification: PUBLIC\n" + member.read_text())
    result = CliRunner().invoke(main, ["validate", str(series)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{member}:1:24: classification_scheme: This readout uses the 'india' classification "
        "scheme, but its series uses 'default'; a digest cannot compare markings of two "
        "schemes. Name the scheme in the series' defaults instead, or remove it here."]


def test_a_member_re_marked_secret_loses_its_press_release(tmp_path: Path) -> None:
    series = make_series(tmp_path, 2, formats="[pdf, docx]")
    out = tmp_path / "out"
    runner = CliRunner()
    assert runner.invoke(main, ["batch", str(series), "-o", str(out), "-j", "1"]).exit_code == 0
    releases = ["m002.press-release.docx", "m002.press-release.pdf"]
    assert all((out / name).is_file() for name in releases)
    member = tmp_path / "meetings" / "m002.yaml"
    member.write_text(member.read_text() + "classification: SECRET\n"
                      "face_classification: SECRET\n")
    result = runner.invoke(main, ["batch", str(series), "-o", str(out), "-j", "1"])
    assert result.exit_code == 1
    assert [n for n in releases if (out / n).exists()] == []
    manifest = json.loads((out / "manifest.json").read_text())
    assert [e["path"] for e in manifest["outputs"] if e["path"].startswith("m002.")] == []
    assert sorted(line for line in result.stderr.splitlines() if line.startswith("removed")) \
        == [f"removed {out / n}: its readout can no longer make this public document."
            for n in releases]
    assert (out / "m001.press-release.pdf").is_file()
    again = runner.invoke(main, ["batch", str(series), "-o", str(out), "-j", "1"])
    assert "removed" not in again.stderr and not (out / releases[1]).exists()


# -- 6. files are created with the user's umask ---------------------------------------------

UMASK_SCRIPT = """
import os, sys
os.umask(0o077)
from readout.cli import main
sys.argv = ["readout", *sys.argv[1:]]
main()
"""


def modes(folder: Path) -> dict[str, int]:
    return {p.name: stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()}


def test_under_umask_077_render_and_batch_create_files_0600(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    run = [sys.executable, "-c", UMASK_SCRIPT]
    done = subprocess.run([*run, "render", str(SEED), "-o", str(tmp_path / "one")], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    series = make_series(tmp_path / "series", 2, formats="[pdf, docx]")
    done = subprocess.run([*run, "batch", str(series), "-o", str(tmp_path / "many"), "-j",
                           "2"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    for folder, documents in ((tmp_path / "one", 4), (tmp_path / "many", 2 * 2 + 2)):
        found = modes(folder)  # the documents, and a batch's manifest and lock file
        assert len([n for n in found if n.endswith((".pdf", ".docx"))]) == documents
        assert set(found.values()) == {0o600}, found


def test_under_umask_022_files_are_0644(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        readout.render_to(readout.load(SEED), tmp_path / "x.internal-brief.pdf")
    finally:
        os.umask(old)
    assert modes(tmp_path) == {"x.internal-brief.pdf": 0o644}


# -- 7. no public template leaks a portion above the public level (any markings) -------------

LEVELS = ("PUBLIC", "OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET")
MARKING = st.sampled_from((None, *LEVELS))


def marked_readout(readout_level: str, face: str | None, kp: list[str | None],
                   others: list[str | None]) -> tuple[readout.Readout, list[str]] | None:
    """A readout whose portions carry the given markings, each full of its own canaries;
    ``None`` when the markings break a rule (a portion above the readout)."""
    data: dict[str, Any] = yaml.safe_load(MINIMAL)
    data["classification"] = readout_level
    if face:
        data["face_classification"] = face
    data["key_points"] = [{"heading": "Cleared point", "classification": "PUBLIC",
                           "body": "A public body."}]
    data["outcomes"], data["context"] = [], []
    hidden: list[str] = []
    rank = LEVELS.index

    def effective(marking: str | None) -> str:
        return marking or readout_level

    for n, marking in enumerate(kp):
        point = {"heading": f"ZQkp{n}h", "body": f"ZQkp{n}b", "bullets": [f"ZQkp{n}u"],
                 "quotes": [{"speaker": "Andrey Belousov", "text": f"ZQkp{n}q"}]}
        if marking:
            point["classification"] = marking
        data["key_points"].append(point)
        if effective(marking) != "PUBLIC":
            hidden += [f"ZQkp{n}{x}" for x in "hbuq"]
    for n, marking in enumerate(others):
        outcome = {"text": f"ZQo{n}t", "type": "action", "owner": f"ZQo{n}w"}
        entry = {"heading": f"ZQc{n}h", "body": f"ZQc{n}b"}
        person = {"name": f"ZQp{n}n", "title": f"ZQp{n}t", "country": "Land",
                  "role": "delegation"}
        for item in (outcome, entry, person):
            if marking:
                item["classification"] = marking
        data["outcomes"].append(outcome)
        data["context"].append(entry)
        data["participants"].append(person)
        if effective(marking) != "PUBLIC":
            hidden += [f"ZQo{n}t", f"ZQo{n}w", f"ZQc{n}h", f"ZQc{n}b", f"ZQp{n}n", f"ZQp{n}t"]
    data["brief"] = {"purpose": "ZQbriefp", "talking_points": ["ZQbrieft"]}
    data["tags"] = ["ZQtag"]
    hidden += ["ZQbriefp", "ZQbrieft"] + ([] if readout_level == "PUBLIC" else ["ZQtag"])
    if any(rank(effective(m)) > rank(readout_level) for m in (face, *kp, *others)):
        return None
    return readout.from_dict(data), hidden


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(LEVELS), MARKING, st.lists(MARKING, max_size=3),
       st.lists(MARKING, max_size=3))
def test_no_public_template_in_any_format_shows_what_is_not_public(
        readout_level: str, face: str | None, kp: list[str | None],
        others: list[str | None]) -> None:
    built = marked_readout(readout_level, face, kp, others)
    if built is None:
        return
    doc, hidden = built
    for template in public_templates():
        for fmt in FORMATS:
            try:
                data = readout.render(doc, template, fmt)
            except readout.NothingPublicError:
                assert doc.face_marking != "PUBLIC"
                continue
            blob = everything_in(data, fmt)
            assert [c for c in hidden if shown(c, blob)] == [], (template, fmt)
            assert shown("Cleared point", blob), (template, fmt)


def test_the_leak_scan_can_see_what_it_looks_for() -> None:
    """The same scan finds the canaries in the internal brief (it is not blind)."""
    built = marked_readout("SECRET", "PUBLIC", ["SECRET"], ["OFFICIAL"])
    assert built is not None
    doc, hidden = built
    for fmt in FORMATS:
        blob = everything_in(readout.render(doc, "internal-brief", fmt), fmt)
        assert [c for c in hidden if not shown(c, blob) and c != "ZQtag"] == [], fmt
    with zipfile.ZipFile(io.BytesIO(readout.render(doc, "internal-brief", "docx"))) as z:
        assert b"SECRET" in z.read("docProps/custom.xml")


def test_validate_checks_a_scheme_file_too(tmp_path: Path) -> None:
    good = tmp_path / "nato.yaml"
    good.write_text(NATO)
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: readout-scheme/1\nlevels: [ONLY]\n")
    result = CliRunner().invoke(main, ["validate", str(good), str(bad)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{bad}:2:9: levels: List at least two markings: the public level first, then each "
        "level above it."]
