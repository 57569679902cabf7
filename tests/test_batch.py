"""Batch rendering of a series: located failures, manifest, incremental re-runs,
crash safety, the digest, progress, and other executors."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from docx import Document as DocxDocument
from pypdf import PdfReader

from readout.batch import render_series
from readout.cli import main
from readout.errors import ValidationError

from .conftest import MINIMAL, SERIES, make_series
from .extract import docx_row_cells, txt_words


def manifest_of(out: Path) -> dict[str, dict[str, str]]:
    data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {entry["path"]: entry for entry in data["outputs"]}


def test_one_invalid_member_never_stops_the_others(tmp_path: Path) -> None:
    series_file = make_series(tmp_path, 4)
    bad = tmp_path / "meetings" / "m002.yaml"
    bad.write_text(bad.read_text().replace("date: 2025-06-12", "date: 2025-06-31"))
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["batch", str(series_file), "-o", str(out), "-j", "1"])
    assert result.exit_code == 1
    assert (f"{bad}:6:9: meeting.date: '2025-06-31' is not a date that exists; check the "
            "month and the day.") in result.output
    rendered = sorted(p.name for p in out.glob("*.pdf"))
    assert rendered == ["m001.press-release.pdf", "m003.press-release.pdf",
                        "m004.press-release.pdf", "series.series-digest.pdf"]
    assert "4 rendered, 0 unchanged, 1 failed" in result.output


def test_a_rerun_renders_nothing_and_a_change_renders_only_its_outputs(tmp_path: Path) -> None:
    series_file = make_series(tmp_path, 3, formats="[pdf, docx]")
    out = tmp_path / "out"
    first = render_series(series_file, out, jobs=1)
    assert len(first.rendered) == 3 * 2 + 2 and first.ok
    assert sorted(first.job_cpu) == ["digest", "members"] and min(first.job_cpu.values()) > 0
    before = manifest_of(out)
    again = render_series(series_file, out, jobs=1)
    assert again.rendered == [] and again.job_cpu == {}
    assert len(again.unchanged) == 8
    assert manifest_of(out) == before
    member = tmp_path / "meetings" / "m002.yaml"
    member.write_text(member.read_text().replace("cooperation number 2", "cooperation, two"))
    third = render_series(series_file, out, jobs=1)
    assert sorted(third.rendered) == ["m002.press-release.docx", "m002.press-release.pdf"], (
        "a change the digest does not show leaves the digest alone")
    after = manifest_of(out)
    changed = {name for name in after if after[name]["sha256"] != before[name]["sha256"]}
    assert changed == {"m002.press-release.docx", "m002.press-release.pdf"}
    member.write_text(member.read_text().replace("country: Land 2", "country: Land Two")
                      .replace("met Minister 2.", "met Minister 2 again."))
    fourth = render_series(series_file, out, jobs=1)
    assert sorted(fourth.rendered) == ["m002.press-release.docx", "m002.press-release.pdf",
                                       "series.series-digest.docx", "series.series-digest.pdf"]
    final = manifest_of(out)
    changed = {name for name in final if final[name]["sha256"] != after[name]["sha256"]}
    assert changed == set(fourth.rendered)
    assert {n for n in final if final[n]["inputs"] != after[n]["inputs"]} == set(
        fourth.rendered)


def test_a_damaged_output_is_rendered_again(tmp_path: Path) -> None:
    series_file = make_series(tmp_path, 2)
    out = tmp_path / "out"
    render_series(series_file, out, jobs=1)
    (out / "m001.press-release.pdf").write_bytes(b"garbage")
    (out / "m002.press-release.pdf").unlink()
    report = render_series(series_file, out, jobs=1)
    assert sorted(report.rendered) == ["m001.press-release.pdf", "m002.press-release.pdf"]


def test_the_manifest_records_every_output_with_its_hash(tmp_path: Path) -> None:
    series_file = make_series(tmp_path, 2, formats="[pdf, docx]")
    out = tmp_path / "out"
    render_series(series_file, out, jobs=2)
    manifest = manifest_of(out)
    assert sorted(manifest) == sorted(p.name for p in out.iterdir() if p.suffix in (
        ".pdf", ".docx"))
    for name, entry in manifest.items():
        assert entry["sha256"] == hashlib.sha256((out / name).read_bytes()).hexdigest()
        assert entry["format"] == name.rsplit(".", 1)[1]
        assert len(entry["inputs"]) == 64


def digest_text(out: Path) -> tuple[list[str], list[list[str]]]:
    document = DocxDocument(BytesIO((out / "series.series-digest.docx").read_bytes()))
    paragraphs = [p.text for p in document.paragraphs if p.text.strip()]
    rows = [docx_row_cells(row) for table in document.tables
            for row in table.rows]
    return paragraphs, rows


def test_the_sample_series_renders(tmp_path: Path) -> None:
    out = tmp_path / "out"
    report = render_series(SERIES, out, jobs=2, formats=["pdf"])
    assert report.ok, report.failed
    names = {p.name for p in out.glob("*.pdf")}
    assert "2025-06-26-qingdao-in-ru.press-release.pdf" in names
    assert "sco-qingdao-2025.series-digest.pdf" in names
    assert len(names) == 4 * 2 + 1


def test_a_folder_is_a_series_of_its_readouts(tmp_path: Path) -> None:
    folder = tmp_path / "meetings"
    folder.mkdir()
    (folder / "a.yaml").write_text(MINIMAL)
    (folder / "b.yaml").write_text(MINIMAL.replace("2025-06-26", "2025-06-27"))
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["batch", str(folder), "-o", str(out), "-f", "pdf",
                                       "-t", "press-release", "-j", "1"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.glob("*.pdf")) == [
        "a.press-release.pdf", "b.press-release.pdf", "meetings.series-digest.pdf"]


def test_a_killed_batch_leaves_only_whole_documents_and_resumes(tmp_path: Path) -> None:
    series_file = make_series(tmp_path, 40, formats="[pdf, docx]",
                              templates="[press-release, internal-brief]")
    out = tmp_path / "out"
    process = subprocess.Popen([sys.executable, "-m", "readout", "batch", str(series_file),
                                "-o", str(out), "-j", "2"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(out.glob("*.docx"))) < 12:
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    documents = [p for p in out.iterdir() if p.suffix in (".pdf", ".docx")]
    assert 0 < len(documents) < 40 * 4 + 2, "the kill came part-way through"
    for path in documents:
        if path.suffix == ".pdf":
            assert len(PdfReader(path).pages) >= 1
        else:
            assert DocxDocument(str(path)).paragraphs
    manifest = manifest_of(out)
    for name, entry in manifest.items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == entry["sha256"]
    report = render_series(series_file, out, jobs=2)
    assert report.ok
    assert len(report.rendered) + len(report.unchanged) == 40 * 4 + 2
    assert len(report.unchanged) >= len(manifest)
    final = manifest_of(out)
    assert sorted(final) == sorted(p.name for p in out.iterdir() if p.suffix in (
        ".pdf", ".docx"))
    assert not list(out.glob(".*.tmp"))


def test_a_dask_cluster_runs_the_series(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    series_file = make_series(tmp_path, 3)
    out = tmp_path / "out"
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster, \
            distributed.Client(cluster) as client:
        report = render_series(series_file, out, executor=client.get_executor())
    assert report.ok
    assert sorted(report.rendered) == ["m001.press-release.pdf", "m002.press-release.pdf",
                                       "m003.press-release.pdf", "series.series-digest.pdf"]
    assert sorted(manifest_of(out)) == sorted(report.rendered)


def test_progress_is_reported_per_member(tmp_path: Path) -> None:
    series_file = make_series(tmp_path, 3)
    seen: list[tuple[int, int]] = []
    render_series(series_file, tmp_path / "out", jobs=1,
                  progress=lambda file, done, total: seen.append((done, total)))
    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_batch_prints_plain_lines_and_a_summary_off_a_terminal(tmp_path: Path) -> None:
    series_file = make_series(tmp_path, 2)
    result = CliRunner().invoke(main, ["batch", str(series_file), "-o", str(tmp_path / "o"),
                                       "-j", "1"])
    assert result.exit_code == 0, result.output
    assert "[1/2]" in result.output and "[2/2]" in result.output
    assert "3 rendered, 0 unchanged, 0 failed" in result.output


def _living_members_of(group: int) -> list[int]:
    """Processes of the process group ``group`` that are still running (not zombies)."""
    alive = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[2]) == group and fields[0] != "Z":
            alive.append(int(entry.name))
    return alive


def _manifest_matches_the_disk(out: Path) -> None:
    if not (out / "manifest.json").exists():
        return
    for name, entry in manifest_of(out).items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == entry["sha256"], (
            f"{name} on disk is not the document the manifest names")


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_killing_the_parent_at_random_moments_leaves_no_worker_and_a_true_manifest(
        tmp_path: Path) -> None:
    import random

    series_file = make_series(tmp_path, 16, formats="[pdf, docx]",
                              templates="[press-release, internal-brief]")
    out = tmp_path / "out"
    assert render_series(series_file, out, jobs=2).ok  # the manifest names every document
    chance = random.Random(13)
    for round_ in range(10):
        # Every round changes every member: a document replaced by a killed run, or
        # written late by its workers, differs from the one the manifest names.
        for member in sorted((tmp_path / "meetings").glob("*.yaml")):
            text = re.sub(r"cooperation(, round \d+,)? number",
                          f"cooperation, round {round_}, number", member.read_text())
            member.write_text(text)
        process = subprocess.Popen(
            [sys.executable, "-m", "readout", "batch", str(series_file), "-o", str(out),
             "-j", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)
        try:
            time.sleep(chance.uniform(0.3, 3.0))
            process.send_signal(signal.SIGKILL)  # the parent only, not its group
            process.wait()
            deadline = time.monotonic() + 5
            while _living_members_of(process.pid) and time.monotonic() < deadline:
                time.sleep(0.05)
            assert _living_members_of(process.pid) == [], f"round {round_}: workers survived"
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        _manifest_matches_the_disk(out)
    report = render_series(series_file, out, jobs=2)
    assert report.ok
    final = manifest_of(out)
    assert sorted(final) == sorted(p.name for p in out.iterdir() if p.suffix in (
        ".pdf", ".docx"))
    _manifest_matches_the_disk(out)


def test_a_second_batch_on_the_same_output_folder_refuses(tmp_path: Path) -> None:
    series_file = make_series(tmp_path, 30, formats="[pdf, docx]")
    out = tmp_path / "out"
    first = subprocess.Popen([sys.executable, "-m", "readout", "batch", str(series_file),
                              "-o", str(out), "-j", "1"], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not list(out.glob("*.pdf")):
            time.sleep(0.02)
        assert first.poll() is None, "the first batch is still running"
        result = CliRunner().invoke(main, ["batch", str(series_file), "-o", str(out),
                                           "-j", "1"])
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.wait()
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"{out}: Another batch (process {first.pid}) is writing into this folder; wait "
        "for it to finish, or give another output folder.")


def test_a_batch_deletes_only_the_temporary_files_it_makes(tmp_path: Path) -> None:
    series_file = make_series(tmp_path, 2)
    out = tmp_path / "out"
    out.mkdir()
    own = [".notes.tmp", ".m001.press-release.pdf.tmp", ".draft.docx.abcdefgh.tmp"]
    for name in own:
        (out / name).write_text("the user's own file")
    leftover = out / ".m001.press-release.pdf.readout-k3x_9a2b.tmp"
    leftover.write_bytes(b"%PDF-1.4 half-written")
    assert render_series(series_file, out, jobs=1).ok
    assert not leftover.exists()
    assert sorted(p.name for p in out.glob(".*.tmp")) == sorted(own)


def test_a_failure_inside_one_members_document_is_that_members_failure_only(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import readout.writers.pdf as pdf_writer

    real = pdf_writer.write

    def fragile(document: Any, theme: Any) -> bytes:
        if document.metadata.title == "Meeting 2":
            raise RuntimeError("the layout engine gave up")
        return real(document, theme)

    monkeypatch.setattr(pdf_writer, "write", fragile)
    series_file = make_series(tmp_path, 3)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["batch", str(series_file), "-o", str(out), "-j", "1"])
    assert result.exit_code == 1
    member = tmp_path / "meetings" / "m002.yaml"
    assert f"failed: {member}" in result.output
    assert (f"  {member}: The press-release PDF cannot be made (RuntimeError: the layout "
            "engine gave up). This is a bug in readout; please report it with this readout "
            "file.") in result.output
    assert "internal error" not in result.output
    assert sorted(p.name for p in out.glob("*.pdf")) == [
        "m001.press-release.pdf", "m003.press-release.pdf", "series.series-digest.pdf"]


class _FillingDisk:
    """``os.fdopen`` whose files take ``budget`` bytes in all, then raise ENOSPC."""

    def __init__(self, budget: int) -> None:
        self.left = budget
        self.real = os.fdopen

    def __call__(self, fd: int, *args: Any, **kwargs: Any) -> Any:
        stream = self.real(fd, *args, **kwargs)
        disk = self

        class Limited:
            def __enter__(self) -> Limited:
                return self

            def __exit__(self, *exc: object) -> None:
                stream.close()

            def write(self, data: bytes) -> int:
                if len(data) > disk.left:
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                disk.left -= len(data)
                return int(stream.write(data))

            def flush(self) -> None:
                stream.flush()

            def fileno(self) -> int:
                return int(stream.fileno())

        return Limited()


def test_a_full_disk_is_reported_once_and_the_run_stops_cleanly(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    series_file = make_series(tmp_path, 6, formats="[pdf, docx]")
    out = tmp_path / "out"
    assert render_series(series_file, out, jobs=1).ok
    for member in (tmp_path / "meetings").glob("*.yaml"):
        member.write_text(member.read_text().replace("title: Meeting", "title: Talks"))
    monkeypatch.setattr(os, "fdopen", _FillingDisk(300_000))
    result = CliRunner().invoke(main, ["batch", str(series_file), "-o", str(out), "-j", "1"])
    monkeypatch.undo()
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if not line.startswith("[")]
    assert lines == [f"{out}: The disk is full (No space left on device); free some space, "
                     "then run the batch again: the documents already written are kept."]
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    _manifest_matches_the_disk(out)
    assert render_series(series_file, out, jobs=1).ok


def test_a_read_only_output_folder_is_reported_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    series_file = make_series(tmp_path, 3)
    out = tmp_path / "out"
    assert render_series(series_file, out, jobs=1).ok
    real_open = os.open

    def read_only(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if str(path).startswith(str(out)) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", read_only)
    result = CliRunner().invoke(main, ["batch", str(series_file), "-o", str(out), "-j", "1"])
    monkeypatch.undo()
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{out}: The output folder cannot be written (Read-only file system); give a folder "
        "you can write to."]


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 512 KB file system (less than a 6-member series needs), where this machine
    lets us mount one."""
    where = tmp_path / "disk"
    where.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(where)],
                             capture_output=True, check=False)
    if mounted.returncode != 0:
        pytest.skip("no mount here; the simulated full and read-only disks above cover it")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


