"""The rules of the readout/1 format: broken copies of a readout and what a user reads."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest

import readout
from readout.model import FollowUp, MeetingKind, OutcomeType, Role, Status

from .conftest import tiny_png


def problems_of(text: str, name: str = "m.yaml", folder: Path | None = None) -> list[str]:
    with pytest.raises(readout.ValidationError) as caught:
        readout.loads(text, name=name, folder=folder)
    return [str(p) for p in caught.value.problems]


def warnings_of(text: str, tmp_path: Path) -> list[str]:
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    return [str(p).replace(str(tmp_path) + "/", "") for p in readout.check(path)[1]]


def test_the_minimal_readout_builds_a_typed_model(minimal_text: str) -> None:
    doc = readout.loads(minimal_text, name="2025-06-26-x.yaml")
    assert doc.id == "2025-06-26-x"
    assert doc.classification == "PUBLIC"
    assert doc.meeting.kind is MeetingKind.BILATERAL
    assert doc.meeting.date == date(2025, 6, 26)
    assert doc.participants[1].role is Role.COUNTERPART
    assert doc.outcomes[0].type is OutcomeType.ACTION
    assert doc.outcomes[0].due == date(2025, 12, 31)


def test_an_unquoted_time_is_the_time_typed_not_a_number(minimal_text: str) -> None:
    doc = readout.loads(minimal_text.replace('start: "10:30"', "start: 10:30"))
    assert doc.meeting.start == time(10, 30)


def test_an_impossible_date_is_located(minimal_text: str) -> None:
    [line] = problems_of(minimal_text.replace("date: 2025-06-26", "date: 2025-13-01"))
    assert line == ("m.yaml:9:9: meeting.date: '2025-13-01' is not a date that exists; "
                    "check the month and the day.")


def test_a_date_in_another_shape_says_how_to_write_it(minimal_text: str) -> None:
    [line] = problems_of(minimal_text.replace("date: 2025-06-26", "date: 26/06/2025"))
    assert line.endswith("'26/06/2025' is not a date; write it as YYYY-MM-DD, for example "
                         "2025-06-26.")


def test_an_unknown_key_suggests_the_near_one(minimal_text: str) -> None:
    text = minimal_text.replace("  city: New Delhi", "  city: New Delhi\n  goverment: GoI")
    [line] = problems_of(text)
    assert line == ("m.yaml:7:3: issuer.goverment: 'goverment' is not a field of 'issuer'; "
                    "did you mean 'government'?")


def test_an_unknown_key_without_a_near_one_lists_the_fields(minimal_text: str) -> None:
    [line] = problems_of(minimal_text + "weather: sunny\n")
    assert line.startswith("m.yaml:35:1: weather: 'weather' is not a field of a readout; "
                           "the fields are: brief, classification, classification_scheme, "
                           "context, face_classification,")


def test_a_bad_enum_value_lists_the_choices(minimal_text: str) -> None:
    [line] = problems_of(minimal_text.replace("kind: bilateral", "kind: bilaterl"))
    assert line == ("m.yaml:8:9: meeting.kind: 'bilaterl' is not a meeting kind; choose one "
                    "of: bilateral, multilateral, call, visit, other.")


def test_a_missing_required_field_points_at_its_parent(minimal_text: str) -> None:
    [line] = problems_of(minimal_text.replace("    country: China\n", ""))
    assert line == ("m.yaml:13:5: meeting.venue.country: 'country' is required but "
                    "missing; add it under 'venue'.")


def test_a_missing_top_level_field_points_at_the_top(minimal_text: str) -> None:
    [line] = problems_of(minimal_text.replace("title: Minister A meets Minister B\n", ""))
    assert line == "m.yaml:1:1: title: 'title' is required but missing; add it at the top level."


def test_every_problem_in_a_file_is_reported_at_once(minimal_text: str) -> None:
    text = (minimal_text.replace("kind: bilateral", "kind: summit")
            .replace("role: principal", "role: boss")
            .replace("format: readout/1", "format: readout/1\nclasification: OFFICIAL")
            .replace("due: 2025-12-31", "due: 2025-02-30"))
    lines = problems_of(text)
    assert [line.split(": ")[1] for line in lines] == [
        "clasification", "meeting.kind", "participants.0.role", "outcomes.0.due"]
    assert lines[0].startswith("m.yaml:2:1:")


def test_a_due_date_before_the_meeting_is_an_error(minimal_text: str) -> None:
    [line] = problems_of(minimal_text.replace("due: 2025-12-31", "due: 2025-06-01"))
    assert line == ("m.yaml:34:10: outcomes.0.due: The due date 2025-06-01 is before the "
                    "meeting (2025-06-26); an outcome cannot fall due before it was agreed.")


def test_a_portion_marked_above_the_readout_is_an_error(minimal_text: str) -> None:
    text = minimal_text.replace("    body: The ministers", "    classification: OFFICIAL\n"
                                "    body: The ministers")
    [line] = problems_of(text)
    assert line == ("m.yaml:26:21: key_points.0.classification: This portion is marked "
                    "OFFICIAL, above the readout's own marking PUBLIC; raise the readout's "
                    "classification or lower this portion's.")


def test_a_portion_at_or_below_the_readout_is_accepted(minimal_text: str) -> None:
    text = minimal_text.replace("format: readout/1", "format: readout/1\n"
                                "classification: OFFICIAL-SENSITIVE").replace(
        "    body: The ministers", "    classification: OFFICIAL\n    body: The ministers")
    doc = readout.loads(text)
    assert doc.marking_of(doc.key_points[0]) == "OFFICIAL"
    assert doc.marking_of(doc.outcomes[0]) == "OFFICIAL-SENSITIVE"
    assert not doc.is_public(doc.outcomes[0])


def test_an_end_before_the_start_is_an_error(minimal_text: str) -> None:
    [line] = problems_of(minimal_text.replace('end: "11:15"', 'end: "09:00"'))
    assert line == ("m.yaml:11:8: meeting.end: The meeting ends (09:00) before it starts "
                    "(10:30); check both times.")


def test_a_bad_marking_lists_the_scheme(minimal_text: str) -> None:
    [line] = problems_of(minimal_text.replace("format: readout/1",
                                              "format: readout/1\nclassification: TOP"))
    assert line == ("m.yaml:2:17: classification: 'TOP' is not a marking of the 'default' "
                    "scheme; choose one of: PUBLIC, OFFICIAL, OFFICIAL-SENSITIVE, SECRET.")


def test_a_custom_scheme_is_honoured(minimal_text: str) -> None:
    scheme = readout.ClassificationScheme(("UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL"))
    doc = readout.loads(minimal_text.replace(
        "format: readout/1", "format: readout/1\nclassification: RESTRICTED"), scheme=scheme)
    assert doc.classification == "RESTRICTED"
    assert doc.scheme.public == "UNCLASSIFIED"


def test_a_quote_by_no_participant_is_a_warning_with_a_guess(
        minimal_text: str, tmp_path: Path) -> None:
    text = minimal_text.replace("speaker: Andrey Belousov", "speaker: Andrei Belousov")
    assert warnings_of(text, tmp_path) == [
        "m.yaml:28:18: key_points.0.quotes.0.speaker: warning: 'Andrei Belousov' is not a "
        "participant of this meeting. Did you mean 'Andrey Belousov'?"]


def test_an_action_without_an_owner_is_a_warning(minimal_text: str, tmp_path: Path) -> None:
    text = minimal_text.replace("    owner: Department of Defence Production\n", "")
    assert warnings_of(text, tmp_path) == [
        "m.yaml:31:5: outcomes.0: warning: This action has no owner; add 'owner:' so the "
        "brief says who acts on it."]


def test_nested_bullets_are_checked_too(minimal_text: str) -> None:
    text = minimal_text.replace("    body: The ministers reviewed cooperation.\n",
                                "    bullets:\n      - plain item\n      - text: parent\n"
                                "        bulets: [child]\n")
    [line] = problems_of(text)
    assert line == ("m.yaml:29:9: key_points.0.bullets.1.bulets: 'bulets' is not a field of "
                    "'key_points.0.bullets.1'; did you mean 'bullets'?")


def test_a_key_point_needs_some_content(minimal_text: str) -> None:
    text = minimal_text.replace("    body: The ministers reviewed cooperation.\n", "").replace(
        "    quotes:\n      - speaker: Andrey Belousov\n      - ", "").replace(
        "    quotes:\n      - speaker: Andrey Belousov\n        text: Russia stands in "
        "complete solidarity with India against terrorism.\n", "")
    [line] = problems_of(text)
    assert line.endswith("key_points.0.heading: A key point needs a 'body', 'bullets' or "
                         "'quotes' under its heading.")


def test_a_logo_outside_the_readout_folder_is_refused(
        minimal_text: str, tmp_path: Path) -> None:
    text = minimal_text.replace("  city: New Delhi", "  city: New Delhi\n  logo: ../secret.png")
    [line] = problems_of(text, folder=tmp_path)
    assert line == ("m.yaml:7:9: issuer.logo: '../secret.png' points outside the readout's "
                    "folder; put the image in that folder (or below it) and give a relative "
                    "path.")


def test_a_logo_inside_the_folder_resolves(minimal_text: str, tmp_path: Path) -> None:
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "logo.png").write_bytes(tiny_png())
    text = minimal_text.replace("  city: New Delhi", "  city: New Delhi\n  logo: assets/logo.png")
    doc = readout.loads(text, folder=tmp_path)
    assert doc.issuer.logo == (tmp_path / "assets" / "logo.png").resolve()


def test_an_empty_text_field_is_refused(minimal_text: str) -> None:
    [line] = problems_of(minimal_text.replace("title: Minister A meets Minister B", 'title: " "'))
    assert line == "m.yaml:2:8: title: This is empty; write the text or remove the line."


def test_a_wrong_format_says_which_to_write(minimal_text: str) -> None:
    [line] = problems_of(minimal_text.replace("format: readout/1", "format: readout/2"))
    assert line == ("m.yaml:1:9: format: 'readout/2' is not a format this version reads; "
                    "write 'format: readout/1'.")


def test_from_dict_reports_paths_without_positions() -> None:
    with pytest.raises(readout.ValidationError) as caught:
        readout.from_dict({"format": "readout/1", "title": "x"})
    assert "<dict>: summary: 'summary' is required but missing; add it at the top level." in [
        str(p) for p in caught.value.problems]
    problem = caught.value.problems[0]
    assert (problem.line, problem.column, problem.severity) == (0, 0, "error")


def test_from_dict_accepts_python_dates(minimal_text: str) -> None:
    import yaml

    data = yaml.safe_load(minimal_text)
    assert isinstance(data["meeting"]["date"], date)
    assert readout.from_dict(data).meeting.date == date(2025, 6, 26)


def test_problems_are_data(minimal_text: str) -> None:
    with pytest.raises(readout.ValidationError) as caught:
        readout.loads(minimal_text.replace("kind: bilateral", "kind: x"), name="f.yaml")
    assert caught.value.problems[0].as_dict() == {
        "file": "f.yaml", "line": 8, "column": 9, "path": "meeting.kind",
        "message": "'x' is not a meeting kind; choose one of: bilateral, multilateral, call, "
                   "visit, other.", "severity": "error"}


# -- brief.follow_up: free text or {text, owner, due, status} ---------------------------------

FOLLOW_UP = """\
brief:
  follow_up:
    - Circulate the record.
    - text: Draft the work plan
      owner: International Cooperation Division
      due: 2025-07-15
      status: in-progress
