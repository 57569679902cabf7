"""The rules of a ``readout-theme/1`` file, as marshmallow schemas that build a `Theme`.

`validate_theme` takes a loaded `Source` and returns the `Theme`, or raises `ThemeError`
listing every problem at once, each located at its YAML node, with a suggestion for a
misspelt key, style or font role. A theme extends the built-in default unless it says
``extends: none``: its page, layout and style entries are merged key by key over the
default's, its font roles replace the default's. Rules that need the merged theme (a
style's parent exists, no style inherits from itself, a style's font role exists, the
margins leave room for text) run on the merged tables, located in the user's file.

Font files are TrueType files inside the theme's folder (or shipped with readout, by file
name); a reference ``.docx`` lies inside the theme's folder too.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any

from marshmallow import RAISE, Schema, fields, post_load, validates_schema
from marshmallow import ValidationError as FieldError
from marshmallow.experimental.context import Context
from marshmallow.validate import Equal, OneOf, Range

from .errors import Problem, ThemeError
from .loading import Source
from .schema import Text, problems_of
from .themes import (
    FONT_DIR,
    PAGE_SIZES_MM,
    PDF_STANDARDS,
    THEME_FORMAT,
    Alignment,
    FontChain,
    FontFamily,
    Layout,
    Letterhead,
    PageSetup,
    TextLine,
    Theme,
    Watermark,
    build_theme,
    builtin_font,
    default_theme,
)


@cache
def _instance(kind: type[Schema]) -> Schema:
    """One instance of each schema, made on first use: making one copies all its fields
    (tens of them, for every style of a theme and every readout), loading with it does
    not change it, so one serves every load."""
    return kind()


ALIGNMENTS = {"left": "left", "center": "center", "centre": "center", "right": "right",
              "justify": "justify", "justified": "justify"}
ROLE_PATTERN = r"^[a-z][a-z0-9_-]*$"
MIN_TEXT_MM = 40.0  # the narrowest text column the margins may leave


@dataclass(frozen=True)
class ThemeRules:
    """What field rules need to know: the theme's folder and the theme it extends."""

    folder: Path | None = None
    base: Theme | None = None


def _rules() -> ThemeRules:
    return Context[ThemeRules].get(default=ThemeRules())


# ---------------------------------------------------------------- fields


class Measure(fields.Float):
    """A length or size: a number from ``minimum`` up, in ``unit``."""

    def __init__(self, unit: str, *, minimum: float = 0.0, above: bool = False,
                 example: str = "6", **kwargs: Any) -> None:
        kind = "more than" if above else "or more"
        bound = f"{kind} {minimum:g}" if above else f"{minimum:g} {kind}"
        super().__init__(
            validate=Range(min=minimum, min_inclusive=not above,
                           error=f"This must be {bound} ({unit}), not {{input:g}}."),
            error_messages={"invalid": f"This is not a number; write it in {unit}, for "
                                       f"example {example}.",
                            "special": "This must be an ordinary number."},
            metadata={"description": unit}, **kwargs)
        self.unit = unit
        self.exclusive_minimum = minimum if above else None


class Flag(fields.Boolean):
    default_error_messages = {  # noqa: RUF012
        "invalid": "This must be true or false.",
    }


class Colour(fields.Field[str]):
    """A colour ``#rrggbb`` (``#rgb`` is widened); stored lower-case, checked once here
    for every writer."""

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None,
                     **kwargs: Any) -> str:
        text = value if isinstance(value, str) else ""
        if not re.fullmatch(r"#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})", text):
            raise FieldError(f"{value!r} is not a colour; write it as #rrggbb (or #rgb), "
                             "for example \"#0b2545\", in quotes.")
        if len(text) == 4:
            text = "#" + "".join(c * 2 for c in text[1:])
        return text.lower()


