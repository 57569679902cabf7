"""PDF writer, part 1: fonts, colours and the few flowables reportlab lacks.

* fonts: a theme's TrueType families, registered once per process (subset-embedded);
* `Indented`: any flowable shifted right (works in frames and in table cells alike);
* `BodyFrame`: the body's frame, copied cheaply (a kept-together group copies the
  frame every time it is measured);
* `Gap`: spacing with no height, so a frame drops it at the top of a page;
* `OutlineHeading`: a paragraph that bookmarks itself and enters the PDF outline when drawn;
* `Deferred` + `Forms`: a paragraph that needs the page count is drawn as a form XObject
  whose content is written once the build knows how many pages there are (one pass).
"""

from __future__ import annotations

import copy
import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.utils import TimeStamp
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, Frame, KeepTogether
from reportlab.platypus import Table as RLTable
from reportlab.platypus.flowables import _listWrapOn

from ...errors import TemplateError
from ...themes import FontFamily
from . import shaping  # noqa: F401  (puts the shaping and ToUnicode writers in place)
from .accel import FastTTFont
from .font_cache import load_font
from .measure import MemoParagraph, keep_subsets

_LOCK = threading.Lock()
_FAMILIES: dict[tuple[str, str, str, str], tuple[str, str, str, str]] = {}


def font_faces(family: FontFamily) -> tuple[str, str, str, str]:
    """Names of the (regular, bold, italic, bold italic) faces, registered on first use."""
    paths = (str(family.regular), str(family.bold), str(family.italic), str(family.bold_italic))
    faces = _FAMILIES.get(paths)
    if faces is not None:
        return faces
    with _LOCK:
        faces = _FAMILIES.get(paths)
        if faces is None:
            faces = tuple(_register(path) for path in paths)  # type: ignore[assignment]
            assert faces is not None
            pdfmetrics.registerFontFamily(faces[0], normal=faces[0], bold=faces[1],
                                          italic=faces[2], boldItalic=faces[3])
            _FAMILIES[paths] = faces
    return faces


def _register(path: str) -> str:
    # The name is internal (the PDF shows the font's own PostScript name): a digest of
    # the path keeps two themes' same-named files apart.
    name = f"rd-{Path(path).stem}-{hashlib.sha1(path.encode()).hexdigest()[:8]}"
    # Not getFont(name): a name it does not know makes it parse all 18 standard AFM
    # files first, looking for a Type 1 font of that name (30 ms a miss).
    if name not in pdfmetrics.getRegisteredFontNames():
        try:
            font = load_font(name, path, FastTTFont)  # parsed once across processes
            keep_subsets(font)
            pdfmetrics.registerFont(font)
        except Exception as exc:  # reportlab raises bare TTFError, IOError, ...
            raise TemplateError.single(
                path, f"The font cannot be used: {exc}") from None
    return name


def colour(value: str) -> Any:
    """A reportlab colour from a theme colour (``#rrggbb``, checked when the theme loaded)."""
    return colors.HexColor(value)


def timestamp(created: Any) -> Any:
    """A reportlab TimeStamp for ``created`` (a datetime), for /CreationDate and /ModDate."""
    stamp = TimeStamp(invariant=True)
    stamp.YMDhms = tuple(created.timetuple())[:6]
    offset = created.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    stamp.dhh, stamp.dmm = int(minutes / 60), abs(minutes) % 60
    return stamp


class Indented(Flowable):  # type: ignore[misc]
    """``inner`` moved ``left`` points to the right; splits as ``inner`` splits."""

    def __init__(self, inner: Any, left: float) -> None:
        super().__init__()
        self.inner = inner
        self.left = left

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        width, height = self.inner.wrap(avail_width - self.left, avail_height)
        self.width, self.height = width + self.left, height
        return self.width, self.height

    def draw(self) -> None:
        self.inner.drawOn(self.canv, self.left, 0)

    def split(self, avail_width: float, avail_height: float) -> list[Any]:
        parts = self.inner.split(avail_width - self.left, avail_height)
        return [Indented(part, self.left) for part in parts]

    def getSpaceBefore(self) -> float:
        return float(self.inner.getSpaceBefore())

    def getSpaceAfter(self) -> float:
        return float(self.inner.getSpaceAfter())

    def getKeepWithNext(self) -> bool:
        if "keepWithNext" in self.__dict__:  # cleared by the doc template once grouped
            return bool(self.__dict__["keepWithNext"])
        return bool(self.inner.getKeepWithNext())


