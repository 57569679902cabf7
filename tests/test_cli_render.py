"""``readout render`` as a user drives it: files in, documents out, exit codes, no traceback."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner, Result
from pypdf import PdfReader

import readout
from readout.cli import main
from readout.writers import FORMATS

from .conftest import MINIMAL, ROOT, SEED
from .extract import docx_text, html_page, pdf_text

# Every template and every format of the registry: what `render` writes by default.
EVERY = sorted(f"{SEED.stem}.{t}.{f}" for t in ("press-release", "internal-brief")
               for f in FORMATS)


@cache
def expected(template: str, fmt: str) -> bytes:
    return readout.render(readout.load(SEED), template, fmt)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def cwd(tmp_path: Path) -> Iterator[Path]:
    """Run in an empty folder of our own."""
    here = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(here)


def run(runner: CliRunner, *args: str, input: str | None = None) -> Result:
    result = runner.invoke(main, ["render", *args], input=input)
    assert "Traceback" not in result.output + result.stderr
    assert not isinstance(result.exception, Exception) or isinstance(result.exception,
                                                                      SystemExit)
    return result


def files(folder: Path) -> list[str]:
    """Every file in ``folder``, hidden ones (temporary files) included."""
    return sorted(p.name for p in folder.iterdir())


def test_default_renders_both_templates_in_both_formats_into_the_cwd(
        runner: CliRunner, cwd: Path) -> None:
    result = run(runner, str(SEED))
    assert result.exit_code == 0, result.stderr
    assert files(cwd) == EVERY
    assert sorted(line.removeprefix("wrote ") for line in result.stdout.splitlines()) == EVERY
    for name in EVERY:
        _, template, fmt = name.rsplit(".", 2)
        assert (cwd / name).read_bytes() == expected(template, fmt), name


def test_output_folder_is_made_and_filled(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "new" / "out"
    result = run(runner, str(SEED), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert files(out) == EVERY


@pytest.mark.parametrize(("options", "names"), [
    (["-t", "internal-brief"], sorted(f"{SEED.stem}.internal-brief.{f}" for f in FORMATS)),
    (["-f", "html", "-f", "txt"], sorted(f"{SEED.stem}.{t}.{f}" for f in ("html", "txt")
                                         for t in ("press-release", "internal-brief"))),
    (["-f", "docx"], [f"{SEED.stem}.internal-brief.docx", f"{SEED.stem}.press-release.docx"]),
    (["-t", "press-release", "-f", "pdf"], [f"{SEED.stem}.press-release.pdf"]),
    (["--template", "press-release", "--template", "internal-brief", "--format", "pdf"],
     [f"{SEED.stem}.internal-brief.pdf", f"{SEED.stem}.press-release.pdf"]),
])
def test_templates_and_formats_are_chosen_with_t_and_f(
        runner: CliRunner, tmp_path: Path, options: list[str], names: list[str]) -> None:
    result = run(runner, str(SEED), *options, "-o", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    assert files(tmp_path) == names


@pytest.mark.parametrize(("name", "options", "template", "fmt"), [
    ("release.pdf", [], "press-release", "pdf"),
    ("release.docx", ["-t", "press-release"], "press-release", "docx"),
    ("brief.pdf", ["-t", "internal-brief"], "internal-brief", "pdf"),
    ("x.internal-brief.docx", [], "internal-brief", "docx"),
    ("brief.PDF", ["-t", "internal-brief", "-f", "pdf"], "internal-brief", "pdf"),
    ("x.html", [], "press-release", "html"),
    ("x.internal-brief.txt", [], "internal-brief", "txt"),
    ("brief.TXT", ["-t", "internal-brief", "-f", "txt"], "internal-brief", "txt"),
])
def test_an_output_file_name_writes_that_one_file(
        runner: CliRunner, tmp_path: Path, name: str, options: list[str], template: str,
        fmt: str) -> None:
    target = tmp_path / "sub" / name
    result = run(runner, str(SEED), "-o", str(target), *options)
    assert result.exit_code == 0, result.stderr
    assert files(target.parent) == [name]
    assert target.read_bytes() == expected(template, fmt)


def test_dash_reads_the_readout_from_stdin(runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, "-", "-o", str(tmp_path), input=MINIMAL)
    assert result.exit_code == 0, result.stderr
    assert files(tmp_path) == sorted(f"readout.{t}.{f}" for t in ("press-release",
                                                                  "internal-brief")
                                     for f in FORMATS)
    pdf = (tmp_path / "readout.press-release.pdf").read_bytes()
    assert "Minister A held a bilateral meeting with Minister B." in pdf_text(pdf)
    brief = (tmp_path / "readout.internal-brief.docx").read_bytes()
    assert "Department of Defence Production" in docx_text(brief)


def test_invalid_input_exits_1_with_located_errors_and_writes_nothing(
        runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "in" / "m.yaml"
    bad.parent.mkdir()
    bad.write_text(MINIMAL.replace("kind: bilateral", "kind: summit")
                   .replace("date: 2025-06-26", "date: 2025-13-01"), encoding="utf-8")
    out = tmp_path / "out"
    result = run(runner, str(bad), "-o", str(out))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert any(line.startswith(f"{bad}:8:9: meeting.kind: ") for line in lines), lines
    assert any(line.startswith(f"{bad}:9:9: meeting.date: ") for line in lines), lines
    assert result.stdout == ""
    assert not out.exists()


def test_stdin_errors_are_located_too(runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, "-", "-o", str(tmp_path), input=MINIMAL.replace("title:", "titel:"))
    assert result.exit_code == 1
    assert "<stdin>:2:1: titel: " in result.stderr
    assert files(tmp_path) == []


@pytest.mark.parametrize("command", [["render"], ["validate"], ["batch"]])
def test_a_missing_file_is_a_usage_error_for_every_command(
        runner: CliRunner, tmp_path: Path, command: list[str]) -> None:
    missing = tmp_path / "nope.yaml"
    result = runner.invoke(main, [*command, str(missing), "-o" if command != ["validate"]
                                  else "--strict", *([str(tmp_path)] if command != [
                                      "validate"] else [])])
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines()[-1] == f"Error: {missing}: The file does not exist."
    assert files(tmp_path) == []


def test_an_unknown_template_is_one_usage_error_naming_the_file(
        runner: CliRunner, tmp_path: Path) -> None:
    from readout.templating import available_templates, describe_template

    choices = [t for t in available_templates() if describe_template(t).renders == "readout"]
    result = run(runner, str(SEED), "-t", "press-releese", "-o", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{SEED}: The template 'press-releese' is unknown; did you mean 'press-release'? "
        f"The templates are: {', '.join(choices)}."]
    assert files(tmp_path) == []


def test_dash_o_dash_writes_one_document_to_standard_output(runner: CliRunner,
                                                            cwd: Path) -> None:
    result = run(runner, str(SEED), "-o", "-", "-t", "internal-brief", "-f", "pdf")
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes == expected("internal-brief", "pdf")
    docx_out = run(runner, str(SEED), "-o", "-", "-f", "docx")
    assert docx_out.stdout_bytes == expected("press-release", "docx")
    assert files(cwd) == []


@pytest.mark.parametrize("args", [
    ["-o", "-"],                                              # which format?
    ["-o", "-", "-f", "pdf", "-f", "docx"],
    ["-o", "-", "-f", "pdf", "-t", "press-release", "-t", "internal-brief"],
])
def test_dash_o_dash_takes_one_template_and_one_format(runner: CliRunner, cwd: Path,
                                                      args: list[str]) -> None:
    result = run(runner, str(SEED), *args)
    assert result.exit_code == 2
    assert ("Error: Standard output (-o -) takes one document: give -f once "
            f"({', '.join(readout.writers.FORMATS)}), and -t once at most.") in result.stderr
    assert result.stdout_bytes == b"" and files(cwd) == []


def test_an_output_name_that_is_neither_a_folder_nor_a_document_is_a_usage_error(
        runner: CliRunner, cwd: Path) -> None:
    result = run(runner, str(SEED), "-o", "out.odt")
    assert result.exit_code == 2
    assert ("Error: 'out.odt' is not a folder, nor a file name ending in .pdf, .docx, .html "
            "or .txt; create the folder first, or name a file of one of those kinds."
            ) in result.stderr
    assert files(cwd) == []
    (cwd / "out.v2").mkdir()
    assert run(runner, str(SEED), "-o", "out.v2", "-f", "pdf").exit_code == 0


def test_an_output_that_is_a_file_is_said_once(runner: CliRunner, cwd: Path) -> None:
    (cwd / "notes").write_text("mine")
    result = run(runner, str(SEED), "-o", "notes")
    assert result.exit_code == 2
    assert result.stderr.count("notes") == 1, result.stderr
    assert (cwd / "notes").read_text() == "mine"


def test_an_output_folder_that_cannot_take_files_is_said_once(
        runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    result = run(runner, str(SEED), "-o", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr.count("No space left on device") == 1, result.stderr
    assert files(tmp_path) == []


def test_quiet_says_nothing_but_problems(runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, str(SEED), "-o", str(tmp_path), "-q")
    assert result.exit_code == 0 and result.output == ""
    assert files(tmp_path) == EVERY
    bad = run(runner, str(tmp_path / "x.yaml"), "-q")
    assert bad.exit_code == 2 and "does not exist" in bad.stderr


def nothing_public_copy(folder: Path) -> Path:
    """The seed with every portion made OFFICIAL: same id, no press release possible."""
    text = SEED.read_text(encoding="utf-8").replace("classification: PUBLIC",
                                                    "classification: OFFICIAL")
    path = folder / SEED.name
    path.write_text(text, encoding="utf-8")
    (folder / "assets").mkdir()
    (folder / "assets" / "emblem.png").write_bytes((SEED.parent / "assets" / "emblem.png")
                                                   .read_bytes())
    return path


@pytest.mark.parametrize("options", [["-t", "press-release"], []])
def test_a_release_the_input_no_longer_clears_is_removed_and_the_brief_still_written(
        runner: CliRunner, tmp_path: Path, options: list[str]) -> None:
    out = tmp_path / "out"
    assert run(runner, str(SEED), "-o", str(out), *options).exit_code == 0
    before = files(out)
    source = tmp_path / "src"
    source.mkdir()
    result = run(runner, str(nothing_public_copy(source)), "-o", str(out), *options)
    assert result.exit_code == 1
    releases = [name for name in before if ".press-release." in name]
    removed = [f"removed {out / name}: the current input cannot make this public document."
               for name in releases]
    lines = result.stderr.splitlines()
    assert sorted(line for line in lines if line.startswith("removed ")) == sorted(removed)
    refusals = [line for line in lines if "face_classification is OFFICIAL" in line]
    assert len(refusals) == 1, "one message, not one per format"
    assert "set it to PUBLIC when the title and summary are cleared for release" in refusals[0]
    assert files(out) == [name for name in before if name not in releases]
    if not options:
        assert "wrote" in result.stdout, "the brief is still written when the release fails"


def test_a_failed_write_keeps_the_good_file_and_leaves_no_temporary_file(
        runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "release.pdf"
    target.write_bytes(b"%PDF- the good old release")

    def fail(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    result = run(runner, str(SEED), "-o", str(target))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"{target}: The file cannot be written: No space left " \
        "on device."
    assert files(tmp_path) == ["release.pdf"]
    assert target.read_bytes() == b"%PDF- the good old release"


@pytest.mark.parametrize("args", [
    [],                                                   # no file
    ["SEED", "-f", "odt"],                                # not a format
    ["SEED", "--colour", "red"],                          # not an option
    ["SEED", "-o", "x.pdf", "-t", "press-release", "-t", "internal-brief"],
    ["SEED", "-o", "x.pdf", "-f", "docx"],                # the name says PDF
    ["SEED", "-o", "x.docx", "-f", "pdf", "-f", "docx"],
    ["SEED", "-o", "x.html", "-f", "txt"],                # the name says HTML
    ["SEED", "--images", "inline"],                       # not a choice
    ["SEED", "--theme", "no-such-theme.yaml"],
])
def test_usage_errors_exit_2_and_write_nothing(runner: CliRunner, cwd: Path,
                                               args: list[str]) -> None:
    result = run(runner, *[str(SEED) if a == "SEED" else a for a in args])
    assert result.exit_code == 2, result.output
    assert "Usage:" in result.stderr or "Error:" in result.stderr
    assert files(cwd) == []


def test_the_real_command_renders_in_a_subprocess(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    done = subprocess.run([sys.executable, "-m", "readout", "render", str(SEED), "-o",
                           str(tmp_path)], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert files(tmp_path) == EVERY
    pdf = (tmp_path / f"{SEED.stem}.press-release.pdf").read_bytes()
    assert PdfReader(io.BytesIO(pdf)).metadata.title.startswith("Raksha Mantri meets")
    brief = docx.Document(str(tmp_path / f"{SEED.stem}.internal-brief.docx"))
    assert brief.core_properties.subject == "OFFICIAL — Internal brief"
    bad = subprocess.run([sys.executable, "-m", "readout", "render", "-", "-o", str(tmp_path)],
                         cwd=ROOT, env=env, input="format: readout/1\nid: [", capture_output=True,
                         text=True, timeout=60)
    assert bad.returncode == 1
    assert bad.stderr.startswith("<stdin>:") and "Traceback" not in bad.stderr
    assert files(tmp_path) == EVERY


def test_an_output_path_that_cannot_be_a_folder_is_a_clear_error(
        runner: CliRunner, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = run(runner, str(SEED), "-o", str(blocker / "out"))
    assert result.exit_code == 1
    assert "The file cannot be written: Not a directory." in result.stderr
    assert "internal error" not in result.stderr
    assert files(tmp_path) == ["file"]


def test_a_character_no_font_has_fails_the_render_naming_it_and_its_line(
        runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "m.yaml"
    source.write_text(MINIMAL.replace("with Minister B.", "with Minister B \U0001F600."),
                      encoding="utf-8")
    line = next(n for n, text in enumerate(MINIMAL.splitlines(), 1) if "summary:" in text)
    out = tmp_path / "out"
    result = run(runner, str(source), "-o", str(out))
    assert result.exit_code == 1
    errors = [row for row in result.stderr.splitlines() if "warning" not in row]
    assert errors and all(row.startswith(f"{source}:{line}:") for row in errors), errors
    assert all(" summary: " in row and "U+1F600 (GRINNING FACE)" in row for row in errors)
    assert len(errors) == 1  # told once, not once per document
    assert not out.exists() or files(out) == []
    check = runner.invoke(main, ["validate", str(source)])
    assert check.exit_code == 0
    assert f"{source}:{line}:" in check.stdout and "warning: " in check.stdout
    assert "U+1F600" in check.stdout


def test_images_beside_writes_the_page_and_its_images_folder(
        runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, str(SEED), "-f", "html", "--images", "beside", "-o", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    assert files(tmp_path) == sorted([*(f"{SEED.stem}.{t}.html"
                                        for t in ("press-release", "internal-brief")), "images"])
    page = html_page((tmp_path / f"{SEED.stem}.press-release.html").read_bytes())
    [logo] = [image["src"] for image in page.images]
    assert (tmp_path / logo).read_bytes().startswith(b"\x89PNG")
    assert [p.name for p in (tmp_path / "images").iterdir()] == [logo.split("/")[1]]
