"""Benchmark: validating a 1 MB readout, and refusing an alias bomb.

Run on request: ``python benchmarks/bench_validate.py``. Figures are reported as ratios
against a baseline measured in the same run: PyYAML's ``CSafeLoader`` merely parsing
the same text (no positions, no validation).
"""

from __future__ import annotations

import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import yaml

import readout

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "samples" / "2025-06-26-qingdao-in-ru.yaml"


def one_megabyte_readout() -> str:
    """The seed readout with its key points repeated until the text passes 1 MB."""
    text = SEED.read_text(encoding="utf-8").replace("  logo: assets/emblem.png\n", "")
    head, rest = text.split("key_points:\n", 1)
    points, tail = rest.split("\noutcomes:\n", 1)
    copies = 1_048_576 // len(points) + 1
    return head + "key_points:\n" + (points.rstrip("\n") + "\n") * copies + "\noutcomes:\n" + tail


def alias_bomb() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [" + ",".join([f"*{previous}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def best_of(runs: int, action: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    big = one_megabyte_readout()
    size_kb = len(big.encode()) / 1024
    parse_only = best_of(5, lambda: yaml.load(big, Loader=yaml.CSafeLoader))
    validate = best_of(5, lambda: readout.loads(big, name="big.yaml"))
    doc = readout.loads(big, name="big.yaml")
    print(f"1 MB readout ({size_kb:.0f} KiB, {len(doc.key_points)} key points)")
    print(f"  baseline yaml.CSafeLoader parse : {parse_only * 1000:8.1f} ms")
    print(f"  readout.loads (load + validate) : {validate * 1000:8.1f} ms "
          f"({validate / parse_only:.2f}x the bare parse)")

    bomb = alias_bomb()

    def refuse() -> None:
        try:
            readout.loads(bomb, name="bomb.yaml")
        except readout.LoadError:
            return
        raise AssertionError("the alias bomb was accepted")

    tracemalloc.start()
    refused = best_of(5, refuse)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    small = best_of(5, lambda: yaml.load("a: [1, 2]\n", Loader=yaml.CSafeLoader))
    print(f"alias bomb ({len(bomb)} bytes, 9^9, about 387 million, leaves if expanded)")
    print(f"  refused in {refused * 1000:.2f} ms ({refused / small:.0f}x parsing a 2-item "
          f"list), peak memory {peak / 1024:.0f} KiB")


if __name__ == "__main__":
    sys.exit(main())
