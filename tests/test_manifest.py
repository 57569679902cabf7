"""The manifest: entries, member records, and the journal a run appends to."""

from __future__ import annotations

import gc
import hashlib
import json
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from readout.manifest import JOURNAL, MANIFEST, Manifest


def _write(out: Path, name: str, data: bytes) -> None:
    (out / name).write_bytes(data)


def test_the_journal_is_replayed_over_the_manifest_and_a_cut_last_line_dropped(
        tmp_path: Path) -> None:
    _write(tmp_path, "a.pdf", b"one")
    _write(tmp_path, "b.pdf", b"two")
    manifest = Manifest()
    manifest.record(tmp_path, "a.pdf", "press-release", "pdf", "x" * 64, "i" * 64)
    manifest.write(tmp_path / MANIFEST)
    manifest.open_journal(tmp_path / MANIFEST)
    manifest.record(tmp_path, "b.pdf", "press-release", "pdf", "y" * 64, "j" * 64)
    manifest.forget({"a.pdf"})
    manifest.remember({"file": "m.yaml", "size": 3, "mtime_ns": 4, "settings": "s",
                       "id": "m", "inputs": "i", "uses": [["logo.png", 1, 2]]})
    manifest.close()
    with open(tmp_path / JOURNAL, "a", encoding="utf-8") as journal:
        journal.write('{"output": {"path": "c.pdf", "sha')  # killed mid-line
    on_disk = json.loads((tmp_path / MANIFEST).read_text())
    assert [entry["path"] for entry in on_disk["outputs"]] == ["a.pdf"]
    again = Manifest.read(tmp_path / MANIFEST)
    assert again.ignored is None
    assert sorted(again.outputs) == ["b.pdf"]
    assert again.members["m.yaml"]["uses"] == [["logo.png", 1, 2]]
    again.write(tmp_path / MANIFEST)
    assert not (tmp_path / JOURNAL).exists()
    assert Manifest.read(tmp_path / MANIFEST).outputs == again.outputs


def test_a_damaged_journal_line_before_the_last_makes_the_manifest_ignored(
        tmp_path: Path) -> None:
    (tmp_path / JOURNAL).write_text('not json\n{"forget": []}\n')
    manifest = Manifest.read(tmp_path / MANIFEST)
    assert manifest.ignored == "line 1 of its journal is not JSON"
    assert manifest.outputs == {}


