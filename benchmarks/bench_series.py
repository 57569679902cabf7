"""Benchmark: a generated series at scale: time against the ideal, memory, re-runs.

Run on request::

    python benchmarks/bench_series.py [MEMBERS]          # default 1000
    python benchmarks/bench_series.py --scale 1000 4000  # only _expand, digest, parent

Each batch runs in a fresh process (like ``readout batch``), so worker start-up and
imports are counted, and peak memory is read from the operating system. Figures, with
the load average beside them:

- the ``-j 2`` wall time of MEMBERS members, against the ideal: MEMBERS x the warm
  per-member time / 2 workers (target <= 1.10x; under 30 s for 1,000 members on a quiet
  machine); and against the ideal with the digest's work as well (its CPU in the run,
  about a tenth of the members': no schedule hides it when both workers are busy).
  The warm per-member time is the MEAN over a sample spread over the whole series
  (every k-th member, at least 100; a wall time sums costs, so a median or the first
  few files would understate it), each member done by the batch's own member job
  (`batch._work` on a `_Member`) in one warm process after one member to warm it, with
  the collector as any process has it. That job is a member's necessary work, and so
  belongs in the ideal: read and validate the member once, note its record (file size
  and time, the digest of its inputs and of the files it reads) and its summary for the
  digest, build each template's document once and write it in each format under a
  temporary name, hashing each. What the pool adds is not in it: passing jobs and
  results between processes, the batch's rename of each document and its manifest
  lines, and the tail's members validated twice (checked first, for the digest to
  start, then rendered: see `batch._Batch`). Measured just before and just after the
  batch; the faster of the two (the ideal the smaller);
- where the batch's CPU (parent and workers) goes: the CPU of its jobs, measured in the
  run (`SeriesReport.job_cpu`: the member jobs in the workers, each against the warm
  one; the first member, done cold in the batch's process; the tail's checks and
  renders; the digest), and the rest (start-up, the parent's work, passing jobs).
  These are taken in the same processes at the same time as the batch, so they hold on
  a loaded machine, where the wall time and the warm per-member time (measured at
  another moment) do not;
- peak memory of the parent for 200 and for MEMBERS members (target: flat) and of the
  largest worker;
- the wall time of an unchanged re-run through the command line, interpreter start-up
  included (target < 0.5 s for 1,000 members), beside ``python -c pass``;
- with ``--scale``: `series.open_series` (the glob, no member read) and the digest's
  PDF and DOCX for each size, to show no step worse than linear.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from readout.batch import TAIL

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "samples" / "2025-06-26-qingdao-in-ru.yaml"

RUN = """
import json, resource, sys, time
from readout.batch import render_series
start = time.perf_counter()
report = render_series(sys.argv[1], sys.argv[2], jobs=int(sys.argv[3]))
seconds = time.perf_counter() - start
parent, workers = (sum(getattr(resource.getrusage(who), f) for f in ("ru_utime", "ru_stime"))
                   for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
print(json.dumps({"seconds": seconds, "cpu": parent + workers, "parent_cpu": parent,
                  "rendered": len(report.rendered),
                  "unchanged": len(report.unchanged), "failed": len(report.failed),
                  "parent_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "worker_kib": report.worker_peak_kib, "jobs": report.job_cpu}))
"""

PER_MEMBER = """
import json, statistics, sys, time
from dataclasses import replace
from pathlib import Path
from readout.batch import DIGEST_TEMPLATE, _Member, _Run, _templates_fingerprint, _work
from readout.manifest import Manifest
from readout.series import open_series
series = open_series(sys.argv[1])
out = Path(sys.argv[2]); out.mkdir(exist_ok=True)
fingerprint = _templates_fingerprint((*series.templates, DIGEST_TEMPLATE), (), None, None,
                                     Manifest())
run = _Run(replace(series, files=()), str(out), (), None, None, fingerprint=fingerprint)
def member(file):
    # a batch's own member job, in this process: see the module docstring
    start, start_cpu = time.perf_counter(), time.process_time()
    result = _work(_Member(run, str(file), fresh=True))
    seconds, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    assert result.record is not None and not result.rendered.problems, result.problems
    for temporary, _ in result.rendered.written.values():  # the batch's rename, not timed
        Path(temporary).unlink()
    return seconds, cpu
member(series.files[0])
step = max(1, (len(series.files) - 1) // int(sys.argv[3]))
timed = [member(file) for file in series.files[1::step]]
print(json.dumps({"seconds": statistics.mean(t for t, _ in timed),
                  "cpu": statistics.mean(c for _, c in timed),
                  "cpu_median": statistics.median(c for _, c in timed),
                  "sampled": len(timed), "step": step}))
"""

SCALE = """
import json, sys, time
from pathlib import Path
from readout.series import load_series, open_series
from readout.digest import meeting_summary
from readout.series import validate_member
start, start_cpu = time.perf_counter(), time.process_time()
series = open_series(sys.argv[1])
opened, opened_cpu = time.perf_counter() - start, time.process_time() - start_cpu
first = load_series(sys.argv[1]).members[0]
doc, _ = validate_member(first)
summary = meeting_summary(doc)
summaries = [dict(summary, id=f"m{n}", date=f"{2000 + n // 365:04d}-01-01")
             for n in range(len(series.files))]
from readout.digest import build_digest
from readout.rendering import render_tree
from readout.themes import load_theme
figures = {"files": len(series.files), "open_series": opened, "open_series_cpu": opened_cpu}
for fmt in ("pdf", "docx"):
    start, start_cpu = time.perf_counter(), time.process_time()
    document = build_digest(series.title, summaries, scheme=series.scheme, theme=load_theme())
    render_tree(document, fmt)
    figures[fmt] = time.perf_counter() - start
    figures[fmt + "_cpu"] = time.process_time() - start_cpu
print(json.dumps(figures))
"""


def make_series(folder: Path, members: int) -> Path:
    """A series of ``members`` copies of the seed, each on its own day with its own id
    (the last on the seed's day, so that every follow-up still falls due after its
    meeting)."""
    seed = SEED.read_text(encoding="utf-8")
    (folder / "meetings").mkdir(parents=True)
    shutil.copytree(ROOT / "samples" / "assets", folder / "meetings" / "assets")
    for n in range(members):
        day = date(2025, 6, 26) - timedelta(days=members - 1 - n)
        text = (seed.replace("id: 2025-06-26-qingdao-in-ru", f"id: meeting-{n:04d}")
                .replace("date: 2025-06-26", f"date: {day.isoformat()}")
                .replace("released: 2025-06-26T15:15:00+05:30",
                         f"released: {day.isoformat()}T15:15:00+05:30"))
        (folder / "meetings" / f"m{n:04d}.yaml").write_text(text, encoding="utf-8")
    series = folder / "series.yaml"
    series.write_text("format: readout-series/1\ntitle: Generated series\n"
                      "readouts: [meetings/*.yaml]\n"  # the PDF and DOCX of issue 11's figures
                      "render: {formats: [pdf, docx]}\n", encoding="utf-8")
    return series


def _python(code: str, *args: str) -> dict[str, Any]:
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True,
                            text=True, check=True)
    figures: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return figures


def batch(series: Path, out: Path, jobs: int) -> dict[str, Any]:
    return _python(RUN, str(series), str(out), str(jobs))


def per_member(series: Path, scratch: Path, count: int = 100) -> dict[str, Any]:
    return _python(PER_MEMBER, str(series), str(scratch), str(count))


def wall(command: list[str], runs: int = 5) -> float:
    """The best wall time of ``command`` over ``runs`` runs."""
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        best = min(best, time.perf_counter() - start)
    return best


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def compiled_modules(scratch: Path) -> None:
    """Let every process this benchmark starts keep Python's compiled modules, as after
    any ``pip install`` (which compiles them), in a scratch folder, whatever
    ``PYTHONDONTWRITEBYTECODE`` says: a shell that sets it (this machine's does) would
    otherwise compile every readout module from source in every process (about 0.1 s)."""
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(scratch / "pycache")


def main(members: int) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        compiled_modules(work)
        big = make_series(work / "big", members)
        small = make_series(work / "small", 200)
        print(f"series of {members} members x 2 templates x 2 formats (+ the digest): "
              f"{members * 4 + 2} documents; load average {_load()}")
        before = per_member(big, work / "scratch")
        two = batch(big, work / "out", 2)
        after = per_member(big, work / "scratch")
        assert two["failed"] == 0, two
        # the faster of the two: one run just after writing the series' files can be
        # slowed by the disk, which would make the ideal generous
        member = min(before["seconds"], after["seconds"])
        member_cpu = min(before["cpu"], after["cpu"])
        ideal = members * member / 2
        jobs = two["jobs"]
        digest = jobs.get("digest", 0.0)
        fair = (members * member + digest) / 2
        print(f"  warm per member (mean of {before['sampled']}, every {before['step']}th "
              f"member's job): {before['seconds'] * 1000:.1f} ms before, "
              f"{after['seconds'] * 1000:.1f} ms after the batch (CPU "
              f"{member_cpu * 1000:.1f} ms, median {before['cpu_median'] * 1000:.1f} / "
              f"{after['cpu_median'] * 1000:.1f} ms); ideal with 2 workers {ideal:.2f} s; "
              f"{fair:.2f} s with the digest's work too ({digest:.1f} s of CPU in the run)")
        print(f"  -j 2: {two['seconds']:.2f} s, {two['rendered'] / two['seconds']:.1f} "
              f"documents/s, {two['seconds'] / ideal:.3f}x the ideal (target <= 1.10x), "
              f"{two['seconds'] / fair:.3f}x the ideal with the digest; load average {_load()}")
        work_cpu = sum(jobs.values())
        tail = int(members * TAIL)  # checked first, rendered after (see batch._Batch)
        whole = members - tail - 1  # checked and rendered in one job, in a worker
        each = jobs.get("members", 0.0) / max(whole, 1)
        print(f"  CPU: parent {two['parent_cpu']:.1f} s + workers "
              f"{two['cpu'] - two['parent_cpu']:.1f} s = {two['cpu']:.1f} s, "
              f"{two['cpu'] / (members * member_cpu):.3f}x members x the warm per-member CPU; "
              f"of it, jobs (measured in the run, so as loaded as the batch): {whole} "
              f"member jobs in the workers {jobs.get('members', 0.0):.1f} s ({each * 1000:.1f} "
              f"ms each, {each / member_cpu:.3f}x the warm), the first member (cold, in the "
              f"batch's process) {jobs.get('first', 0.0):.2f} s, the tail's {tail} checks "
              f"{jobs.get('checks', 0.0):.1f} s and renders {jobs.get('renders', 0.0):.1f} s "
              f"({jobs.get('renders', 0.0) / max(tail, 1) * 1000:.1f} ms each), digest "
              f"{digest:.1f} s; the rest (start-up, the parent's work, passing jobs) "
              f"{two['cpu'] - work_cpu:.1f} s; the batch's CPU against its jobs' "
              f"{two['cpu'] / work_cpu:.3f}x")
        command = [sys.executable, "-m", "readout", "batch", str(big), "-o",
                   str(work / "out"), "-j", "2"]
        again = batch(big, work / "out", 2)
        assert again["rendered"] == 0, again
        rerun = wall(command)
        baseline = wall([sys.executable, "-c", "pass"])
        print(f"  unchanged re-run: {again['seconds'] * 1000:.0f} ms inside the batch; "
              f"'readout batch' {rerun * 1000:.0f} ms wall, interpreter start-up included "
              f"(target < 500 ms; python -c pass {baseline * 1000:.0f} ms); "
              f"load average {_load()}")
        few = batch(small, work / "out-small", 2)
        print(f"  peak memory of the parent: 200 members {few['parent_kib'] / 1024:.0f} MiB, "
              f"{members} members {two['parent_kib'] / 1024:.0f} MiB (ratio "
              f"{two['parent_kib'] / few['parent_kib']:.2f}, target: flat); largest worker "
              f"{few['worker_kib'] / 1024:.0f} / {two['worker_kib'] / 1024:.0f} MiB")


def scale(sizes: list[int]) -> None:
    """Each step's wall and CPU seconds at each size, and its CPU per member against the
    smallest size's (1.00: linear)."""
    print(f"{'members':>8} {'open_series':>19} {'digest pdf':>19} {'digest docx':>19}  "
          f"(wall/CPU s, CPU per member vs the first size; load average {_load()})")
    first: dict[str, float] = {}
    for size in sizes:
        with tempfile.TemporaryDirectory() as scratch:
            compiled_modules(Path(scratch))
            series = make_series(Path(scratch), size)
            figures = _python(SCALE, str(series))
        cells = []
        for step in ("open_series", "pdf", "docx"):
            per = figures[step + "_cpu"] / size
            first.setdefault(step, per)
            cells.append(f"{figures[step]:6.2f}/{figures[step + '_cpu']:6.2f} "
                         f"{per / first[step]:4.2f}x")
        print(f"{size:8d} " + " ".join(f"{cell:>19}" for cell in cells))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--scale"]:
        scale([int(n) for n in sys.argv[2:]] or [1000, 4000])
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
