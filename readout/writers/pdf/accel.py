"""PDF writer: reportlab's pure-Python hot spots, answered faster with the same bytes.

A press release calls reportlab's number formatter (``fp_str``) over a thousand times
(every text origin, colour, transform and /Widths entry) on mostly the same numbers,
writes every line's glyph codes through ``escapePDF`` and splits every line into font
subsets with a per-character loop. Each replacement here returns exactly what the
function it replaces returns, for every input (equal input, equal output; whatever it
does not recognise goes to the original, which raises what it always raised):

* `fp_str`: the original's string for each number, remembered per value (a float or
  an int: equal values format alike). It is installed once, at import, in every
  reportlab module that imported ``fp_str`` by name (`install`); nothing is changed
  per document, so threads see one function throughout.
* `pdf_format` and `pdf_name`: ``pdfdoc.format`` remembering the bytes of each number
  and short text it serialises, and ``pdfdoc.PDFName`` remembering each name (a PDF
  names ``/Type`` and ``/Font`` thousands of times); installed in ``pdfdoc`` like
  `fp_str`. A dictionary, an array (a tagged PDF's structure tree is hundreds of
  them) and a reference are written by `pdf_format` itself, with reportlab's layout and
  without its three calls per value; any other PDF object goes to reportlab's
  ``format``.
* `pdfdoc_enc`: ``pdfdoc.pdfdocEnc`` (every object header and reference goes through
  reportlab's pure-Python codec) answering ASCII text with the ASCII codec.
* `escape_pdf`: ``escapePDF`` as one ``str.translate``; used by our canvas
  (`canvas.PdfCanvas._escape`) and installed like `fp_str` (every text string of the
  document, outline and structure tree goes through it).
* `FastTTFont`: a ``TTFont`` whose ``splitString`` answers a text made only of
  characters the document's subsets already hold without the per-character loop
  (anything new, a first use or a character the font lacks, goes to reportlab's own),
  whose ``stringWidth`` adds the same widths in the same order without a generator,
  and whose ``ascent`` and ``descent`` are its face's (``getAscentDescent`` looks for
  them on the font first and reads the face after an exception, for every line).
  Used for the theme's fonts only.
* ``FastTTFont.first_subset_text``: a text's escaped codes in the font's first
  subset, for `textout.format_text`.
* `same_frag`: ``sameFrag`` (whether two fragments can share a word) comparing the
  same attributes in the same order without building two lists; installed in
  ``reportlab.platypus.paragraph`` like `fp_str`.

`ORIGINALS` names what `install` replaced, so a benchmark can run stock reportlab.
"""

from __future__ import annotations

import re
import sys
from collections import OrderedDict
from itertools import islice, repeat
from typing import Any

from reportlab import rl_config
from reportlab.lib import rl_accel
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.ttfonts import TTFont

from .memo import remember

__all__ = ["ORIGINALS", "FastTTFont", "escape_pdf", "fp_str", "install", "pdf_format",
           "pdf_name", "pdfdoc_enc", "same_frag"]

_original_fp_str = rl_accel.fp_str
_original_escape = rl_accel.escapePDF
_NUMBERS: dict[float, str] = {}
_NUMBERS_MAX = 100_000
_FAST = (float, int)


def _number(value: Any) -> str:
    """The original's string for one number (whatever it raises, raised)."""
    found: str = _original_fp_str([value])
    if type(value) in _FAST:
        remember(_NUMBERS, value, found, _NUMBERS_MAX)
    return found


def fp_str(*args: Any) -> str:
    """``fp_str(*args)``: numbers (or one sequence of them) as PDF number strings,
    space-separated; the very string reportlab's ``fp_str`` gives."""
    values: tuple[Any, ...] | list[Any] = args
    if len(args) == 1:
        value = args[0]
        kind = type(value)
        if kind is float or kind is int:
            found = _NUMBERS.get(value)
            return found if found is not None else _number(value)
        if isinstance(value, (tuple, list)):
            values = value
    get = _NUMBERS.get
    out = []
    for value in values:
        kind = type(value)
        found = get(value) if kind is float or kind is int else None
        out.append(found if found is not None else _number(value))
    return " ".join(out)


_original_same_frag = rl_accel.sameFrag
_FRAG_KEYS = ("fontName", "fontSize", "textColor", "rise", "us_lines", "link", "backColor",
              "nobr")


