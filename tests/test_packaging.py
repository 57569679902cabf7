"""A plain `pip install .` carries everything the package needs at run time."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from .conftest import ROOT


def test_the_wheel_ships_schemas_templates_fonts_and_types(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(tmp_path), str(ROOT)], check=True, capture_output=True)
    [wheel] = tmp_path.glob("readout-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        "readout/py.typed", "readout/starter.yaml",
        "readout/schemas/readout-1.schema.json",
        "readout/templates/themes/default.yaml",
        "readout/fonts/NotoSans-Regular.ttf", "readout/fonts/NotoSans-Bold.ttf",
        "readout/fonts/NotoSans-Italic.ttf", "readout/fonts/NotoSans-BoldItalic.ttf",
        "readout/fonts/OFL.txt",
    }
    assert expected <= names
    templates = {n for n in names if n.startswith("readout/templates/") and n.endswith(".j2")}
    built_in = {p.relative_to(ROOT).as_posix() for p in (ROOT / "templates").rglob("*.j2")}
    assert {n.removeprefix("readout/") for n in templates} == built_in
    assert not any(n.startswith(("tests/", "samples/", "benchmarks/")) for n in names)
