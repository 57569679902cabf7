"""The rules of the readout/1 format: broken copies of a readout and what a user reads."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

import pytest

import readout
from readout.model import (
    Attendance,
    Dateline,
    FollowUp,
    MeetingKind,
    OutcomeType,
    Photo,
    Role,
    Spokesperson,
    Status,
)

from .conftest import MINIMAL, tiny_png


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
                           "co_issuers, context, dateline, embargo, face_classification,")


def test_a_bad_enum_value_lists_the_choices(minimal_text: str) -> None:
    [line] = problems_of(minimal_text.replace("kind: bilateral", "kind: bilaterl"))
    assert line == ("m.yaml:8:9: meeting.kind: 'bilaterl' is not a meeting kind; choose one "
                    "of: bilateral, multilateral, call, video, visit, call-on, other.")


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


def test_an_empty_required_text_field_says_to_write_the_text(minimal_text: str) -> None:
    [line] = problems_of(minimal_text.replace("title: Minister A meets Minister B", 'title: " "'))
    assert line == "m.yaml:2:8: title: This is empty; write the text."


def test_an_empty_optional_text_field_may_also_go(minimal_text: str) -> None:
    [line] = problems_of(minimal_text.replace("  city: New Delhi", '  city: ""'))
    assert line == "m.yaml:6:9: issuer.city: This is empty; write the text or remove the line."


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
                   "video, visit, call-on, other.", "severity": "error"}


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
    assert line == "m.yaml:2:8: title: This is empty; write the text."


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


# -- the format additions of readout/1 (SPEC section 1) ---------------------------------------


def test_the_release_keys_build_the_model(minimal_text: str) -> None:
    doc = readout.loads(minimal_text.replace("format: readout/1\n", (
        "format: readout/1\nid: 2025-06-26-x\nlabel: Joint Statement\ndateline: venue\n"
        'release_id: "2139043"\ninitials: VM/SR\nprevious: 2025-06-24-briefing\n'
        "released: 2025-06-26\nembargo: 2025-06-26T18:00:00+05:30\n")))
    assert (doc.label, doc.dateline, doc.release_id, doc.initials, doc.previous) == (
        "Joint Statement", Dateline.VENUE, "2139043", "VM/SR", "2025-06-24-briefing")
    assert doc.released == date(2025, 6, 26) and not isinstance(doc.released, datetime)
    assert doc.embargo == datetime(2025, 6, 26, 18, tzinfo=timezone(timedelta(hours=5.5)))


def test_an_embargo_before_the_release_is_an_error(minimal_text: str) -> None:
    [line] = problems_of(minimal_text.replace("format: readout/1\n", (
        "format: readout/1\nreleased: 2025-06-26T15:15:00+05:30\n"
        "embargo: 2025-06-26T09:00:00Z\n")))
    assert line == ("m.yaml:3:10: embargo: The embargo (2025-06-26T09:00:00+00:00) ends "
                    "before the release is issued (2025-06-26T15:15:00+05:30); an embargo is "
                    "never before 'released': correct one of them.")


def test_an_embargo_and_a_release_date_alone_compare_by_day(minimal_text: str) -> None:
    ok = minimal_text.replace("format: readout/1\n", "format: readout/1\nreleased: "
                              "2025-06-26\nembargo: 2025-06-26T00:00:00\n")
    assert readout.loads(ok).embargo is not None
    [line] = problems_of(ok.replace("embargo: 2025-06-26T00:00:00", "embargo: 2025-06-25"))
    assert line.startswith("m.yaml:3:10: embargo: The embargo (2025-06-25) ends before")


def test_a_release_time_in_another_shape_says_both_ways(minimal_text: str) -> None:
    [line] = problems_of(minimal_text.replace("format: readout/1\n",
                                              "format: readout/1\nreleased: 26 June\n"))
    assert line == ("m.yaml:2:11: released: '26 June' is not a date and time; write it as "
                    "YYYY-MM-DDTHH:MM+HH:MM, for example 2025-06-26T15:15:00+05:30, or as a "
                    "date alone (YYYY-MM-DD).")


def test_a_dateline_needs_the_city_it_names(minimal_text: str) -> None:
    text = minimal_text.replace("  city: New Delhi\n", "").replace(
        "format: readout/1\n", "format: readout/1\ndateline: issuer\n")
    [line] = problems_of(text)
    assert line == ("m.yaml:2:11: dateline: The dateline is the issuer's city, but 'issuer' "
                    "has no 'city'; add it, or choose 'dateline: venue' or 'none'.")
    call = minimal_text.replace("kind: bilateral", "kind: video").replace(
        "  venue:\n    city: Qingdao\n    country: China\n", "").replace(
        "format: readout/1\n", "format: readout/1\ndateline: venue\n")
    [line] = problems_of(call)
    assert line.endswith("dateline: The dateline is the venue's city, but the meeting has no "
                         "'venue'; add one, or choose 'dateline: issuer' or 'none'.")


def test_a_meeting_cannot_follow_itself(minimal_text: str) -> None:
    lines = problems_of(minimal_text.replace("format: readout/1\n", (
        "format: readout/1\nid: a-meeting\nprevious: a-meeting\n")))
    assert lines == ["m.yaml:3:11: previous: A meeting cannot follow itself; 'previous' names "
                     "the id of an earlier meeting."]
    [line] = problems_of(minimal_text.replace("format: readout/1\n",
                                              "format: readout/1\nprevious: The briefing\n"))
    assert line.endswith("previous: 'The briefing' is not a readout id; use the 'id' (or file "
                         "name without .yaml) of the meeting this one follows.")


ISSUERS = """\
issuer:
  organisation: Department of State
  government: United States of America
  logo_alt: Seal of the Department of State
  spokesperson:
    name: Matthew Miller
    title: Spokesperson
