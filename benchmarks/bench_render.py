"""Benchmark: rendering the seed sample, next to hand-written baselines (run on request).

    .venv/bin/python benchmarks/bench_render.py [RUNS]      # default 30
    .venv/bin/python benchmarks/bench_render.py first-docx  # that section only

Prints milliseconds per document (median of RUNS warm runs after one warm-up) for each
template (press-release, internal-brief) x format (every format of the registry) through
``readout.render(doc, template, fmt)``, and, measured in the same run, the baselines of
the seed press release: a fair hand-written reportlab script (`bench_pdf_baseline`),
a hand-written python-docx script and docxtpl (`bench_docx_baseline`). Then the ratios
against their targets (the HTML and text press releases against our own PDF one, paired),
and the one-off cost of a fresh process: importing readout and rendering the first
document (fonts registered, templates compiled, theme resolved), and the first DOCX of a
fresh process against a warm one, with the user cache warm, cold and off (`first_docx`).

Tagging (PDF/UA-1) is measured against the same PDF writer building the same document
tree untagged (its private ``_tagged=False``, kept for this baseline only), in CPU time
(the machine is shared), paired: each round renders both, in alternating order, and the
figure is the median of the rounds' ratios (drift and load fall on both sides of a
round alike), with the ratio of the least CPU times beside it. The tagged PDF may cost
at most 1.10x. PDF/A-2b is shown next to it, for information.

    .venv/bin/python benchmarks/bench_render.py tagging [ROUNDS]   # that part alone, 300
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_docx_baseline import (  # noqa: E402
    render_docxtpl_baseline,
    render_python_docx_baseline,
)
from bench_pdf_baseline import render_baseline  # noqa: E402
from seed_content import SEED  # noqa: E402

import readout  # noqa: E402
from readout.rendering import furnished  # noqa: E402
from readout.templating import build_document  # noqa: E402
from readout.themes import load_theme  # noqa: E402
from readout.writers import FORMATS  # noqa: E402
from readout.writers.pdf.document import write as write_pdf  # noqa: E402

TEMPLATES = ("press-release", "internal-brief")

_COLD = """
import json, sys, time
start = time.perf_counter()
import readout
imported = time.perf_counter()
doc = readout.load(sys.argv[1])
loaded = time.perf_counter()
readout.render(doc, sys.argv[2], sys.argv[3])
rendered = time.perf_counter()
readout.render(doc, sys.argv[2], sys.argv[3])
again = time.perf_counter()
print(json.dumps({"import": imported - start, "load": loaded - imported,
                  "first": rendered - loaded, "second": again - rendered}))
"""


_FIRST_DOCX = """
import json, statistics, sys, time
start = time.process_time()
import readout
import readout.writers.docx.document  # python-docx, lxml, uharfbuzz too
imported = time.process_time()
doc = readout.load(sys.argv[1])
if sys.argv[2] == "after-pdf":
    readout.render(doc, "press-release", "pdf")
begin = time.process_time()
readout.render(doc, "press-release", "docx")
first = time.process_time() - begin
warm = []
for _ in range(7):
    begin = time.process_time()
    readout.render(doc, "press-release", "docx")
    warm.append(time.process_time() - begin)
print(json.dumps({"import": imported - start, "first": first,
                  "warm": statistics.median(warm)}))
