"""Themes are validated like readouts: every mistake at once, located, with a suggestion."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from readout.cli import main
from readout.errors import ThemeError
from readout.themes import load_theme

from .conftest import SEED

GOOD = """\
format: readout-theme/1
name: ministry
page:
  size: letter
  margin_left_mm: 25
fonts:
  body:
    - family: Noto Sans
      regular: NotoSans-Regular.ttf
      bold: NotoSans-Bold.ttf
styles:
  body: {size: 11, colour: "#000000"}
  title: {colour: "#550000"}
  note: {parent: title, alignment: justified}
"""

# Each broken theme: (what is wrong, the change to GOOD, the one line `validate` prints).
BROKEN = [
    ("an unknown top-level key", ("name: ministry\n", "name: ministry\nfonst: {}\n"),
     "{f}:3:1: fonst: 'fonst' is not a field of a theme; did you mean 'fonts'?"),
    ("an unknown page key", ("  margin_left_mm: 25\n", "  margin_left_mm: 25\n  gutter_mm: 5\n"),
     "{f}:6:3: page.gutter_mm: 'gutter_mm' is not a field of 'page'; did you mean "
     "'footer_mm'?"),
    ("an unknown style property", ("{size: 11,", "{size: 11, colr: red,"),
     "{f}:12:20: styles.body.colr: 'colr' is not a field of 'styles.body'; did you mean "
     "'colour'?"),
    ("a wrong type", ("{size: 11,", "{size: big,"),
     "{f}:12:16: styles.body.size: This is not a number; write it in points, for example "
     "10.5."),
    ("a bad colour", ('{colour: "#550000"}', "{colour: navy}"),
     "{f}:13:19: styles.title.colour: 'navy' is not a colour; write it as #rrggbb (or #rgb), "
     'for example "#0b2545", in quotes.'),
    ("a missing font file", ("bold: NotoSans-Bold.ttf", "bold: NotoSans-Heavy.ttf"),
     "{f}:10:13: fonts.body.0.bold: The font file 'NotoSans-Heavy.ttf' does not exist in {d}; "
     "readout itself ships: NotoSans-Bold.ttf, NotoSans-BoldItalic.ttf, NotoSans-Italic.ttf, "
     "NotoSans-Regular.ttf, NotoSansArabic-Bold.ttf, NotoSansArabic-Regular.ttf, "
     "NotoSansSC-Bold.ttf, NotoSansSC-Regular.ttf."),
    ("a font chain naming no font",
     ("  body:\n    - family: Noto Sans\n      regular: NotoSans-Regular.ttf\n"
      "      bold: NotoSans-Bold.ttf\n", "  body: []\n"),
     "{f}:7:9: fonts.body: This font chain names no font; list at least one family (with its "
     "family name and regular file)."),
    ("a negative margin", ("margin_left_mm: 25", "margin_left_mm: -5"),
     "{f}:5:19: page.margin_left_mm: This must be 0 or more (millimetres), not -5."),
    ("an unknown page size", ("size: letter", "size: B5"),
     "{f}:4:9: page.size: 'B5' is not a page size this version knows; choose one of: A3, A4, "
     "A5, letter, legal."),
    ("a style inheriting from itself", ("{parent: title,", "{parent: note,"),
     "{f}:14:18: styles.note.parent: The style 'note' inherits from itself (note -> note); "
     "give one of them another parent."),
]


def theme_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "theme.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_good_theme_loads(tmp_path: Path) -> None:
    theme = load_theme(theme_file(tmp_path, GOOD))
    assert theme.name == "ministry"
    assert theme.page.size == "letter" and theme.page.margin_left_mm == 25
    assert theme.style("note").alignment == "justify"
    assert theme.style("note").colour == "#550000"


@pytest.mark.parametrize(("what", "change", "expected"), BROKEN, ids=[b[0] for b in BROKEN])
def test_a_broken_theme_gives_exit_1_and_its_located_message(
        tmp_path: Path, what: str, change: tuple[str, str], expected: str) -> None:
    assert change[0] in GOOD
    path = theme_file(tmp_path, GOOD.replace(change[0], change[1], 1))
    runner = CliRunner()
    checked = runner.invoke(main, ["validate", str(path)])
    assert checked.exit_code == 1
    assert checked.stdout.splitlines() == [expected.format(f=path, d=tmp_path)]
    rendered = runner.invoke(main, ["render", str(SEED), "--theme", str(path), "-o",
                                    str(tmp_path / "out")])
    assert rendered.exit_code == 1
    assert expected.format(f=path, d=tmp_path) in rendered.stderr.splitlines()
    assert "internal error" not in rendered.output
    assert not (tmp_path / "out").exists()


def test_every_mistake_is_reported_at_once(tmp_path: Path) -> None:
    text = GOOD
    for _, (old, new), _ in BROKEN[:6]:
        text = text.replace(old, new, 1)
    with pytest.raises(ThemeError) as caught:
        load_theme(theme_file(tmp_path, text))
    paths = [problem.path for problem in caught.value.problems]
    assert paths == ["fonst", "page.gutter_mm", "fonts.body.0.bold", "styles.body.size",
                     "styles.body.colr", "styles.title.colour"]


def test_a_misspelt_parent_or_font_role_gets_a_suggestion(tmp_path: Path) -> None:
    path = theme_file(tmp_path, GOOD.replace("{parent: title,", "{parent: titel, font: headng,"))
    with pytest.raises(ThemeError) as caught:
        load_theme(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:14:18: styles.note.parent: The parent style 'titel' does not exist; did you "
        "mean 'title'?",
        f"{path}:14:31: styles.note.font: The font role 'headng' is not defined under 'fonts'; "
        "did you mean 'heading'?"]


def test_a_longer_inheritance_loop_is_spelt_out(tmp_path: Path) -> None:
    path = theme_file(tmp_path, GOOD.replace('title: {colour: "#550000"}',
                                             'title: {parent: note}'))
    with pytest.raises(ThemeError) as caught:
        load_theme(path)
    assert "The style 'note' inherits from itself (note -> title -> note)" in str(caught.value)


def test_margins_that_leave_no_room_for_text_are_refused(tmp_path: Path) -> None:
    path = theme_file(tmp_path, GOOD.replace("margin_left_mm: 25", "margin_left_mm: 190"))
    with pytest.raises(ThemeError, match=r"The left and right margins \(190 \+ 22 mm\) leave "
                                         r"less than 40 mm for text on a letter page"):
        load_theme(path)


def test_a_font_file_outside_the_theme_folder_is_refused(tmp_path: Path) -> None:
    path = theme_file(tmp_path, GOOD.replace("bold: NotoSans-Bold.ttf",
                                             "bold: ../fonts/Bold.ttf"))
    with pytest.raises(ThemeError, match=re.escape("'../fonts/Bold.ttf' points outside the theme's "
                                         "folder")):
        load_theme(path)


def test_a_file_that_is_no_truetype_font_is_refused(tmp_path: Path) -> None:
    (tmp_path / "Fake.ttf").write_bytes(b"<html>not a font</html>")
    path = theme_file(tmp_path, GOOD.replace("bold: NotoSans-Bold.ttf", "bold: Fake.ttf"))
    with pytest.raises(ThemeError, match=re.escape("'Fake.ttf' is not a TrueType font file.")):
        load_theme(path)


def test_a_theme_that_is_not_a_mapping_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ThemeError, match="A theme must be a mapping"):
        load_theme(theme_file(tmp_path, "- just\n- a list\n"))


def test_a_theme_of_another_format_version_is_refused(tmp_path: Path) -> None:
    path = theme_file(tmp_path, GOOD.replace("readout-theme/1", "readout-theme/2"))
    with pytest.raises(ThemeError, match="'readout-theme/2' is not a theme format this version"):
        load_theme(path)


def test_a_standalone_theme_needs_a_body_font_and_style(tmp_path: Path) -> None:
    path = theme_file(tmp_path, "format: readout-theme/1\nextends: none\nstyles: {}\n")
    with pytest.raises(ThemeError) as caught:
        load_theme(path)
    assert [p.message for p in caught.value.problems] == [
        "A theme needs a 'body' font; add 'fonts: body: {family: ..., regular: ...}' (or "
        "leave out 'extends: none').",
        "A theme needs a 'body' style; add one under 'styles'."]


def test_a_theme_without_a_format_line_still_loads(tmp_path: Path) -> None:
    path = theme_file(tmp_path, GOOD.replace("format: readout-theme/1\n", ""))
    assert load_theme(path).page.size == "letter"
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0, result.output


def test_the_built_in_theme_validates(tmp_path: Path) -> None:
    from readout.themes import BUILTIN_THEMES

    result = CliRunner().invoke(main, ["validate", str(BUILTIN_THEMES.joinpath("default.yaml"))])
    assert result.exit_code == 0, result.output


def test_readout_schema_theme_prints_the_theme_schema() -> None:
    result = CliRunner().invoke(main, ["schema", "--theme"])
    assert result.exit_code == 0
    assert '"title": "readout-theme/1"' in result.stdout