@pytest.mark.slow
def test_a_real_full_disk_and_a_real_read_only_folder_stop_the_batch_cleanly(
        tmp_path: Path, small_disk: Path) -> None:
    series_file = make_series(tmp_path, 6, formats="[pdf, docx]")
    out = small_disk / "out"
    batch = [sys.executable, "-m", "readout", "batch", str(series_file), "-o", str(out),
             "-j", "2"]
    full = subprocess.run(batch, capture_output=True, text=True, check=False)
    assert full.returncode == 1
    assert full.stderr.splitlines()[-1] == (
        f"{out}: The disk is full (No space left on device); free some space, then run the "
        "batch again: the documents already written are kept.")
    assert "Traceback" not in full.stderr and "internal error" not in full.stderr
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    _manifest_matches_the_disk(out)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    read_only = subprocess.run(batch, capture_output=True, text=True, check=False)
    assert read_only.returncode == 1
    assert read_only.stderr.splitlines() == [
        f"{out}: The output folder cannot be written (Read-only file system); give a folder "
        "you can write to."]


@pytest.mark.parametrize("damage", [
    '{"format": "readout-manifest/1", "outputs": [["m001.press-release.pdf"]]}',
    '{"format": "readout-manifest/1", "outputs": [{"path": 7, "sha256": null}]}',
    '{"format": "readout-manifest/1", "outputs": [{"path": "m001.press-release.pdf", '
    '"template": "press-release", "format": "pdf", "sha256": "x", "inputs": "y", '
    '"size": "big", "mtime_ns": 1}]}',
    '{"format": "readout-manifest/1", "outputs": {}, "meetings": []}',
    '[1, 2, 3]',
    '{"outputs": [',
])
def test_a_damaged_manifest_is_taken_as_absent_and_said_so(tmp_path: Path,
                                                           damage: str) -> None:
    series_file = make_series(tmp_path, 2)
    out = tmp_path / "out"
    assert render_series(series_file, out, jobs=1).ok
    (out / "manifest.json").write_text(damage)
    result = CliRunner().invoke(main, ["batch", str(series_file), "-o", str(out), "-j", "1"])
    assert result.exit_code == 0, result.output
    [said] = [line for line in result.output.splitlines() if "warning" in line]
    assert said.startswith(f"{out / 'manifest.json'}: warning: The manifest is damaged (")
    assert said.endswith("), so it is ignored and every document is rendered again.")
    assert "3 rendered, 0 unchanged, 0 failed" in result.output
    again = CliRunner().invoke(main, ["batch", str(series_file), "-o", str(out), "-j", "1"])
    assert "0 rendered, 3 unchanged" in again.output and "warning" not in again.output


