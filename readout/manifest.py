"""``manifest.json``: every output of a batch, its hash, and a digest of its inputs.

Each output's size and modification time are kept too: a file whose size and time
still match is taken as unchanged without reading it (as make and rsync do); any other
file is hashed again. Each member file that rendered is kept with its size, time, id,
inputs digest, the digest of the series settings it took (``settings``) and the files
beside it that it read (a logo): while all of these match, a re-run skips the member
without reading it. A manifest that cannot be read, or whose entries have the wrong
shape, is taken as absent (every document is rendered again), and `Manifest.ignored`
says why. Nothing a document shows is taken from the manifest: the series digest is
made from the members themselves.

Written incrementally: ``manifest.json`` is rewritten only where entries must go before
their documents are replaced, and at the end of a run; in between, each finished
member appends its lines to ``manifest.journal`` (one JSON object a line), which the
next read replays over ``manifest.json`` (a last line cut short by a crash is dropped).
So ``manifest.json`` alone never names a document that is not on disk as named.

Held compactly: the run needs every entry (to compare each member's documents as its
check comes back, to rewrite ``manifest.json`` without the documents about to change,
and to write it sorted at the end), so each entry of the usual shape is kept as one
``bytes`` (its digests as 32 bytes each, its template, format, settings and the paths it
uses as indexes into a table of the names they share: about a third of the memory of
the dictionary it was), and made a dictionary again when read. An entry of any other
shape (a hand-made digest, a key more) is kept as it is, so a manifest is written back
byte for byte. It is read a line at a time, each entry packed as it is parsed (the whole
file and every entry as a dictionary are never in memory together); a file laid out
otherwise than `Manifest.write` lays it out is read whole.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
from collections.abc import Callable, Collection, Iterable, Iterator, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from .output import write_temporary
from .version import VERSION

MANIFEST = "manifest.json"
JOURNAL = "manifest.journal"
_ENTRY = {"path": str, "template": str, "format": str, "sha256": str, "inputs": str,
          "size": int, "mtime_ns": int}
_OPTIONAL = {"members": str}  # the digest's: a digest of its members' inputs
_MEMBER = {"file": str, "size": int, "mtime_ns": int, "settings": str, "id": str,
           "inputs": str, "uses": list}


class _Names:
    """The strings many entries share (templates, formats, settings, logos), each kept
    once and named by its index."""

    __slots__ = ("index", "names")

    def __init__(self) -> None:
        self.names: list[str] = []
        self.index: dict[str, int] = {}

    def of(self, name: str) -> int:
        number = self.index.get(name)
        if number is None:
            number = self.index[name] = len(self.names)
            self.names.append(name)
        return number


class _Packed(MutableMapping[str, dict[str, Any]]):
    """Entries by key, each packed into ``bytes`` when `_pack` can give it back exactly
    (see the module docstring); each read makes a new dictionary (changing it changes
    nothing kept: set it again)."""

    def __init__(self) -> None:
        self._entries: dict[str, bytes | dict[str, Any]] = {}
        self._names = _Names()

    def __getitem__(self, key: str) -> dict[str, Any]:
        entry = self._entries[key]
        return self._unpack(key, entry) if isinstance(entry, bytes) else dict(entry)

    def __setitem__(self, key: str, entry: dict[str, Any]) -> None:
        if not self.packs(key, entry):
            self._entries[key] = dict(entry)

    def packs(self, key: str, entry: dict[str, Any]) -> bool:
        """Keep ``entry`` packed if it has the usual shape (each field of its exact
        type: so it needs no other check); whether it had."""
        try:
            self._entries[key] = self._pack(key, entry)
        except (ValueError, TypeError, struct.error, UnicodeError):
            return False
        return True

    def __delitem__(self, key: str) -> None:
        del self._entries[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def __repr__(self) -> str:
        return f"{type(self).__name__}({dict(self)!r})"

    def _pack(self, key: str, entry: dict[str, Any]) -> bytes:
        raise NotImplementedError

    def _unpack(self, key: str, packed: bytes) -> dict[str, Any]:
        raise NotImplementedError

    def _name(self, name: Any) -> int:
        number = self._names.index.get(name)
        if number is None:
            if type(name) is not str:
                raise TypeError
            number = self._names.of(name)
        return number  # past 0xFFFF names, `struct.error`: the entry is kept as it is


_OUTPUT = struct.Struct("<32s32sqqHH")  # sha256, inputs, size, mtime_ns, template, format
_MEMBER_HEAD = struct.Struct("<qq32sHHH")  # size, mtime_ns, inputs, settings, id, uses
_USE = struct.Struct("<Hqq")  # path, size, mtime_ns


class _Outputs(_Packed):
    """The output entries, by path."""

    def _pack(self, key: str, entry: dict[str, Any]) -> bytes:
        if entry.keys() != _ENTRY.keys() or entry["path"] != key:
            raise ValueError
        size, mtime_ns = entry["size"], entry["mtime_ns"]
        if type(size) is not int or type(mtime_ns) is not int:
            raise TypeError
        sha256, inputs = entry["sha256"], entry["inputs"]
        packed = _OUTPUT.pack(bytes.fromhex(sha256), bytes.fromhex(inputs), size, mtime_ns,
                              self._name(entry["template"]), self._name(entry["format"]))
        if packed[:32].hex() != sha256 or packed[32:64].hex() != inputs:
            raise ValueError  # not 64 lowercase hex digits: kept as it is
        return packed

    def _unpack(self, key: str, packed: bytes) -> dict[str, Any]:
        sha256, inputs, size, mtime_ns, template, fmt = _OUTPUT.unpack(packed)
        names = self._names.names
        return {"path": key, "template": names[template], "format": names[fmt],
                "sha256": sha256.hex(), "inputs": inputs.hex(), "size": size,
                "mtime_ns": mtime_ns}


class _Members(_Packed):
    """The member records, by file."""

    def _pack(self, key: str, record: dict[str, Any]) -> bytes:
        if record.keys() != _MEMBER.keys() or record["file"] != key \
                or type(record["id"]) is not str or type(record["uses"]) is not list:
            raise ValueError
        ident = record["id"].encode("utf-8")
        uses = b"".join(_USE.pack(self._name(path), _int(size), _int(mtime))
                        for path, size, mtime in record["uses"])
        return _MEMBER_HEAD.pack(
            _int(record["size"]), _int(record["mtime_ns"]), _digest(record["inputs"]),
            self._name(record["settings"]), len(ident), len(record["uses"])) + ident + uses

    def _unpack(self, key: str, packed: bytes) -> dict[str, Any]:
        size, mtime_ns, inputs, settings, length, count = _MEMBER_HEAD.unpack_from(packed)
        names, start = self._names.names, _MEMBER_HEAD.size + length
        uses = [[names[path], used_size, used_mtime] for path, used_size, used_mtime
                in (_USE.unpack_from(packed, start + n * _USE.size) for n in range(count))]
        return {"file": key, "size": size, "mtime_ns": mtime_ns, "settings": names[settings],
                "id": packed[_MEMBER_HEAD.size:start].decode("utf-8"),
                "inputs": inputs.hex(), "uses": uses}


def _digest(text: Any) -> bytes:
    """A SHA-256 in lowercase hex as its 32 bytes, or a `ValueError`."""
    if type(text) is not str or len(text) != 64:
        raise ValueError
    digest = bytes.fromhex(text)
    if digest.hex() != text:
        raise ValueError
    return digest


def _int(value: Any) -> int:
    if type(value) is not int:
        raise TypeError
    return value


@dataclass
class Manifest:
    """``manifest.json``: every output with its hash and its inputs' digest, and every
    member file with what tells that it is unchanged."""

    outputs: MutableMapping[str, dict[str, Any]] = field(default_factory=_Outputs)
    members: MutableMapping[str, dict[str, Any]] = field(default_factory=_Members)
    # The theme's fingerprint and the files it was made from (path, size, time): while
    # they match, a re-run takes it without parsing the theme.
    theme: dict[str, Any] | None = None
    ignored: str | None = None  # why the file on disk was not used, if it was not
    _journal: IO[str] | None = field(default=None, repr=False)

    @classmethod
    def read(cls, path: Path) -> Manifest:
        """The manifest at ``path`` with its journal replayed."""
        found = cls()
        if not found._read_laid_out(path):
            try:
                text = path.read_text(encoding="utf-8")
            except FileNotFoundError:
                text = None
            except (OSError, ValueError) as exc:
                return cls(ignored=f"it cannot be read ({exc})")
            try:
                if text is not None:
                    data = json.loads(text)
                    _outputs(data, found.outputs)
                    _members(data.get("members", []), found.members)
                    found.theme = _theme(data.get("theme"))
            except ValueError as exc:
                return cls(ignored=str(exc))
        try:
            found._replay(path.with_name(JOURNAL))
        except ValueError as exc:
            return cls(ignored=str(exc))
        return found

    def _read_laid_out(self, path: Path) -> bool:
        """Read ``manifest.json`` a line at a time as `write` lays it out, so that the
        whole file and every entry as a dictionary are never in memory together; False,
        with nothing read, if it is laid out otherwise or anything in it is wrong (it is
        then read whole, which says what)."""
        outputs, members = _Outputs(), _Members()
        theme = None
        try:
            with open(path, encoding="utf-8", newline="") as stream:
                lines = iter(stream)
                head = next(lines, "")
                if not head.startswith('{"format": ') or not head.endswith(",\n"):
                    return False
                _json(head[:-2] + "}")
                if next(lines, "") != ' "outputs": [\n':
                    return False
                end = _laid_out_entries(lines, outputs, _outputs_one)
                if end != " ],\n" or next(lines, "") != ' "members": [\n':
                    return False
                end = _laid_out_entries(lines, members, _members_one)
                if end == " ],\n":
                    line = next(lines, "")
                    if not line.startswith(' "theme": ') or not line.endswith("\n"):
                        return False
                    theme = _theme(_json(line[10:-1]))
                    end = " ]\n"
                if end != " ]\n" or next(lines, "") != "}\n" or next(lines, "") != "":
                    return False
        except (OSError, ValueError):
            return False
        self.outputs, self.members, self.theme = outputs, members, theme
        return True

    def _replay(self, journal: Path) -> None:
        try:
            lines = journal.read_text(encoding="utf-8").split("\n")
        except FileNotFoundError:
            return
        except OSError as exc:
            raise ValueError(f"its journal cannot be read ({exc})") from None
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError:
                if number == len(lines):  # the last line, cut short by a crash
                    break
                raise ValueError(f"line {number} of its journal is not JSON") from None
            if not isinstance(record, dict):
                raise ValueError(f"line {number} of its journal is not an object")
            if "output" in record:
                _outputs({"outputs": [record["output"]]}, self.outputs)
            elif "member" in record:
                _members([record["member"]], self.members)
            elif isinstance(record.get("forget"), list):
                for name in record["forget"]:
                    self.outputs.pop(str(name), None)
            else:
                raise ValueError(f"line {number} of its journal says nothing known")

    def is_current(self, out: Path, name: str, inputs: str) -> bool:
        entry = self.outputs.get(name)
        if entry is None or entry.get("inputs") != inputs:
            return False
        try:
            stat = os.stat(os.path.join(out, name))
            if (stat.st_size, stat.st_mtime_ns) == (entry.get("size"), entry.get("mtime_ns")):
                return True
            return bool(hashlib.sha256((out / name).read_bytes()).hexdigest() == entry["sha256"])
        except OSError:
            return False

    def record(self, out: Path, name: str, template: str, fmt: str, sha256: str,
               inputs: str, **extra: str) -> None:
        """Note an output just written to ``out / name`` (in the journal, if open)."""
        stat = (out / name).stat()
        entry = {"path": name, "template": template, "format": fmt, "sha256": sha256,
                 "inputs": inputs, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns,
                 **extra}
        self.outputs[name] = entry
        self._append({"output": entry})

    def remember(self, record: dict[str, Any]) -> None:
        """Note what tells that a member file is unchanged (see the module docstring)."""
        self.members[record["file"]] = record
        self._append({"member": record})

    def forget(self, names: set[str]) -> bool:
        """Drop the entries of ``names``; whether there were any."""
        gone = names & self.outputs.keys()
        for name in gone:
            del self.outputs[name]
        if gone:
            self._append({"forget": sorted(gone)})
        return bool(gone)

    def write(self, path: Path, *, leaving_out: Collection[str] = ()) -> None:
        """Write the whole manifest to ``path`` (but for the outputs ``leaving_out``,
        about to be replaced: kept here, named on disk again once recorded); the
        journal, now in it, goes."""
        temporary = write_temporary(path, b"", durable=False)
        try:
            with open(temporary, "w", encoding="utf-8", newline="") as stream:
                stream.writelines(_one_entry_a_line({
                    "format": "readout-manifest/1", "version": VERSION,
                    "outputs": (self.outputs[k] for k in sorted(self.outputs)
                                if k not in leaving_out),
                    "members": (self.members[k] for k in sorted(self.members)),
                    "theme": self.theme}))
            os.replace(temporary, path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        self.close()
        path.with_name(JOURNAL).unlink(missing_ok=True)

    def open_journal(self, path: Path) -> None:
        """Append what changes from now on to the journal beside ``path``."""
        self.close()
        self._journal = open(path.with_name(JOURNAL), "a", encoding="utf-8")  # noqa: SIM115

    def close(self) -> None:
        if self._journal is not None:
            self._journal.close()
            self._journal = None

    def _append(self, record: dict[str, Any]) -> None:
        if self._journal is not None:
            self._journal.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
            self._journal.flush()


def stat_of(path: Path | str) -> tuple[int, int]:
    """The size and modification time (ns) of ``path``; (-1, -1) if it cannot be read."""
    try:
        stat = os.stat(path)
    except OSError:
        return -1, -1
    return stat.st_size, stat.st_mtime_ns


def _outputs(data: Any, into: MutableMapping[str, dict[str, Any]]) -> None:
    """The output entries of a parsed manifest put ``into`` a manifest's, or a
    `ValueError` saying what is wrong."""
    if not isinstance(data, dict) or not isinstance(data.get("outputs"), list):
        raise ValueError("it is not a mapping with a list of outputs")
    entry_kinds, optional = tuple(_ENTRY.items()), tuple(_OPTIONAL.items())
    packs = into.packs if isinstance(into, _Packed) else None
    for entry in data["outputs"]:
        if packs is not None and type(entry) is dict and type(entry.get("path")) is str \
                and packs(entry["path"], entry):
            continue
        # JSON gives exact types (``type(x) is int`` keeps booleans out)
        if type(entry) is not dict or any(
                type(entry.get(key)) is not kind for key, kind in entry_kinds) or any(
                key in entry and type(entry[key]) is not kind for key, kind in optional):
            raise ValueError(f"an output entry has the wrong shape: {str(entry)[:80]}")
        into[entry["path"]] = entry


def _members(data: Any, into: MutableMapping[str, dict[str, Any]]) -> None:
    """The member records of a parsed manifest put ``into`` a manifest's, or a
    `ValueError` saying what is wrong."""
    if not isinstance(data, list):
        raise ValueError("its members are not a list")
    packs = into.packs if isinstance(into, _Packed) else None
    for record in data:
        if packs is not None and type(record) is dict and type(record.get("file")) is str \
                and packs(record["file"], record):
            continue
        if not isinstance(record, dict) or any(
                not isinstance(record.get(key), kind) or isinstance(record.get(key), bool)
                for key, kind in _MEMBER.items()) or not all(
                isinstance(use, list) and len(use) == 3 and isinstance(use[0], str)
                and all(isinstance(n, int) for n in use[1:]) for use in record["uses"]):
            raise ValueError(f"a member entry has the wrong shape: {str(record)[:80]}")
        into[record["file"]] = record


def _json(text: str) -> Any:
    """``text`` parsed as one JSON value, or a `ValueError`."""
    value, end = _DECODE(text)
    if end != len(text):
        raise ValueError
    return value


_DECODE = json.JSONDecoder().raw_decode


def _outputs_one(entry: Any, into: _Packed) -> None:
    if not (type(entry) is dict and type(entry.get("path")) is str
            and into.packs(entry["path"], entry)):
        _outputs({"outputs": [entry]}, into)


def _members_one(record: Any, into: _Packed) -> None:
    if not (type(record) is dict and type(record.get("file")) is str
            and into.packs(record["file"], record)):
        _members([record], into)


def _laid_out_entries(lines: Iterator[str], into: _Packed,
                      take: Callable[[Any, _Packed], None]) -> str:
    """The entries of one list as `write` lays them out (one a line, a comma after all
    but the last) put ``into`` their mapping by ``take``; the line after the list, or a
    `ValueError` if the lines are not laid out so."""
    line = next(lines, "")
    if line == "  \n":  # no entry
        return next(lines, "")
    while line.startswith("  ") and line.endswith("\n"):
        body = line[2:-1]
        last = not body.endswith(",")
        take(_json(body if last else body[:-1]), into)
        line = next(lines, "")
        if last:
            return line
    raise ValueError


def _theme(data: Any) -> dict[str, Any] | None:
    """The theme record of a parsed manifest (``None`` if it has none), or a `ValueError`."""
    if data is None:
        return None
    if (type(data) is not dict or type(data.get("name")) is not str
            or type(data.get("digest")) is not str or type(data.get("files")) is not list
            or not all(type(f) is list and len(f) == 3 and type(f[0]) is str
                       and type(f[1]) is int and type(f[2]) is int for f in data["files"])):
        raise ValueError(f"its theme entry has the wrong shape: {str(data)[:80]}")
    return data


def _one_entry_a_line(data: dict[str, Any]) -> Iterator[str]:
    """JSON with one output a line, piece by piece (a thousand members' manifest is never
    one string in memory): readable, diffable, and written by the C encoder (``indent=``
    would fall back to the pure-Python one, ten times slower)."""
    def dump(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True)

    def entries(items: Iterable[Any]) -> Iterator[str]:
        for index, entry in enumerate(items):
            yield (",\n  " if index else "") + dump(entry)

    yield f'{{"format": {dump(data["format"])}, "version": {dump(data["version"])},\n'
    yield ' "outputs": [\n  '
    yield from entries(data["outputs"])
    yield '\n ],\n "members": [\n  '
    yield from entries(data["members"])
    yield '\n ]'
    if data.get("theme"):
        yield f',\n "theme": {dump(data["theme"])}'
    yield "\n}\n"
