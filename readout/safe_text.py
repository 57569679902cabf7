"""What text and links may carry, once for every stage (templating and every writer).

* `SAFE_SCHEMES` and `is_safe_target`: the only link targets that become live links,
  with `is_sibling_file`: a file beside the document (a series digest's members);
* `UNPRINTABLE` and `printable`: the characters no output can carry or show (those XML
  1.0 forbids: C0 controls but tab, newline and return, lone surrogates, U+FFFE and
  U+FFFF; and those HTML forbids too: DEL, the C1 controls, the noncharacters),
  dropped from text before any markup is made of it.
"""

from __future__ import annotations

import re

SAFE_SCHEMES = ("http://", "https://", "mailto:")
# C0 controls but tab, newline and return; DEL and the C1 controls; lone surrogates;
# the noncharacters (U+FDD0-FDEF, and the last two code points of every plane).
UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
                         + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}"
                                   for plane in range(17)) + "]")
_BAD_TARGET = re.compile(r"[\s\x00-\x1f\x7f<>\"]")
_SIBLING = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def is_safe_target(target: str) -> bool:
    """Whether ``target`` may become a live link: http(s) or mailto, nothing odd in it."""
    if not target.lower().startswith(SAFE_SCHEMES) or _BAD_TARGET.search(target):
        return False
    rest = target.split(":", 1)[1].lstrip("/")
    return bool(rest)


def is_sibling_file(target: str) -> bool:
    """Whether ``target`` names a file in the document's own folder: a bare file name,
    with no scheme, no folder and no ``..``, so a link to it works wherever the folder
    is copied and can lead nowhere else. (Which such names a document may link to is
    the caller's to say: see `template_reader.read`.)"""
    return bool(_SIBLING.fullmatch(target)) and ".." not in target


# The same characters below U+10000, and any beyond it: a class without single astral
# characters is searched several times faster, and most texts have none beyond.
_SUSPECT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
                      "\ufffe\uffff\U00010000-\U0010ffff]")


def printable(text: str) -> str:
    """``text`` without the characters of `UNPRINTABLE`."""
    if text.isprintable() or _SUSPECT.search(text) is None or UNPRINTABLE.search(text) is None:
        return text
    return UNPRINTABLE.sub("", text)
