"""Benchmark: the largest inputs readout accepts validate fast and render in linear time.

Run on request: ``python benchmarks/bench_limits.py``. Figures:

- validation time of the largest accepted readouts (target < 2 s each): 30,000 values,
  and 10 MB of text in paragraphs at the length limit;
- render time of the internal brief's PDF for n and 2n participants and for n and 2n
  paragraphs at the length limit, and the ratio (linear: about 2; quadratic: about 4);
- the time to refuse a 10 MB file of tiny values (past the value limit).
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

import readout
from readout.loading import MAX_VALUES
from readout.schema import MAX_PARAGRAPH

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = (ROOT / "samples" / "2025-06-12-call-in-fr.yaml").read_text(encoding="utf-8")


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def base() -> dict[str, Any]:
    data: dict[str, Any] = yaml.load(MINIMAL, Loader=yaml.BaseLoader)
    data.pop("id", None)
    data["issuer"].pop("logo", None)
    return data


def with_participants(count: int) -> dict[str, Any]:
    data = base()
    data["participants"] = data["participants"] + [
        {"name": f"Delegate {n}", "title": "Member of the delegation", "country": "India",
         "role": "delegation"} for n in range(count)]
    return data


def with_paragraphs(count: int) -> dict[str, Any]:
    data = base()
    paragraph = ("The ministers reviewed the progress of cooperation. " * 300)[:MAX_PARAGRAPH]
    data["key_points"] = [dict(data["key_points"][0], body=paragraph, quotes=[])
                          for _ in range(count)]
    return data


def valid_text(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, width=10**9)


def main() -> None:
    readout.render(readout.from_dict(base()), "internal-brief", "pdf")  # warm caches
    many = with_participants(MAX_VALUES // 5 - 40)
    text = valid_text(many)
    print(f"validate {len(text) / 1e6:.1f} MB, about {MAX_VALUES:,} values: "
          f"{timed(lambda: readout.loads(text)):.2f} s")
    big = valid_text(with_paragraphs(int(9.5e6 // MAX_PARAGRAPH)))
    print(f"validate {len(big) / 1e6:.1f} MB of paragraphs at the limit: "
          f"{timed(lambda: readout.loads(big)):.2f} s")
    tiny = "format: readout/1\ntags: [" + "x, " * 3_000_000 + "]\n"
    refused = timed(lambda: _refused(tiny))
    print(f"refuse {len(tiny) / 1e6:.1f} MB of tiny values: {refused:.2f} s")
    for label, make, n in (("participants", with_participants, 1000),
                           ("paragraphs at the limit", with_paragraphs, 20)):
        small, large = (readout.from_dict(copy.deepcopy(make(k))) for k in (n, 2 * n))
        one = timed(lambda doc=small: readout.render(doc, "internal-brief", "pdf"))
        two = timed(lambda doc=large: readout.render(doc, "internal-brief", "pdf"))
        print(f"brief PDF, {n} then {2 * n} {label}: {one:.2f} s, {two:.2f} s, "
              f"ratio {two / one:.2f} (linear: 2)")


def _refused(text: str) -> None:
    try:
        readout.loads(text)
    except readout.ReadoutError:
        return
    raise AssertionError("a file past the value limit was accepted")


if __name__ == "__main__":
    main()