class AlignmentField(fields.Field[str]):
    """left, center (or centre), right, justify (or justified): stored as the first name."""

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None,
                     **kwargs: Any) -> str:
        if isinstance(value, str) and value.lower() in ALIGNMENTS:
            return ALIGNMENTS[value.lower()]
        raise FieldError(f"{value!r} is not an alignment; choose one of: left, center "
                         "(or centre), right, justify (or justified).")


class PageSize(fields.Field[str]):
    """A page size by name, in any case: A3, A4, A5, letter, legal."""

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None,
                     **kwargs: Any) -> str:
        known = {name.lower(): name for name in PAGE_SIZES_MM}
        if isinstance(value, str) and value.lower() in known:
            return known[value.lower()]
        raise FieldError(f"{value!r} is not a page size this version knows; choose one of: "
                         f"{', '.join(PAGE_SIZES_MM)}.")


def _inside(value: Any, what: str, suffixes: tuple[str, ...]) -> Path:
    """A relative path inside the theme's folder, with one of ``suffixes``."""
    if not isinstance(value, str) or not value.strip():
        raise FieldError(f"This must be the file name of {what}.")
    relative = PurePosixPath(value.replace("\\", "/"))
    if relative.is_absolute() or ".." in relative.parts or re.match(r"[A-Za-z]:", value):
        raise FieldError(f"{value!r} points outside the theme's folder; put {what} in that "
                         "folder (or below it) and give a relative path.")
    if relative.suffix.lower() not in suffixes:
        raise FieldError(f"{value!r} is not {what} (a {' or '.join(suffixes)} file).")
    folder = (_rules().folder or Path.cwd()).resolve()
    path = (folder / relative).resolve()
    if not path.is_relative_to(folder):
        raise FieldError(f"{value!r} leads outside the theme's folder (through a link); "
                         "copy the file into the folder instead.")
    return path


class FontFile(fields.Field[Path]):
    """A TrueType file in the theme's folder, else one readout ships (by file name)."""

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None,
                     **kwargs: Any) -> Path:
        if isinstance(value, Path):
            return value
        path = _inside(value, "a font file", (".ttf",))
        if not path.is_file():
            shipped = builtin_font(str(value)) if "/" not in str(value) else None
            if shipped is None:
                names = ", ".join(sorted(p.name for p in FONT_DIR.iterdir()
                                         if p.name.endswith(".ttf")))
                raise FieldError(f"The font file {value!r} does not exist in "
                                 f"{path.parent}; readout itself ships: {names}.")
            path = shipped
        _check_truetype(path, str(value))
        return path


def _check_truetype(path: Path, name: str) -> None:
    """Refuse what the PDF writer cannot embed: not TrueType, or a variable font (whose
    bold would silently come out regular)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(12 + 16 * 64)
    except OSError as exc:
        raise FieldError(f"The font file {name!r} cannot be read: {exc.strerror}.") from None
    if head[:4] == b"OTTO":
        raise FieldError(f"{name!r} is an OpenType font with PostScript (CFF) outlines; the "
                         "PDF writer embeds TrueType outlines only: use the .ttf of the "
                         "family.")
    if head[:4] not in (b"\x00\x01\x00\x00", b"true") or len(head) < 12:
        raise FieldError(f"{name!r} is not a TrueType font file.")
    count = int.from_bytes(head[4:6], "big")
    tags = {head[12 + 16 * i:16 + 16 * i] for i in range(min(count, 64))}
    if b"fvar" in tags:
        raise FieldError(f"{name!r} is a variable font; give one static file per face "
                         "(regular, bold, italic, bold_italic), e.g. instanced with "
                         "fontTools as tools/build_fonts.py does.")


class ImageFile(fields.Field[Path]):
    """A PNG or JPEG inside the theme's folder (a letterhead's logo)."""

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None,
                     **kwargs: Any) -> Path:
        if isinstance(value, Path):
            return value
        path = _inside(value, "an image", (".png", ".jpg", ".jpeg"))
        if not path.is_file():
            raise FieldError(f"The image {value!r} does not exist in {path.parent}.")
        with open(path, "rb") as handle:
            head = handle.read(8)
        if not (head.startswith(b"\x89PNG\r\n\x1a\n") or head.startswith(b"\xff\xd8\xff")):
            raise FieldError(f"{value!r} is not a PNG or JPEG image.")
        return path


class TextLineField(fields.Field[TextLine]):
    """A line of text, or ``{text, style}``; a bare line takes ``default_style``."""

    def __init__(self, default_style: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.default_style = default_style

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None,
                     **kwargs: Any) -> TextLine:
        if isinstance(value, str) and value.strip():
            return TextLine(value, self.default_style)
        if isinstance(value, dict):
            loaded: dict[str, str] = _instance(TextLineSchema).load(value)
            return TextLine(loaded["text"], loaded.get("style", self.default_style))
        raise FieldError("A line is a line of text, or a mapping with 'text' and 'style'.")


class DocxFile(fields.Field[Path]):
    """A reference .docx inside the theme's folder."""

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None,
                     **kwargs: Any) -> Path:
        if isinstance(value, Path):
            return value
        path = _inside(value, "a Word document", (".docx",))
        if not path.is_file():
            raise FieldError(f"The reference document {value!r} does not exist in "
                             f"{path.parent}.")
        return path