class KeepWithStart(KeepTogether):  # type: ignore[misc]
    """What ``keepWithNext`` groups (a heading and the block after it): the heading
    stays with the *start* of that block, not with all of it. When the group does not
    fit, it stays where it is if its last block can split there with at least two
    lines, or two rows under a repeated header, after the rest; otherwise it moves on
    as a whole, like reportlab's `KeepTogether` (which would push a long table whole
    to the next page and leave the page before it half empty)."""

    def split(self, avail_width: float, avail_height: float) -> list[Any]:
        if getattr(self, "_wrapInfo", None) != (avail_width, avail_height):
            self.wrap(avail_width, avail_height)
        content = self._content
        if avail_height < self._H and len(content) > 1:
            lead, last = content[:-1], content[-1]
            _, used = _listWrapOn(lead, avail_width, self.canv)
            gap = max(lead[-1].getSpaceAfter(), last.getSpaceBefore())
            room = avail_height - used - gap - 1.0  # a point to spare for rounding
            if room > 0:
                parts = last.split(avail_width, room)
                if len(parts) > 1 and _enough(parts[0]):
                    return list(content)
        return list(super().split(avail_width, avail_height))


def _enough(part: Any) -> bool:
    """Whether the first part of a split block is worth leaving under a heading."""
    inner = part.inner if isinstance(part, Indented) else part
    if isinstance(inner, RLTable):
        repeat = inner.repeatRows
        repeat = len(repeat) if isinstance(repeat, (list, tuple)) else int(repeat or 0)
        return len(inner._cellvalues) - repeat >= 2
    return True


_IMMUTABLE = (int, float, str, bool, type(None))


class BodyFrame(Frame):  # type: ignore[misc]
    """A frame whose deep copy is what ``copy.deepcopy`` makes of a frame (numbers and
    names shared, since they cannot change; lists copied deeply) without walking every
    number: reportlab deep-copies the frame each time it measures a kept-together group."""

    def __deepcopy__(self, memo: dict[int, Any]) -> BodyFrame:
        twin = copy.copy(self)
        for key, value in self.__dict__.items():
            if not isinstance(value, _IMMUTABLE):
                twin.__dict__[key] = copy.deepcopy(value, memo)
        return twin


class Gap(Flowable):  # type: ignore[misc]
    """No height, only space before/after (dropped at the top of a frame)."""

    def __init__(self, before: float = 0.0, after: float = 0.0) -> None:
        super().__init__()
        self.spaceBefore, self.spaceAfter = before, after
        self.width = self.height = 0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        pass


@dataclass
class Outline:
    """The outline built while drawing: levels kept valid, keys in drawing order."""

    level: int = -1
    count: int = 0

    def enter(self, canv: Any, title: str, level: int, top: float) -> None:
        level = max(0, min(level, self.level + 1))
        self.level = level
        self.count += 1
        key = f"h{self.count}"
        canv.bookmarkHorizontal(key, 0, top)
        canv.addOutlineEntry(title, key, level=level, closed=False)
        if self.count == 1:
            canv.showOutline()


class OutlineHeading(MemoParagraph):
    """A heading paragraph that enters ``outline`` when (its first part is) drawn."""

    entry: tuple[Outline, str, int] | None = None

    def draw(self) -> None:
        if self.entry is not None:
            outline, title, level = self.entry
            outline.enter(self.canv, title, level, self.height)
        super().draw()

    def split(self, avail_width: float, avail_height: float) -> list[Any]:
        parts: list[Any] = super().split(avail_width, avail_height)
        if parts:
            parts[0].entry = self.entry
        return parts


Maker = Callable[[str, str], Any]


@dataclass
class _Pending:
    name: str
    page: int
    make: Maker
    width: float
    height: float


@dataclass
class Forms:
    """Form XObjects drawn now and defined at the end, once the page count is known."""

    pending: list[_Pending] = field(default_factory=list)

    def use(self, canv: Any, make: Maker, width: float, height: float) -> None:
        name = f"rdDeferred{len(self.pending) + 1}"
        self.pending.append(_Pending(name, canv.getPageNumber(), make, width, height))
        canv.doForm(name)

    def define(self, canv: Any, pages: int) -> None:
        for item in self.pending:
            canv.beginForm(item.name, -36, -36, item.width + 36, item.height + 36)
            flowable = item.make(str(item.page), str(pages))
            flowable.wrapOn(canv, item.width, item.height + 1000)
            flowable.drawOn(canv, 0, item.height - flowable.height)
            canv.endForm()


class Deferred(Flowable):  # type: ignore[misc]
    """A flowable built from (page number, page count) strings, drawn through `Forms`.

    Layout uses placeholder digits; the form is filled in with the real numbers at the
    end of the build. Links cannot live in a form, so ``make`` must not emit any.
    """

    def __init__(self, make: Maker, forms: Forms) -> None:
        super().__init__()
        self.make = make
        self.forms = forms
        self.sample = make("88", "88")

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        _, height = self.sample.wrap(avail_width, avail_height)
        self.width, self.height = avail_width, height
        return self.width, self.height

    def draw(self) -> None:
        self.forms.use(self.canv, self.make, self.width, self.height)

    def getSpaceBefore(self) -> float:
        return float(self.sample.getSpaceBefore())

    def getSpaceAfter(self) -> float:
        return float(self.sample.getSpaceAfter())

    def getKeepWithNext(self) -> bool:
        return bool(self.sample.getKeepWithNext())
