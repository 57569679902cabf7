"""The source tree itself: no half-finished merge, no shell script that cannot run."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from .conftest import ROOT

FOLDERS = ("readout", "tests", "tools", "templates", "docs", "samples", "benchmarks", ".ci")
CONFLICT = re.compile(r"^(<{7}|>{7}) ", re.MULTILINE)
SHELL = "#!/usr/bin/env bash"


def _text_files() -> list[Path]:
    files = [p for p in ROOT.iterdir() if p.is_file()]
    for folder in FOLDERS:
        files += [p for p in (ROOT / folder).rglob("*") if p.is_file()
                  and "__pycache__" not in p.parts and p.suffix not in (".png", ".ttf", ".icc")]
    return files


def test_no_file_holds_a_merge_conflict_marker() -> None:
    marked = []
    for path in _text_files():
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        if CONFLICT.search(text):
            marked.append(str(path.relative_to(ROOT)))
    assert marked == []


def test_every_shell_script_parses() -> None:
    scripts = [p for p in _text_files() if p.read_bytes().startswith(SHELL.encode())]
    assert any(p.name == "make_readme_images.sh" for p in scripts)
    for script in scripts:
        check = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
        assert check.returncode == 0, (script, check.stderr)