def _named_entries(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise FieldError(f"'{what}' must be a mapping of names to entries.")
    return value


class FontChainField(fields.Field[FontChain]):
    """One family (a mapping), or a list of families in order of preference."""

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None,
                     **kwargs: Any) -> FontChain:
        if isinstance(value, dict):
            family: FontFamily = _instance(FontFamilySchema).load(value)
            return FontChain((family,))
        if not isinstance(value, list):
            raise FieldError("A font role is one family (family, regular, bold, italic, "
                             "bold_italic) or a list of them, first choice first.")
        if not value:
            raise FieldError("This font chain names no font; list at least one family "
                             "(with its family name and regular file).")
        families: list[FontFamily] = []
        errors: dict[int, Any] = {}
        for index, item in enumerate(value):
            try:
                families.append(_instance(FontFamilySchema).load(item))
            except FieldError as exc:
                errors[index] = exc.messages
        if errors:
            raise FieldError(errors)
        return FontChain(tuple(families))


class FontTable(fields.Field[dict[str, FontChain]]):
    """Font roles (``body``, ``heading``...) to their chains."""

    value_schema: Schema

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.value_schema = FontFamilySchema()

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None,
                     **kwargs: Any) -> dict[str, FontChain]:
        entries = _named_entries(value, "fonts")
        chains: dict[str, FontChain] = {}
        errors: dict[str, Any] = {}
        for role, spec in entries.items():
            if not re.fullmatch(ROLE_PATTERN, role):
                errors[role] = [f"{role!r} is not a font role name; use lower-case letters, "
                                "digits, '-' and '_', starting with a letter."]
                continue
            try:
                chains[role] = FontChainField().deserialize(spec)
            except FieldError as exc:
                errors[role] = exc.messages
        if errors:
            raise FieldError(errors, valid_data=chains)
        return chains


class StyleTable(fields.Field[dict[str, dict[str, Any]]]):
    """Style names to their own properties (only the keys given)."""

    value_schema: Schema

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.value_schema = StyleSchema()

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None,
                     **kwargs: Any) -> dict[str, dict[str, Any]]:
        entries = _named_entries(value, "styles")
        styles: dict[str, dict[str, Any]] = {}
        errors: dict[str, Any] = {}
        for name, spec in entries.items():
            try:
                styles[name] = _instance(StyleSchema).load(spec if spec is not None else {})
            except FieldError as exc:
                errors[name] = exc.messages
        if errors:
            raise FieldError(errors, valid_data=styles)
        return styles


# ---------------------------------------------------------------- schemas


class _Strict(Schema):
    class Meta:
        unknown = RAISE


def _mm(**kwargs: Any) -> Measure:
    return Measure("millimetres", example="20", **kwargs)


