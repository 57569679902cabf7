"""The digest model: as-at date, overdue and due-soon actions, owner groups, ids, totals,
markings, and the summaries a manifest keeps (see test_digest_documents for what the
rendered PDF and DOCX say)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from readout import load, tree
from readout.digest import digest_of, meeting_summary
from readout.model import DigestSettings

from .conftest import SEED


def summary(ident: str, held: str, *actions: dict[str, Any], marking: str = "OFFICIAL",
            end: str | None = None) -> dict[str, Any]:
    return {"format": 2, "id": ident, "date": held, "end_date": end, "kind": "bilateral",
            "venue": "Qingdao, China", "city": "Qingdao",
            "counterparts": [{"name": "Mr. X", "side": "Russia"}],
            "outcomes": {"action": len(actions)}, "follow_ups": 0, "previous": None,
            "marking": marking,
            "actions": [{"ref": f"O{n}", **a} for n, a in enumerate(actions, start=1)]}


def action(text: str, due: str | None, status: str = "open", owner: str | None = "Owner",
           marking: str = "OFFICIAL") -> dict[str, Any]:
    return {"text": text, "owner": owner, "due": due, "status": status, "marking": marking}


def test_meetings_come_in_date_order_and_the_as_at_date_is_the_last_day() -> None:
    digest = digest_of("S", [summary("b", "2025-06-27", end="2025-06-29"),
                             summary("a", "2025-06-25")])
    assert [m.id for m in digest.meetings] == ["a", "b"]
    assert (digest.as_at, digest.as_at_given) == (date(2025, 6, 29), False)
    assert (digest.first, digest.last) == (date(2025, 6, 25), date(2025, 6, 29))


def test_overdue_and_due_soon_are_judged_against_the_as_at_date() -> None:
    summaries = [summary("a", "2025-06-20",
                         action("late", "2025-06-21"),
                         action("late but done", "2025-06-21", "done"),
                         action("late, in progress", "2025-06-22", "in-progress"),
                         action("due on the day", "2025-06-30"),
                         action("due in 14 days", "2025-07-14"),
                         action("due in 15 days", "2025-07-15"),
                         action("dropped, due soon", "2025-07-01", "dropped"),
                         action("no date", None)),
                 summary("b", "2025-06-30")]
    digest = digest_of("S", summaries)
    assert digest.as_at == date(2025, 6, 30)
    assert [(a.text, a.days_overdue) for a in digest.overdue] == [
        ("late", 9), ("late, in progress", 8)]
    assert [(a.text, a.due_in) for a in digest.due_soon] == [
        ("due on the day", 0), ("due in 14 days", 14)]
    later = digest_of("S", summaries, as_at=date(2025, 7, 10))
    assert (later.as_at, later.as_at_given) == (date(2025, 7, 10), True)
    assert [(a.text, a.days_overdue) for a in later.overdue] == [
        ("late", 19), ("late, in progress", 18), ("due on the day", 10)]
    assert [a.text for a in later.due_soon] == ["due in 14 days", "due in 15 days"]


def test_the_caller_wins_over_the_series_file_which_wins_over_the_latest_meeting() -> None:
    summaries = [summary("a", "2025-06-20", action("x", "2025-06-25"))]
    settings = DigestSettings(as_at=date(2025, 6, 26))
    assert digest_of("S", summaries, settings=settings).overdue[0].days_overdue == 1
    assert digest_of("S", summaries, settings=settings,
                     as_at=date(2025, 7, 5)).overdue[0].days_overdue == 10
    assert digest_of("S", summaries).overdue == ()


def test_open_work_is_grouped_by_owner_in_due_date_order() -> None:
    digest = digest_of("S", [
        summary("a", "2025-06-01",
                action("b2", "2025-09-01", owner="Bravo"),
                action("a1", "2025-08-01", owner="Alpha"),
                action("b1", "2025-07-01", owner="Bravo"),
                action("n1", "2025-06-15", owner=None),
                action("a-done", "2025-06-02", "done", owner="Alpha"),
                action("c1", None, owner="Charlie"),
                action("a0", None, "in-progress", owner="Alpha"))])
    groups = [(g.owner, [a.text for a in g.actions]) for g in digest.open_groups]
    assert groups == [("Bravo", ["b1", "b2"]), ("Alpha", ["a1", "a0"]), ("Charlie", ["c1"]),
                      (None, ["n1"])]
    assert digest.closed_groups == ()
    listed = digest_of("S", [summary("a", "2025-06-01",
                                     action("d", "2025-06-05", "done", owner="Alpha"))],
                       all_actions=True)
    assert [[a.text for a in g.actions] for g in listed.closed_groups] == [["d"]]


def test_totals_count_every_action_by_status() -> None:
    digest = digest_of("S", [summary("a", "2025-06-01", *(
        action(f"{s}{n}", None, s) for n, s in enumerate(
            ["open", "open", "in-progress", "done", "dropped", "done"])))])
    assert digest.totals == (("open", 2), ("in-progress", 1), ("done", 2), ("dropped", 1))
    assert digest.total == 6 == sum(n for _, n in digest.totals)
    assert sum(len(g.actions) for g in digest.open_groups) == 3
    assert digest.closed == 3


def test_ids_are_the_meeting_and_the_entry_and_stay_when_a_member_is_added() -> None:
    first = [summary("b", "2025-06-10", action("x", None), action("y", None))]
    ids = [a.id for a in digest_of("S", first).actions]
    assert ids == ["b/O1", "b/O2"]
    grown = digest_of("S", [summary("a", "2025-06-01", action("z", None)), *first])
    assert [a.id for a in grown.actions if a.meeting.id == "b"] == ids


def test_the_digest_carries_the_highest_marking_of_what_it_shows() -> None:
    public = [summary("a", "2025-06-20", marking="PUBLIC")]
    assert digest_of("S", public).classification == "OFFICIAL", "internal: never PUBLIC"
    marked = [summary("a", "2025-06-20", action("x", None, marking="OFFICIAL-SENSITIVE")),
              summary("b", "2025-06-21", marking="PUBLIC")]
    assert digest_of("S", marked).classification == "OFFICIAL-SENSITIVE"
    assert digest_of("S", public, settings=DigestSettings(
        marking="SECRET")).classification == "SECRET"
    assert digest_of("S", marked, settings=DigestSettings(
        marking="OFFICIAL")).classification == "OFFICIAL-SENSITIVE", "never lowered"


def test_the_summary_of_a_meeting_holds_its_actions_and_structured_follow_ups() -> None:
    seed = meeting_summary(load(SEED))
    follow_ups = [a for a in seed["actions"] if a["ref"].startswith("F")]
    assert [a["owner"] for a in follow_ups] == [
        "Department of Defence Production", "Air Headquarters",
        "International Cooperation Division", "Naval Headquarters"]
    assert follow_ups[3] == {
        "ref": "F4", "owner": "Naval Headquarters", "due": "2025-07-10", "status": "open",
        "text": "Propose Indian Ocean Region (IOR) cooperation items for the next staff talks",
        "marking": "OFFICIAL"}, "a brief's items carry the brief's marking, never PUBLIC"
    assert seed["outcomes"] == {"agreement": 4}
    assert seed["counterparts"] == [{"name": "Mr. Andrey Belousov", "side": "Russia"}]


@pytest.mark.parametrize("summaries", [[], [summary("a", "2025-06-20")]])
def test_a_series_with_no_action_or_no_meeting_still_has_a_digest(
        summaries: list[dict[str, Any]]) -> None:
    from readout.digest import build_digest
    from readout.rendering import render_tree

    from .extract import docx_text, pdf_text

    document = build_digest("Quiet series", summaries)
    assert not any(isinstance(block, tree.Chart) for block in document.body)
    for text in (pdf_text(render_tree(document, "pdf")),
                 docx_text(render_tree(document, "docx"))):
        assert "No open action is overdue or due in the next 14 days." in text
        assert "No actions were recorded in this series." in text
        assert ("No meeting of this series could be read." in text) == (not summaries)


def test_the_digest_rows_open_with_their_portion_marks() -> None:
    from readout.digest import build_digest

    document = build_digest("Series", [summary("a", "2025-06-20", action("Do it", "2025-06-21")),
                                       summary("b", "2025-06-22")])
    assert tree.plain_text(document.header[0].children) == "OFFICIAL"  # type: ignore[union-attr]
    tables = [block for block in document.body if isinstance(block, tree.Table)]
    tracker = next(table for table in tables if table.header and [
        tree.plain_text(cell.children) for cell in table.header.cells] == [
        "Action", "Due", "Status", "Meeting"])
    rows = [tree.plain_text(row.cells[0].children) for row in tracker.rows]
    assert rows == ["Owner · 1 action, 1 overdue", "(OFFICIAL) Do it\na/O1"]
    headings = [tree.plain_text(block.children) for block in document.body
                if isinstance(block, tree.Heading) and block.level == 3]
    assert headings == ["(OFFICIAL) 2025"]


def test_a_meeting_follows_the_member_its_previous_names() -> None:
    from readout.digest import build_digest

    later = {**summary("b", "2025-06-27", end="2025-06-28"), "previous": "a"}
    stray = {**summary("c", "2025-07-02"), "previous": "not-a-member"}
    digest = digest_of("S", [stray, later, summary("a", "2025-06-24")])
    follows = {m.id: (m.follows.id if m.follows else None, m.previous) for m in digest.meetings}
    assert follows == {"a": (None, None), "b": ("a", "a"), "c": (None, "not-a-member")}
    document = build_digest("S", [stray, later, summary("a", "2025-06-24")])
    [table] = [block for block in document.body if isinstance(block, tree.Table)
               and block.header and tree.plain_text(block.header.cells[0].children) == "Date"]
    assert [[tree.plain_text(cell.children) for cell in row.cells[:1] + row.cells[4:]]
            for row in table.rows] == [["24 Jun", "—"], ["27\u201328 Jun", "24 Jun"],
                                       ["2 Jul", "not-a-member"]]
