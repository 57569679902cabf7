"""Worker processes: started safely, dying with their parent, sized to the work."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from readout import batch, pool
from readout.batch import render_series

from .conftest import SERIES, make_series


def test_fork_is_chosen_only_while_no_other_thread_runs() -> None:
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        assert pool.start_method() == "fork"
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert pool.start_method() in ("forkserver", "spawn")
    finally:
        stop.set()
        thread.join()


WATCHED = """
import sys, time
from readout.pool import watch_parent
import os
watch_parent(os.getppid(), 0.05)
print("watching", flush=True)
time.sleep(60)
"""

MIDDLE = """
import subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c", sys.argv[1]], stdout=subprocess.PIPE)
assert child.stdout is not None and child.stdout.readline() == b"watching\\n"
print(child.pid, flush=True)
time.sleep(60)
"""


@pytest.mark.skipif(not hasattr(os, "getppid") or sys.platform == "win32", reason="POSIX")
def test_without_the_kernel_signal_a_worker_still_ends_when_its_parent_dies() -> None:
    with subprocess.Popen([sys.executable, "-c", MIDDLE, WATCHED],
                          stdout=subprocess.PIPE) as middle:
        assert middle.stdout is not None
        child = int(middle.stdout.readline())
        middle.kill()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and _running(child):
        time.sleep(0.02)
    try:
        assert not _running(child)
    finally:
        if _running(child):
            os.kill(child, 9)


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


ON_A_TERMINAL = """
import io, sys
from readout import batch, pool, progress

class Terminal(io.StringIO):
    def isatty(self):
        return True

if __name__ == "__main__":
    sys.stderr, stderr = Terminal(), sys.stderr
    chosen = []
    real = pool.start_pool
    def spy(workers, method=None):
        chosen.append(method or pool.start_method())
        return real(workers, method)
    batch.start_pool = spy
    with progress.batch_progress() as report:
        ok = batch.render_series(sys.argv[1], sys.argv[2], jobs=2, progress=report).ok
    shown, sys.stderr = sys.stderr.getvalue(), stderr
    print(ok, " ".join(chosen), repr(shown))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork is for Linux")
def test_a_batch_on_a_terminal_forks_before_its_progress_bar_starts(tmp_path: Path) -> None:
    series_file = make_series(tmp_path, 6)
    script = tmp_path / "run.py"
    script.write_text(ON_A_TERMINAL)
    result = subprocess.run([sys.executable, str(script), series_file.name, "out"],
                            capture_output=True, text=True, check=True, cwd=tmp_path)
    ok, method, shown = result.stdout.split(" ", 2)
    assert (ok, method) == ("True", "fork")
    assert "6/6" in shown


def test_the_default_renders_a_small_series_in_one_process(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(workers: int, method: str | None = None) -> None:
        raise AssertionError("a pool was started for the four-member sample")

    monkeypatch.setattr(batch, "start_pool", refuse)
    assert render_series(SERIES, tmp_path / "out", formats=["pdf"]).ok


def test_workers_are_sized_to_the_work() -> None:
    cpus = os.cpu_count() or 1
    assert pool.worker_count(8, 3, "fork") == 3
    assert pool.worker_count(1, 300, "fork") == 1
    assert pool.worker_count(None, 4, "fork") == 1
    assert pool.worker_count(None, 8, "forkserver") == 1
    assert pool.worker_count(None, 400, "fork") == cpus
    assert pool.worker_count(None, 400, "spawn") == cpus


class _Cycle:
    """An object in a reference cycle: freed only by the cycle collector."""

    def __init__(self) -> None:
        self.me = self


def _cycles_after_jobs(jobs: int) -> tuple[bool, list[int]]:
    """In a worker: whether its collector runs by itself, and after each of ``jobs``
    jobs that leave a cycle each, how many of those cycles are still alive."""
    import gc
    import weakref

    alive: list[int] = []
    refs = []
    for _ in range(jobs):
        refs.append(weakref.ref(_Cycle()))
        pool.job_done()
        alive.append(sum(ref() is not None for ref in refs))
    return gc.isenabled(), alive


def test_a_worker_collects_each_jobs_cycles_once_after_the_job() -> None:
    workers = pool.start_pool(1)
    try:
        automatic, alive = workers.submit(_cycles_after_jobs, 3).result()
    finally:
        workers.shutdown()
    assert not automatic  # no collection during a job
    assert alive == [0, 0, 0]  # each job's cycles gone once it is done


def test_outside_a_worker_the_collector_is_left_as_it_is() -> None:
    import gc

    assert pool._jobs_done is None
    enabled = gc.isenabled()
    pool.job_done()
    assert gc.isenabled() == enabled
