"""PDF writer: the one way a process-wide memo keeps what it has made.

The writer remembers what it makes again and again (number strings, word widths,
shaped words, font subsets, images) in plain dicts read without a lock. Each is kept
from growing without bound by emptying it whole when it reaches its limit: equal keys
always make equal values, so an emptied memo only costs the work again, never changes
a byte. Stored under one lock, so two threads that made the same value at once both
go on with the one kept.
"""

from __future__ import annotations

import threading
from typing import TypeVar

Key = TypeVar("Key")
Value = TypeVar("Value")

_LOCK = threading.Lock()


def remember(memo: dict[Key, Value], key: Key, value: Value, limit: int) -> Value:
    """``value`` kept in ``memo`` under ``key`` (the memo emptied first if it holds
    ``limit`` entries); what ``memo`` holds under ``key`` afterwards."""
    with _LOCK:
        if len(memo) >= limit:
            memo.clear()
        return memo.setdefault(key, value)


__all__ = ["remember"]
