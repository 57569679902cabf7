"""``manifest.json``: every output of a batch, its hash, and a digest of its inputs.

It also keeps each member's meeting summary, so the series digest can be rebuilt
without loading unchanged members again. Each output's size and modification time are
kept too: a file whose size and time still match is taken as unchanged without reading
it (as make and rsync do); any other file is hashed again.
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


@dataclass
class Manifest:
    """``manifest.json``: every output with its hash and its inputs' digest."""

    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    summaries: dict[str, dict[str, Any]] = field(default_factory=dict)
    saved: float = 0.0

    @classmethod
    def read(cls, path: Path) -> Manifest:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            outputs = {entry["path"]: entry for entry in data["outputs"]}
            return cls(outputs=outputs, summaries=data.get("meetings", {}))
        except (OSError, ValueError, KeyError, TypeError):
            return cls()

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
               inputs: str) -> None:
        """Note an output just written to ``out / name``."""
        stat = (out / name).stat()
        self.outputs[name] = {"path": name, "template": template, "format": fmt,
                              "sha256": sha256, "inputs": inputs, "size": stat.st_size,
                              "mtime_ns": stat.st_mtime_ns}

    def forget(self, names: set[str]) -> bool:
        """Drop the entries of ``names``; whether there were any."""
        gone = names & self.outputs.keys()
        for name in gone:
            del self.outputs[name]
        return bool(gone)

    def forget_except(self, members: set[str]) -> None:
        self.summaries = {k: v for k, v in self.summaries.items() if k in members}

    def write(self, path: Path) -> None:
        text = _one_entry_a_line({
            "format": "readout-manifest/1", "version": VERSION,
            "outputs": [self.outputs[k] for k in sorted(self.outputs)],
            "meetings": dict(sorted(self.summaries.items()))})
        write_atomic(path, text.encode("utf-8"), durable=False)
        self.saved = time.perf_counter()


def _one_entry_a_line(data: dict[str, Any]) -> str:
    """JSON with one output or meeting a line: readable, diffable, and written by the C
    encoder (``indent=`` would fall back to the pure-Python one, ten times slower)."""
    def dump(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True)

    outputs = ",\n  ".join(dump(entry) for entry in data["outputs"])
    meetings = ",\n  ".join(f"{dump(key)}: {dump(value)}"
                             for key, value in data["meetings"].items())
    return (f'{{"format": {dump(data["format"])}, "version": {dump(data["version"])},\n'
            f' "outputs": [\n  {outputs}\n ],\n "meetings": {{\n  {meetings}\n }}\n}}\n')
