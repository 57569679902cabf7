"""Worker processes for a batch: started safely, and never outliving the batch.

* Start method: ``fork`` only on Linux and only while this process runs no other
  thread (a thread holding a lock at the fork deadlocks the child: a progress bar's
  refresh thread, a user's own threads); otherwise ``forkserver`` where the platform
  has it, else ``spawn``. The forkserver imports the renderers once, so its workers
  start warm.
* Every worker dies with its parent: on Linux the kernel sends it SIGKILL when the
  parent dies (``prctl(PR_SET_PDEATHSIG)``), and on every platform a watcher thread
  ends it within `WATCH_INTERVAL` of the parent's death. A worker also ignores Ctrl-C:
  the parent decides what an interrupt ends.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor

WATCH_INTERVAL = 0.25  # seconds between a worker's checks that its parent lives
# How many members a worker needs to earn its start-up, by start method: a forked
# worker inherits the batch's warm caches (templates, fonts); any other fills its own,
# about 0.5 s (measured: the 4-member sample, 1.0 s in one process, 2.2 s on two
# forkserver workers, 1.1 s on two forked ones). So the sample renders in one process.
MEMBERS_PER_WORKER = {"fork": 4, "forkserver": 8, "spawn": 10}
_PR_SET_PDEATHSIG = 1
_PRELOAD = ["readout.batch", "readout.rendering", "readout.writers.pdf",
            "readout.writers.docx"]


def start_method() -> str:
    """The safest start method here: see the module docstring."""
    methods = multiprocessing.get_all_start_methods()
    if sys.platform.startswith("linux") and threading.active_count() == 1 \
            and "fork" in methods:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


def start_pool(workers: int, method: str | None = None) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes that die with this one; started now."""
    method = method or start_method()
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        context.set_forkserver_preload(_PRELOAD)
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context,
                               initializer=_init_worker, initargs=(os.getpid(), method))
    pool.submit(int)  # starts the workers now
    return pool


def _init_worker(batch: int, method: str) -> None:
    """In a new worker: die with the parent, ignore Ctrl-C."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = os.getppid()
    die_with_parent()
    # A forkserver's child has the server as its parent, which exits with the batch.
    if method != "forkserver" and parent != batch:
        os._exit(1)  # the batch died before this worker got here
    watch_parent(parent, WATCH_INTERVAL)


def die_with_parent() -> None:
    """Ask the kernel to SIGKILL this process when its parent dies (Linux only)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - a libc without prctl
        pass


def watch_parent(parent: int, interval: float) -> None:
    """End this process once its parent is no longer ``parent`` (it died)."""
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        os._exit(1)

    threading.Thread(target=watch, name="readout-parent-watch", daemon=True).start()


def worker_count(jobs: int | None, members: int, method: str) -> int:
    """How many workers ``members`` pending members get: ``jobs`` if given (never more
    than the members), else as many as CPUs, when the members earn their start-up."""
    if jobs:
        return max(1, min(jobs, members))
    return max(1, min(os.cpu_count() or 1, members // MEMBERS_PER_WORKER[method]))


__all__ = ["MEMBERS_PER_WORKER", "WATCH_INTERVAL", "die_with_parent", "start_method", "start_pool",
           "watch_parent", "worker_count"]
