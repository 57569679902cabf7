"""The seed readout as plain Python data for the hand-written baselines, varied per round.

What a person writing a press release or a brief by hand would do: read the readout YAML
(no validation, no templates) and take the parts the document prints. Inline markup
(``**bold**``, ``*italic*``, ``[text](url)``) is turned into reportlab mark-up by
`rl_markup`, into Typst mark-up by `typst_markup`, or dropped by `plain`. So every
baseline carries the same words as ``readout render`` of the same data.

`varied(n)` is the seed with every text field changed for round ``n`` (about a quarter
of its words swapped for other words of the seed, at least one per field, the same way
wherever the same text recurs, so a quote's speaker still names a participant): no
document of a run repeats a paragraph of another, so no whole-paragraph cache can hide
the work, while fonts, logo and boilerplate stay shared, as in a real series.
"""

from __future__ import annotations

import copy
import random
import re
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import yaml

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "samples" / "2025-06-26-qingdao-in-ru.yaml"

_LINK = re.compile(r"\[([^\]]+)\]\(([^)]+)\)")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?!\*)(.+?)\*(?!\w)")
_WORD = re.compile(r"[^\W\d_]{2,}")
_TARGET = re.compile(r"(\]\([^)]*\))")

# Keys whose values are identifiers, dates, enumerations, addresses or file names: kept.
_KEPT = frozenset({
    "format", "id", "language", "classification", "face_classification",
    "classification_scheme", "released", "kind", "date", "start", "end", "role", "type",
    "status", "due", "logo", "email", "phone", "marking",
})


def plain(text: str) -> str:
    text = _LINK.sub(r"\1", text)
    return _ITALIC.sub(r"\1", _BOLD.sub(r"\1", text))


def rl_markup(text: str) -> str:
    text = escape(text)
    text = _LINK.sub(r'<a href="\2" color="#0563c1"><u>\1</u></a>', text)
    return _ITALIC.sub(r"<i>\1</i>", _BOLD.sub(r"<b>\1</b>", text))


_TYPST_SPECIAL = re.compile(r"([\\#$*_`<>@=\-+/~\[\]'\"])")


def typst_markup(text: str) -> str:
    """``text`` as Typst markup: special characters escaped, then bold, italic, links."""
    def escaped(part: str) -> str:
        return _TYPST_SPECIAL.sub(r"\\\1", part)

    out: list[str] = []
    position = 0
    for link in _LINK.finditer(text):
        out.append(_typst_emphasis(escaped(text[position:link.start()])))
        target = link.group(2).replace("\\", "\\\\").replace('"', '\\"')
        out.append(f'#link("{target}")[{_typst_emphasis(escaped(link.group(1)))}]')
        position = link.end()
    out.append(_typst_emphasis(escaped(text[position:])))
    return "".join(out)


def _typst_emphasis(text: str) -> str:
    text = re.sub(r"\\\*\\\*(.+?)\\\*\\\*", r"*\1*", text)
    return re.sub(r"(?<![*\w])\\\*(.+?)\\\*(?!\w)", r"_\1_", text)


def paragraphs(body: str | None) -> list[str]:
    return [" ".join(p.split()) for p in (body or "").split("\n\n") if p.strip()]


def _public(entry: dict[str, Any]) -> bool:
    return str(entry.get("classification", "PUBLIC")).upper() == "PUBLIC"


@cache
def seed_data() -> dict[str, Any]:
    """The seed readout as data, every scalar a string (as readout's own loader reads it)."""
    data: dict[str, Any] = yaml.load(SEED.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    return data


@cache
def _vocabulary() -> tuple[str, ...]:
    words: set[str] = set()

    def walk(value: Any, key: str | None) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, str) and key not in _KEPT:
            words.update(w.lower() for w in _WORD.findall(_TARGET.sub("", value)))
    walk(seed_data(), None)
    return tuple(sorted(words))


