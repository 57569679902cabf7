"""The output folder of a batch: one batch at a time, and failures said as such.

`holding`: the running batch holds ``OUT/.readout.lock`` (``flock``) and writes its process id
into it; a second batch on the same folder refuses at once, naming that process,
rather than wait for a run that may take minutes. The kernel drops the lock when its
holder exits, however it dies, so a killed batch never leaves the folder locked. Where
the platform has no ``flock`` (Windows), no lock is taken.

`write_atomic` / `write_temporary`: a file is written under a temporary name beside its
target and renamed over it, so a failure never leaves a partial file.

`unwritable`: a folder that cannot take a file (the disk is full, it is read-only) is
one `OutputError` for the whole run, said in those words, never a failure per document.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
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


def write_atomic(target: Path, data: bytes, *, durable: bool = True) -> None:
    """Write ``data`` to ``target`` through a temporary file and a rename.

    A killed process never leaves a partial file. ``durable`` also flushes the data to
    the disk before the rename, which survives a power cut too, at a cost per file. The
    file is created as `open` creates one: with the user's umask, never wider (a
    SECRET brief written under ``umask 077`` is 0600).
    """
    temporary = write_temporary(target, data, durable=durable)
    try:
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_temporary(target: Path, data: bytes, *, durable: bool = True) -> Path:
    """Write ``data`` beside ``target`` under a temporary name (see `is_temporary`) and
    return that name; renaming it over ``target`` is the caller's move."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = _create_temporary(target)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            if durable:
                stream.flush()
                os.fsync(stream.fileno())
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Path(temporary)


_TEMPORARY_MARK = ".readout-"
# What `write_temporary` names a file: "." + target + ".readout-" + 8 letters + ".tmp".
_TEMPORARY = re.compile(r"\A\..+\.readout-[a-z0-9_]{8}\.tmp\Z", re.DOTALL)


def is_temporary(name: str) -> bool:
    """Whether ``name`` is a temporary file this program makes (never a user's own)."""
    return _TEMPORARY.match(name) is not None


def _create_temporary(target: Path) -> tuple[int, Path]:
    """A new, empty file beside ``target``, mode 0666 less the umask: the kernel applies
    it, as for any file `open` creates (no process-wide umask call: safe in threads).
    The name is kept short enough that a target near the length limit still fits."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        name = f".{target.name[:200]}{_TEMPORARY_MARK}{secrets.token_hex(4)}.tmp"
        try:
            return os.open(target.parent / name, flags, 0o666), target.parent / name
        except FileExistsError:
            continue