def _digest(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def test_every_entry_reads_back_as_recorded_and_the_manifest_is_written_back_byte_for_byte(
        tmp_path: Path) -> None:
    manifest = Manifest()
    usual = {"path": "m1.press-release.pdf", "template": "press-release", "format": "pdf",
             "sha256": _digest(1), "inputs": _digest(2), "size": 51234,
             "mtime_ns": 1764633600123456789}
    odd = [  # kept as they are: each must come back exactly
        dict(usual, path="series.digest.pdf", template="digest", members=_digest(3)),
        dict(usual, path="m2.press-release.pdf", sha256=_digest(4).upper()),
        dict(usual, path="m3.press-release.pdf", inputs="not a digest"),
        dict(usual, path="m4.press-release.pdf", note="added by hand"),
        dict(usual, path="m5.press-release.pdf", size=2**70, mtime_ns=-5)]
    for entry in (usual, *odd):
        manifest.outputs[entry["path"]] = entry
    records = [{"file": "meetings/m1.yaml", "size": 812, "mtime_ns": 1764633600000000001,
                "settings": _digest(5), "id": "m1", "inputs": _digest(6),
                "uses": [["/data/assets/logo.png", 40960, 1764633500000000000]]},
               {"file": "meetings/réunion.yaml", "size": 0, "mtime_ns": 0,
                "settings": "", "id": "réunion-du-26-juin", "inputs": _digest(7), "uses": []},
               {"file": "meetings/m3.yaml", "size": 1, "mtime_ns": 2, "settings": "s",
                "id": "m3", "inputs": "I" * 64, "uses": [], "note": "added by hand"}]
    for record in records:
        manifest.remember(record)
    manifest.theme = {"name": "0.1.0\x1e\x1e", "digest": _digest(8),
                      "files": [["/site/theme.yaml", 9184, 1764633400000000000]]}
    manifest.write(tmp_path / MANIFEST)
    again = Manifest.read(tmp_path / MANIFEST)
    assert again.ignored is None
    assert dict(again.outputs) == {entry["path"]: entry for entry in (usual, *odd)}
    assert dict(again.members) == {record["file"]: record for record in records}
    assert again.theme == manifest.theme
    again.write(tmp_path / "again.json")
    assert (tmp_path / "again.json").read_bytes() == (tmp_path / MANIFEST).read_bytes()


def _output_entries(members: int) -> list[dict[str, object]]:
    return [{"path": f"meeting-{n:04d}.{template}.{fmt}", "template": template,
             "format": fmt, "sha256": _digest(n, template, fmt),
             "inputs": _digest("in", n, template, fmt), "size": 50000 + n,
             "mtime_ns": 1764633600000000000 + n}
            for n in range(members) for template in ("press-release", "internal-brief")
            for fmt in ("pdf", "docx")]


def _traced(make: Callable[[], object]) -> tuple[int, int]:
    """The memory what ``make`` returns holds, and the most it used while making it."""
    gc.collect()
    tracemalloc.start()
    try:
        kept = make()
        gc.collect()
        held, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del kept
    return held, peak


def test_output_entries_are_held_in_under_two_fifths_of_the_memory_of_their_dictionaries(
        ) -> None:
    def manifest() -> Manifest:
        kept = Manifest()
        for entry in _output_entries(250):
            kept.outputs[str(entry["path"])] = entry
        return kept

    as_dictionaries, _ = _traced(lambda: {e["path"]: e for e in _output_entries(250)})
    compact, _ = _traced(manifest)
    assert compact * 5 < as_dictionaries * 2, (compact, as_dictionaries)


def test_a_manifest_is_read_a_line_at_a_time_never_whole(tmp_path: Path) -> None:
    manifest = Manifest()
    for entry in _output_entries(250):
        manifest.outputs[str(entry["path"])] = entry
    manifest.write(tmp_path / MANIFEST)
    held, peak = _traced(lambda: Manifest.read(tmp_path / MANIFEST))
    assert peak - held < (tmp_path / MANIFEST).stat().st_size / 4, (peak, held)


def test_a_manifest_laid_out_otherwise_reads_the_same_and_a_wrong_entry_is_named(
        tmp_path: Path) -> None:
    manifest = Manifest()
    for entry in _output_entries(3):
        manifest.outputs[str(entry["path"])] = entry
    manifest.remember({"file": "m.yaml", "size": 3, "mtime_ns": 4, "settings": _digest(),
                       "id": "m", "inputs": _digest(1), "uses": [["logo.png", 1, 2]]})
    manifest.theme = {"name": "t", "digest": _digest(2), "files": [["theme.yaml", 1, 2]]}
    manifest.write(tmp_path / MANIFEST)
    text = (tmp_path / MANIFEST).read_text(encoding="utf-8")
    data = json.loads(text)
    for layout in (json.dumps(data), json.dumps(data, indent=2), text.replace("\n", "\r\n"),
                   text.replace("\n ],\n", "\n ]\n,"), text + "\n"):
        (tmp_path / MANIFEST).write_text(layout, encoding="utf-8", newline="")
        again = Manifest.read(tmp_path / MANIFEST)
        assert (again.ignored, dict(again.outputs), dict(again.members), again.theme) == (
            None, dict(manifest.outputs), dict(manifest.members), manifest.theme)
    wrong = text.replace('"size": 50001', '"size": true')
    (tmp_path / MANIFEST).write_text(wrong, encoding="utf-8")
    ignored = Manifest.read(tmp_path / MANIFEST).ignored
    assert ignored is not None and ignored.startswith("an output entry has the wrong shape")
    broken = text.replace("},\n", "}\n", 1)  # a comma lost: said as reading it whole says
    (tmp_path / MANIFEST).write_text(broken, encoding="utf-8")
    with pytest.raises(ValueError) as whole:
        json.loads(broken)
    assert Manifest.read(tmp_path / MANIFEST).ignored == str(whole.value)