co_issuers:
  - organisation: Ministry of External Affairs
    government: Government of India
"""


def test_a_spokesperson_and_co_issuers(minimal_text: str) -> None:
    text = minimal_text.replace("issuer:\n  organisation: Ministry of Defence\n"
                                "  city: New Delhi\n", ISSUERS)
    doc = readout.loads(text)
    assert doc.issuer.spokesperson == Spokesperson("Matthew Miller", "Spokesperson")
    assert doc.issuer.logo_text == "Seal of the Department of State"
    assert [i.organisation for i in doc.issuers] == ["Department of State",
                                                      "Ministry of External Affairs"]
    assert doc.co_issuers[0].logo_text == "Emblem of Government of India"
    broken = text.replace("    name: Matthew Miller\n", "").replace(
        "  - organisation: Ministry of External Affairs\n", "  - office: MEA\n")
    assert problems_of(broken) == [
        "m.yaml:9:5: issuer.spokesperson.name: 'name' is required but missing; add it under "
        "'spokesperson'.",
        "m.yaml:11:5: co_issuers.0.organisation: 'organisation' is required but missing; add "
        "it in this entry."]


def test_a_meeting_over_several_days(minimal_text: str) -> None:
    text = minimal_text.replace("  date: 2025-06-26\n",
                                "  date: 2025-06-26\n  end_date: 2025-06-27\n"
                                "  requested_by: Russia\n").replace('end: "11:15"', 'end: "09:00"')
    doc = readout.loads(text)
    assert (doc.meeting.last_date, doc.meeting.several_days) == (date(2025, 6, 27), True)
    assert doc.meeting.requested_by == "Russia"
    [line] = problems_of(text.replace("end_date: 2025-06-27", "end_date: 2025-06-20"))
    assert line == ("m.yaml:10:13: meeting.end_date: The meeting's last day (2025-06-20) is "
                    "before its first (2025-06-26); check 'date' and 'end_date'.")


@pytest.mark.parametrize("kind", ["call", "video"])
def test_a_call_or_video_call_may_have_no_venue(minimal_text: str, kind: str) -> None:
    text = minimal_text.replace("kind: bilateral", f"kind: {kind}").replace(
        "  venue:\n    city: Qingdao\n    country: China\n", "")
    assert readout.loads(text).meeting.venue is None


def test_any_other_meeting_needs_a_venue_and_a_venue_needs_no_city(minimal_text: str) -> None:
    [line] = problems_of(minimal_text.replace("kind: bilateral", "kind: call-on").replace(
        "  venue:\n    city: Qingdao\n    country: China\n", ""))
    assert line == ("m.yaml:8:3: meeting.venue: 'venue' is required but missing; add it under "
                    "'meeting' (only a call or a video call may leave it out).")
    doc = readout.loads(minimal_text.replace("    city: Qingdao\n", ""))
    assert doc.meeting.venue is not None and doc.meeting.venue.city is None


def test_a_participant_has_a_name_or_a_title_and_a_side(minimal_text: str) -> None:
    text = minimal_text.replace(
        "  - name: Andrey Belousov\n    title: Minister of Defence\n    country: Russia\n"
        "    role: counterpart\n",
        "  - title: NATO Foreign Ministers\n    organisation: NATO\n    role: attendee\n"
        "    attendance: remote\n  - name: Mark Rutte\n    organisation: NATO\n    role: chair\n")
    doc = readout.loads(text.replace("speaker: Andrey Belousov", "speaker: Mark Rutte"))
    ministers, rutte = doc.participants[1:]
    assert (ministers.display_name, ministers.side, ministers.role, ministers.attendance) == (
        "NATO Foreign Ministers", "NATO", Role.ATTENDEE, Attendance.REMOTE)
    assert (rutte.display_name, rutte.title, rutte.role) == ("Mark Rutte", None, Role.CHAIR)
    nobody = minimal_text.replace("  - name: Andrey Belousov\n    title: Minister of Defence\n"
                                  "    country: Russia\n", "  - honorific: Mr.\n")
    assert problems_of(nobody) == [
        "m.yaml:20:5: participants.1: A participant needs a 'name' or a 'title' (or both); "
        "add the one the source gives.",
        "m.yaml:20:5: participants.1: A participant needs a 'country', or the 'organisation' "
        "of an international official."]
    [line] = problems_of(text.replace("attendance: remote", "attendance: online"))
    assert line.endswith("participants.1.attendance: 'online' is not a kind of attendance; "
                         "choose one of: in-person, remote.")


def test_a_key_point_may_have_no_heading_but_needs_content(minimal_text: str) -> None:
    doc = readout.loads(minimal_text.replace("  - heading: Defence partnership\n    body:",
                                             "  - body:"))
    assert doc.key_points[0].heading is None
    bare = minimal_text.replace(
        "  - heading: Defence partnership\n    body: The ministers reviewed cooperation.\n"
        "    quotes:\n      - speaker: Andrey Belousov\n        text: Russia stands in "
        "complete solidarity with India against terrorism.\n",
        "  - classification: PUBLIC\n")
    assert problems_of(bare) == ["m.yaml:25:5: key_points.0: A key point needs a 'body', "
                                 "'bullets' or 'quotes'."]


def test_an_empty_heading_says_to_write_it(minimal_text: str) -> None:
    text = minimal_text.replace("key_points:\n", "context:\n  - heading: ''\n    body: x\n"
                                "key_points:\n")
    [line] = problems_of(text)
    assert line == "m.yaml:25:14: context.0.heading: This is empty; write the text."


def test_a_quote_may_give_its_language_and_a_translation(minimal_text: str) -> None:
    text = minimal_text.replace(
        "        text: Russia stands in complete solidarity with India against terrorism.\n",
        "        text: Россия solidarity.\n        language: ru\n"
        "        translation: Russia stands in solidarity.\n")
    quote = readout.loads(text).key_points[0].quotes[0]
    assert (quote.language, quote.translation) == ("ru", "Russia stands in solidarity.")
    [line] = problems_of(text.replace("language: ru", "language: Russian"))
    assert line == ("m.yaml:30:19: key_points.0.quotes.0.language: 'Russian' is not a language "
                    "tag; use a BCP 47 tag such as en, hi or ru.")


def test_a_signed_document_and_what_cannot_be_signed(minimal_text: str) -> None:
    text = minimal_text + ("  - text: Memorandum of Understanding on defence cooperation\n"
                           "    type: document\n    signed_by: [Rajnath Singh, Andrey Belousov]\n")
    outcome = readout.loads(text).outcomes[1]
    assert (outcome.type, outcome.signed_by) == (OutcomeType.DOCUMENT,
                                                 ("Rajnath Singh", "Andrey Belousov"))
    [line] = problems_of(text.replace("type: document", "type: action"))
    assert line == ("m.yaml:37:16: outcomes.1.signed_by: An outcome of type 'action' is not "
                    "signed; 'signed_by' is for an agreement or a document, so change the type "
                    "or remove 'signed_by'.")


def test_a_third_level_of_bullets_says_two_is_the_limit(minimal_text: str) -> None:
    text = minimal_text.replace("    body: The ministers reviewed cooperation.\n",
                                "    bullets:\n      - text: parent\n        bullets:\n"
                                "          - text: child\n            bullets: [grandchild]\n")
    [line] = problems_of(text)
    assert line == ("m.yaml:29:13: key_points.0.bullets.0.bullets.0: Bullets go two levels "
                    "deep at most, and this would be a third; make it a line of text, or move "
                    "its items up a level.")


def test_photos_need_alt_text_and_a_real_image_in_the_folder(
        minimal_text: str, tmp_path: Path) -> None:
    (tmp_path / "handshake.png").write_bytes(tiny_png())
    (tmp_path / "notes.png").write_text("not an image", encoding="utf-8")
    text = minimal_text + ("photos:\n  - file: handshake.png\n    caption: The two Ministers\n"
                           "    credit: PIB\n    alt: Two ministers shaking hands\n")
    photo = readout.loads(text, folder=tmp_path).photos[0]
    assert photo == Photo(file=(tmp_path / "handshake.png").resolve(),
                          alt="Two ministers shaking hands", caption="The two Ministers",
                          credit="PIB")
    broken = text.replace("    alt: Two ministers shaking hands\n", "") + (
        "  - file: ../outside.png\n    alt: x\n  - file: notes.png\n    alt: y\n")
    assert problems_of(broken, folder=tmp_path) == [
        "m.yaml:36:5: photos.0.alt: 'alt' is required but missing; add it in this entry.",
        "m.yaml:39:11: photos.1.file: '../outside.png' points outside the readout's folder; "
        "put the image in that folder (or below it) and give a relative path.",
        "m.yaml:41:11: photos.2.file: 'notes.png' is not a PNG or JPEG image; save it as one "
        "of those."]


def test_a_setting_without_an_event_is_a_warning(minimal_text: str, tmp_path: Path) -> None:
    text = minimal_text.replace("  date: 2025-06-26\n", "  date: 2025-06-26\n"
                                "  setting: on the sidelines of the\n")
    assert warnings_of(text, tmp_path) == [
        "m.yaml:10:12: meeting.setting: warning: 'setting' is printed just before the event's "
        "name, but there is no 'event'; add the event, or remove the setting."]


# -- messages real users met (issue 8, item 4) --------------------------------------------------


def test_a_list_where_one_venue_is_expected_names_its_keys(minimal_text: str) -> None:
    [line] = problems_of(minimal_text.replace("  venue:\n    city: Qingdao\n    country: China\n",
                                              "  venue:\n    - city: Qingdao\n"
                                              "      country: China\n"))
    assert line == ("m.yaml:13:5: meeting.venue: This must be one venue, not a list; write its "
                    "keys ('country', and optionally 'city' and 'name') directly under 'venue', "
                    "without '- '.")


def test_a_participant_written_as_a_line_names_the_keys_it_needs(minimal_text: str) -> None:
    [line] = problems_of(minimal_text.replace(
        "  - name: Rajnath Singh\n    title: Raksha Mantri\n    country: India\n"
        "    role: principal\n", "  - Rajnath Singh, Raksha Mantri\n"))
    assert line == ("m.yaml:16:5: participants.0: A participant is written as keys, not as a "
                    "line of text; give it 'name' or 'title' (or both), 'country' or "
                    "'organisation', and 'role', each on its own line as 'key: value'.")


def test_an_empty_required_heading_says_to_write_it(minimal_text: str) -> None:
    text = minimal_text.replace("key_points:\n", "context:\n  - heading:\n    body: x\n"
                                "key_points:\n")
    [line] = problems_of(text)
    assert line == "m.yaml:25:13: context.0.heading: 'heading' is empty; write the text."


def test_a_comma_in_a_flow_mapping_is_explained(minimal_text: str) -> None:
    text = minimal_text.replace("  - name: Rajnath Singh\n    title: Raksha Mantri\n"
                                "    country: India\n    role: principal\n",
                                "  - {name: Rajnath Singh, title: Raksha Mantri, Defence,"
                                " country: India, role: principal}\n")
    [line] = problems_of(text)
    assert line.startswith("m.yaml:16:49: participants.0.Defence: 'Defence' is not a field")
    assert line.endswith("If it belongs to the value before it, put that value in quotes: "
                         "inside { } a comma starts a new key.")


def test_the_email_rule_is_marshmallows_own() -> None:
    """The e-mail domain rule, checked in Python (marshmallow's pattern takes 55 ms to
    compile), accepts exactly what marshmallow's accepts, letter by letter and shape by
    shape."""
    import random
    import re

    from marshmallow import validate

    from readout.schema import _EmailCheck

    theirs = re.compile(validate.Email.DOMAIN_REGEX.pattern, re.IGNORECASE | re.UNICODE)
    ours = _EmailCheck.DOMAIN_REGEX
    special = [0x4B, 0x6B, 0x130, 0x131, 0x17F, 0x212A, 0x10400, 0x10428, 0xFFFF, 0x10000,
               0x660, 0x669, 0xA0, 0xA1]
    texts = []
    for code in [*range(0, 0x800), *range(0x800, 0x20000, 97), *special]:
        char = chr(code)
        texts += [char + "a.bc", "ab." + char * 2, "a." + char + "1", f"[1.2.3.{char}]",
                  f"{char}.{char}{char}", f"a{char}b.cd"]
    chance = random.Random(11)
    pieces = ["a", "Z", "0", "-", ".", "é", "\u212a", "[", "]", "1", "25", "255", "256", "\n",
              "a" * 62, "\U00010400", " "]
    texts += ["".join(chance.choice(pieces) for _ in range(chance.randint(0, 9)))
              for _ in range(20000)]
    texts += ["[192.168.0.1]", "[255.255.255.255]", "[256.1.1.1]", "[1.2.3]", "a" * 63 + ".com",
              "a" * 64 + ".com", "-a.com", "a-.com", "a.-b", "a.b-", "localhost", ""]
    for text in texts:
        assert bool(ours.match(text)) == bool(theirs.match(text)), repr(text)
    assert readout.loads(MINIMAL.replace("city: New Delhi", "city: New Delhi\n  contact:\n"
                                         "    email: media@пример.рф"), name="m.yaml")