def test_the_digest_is_made_from_the_members_never_from_the_manifest(tmp_path: Path) -> None:
    series_file = make_series(tmp_path, 3, formats="[docx]")
    out = tmp_path / "out"
    assert render_series(series_file, out, jobs=1).ok
    text = (out / "manifest.json").read_text().replace('"Minister 1"', '"FORGED MINISTER"')
    (out / "manifest.json").write_text(text.replace('"Owner 1"', '"FORGED OWNER"'))
    member = tmp_path / "meetings" / "m002.yaml"
    member.write_text(member.read_text().replace("owner: Owner 2", "owner: Owner two"))
    assert render_series(series_file, out, jobs=1).ok
    paragraphs, rows = digest_text(out)
    shown = "\n".join(paragraphs + [cell for row in rows for cell in row])
    assert "Owner two" in shown and "Minister 1 (Land 1)" in shown
    assert "FORGED" not in shown


def test_a_series_renders_the_web_page_and_the_e_mail_text_of_every_member_and_the_digest(
        tmp_path: Path) -> None:
    series_file = make_series(tmp_path, 2, formats="[html, txt]",
                              templates="[press-release, internal-brief]")
    out = tmp_path / "out"
    report = render_series(series_file, out, jobs=1)
    assert report.ok and not report.failed
    names = sorted(p.name for p in out.iterdir() if not p.name.startswith(("manifest", ".")))
    assert names == sorted(f"{stem}.{fmt}" for fmt in ("html", "txt") for stem in (
        "m001.press-release", "m001.internal-brief", "m002.press-release",
        "m002.internal-brief", "series.series-digest"))
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert {entry["format"] for entry in manifest["outputs"]} == {"html", "txt"}
    digest = " ".join(txt_words((out / "series.series-digest.txt").read_bytes()))
    assert ("(OFFICIAL) Action of meeting 2 m002/O1 13 Jun 2025 In progress due in 1 day "
            "12 Jun 2025, Minister 2, Qingdao") in digest
    assert "Owner 2: 1 (1 in progress). Owner 1: 1 (1 done)." in digest, "the chart, in words"
    assert b"<article>" in (out / "series.series-digest.html").read_bytes()