"""


def test_follow_up_items_are_free_text_or_structured(minimal_text: str) -> None:
    doc = readout.loads(minimal_text + FOLLOW_UP)
    assert doc.brief is not None
    assert doc.brief.follow_up == (
        "Circulate the record.",
        FollowUp("Draft the work plan", "International Cooperation Division",
                 date(2025, 7, 15), Status.IN_PROGRESS))
    assert doc.brief.follow_up_actions == doc.brief.follow_up[1:]
    assert doc.brief.follow_up_notes == ("Circulate the record.",)


def test_a_follow_up_due_before_the_meeting_is_an_error(minimal_text: str) -> None:
    [line] = problems_of(minimal_text + FOLLOW_UP.replace("2025-07-15", "2025-06-01"))
    assert line == ("m.yaml:40:12: brief.follow_up.1.due: The due date 2025-06-01 is before "
                    "the meeting (2025-06-26); a follow-up item cannot fall due before the "
                    "meeting that set it.")


def test_a_follow_up_item_is_checked_like_an_outcome(minimal_text: str) -> None:
    text = minimal_text + FOLLOW_UP.replace("in-progress", "pending").replace(
        "owner:", "ownr:")
    assert problems_of(text) == [
        "m.yaml:39:7: brief.follow_up.1.ownr: 'ownr' is not a field of "
        "'brief.follow_up.1'; did you mean 'owner'?",
        "m.yaml:41:15: brief.follow_up.1.status: 'pending' is not a status; choose one of: "
        "open, in-progress, done, dropped."]


def test_a_follow_up_item_without_an_owner_is_a_warning(
        minimal_text: str, tmp_path: Path) -> None:
    text = minimal_text + FOLLOW_UP.replace("      owner: International Cooperation "
                                            "Division\n", "")
    assert warnings_of(text, tmp_path) == [
        "m.yaml:38:7: brief.follow_up.1: warning: This follow-up item has no owner; add "
        "'owner:' so the brief says who acts on it."]


def test_a_follow_up_item_must_be_text_or_a_mapping(minimal_text: str) -> None:
    [line] = problems_of(minimal_text + "brief:\n  follow_up:\n    - [a, b]\n")
    assert line == ("m.yaml:37:7: brief.follow_up.0: A follow-up item must be a line of "
                    "text, or a mapping with 'text' and, optionally, 'owner', 'due' and "
                    "'status'.")


def test_a_date_before_the_year_1000_is_refused_not_a_crash(minimal_text: str) -> None:
    text = minimal_text.replace("issuer:", "released: 0001-01-01T00:00+05:30\nissuer:")
    [line] = problems_of(text)
    assert line == ("m.yaml:4:11: released: '0001-01-01T00:00+05:30' is outside the years "
                    "1000 to 9998; check the year.")
    [line] = problems_of(minimal_text.replace("date: 2025-06-26", "date: 0999-06-26"))
    assert line == ("m.yaml:9:9: meeting.date: '0999-06-26' is outside the years 1000 to "
                    "9998; check the year.")


def with_logo(minimal_text: str, logo: str) -> str:
    return minimal_text.replace("  city: New Delhi", f"  city: New Delhi\n  logo: {logo}")


def test_a_logo_name_with_a_control_character_is_refused(minimal_text: str,
                                                         tmp_path: Path) -> None:
    [line] = problems_of(with_logo(minimal_text, '"a\\0b.png"'), folder=tmp_path)
    assert line == ("m.yaml:7:9: issuer.logo: 'a\\x00b.png' holds a control character; "
                    "give the image's file name as it is.")


def test_a_logo_name_too_long_for_the_system_is_refused(minimal_text: str,
                                                        tmp_path: Path) -> None:
    name = "a" * 300 + ".png"
    [line] = problems_of(with_logo(minimal_text, name), folder=tmp_path)
    assert line == (f"m.yaml:7:9: issuer.logo: The image {name!r} cannot be opened: File name "
                    "too long.")


def test_an_id_longer_than_100_characters_is_refused(minimal_text: str) -> None:
    [line] = problems_of(minimal_text.replace("title:", "id: " + "a" * 300 + "\ntitle:", 1))
    assert line == ("m.yaml:2:5: id: This id has 300 characters; an id has at most 100, so "
                    "that the file names made of it fit every system.")


def test_a_default_id_from_a_long_file_name_is_shortened(minimal_text: str) -> None:
    doc = readout.loads(minimal_text, name="x" * 250 + ".yaml")
    assert doc.id == "x" * 100


@pytest.mark.parametrize("invisible", ["\\x01\\x02", "\\u200b\\u200b", "\\x7f \\t"])
def test_text_of_only_invisible_characters_is_empty(minimal_text: str, invisible: str) -> None:
    text = minimal_text.replace("title: Minister A meets Minister B", f'title: "{invisible}"')
    [line] = problems_of(text)
    assert line == "m.yaml:2:8: title: This is empty; write the text or remove the line."


def test_a_paragraph_longer_than_the_limit_is_refused(minimal_text: str) -> None:
    long = "word " * 2_500
    text = minimal_text.replace("body: The ministers reviewed cooperation.",
                                f"body: |\n      Short first paragraph.\n\n      {long}")
    [line] = problems_of(text)
    assert line == ("m.yaml:26:11: key_points.0.body: Paragraph 2 has 12,499 characters; a "
                    "paragraph has at most 10,000 (about three pages). Break it with a blank "
                    "line.")


def test_a_word_longer_than_the_limit_is_refused(minimal_text: str) -> None:
    text = minimal_text.replace("title: Minister A meets Minister B", "title: " + "x" * 6000)
    [line] = problems_of(text)
    assert line == ("m.yaml:2:8: title: This holds a run of 6,000 characters without a "
                    "space; the most is 5,000. Add spaces, or shorten it.")


def test_the_speaker_hint_costs_the_same_for_many_unknown_speakers(
        minimal_text: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import difflib

    import yaml

    calls = []
    real = difflib.get_close_matches

    def counted(*args: object, **kwargs: object) -> list[str]:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(difflib, "get_close_matches", counted)
    data = yaml.safe_load(minimal_text)
    data["participants"] += [{"name": f"Delegate {n}", "title": "Delegate", "country": "India",
                              "role": "delegation"} for n in range(300)]
    data["key_points"][0]["quotes"] = [{"speaker": f"Speaker {n}", "text": "Words."}
                                       for n in range(2000)]
    path = tmp_path / "m.yaml"
    path.write_text(yaml.safe_dump(data))
    warnings = readout.check(path)[1]
    assert len(warnings) == 2000
    assert warnings[0].message.startswith("'Speaker 0' is not a participant of this meeting.")
    assert len(calls) <= 20