def same_frag(f: Any, g: Any) -> bool | int:
    """``sameFrag(f, g)``: 0 if either fragment is a line break or a drawn object, else
    whether the two agree on every attribute that shapes their text."""
    fdict, gdict = f.__dict__, g.__dict__
    if "cbDefn" in fdict or "lineBreak" in fdict or "cbDefn" in gdict or "lineBreak" in gdict:
        return 0
    fget, gget = fdict.get, gdict.get
    for key in _FRAG_KEYS:
        mine, theirs = fget(key), gget(key)
        if mine is not theirs and not mine == theirs:  # noqa: SIM201  (a list's ==)
            return False
    return True


_original_format = pdfdoc.format
_original_pdfdoc_enc = pdfdoc.pdfdocEnc
_NOT_PDFDOC = re.compile("[\x18-\x1f]").search  # ASCII that PDFDocEncoding lacks
_original_name = pdfdoc.PDFName
_SERIALISED: dict[Any, bytes] = {}
_SERIALISED_MAX = 100_000
_SHORT = 64  # characters: longer texts are rarely serialised twice
_NAMES: dict[str, str] = {}
_DICTIONARY, _ARRAY = pdfdoc.PDFDictionary, pdfdoc.PDFArray
_REFERENCE = pdfdoc.PDFObjectReference


def pdf_format(element: Any, document: Any, toplevel: int = 0) -> bytes:
    """``pdfdoc.format(element, document, toplevel)``: the bytes of ``element`` in a PDF."""
    kind = type(element)
    if kind is bytes:
        return element  # type: ignore[no-any-return]
    if kind is float or kind is int or (kind is str and len(element) <= _SHORT):
        found = _SERIALISED.get(element)
        if found is None:
            found = remember(_SERIALISED, element,
                             _original_format(element, document, toplevel), _SERIALISED_MAX)
        return found
    if kind is _REFERENCE and not rl_config.pdfComments:
        number = document.idToObjectNumberAndVersion.get(element.name)
        if number is not None:
            reference: bytes = pdfdoc_enc("%s %s R" % number)  # noqa: UP031  (as reportlab)
            return reference
    elif ((kind is _DICTIONARY or kind is _ARRAY) and not rl_config.pdfComments
          and (toplevel or not hasattr(element, "__RefOnly__"))):
        return _dictionary(element, document) if kind is _DICTIONARY else _array(
            element, document)
    result: bytes = _original_format(element, document, toplevel)
    return result


def _dictionary(element: Any, document: Any) -> bytes:
    """``PDFDictionary.format``: its entries, each key's name and value formatted."""
    entries = element.dict
    keys = list(entries.keys())
    if not isinstance(entries, OrderedDict):
        keys.sort()
    name = pdfdoc.PDFName
    lines = [pdf_format(name(key), document) + b" " + pdf_format(entries[key], document)
             for key in keys]
    return _laid_out(lines, 6, element.multiline, b"<<\n", b"\n>>")


def _array(element: Any, document: Any) -> bytes:
    """``PDFArray.format``: its items formatted."""
    items = [pdf_format(item, document) for item in element.sequence]
    return _laid_out(items, 10, element.multiline, b"[ ", b" ]")


def _laid_out(parts: list[bytes], every: int, multiline: Any, opening: bytes,
              closing: bytes) -> bytes:
    """Formatted parts laid out as reportlab does: one a line when multi-line, else a
    line break every ``every`` parts."""
    if (multiline and rl_config.pdfMultiLine) or multiline == "forced":
        return opening + b"\n ".join(parts) + closing
    for at in reversed(range(every, len(parts), every)):
        parts.insert(at, b"\n ")
    return opening + b" ".join(parts) + closing


def pdfdoc_enc(text: Any) -> Any:
    """``pdfdoc.pdfdocEnc(text)``: text in PDFDocEncoding (which is ASCII for ASCII
    text, less eight control characters it has no code for), anything else as it is."""
    if type(text) is str and text.isascii() and not _NOT_PDFDOC(text):
        return text.encode("ascii")
    return _original_pdfdoc_enc(text)


def pdf_name(data: Any, lo: str = chr(0x21), hi: str = chr(0x7e)) -> str:
    """``pdfdoc.PDFName(data, lo, hi)``: ``data`` as a PDF name (``/Type``)."""
    if type(data) is not str or lo != "\x21" or hi != "\x7e":
        return _original_name(data, lo, hi)  # type: ignore[no-any-return]
    found = _NAMES.get(data)
    if found is None:
        found = remember(_NAMES, data, _original_name(data), _SERIALISED_MAX)
    return found


_ESCAPES = str.maketrans({code: (f"\\{code:03o}" if code < 32 or code >= 127 else
                                 "\\" + chr(code))
                          for code in [*range(32), *range(127, 256), 40, 41, 92]})