def test_a_series_naming_an_unknown_format_is_a_located_error(tmp_path: Path) -> None:
    series_file = make_series(tmp_path, 1, formats="[pdf, odt]")
    with pytest.raises(ValidationError) as caught:
        render_series(series_file, tmp_path / "out")
    assert str(caught.value) == (
        f"{series_file}:12:53: render.formats.1: 'odt' is not a format; choose one of: "
        "pdf, docx, html, txt.")


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_ctrl_c_stops_a_batch_with_130_cleanly(tmp_path: Path) -> None:
    series_file = make_series(tmp_path, 400, formats="[pdf, docx]")  # cannot finish first
    out = tmp_path / "out"
    process = subprocess.Popen([sys.executable, "-m", "readout", "batch", str(series_file),
                                "-o", str(out), "-j", "2"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(list(out.glob("*.pdf"))) < 4:
            time.sleep(0.02)
        os.killpg(process.pid, signal.SIGINT)  # as a terminal's Ctrl-C does
        _, stderr = process.communicate(timeout=30)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 130
    assert "Aborted" not in stderr and "Traceback" not in stderr, stderr
    deadline = time.monotonic() + 5
    while _living_members_of(process.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _living_members_of(process.pid) == []
    _manifest_matches_the_disk(out)
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_an_id_too_long_for_a_file_name_is_that_members_located_failure(
        tmp_path: Path) -> None:
    series_file = make_series(tmp_path, 2)
    member = tmp_path / "meetings" / "m002.yaml"
    member.write_text("id: " + "a" * 300 + "\n" + member.read_text())
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["batch", str(series_file), "-o", str(out), "-j", "1"])
    assert result.exit_code == 1
    assert (f"  {member}:1:5: id: This id has 300 characters; an id has at most 100, so that "
            "the file names made of it fit every system.") in result.output
    assert "internal error" not in result.output
    assert sorted(p.name for p in out.glob("*.pdf")) == ["m001.press-release.pdf",
                                                         "series.series-digest.pdf"]


def _outputs(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.suffix in (
        ".pdf", ".docx")}


@pytest.mark.slow
def test_threads_and_processes_make_the_same_bytes(tmp_path: Path) -> None:
    """Rendering is thread-safe: a thread pool (twice), Dask threads and the default
    process pool give byte-identical documents, and no PDF is ASCII85-armoured (a
    process-global reportlab setting flipped per document once made some so)."""
    from concurrent.futures import ThreadPoolExecutor

    from reportlab import rl_config

    before = rl_config.useA85
    runs: dict[str, dict[str, bytes]] = {}
    for run in ("threads-1", "threads-2"):
        with ThreadPoolExecutor(max_workers=4) as pool:
            report = render_series(SERIES, tmp_path / run, executor=pool)
        assert report.ok, report.failed
        runs[run] = _outputs(tmp_path / run)
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=4, processes=False,
                                  dashboard_address=":0") as cluster, \
            distributed.Client(cluster) as client:
        assert render_series(SERIES, tmp_path / "dask", executor=client.get_executor()).ok
    runs["dask-threads"] = _outputs(tmp_path / "dask")
    assert render_series(SERIES, tmp_path / "processes", jobs=2).ok
    runs["processes"] = _outputs(tmp_path / "processes")
    reference = runs["processes"]
    assert len(reference) == 4 * 2 * 2 + 2
    for run, outputs in runs.items():
        assert outputs.keys() == reference.keys(), run
        differ = [name for name in reference if outputs[name] != reference[name]]
        assert not differ, f"{run}: {differ}"
    assert not [name for name, data in reference.items() if b"/ASCII85Decode" in data]
    assert rl_config.useA85 == before  # other reportlab users in the process keep theirs


def test_an_unchanged_rerun_reads_no_member_file(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import readout.series as series_module

    series_file = make_series(tmp_path, 3, formats="[pdf, docx]")
    out = tmp_path / "out"
    assert render_series(series_file, out, jobs=1).ok
    read: list[str] = []
    real = series_module.read_text

    def spy(source: Any, **kwargs: Any) -> tuple[str, str]:
        read.append(str(source))
        return real(source, **kwargs)

    monkeypatch.setattr(series_module, "read_text", spy)
    again = render_series(series_file, out, jobs=1)
    assert again.rendered == [] and len(again.unchanged) == 3 * 2 + 2
    assert read == [str(series_file)], "only the series file is read"
    member = tmp_path / "meetings" / "m002.yaml"
    member.write_text(member.read_text().replace("cooperation number 2", "cooperation, two"))
    read.clear()
    third = render_series(series_file, out, jobs=1)
    assert sorted(third.rendered) == ["m002.press-release.docx", "m002.press-release.pdf"]
    assert str(member) in read  # a changed file is read (and the others, for the digest)


def test_a_changed_default_renders_every_member_that_takes_it(tmp_path: Path) -> None:
    series_file = make_series(tmp_path, 3)
    out = tmp_path / "out"
    assert render_series(series_file, out, jobs=1).ok
    text = series_file.read_text()
    series_file.write_text(text.replace("city: New Delhi", "city: Mumbai"))
    report = render_series(series_file, out, jobs=1)
    assert sorted(report.rendered) == ["m001.press-release.pdf", "m002.press-release.pdf",
                                       "m003.press-release.pdf"]
    assert "MUMBAI" in PdfReader(out / "m002.press-release.pdf").pages[0].extract_text()
    assert render_series(series_file, out, jobs=1).rendered == []


def test_a_changed_logo_beside_a_member_renders_it_again(tmp_path: Path) -> None:
    from .conftest import tiny_png

    series_file = make_series(tmp_path, 2)
    member = tmp_path / "meetings" / "m001.yaml"
    logo = tmp_path / "meetings" / "crest.png"
    logo.write_bytes(tiny_png(4, 2))
    member.write_text(member.read_text().replace(
        "meeting:\n", "issuer:\n  organisation: Ministry of Defence\n  city: New Delhi\n"
        "  logo: crest.png\nmeeting:\n", 1))
    out = tmp_path / "out"
    assert render_series(series_file, out, jobs=1).ok
    assert render_series(series_file, out, jobs=1).rendered == []
    logo.write_bytes(tiny_png(8, 2))  # the member file itself is untouched
    report = render_series(series_file, out, jobs=1)
    assert report.rendered == ["m001.press-release.pdf"]


def test_two_members_with_one_id_the_first_in_file_order_keeps_it(tmp_path: Path) -> None:
    series_file = make_series(tmp_path, 12)
    second = tmp_path / "meetings" / "m007.yaml"
    second.write_text("id: m003\n" + second.read_text())
    out = tmp_path / "out"
    report = render_series(series_file, out, jobs=2)
    assert list(report.failed) == [str(second)]
    # the first member warms the batch's process; the last quarter is checked, then rendered
    assert sorted(report.job_cpu) == ["checks", "digest", "first", "members", "renders"]
    [problem] = report.failed[str(second)]
    assert problem.message == (f"The id 'm003' is already used by "
                               f"{tmp_path / 'meetings' / 'm003.yaml'}; give each readout "
                               "its own id.")
    text = PdfReader(out / "m003.press-release.pdf").pages[0].extract_text()
    assert "Meeting 3" in text and "Meeting 7" not in text
    again = render_series(series_file, out, jobs=2)
    assert list(again.failed) == [str(second)] and again.rendered == []


def test_a_document_replaced_while_others_are_checked_is_never_named_as_it_was(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A member's documents rendering in a worker while the last member is still being
    checked are dropped from the manifest on disk before they replace the old ones, like
    every other changing document: at no moment does the manifest name a document that
    is not on disk as named."""
    import threading
    from concurrent.futures import Executor, Future, ThreadPoolExecutor

    from readout.manifest import Manifest

    series_file = make_series(tmp_path, 3)
    out = tmp_path / "out"
    assert render_series(series_file, out, jobs=1).ok
    for member in (tmp_path / "meetings").glob("*.yaml"):
        member.write_text(member.read_text().replace("number", "number, again"))
    rendering = threading.Event()

    class LateLastCheck(Executor):
        """Threads; the last member's job waits until another member's runs, and that
        one comes back a while after it."""

        def __init__(self) -> None:
            self.pool = ThreadPoolExecutor(4)

        def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
            job = args[0]

            def run() -> Any:
                if job.file.endswith("m003.yaml"):
                    assert rendering.wait(10)
                elif type(job).__name__ == "_Member":
                    rendering.set()
                    time.sleep(1.0)
                return fn(*args, **kwargs)
            return self.pool.submit(run)

    real_replace = os.replace
    replaced: list[str] = []

    def replace_and_check(source: Any, target: Any) -> None:
        real_replace(source, target)
        target = Path(target)
        if target.parent == out and target.suffix == ".pdf":
            replaced.append(target.name)
            entry = Manifest.read(out / "manifest.json").outputs.get(target.name)
            assert entry is None or entry["sha256"] == hashlib.sha256(
                target.read_bytes()).hexdigest(), f"{target.name} named as it was"

    monkeypatch.setattr(os, "replace", replace_and_check)
    executor = LateLastCheck()
    try:
        report = render_series(series_file, out, executor=executor)
    finally:
        executor.pool.shutdown()
    assert report.ok and sorted(replaced) == sorted(report.rendered)
    assert "m001.press-release.pdf" in replaced


def test_an_unchanged_rerun_parses_no_theme_and_a_changed_theme_renders_everything(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    series_file = make_series(tmp_path, 2)
    theme = tmp_path / "theme.yaml"
    theme.write_text("format: readout-theme/1\npage:\n  margin_left_mm: 25\n")
    out = tmp_path / "out"
    first = render_series(series_file, out, jobs=1, theme=theme)
    assert first.ok and len(first.rendered) == 3
    import readout.themes

    real = readout.themes.load_theme

    def refused(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the theme was parsed")

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    del manifest["theme"]  # as an older readout wrote it: the next run keeps the theme's
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert render_series(series_file, out, jobs=1, theme=theme).rendered == []
    assert "theme" in json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    monkeypatch.setattr(readout.themes, "load_theme", refused)
    again = render_series(series_file, out, jobs=1, theme=theme)
    assert again.rendered == [] and len(again.unchanged) == 3
    monkeypatch.setattr(readout.themes, "load_theme", real)
    theme.write_text("format: readout-theme/1\npage:\n  margin_left_mm: 30\n")
    changed = render_series(series_file, out, jobs=1, theme=theme)
    assert sorted(changed.rendered) == sorted(first.rendered)
    assert manifest_of(out).keys() == {*first.rendered}


def test_as_at_that_is_no_date_is_a_usage_error(tmp_path: Path) -> None:
    series_file = make_series(tmp_path, 1)
    for value, message in (("31/12/2025", "'31/12/2025' is not a date; write it as "
                                          "YYYY-MM-DD, for example 2025-12-31."),
                           ("2025-02-30", "'2025-02-30' is not a date that exists; check the "
                                          "month and the day.")):
        result = CliRunner().invoke(main, ["batch", str(series_file), "-o",
                                           str(tmp_path / "o"), "--as-at", value])
        assert result.exit_code == 2
        assert f"Invalid value for '--as-at': {message}" in result.output
    assert not (tmp_path / "o").exists()


def test_the_digest_rendered_beside_the_last_members_links_only_to_what_was_made(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The digest starts once every member is checked, taking the documents still to
    render as made; when one is not (the last member's press release, refused), the
    digest is made again and links to none of it."""
    import zipfile
    from concurrent.futures import ThreadPoolExecutor


    series_file = make_series(tmp_path, 8, formats="[docx]",
                              templates="[press-release, internal-brief]")
    last = tmp_path / "meetings" / "m008.yaml"
    last.write_text(last.read_text() + "classification: SECRET\nface_classification: SECRET\n")
    digests = digest_jobs(monkeypatch, lambda job: job.generation)
    with ThreadPoolExecutor(2) as pool:
        report = render_series(series_file, tmp_path / "out", executor=pool)
    assert list(report.failed) == [str(last)]
    assert "m008.internal-brief.docx" in report.rendered
    assert "m008.press-release.docx" not in report.rendered
    assert digests == [1, 2], "made as planned, then again without the refused document"
    with zipfile.ZipFile(tmp_path / "out" / "series.series-digest.docx") as package:
        rels = package.read("word/_rels/document.xml.rels").decode()
    linked = set(re.findall(r'Target="(m\d+\.[a-z-]+\.docx)"', rels))
    assert "m008.internal-brief.docx" in linked and "m001.press-release.docx" in linked
    assert "m008.press-release.docx" not in linked
    assert linked <= set(report.rendered)
    again = render_series(series_file, tmp_path / "out", jobs=2)
    assert again.rendered == [] and "series.series-digest.docx" in again.unchanged


def digest_jobs(monkeypatch: pytest.MonkeyPatch, noted: Callable[[Any], Any]) -> list[Any]:
    """What ``noted`` says of each digest job the batch runs, in order, as it runs them."""
    import readout.batch

    seen: list[Any] = []
    real = readout.batch._render_digest

    def counted(job: Any) -> Any:
        seen.append(noted(job))
        return real(job)

    monkeypatch.setattr(readout.batch, "_render_digest", counted)
    return seen


def test_a_digest_planned_before_the_last_members_render_is_made_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from concurrent.futures import ThreadPoolExecutor


    series_file = make_series(tmp_path, 8, formats="[pdf, docx]")
    digests = digest_jobs(monkeypatch, lambda job: job.formats)
    with ThreadPoolExecutor(2) as pool:
        report = render_series(series_file, tmp_path / "out", executor=pool)
    assert report.ok and digests == [("pdf", "docx")]  # one job: one tree, both formats
    assert {"series.series-digest.pdf", "series.series-digest.docx"} <= set(report.rendered)
    assert sorted(manifest_of(tmp_path / "out")) == sorted(report.rendered)


def test_a_member_that_takes_another_id_or_joins_later_is_rendered_once(
        tmp_path: Path) -> None:
    """A worker renders a member in the same job as its check only when the id it had
    is the id it has; one that changed id, and one new to an output folder that holds
    others, are checked, then rendered under their own id."""
    series_file = make_series(tmp_path, 6)
    out = tmp_path / "out"
    assert render_series(series_file, out, jobs=2).ok
    moved = tmp_path / "meetings" / "m002.yaml"
    moved.write_text("id: m002-renamed\n" + moved.read_text())
    joined = tmp_path / "meetings" / "m007.yaml"
    joined.write_text((tmp_path / "meetings" / "m006.yaml").read_text()
                      .replace("Meeting 6", "Meeting 7").replace("2025-06-16", "2025-06-17"))
    report = render_series(series_file, out, jobs=2)
    assert report.ok
    assert sorted(report.rendered) == ["m002-renamed.press-release.pdf",
                                       "m007.press-release.pdf", "series.series-digest.pdf"]
    assert sorted(report.unchanged) == [f"m00{n}.press-release.pdf" for n in (1, 3, 4, 5, 6)]
    text = PdfReader(out / "m002-renamed.press-release.pdf").pages[0].extract_text()
    assert "Meeting 2" in text
    for name, entry in manifest_of(out).items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == entry["sha256"]


def test_the_digest_job_carries_no_meeting_the_batch_holds_none(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the digest shows of each member goes to a file its worker reads, so the
    digest job (what the parent builds and sends) is as small for 6 members as for 2."""
    import pickle

    def noted(job: Any) -> tuple[int, list[str]]:
        lines = Path(job.meetings).read_text(encoding="utf-8").splitlines()
        return len(pickle.dumps(job)), [json.loads(line)[1]["id"] for line in lines]

    seen = digest_jobs(monkeypatch, noted)
    for count in (2, 6):
        assert render_series(make_series(tmp_path / f"s{count}", count),
                             tmp_path / f"s{count}" / "out", jobs=1).ok
    (small, two), (large, six) = seen
    assert small == large
    assert two == ["m001", "m002"] and six == [f"m00{n}" for n in range(1, 7)]