"""


def first_docx(cache: str | None, after: str, processes: int = 7) -> dict[str, float]:
    """The first press-release DOCX of a fresh process against a warm one, in CPU ms
    (medians over ``processes`` processes). Imports (readout and the DOCX writer's
    libraries) are counted apart, before the clock starts; ``after="after-pdf"`` first
    renders the PDF, so what is left is the DOCX writer's own first-time cost. ``cache``:
    a warm cache folder (one process is run first to fill it), ``"cold"`` (each process
    an empty one) or ``None`` (``READOUT_CACHE_DIR=``: off). Python's compiled modules
    are warm, in a scratch ``PYTHONPYCACHEPREFIX``, as in `bench_startup`."""
    import os
    import tempfile

    runs: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory() as scratch:
        for index in range(processes + 1):  # the first fills the compiled modules
            folder = {None: "", "warm": scratch, "cold": f"{scratch}/{index}"}[cache]
            env = dict(os.environ, READOUT_CACHE_DIR=folder,
                       PYTHONPYCACHEPREFIX=f"{scratch}/pycache")
            env.pop("PYTHONDONTWRITEBYTECODE", None)  # as after pip install (bench_startup)
            out = subprocess.run([sys.executable, "-c", _FIRST_DOCX, str(SEED), after],
                                 check=True, capture_output=True, text=True, env=env).stdout
            runs.append(json.loads(out))
    runs = runs[1:]
    return {key: statistics.median(run[key] for run in runs) * 1000 for key in runs[0]}


def print_first_docx() -> None:
    print("\nFirst DOCX in a fresh process (press release; CPU ms, median of 7 processes;"
          " imports counted apart)")
    print(f"  {'cache, before the DOCX':38} {'import':>8} {'1st':>8} {'warm':>8} {'ratio':>8}")
    for cache in ("warm", "cold", None):
        for after in ("imports", "after-pdf"):
            c = first_docx(cache, after)
            label = f"{cache or 'off'}, {'a first PDF' if after == 'after-pdf' else 'imports'}"
            print(f"  {label:38} {c['import']:8.1f} {c['first']:8.1f} {c['warm']:8.1f} "
                  f"{c['first'] / c['warm']:8.2f}")
    print("  target: first DOCX after a first PDF, warm cache <= 2.00x a warm DOCX")


def median_ms(render: Callable[[], bytes], runs: int) -> float:
    render()  # warm-up: imports, fonts, templates, caches
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        render()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def paired_median_ms(ours: Callable[[], bytes], theirs: Callable[[], bytes],
                     runs: int) -> tuple[float, float]:
    """Medians of the two, measured alternately so that drift in the machine's speed
    (another process, a frequency change) falls on both alike."""
    ours()
    theirs()
    mine, other = [], []
    for _ in range(runs):
        for render, times in ((ours, mine), (theirs, other)):
            start = time.perf_counter()
            render()
            times.append(time.perf_counter() - start)
    return statistics.median(mine) * 1000, statistics.median(other) * 1000


@dataclass(frozen=True)
class Paired:
    """Two renders measured round by round, in CPU ms."""

    ours: list[float]
    theirs: list[float]

    @property
    def ratio(self) -> float:
        """The median of the rounds' ratios."""
        return statistics.median(a / b for a, b in zip(self.ours, self.theirs, strict=True))

    @property
    def least_ratio(self) -> float:
        return min(self.ours) / min(self.theirs)


def paired_rounds_cpu(ours: Callable[[], bytes], theirs: Callable[[], bytes],
                      rounds: int) -> Paired:
    """``ours`` and ``theirs`` rendered once each a round, in alternating order (neither
    always runs first, on a warmer cache), after warm-ups; this process's CPU time."""
    for _ in range(3):
        ours()
        theirs()
    mine, other = [], []
    for index in range(rounds):
        pair = ((ours, mine), (theirs, other))
        for render, times in pair if index % 2 == 0 else pair[::-1]:
            start = time.process_time()
            render()
            times.append((time.process_time() - start) * 1000)
    return Paired(mine, other)


