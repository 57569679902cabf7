"""Benchmark: where one warm series member's CPU goes, stage by stage.

Run on request::

    python benchmarks/bench_member.py [MEMBERS] [--rounds N] [--against CHECKOUT]

A member is what `bench_series`' PER_MEMBER snippet does for it: read its YAML with
positions, validate it once, and for each template build the document tree once
(`rendering.prepare`: theme, Jinja, the XML step, the font check) and write it as PDF
and as DOCX. The generated series is `bench_series.make_series`' copies of the seed with
every member's sentences varied (a phrase with the member's number before each full
stop), so no cache keyed by a paragraph's text hits from one member to the next.

Each round runs MEMBERS members (after one to warm up) in a fresh process and prints
the mean CPU milliseconds per member of each stage: read, validate, prepare, pdf, docx,
"mine" (all but the PDF) and the whole member; and, of the cyclic garbage collector, how
often per member it ran on its youngest generation ("gen0"), how many objects it freed
("freed": what reference cycles left) and its own CPU milliseconds ("gc"). ``--against``
runs another checkout of readout (its folder, put first on ``PYTHONPATH``, with its own
cache folder) in the same rounds, alternating which goes first, and prints each round's
ratio to it: the fair way to compare on a machine others are using. The load average is
printed beside.
"""

from __future__ import annotations

import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench_series import make_series  # beside this file, on the path when it runs

ROOT = Path(__file__).resolve().parent.parent
STAGES = ("read", "validate", "prepare", "pdf", "docx")

MEMBER = """
import gc, json, statistics, sys, time
from pathlib import Path
from readout.rendering import prepare
from readout.series import open_series, read_member, validate_member
from readout.writers import writer_for
series = open_series(sys.argv[1]); out = Path(sys.argv[2]); out.mkdir(exist_ok=True)
spent = dict.fromkeys(("read", "validate", "prepare", "pdf", "docx"), 0.0)
totals = []
def member(file, keep):
    clock = time.process_time
    start = clock(); read = read_member(series, file); read_at = clock()
    doc, problems = validate_member(read, series.chosen, series.scheme)
    valid_at = clock()
    assert doc is not None, problems
    if keep:
        spent["read"] += read_at - start; spent["validate"] += valid_at - read_at
    for template in series.templates:
        start = clock(); document, theme = prepare(doc, template); done = clock()
        if keep:
            spent["prepare"] += done - start
        for fmt in series.formats:
            start = clock(); data = writer_for(fmt)(document, theme); done = clock()
            if keep:
                spent[fmt] += done - start
            (out / f"m.{template}.{fmt}").write_bytes(data)
member(series.files[0], False)
collecting = [0.0]
def timed(phase, info, started=[0.0]):
    if phase == "start":
        started[0] = time.process_time()
    else:
        collecting[0] += time.process_time() - started[0]
gc.callbacks.append(timed)
stats = gc.get_stats()
for file in series.files[1:int(sys.argv[3]) + 1]:
    start = time.process_time(); member(file, True); totals.append(time.process_time() - start)
gc.callbacks.remove(timed)
after = gc.get_stats()
figures = {stage: seconds / len(totals) * 1000 for stage, seconds in spent.items()}
figures["mine"] = figures["read"] + figures["validate"] + figures["prepare"] + figures["docx"]
figures["member"] = statistics.mean(totals) * 1000
figures["gen0"] = (after[0]["collections"] - stats[0]["collections"]) / len(totals)
figures["freed"] = sum(a["collected"] - b["collected"] for a, b in zip(after, stats)) / len(totals)
figures["gc"] = collecting[0] / len(totals) * 1000
print(json.dumps(figures))
"""

_WORDS = ("ministry", "defence", "cooperation", "regional", "security", "dialogue",
          "bilateral", "partnership", "strategic", "exercise")
_SENTENCE_END = re.compile(r"(?m)(?<=[a-z])\.(?= [A-Z])")


def varied_series(folder: Path, members: int) -> Path:
    """`make_series`, each member's sentences varied so that no two members share a
    paragraph."""
    series = make_series(folder, members)
    chosen = random.Random(7)
    for file in sorted((folder / "meetings").glob("*.yaml")):
        number = int(file.stem[1:])
        text = _SENTENCE_END.sub(
            lambda _, number=number: f" ({chosen.choice(_WORDS)} {number}).",
            file.read_text(encoding="utf-8"))
        file.write_text(text, encoding="utf-8")
    return series


def one_round(checkout: Path, series: Path, scratch: Path, members: int,
              cache: Path) -> dict[str, float]:
    env = dict(os.environ, PYTHONPATH=str(checkout), READOUT_CACHE_DIR=str(cache))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    done = subprocess.run([sys.executable, "-c", MEMBER, str(series), str(scratch),
                           str(members)], env=env, capture_output=True, text=True,
                          check=True, cwd=scratch.parent)
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main(members: int, rounds: int, against: Path | None) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        series = varied_series(work / "series", members + 1)
        runs: dict[str, tuple[Path, list[dict[str, float]]]] = {"this": (ROOT, [])}
        if against is not None:
            runs["against"] = (against.resolve(), [])
        print(f"{members} varied members, {rounds} rounds; load average {_load()}")
        for number in range(rounds):
            order = list(runs) if number % 2 == 0 else list(runs)[::-1]
            for name in order:
                checkout, figures = runs[name]
                figures.append(one_round(checkout, series, work / f"out-{name}", members,
                                         work / f"cache-{name}"))
        columns = (*STAGES, "mine", "member", "gen0", "freed", "gc")
        print(f"{'':8}" + "".join(f"{column:>10}" for column in columns)
              + "   (CPU ms per member, median of the rounds' means)")
        for name, (_, figures) in runs.items():
            print(f"{name:8}" + "".join(
                f"{statistics.median(f[column] for f in figures):10.2f}" for column in columns))
        if against is not None:
            mine, theirs = runs["this"][1], runs["against"][1]
            for column in ("prepare", "docx", "mine", "member"):
                ratios: list[Any] = [a[column] / b[column] for a, b in zip(mine, theirs,
                                                                         strict=True)]
                print(f"  {column}: this / against per round "
                      + " ".join(f"{r:.3f}" for r in ratios)
                      + f"; median {statistics.median(ratios):.3f}")
        print(f"load average {_load()}")


if __name__ == "__main__":
    arguments = sys.argv[1:]
    rounds, against = 4, None
    if "--rounds" in arguments:
        at = arguments.index("--rounds")
        rounds = int(arguments[at + 1])
        del arguments[at:at + 2]
    if "--against" in arguments:
        at = arguments.index("--against")
        against = Path(arguments[at + 1])
        del arguments[at:at + 2]
    main(int(arguments[0]) if arguments else 120, rounds, against)
