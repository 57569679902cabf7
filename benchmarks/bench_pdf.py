"""Benchmark: readout's PDFs against fair hand-written reportlab and against Typst.

    .venv/bin/python benchmarks/bench_pdf.py [ROUNDS]          # default 40
    .venv/bin/python benchmarks/bench_pdf.py --only NAME [ROUNDS]  # one contestant, for
                                                  # valgrind --tool=callgrind or perf stat

Every round renders every contestant once. The running order is a row of a Williams
square (`running_orders`), one row per round in turn: over a full cycle of rows every
contestant runs in every place equally often and right after every other contestant
equally often, so none always inherits the same one's cache and branch state (a plain
rotation keeps the same neighbours every round). Each readout contestant renders its own
varied document (`seed_content.varied`: every text field changed) in every round: no
render of a round sees a paragraph another contestant has already laid out that round,
so none is helped by the paragraph caches another warmed (with one document per round,
the second of readout's tagged and untagged press releases got the first one's).
Rendering a document of its own, rather than alternating which goes first, keeps every
measured render a first sight of its text, which is the case a series meets. Each
baseline and Typst renders the same text as the readout contestant it is paired with
(press release: the tagged one's); they share no text cache with readout (`stock`), so
sharing its text helps neither side. Fonts, logo, boilerplate and most words (the
variants swap in words of the seed, so word widths and font subsets are mostly
remembered) are shared, as in a series. The readout documents are validated before the
clock starts (that is ``load``'s work, not the writer's); the baselines' and Typst's
conversion of the content is timed with them.

Reports the median ms per document of each contestant, wall and CPU (the process's
threads: Typst uses several), and every ratio from this one run as the median of the
per-round ratios (paired: a drift in the machine's speed falls on both).

Contestants: readout's press release (tagged, as it ships) and internal brief PDF;
readout's press release untagged (the hand-written baseline's features); the fair
hand-written reportlab scripts of both (`bench_pdf_baseline`); Typst's press release
(`bench_typst`, tagged when readout's PDF is tagged, so both do the same work), when
``typst`` is installed (``pip install -e '.[bench]'``).

What differs between readout and the hand-written baseline: readout's PDFs are tagged
(structure tree, marked content, alternative and actual text: the untagged contestant
drops that), and readout does more besides (`bench_pdf_baseline` lists it: list orphan
control, a .notdef code for characters the font lacks, furniture measured so the body
never runs under it, page numbers drawn as one form per page, and the whole pipeline
before reportlab: a Jinja template, the document tree, theme styles). Both have the same
text, markup, outline, links, furniture, keep-with-next and Flate-only streams.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_typst  # noqa: E402
from bench_pdf_baseline import render_baseline, render_brief_baseline  # noqa: E402
from seed_content import SEED, content, varied  # noqa: E402

import readout  # noqa: E402

Render = Callable[[int], bytes]


# The documents of a round: each readout contestant has its own (see the docstring).
PRESS, UNTAGGED, BRIEF = range(3)


class Rounds:
    """Every round's inputs, made before any clock starts: ``docs[variant][n]`` and
    ``content[variant][n]`` are round ``n``'s document of each variant."""

    def __init__(self, rounds: int) -> None:
        # Round 0 (the seed as it is, for the press release) is the warm-up; measured
        # rounds start at 1. Variant v of round n is the seed varied for 3n + v.
        data = [[varied(3 * n + v) for n in range(rounds + 1)]
                for v in (PRESS, UNTAGGED, BRIEF)]
        self.docs = [[readout.from_dict(d, name=str(SEED), folder=SEED.parent) for d in ds]
                     for ds in data]
        self.content = [[content(d) for d in ds] for ds in data]


