"""The manifest: entries, member records, and the journal a run appends to."""

from __future__ import annotations

import json
from pathlib import Path

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
