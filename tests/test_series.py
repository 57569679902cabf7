"""Series: defaults merged under members, and errors located in the right file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

import readout
from readout.cli import main
from readout.series import load_series

from .conftest import MINIMAL, SERIES, make_series


def test_defaults_merge_under_members_and_the_member_wins(tmp_path: Path) -> None:
    series_file = make_series(tmp_path, 2)
    member = tmp_path / "meetings" / "m001.yaml"
    member.write_text(member.read_text() + "classification: PUBLIC\nbrief:\n"
                      "  distribution: [Own office]\n  reference: R-1\n", encoding="utf-8")
    series = load_series(series_file)
    first, second = (readout.api.validated(m.source)[0] for m in series.members)
    assert first.classification == "PUBLIC"
    assert second.classification == "OFFICIAL"
    assert first.issuer.organisation == second.issuer.organisation == "Ministry of Defence"
    assert first.brief is not None and first.brief.distribution == ("Own office",)
    assert first.brief.reference == "R-1"
    assert second.brief is not None and second.brief.distribution == ("Default office",)


def test_errors_are_located_in_the_member_and_in_the_series_for_defaults(
        tmp_path: Path) -> None:
    series_file = make_series(tmp_path, 2)
    text = series_file.read_text().replace("    city: New Delhi\n",
                                           "    city: New Delhi\n    goverment: GoI\n")
    series_file.write_text(text)
    member = tmp_path / "meetings" / "m002.yaml"
    member.write_text(member.read_text().replace("kind: bilateral", "kind: bilaterl"))
    result = CliRunner().invoke(main, ["validate", str(series_file)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert (f"{series_file}:8:5: issuer.goverment: 'goverment' is not a field of 'issuer'; "
            "did you mean 'government'?") in lines
    assert any(line.startswith(f"{member}:5:9: meeting.kind: 'bilaterl' is not a meeting "
                               "kind") for line in lines)


def test_a_series_file_is_checked_too(tmp_path: Path) -> None:
    series_file = tmp_path / "s.yaml"
    series_file.write_text("format: readout-series/1\ntitle: T\nreadout: [a.yaml]\n"
                           "readouts: [../outside/*.yaml]\n")
    with pytest.raises(readout.ValidationError) as caught:
        load_series(series_file)
    assert [str(p) for p in caught.value.problems] == [
        f"{series_file}:3:1: readout: 'readout' is not a field of a series; did you mean "
        "'readouts'?",
        f"{series_file}:4:12: readouts.0: '../outside/*.yaml' points outside the series "
        "folder; list readouts in that folder or below it, with relative paths."]


def test_series_samples_live_beside_the_seed() -> None:
    series = load_series(SERIES)
    assert [m.output_id for m in series.members] == [
        "2025-06-24-delegation-briefing", "2025-06-25-sco-plenary",
        "2025-06-26-qingdao-in-ru", "2025-06-27-delegation-debrief"]
    assert series.failures == ()


def test_a_readout_that_mentions_the_series_format_is_still_a_readout(
        tmp_path: Path) -> None:
    from .conftest import MINIMAL

    path = tmp_path / "m.yaml"
    mention = "summary: >-\n  format: readout-series/1\n  readouts: Minister A held"
    path.write_text(MINIMAL.replace("summary: Minister A held", mention))
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert "1 file(s) checked: 0 error(s)" in result.stderr


def test_a_member_linked_from_outside_the_folder_is_refused_everywhere(
        tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    secret = outside / "secret.yaml"
    secret.write_text(MINIMAL.replace("Minister A meets", "Secret meeting of"))
    folder = tmp_path / "office" / "meetings"
    folder.mkdir(parents=True)
    (folder / "a.yaml").write_text(MINIMAL)
    (folder / "b.yaml").symlink_to(secret)
    (folder / "c.yaml").symlink_to("a.yaml")  # a link that stays inside is fine
    result = CliRunner().invoke(main, ["batch", str(folder), "-o", str(tmp_path / "o1"),
                                       "-t", "press-release", "-f", "pdf", "-j", "1"])
    assert result.exit_code == 1
    assert (f"{folder / 'b.yaml'}: This file leads outside the series folder (through a "
            "link); copy it into the folder instead.") in result.output
    assert sorted(p.name for p in (tmp_path / "o1").glob("*.pdf")) == [
        "a.press-release.pdf", "c.press-release.pdf", "meetings.series-digest.pdf"]
    series_file = tmp_path / "office" / "s.series.yaml"
    series_file.write_text("format: readout-series/1\ntitle: T\n"
                           "readouts: [meetings/*.yaml]\n"
                           "render: {templates: [press-release], formats: [pdf]}\n")
    result = CliRunner().invoke(main, ["batch", str(series_file), "-o", str(tmp_path / "o2"),
                                       "-j", "1"])
    assert result.exit_code == 1
    assert (f"{series_file}:3:12: readouts.0: 'meetings/b.yaml' leads outside the series "
            "folder (through a link); copy the file into the folder instead.") in result.output
    assert not any("Secret" in p.read_text(errors="ignore")
                   for p in (tmp_path / "o2").glob("*.pdf"))
    assert sorted(p.name for p in (tmp_path / "o2").glob("*.pdf")) == [
        "a.press-release.pdf", "c.press-release.pdf", "s.series-digest.pdf"]
    validated = CliRunner().invoke(main, ["validate", str(series_file)])
    assert validated.exit_code == 1 and "leads outside the series folder" in validated.output


def test_a_series_in_a_folder_whose_name_looks_like_a_pattern_finds_its_members(
        tmp_path: Path) -> None:
    series_file = make_series(tmp_path / "br[1]", 2)
    series = load_series(series_file)
    assert [m.output_id for m in series.members] == ["m001", "m002"]
    assert series.failures == ()


def test_an_unknown_template_in_a_series_file_is_one_located_error(tmp_path: Path) -> None:
    from readout.templating import available_templates, describe_template

    series_file = make_series(tmp_path, 3, templates="[press-release, internal-breif]")
    choices = [t for t in available_templates() if describe_template(t).renders == "readout"]
    expected = (f"{series_file}:12:37: render.templates.1: The template 'internal-breif' is "
                f"unknown; did you mean 'internal-brief'? The templates are: "
                f"{', '.join(choices)}.")
    validated = CliRunner().invoke(main, ["validate", str(series_file)])
    assert validated.exit_code == 1
    assert validated.output.splitlines()[0] == expected
    result = CliRunner().invoke(main, ["batch", str(series_file), "-o", str(tmp_path / "o"),
                                       "-j", "1"])
    assert result.exit_code == 1
    assert result.output.splitlines() == [expected]
    assert not list((tmp_path / "o").glob("*.pdf"))


def test_previous_naming_no_member_is_a_warning(tmp_path: Path) -> None:
    series_file = make_series(tmp_path, 2)
    first, second = tmp_path / "meetings" / "m001.yaml", tmp_path / "meetings" / "m002.yaml"
    first.write_text("previous: m000\n" + first.read_text(), encoding="utf-8")
    second.write_text("previous: m001\n" + second.read_text(), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(series_file)])
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"{first}:1:11: previous: warning: 'previous' names 'm000', which is no member of "
        "this series; give the id of a meeting the series lists."]
    assert CliRunner().invoke(main, ["validate", "--strict", str(series_file)]).exit_code == 1


def test_a_glob_that_matches_the_series_file_leaves_it_out(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(MINIMAL, encoding="utf-8")
    (tmp_path / "other.yaml").write_text("format: readout-series/1\ntitle: Other\n"
                                         "readouts: [a.yaml]\n", encoding="utf-8")
    series_file = tmp_path / "s.yaml"
    series_file.write_text("format: readout-series/1\ntitle: T\nreadouts: ['*.yaml']\n",
                           encoding="utf-8")
    series = load_series(series_file)
    assert [m.source.name for m in series.members] == [str(tmp_path / "a.yaml")]
    assert series.failures == ()
    result = CliRunner().invoke(main, ["validate", str(series_file)])
    assert (result.exit_code, result.stdout) == (0, "")


def test_batch_given_a_readout_says_so_in_one_line(tmp_path: Path) -> None:
    readout_file = tmp_path / "m.yaml"
    readout_file.write_text(MINIMAL, encoding="utf-8")
    result = CliRunner().invoke(main, ["batch", str(readout_file), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        f"{readout_file}: This is a readout, not a series; render it with 'readout render "
        f"{readout_file}', or list it under 'readouts:' in a series file."]
    assert not (tmp_path / "o").exists()
    with pytest.raises(readout.ValidationError) as caught:
        readout.render_series(readout_file, tmp_path / "o")
    assert len(caught.value.problems) == 1
    assert "This is a readout, not a series" in caught.value.problems[0].message


def test_the_digest_keys_are_read_and_checked_where_they_stand(tmp_path: Path) -> None:
    series_file = make_series(tmp_path, 1)
    good = series_file.read_text() + (
        "digest:\n  as_at: 2025-12-31\n  reference: MoD/IC/D/1\n  issuer: IC Division\n"
        "  distribution: [Office of RM, Defence Secretary]\n  marking: OFFICIAL-SENSITIVE\n"
        "  all_actions: true\n")
    series_file.write_text(good)
    settings = load_series(series_file).digest
    assert (settings.as_at, settings.reference, settings.issuer, settings.distribution,
            settings.marking, settings.all_actions) == (
        date(2025, 12, 31), "MoD/IC/D/1", "IC Division", ("Office of RM", "Defence Secretary"),
        "OFFICIAL-SENSITIVE", True)
    series_file.write_text(good.replace("2025-12-31", "2025-13-01")
                           .replace("all_actions: true", "all_actions: maybe\n  colour: red"))
    with pytest.raises(readout.ValidationError) as caught:
        load_series(series_file)
    assert [str(p) for p in caught.value.problems] == [
        f"{series_file}:14:10: digest.as_at: '2025-13-01' is not a date that exists; check "
        "the month and the day.",
        f"{series_file}:19:16: digest.all_actions: This must be true or false.",
        f"{series_file}:20:3: digest.colour: 'colour' is not a field of 'digest'; the fields "
        "are: all_actions, as_at, distribution, issuer, marking, reference."]
    series_file.write_text(good.replace("OFFICIAL-SENSITIVE", "RESTRICTED"))
    with pytest.raises(readout.ValidationError) as caught:
        load_series(series_file)
    assert [str(p) for p in caught.value.problems] == [
        f"{series_file}:18:12: digest.marking: 'RESTRICTED' is not a classification marking "
        "of the series' 'default' scheme; choose one of: PUBLIC, OFFICIAL, "
        "OFFICIAL-SENSITIVE, SECRET."]
    series_file.write_text(good.replace("OFFICIAL-SENSITIVE", "RESTRICTED").replace(
        "  classification: OFFICIAL\n", "  classification: CONFIDENTIAL\n"
        "  classification_scheme: india\n"))
    assert load_series(series_file).digest.marking == "RESTRICTED"
