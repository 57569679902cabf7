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
* Cycle collection: a worker's collector runs once after each job (`job_done`) rather
  than every few hundred allocations during it. Most of what a job makes is freed by
  reference counting as it goes; what is left is walked once, the job's survivors join
  the old generation, and every `FULL_COLLECTION_EVERY` jobs a full collection frees
  any cycle that got there. What a worker inherits or imports before its first job (a
  forked worker: the batch's warm caches) is frozen, never walked again (nor its pages
  copied by the collector). Measured on 100 warm members in one process: 5-7 ms of
  collection per member by default, 3.0-3.1 ms this way (both CPU, in ``gc.callbacks``).
  Only the pool's own workers do this: a caller's executor (Dask threads) keeps its
  collector as it is.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor

WATCH_INTERVAL = 0.25  # seconds between a worker's checks that its parent lives
FULL_COLLECTION_EVERY = 50  # jobs between a worker's full cycle collections
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
    collect_after_jobs()


_jobs_done: int | None = None  # in a worker that collects after jobs: the jobs it did


def collect_after_jobs() -> None:
    """From now on, collect cycles only after each job (`job_done`): see the module."""
    global _jobs_done
    gc.freeze()
    gc.disable()
    _jobs_done = 0


def job_done() -> None:
    """After a job, in a worker that collects after jobs: collect what the job left."""
    global _jobs_done
    if _jobs_done is None:
        return
    _jobs_done += 1
    gc.collect(2 if _jobs_done % FULL_COLLECTION_EVERY == 0 else 1)


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


__all__ = ["FULL_COLLECTION_EVERY", "MEMBERS_PER_WORKER", "WATCH_INTERVAL",
           "collect_after_jobs", "die_with_parent", "job_done", "start_method", "start_pool",
           "watch_parent", "worker_count"]
