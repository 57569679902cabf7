"""The shaped-word memos of the PDF writer (`shaping._WORDS`, and `shaping._SINGLE` for
words of one piece): a word shaped from the memo is the word shaped afresh, and a
document drawn with a warm memo is the same bytes as with a cold one."""

from __future__ import annotations

import pytest

import readout
from readout.writers.pdf import shaping

from .conftest import SAMPLES

SHAPED = [SAMPLES / "2025-06-26-qingdao-in-ru.hi.yaml",
          SAMPLES / "2025-06-26-qingdao-in-ru.ur.yaml"]


@pytest.mark.parametrize("path", SHAPED, ids=lambda p: p.name)
def test_a_document_drawn_from_a_warm_memo_is_the_one_drawn_from_a_cold_one(
        path: object) -> None:
    doc = readout.load(path)  # type: ignore[arg-type]
    shaping._WORDS.clear()
    shaping._SINGLE.clear()
    cold = readout.render(doc, "press-release", "pdf")
    assert shaping._WORDS and shaping._SINGLE  # the memos were used
    warm = readout.render(doc, "press-release", "pdf")
    assert warm == cold


def test_words_of_one_fragment_or_several_are_remembered_apart() -> None:
    """Two words with the same text in other fonts, sizes or fragment patterns get
    keys of their own (a key that forgot one would hand back the wrong widths)."""

    class Frag:
        def __init__(self, font: str, size: float) -> None:
            self.fontName, self.fontSize = font, size

    a, b, c = Frag("F", 10.0), Frag("F", 11.0), Frag("G", 10.0)
    features = {"kern": True, "liga": True}
    keys = {shaping._word_key(entries, features) for entries in (
        [(a, "राजनाथ")], [(b, "राजनाथ")], [(c, "राजनाथ")],
        [(a, "राज"), (a, "नाथ")], [(a, "राज"), (Frag("F", 10.0), "नाथ")])}
    assert len(keys) == 5
    assert shaping._word_key([(a, "x")], features) != shaping._word_key(
        [(a, "x")], {"kern": False, "liga": True})