def vary_text(text: str, round_: int) -> str:
    """``text`` with about a quarter of its words swapped for round ``round_`` (at least
    one); markup and link targets kept. The same text varies the same way in a round."""
    if round_ == 0:
        return text
    rng = random.Random(f"{round_}\x1f{text}")
    vocabulary = _vocabulary()
    pieces = _TARGET.split(text)  # odd pieces are link targets
    words = [(i, m) for i in range(0, len(pieces), 2) for m in _WORD.finditer(pieces[i])]
    if not words:
        return text
    chosen = {k for k in range(len(words)) if rng.random() < 0.25} or {rng.randrange(len(words))}
    replacements: dict[int, list[tuple[int, int, str]]] = {}
    for k in sorted(chosen):
        index, match = words[k]
        word = match.group(0)
        new = rng.choice(vocabulary)
        if new == word.lower():
            new = vocabulary[(vocabulary.index(new) + 1) % len(vocabulary)]
        if word.isupper():
            new = new.upper()
        elif word[0].isupper():
            new = new[0].upper() + new[1:]
        replacements.setdefault(index, []).append((match.start(), match.end(), new))
    for index, spans in replacements.items():
        piece = pieces[index]
        for start, end, new in reversed(spans):
            piece = piece[:start] + new + piece[end:]
        pieces[index] = piece
    return "".join(pieces)


def varied(round_: int) -> dict[str, Any]:
    """The seed data with every text field varied for round ``round_`` (0: as it is)."""
    def walk(value: Any, key: str | None) -> Any:
        if isinstance(value, dict):
            return {k: walk(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, key) for v in value]
        if isinstance(value, str) and key not in _KEPT:
            return vary_text(value, round_)
        return value
    result: dict[str, Any] = walk(copy.deepcopy(seed_data()), None)
    return result


def content(data: dict[str, Any] | None = None) -> dict[str, Any]:
    """What the press release and the internal brief print, from ``data`` (the seed)."""
    data = seed_data() if data is None else data
    people = {p["name"]: p for p in data.get("participants", [])}

    def speaker(name: str) -> str:
        person = people.get(name)
        if not person:
            return name
        return f"{person.get('honorific', '')} {name}, {person['title']}".strip()

    def section(entry: dict[str, Any]) -> dict[str, Any]:
        return {
            "heading": entry.get("heading", ""),
            "paragraphs": paragraphs(entry.get("body")),
            "bullets": [(b["text"] if isinstance(b, dict) else b,
                         list(b.get("bullets", [])) if isinstance(b, dict) else [])
                        for b in entry.get("bullets", [])],
            "quotes": [(f"\u201c{q['text']}\u201d", "\u2014 " + speaker(q["speaker"]))
                       for q in entry.get("quotes", [])],
            "classification": entry.get("classification", data["classification"]),
        }

    issuer = data["issuer"]
    released = datetime.fromisoformat(str(data["released"]))
    meeting = data["meeting"]
    return {
        "government": issuer.get("government", ""),
        "organisation": issuer["organisation"],
        "office": issuer.get("office", ""),
        "logo": _logo(issuer["logo"]),
        "release_time": f"{released:%-d %B %Y, %H:%M} IST",
        "release_date": f"{released:%-d %B %Y}",
        "dateline": f"{issuer['city'].upper()}, {released:%-d %B %Y} \u2014 ",
        "title": " ".join(data["title"].split()),
        "lead": paragraphs(data["summary"]),
        "sections": [section(p) for p in data["key_points"] if _public(p)],
        "all_sections": [section(p) for p in data["key_points"]],
        "outcomes": [o["text"] for o in data.get("outcomes", []) if _public(o)],
        "all_outcomes": [(o["text"], o.get("type", "agreement"),
                          o.get("classification", data["classification"]))
                         for o in data.get("outcomes", [])],
        "context": [section(c) for c in data.get("context", []) if _public(c)],
        "all_context": [section(c) for c in data.get("context", [])],
        "contact": [issuer["contact"]["name"], "E-mail: " + issuer["contact"]["email"],
                    "Telephone: " + str(issuer["contact"]["phone"])],
        "email": issuer["contact"]["email"],
        "meeting": {"kind": meeting["kind"], "date": meeting["date"],
                    "event": meeting.get("event", ""), "setting": meeting.get("setting", ""),
                    "venue": ", ".join(meeting["venue"].get(k, "") for k in
                                       ("name", "city", "country") if meeting["venue"].get(k))},
        "participants": [dict(p) for p in data.get("participants", [])],
        "brief": dict(data.get("brief") or {}),
        "classification": data["classification"],
    }


@cache
def _logo(name: str) -> bytes:
    return (SEED.parent / name).read_bytes()
