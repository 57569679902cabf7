"""What we ship: a wheel with everything the package needs at run time, an sdist that
runs its own tests, both built without a setuptools warning, under the Apache-2.0 licence."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The wheel and the sdist, built once (PEP 517 hooks, no isolation) with the log."""
    out = tmp_path_factory.mktemp("dist")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    logs = []
    for hook in ("build_sdist", "build_wheel"):  # one process each, as a frontend does
        done = subprocess.run(
            [sys.executable, "-c", f"import sys; from setuptools import build_meta as b; "
             f"b.{hook}(sys.argv[1])", str(out)],
            cwd=ROOT, env=env, capture_output=True, text=True, check=True)
        logs.append(done.stdout + done.stderr)
    [wheel] = out.glob("readout-*.whl")
    [sdist] = out.glob("readout-*.tar.gz")
    (out / "build.log").write_text("\n".join(logs))
    return {"wheel": wheel, "sdist": sdist, "log": out / "build.log"}


def test_the_build_gives_no_setuptools_warning(built: dict[str, Path]) -> None:
    log = built["log"].read_text()
    assert "warning" not in log.lower(), log
    assert "careful" not in log and "deprecated" not in log.lower()


def test_the_wheel_ships_schemas_templates_fonts_types_and_licences(
        built: dict[str, Path]) -> None:
    archive = zipfile.ZipFile(built["wheel"])
    names = set(archive.namelist())
    expected = {
        "readout/py.typed", "readout/starter.yaml",
        "readout/schemas/readout-1.schema.json",
        "readout/templates/themes/default.yaml",
        "readout/fonts/NotoSans-Regular.ttf", "readout/fonts/NotoSans-Bold.ttf",
        "readout/fonts/NotoSans-Italic.ttf", "readout/fonts/NotoSans-BoldItalic.ttf",
        "readout/fonts/OFL.txt", "readout-0.1.0.dist-info/licenses/LICENSE",
    }
    assert expected <= names
    templates = {n for n in names if n.startswith("readout/templates/") and n.endswith(".j2")}
    built_in = {p.relative_to(ROOT).as_posix() for p in (ROOT / "templates").rglob("*.j2")}
    assert {n.removeprefix("readout/") for n in templates} == built_in
    schemas = {n for n in names if n.startswith("readout/schemas/") and n.endswith(".json")}
    assert {n.removeprefix("readout/") for n in schemas} == {
        p.relative_to(ROOT).as_posix() for p in (ROOT / "schemas").glob("*.json")}
    assert not any(n.startswith(("tests/", "samples/", "benchmarks/")) for n in names)
    metadata = archive.read("readout-0.1.0.dist-info/METADATA").decode()
    assert "License-Expression: Apache-2.0" in metadata
    licence = archive.read("readout-0.1.0.dist-info/licenses/LICENSE").decode()
    assert "Apache License" in licence and "Version 2.0, January 2004" in licence
    assert "END OF TERMS AND CONDITIONS" in licence


def test_schema_export_works_from_the_wheel(built: dict[str, Path], tmp_path: Path) -> None:
    unpacked = tmp_path / "wheel"
    zipfile.ZipFile(built["wheel"]).extractall(unpacked)
    env = {**os.environ, "PYTHONPATH": str(unpacked)}
    where = subprocess.run([sys.executable, "-c", "import readout; print(readout.__file__)"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    assert where.stdout.startswith(str(unpacked))
    done = subprocess.run([sys.executable, "-m", "readout.schema_export", "out"],
                          cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    for schema in (ROOT / "schemas").glob("*.json"):
        assert (tmp_path / "out" / schema.name).read_text() == schema.read_text()
    bare = subprocess.run([sys.executable, "-m", "readout.schema_export"],
                          cwd=tmp_path, env=env, capture_output=True, text=True)
    assert bare.returncode == 2
    assert "give the folder to write them into" in bare.stderr


@pytest.mark.slow
def test_the_sdist_runs_its_tests(built: dict[str, Path], tmp_path: Path) -> None:
    with tarfile.open(built["sdist"]) as archive:
        archive.extractall(tmp_path, filter="data")
    [root] = tmp_path.glob("readout-*")
    assert (root / "LICENSE").is_file() and (root / "tests" / "conftest.py").is_file()
    env = {**os.environ, "PYTHONPATH": str(root)}
    collected = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q",
                                "-p", "no:cacheprovider"], cwd=root, env=env,
                               capture_output=True, text=True)
    assert collected.returncode == 0, collected.stdout[-2000:] + collected.stderr[-2000:]
    ours = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q",
                           "-p", "no:cacheprovider"], cwd=ROOT, capture_output=True, text=True)
    count = [line for line in collected.stdout.splitlines() if " tests collected" in line
             or line.endswith(" collected")]
    assert count and count[-1].split()[0] == [
        line for line in ours.stdout.splitlines() if " tests collected" in line
        or line.endswith(" collected")][-1].split()[0]
    sample = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                             "tests/test_samples.py", "tests/test_loading.py"], cwd=root,
                            env=env, capture_output=True, text=True)
    assert sample.returncode == 0, sample.stdout[-3000:]
    assert str(root) in subprocess.run(
        [sys.executable, "-c", "import readout; print(readout.__file__)"], cwd=root, env=env,
        capture_output=True, text=True).stdout


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
