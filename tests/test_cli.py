"""The command line, driven as a user drives it: arguments in, output and exit code out."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import readout
from readout.cli import main

from .conftest import SAMPLES


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def write(tmp_path: Path, text: str, name: str = "m.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_validate_accepts_every_sample(runner: CliRunner) -> None:
    files = sorted(str(p) for p in SAMPLES.glob("*.yaml"))
    result = runner.invoke(main, ["validate", *files])
    assert result.exit_code == 0, result.output
    assert f"{len(files)} file(s) checked: 0 error(s), 0 warning(s)." in result.stderr


def test_validate_lists_errors_and_exits_1(
        runner: CliRunner, tmp_path: Path, minimal_text: str) -> None:
    bad = write(tmp_path, minimal_text.replace("kind: bilateral", "kind: summit"))
    result = runner.invoke(main, ["validate", str(bad)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{bad}:8:9: meeting.kind: 'summit' is not a meeting kind; choose one of: bilateral, "
        "multilateral, call, video, visit, call-on, other."]


def test_warnings_print_but_fail_only_when_strict(
        runner: CliRunner, tmp_path: Path, minimal_text: str) -> None:
    path = write(tmp_path, minimal_text.replace("speaker: Andrey Belousov", "speaker: Nobody"))
    relaxed = runner.invoke(main, ["validate", str(path)])
    assert relaxed.exit_code == 0
    assert "warning: 'Nobody' is not a participant" in relaxed.stdout
    strict = runner.invoke(main, ["validate", "--strict", str(path)])
    assert strict.exit_code == 1


def test_validate_json_gives_the_same_problems_as_data(
        runner: CliRunner, tmp_path: Path, minimal_text: str) -> None:
    bad = write(tmp_path, minimal_text.replace("date: 2025-06-26", "date: 2025-02-30"))
    result = runner.invoke(main, ["validate", "--format", "json", str(bad)])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["valid"] is False
    assert report["problems"] == [{
        "file": str(bad), "line": 9, "column": 9, "path": "meeting.date",
        "message": "'2025-02-30' is not a date that exists; check the month and the day.",
        "severity": "error"}]


def test_several_files_are_all_checked(
        runner: CliRunner, tmp_path: Path, minimal_text: str) -> None:
    good = write(tmp_path, minimal_text, "good.yaml")
    broken = write(tmp_path, "- not a mapping\n", "broken.yaml")
    result = runner.invoke(main, ["validate", str(broken), str(good), str(broken)])
    assert result.exit_code == 1
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == [
        str(broken), str(broken)]
    missing = runner.invoke(main, ["validate", str(good), str(tmp_path / "nope.yaml")])
    assert missing.exit_code == 2, "a missing file is a usage error"


def test_usage_errors_exit_2(runner: CliRunner) -> None:
    assert runner.invoke(main, ["validate"]).exit_code == 2
    assert runner.invoke(main, ["validate", "--format", "xml", "x.yaml"]).exit_code == 2
    assert runner.invoke(main, ["frobnicate"]).exit_code == 2


def test_validate_reads_stdin(runner: CliRunner, minimal_text: str) -> None:
    result = runner.invoke(main, ["validate", "-"], input=minimal_text.replace(
        "kind: bilateral", "kind: x"))
    assert result.exit_code == 1
    assert result.stdout.startswith("<stdin>:8:9: meeting.kind:")


def test_schema_prints_the_published_json_schema(runner: CliRunner) -> None:
    result = runner.invoke(main, ["schema"])
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["title"] == "readout/1"
    assert set(document["required"]) >= {"format", "title", "summary", "meeting"}


def test_new_prints_a_starter_that_validates(
        runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["new"])
    assert result.exit_code == 0
    assert result.stdout.count("#") > 20, "the starter explains its keys in comments"
    path = write(tmp_path, result.stdout, "meeting.yaml")
    doc, warnings = readout.check(path)
    assert warnings == []
    assert doc.id == "meeting"


def test_no_traceback_reaches_the_user(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "a-folder.yaml"
    folder.mkdir()
    result = runner.invoke(main, ["validate", str(folder)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.stdout.strip() == f"{folder}: This is a folder, not a readout file."


def test_python_dash_m_runs_the_cli() -> None:
    result = subprocess.run([sys.executable, "-m", "readout", "--version"],
                            capture_output=True, text=True, check=True)
    assert result.stdout.strip() == f"readout, version {readout.__version__}"


def test_schema_series_prints_the_series_schema(runner: CliRunner) -> None:
    result = runner.invoke(main, ["schema", "--series"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["title"] == "readout-series/1"


def test_templates_lists_each_with_its_audience_and_input(runner: CliRunner) -> None:
    result = runner.invoke(main, ["templates"])
    assert result.exit_code == 0
    rows = [line.split()[:3] for line in result.stdout.splitlines()]
    assert rows == [["govuk-press-release", "public", "readout"],
                    ["internal-brief", "internal", "readout"],
                    ["pib-release", "public", "readout"],
                    ["press-release", "public", "readout"],
                    ["series-digest", "internal", "series"],
                    ["us-readout", "public", "readout"]]


def test_a_series_template_is_refused_for_one_readout(
        runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["render", str(SAMPLES / "2025-06-26-qingdao-in-ru.yaml"),
                                  "-t", "series-digest", "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert "renders a whole series, not one readout; use it through 'readout batch'." in (
        result.stderr)
    assert list(tmp_path.iterdir()) == []


def test_quiet_validate_prints_the_problems_and_no_summary(
        runner: CliRunner, tmp_path: Path, minimal_text: str) -> None:
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text(minimal_text)
    bad.write_text(minimal_text.replace("title: Minister A", "titel: Minister A"))
    assert runner.invoke(main, ["validate", "-q", str(good)]).output == ""
    result = runner.invoke(main, ["validate", "-q", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:2:1: titel:" in result.output and "checked" not in result.output


def test_ctrl_c_exits_130_without_aborted(runner: CliRunner, monkeypatch: pytest.MonkeyPatch,
                                          tmp_path: Path, minimal_text: str) -> None:
    import readout.series

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(readout.series, "check_any", interrupted)
    (tmp_path / "m.yaml").write_text(minimal_text)
    result = runner.invoke(main, ["validate", str(tmp_path / "m.yaml")])
    assert result.exit_code == 130
    assert "Aborted" not in result.output and "Traceback" not in result.output


def test_shell_completion_completes_template_names(runner: CliRunner) -> None:
    env = {"_READOUT_COMPLETE": "bash_complete", "COMP_WORDS": "readout render m.yaml -t pr",
           "COMP_CWORD": "4"}
    result = runner.invoke(main, [], env=env, prog_name="readout")
    assert result.exit_code == 0
    assert "plain,press-release" in result.output.splitlines()
    assert not any("internal-brief" in line for line in result.output.splitlines())
    script = runner.invoke(main, [], env={"_READOUT_COMPLETE": "bash_source"},
                           prog_name="readout")
    assert "_readout_completion" in script.output


def test_validate_and_render_warn_when_a_template_asks_for_shorter_text(tmp_path: Path) -> None:
    from .conftest import MINIMAL

    long_title = "Minister A meets Minister B to review defence cooperation in every domain"
    path = tmp_path / "m.yaml"
    path.write_text(MINIMAL.replace("title: Minister A meets Minister B",
                                    f"title: {long_title}"), encoding="utf-8")
    warning = (f"{path}:2:8: title: warning: The title is {len(long_title)} characters long; "
               "the template 'govuk-press-release' asks for 65 at most, so shorten it.")
    runner = CliRunner()
    plain = runner.invoke(main, ["validate", str(path)])
    assert (plain.exit_code, plain.stdout) == (0, "")
    checked = runner.invoke(main, ["validate", "-t", "govuk-press-release", str(path)])
    assert (checked.exit_code, checked.stdout.splitlines()) == (0, [warning])
    strict = runner.invoke(main, ["validate", "--strict", "-t", "govuk-press-release",
                                  str(path)])
    assert strict.exit_code == 1
    rendered = runner.invoke(main, ["render", str(path), "-t", "govuk-press-release", "-f",
                                    "pdf", "-o", str(tmp_path)])
    assert rendered.exit_code == 0
    assert rendered.stderr.splitlines()[0] == warning
    assert (tmp_path / "m.govuk-press-release.pdf").is_file()


def test_new_shows_every_key_of_the_format(runner: CliRunner) -> None:
    """Every field of readout/1 appears in the starter, written or commented out."""
    from readout.schema import ReadoutSchema, _inner_schema

    starter = runner.invoke(main, ["new"]).stdout
    keys = {line.lstrip("# -").split(":", 1)[0].strip() for line in starter.splitlines()
            if ":" in line}
    missing, queue, seen = [], [ReadoutSchema()], set()
    while queue:
        schema = queue.pop()
        if type(schema) in seen:
            continue
        seen.add(type(schema))
        for name, field in schema.fields.items():
            if name not in keys:
                missing.append(f"{type(schema).__name__}.{name}")
            inner = _inner_schema(field)
            if inner is not None:
                queue.append(inner)
    assert missing == []


# What `readout validate` must not load: templating, the writers and what only they need.
_RENDERING_ONLY = ("jinja2", "markupsafe", "reportlab", "docx", "lxml", "babel", "pyphen",
                   "uharfbuzz", "fontTools", "PIL", "bidi", "readout.templating",
                   "readout.tree", "readout.rendering", "readout.writers",
                   "readout.localise", "readout.hyphenation")
_LOADED_AT_EXIT = """
import atexit, runpy, sys
unwanted = sys.argv[1].split(",")
def loaded():
    names = sorted(n for n in sys.modules if any(n == m or n.startswith(m + ".")
                                                   for m in unwanted))
    print("LOADED:" + ",".join(names), file=sys.stderr)
atexit.register(loaded)
sys.argv = ["readout", *sys.argv[2:]]
runpy.run_module("readout", run_name="__main__")
"""


@pytest.mark.parametrize("seed", ["2025-06-26-qingdao-in-ru.yaml", "2025-06-26-qingdao-in-cn.yaml"])
def test_validate_loads_no_templating_writer_or_font_code(seed: str) -> None:
    """Checked in a fresh process, as a user runs it: a module imported anywhere (by
    readout or a dependency) is in sys.modules at exit."""
    for _ in range(2):  # the first run fills the caches, the second reads them
        done = subprocess.run(
            [sys.executable, "-c", _LOADED_AT_EXIT, ",".join(_RENDERING_ONLY), "validate",
             str(SAMPLES / seed)], capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
        loaded = done.stderr.rsplit("LOADED:", 1)[1].strip()
        assert loaded == "", f"validate imported {loaded}"
        assert "0 error(s)" in done.stderr
