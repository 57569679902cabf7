"""Batch progress: a rich bar on a terminal, plain lines elsewhere."""

from __future__ import annotations

import io

import pytest

from readout import progress


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_plain_lines_off_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    with progress.batch_progress() as report:
        report("a.yaml", 1, 2)
        report("b.yaml", 2, 2)
    assert capsys.readouterr().err.splitlines() == ["[1/2] a.yaml", "[2/2] b.yaml"]


def test_a_bar_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = FakeTerminal()
    monkeypatch.setattr("sys.stderr", terminal)
    with progress.batch_progress() as report:
        report("samples/a.yaml", 1, 2)
        report("samples/b.yaml", 2, 2)
    shown = terminal.getvalue()
    assert "2/2" in shown and "samples/b.yaml" in shown
    assert "[1/2]" not in shown
