"""Benchmark: the cold start of the command line, whole process, beside Python's own.

    .venv/bin/python benchmarks/bench_startup.py [ROUNDS]     # default 15

Each round runs every command once, in an order that rotates each round, each as a
fresh process under ``/usr/bin/time`` (wall, user and system seconds as the operating
system counts them): ``python -c pass`` and ``python -c "import reportlab.platypus"``
(the floor any Python PDF tool pays), ``readout --help``, ``readout validate SEED`` and
``readout render SEED -f pdf -t press-release``. The compiled-template cache is warm
(one render before the clock starts, as after any first use) unless ``--no-cache``.
Python's own compiled modules are warm too, as after any ``pip install`` (which
compiles them): the warm-up writes them to a scratch ``PYTHONPYCACHEPREFIX``, whatever
``PYTHONDONTWRITEBYTECODE`` says, since a shell that sets it (this machine's does) would
otherwise compile every readout module from source in every round; ``--no-bytecode``
measures that case instead.
Reports the median and the best wall time of each, and the median of the per-round
differences to ``python -c pass`` (what readout itself costs).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "samples" / "2025-06-26-qingdao-in-ru.yaml"
PYTHON = sys.executable
READOUT = [PYTHON, "-m", "readout"]
GOALS = {"readout validate": 0.15, "readout render pdf": 0.35}


def commands(out: Path) -> dict[str, list[str]]:
    return {
        "python -c pass": [PYTHON, "-c", "pass"],
        "python -c 'import reportlab.platypus'": [PYTHON, "-c", "import reportlab.platypus"],
        "readout --help": [*READOUT, "--help"],
        "readout validate": [*READOUT, "validate", str(SEED)],
        "readout render pdf": [*READOUT, "render", str(SEED), "-f", "pdf", "-t",
                               "press-release", "-o", str(out / "seed.pdf")],
    }


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of ``command``, by /usr/bin/time."""
    with tempfile.NamedTemporaryFile("r") as report:
        subprocess.run(["/usr/bin/time", "-f", "%e %U %S", "-o", report.name, *command],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       env=env)
        wall, user, system = (float(x) for x in report.read().split()[-3:])
    return wall, user + system


def main(argv: list[str]) -> None:
    cached = "--no-cache" not in argv
    bytecode = "--no-bytecode" not in argv
    numbers = [a for a in argv if a.isdigit()]
    rounds = int(numbers[0]) if numbers else 15
    with tempfile.TemporaryDirectory() as scratch:
        env = dict(os.environ, READOUT_CACHE_DIR=str(Path(scratch) / "cache") if cached
                   else "")
        if bytecode:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(Path(scratch) / "pycache")
        else:
            env["PYTHONDONTWRITEBYTECODE"] = "1"
        todo = commands(Path(scratch))
        names = list(todo)
        for name in names:  # warm-up: the disk cache, the template cache
            timed(todo[name], env)
        wall: dict[str, list[float]] = {n: [] for n in names}
        cpu: dict[str, list[float]] = {n: [] for n in names}
        for n in range(rounds):
            shift = n % len(names)
            for name in names[shift:] + names[:shift]:
                w, c = timed(todo[name], env)
                wall[name].append(w)
                cpu[name].append(c)
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"{rounds} rounds, template cache {'warm' if cached else 'off'}, compiled "
          f"modules {'warm' if bytecode else 'off'}; load average {load}\n")
    print(f"{'seconds (/usr/bin/time, 10 ms steps)':40} {'median':>7} {'best':>6} "
          f"{'cpu':>6} {'- pass':>7}  goal")
    base = wall["python -c pass"]
    for name in names:
        extra = statistics.median(a - b for a, b in zip(wall[name], base, strict=True))
        goal = GOALS.get(name)
        print(f"  {name:38} {statistics.median(wall[name]):7.3f} {min(wall[name]):6.3f} "
              f"{statistics.median(cpu[name]):6.3f} {extra:7.3f}  "
              f"{f'< {goal}' if goal else ''}")


if __name__ == "__main__":
    main(sys.argv[1:])