def running_orders(count: int) -> list[list[int]]:
    """The rows of a Williams square of ``count`` contestants: in every row each runs
    once; over all rows each runs in every place, and right after every other, equally
    often (once; twice for an odd ``count``, which needs the rows reversed too)."""
    first = [0]
    for k in range(1, count):
        first.append((k + 1) // 2 if k % 2 else count - k // 2)
    rows = [[(c + shift) % count for c in first] for shift in range(count)]
    if count % 2:
        rows += [row[::-1] for row in rows]
    return rows


def stock(render: Callable[[dict[str, Any]], bytes]) -> Callable[[dict[str, Any]], bytes]:
    """``render`` with reportlab as a hand-written script gets it: readout's PDF writer
    puts its remembered word widths into reportlab's paragraph module once imported
    (`readout.writers.pdf.measure`) and its remembered number strings in place of
    ``fp_str`` (`readout.writers.pdf.accel`), which would speed the baseline up too."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import paragraph

    from readout.writers.pdf.accel import ORIGINALS

    stock_functions = [(paragraph, "stringWidth", stringWidth), *ORIGINALS]

    def run(c: dict[str, Any]) -> bytes:
        ours = [getattr(module, name) for module, name, _ in stock_functions]
        for module, name, original in stock_functions:
            setattr(module, name, original)
        try:
            return render(c)
        finally:
            for (module, name, _), own in zip(stock_functions, ours, strict=True):
                setattr(module, name, own)
    return run


def contestants(r: Rounds) -> dict[str, Render]:
    press, brief = stock(render_baseline), stock(render_brief_baseline)
    from readout.rendering import furnished
    from readout.templating import build_document
    from readout.themes import load_theme
    from readout.writers.pdf import write as write_pdf

    theme = load_theme()

    def untagged(n: int) -> bytes:  # the features of the hand-written baseline: no tags
        tree = furnished(build_document(r.docs[UNTAGGED][n], "press-release", theme=theme),
                         theme)
        return write_pdf(tree, theme, _tagged=False)

    found: dict[str, Render] = {
        "readout press-release":
            lambda n: readout.render(r.docs[PRESS][n], "press-release", "pdf"),
        "readout press-release untagged": untagged,
        "reportlab press-release": lambda n: press(r.content[PRESS][n]),
        "readout internal-brief":
            lambda n: readout.render(r.docs[BRIEF][n], "internal-brief", "pdf"),
        "reportlab internal-brief": lambda n: brief(r.content[BRIEF][n]),
    }
    if bench_typst.available():
        tagged = b"/StructTreeRoot" in readout.render(r.docs[PRESS][0], "press-release",
                                                      "pdf")
        peer = bench_typst.TypstPeer(tagged)
        found["typst press-release"] = lambda n: peer.render(r.content[PRESS][n])
    return found


def measure(renders: dict[str, Render], rounds: int
            ) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Wall-clock and CPU seconds (all of the process's threads: Typst uses several)
    of every contestant in every round."""
    names = list(renders)
    for name in names:  # warm-up: imports, fonts, templates, caches
        renders[name](0)
    wall: dict[str, list[float]] = {name: [] for name in names}
    cpu: dict[str, list[float]] = {name: [] for name in names}
    orders = running_orders(len(names))
    for n in range(1, rounds + 1):
        for name in (names[i] for i in orders[(n - 1) % len(orders)]):
            start, start_cpu = time.perf_counter(), time.process_time()
            renders[name](n)
            wall[name].append(time.perf_counter() - start)
            cpu[name].append(time.process_time() - start_cpu)
    return wall, cpu


def paired(times: dict[str, list[float]], ours: str, theirs: str) -> float:
    return statistics.median(a / b for a, b in zip(times[ours], times[theirs], strict=True))


RATIOS = [
    ("readout press-release", "reportlab press-release", "<= 0.75"),
    ("readout press-release untagged", "reportlab press-release", "(same features)"),
    ("readout internal-brief", "reportlab internal-brief", "<= 0.75"),
    ("readout press-release", "typst press-release", "goal <= 1.5"),
    ("reportlab press-release", "typst press-release", "(for information)"),
]


def report(wall: dict[str, list[float]], cpu: dict[str, list[float]], rounds: int) -> None:
    load = os.getloadavg()
    print(f"{rounds} rounds of varied seed content ({SEED.name}); load average "
          f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}\n")
    print(f"{'median ms per document':32} {'wall':>8} {'cpu':>8}")
    for name in wall:
        print(f"  {name:30} {statistics.median(wall[name]) * 1000:8.2f} "
              f"{statistics.median(cpu[name]) * 1000:8.2f}")
    print(f"\n{'paired ratio (median of the rounds)':56} {'wall':>6} {'cpu':>6}  target")
    for ours, theirs, target in RATIOS:
        if ours in wall and theirs in wall:
            print(f"  {ours + ' / ' + theirs:54} {paired(wall, ours, theirs):6.3f} "
                  f"{paired(cpu, ours, theirs):6.3f}  {target}")


def main(argv: list[str]) -> None:
    if argv[:1] == ["--only"]:
        name, rounds = argv[1], int(argv[2]) if len(argv) > 2 else 20
        r = Rounds(rounds)
        render: Any = contestants(r)[name]
        render(0)
        for n in range(1, rounds + 1):
            render(n)
        return
    rounds = int(argv[0]) if argv else 40
    r = Rounds(rounds)
    report(*measure(contestants(r), rounds), rounds)


if __name__ == "__main__":
    main(sys.argv[1:])
