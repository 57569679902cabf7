"""PDF writer: what reportlab measures again and again, measured once.

* `MemoParagraph`: a paragraph that remembers its line breaks for each width it was
  wrapped at. A heading kept with the next block is wrapped once for its group and
  again by the frame; a table measures its cells at every split attempt, a long table
  at every page. Only wrapping is remembered (a split part is a new paragraph), and
  what is remembered is what `Paragraph.wrap` computed, so the bytes are unchanged.
* `MemoParagraph` also reads its markup with `paraparse.parse` (reportlab's own
  fragments, without html.parser's tokenizer), and breaks a paragraph of one style
  with no hyphenation, soft hyphens or over-long words (most of a document's) by the
  loop reportlab runs for it, without the branches that never apply there; a paragraph
  of several styles that hyphenates nothing likewise (`richlines.rich_lines`); anything
  else goes to reportlab's ``breakLines``.
* `string_width`: the width of a word in a font at a size, kept per process (a
  series' documents share most of their words). reportlab's paragraphs call it for
  every word of every line break; it is installed once, in place of the module's
  ``stringWidth``, and returns exactly what that returns.
* `keep_subsets`: a font's subsets (the 256 glyphs each PDF font object holds) cut
  and compressed once a process: a series' documents use the same letters, first
  met in the same order (the boilerplate comes first), so mostly the same subsets.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from typing import Any

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph
from reportlab.platypus import paragraph as rl_paragraph
from reportlab.platypus.paraparser import ParaFrag

from . import paraparse
from .memo import remember
from .richlines import clone_frag, rich_lines

_WIDTHS: dict[tuple[str, str, float], float] = {}
_WIDTHS_MAX = 200_000


def string_width(text: Any, font_name: str, font_size: float, encoding: Any = None) -> float:
    """``stringWidth(text, font_name, font_size, encoding)``, remembered for text (not
    bytes). The encoding only decodes bytes, so text has one width whatever it says (the
    line breaker passes the paragraph's)."""
    if not isinstance(text, str):
        return float(stringWidth(text, font_name, font_size, encoding or "utf8"))
    key = (text, font_name, font_size)
    found = _WIDTHS.get(key)
    if found is None:
        found = remember(_WIDTHS, key, stringWidth(text, font_name, font_size), _WIDTHS_MAX)
    return found


class MemoParagraph(Paragraph):  # type: ignore[misc]
    """A paragraph that remembers its line breaks for each width (see the module)."""

    blPara: Any
    _wrapWidths: list[float]
    caseSensitive: int
    at_spaces: Any = None
    """The last lines broken here (not by reportlab) for a whole paragraph (not a part
    of a split one): broken at spaces only, never inside a word, so every line but the
    last ends at one (`tagging.line_spaces`)."""

    def _setup(self, text: Any, style: Any, bullet_text: Any, frags: Any,
               cleaner: Callable[[str], str]) -> None:
        if frags is None and isinstance(text, str):
            cleaned = cleaner(text)
            parsed = paraparse.parse(cleaned, style, self.caseSensitive)
            if parsed is not None and parsed[1] is not None:
                style, frags, bullet_frags = parsed
                rl_paragraph.textTransformFrags(frags, style)
                super()._setup(cleaned, style, bullet_frags or bullet_text, frags, cleaner)
                return
        super()._setup(text, style, bullet_text, frags, cleaner)

    @classmethod
    def of_fragments(cls, text: str, frags: list[Any], style: Any, bullet_text: Any
                     ) -> Any:
        """The paragraph that markup parsed into ``frags`` makes (``text``: its text)."""
        rl_paragraph.textTransformFrags(frags, style)
        return cls(text, style, bulletText=bullet_text, frags=frags)

    def breakLines(self, width: Any) -> Any:
        lines = self._plain_lines(width)
        if lines is None:
            lines = rich_lines(self, width)
            if lines is None:
                return super().breakLines(width)
        if not getattr(self, "_splitpara", 0):
            self.at_spaces = lines
        return lines

    def _plain_lines(self, width: Any) -> Any:
        """What ``Paragraph.breakLines(width)`` returns for a paragraph of one plain
        fragment, or ``None`` (nothing changed) for any other paragraph."""
        style, frags = self.style, self.frags
        if (len(frags) != 1 or style.wordWrap or style.shaping or style.endDots
                or getattr(style, "hyphenationLang", "") or style.uriWasteReduce
                or style.embeddedHyphenation):
            return None
        frag = frags[0]
        if (not hasattr(frag, "text") or hasattr(frag, "cbDefn")
                or hasattr(frag, "backColor")
                or (type(frag) is not ParaFrag and rl_paragraph._processed_frags(frags))):
            return None
        text = rl_paragraph.strip(frag.text)
        if not text or rl_paragraph._shy in text:
            return None
        widths: Any = [width] if not isinstance(width, (tuple, list)) else width
        first = widths[0]
        last = len(widths) - 1
        self._width_max = 0
        self.height = line_no = 0
        self._splitLongWordCount = self._hyphenations = 0
        rl_paragraph._handleBulletWidth(self.bulletText, style, widths)
        max_width = widths[0]
        font_name, font_size = frag.fontName, frag.fontSize
        ascent, descent = rl_paragraph.getAscentDescent(font_name, font_size)
        measure, encoding = rl_paragraph.stringWidth, self.encoding
        space = measure(" ", font_name, font_size, encoding)
        shrink = style.spaceShrinkage * space
        split_long = style.splitLongWords
        lines: list[tuple[float, list[str]]] = []
        line: list[str] = []
        current = -space
        known = _WIDTHS.get if measure is string_width else None
        for word in rl_paragraph.split(text):
            word_width = known((word, font_name, font_size)) if known else None
            if word_width is None:
                word_width = measure(word, font_name, font_size, encoding)
            new = current + space + word_width
            limit = max_width + shrink * len(line)
            if new > limit and split_long:
                at = min(line_no, last)
                if word_width > max(widths[at:at + 1]):  # reportlab splits the word
                    widths[0] = first
                    return None
            if new <= limit or not line:
                if word:
                    line.append(word)
                current = new
            else:
                if current > self._width_max:
                    self._width_max = current
                lines.append((max_width - current, line))
                line = [word]
                current = word_width
                line_no += 1
                max_width = widths[min(last, line_no)]
        if line:
            if current > self._width_max:
                self._width_max = current
            lines.append((max_width - current, line))
        return clone_frag(frag, kind=0, lines=lines, ascent=ascent, descent=descent,
                          fontSize=font_size)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        memo = self.__dict__.setdefault("_wraps", {})
        found = memo.get(avail_width)
        if found is None:
            size = super().wrap(avail_width, avail_height)
            if "blPara" in self.__dict__:  # not the "cannot fit here" answer
                memo[avail_width] = (size, self.blPara, list(self._wrapWidths))
            return tuple(size)
        size, lines, widths = found
        self.blPara, self._wrapWidths = lines, list(widths)
        self.width, self.height = size
        return tuple(size)


class _KeptFlate:
    """reportlab's Flate filter (``zlib.compress`` at its default level), remembering
    what it compressed: the same bytes in, the same bytes out."""

    pdfname = "FlateDecode"

    def __init__(self) -> None:
        self.kept: dict[bytes, bytes] = {}

    def encode(self, content: bytes) -> bytes:
        found = self.kept.get(content)
        if found is None:
            found = remember(self.kept, content, zlib.compress(content), _SUBSETS_MAX)
        return found

    def decode(self, encoded: bytes) -> bytes:
        return zlib.decompress(encoded)


_SUBSETS_MAX = 128
_KEPT_FLATE = _KeptFlate()


def keep_subsets(font: Any) -> None:
    """Make ``font`` (a reportlab `TTFont`) cut each subset once and compress it once."""
    face = font.face
    cut: Callable[[list[int]], bytes] = face.makeSubset
    add: Callable[[Any, str, list[int]], Any] = face.addSubsetObjects
    subsets: dict[tuple[int, ...], bytes] = {}

    def make_subset(subset: list[int]) -> bytes:
        key = tuple(subset)
        found = subsets.get(key)
        if found is None:
            found = remember(subsets, key, cut(subset), _SUBSETS_MAX)
        return found

    def add_subset_objects(doc: Any, fontname: str, subset: list[int]) -> Any:
        descriptor = add(doc, fontname, subset)
        stream = doc.idToObject[f"fontFile:{face.filename}({fontname})"]
        if stream.filters:
            stream.filters = [_KEPT_FLATE]
        return descriptor

    face.makeSubset = make_subset
    face.addSubsetObjects = add_subset_objects


def install() -> None:
    """Put `string_width` in reportlab's paragraph module (once; idempotent)."""
    rl_paragraph.stringWidth = string_width


install()

__all__ = ["MemoParagraph", "install", "keep_subsets", "string_width"]
