"""One batch at a time in an output folder: a lock held for the whole run.

The running batch holds ``OUT/.readout.lock`` (``flock``) and writes its process id
into it; a second batch on the same folder refuses at once, naming that process,
rather than wait for a run that may take minutes. The kernel drops the lock when its
holder exits, however it dies, so a killed batch never leaves the folder locked. Where
the platform has no ``flock`` (Windows), no lock is taken.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import OutputError

LOCK_FILE = ".readout.lock"


@contextmanager
def holding(out: Path) -> Iterator[None]:
    """Hold the lock of the output folder ``out`` (made if missing) while in the block."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on POSIX
        yield
        return
    try:
        out.mkdir(parents=True, exist_ok=True)
        handle = os.open(out / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise OutputError.single(str(out), f"The output folder cannot be used: "
                                           f"{exc.strerror or exc}.") from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(handle, 32, 0).decode("ascii", "replace").strip()
            who = f"Another batch (process {holder})" if holder.isdigit() else "Another batch"
            raise OutputError.single(str(out), f"{who} is writing into this folder; wait "
                                     "for it to finish, or give another output folder.")\
                from None
        os.ftruncate(handle, 0)
        os.pwrite(handle, f"{os.getpid()}\n".encode("ascii"), 0)
        yield
    finally:
        os.close(handle)
