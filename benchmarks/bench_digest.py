"""Benchmark: the digest of a generated series, 100 vs 1,000 (vs 4,000) meetings.

Run on request: ``python benchmarks/bench_digest.py [SIZES...]``. A batch builds the
digest from the meeting summaries kept in its manifest, so this times exactly that part:
`build_digest` (model, chart, template) and writing it as PDF and as DOCX, from the
summaries of validated, generated member readouts. Each measurement runs in a fresh
process warmed up on other meetings, as a batch's digest is (a small series measured
after a large one in one process would find its dates and its chart cached). Sizes are
measured alternately, the best of three rounds each, so a drift of the shared machine
falls on all of them.

Figures: seconds per size and milliseconds per meeting, and the ratio of the time per
meeting at each size to that at the smallest (target at 1,000 vs 100: at most 1.1x), in
wall time and in this process's CPU time (on a machine shared with other work the CPU
time is the steadier of the two).
"""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import date, timedelta
from typing import Any

from readout import from_dict
from readout.digest import build_digest, meeting_summary
from readout.rendering import render_tree

OWNERS = ("Department of Defence Production", "Air Headquarters", "Naval Headquarters",
          "International Cooperation Division", "Headquarters Integrated Defence Staff",
          "Directorate General Armed Forces Medical Services", "Defence Research and "
          "Development Organisation", "Army Headquarters", "Ministry of External Affairs")
COUNTRIES = ("Russia", "France", "Japan", "Kazakhstan", "Egypt", "Brazil", "Viet Nam",
             "Kenya", "Australia", "Chile", "Oman", "Mongolia")
STATUSES = ("open", "in-progress", "done", "dropped", "open")


def member(n: int) -> dict[str, Any]:
    """A realistic member: one counterpart, two or three actions, a follow-up item."""
    held = date(2022, 1, 3) + timedelta(days=n * 4 // 3)
    country = COUNTRIES[n % len(COUNTRIES)]
    outcomes: list[dict[str, Any]] = [{"text": "Deepen defence industrial cooperation",
                                       "type": "agreement"}]
    for k in range(2 + n % 2):
        outcomes.append({"text": f"Report on item {k + 1} agreed with {country}",
                         "type": "action", "owner": OWNERS[(n + k) % len(OWNERS)],
                         "due": (held + timedelta(days=20 + 37 * k)).isoformat(),
                         "status": STATUSES[(n + k) % len(STATUSES)]})
    data: dict[str, Any] = {
        "format": "readout/1", "id": f"meeting-{n:04d}", "classification": "OFFICIAL",
        "title": f"Defence Secretary meets the delegation of {country}",
        "summary": f"The Defence Secretary met the delegation of {country}.",
        "issuer": {"organisation": "Ministry of Defence"},
        "meeting": {"kind": "bilateral", "date": held.isoformat(),
                    "venue": {"city": "New Delhi", "country": "India"}},
        "participants": [
            {"name": "Defence Secretary", "title": "Defence Secretary", "country": "India",
             "role": "principal"},
            {"name": f"Gen. A. Minister {n % 97}", "title": "Chief of Staff",
             "country": country, "role": "counterpart"}],
        "key_points": [{"heading": "Cooperation", "body": "They reviewed cooperation."}],
        "outcomes": outcomes,
        "brief": {"follow_up": [{"text": "Circulate the record", "owner": OWNERS[n % 4],
                                 "due": (held + timedelta(days=10)).isoformat()}]},
    }
    return data


def summaries(count: int, start: int = 0) -> list[dict[str, Any]]:
    """The members' summaries; every third meeting follows the one before it."""
    found = []
    for n in range(start, start + count):
        summary = meeting_summary(from_dict(member(n), name=f"m{n:04d}.yaml"))
        if n % 3 == 2:
            summary["previous"] = f"meeting-{n - 1:04d}"
        found.append(summary)
    return found


def digest_seconds(data: list[dict[str, Any]]) -> tuple[float, float]:
    """Wall and CPU seconds to build the digest of ``data`` and write it in both formats."""
    wall, cpu = time.perf_counter(), time.process_time()
    document = build_digest("Generated series", data)
    for fmt in ("pdf", "docx"):
        render_tree(document, fmt)
    return time.perf_counter() - wall, time.process_time() - cpu


def measure(size: int) -> tuple[float, float]:
    """In this (fresh) process: warm up on a small series of other meetings (imports,
    fonts, the DOCX base, as a batch has after rendering its members), then time the
    digest of the first ``size`` generated meetings."""
    digest_seconds(summaries(WARM_UP, start=WARM_UP_START))
    return digest_seconds(summaries(size))


WARM_UP = 20
WARM_UP_START = 20_000  # meetings of other dates and counterparts: no cached result helps


def main() -> None:
    if sys.argv[1:2] == ["--one"]:
        print(*measure(int(sys.argv[2])))
        return
    sizes = [int(arg) for arg in sys.argv[1:]] or [100, 1000]
    smallest = min(sizes)
    wall = dict.fromkeys(sizes, float("inf"))
    cpu = dict.fromkeys(sizes, float("inf"))
    for _ in range(3):
        for size in sizes:
            out = subprocess.run([sys.executable, __file__, "--one", str(size)], check=True,
                                 capture_output=True, text=True).stdout.split()
            wall[size], cpu[size] = min(wall[size], float(out[0])), min(cpu[size], float(out[1]))
    print("digest of a generated series (build + PDF + DOCX), each size in a fresh process, "
          "best of 3 alternating rounds")
    for size in sizes:
        print(f"  {size:5d} meetings: wall {wall[size]:7.2f} s "
              f"{wall[size] / size * 1000:6.2f} ms/meeting "
              f"({wall[size] / size / (wall[smallest] / smallest):4.2f}x);  "
              f"CPU {cpu[size]:7.2f} s {cpu[size] / size * 1000:6.2f} ms/meeting "
              f"({cpu[size] / size / (cpu[smallest] / smallest):4.2f}x the time per meeting "
              f"at {smallest})")


if __name__ == "__main__":
    main()
