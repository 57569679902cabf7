"""`memo.remember`: the one way the PDF writer's process-wide memos keep a value."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from readout.writers.pdf.memo import remember


def test_a_memo_at_its_limit_is_emptied_before_it_keeps_the_new_value() -> None:
    memo = {1: "a", 2: "b"}
    assert remember(memo, 3, "c", limit=2) == "c"
    assert memo == {3: "c"}
    assert remember(memo, 4, "d", limit=2) == "d"
    assert memo == {3: "c", 4: "d"}


def test_threads_that_made_one_value_at_once_all_go_on_with_the_one_kept() -> None:
    memo: dict[str, object] = {}
    made = [object() for _ in range(64)]
    with ThreadPoolExecutor(8) as pool:
        kept = list(pool.map(lambda value: remember(memo, "key", value, 10), made))
    assert {id(value) for value in kept} == {id(memo["key"])}
