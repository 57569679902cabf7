"""`PdfCanvas` sets fill colours as reportlab's own canvas does: the same operators in
the page's stream, the same state after every step (saved and restored around them)."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas

from readout.writers.pdf.canvas import PdfCanvas

FILLS: list[tuple[Any, Any]] = [
    (colors.HexColor("#1b1b1b"), None), (colors.Color(0.1, 0.2, 0.3, alpha=0.5), None),
    (colors.HexColor("#0b2545"), 0.25), (colors.CMYKColor(0.1, 0.2, 0.3, 0.4), None),
    ((0.5, 0.5, 0.5), None), ("red", None), (colors.HexColor("#1b1b1b"), None),
]


def _state(canv: Any) -> dict[str, Any]:
    return {name: getattr(canv, name) for name in Canvas.STATE_ATTRIBUTES
            if name != "_extgstate"} | {"gs": dict(canv._extgstate._d)}


def _steps(canv: Any) -> list[Any]:
    seen = []
    for fill, alpha in FILLS:
        canv.saveState()
        canv.setFillColor(fill, alpha)
        canv.translate(3, 4)
        seen.append(_state(canv))
        canv.saveState()
        canv.setFillColor(colors.HexColor("#8b1e3f"))
        seen.append(_state(canv))
        canv.restoreState()
        seen.append(_state(canv))
        canv.restoreState()
        seen.append((_state(canv), len(canv.state_stack)))
    return seen


def test_fill_colours_and_saved_states_are_reportlabs() -> None:
    ours, stock = PdfCanvas(BytesIO(), invariant=1), Canvas(BytesIO(), invariant=1)
    assert _steps(ours) == _steps(stock)
    assert ours._code == stock._code
    assert any(op.endswith(" rg") for op in ours._code)