def _pt(**kwargs: Any) -> Measure:
    return Measure("points", example="10.5", **kwargs)


class PageSchema(_Strict):
    size = PageSize(metadata={"description": "A3, A4, A5, letter or legal."})
    margin_top_mm = _mm()
    margin_bottom_mm = _mm()
    margin_left_mm = _mm()
    margin_right_mm = _mm()
    header_mm = _mm()
    footer_mm = _mm()


class FontFamilySchema(_Strict):
    family = Text(required=True, metadata={"description": "The family's name, as Word shows it."})
    regular = FontFile(required=True, metadata={"description": (
        "The regular face: a static TrueType file (.ttf), relative to the theme, or one readout "
        "ships.")})
    bold = FontFile(metadata={"description": "The bold face (.ttf); default: the regular."})
    italic = FontFile(metadata={"description": "The italic face (.ttf); default: the regular."})
    bold_italic = FontFile(metadata={"description": (
        "The bold italic face (.ttf); default: the bold.")})

    @post_load
    def build(self, data: dict[str, Any], **kwargs: Any) -> FontFamily:
        regular = data["regular"]
        bold = data.get("bold", regular)
        return FontFamily(family=data["family"], regular=regular, bold=bold,
                          italic=data.get("italic", regular),
                          bold_italic=data.get("bold_italic", bold))


class LayoutSchema(_Strict):
    box_padding = _pt()
    cell_padding_x = _pt()
    cell_padding_y = _pt()
    bullet_gap_mm = _mm()
    list_step_mm = _mm()
    rule_width = _pt()


class TextLineSchema(_Strict):
    text = Text(required=True, metadata={"description": (
        "The line's text; inline markup works, {page} and {pages} are the page number and count.")})
    style = Text(metadata={"description": "The style of the line."})


def _lines(default_style: str, **kwargs: Any) -> fields.List[TextLine]:
    return fields.List(TextLineField(default_style), **kwargs)


class LetterheadSchema(_Strict):
    logo = ImageFile(metadata={"description": "A PNG or JPEG, relative to the theme's folder."})
    logo_width_mm = _mm(minimum=0, above=True)
    logo_alt = Text(metadata={"description": "The logo's alternative text."})
    lines = _lines("letterhead-organisation", metadata={"description": (
        "Lines printed beside the logo instead of the issuer's names: text, or {text, style}.")})
    alignment = AlignmentField(metadata={"description": (
        "Where the letterhead sits: left, center or right.")})

    @post_load
    def build(self, data: dict[str, Any], **kwargs: Any) -> Letterhead:
        alignment = data.pop("alignment", None)
        lines = data.pop("lines", None)
        return Letterhead(**data, lines=tuple(lines) if lines is not None else None,
                          alignment=Alignment(alignment) if alignment else None)


class WatermarkSchema(_Strict):
    text = Text(required=True, metadata={"description": "The text across every page, e.g. DRAFT."})
    colour = Colour(metadata={"description": "Its colour, \"#rrggbb\"; default #a0a0a0."})
    opacity = fields.Float(validate=Range(min=0, max=1, error=(
        "The opacity is from 0 (invisible) to 1 (solid), not {input:g}.")),
        error_messages={"invalid": "This is not a number; write an opacity from 0 to 1, "
                                   "for example 0.3."}, metadata={"description": (
        "From 0 (invisible) to 1; default 0.3.")})
    angle = fields.Float(validate=Range(min=-90, max=90, error=(
        "The angle is from -90 to 90 degrees, not {input:g}.")),
        error_messages={"invalid": "This is not a number; write an angle in degrees, for "
                                   "example 45."}, metadata={"description": (
        "Degrees, from -90 to 90; default 45.")})
    font = Text(validate=lambda v: _role_name(v), metadata={"description": (
        "A font role, drawn bold; default: heading.")})
    size = _pt(minimum=0, above=True)

    @post_load
    def build(self, data: dict[str, Any], **kwargs: Any) -> Watermark:
        return Watermark(**data)


