"""Where readout keeps what it works out once and reuses across processes.

Compiled built-in templates (`template_cache`), compiled dataclass methods
(`dataclass_cache`), parsed fonts (the PDF writer's ``font_cache``) and the like live in
the user's cache folder: ``$READOUT_CACHE_DIR``, else ``$XDG_CACHE_HOME/readout``,
``~/.cache/readout``, ``~/Library/Caches/readout`` or ``%LOCALAPPDATA%\\readout``.
``READOUT_CACHE_DIR=`` (empty) turns every cache off. Each cache has its own sub-folder,
made private (0700); one that is not ours, or is open to others, is not used, since what
it holds is read back as code or as objects. A folder that cannot be made is no error:
the work is then done in each process.
"""

from __future__ import annotations

import contextlib
import io
import marshal
import os
import pickle
import stat
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

CACHE_VARIABLE = "READOUT_CACHE_DIR"


def cache_folder() -> Path | None:
    """The user's cache folder for readout, or ``None`` when turned off."""
    chosen = os.environ.get(CACHE_VARIABLE)
    if chosen is not None:
        return Path(chosen).expanduser() if chosen else None
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        return Path(base) / "readout" if base else None
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "readout"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "readout"


def private_folder(name: str) -> Path | None:
    """The cache's sub-folder ``name``, made if need be; ``None`` when caches are off,
    or when it cannot be made or is not private to this user."""
    base = cache_folder()
    if base is None:
        return None
    folder = base / name
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.stat()
    except OSError:
        return None
    mine = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    if not mine or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return None
    return folder


Stamps = tuple[tuple[int, int], ...]


def file_stamps(files: Iterable[Path]) -> Stamps:
    """Each file's size and modification time (ns), in order; empty when one is missing:
    what tells a kept result from a stale one."""
    stamps = []
    for file in files:
        try:
            info = file.stat()
        except OSError:
            return ()
        stamps.append((info.st_size, info.st_mtime_ns))
    return tuple(stamps)


def read_entry(entry: Path, unpickler: type[pickle.Unpickler]) -> Any:
    """What ``entry`` holds, read with ``unpickler`` (whose ``find_class`` admits only
    the cache's own data classes); ``None`` when it is missing or cannot be read."""
    try:
        data = entry.read_bytes()
    except OSError:
        return None
    try:
        return unpickler(io.BytesIO(data)).load()
    except Exception:  # damaged, or not what this cache keeps: made again
        return None


def read_marshal(entry: Path) -> Any:
    """What ``entry`` holds as ``marshal`` data (plain values only, which the cache
    then checks for its own shape); ``None`` when it is missing or damaged."""
    try:
        return marshal.loads(entry.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):  # damaged: made again
        return None


def write_entry(entry: Path, value: Any) -> None:
    """Write ``value``, pickled, to ``entry`` whole or not at all (see `write_bytes`)."""
    write_bytes(entry, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def write_bytes(entry: Path, data: bytes) -> None:
    """Write ``entry`` whole or not at all (another process may be reading it); a
    folder that cannot be written is no error."""
    import tempfile  # here: a process that only reads its caches never needs it

    with contextlib.suppress(OSError):
        handle, scratch = tempfile.mkstemp(dir=entry.parent, suffix=".part")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(scratch, entry)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(scratch)
            raise


__all__ = ["CACHE_VARIABLE", "Stamps", "cache_folder", "file_stamps", "private_folder",
           "read_entry", "write_bytes", "write_entry"]
