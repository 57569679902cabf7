"""A plain `pip install .` carries everything the package needs at run time."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

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


_RENDER_EVERYTHING = """
import sys, pathlib, readout
from readout.themes import load_theme
from readout.templating import available_templates, describe_template
here = pathlib.Path(readout.__file__).resolve().parent
assert str(here).startswith(sys.prefix), here  # the installed wheel, not the source tree
fonts = [f for role in ("body", "heading") for f in load_theme().chain(role).families]
assert all(p.resolve().is_relative_to(here) for f in fonts
           for p in (f.regular, f.bold, f.italic, f.bold_italic)), fonts
out = pathlib.Path(sys.argv[2])
count = 0
for sample in sorted(pathlib.Path(sys.argv[1]).glob("*.yaml")):
    if sample.name.endswith(".series.yaml"):
        continue
    doc = readout.load(sample)
    for template in available_templates():
        if describe_template(template).renders == "readout":
            for fmt in ("pdf", "docx"):
                readout.render_to(doc, out / f"{doc.id}.{template}.{fmt}", template, fmt)
                count += 1
print(count)
"""


@pytest.mark.slow
def test_the_installed_wheel_alone_renders_every_sample_in_every_script(
        tmp_path: Path) -> None:
    """`pip install .` into a fresh environment: the fonts of every script come from the
    package (no system font is looked up), and every sample renders."""
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(tmp_path), str(ROOT)], check=True, capture_output=True)
    [wheel] = tmp_path.glob("readout-*.whl")
    env_dir = tmp_path / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], check=True)
    python = env_dir / "bin" / "python"
    site = next((env_dir / "lib").glob("python*/site-packages"))
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)  # what pip install does with a pure-Python wheel
    dependencies = Path(next(p for p in sys.path if p.endswith("site-packages")))
    (site / "dependencies.pth").write_text(f"{dependencies}\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    done = subprocess.run([str(python), "-c", _RENDER_EVERYTHING, str(ROOT / "samples"),
                           str(out)], capture_output=True, text=True, cwd=tmp_path,
                          env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert int(done.stdout.strip()) == len(list(out.iterdir())) >= 24