class StyleSchema(_Strict):
    parent = Text(metadata={"description": (
        "The style this one inherits what it leaves out from; default: body.")})
    font = Text(validate=lambda v: _role_name(v), metadata={"description": (
        "A font role: body, heading, or one of the theme's.")})
    size = _pt(minimum=0, above=True)
    leading = _pt(minimum=0, above=True)
    bold = Flag(metadata={"description": "true or false."})
    italic = Flag(metadata={"description": "true or false."})
    colour = Colour(metadata={"description": (
        "The text colour, \"#rrggbb\" or \"#rgb\", in quotes.")})
    background = Colour(metadata={"description": "The colour of a box around the text."})
    border_colour = Colour(metadata={"description": (
        "The colour of the box's border (drawn when border_width is above 0).")})
    border_width = _pt()
    padding = _pt()
    alignment = AlignmentField(metadata={"description": (
        "left, center (or centre), right, justify (or justified).")})
    space_before = _pt()
    space_after = _pt()
    indent_mm = _mm()
    keep_with_next = Flag(metadata={"description": (
        "true: never the last thing on a page, kept with what follows.")})
    word_style = Text(metadata={"description": (
        "The Word style this style is in a DOCX: Normal, Title, Heading 1, or a name of "
        "your own.")})


def _role_name(value: str) -> None:
    if not re.fullmatch(ROLE_PATTERN, value):
        raise FieldError(f"{value!r} is not a font role name (such as body or heading).")


class ThemeSchema(_Strict):
    noun = "a theme"

    format = Text(validate=Equal(THEME_FORMAT, error=(
        "{input!r} is not a theme format this version reads; write 'format: "
        + THEME_FORMAT + "'.")), metadata={"description": (
        "The version of this format: readout-theme/1.")})
    name = Text(metadata={"description": (
        "The theme's name, in messages; default: the file's name.")})
    extends = Text(validate=OneOf(["default", "none"], error=(
        "{input!r} cannot be extended; write 'extends: default' (the built-in theme, "
        "also what a theme without 'extends' does) or 'extends: none'.")),
        metadata={"description": (
            "default (also when left out), or none for a theme that stands alone.")})
    page = fields.Nested(PageSchema, metadata={"description": (
        "Page size, margins, and where header and footer sit.")})
    fonts = FontTable(metadata={"description": (
        "Font roles, each a family or a list of families, first choice first; body is required.")})
    layout = fields.Nested(LayoutSchema, metadata={"description": (
        "The measures between things: box and cell padding, bullet gap, list step, rule width.")})
    styles = StyleTable(metadata={"description": (
        "Named styles: each inherits what it leaves out from its parent.")})
    reference_docx = DocxFile(metadata={"description": (
        "A Word document whose styles, header and footer the DOCX uses.")})
    docx_embed_fonts = Flag(metadata={"description": (
        "true (default): the body font is embedded in every DOCX; false: named only.")})
    hyphenate = Flag(metadata={"description": (
        "true: words break at line ends by the language's dictionary (PDF and DOCX); "
        "false: never; unset: justified text only.")})
    letterhead = fields.Nested(LetterheadSchema, metadata={"description": (
        "What templates print at the top of page 1: logo, logo_width_mm, logo_alt, lines, "
        "alignment.")})
    watermark = fields.Nested(WatermarkSchema, metadata={"description": (
        "Text across every page, behind the text: text, colour, opacity, angle, font, size.")})
    header = _lines("header", metadata={"description": (
        "Lines added below the template's header on every page: text, or {text, style}.")})
    footer = _lines("footer", metadata={"description": (
        "Lines added below the template's footer on every page: text, or {text, style}.")})
    pdf_standard = Text(validate=OneOf(PDF_STANDARDS, error=(
        "{input!r} is not a PDF standard readout writes; choose one of: "
        + ", ".join(PDF_STANDARDS) + " (every PDF is tagged for PDF/UA-1; a-2b is also "
        "PDF/A-2b, for archiving).")), metadata={"description": (
            "ua-1 (default): every PDF tagged for PDF/UA-1; a-2b: PDF/A-2b as well.")})

    @validates_schema(skip_on_field_errors=False, pass_original=True)
    def merged_rules(self, data: dict[str, Any], original: Any, **kwargs: Any) -> None:
        """Rules over the merged theme. Names and parents are read from the file as
        written, so a style whose other properties are wrong is still checked."""
        base = _rules().base
        errors: dict[str, Any] = {}
        page = _merged_page(base, data)
        if page.margin_left_mm + page.margin_right_mm > page.width_mm - MIN_TEXT_MM:
            errors["page"] = {"margin_left_mm": [
                f"The left and right margins ({page.margin_left_mm:g} + "
                f"{page.margin_right_mm:g} mm) leave less than {MIN_TEXT_MM:g} mm for text "
                f"on a {page.size} page ({page.width_mm:g} mm wide); make them smaller."]}
        elif page.margin_top_mm + page.margin_bottom_mm > page.height_mm - MIN_TEXT_MM:
            errors["page"] = {"margin_top_mm": [
                f"The top and bottom margins ({page.margin_top_mm:g} + "
                f"{page.margin_bottom_mm:g} mm) leave less than {MIN_TEXT_MM:g} mm for text "
                f"on a {page.size} page ({page.height_mm:g} mm high); make them smaller."]}
        roles = set(base.fonts if base else ()) | set(_mapping(original, "fonts"))
        if "body" not in roles:
            errors["fonts"] = ["A theme needs a 'body' font; add 'fonts: body: {family: ..., "
                               "regular: ...}' (or leave out 'extends: none')."]
        written = {name: entry if isinstance(entry, dict) else {}
                   for name, entry in _mapping(original, "styles").items()}
        styles = _merged_styles(base, {"styles": written})
        style_errors: dict[str, Any] = {
            name: found for name in written
            if (found := _style_problems(name, styles, roles | {"heading"}))}
        if "body" not in styles:
            style_errors["_schema"] = ["A theme needs a 'body' style; add one under 'styles'."]
        if style_errors:
            errors["styles"] = style_errors
        errors.update(_named_styles_exist(original, styles, roles | {"heading"}))
        if errors:
            raise FieldError(errors)


