"""The output folder of a batch: one batch at a time, and failures said as such.

`holding`: the running batch holds ``OUT/.readout.lock`` (``flock``) and writes its process id
into it; a second batch on the same folder refuses at once, naming that process,
rather than wait for a run that may take minutes. The kernel drops the lock when its
holder exits, however it dies, so a killed batch never leaves the folder locked. Where
the platform has no ``flock`` (Windows), no lock is taken.

`unwritable`: a folder that cannot take a file (the disk is full, it is read-only) is
one `OutputError` for the whole run, said in those words, never a failure per document.
"""

from __future__ import annotations

import errno
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
        raise unwritable(out, exc) from None
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


_FULL = frozenset({errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)})
_READ_ONLY = frozenset({errno.EROFS, errno.EACCES, errno.EPERM})


def unwritable(out: Path, exc: OSError) -> OutputError:
    """The `OutputError` that says why the folder ``out`` could not take a file."""
    reason = exc.strerror or str(exc)
    if exc.errno in _FULL:
        message = (f"The disk is full ({reason}); free some space, then run the batch "
                   "again: the documents already written are kept.")
    elif exc.errno in _READ_ONLY:
        message = (f"The output folder cannot be written ({reason}); give a folder you "
                   "can write to.")
    else:
        message = f"The output folder cannot take the documents: {reason}."
    return OutputError.single(str(out), message)
