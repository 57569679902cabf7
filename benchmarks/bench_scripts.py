"""Benchmark: what every language costs (run on request).

    .venv/bin/python benchmarks/bench_scripts.py [ROUNDS] [--baseline REV]

1. The English seed, this tree against the writer before scripts were supported: a
   checkout of REV (default: b45cea8, main just before the scripts work) in a temporary
   git worktree, imported by a worker process of its own, with the same Python and
   packages. Rounds alternate the two trees; each worker renders every template x format
   15 times after a warm-up and reports its least CPU time (process time: what the work
   costs, not how busy the machine is), for the whole render and for the writer alone
   (the same tree written again); both render REV's own seed, so the content is the
   same; the ratio is of the medians over the rounds.
2. The seed in Hindi against the seed in English, press release and internal brief,
   PDF and DOCX, in one process, alternating: the cost of shaping, the ToUnicode repair
   and the cut Devanagari fonts.
3. The same for the Urdu sample (shaping and right-to-left lines) and the Chinese one.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ("press-release", "internal-brief")
FORMATS = ("pdf", "docx")
SAMPLES = ROOT / "samples"
PRE_SCRIPTS = "b45cea8"  # main before the scripts work (#7) began

_WORKER = """
import dataclasses, json, statistics, sys, time
sys.path.insert(0, sys.argv[1])
import readout
from readout.templating import build_document
doc = readout.load(sys.argv[2])
out = {}
for template in ("press-release", "internal-brief"):
    tree = build_document(doc, template)
    for fmt in ("pdf", "docx"):
        for name, work in (("", lambda: readout.render(doc, template, fmt)),
                           # a new tree object each time: nothing known of it before
                           (" writer", lambda: readout.render_tree(dataclasses.replace(tree),
                                                                   fmt))):
            work()
            times = []
            for _ in range(15):
                start = time.process_time()
                work()
                times.append(time.process_time() - start)
            out[f"{template} {fmt}{name}"] = min(times) * 1000
print(json.dumps(out))
"""


def _install(tree: Path, target: Path) -> Path:
    """``tree`` installed (not editable) into ``target``: both trees run the same way."""
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps",
                    "--no-build-isolation", "--target", str(target), str(tree)],
                   check=True, capture_output=True)
    return target


def _worker(installed: Path, tree: Path, seed: Path) -> dict[str, float]:
    site = next(p for p in sys.path if p.endswith("site-packages"))
    # -S: no .pth files, so the editable install of this tree cannot shadow either one.
    done = subprocess.run([sys.executable, "-S", "-c", f"import sys; sys.path.append({site!r})"
                           + _WORKER, str(installed), str(seed)],
                          capture_output=True, text=True, check=True, cwd=tree)
    result: dict[str, float] = json.loads(done.stdout)
    return result


def against_baseline(rounds: int, revision: str) -> None:
    with tempfile.TemporaryDirectory(prefix="readout-baseline-") as folder:
        tree = Path(folder) / "tree"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree),
                        revision], check=True, capture_output=True)
        try:
            then_at = _install(tree, Path(folder) / "before")
            now_at = _install(ROOT, Path(folder) / "now")
            current: dict[str, list[float]] = {}
            before: dict[str, list[float]] = {}
            # The baseline's own seed for both: the same content (this tree reads it too).
            seed = tree / "samples" / "2025-06-26-qingdao-in-ru.yaml"
            for _ in range(rounds):
                for key, value in _worker(then_at, tree, seed).items():
                    before.setdefault(key, []).append(value)
                for key, value in _worker(now_at, ROOT, seed).items():
                    current.setdefault(key, []).append(value)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force",
                            str(tree)], check=False, capture_output=True)
    print(f"English seed, this tree vs {revision[:10]} (least CPU ms per document, median "
          f"of {rounds} alternating rounds):")
    for key in current:
        now, then = statistics.median(current[key]), statistics.median(before[key])
        print(f"  {key:<29} {now:7.1f} vs {then:7.1f}   ratio {now / then:.2f}")


def _least_ms(doc: object, template: str, fmt: str, runs: int) -> float:
    import readout

    times = []
    for _ in range(runs):
        start = time.process_time()
        readout.render(doc, template, fmt)  # type: ignore[arg-type]
        times.append(time.process_time() - start)
    return min(times) * 1000


def against_english(rounds: int) -> None:
    import readout

    english = readout.load(SAMPLES / "2025-06-26-qingdao-in-ru.yaml")
    others = {"Hindi": "2025-06-26-qingdao-in-ru.hi.yaml",
              "Urdu": "2025-06-26-qingdao-in-ru.ur.yaml",
              "Chinese names": "2025-06-26-qingdao-in-cn.yaml"}
    for name, file in others.items():
        doc = readout.load(SAMPLES / file)
        print(f"{name} ({file}) vs the English seed (least CPU ms per document, median "
              f"of {rounds} alternating rounds):")
        for template in TEMPLATES:
            for fmt in FORMATS:
                readout.render(doc, template, fmt)
                readout.render(english, template, fmt)
                theirs, ours = [], []
                for _ in range(rounds):
                    theirs.append(_least_ms(doc, template, fmt, 5))
                    ours.append(_least_ms(english, template, fmt, 5))
                a, b = statistics.median(theirs), statistics.median(ours)
                print(f"  {template + ' ' + fmt:<22} {a:7.1f} vs {b:7.1f}   ratio {a / b:.2f}")


def main() -> None:
    args = sys.argv[1:]
    revision = None
    if "--baseline" in args:
        at = args.index("--baseline")
        revision = args[at + 1]
        del args[at:at + 2]
    rounds = int(args[0]) if args else 5
    if revision is None:
        revision = PRE_SCRIPTS
    against_baseline(rounds, revision)
    sys.path.insert(0, str(ROOT))
    against_english(rounds)


if __name__ == "__main__":
    main()