def tagging_cost(seed: Any, rounds: int) -> tuple[Paired, Paired]:
    """The tagged and the PDF/A-2b seed press release against the untagged one."""
    theme = load_theme()
    archival = theme.with_pdf_standard("a-2b")
    tree = furnished(build_document(seed, "press-release", theme=theme), theme)
    untagged = partial(write_pdf, tree, theme, _tagged=False)
    return (paired_rounds_cpu(partial(write_pdf, tree, theme), untagged, rounds),
            paired_rounds_cpu(partial(write_pdf, tree, archival), untagged, rounds // 2))


def print_tagging(tagged: Paired, archival: Paired) -> None:
    print(f"\nPDF writer on the seed press release's tree (CPU ms, {len(tagged.ours)} "
          "paired rounds)")
    print(f"  {'':38} {'median':>8} {'least':>8}")
    rows = (("tagged (PDF/UA-1)", tagged.ours), ("untagged (the baseline)", tagged.theirs),
            ("tagged, PDF/A-2b", archival.ours))
    for name, times in rows:
        print(f"  {name:38} {statistics.median(times):8.2f} {min(times):8.2f}")
    print(f"  {'tagged / untagged, median of rounds':38} {tagged.ratio:8.3f}  target <= 1.10")
    print(f"  {'tagged / untagged, least of each':38} {tagged.least_ratio:8.3f}")


def cold(template: str, fmt: str) -> dict[str, float]:
    """Import, load and first/second render in a fresh interpreter, in ms (best of 3)."""
    best: dict[str, float] = {}
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", _COLD, str(SEED), template, fmt],
                             check=True, capture_output=True, text=True).stdout
        for key, value in json.loads(out).items():
            best[key] = min(best.get(key, float("inf")), value * 1000)
    return best


def main() -> None:
    if sys.argv[1:] == ["first-docx"]:
        print_first_docx()
        return
    seed = readout.load(SEED)
    if sys.argv[1:2] == ["tagging"]:
        print_tagging(*tagging_cost(seed, int(sys.argv[2]) if len(sys.argv) > 2 else 300))
        return
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    ours = {(t, f): median_ms(lambda t=t, f=f: readout.render(seed, t, f), runs)
            for t in TEMPLATES for f in FORMATS}
    base = {
        "reportlab (hand-written, same fonts)": median_ms(render_baseline, runs),
        "python-docx (hand-written)": median_ms(render_python_docx_baseline, runs),
        "docxtpl (template)": median_ms(render_docxtpl_baseline, runs),
    }
    print(f"Seed sample {SEED.name}; median of {runs} warm runs, ms per document\n")
    print(f"{'readout.render':40}" + "".join(f" {fmt:>8}" for fmt in FORMATS))
    for template in TEMPLATES:
        print(f"  {template:38}" + "".join(f" {ours[template, fmt]:8.2f}" for fmt in FORMATS))
    print("\nBaselines (the seed press release)")
    for name, value in base.items():
        print(f"  {name:38} {value:8.2f}")
    pdf_pair = paired_median_ms(lambda: readout.render(seed, "press-release", "pdf"),
                                render_baseline, runs)
    docx_pair = paired_median_ms(lambda: readout.render(seed, "press-release", "docx"),
                                 render_docxtpl_baseline, runs)
    tagged, archival = tagging_cost(seed, max(runs * 4, 100))
    print_tagging(tagged, archival)
    pr_docx = ours["press-release", "docx"]
    html_pair = paired_median_ms(lambda: readout.render(seed, "press-release", "html"),
                                 lambda: readout.render(seed, "press-release", "pdf"), runs)
    txt_pair = paired_median_ms(lambda: readout.render(seed, "press-release", "txt"),
                                lambda: readout.render(seed, "press-release", "pdf"), runs)
    rows = [
        ("press-release HTML / our PDF (paired)", html_pair[0] / html_pair[1], "<= 0.3"),
        ("press-release text / our PDF (paired)", txt_pair[0] / txt_pair[1],
         "(for information)"),
        ("press-release PDF / reportlab (paired)", pdf_pair[0] / pdf_pair[1],
         "(the seed only: bench_pdf.py varies it)"),
        ("press-release DOCX / docxtpl (paired)", docx_pair[0] / docx_pair[1], "<= 0.7"),
        ("tagged PDF / untagged (paired)", tagged.ratio, "<= 1.10"),
        ("PDF/A-2b / untagged (paired)", archival.ratio, "(for information)"),
        ("press-release DOCX / python-docx", pr_docx / base["python-docx (hand-written)"],
         "(for information)"),
    ]
    print(f"\n{'ratio':40} {'value':>8}  target")
    for name, value, target in rows:
        print(f"  {name:38} {value:8.2f}  {target}")
    print("\nOne-off cost in a fresh process (ms, best of 3)")
    print(f"  {'':38} {'import':>8} {'load':>8} {'1st':>8} {'2nd':>8}")
    for template in TEMPLATES:
        for fmt in FORMATS:
            c = cold(template, fmt)
            print(f"  {template + ' ' + fmt:38} {c['import']:8.1f} {c['load']:8.1f} "
                  f"{c['first']:8.1f} {c['second']:8.1f}")
    print_first_docx()


if __name__ == "__main__":
    main()
