"""What text and links may carry, once for every stage (templating and every writer).

* `SAFE_SCHEMES` and `is_safe_target`: the only link targets that become live links;
* `UNPRINTABLE` and `printable`: the characters no output can carry or show (those XML
  1.0 forbids: C0 controls but tab, newline and return, lone surrogates, U+FFFE and
  U+FFFF; and DEL), dropped from text before any markup is made of it.
"""

from __future__ import annotations

import re

SAFE_SCHEMES = ("http://", "https://", "mailto:")
UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_BAD_TARGET = re.compile(r"[\s\x00-\x1f\x7f<>\"]")


def is_safe_target(target: str) -> bool:
    """Whether ``target`` may become a live link: http(s) or mailto, nothing odd in it."""
    if not target.lower().startswith(SAFE_SCHEMES) or _BAD_TARGET.search(target):
        return False
    rest = target.split(":", 1)[1].lstrip("/")
    return bool(rest)


def printable(text: str) -> str:
    """``text`` without the characters of `UNPRINTABLE`."""
    return UNPRINTABLE.sub("", text) if UNPRINTABLE.search(text) else text
