"""Writing templates as a web team does: start from a built-in one, override it, and get
every mistake at the template's own file and line."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

import readout
from readout.cli import main
from readout.errors import TemplateError
from readout.templating import build_document, builtin_dir

from .conftest import SEED


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def seed() -> readout.Readout:
    return readout.load(SEED)


def own_template(folder: Path, name: str, source: str) -> Path:
    (folder / name).mkdir(parents=True, exist_ok=True)
    path = folder / name / "document.xml.j2"
    path.write_text(source, encoding="utf-8")
    return path


def pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def problem_of(seed: readout.Readout, folder: Path, name: str) -> str:
    with pytest.raises(TemplateError) as caught:
        build_document(seed, name, template_dirs=[folder])
    (problem,) = caught.value.problems
    return str(problem)


BUILT_IN = (builtin_dir() / "press-release" / "document.xml.j2").read_text(encoding="utf-8")


def broken_press_release(folder: Path, element: str) -> tuple[Path, int]:
    """A copy of the press release with ``element`` inserted after the title line."""
    lines = BUILT_IN.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith('<h1 style="title">')) + 1
    lines.insert(at, element + "\n")
    return own_template(folder, "press-release", "".join(lines)), at + 1


# -- user templates override built-in ones ---------------------------------------------------


def test_readout_templates_adds_a_folder_that_overrides_the_built_in(
        runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    own_template(tmp_path / "ours", "press-release",
                 "<document><body><p>OUR OWN RELEASE {{ readout.title|inline }}</p></body>"
                 "</document>")
    monkeypatch.setenv("READOUT_TEMPLATES", os.pathsep.join(["", str(tmp_path / "ours")]))
    result = runner.invoke(main, ["render", str(SEED), "-t", "press-release", "-f", "pdf",
                                  "-o", str(tmp_path / "out.pdf")])
    assert result.exit_code == 0, result.output
    assert pdf_text((tmp_path / "out.pdf").read_bytes()).startswith("OUR OWN RELEASE")
    listed = runner.invoke(main, ["templates"])
    names = [line.split()[0] for line in listed.stdout.splitlines()]
    assert names.count("press-release") == 1


def test_a_template_dir_is_searched_before_readout_templates(
        seed: readout.Readout, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for folder in ("env", "given"):
        own_template(tmp_path / folder, "press-release",
                     f"<document><body><p>{folder.upper()}</p></body></document>")
    monkeypatch.setenv("READOUT_TEMPLATES", str(tmp_path / "env"))
    data = readout.render(seed, "press-release", "pdf", template_dirs=[tmp_path / "given"])
    assert pdf_text(data).strip() == "GIVEN"
    assert pdf_text(readout.render(seed, "press-release", "pdf")).strip() == "ENV"


def test_readout_templates_naming_no_folder_is_an_error(
        runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READOUT_TEMPLATES", str(tmp_path / "missing"))
    result = runner.invoke(main, ["render", str(SEED), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        f"{tmp_path / 'missing'}: The template folder (named by READOUT_TEMPLATES) does not "
        "exist; create it or correct the path.")
    assert "internal error" not in result.output


# -- errors at the template's own line -------------------------------------------------------


def test_a_broken_user_template_gives_its_own_file_and_line(runner: CliRunner,
                                                            tmp_path: Path) -> None:
    path, line = broken_press_release(tmp_path, "<marquee>Breaking</marquee>")
    result = runner.invoke(main, ["render", str(SEED), "--template-dir", str(tmp_path), "-t",
                                  "press-release", "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    (message,) = result.stderr.splitlines()
    assert message.startswith(f"{path}:{line}:1: <marquee> is not a known element in <body>")
    assert not (tmp_path / "out").exists()


def test_a_misspelt_style_is_an_error_that_suggests_the_right_one(runner: CliRunner,
                                                                  tmp_path: Path) -> None:
    path, line = broken_press_release(tmp_path, '<p style="bannr">Embargoed</p>')
    result = runner.invoke(main, ["render", str(SEED), "--template-dir", str(tmp_path), "-t",
                                  "press-release", "-f", "pdf", "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{path}:{line}:1: <p style=\"bannr\">: the theme 'default' has no style 'bannr'; did "
        "you mean 'banner'? (rendered: '<p style=\"bannr\">Embargoed</p>')"]


def test_the_style_names_are_those_of_the_theme_in_use(seed: readout.Readout,
                                                       tmp_path: Path) -> None:
    theme = tmp_path / "plain.yaml"
    theme.write_text("format: readout-theme/1\nname: plain\nextends: none\nfonts:\n"
                     "  body: {family: Noto Sans, regular: NotoSans-Regular.ttf}\n"
                     "styles:\n  body: {size: 10}\n")
    with pytest.raises(TemplateError) as caught:
        readout.render(seed, "press-release", "pdf", theme=theme)
    (problem,) = caught.value.problems
    assert problem.file.endswith("press-release/document.xml.j2")
    assert "the theme 'plain' has no style 'letterhead'; its styles are: body." in str(problem)


def test_an_error_in_a_loop_is_at_the_line_inside_the_loop(seed: readout.Readout,
                                                           tmp_path: Path) -> None:
    own_template(tmp_path, "looped", "<document>\n<body>\n{% for p in readout.key_points %}\n"
                 "<h2>{{ p.heading|inline }}</h2>\n  {% if loop.index == 2 %}\n"
                 "  <p style=\"nope\">{{ p.heading|inline }}</p>\n  {% endif %}\n{% endfor %}\n"
                 "</body>\n</document>\n")
    assert problem_of(seed, tmp_path, "looped").startswith(
        f"{tmp_path / 'looped' / 'document.xml.j2'}:6:3: <p style=\"nope\">")


def test_malformed_markup_is_at_the_template_line(seed: readout.Readout,
                                                  tmp_path: Path) -> None:
    own_template(tmp_path, "unclosed", "<document>\n<body>\n<p>one</p>\n<p>{{ readout.title }}"
                 "</b>\n</body>\n</document>\n")
    assert problem_of(seed, tmp_path, "unclosed").startswith(
        f"{tmp_path / 'unclosed' / 'document.xml.j2'}:4:")
    assert "mismatched tag" in problem_of(seed, tmp_path, "unclosed")


def test_an_error_in_a_macros_output_is_at_the_line_that_calls_it(seed: readout.Readout,
                                                                  tmp_path: Path) -> None:
    own_template(tmp_path, "macro", '{% import "_shared/macros.xml.j2" as m with context %}\n'
                 "<document>\n<body>\n<p>Lead</p>\n"
                 '{{ m.body(readout.summary, "sumary") }}\n</body>\n</document>\n')
    message = problem_of(seed, tmp_path, "macro")
    assert message.startswith(f"{tmp_path / 'macro' / 'document.xml.j2'}:5:1: ")
    assert "<p style=\"sumary\">: the theme 'default' has no style 'sumary'" in message


def test_an_error_in_a_block_is_at_the_child_templates_line(seed: readout.Readout,
                                                            tmp_path: Path) -> None:
    (tmp_path / "_layouts").mkdir()
    (tmp_path / "_layouts" / "base.xml.j2").write_text(
        "<document>\n<body>\n{% block content %}{% endblock %}\n</body>\n</document>\n")
    own_template(tmp_path, "child", '{% extends "_layouts/base.xml.j2" %}\n'
                 "{% block content %}\n<p>fine</p>\n<p style=\"labl\">bad</p>\n"
                 "{% endblock %}\n")
    assert problem_of(seed, tmp_path, "child").startswith(
        f"{tmp_path / 'child' / 'document.xml.j2'}:4:1: <p style=\"labl\">: the theme "
        "'default' has no style 'labl'; did you mean 'label'?")


def test_a_document_theme_attribute_is_refused(seed: readout.Readout, tmp_path: Path) -> None:
    own_template(tmp_path, "themed", '<document theme="ministry">\n<body/>\n</document>\n')
    assert problem_of(seed, tmp_path, "themed") == (
        f"{tmp_path / 'themed' / 'document.xml.j2'}:1:1: <document theme=...> is not read: a "
        "document's theme is chosen when it is rendered (readout render --theme FILE, or "
        "theme= in Python); remove the attribute. (rendered: '<document theme=\"ministry\">')")


# -- tools for template authors --------------------------------------------------------------


def test_dump_xml_prints_the_markup_a_template_renders(runner: CliRunner,
                                                       tmp_path: Path) -> None:
    broken_press_release(tmp_path, '<p style="bannr">Embargoed</p>')
    result = runner.invoke(main, ["render", str(SEED), "--dump-xml", "--template-dir",
                                  str(tmp_path), "-t", "press-release", "-o",
                                  str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:2] == ["<!-- press-release -->", "<document>"]
    assert '<p style="bannr">Embargoed</p>' in lines
    assert lines[-1] == "</document>"
    assert not (tmp_path / "out").exists()


def test_a_new_template_is_a_copy_that_renders_like_the_built_in(
        runner: CliRunner, tmp_path: Path, seed: readout.Readout) -> None:
    result = runner.invoke(main, ["template", "new", "ministry-release", "--from",
                                  "press-release", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    folder = tmp_path / "ministry-release"
    assert sorted(p.name for p in folder.iterdir()) == ["document.xml.j2", "template.yaml"]
    assert f"--template-dir {tmp_path} -t ministry-release" in result.stderr
    ours = readout.render(seed, "ministry-release", "pdf", template_dirs=[tmp_path])
    assert ours == readout.render(seed, "press-release", "pdf")
    again = runner.invoke(main, ["template", "new", "ministry-release", "-o", str(tmp_path)])
    assert again.exit_code == 2
    assert "exists already" in again.stderr


def test_a_new_template_needs_a_usable_name_and_a_known_source(runner: CliRunner,
                                                               tmp_path: Path) -> None:
    bad_name = runner.invoke(main, ["template", "new", "../escape", "-o", str(tmp_path)])
    assert bad_name.exit_code == 1
    assert "cannot be a template name" in bad_name.stderr
    unknown = runner.invoke(main, ["template", "new", "mine", "--from", "press-relaese", "-o",
                                   str(tmp_path)])
    assert unknown.exit_code == 1
    assert "The template 'press-relaese' is unknown" in unknown.stderr
    assert not (tmp_path / "mine").exists()