def _named_styles_exist(original: Any, styles: dict[str, Any],
                        roles: set[str]) -> dict[str, Any]:
    """Problems with the styles the letterhead, header and footer lines name, and the
    font role the watermark names."""
    found: dict[str, Any] = {}
    places = [("header", _listing(original, "header")), ("footer", _listing(original, "footer")),
              ("letterhead", _listing(_mapping(original, "letterhead"), "lines"))]
    for key, lines in places:
        for index, line in enumerate(lines):
            style = line.get("style") if isinstance(line, dict) else None
            if isinstance(style, str) and style not in styles:
                message = [f"The style {style!r} does not exist{_suggest(style, styles)}"]
                entry = {index: {"style": message}}
                if key == "letterhead":
                    found.setdefault(key, {}).setdefault("lines", {}).update(entry)
                else:
                    found.setdefault(key, {}).update(entry)
    role = _mapping(original, "watermark").get("font")
    if isinstance(role, str) and role not in roles:
        found["watermark"] = {"font": [f"The font role {role!r} is not defined under "
                                       f"'fonts'{_suggest(role, roles)}"]}
    return found


def _listing(data: Any, key: str) -> list[Any]:
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, list) else []


def _mapping(data: Any, key: str) -> dict[str, Any]:
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, dict) else {}


