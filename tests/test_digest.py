"""The digest model: meetings in date order, actions tracked, past-due actions flagged."""

from __future__ import annotations

from datetime import date
from typing import Any

from readout import tree
from readout.digest import build_digest, digest_of


def summary(ident: str, held: str, *actions: dict[str, Any],
            marking: str = "OFFICIAL") -> dict[str, Any]:
    return {"id": ident, "title": f"Meeting {ident}", "date": held, "kind": "bilateral",
            "venue": "Qingdao, China", "counterparts": ["Mr. X"], "outcomes": len(actions),
            "classification": marking, "actions": list(actions)}


def action(text: str, due: str | None, status: str = "open") -> dict[str, Any]:
    return {"text": text, "owner": "Owner", "due": due, "status": status,
            "marking": "OFFICIAL"}


def test_meetings_come_in_date_order_whatever_the_series_order() -> None:
    digest = digest_of("S", [summary("b", "2025-06-27"), summary("a", "2025-06-25")])
    assert [m.id for m in digest.meetings] == ["a", "b"]
    assert digest.latest == date(2025, 6, 27)


def test_only_open_actions_due_before_the_latest_meeting_are_past_due() -> None:
    digest = digest_of("S", [
        summary("a", "2025-06-20", action("late", "2025-06-21"),
                action("late but done", "2025-06-21", "done"),
                action("late, in progress", "2025-06-22", "in-progress"),
                action("due on the day", "2025-06-30"), action("no date", None)),
        summary("b", "2025-06-30")])
    flags = {a.text: a.past_due for a in digest.actions}
    assert flags == {"late": True, "late but done": False, "late, in progress": True,
                     "due on the day": False, "no date": False}
    assert (digest.open_actions, digest.past_due) == (4, 2)


def test_the_digest_carries_the_highest_marking() -> None:
    digest = digest_of("S", [summary("a", "2025-06-20", marking="PUBLIC"),
                             summary("b", "2025-06-21", marking="OFFICIAL-SENSITIVE")])
    assert digest.classification == "OFFICIAL-SENSITIVE"


def test_the_digest_document_has_banners_and_every_action() -> None:
    document = build_digest("Series", [summary("a", "2025-06-20", action("Do it", "2025-06-21")),
                                       summary("b", "2025-06-22")])
    assert tree.plain_text(document.header[0].children) == "OFFICIAL"  # type: ignore[union-attr]
    tables = [block for block in document.body if isinstance(block, tree.Table)]
    action_rows = [tree.plain_text(row.cells[0].children) for row in tables[1].rows]
    assert action_rows == ["(OFFICIAL) Do it"]
    status = tree.plain_text(tables[1].rows[0].cells[3].children)
    assert status == "Open\nPAST DUE"
