"""The seed press release's content as plain Python data, for the hand-written baselines.

What a person writing a press release by hand would do: read the readout YAML with
PyYAML (no validation, no templates) and take the public parts the press release prints:
letterhead, title, lead, key points (paragraphs, bullets with sub-bullets, quotes),
outcomes, context, end mark, media contact. Inline markup (``**bold**``, ``*italic*``,
``[text](url)``) is turned into reportlab mark-up by `rl_markup` or dropped by `plain`.
So every baseline carries the same words as ``readout render`` of the seed sample.
"""

from __future__ import annotations

import re
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


def plain(text: str) -> str:
    text = _LINK.sub(r"\1", text)
    return _ITALIC.sub(r"\1", _BOLD.sub(r"\1", text))


def rl_markup(text: str) -> str:
    text = escape(text)
    text = _LINK.sub(r'<a href="\2" color="#0563c1"><u>\1</u></a>', text)
    return _ITALIC.sub(r"<i>\1</i>", _BOLD.sub(r"<b>\1</b>", text))


def _paragraphs(body: str | None) -> list[str]:
    return [" ".join(p.split()) for p in (body or "").split("\n\n") if p.strip()]


def _public(entry: dict[str, Any]) -> bool:
    return str(entry.get("classification", "PUBLIC")).upper() == "PUBLIC"


@cache
def content() -> dict[str, Any]:
    data = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    people = {p["name"]: p for p in data.get("participants", [])}

    def speaker(name: str) -> str:
        person = people.get(name)
        if not person:
            return name
        return f"{person.get('honorific', '')} {name}, {person['title']}".strip()

    def section(entry: dict[str, Any]) -> dict[str, Any]:
        return {
            "heading": entry["heading"],
            "paragraphs": _paragraphs(entry.get("body")),
            "bullets": [(b["text"] if isinstance(b, dict) else b,
                         list(b.get("bullets", [])) if isinstance(b, dict) else [])
                        for b in entry.get("bullets", [])],
            "quotes": [(f"\u201c{q['text']}\u201d", "\u2014 " + speaker(q["speaker"]))
                       for q in entry.get("quotes", [])],
        }

    issuer = data["issuer"]
    released = data["released"]
    return {
        "government": issuer.get("government", ""),
        "organisation": issuer["organisation"],
        "office": issuer.get("office", ""),
        "logo": (SEED.parent / issuer["logo"]).read_bytes(),
        "release_time": f"{released:%-d %B %Y, %H:%M} IST",
        "dateline": f"{issuer['city'].upper()} , {released:%-d %B %Y} \u2014 ".replace(" ,", ","),
        "title": " ".join(data["title"].split()),
        "lead": _paragraphs(data["summary"]),
        "sections": [section(p) for p in data["key_points"] if _public(p)],
        "outcomes": [o["text"] for o in data.get("outcomes", []) if _public(o)],
        "context": [section(c) for c in data.get("context", []) if _public(c)],
        "contact": [issuer["contact"]["name"], "E-mail: " + issuer["contact"]["email"],
                    "Telephone: " + str(issuer["contact"]["phone"])],
    }
