"""``manifest.json``: every output of a batch, its hash, and a digest of its inputs.

Each output's size and modification time are kept too: a file whose size and time
still match is taken as unchanged without reading it (as make and rsync do); any other
file is hashed again. A manifest that cannot be read, or whose entries have the wrong
shape, is taken as absent (every document is rendered again), and `Manifest.ignored`
says why. Nothing a document shows is taken from the manifest: the series digest is
made from the members themselves.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .rendering import write_atomic
from .version import VERSION

MANIFEST = "manifest.json"
_ENTRY = {"path": str, "template": str, "format": str, "sha256": str, "inputs": str,
          "size": int, "mtime_ns": int}
_OPTIONAL = {"members": str}  # the digest's: a digest of its members' inputs


@dataclass
class Manifest:
    """``manifest.json``: every output with its hash and its inputs' digest."""

    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    saved: float = 0.0
    ignored: str | None = None  # why the file on disk was not used, if it was not

    @classmethod
    def read(cls, path: Path) -> Manifest:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError) as exc:
            return cls(ignored=f"it cannot be read ({exc})")
        try:
            return cls(outputs=_outputs(json.loads(text)))
        except ValueError as exc:
            return cls(ignored=str(exc))

    def is_current(self, out: Path, name: str, inputs: str) -> bool:
        entry = self.outputs.get(name)
        if entry is None or entry.get("inputs") != inputs:
            return False
        try:
            stat = (out / name).stat()
            if (stat.st_size, stat.st_mtime_ns) == (entry.get("size"), entry.get("mtime_ns")):
                return True
            return bool(hashlib.sha256((out / name).read_bytes()).hexdigest() == entry["sha256"])
        except OSError:
            return False

    def record(self, out: Path, name: str, template: str, fmt: str, sha256: str,
               inputs: str, **extra: str) -> None:
        """Note an output just written to ``out / name``."""
        stat = (out / name).stat()
        self.outputs[name] = {"path": name, "template": template, "format": fmt,
                              "sha256": sha256, "inputs": inputs, "size": stat.st_size,
                              "mtime_ns": stat.st_mtime_ns, **extra}

    def forget(self, names: set[str]) -> bool:
        """Drop the entries of ``names``; whether there were any."""
        gone = names & self.outputs.keys()
        for name in gone:
            del self.outputs[name]
        return bool(gone)

    def write(self, path: Path) -> None:
        text = _one_entry_a_line({
            "format": "readout-manifest/1", "version": VERSION,
            "outputs": [self.outputs[k] for k in sorted(self.outputs)]})
        write_atomic(path, text.encode("utf-8"), durable=False)
        self.saved = time.perf_counter()


def _outputs(data: Any) -> dict[str, dict[str, Any]]:
    """The output entries of a parsed manifest, or a `ValueError` saying what is wrong."""
    if not isinstance(data, dict) or not isinstance(data.get("outputs"), list):
        raise ValueError("it is not a mapping with a list of outputs")
    outputs: dict[str, dict[str, Any]] = {}
    for entry in data["outputs"]:
        if not isinstance(entry, dict) or any(
                not isinstance(entry.get(key), kind) or isinstance(entry.get(key), bool)
                for key, kind in _ENTRY.items()) or any(
                key in entry and not isinstance(entry[key], kind)
                for key, kind in _OPTIONAL.items()):
            raise ValueError(f"an output entry has the wrong shape: {str(entry)[:80]}")
        outputs[entry["path"]] = entry
    return outputs


def _one_entry_a_line(data: dict[str, Any]) -> str:
    """JSON with one output a line: readable, diffable, and written by the C encoder
    (``indent=`` would fall back to the pure-Python one, ten times slower)."""
    def dump(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True)

    outputs = ",\n  ".join(dump(entry) for entry in data["outputs"])
    return (f'{{"format": {dump(data["format"])}, "version": {dump(data["version"])},\n'
            f' "outputs": [\n  {outputs}\n ]\n}}\n')