def escape_pdf(text: Any) -> str:
    """``escapePDF(text)``: bytes or text as a PDF string literal's body."""
    if isinstance(text, bytes):
        return text.decode("latin-1").translate(_ESCAPES)
    if isinstance(text, str) and (text.isascii() or max(text) <= "\xff"):
        return text.translate(_ESCAPES)
    result: str = _original_escape(text)
    return result


class FastTTFont(TTFont):  # type: ignore[misc]
    """A TrueType font whose ``splitString`` skips reportlab's per-character loop when
    every character already has its code in the document (see the module)."""

    def splitString(self, text: Any, doc: Any, encoding: str = "utf-8"
                    ) -> list[tuple[int, bytes]]:
        state = self.state.get(doc) if isinstance(text, str) else None
        if state is None:
            return list(TTFont.splitString(self, text, doc, encoding))
        assignments = state.assignments
        try:
            codes = [assignments[code] for code in map(ord, text.replace("\xa0", " "))]
        except KeyError:  # a new character, or one the font lacks
            return list(TTFont.splitString(self, text, doc, encoding))
        if not codes:
            return []
        if max(codes) < 256:
            return [(0, bytes(codes))]
        results: list[tuple[int, bytes]] = []
        current, run = -1, list[int]()
        for code in codes:
            if code >> 8 != current:
                if run:
                    results.append((current, bytes(run)))
                current, run = code >> 8, []
            run.append(code & 0xFF)
        results.append((current, bytes(run)))
        return results


    def first_subset_text(self, text: str, doc: Any) -> str | None:
        """``text`` as the escaped body of a PDF string in the font's first subset, if
        every character already has a code there in ``doc``; else ``None``."""
        state = self.state.get(doc)
        if state is None:
            return None
        assignments = state.assignments
        kept = state.__dict__.get("_first_subset")
        if kept is None:
            kept = state._first_subset = [0, set(), {}]
        if kept[0] != len(assignments):  # codes given since: add those in the first subset
            chars, table = kept[1], kept[2]
            for code, glyph in islice(assignments.items(), kept[0], None):
                if glyph < 256:
                    chars.add(chr(code))
                    table[code] = chr(glyph).translate(_ESCAPES)
                    if code == 32:
                        chars.add("\xa0")
                        table[0xA0] = table[32]
            kept[0] = len(assignments)
        if not kept[1].issuperset(text):
            return None
        escaped: str = text.translate(kept[2])
        return escaped

    @property
    def ascent(self) -> Any:
        return self.face.ascent

    @property
    def descent(self) -> Any:
        return self.face.descent

    def stringWidth(self, text: Any, size: float, encoding: str = "utf8"
                    ) -> float:
        if not isinstance(text, str):
            text = text.decode(encoding or "utf8")
        face = self.face
        width: float = 0.001 * size * sum(map(face.charWidths.get, map(ord, text),
                                              repeat(face.defaultWidth)))
        return width


def _importers(name: str, original: Any) -> list[Any]:
    """The loaded reportlab modules (and ours) holding ``original`` as ``name``."""
    return [module for key, module in list(sys.modules.items())
            if module is not None and (key.startswith("reportlab.") or key.startswith(
                "readout.")) and getattr(module, name, None) is original]


ORIGINALS: list[tuple[Any, str, Any]] = []  # (module, name, the original)


def install() -> None:
    """Put `fp_str` and `escape_pdf` in every loaded reportlab module that holds the
    original, `pdf_format`, `pdf_name` and `pdfdoc_enc` in ``pdfdoc`` and `same_frag` in
    ``paragraph`` (once)."""
    import reportlab.lib.colors  # the modules a PDF uses, loaded before they are patched
    import reportlab.pdfbase.pdfdoc
    import reportlab.pdfbase.ttfonts
    import reportlab.pdfgen.canvas
    import reportlab.pdfgen.pathobject
    import reportlab.pdfgen.textobject
    import reportlab.platypus.flowables
    import reportlab.platypus.paragraph
    import reportlab.platypus.tables  # noqa: F401

    if ORIGINALS:
        return
    everywhere: list[tuple[str, Any, Any]] = [("fp_str", _original_fp_str, fp_str),
                                              ("escapePDF", _original_escape, escape_pdf)]
    for name, original, replacement in everywhere:
        for module in _importers(name, original):
            ORIGINALS.append((module, name, original))
            setattr(module, name, replacement)
    for name, original, replacement in (("format", _original_format, pdf_format),
                                        ("PDFName", _original_name, pdf_name),
                                        ("pdfdocEnc", _original_pdfdoc_enc, pdfdoc_enc),
                                        ("sameFrag", _original_same_frag, same_frag)):
        for module in _importers(name, original):
            ORIGINALS.append((module, name, original))
            setattr(module, name, replacement)


install()