def _style_problems(name: str, styles: dict[str, dict[str, Any]],
                    roles: set[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    entry = styles[name]
    parent = entry.get("parent")
    if not isinstance(parent, str | None):
        parent = None
    if parent is not None and parent not in styles:
        found["parent"] = [f"The parent style {parent!r} does not exist{_suggest(parent, styles)}"]
    elif parent is not None:
        path = [name]
        current: str | None = parent
        while current is not None and current not in path:
            path.append(current)
            up = styles.get(current, {}).get("parent", "body" if current != "body" else None)
            current = up if isinstance(up, str) else None
        if current == name:
            loop = " -> ".join([*path, name])
            found["parent"] = [f"The style {name!r} inherits from itself ({loop}); give one "
                               "of them another parent."]
    role = entry.get("font")
    if isinstance(role, str) and role not in roles:
        found["font"] = [f"The font role {role!r} is not defined under 'fonts'"
                         f"{_suggest(role, roles)}"]
    return found


def _suggest(value: str, choices: Any) -> str:
    guess = difflib.get_close_matches(value, sorted(choices), n=1, cutoff=0.6)
    if guess:
        return f"; did you mean {guess[0]!r}?"
    return f"; choose one of: {', '.join(sorted(choices))}."


def _merged_page(base: Theme | None, data: dict[str, Any]) -> PageSetup:
    return replace(base.page if base else PageSetup(), **data.get("page", {}))


def _merged_styles(base: Theme | None, data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    styles = {name: dict(entry) for name, entry in (base.declared if base else {}).items()}
    for name, entry in data.get("styles", {}).items():
        styles[name] = {**styles.get(name, {}), **entry}
    return styles


# ---------------------------------------------------------------- entry point


def validate_theme(source: Source, *, builtin: bool = False) -> Theme:
    """The `Theme` that ``source`` describes, or a `ThemeError` with every problem."""
    data = source.data
    if not isinstance(data, dict):
        line, column = source.positions.locate(())
        raise ThemeError([Problem(source.name, line, column, "",
                                  "A theme must be a mapping of keys and values, starting "
                                  f"with 'format: {THEME_FORMAT}'.")])
    extends = data.get("extends", "none" if builtin else "default")
    base = None if extends == "none" or builtin else default_theme()
    rules = ThemeRules(folder=source.folder, base=base)
    with Context(rules):
        try:
            loaded: dict[str, Any] = _instance(ThemeSchema).load(data)
        except FieldError as exc:
            raise ThemeError(list(problems_of(exc.messages, source, ThemeSchema))) from None
    return _build(loaded, base, source)


def _build(data: dict[str, Any], base: Theme | None, source: Source) -> Theme:
    fonts = {**(base.fonts if base else {}), **data.get("fonts", {})}
    layout = replace(base.layout if base else Layout(), **data.get("layout", {}))
    reference = data.get("reference_docx", base.reference_docx if base else None)
    embed = data.get("docx_embed_fonts", base.docx_embed_fonts if base else True)
    standard = data.get("pdf_standard", base.pdf_standard if base else PDF_STANDARDS[0])
    own_files = [Path(source.name)] if source.folder is not None else []
    font_files = [path for chain in data.get("fonts", {}).values()
                  for family in chain.families
                  for path in (family.regular, family.bold, family.italic, family.bold_italic)]
    files = [*(base.files if base else ()), *own_files, *font_files]
    if "reference_docx" in data:
        files.append(data["reference_docx"])
    name = data.get("name") or Path(source.name).stem
    letterhead = data.get("letterhead", base.letterhead if base else Letterhead())
    if letterhead.logo is not None:
        files.append(letterhead.logo)
    return build_theme(name=name, page=_merged_page(base, data), fonts=fonts,
                       declared=_merged_styles(base, data), layout=layout, source=source.name,
                       reference_docx=reference, docx_embed_fonts=embed,
                       files=tuple(dict.fromkeys(files)), letterhead=letterhead,
                       watermark=data.get("watermark", base.watermark if base else None),
                       header=tuple(data.get("header", base.header if base else ())),
                       footer=tuple(data.get("footer", base.footer if base else ())),
                       pdf_standard=standard,
                       hyphenate=data.get("hyphenate", base.hyphenate if base else None))


__all__ = ["ThemeSchema", "validate_theme"]
