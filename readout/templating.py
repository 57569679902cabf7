"""Templates: a readout in, a `tree.Document` out, through Jinja2 and a small XML.

Phases of `build_document`:

1. find the template ``NAME/document.xml.j2`` in the user's folders, then the built-in
   ``templates/`` (a `ChoiceLoader`: a user folder overrides a built-in template);
2. read its ``template.yaml`` (``audience: public | internal``, ``subject``, ``limits``
   on the length of the title and summary, which `length_warnings` checks); a template
   without one is *public*, the safe default;
3. for a public template, cut the readout down to its public view (`public_view`): the
   face, the public portions, no ``brief``; a face that is not at the public level, or
   no public key point, refuses the document. The template never sees anything else,
   so no template, built-in or user's, can leak what it was not given. An internal
   template gets the whole readout, its document marking (never the public level) and
   the portion-mark helpers of the scheme's style (`Marks`);
4. render in a sandboxed, autoescaping, strict Jinja2 environment (compiled once per
   process). User text is data: it reaches the template only as values of the model and
   is escaped; the ``inline`` filter turns its markup (SPEC section 3) into
   ``<b>/<i>/<a>`` elements, escaping the text;
5. `template_reader.read` the XML into the tree, with the metadata made here.

Filters templates may use: ``inline`` (user text as inline markup), ``plain`` (its
plain text; both print straight quotes and apostrophes as the language's marks, see
`typography`), ``paragraphs`` (a body split on blank lines), ``blocks`` (a body's
paragraphs and its "- " lists), ``quoted`` (curly quotes unless the text already starts
with a quotation mark), ``quote_paragraphs`` (a quote's paragraphs in their marks),
``prose_quote`` (the same, its last ending ``,”`` before "said X."), ``longdate`` ("26
June 2025"), ``shortdate`` ("26 Jun 2025"), ``fulldate`` ("Thursday, 26 June 2025"),
``daterange(last)`` ("26-27 June 2025"), ``shortrange(end)`` ("24–27 Jun 2025", one
date when the end is none or the same day; ``year=false`` leaves the year out),
``daymonth`` ("26 Jun"), ``nobreak`` (text that must stay on one line, such as a
marking: its hyphens become non-breaking hyphens U+2011 and its spaces no-break
spaces), ``pibdate`` ("26 JUN 2025"), ``usdate`` ("June 26, 2025"), ``clock``
("15:15"), ``clock12`` ("3:15PM"), ``zone`` ("IST" for UTC+05:30, "UTC" for UTC, else
"UTC+02:00"), ``and_list`` ("A, B and C"),
``grouped(attribute)`` (groups in order of first appearance), ``mailto`` (an address as
a live link); the test ``timed`` tells a datetime from a date alone. Render context:
``readout``, ``release`` (the ``released`` datetime, or ``None`` when there is none or
it is a date alone), ``release_date``, ``logo`` (the image key of the issuer's logo, or
``None``), ``letterheads`` ((issuer, logo key) for every issuer), ``photos`` ((image
key, photo) for every photo), ``dateline(default)`` (the city that opens the lead, by
the readout's ``dateline`` or the template's default, or ``None``),
``participant(name)`` (the participant called ``name``, or ``None``), ``audience``,
``marking`` (the document's marking, for banners), ``mark(portion)``,
``mark_each(portion)`` and ``mark_block(portion, lead)`` (portion marks, see `Marks`;
empty in a public document).
No path reaches a template: each becomes its bare file name (`inert`); images are keys.
"""

from __future__ import annotations

import dataclasses
import difflib
import enum
import os
import re
import traceback
import types
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, TypeVar

import jinja2
import jinja2.nodes
import jinja2.runtime
import yaml
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

from . import tree
from .classification import ClassificationScheme
from .errors import NothingPublicError, Problem, ReadoutError, RenderError, TemplateError
from .loading import safe_load
from .localise import PLACEHOLDER as _PLACEHOLDER
from .localise import (
    format_day,
    format_days,
    format_short_days,
    lookup,
    primary,
    translate,
    zone_name,
)
from .markup import body_blocks, paragraphs, parse_inline
from .model import Brief, ContextEntry, KeyPoint, Outcome, Participant, Readout
from .safe_text import is_safe_target, printable
from .template_cache import template_cache
from .template_folders import (
    DOCUMENT_FILE,
    SPEC_FILE,
    TEMPLATES_VARIABLE,
    available_templates,
    builtin_dir,
    template_files,
    user_template_dirs,
)
from .template_folders import dir_key as _dir_key
from .template_folders import is_template_name as _is_template_name
from .template_reader import StyleNames, read
from .template_release import release
from .template_source import render_mapped
from .themes import TextLine, Theme, default_theme
from .typography import quote_marks, typeset

__all__ = [
    "DOCUMENT_FILE",
    "SPEC_FILE",
    "TEMPLATES_VARIABLE",
    "Marks",
    "available_templates",
    "build_document",
    "build_from_context",
    "builtin_dir",
    "describe_template",
    "inert",
    "inline_xml",
    "length_warnings",
    "public_view",
    "readout_templates",
    "template_files",
    "template_messages",
    "unknown_template",
    "user_template_dirs",
]

EMBLEM_MESSAGE = "Emblem of {name}"  # the logo's alternative text
# The messages this module prints itself, besides those of the templates' _() calls.
CODE_MESSAGES = (EMBLEM_MESSAGE,)
# English names for the house styles whose format is English whatever the language
# (PIB's "26 JUN 2025", the US "June 26, 2025"); every other date goes through Babel.
_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")
_EN_DASH = "\u2013"
_OPENING_QUOTES = "\"'\u201c\u2018\u201e\u00ab\u2039\u300c\u300e"  # opening marks

Audience = Literal["public", "internal"]
_T = TypeVar("_T")
LIMITED_FIELDS = ("title", "summary")


@dataclasses.dataclass(frozen=True, slots=True)
class TemplateSpec:
    """What a template's ``template.yaml`` says; every key is optional."""

    audience: Audience = "public"
    subject: str = ""
    description: str = ""
    renders: str = "readout"  # what it is given: a 'readout', or a 'series' (a digest)
    limits: Mapping[str, int] = dataclasses.field(default_factory=dict)  # field -> length


# -- public functions -------------------------------------------------------------------------


def build_document(readout: Readout, template: str, *,
                   template_dirs: Sequence[str | Path] = (),
                   theme: Theme | None = None) -> tree.Document:
    """The document ``template`` makes of ``readout``, for ``theme`` (default: the
    built-in theme), whose style names are the only ones the template may use.

    Raises `TemplateError` for an unknown or broken template (with its file and line)
    and `NothingPublicError` when a public template is asked of a readout whose face
    is not at the public level or that has no public key point.
    ``SOURCE_DATE_EPOCH``, when set, fixes ``metadata.created``.
    """
    look = theme or default_theme()
    compiled, context, images, metadata = _readout_context(readout, template, template_dirs,
                                                           look)
    return _render(compiled, template, context, images, metadata, look)


def render_xml(readout: Readout, template: str, *,
               template_dirs: Sequence[str | Path] = (), theme: Theme | None = None) -> str:
    """The markup ``template`` renders for ``readout``, before it is read (for a
    template author: ``readout render --dump-xml``)."""
    compiled, context, _, _ = _readout_context(readout, template, template_dirs,
                                               theme or default_theme())
    name = compiled.filename or compiled.name or template
    try:
        return compiled.render({key: inert(value) for key, value in context.items()})
    except ReadoutError:
        raise
    except Exception as exc:
        raise _located(exc, name) from None


def _readout_context(readout: Readout, template: str, template_dirs: Sequence[str | Path],
                     theme: Theme) -> tuple[jinja2.Template, dict[str, Any],
                                            dict[str, bytes], tree.Metadata]:
    """The compiled template and what it is given for ``readout``."""
    dirs = _dir_key(template_dirs)
    compiled, spec = _template(dirs, template)
    if spec.renders != "readout":
        raise TemplateError.single(compiled.filename or template,
                                   f"The template {template!r} renders a whole series, not "
                                   "one readout; use it through 'readout batch'.")
    internal = spec.audience == "internal"
    shown = readout if internal else public_view(readout)
    images = _Images(shown)
    view = inert(shown)
    marking = readout.internal_marking if internal else ""
    marks = Marks(readout.scheme, _portion_marking(view, marking), enabled=internal)
    context = {
        "readout": view,
        "audience": spec.audience,
        "release": view.released if isinstance(view.released, datetime) else None,
        "release_date": _day(view.released) if view.released else view.meeting.date,
        "logo": images.logos[0],
        "letterheads": list(zip(view.issuers, images.logos, strict=True)),
        "photos": list(zip(images.photos, view.photos, strict=True)),
        "participant": _participant_finder(view.participants),
        "dateline": _dateline_finder(view),
        "marking": marking or readout.scheme.public,
        "mark": marks.mark,
        "mark_each": marks.mark_each,
        "mark_block": marks.mark_block,
        "language": view.language,
        "_": translator(view.language, dirs),
        "letterhead": _letterhead(view, theme, images.data, dirs),
    }
    return compiled, context, images.data, _metadata(view, spec, marking)


class Marks:
    """The portion marks of one internal document, placed as its scheme's style says.

    ``mark(portion)`` opens a portion: it goes before the portion's heading, or before
    its first block where it has none (a participant's row, an outcome's item), in
    every style. ``mark_each(portion)`` goes before every further paragraph, bullet,
    table row and quote of a portion, and prints only where the style marks every
    paragraph (``us``). A portion is a model portion, the readout (its face), a
    marking itself (``marking``, for the brief's own fields), or a list of portions
    (the highest of their markings). In a public document both print nothing.
    """

    def __init__(self, scheme: ClassificationScheme, marking_of: Callable[[Any], str], *,
                 enabled: bool = True, unbreakable: bool = False) -> None:
        self.scheme, self.marking_of, self.enabled = scheme, marking_of, enabled
        self.unbreakable = unbreakable  # marks never broken across lines (`nobreak`)

    def mark(self, portion: Any) -> Markup:
        if not self.enabled:
            return Markup("")
        text = self.scheme.portion_mark(self._marking(portion))
        if self.unbreakable:
            text = nobreak(text)
        return Markup('<span style="marking">{}</span> ').format(text)

    def mark_each(self, portion: Any) -> Markup:
        return self.mark(portion) if self.scheme.marks_paragraphs else Markup("")

    def mark_block(self, portion: Any, lead: bool) -> Markup:
        """What a block of ``portion`` starts with: `mark` for the portion's lead block,
        `mark_each` for the others; nothing for a block of no portion (``None``)."""
        if portion is None:
            return Markup("")
        return self.mark(portion) if lead else self.mark_each(portion)

    def _marking(self, portion: Any) -> str:
        if isinstance(portion, str):
            return portion
        if isinstance(portion, (list, tuple)):
            return self.scheme.highest(self._marking(item) for item in portion)
        return self.marking_of(portion)


def _portion_marking(readout: Readout, marking: str) -> Callable[[Any], str]:
    """The marking of what a readout template may mark: a portion, the face, the brief."""
    def marking_of(portion: Any) -> str:
        if isinstance(portion, (KeyPoint, Outcome, ContextEntry, Participant)):
            return readout.marking_of(portion)
        if isinstance(portion, Readout):
            return portion.face_marking
        if isinstance(portion, Brief):
            return marking
        raise TypeError(f"mark() takes a portion (a key point, outcome, context entry or "
                        f"participant), the readout, or a marking, not {type(portion).__name__}")

    return marking_of


@dataclasses.dataclass(frozen=True, slots=True)
class LetterheadView:
    """The letterhead a template prints: the theme's logo and lines where it gives them,
    else the issuer's logo and names (government, organisation, office)."""

    logo: str | None            # the image to name in <img src>, or None
    logo_width_mm: float
    logo_alt: str
    lines: tuple[TextLine, ...]


def _letterhead(view: Readout, theme: Theme, images: dict[str, bytes],
                dirs: tuple[str, ...] = ()) -> LetterheadView:
    """The letterhead of ``view`` in ``theme``; adds the theme's logo to ``images``."""
    own = theme.letterhead
    issuer = view.issuer
    logo = "logo" if "logo" in images else None
    if own.logo is not None:
        try:
            images["letterhead"] = own.logo.read_bytes()
        except OSError as exc:
            raise RenderError.single(str(own.logo), f"The theme's letterhead logo cannot "
                                                    f"be read: {exc.strerror}.") from None
        logo = "letterhead"
    lines = own.lines
    if lines is None:
        names = (("letterhead-government", issuer.government),
                 ("letterhead-organisation", issuer.organisation),
                 ("letterhead-office", issuer.office))
        lines = tuple(TextLine(text, style) for style, text in names if text)
    alt = own.logo_alt if own.logo is not None and own.logo_alt else (
        plain(issuer.logo_alt, view.language) if issuer.logo_alt else
        translate(EMBLEM_MESSAGE, view.language, dirs,
                  name=plain(issuer.government or issuer.organisation, view.language)))
    return LetterheadView(logo=logo, logo_width_mm=own.logo_width_mm, logo_alt=alt,
                          lines=lines)


def _render(compiled: jinja2.Template, template: str, context: dict[str, Any],
            images: Mapping[str, bytes], metadata: tree.Metadata,
            theme: Theme, charts: Mapping[str, tree.Chart] | None = None,
            siblings: frozenset[str] = frozenset()) -> tree.Document:
    name = compiled.filename or compiled.name or template
    try:
        xml_text = compiled.render(context)
    except ReadoutError:
        raise
    except Exception as exc:  # a template's own fault: an undefined name, a bad filter call
        raise _located(exc, name) from None
    try:
        return read(xml_text, name=name, images=images, metadata=metadata,
                    styles=StyleNames(theme.name, frozenset(theme.styles)), charts=charts,
                    siblings=siblings)
    except TemplateError as exc:
        raise _at_template_lines(exc, compiled, context, name) from None


def _at_template_lines(error: TemplateError, compiled: jinja2.Template,
                       context: Mapping[str, Any], name: str) -> TemplateError:
    """``error``, found in the rendered markup, at the template lines that made it."""
    try:
        source_map = render_mapped(compiled, context)
    except Exception:  # the first rendering succeeded; never hide its error behind this
        return error
    problems: list[Problem] = []
    for problem in error.problems:
        where = source_map.locate(problem.line, problem.column) if (
            problem.file == name and problem.line) else None
        if where is None:
            problems.append(problem)
        else:
            file, line, column = where
            problems.append(dataclasses.replace(problem, file=file, line=line, column=column))
    return TemplateError(problems)


def build_from_context(template: str, context: Mapping[str, Any], metadata: tree.Metadata, *,
                       images: Mapping[str, bytes] | None = None,
                       charts: Mapping[str, tree.Chart] | None = None,
                       siblings: Iterable[str] = (),
                       template_dirs: Sequence[str | Path] = (),
                       theme: Theme | None = None) -> tree.Document:
    """Render ``template`` with a context of your own (e.g. a series digest): no readout.

    The same sandbox, filters and reader as `build_document`; no public view is made,
    so the caller decides what the context holds. ``metadata`` is the base the
    ``<document>`` attributes override (its ``subject`` defaults to the template's).
    ``charts`` are the charts ``<chart src>`` may name; ``siblings`` the file names
    (beside the document) that ``<a href>`` may link to.
    """
    dirs = _dir_key(template_dirs)
    compiled, spec = _template(dirs, template)
    if not metadata.subject and spec.subject:
        metadata = dataclasses.replace(metadata, subject=spec.subject)
    language = str(context.get("language") or metadata.language or "en")
    full = {"language": language, "_": translator(language, dirs),
            **{key: inert(value) for key, value in context.items()}}
    return _render(compiled, template, full, images or {}, metadata,
                   theme or default_theme(), charts, frozenset(siblings))


def template_messages(template: str, template_dirs: Sequence[str | Path] = ()
                      ) -> dict[str, str | None]:
    """Every message ``template`` prints (each ``_("...")`` of its files, and the
    module's own `CODE_MESSAGES`), each with its English ``plural=``, or ``None``: what a
    catalogue for the template must translate."""
    env = _environment(_dir_key(template_dirs))
    found: dict[str, str | None] = dict.fromkeys(CODE_MESSAGES)
    for path in template_files(template, template_dirs):
        if path.suffix != ".j2":
            continue
        for call in env.parse(path.read_text(encoding="utf-8")).find_all(jinja2.nodes.Call):
            if not (isinstance(call.node, jinja2.nodes.Name) and call.node.name == "_"
                    and call.args and isinstance(call.args[0], jinja2.nodes.Const)):
                continue
            plural = next((kw.value.value for kw in call.kwargs if kw.key == "plural"
                           and isinstance(kw.value, jinja2.nodes.Const)), None)
            found[str(call.args[0].value)] = plural
    return found


def copy_template(source: str, name: str, folder: Path,
                  template_dirs: Sequence[str | Path] = ()) -> list[Path]:
    """Copy template ``source`` (its ``document.xml.j2`` and ``template.yaml``) into
    ``folder/name/``, to edit there; return the files written.

    The shared macros it imports stay where they are: ``{% import "_shared/..." %}``
    finds the built-in ones unless ``folder/_shared/`` holds your own. Raises
    `FileExistsError` when ``folder/name`` exists, `TemplateError` for a bad name or an
    unknown ``source``.
    """
    if not _is_template_name(name):
        raise TemplateError.single(name, f"{name!r} cannot be a template name; use letters, "
                                         "digits, '.', '_' and '-', starting with a letter "
                                         "or digit.")
    compiled, _ = _template(_dir_key(template_dirs), source)
    origin = Path(compiled.filename or "").parent
    target = folder / name
    if target.exists():
        raise FileExistsError(0, "exists", str(target))
    target.mkdir(parents=True)
    written = []
    for file_name in (DOCUMENT_FILE, SPEC_FILE):
        if (origin / file_name).is_file():
            (target / file_name).write_bytes((origin / file_name).read_bytes())
            written.append(target / file_name)
    return written


def readout_templates(template_dirs: Sequence[str | Path] = ()) -> list[str]:
    """The templates that render one readout (not a series), the user's and built in."""
    names = []
    for name in available_templates(template_dirs):
        try:
            if describe_template(name, template_dirs).renders == "readout":
                names.append(name)
        except ReadoutError:  # a broken template of the user's: rendering says why
            names.append(name)
    return names


def unknown_template(name: str, template_dirs: Sequence[str | Path] = ()) -> str | None:
    """What to say of ``name`` when no readout template has it (else ``None``)."""
    known = readout_templates(template_dirs)
    if name in known:
        return None
    if name in available_templates(template_dirs):
        return (f"The template {name!r} renders a whole series, not one readout; use it "
                "through 'readout batch'.")
    guess = difflib.get_close_matches(name, known, n=1)
    hint = f"; did you mean {guess[0]!r}? The templates are: " if guess else (
        "; the templates are: ")
    return f"The template {name!r} is unknown{hint}{', '.join(known)}."


def describe_template(template: str, template_dirs: Sequence[str | Path] = ()
                      ) -> TemplateSpec:
    """What a template's ``template.yaml`` says of it (audience, input, description)."""
    return _template(_dir_key(template_dirs), template)[1]


def public_view(readout: Readout) -> Readout:
    """``readout`` as a public document may show it: its face and public portions only.

    The ``brief`` and participants above the public level are dropped, and the tags
    too unless the readout itself is public (they are not part of the face). Raises
    `NothingPublicError` when the face is not at the public level or no key point is
    (`Readout.public_refusals`: `validate` warns of the same).
    """
    refusals = readout.public_refusals()
    if refusals:
        file = str(readout.source or "")
        raise NothingPublicError([Problem(file, 0, 0, field, message)
                                  for field, message in refusals])
    return dataclasses.replace(
        readout, key_points=tuple(p for p in readout.key_points if readout.is_public(p)),
        participants=tuple(p for p in readout.participants if readout.is_public(p)),
        outcomes=tuple(o for o in readout.outcomes if readout.is_public(o)),
        context=tuple(c for c in readout.context if readout.is_public(c)),
        tags=readout.tags if readout.scheme.is_public(readout.classification) else (),
        brief=None)


def inert(value: Any) -> Any:
    """``value`` with every path in it (``source``, a logo) replaced by its bare file name.

    A template may print a name but never opens a file: a `Path` has ``read_text``, and
    the sandbox does not stop a template calling it. Images reach templates as keys.
    """
    if isinstance(value, os.PathLike):
        return Path(value).name
    if isinstance(value, tuple):
        items = tuple(inert(item) for item in value)
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for name in _fields_to_walk(type(value)):
            current = getattr(value, name)
            cleaned = inert(current)
            if cleaned is not current:
                changes[name] = cleaned
        return dataclasses.replace(value, **changes) if changes else value
    if isinstance(value, list):
        return [inert(item) for item in value]
    if isinstance(value, dict):
        return {key: inert(item) for key, item in value.items()}
    return value


_PLAIN_FIELD = re.compile(r"(str|int|float|bool|date|time|datetime)( \| None)?")
_PLAIN_TYPES = (str, int, float, bool, date, time, datetime, enum.Enum, type(None))


@lru_cache(maxsize=256)
def _fields_to_walk(cls: type) -> tuple[str, ...]:
    """The fields of a dataclass that may hold a path, by their types: a `Path`, ``Any``,
    a container of one, or a dataclass with such a field (a readout's key points, all
    text, are never walked). Where the types cannot be resolved, every field not
    annotated as a plain value."""
    try:
        hints = typing.get_type_hints(cls)
    except Exception:  # an annotation naming what its module does not import
        return tuple(f.name for f in dataclasses.fields(cls)
                     if not _PLAIN_FIELD.fullmatch(str(f.type)))
    return tuple(f.name for f in dataclasses.fields(cls)
                 if _may_hold_path(hints.get(f.name, Any), frozenset({cls})))


def _may_hold_path(kind: Any, seen: frozenset[type]) -> bool:
    arguments = typing.get_args(kind)
    if typing.get_origin(kind) is not None:  # tuple[X, ...], X | None, dict[K, V]
        return any(_may_hold_path(a, seen) for a in arguments if a is not Ellipsis)
    if isinstance(kind, type):
        if issubclass(kind, _PLAIN_TYPES):
            return False
        if dataclasses.is_dataclass(kind):
            return kind not in seen and bool(_fields_to_walk_within(kind, seen | {kind}))
    return True  # Any, a Path, an object of unknown kind


def _fields_to_walk_within(cls: type, seen: frozenset[type]) -> tuple[str, ...]:
    try:
        hints = typing.get_type_hints(cls)
    except Exception:
        return ("?",)
    return tuple(f.name for f in dataclasses.fields(cls)
                 if _may_hold_path(hints.get(f.name, Any), seen))

# -- the environment ----------------------------------------------------------------------------


class _Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, its verdict on each attribute kept per kind of object
    and name, which are all it depends on: a document reads a few hundred attributes,
    of a few dozen kinds."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._verdicts: dict[tuple[type, str], bool] = {}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        key = (type(obj), attr)
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = self._verdicts[key] = super().is_safe_attribute(obj, attr, value)
        return verdict

    def getattr(self, obj: Any, attribute: str) -> Any:
        """Jinja's sandboxed attribute access, in one call where the value is data (a
        method value, which may be ``str.format``, takes Jinja's own way)."""
        try:
            value = getattr(obj, attribute)
        except AttributeError:
            return super().getattr(obj, attribute)
        kind = type(value)
        if kind is types.MethodType or kind is types.BuiltinMethodType:
            formatter = self.wrap_str_format(value)
            if formatter is not None:
                return formatter
        if self.is_safe_attribute(obj, attribute, value):
            return value
        return self.unsafe_undefined(obj, attribute)

    def call(__self, __context: jinja2.runtime.Context, __obj: Any,
             *args: Any, **kwargs: Any) -> Any:
        """Jinja's sandboxed call, in one step for what can carry none of the marks
        that Jinja looks for (``unsafe_callable``, ``alters_data``, ``jinja_pass_arg``):
        a template's macro, and a plain function or method that has no attributes."""
        if not _unmarked(__obj):
            return super().call(__context, __obj, *args, **kwargs)
        kwargs.pop("_block_vars", None)
        kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __context.environment.undefined(
                "value was undefined because a callable raised a StopIteration exception")


class _Template(jinja2.Template):
    """A compiled template whose output is escaped straight to text: each ``{{ }}``
    value is escaped as `markupsafe.escape` escapes it, and joined with the rest of the
    output, without first becoming a `Markup` of its own (a macro's or a block's output
    still does, as a whole)."""

    @classmethod
    def from_code(cls, environment: jinja2.Environment, code: types.CodeType,
                  globals: typing.MutableMapping[str, Any],
                  uptodate: Callable[[], bool] | None = None) -> jinja2.Template:
        template = super().from_code(environment, code, globals, uptodate)
        template.root_render_func.__globals__["escape"] = _escaped_output
        return template

    def render(self, *args: Any, **kwargs: Any) -> str:
        """The template's output, as `jinja2.Template.render` makes it, with its macros
        let go of as it returns (`template_release`)."""
        context = self.new_context(dict(*args, **kwargs))
        try:
            return self.environment.concat(self.root_render_func(context))
        except Exception:
            self.environment.handle_exception()
        finally:
            release(context)


def _escaped_output(value: Any) -> str:
    """The text `markupsafe.escape` makes of an output value (the same five characters
    replaced), as plain text where the value is text or `Markup`."""
    kind = type(value)
    if kind is Markup:
        safe: Markup = value
        return safe
    if kind is not str:
        return escape(value)
    text: str = value
    return (text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
            .replace("'", "&#39;").replace('"', "&#34;"))


def _unmarked(obj: Any) -> bool:
    """Whether ``obj`` is a macro, or a function or method with no attributes of its
    own: Jinja's marks are attributes, and its macros never have any."""
    kind = type(obj)
    if kind is jinja2.runtime.Macro:
        return True
    if kind is types.MethodType:
        obj = obj.__func__
        kind = type(obj)
    return kind is types.FunctionType and not obj.__dict__


@lru_cache(maxsize=16)
def _environment(dirs: tuple[str, ...]) -> ImmutableSandboxedEnvironment:
    """One environment per list of user folders; templates compile once per process."""
    loader = jinja2.ChoiceLoader([
        *(jinja2.FileSystemLoader(folder) for folder in dirs),
        jinja2.FileSystemLoader(str(builtin_dir())),
    ])
    compiled = template_cache(builtin_dir())  # the built-in templates' code, kept
    env = _Sandbox(
        loader=loader, undefined=jinja2.StrictUndefined, autoescape=True,
        finalize=_finalize, auto_reload=False, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=False, bytecode_cache=compiled)
    env.template_class = _Template
    env.filters.update({
        "inline": _in_language(inline_xml), "plain": _in_language(plain),
        "paragraphs": paragraphs,
        "quoted": _in_language(quoted), "longdate": _in_language(longdate),
        "shortdate": _in_language(shortdate), "fulldate": _in_language(fulldate),
        "clock": clock, "zone": _in_language(zone), "grouped": grouped, "mailto": mailto,
        "blocks": body_blocks, "quote_paragraphs": _in_language(quote_paragraphs),
        "prose_quote": _in_language(prose_quote), "daterange": _daterange_filter,
        "and_list": and_list, "pibdate": pibdate, "clock12": clock12,
        "usdate": _in_language(usdate),
        "nobreak": nobreak, "shortrange": shortrange, "daymonth": _in_language(daymonth),
    })
    env.tests["timed"] = lambda value: isinstance(value, datetime)
    if compiled is not None:
        compiled.for_environment(env)  # once its filters are in: they shape the code too
    return env


@lru_cache(maxsize=64)
def _template(dirs: tuple[str, ...], name: str) -> tuple[jinja2.Template, TemplateSpec]:
    """The compiled template ``name`` and its spec, or a `TemplateError` that helps."""
    if not _is_template_name(name):
        _unknown(dirs, name)
    env = _environment(dirs)
    try:
        compiled = env.get_template(f"{name}/{DOCUMENT_FILE}")
    except jinja2.TemplateNotFound:
        _unknown(dirs, name)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError.single(exc.filename or exc.name or name, exc.message or str(exc),
                                   line=exc.lineno) from None
    folder = Path(compiled.filename).parent if compiled.filename else None
    return compiled, _read_spec(folder / SPEC_FILE if folder else None)


def _unknown(dirs: tuple[str, ...], name: str) -> Any:
    choices = ", ".join(available_templates(dirs)) or "none"
    raise TemplateError.single("", f"The template {name!r} is unknown; choose one of: "
                                   f"{choices}.")


def _read_spec(path: Path | None) -> TemplateSpec:
    if path is None or not path.is_file():
        return TemplateSpec()
    try:
        data = safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise TemplateError.single(str(path), f"The template's metadata cannot be read: "
                                              f"{exc}") from None
    known = {f.name for f in dataclasses.fields(TemplateSpec)}
    if not isinstance(data, dict) or set(data) - known:
        raise TemplateError.single(str(path), "template.yaml must be a mapping with only "
                                              f"these keys: {', '.join(sorted(known))}.")
    audience = data.get("audience", "public")
    if audience not in ("public", "internal"):
        raise TemplateError.single(str(path), f"audience must be 'public' or 'internal', "
                                              f"not {audience!r}.", path="audience")
    renders = data.get("renders", "readout")
    if renders not in ("readout", "series"):
        raise TemplateError.single(str(path), f"renders must be 'readout' or 'series', "
                                              f"not {renders!r}.", path="renders")
    limits = data.get("limits") or {}
    if not isinstance(limits, dict) or any(
            key not in LIMITED_FIELDS or not isinstance(value, int) or value < 1
            for key, value in limits.items()):
        raise TemplateError.single(str(path), "limits must map fields "
                                              f"({', '.join(LIMITED_FIELDS)}) to a number "
                                              "of characters.", path="limits")
    return TemplateSpec(audience="internal" if audience == "internal" else "public",
                        subject=str(data.get("subject", "")),
                        description=" ".join(str(data.get("description", "")).split()),
                        renders=renders, limits=dict(limits))


def length_warnings(readout: Readout, template: str,
                    template_dirs: Sequence[str | Path] = ()) -> list[tuple[str, str]]:
    """``(field, message)`` for each text field longer than ``template`` allows (its
    ``limits`` in template.yaml: GOV.UK's 65-character title, say). Counted as a reader
    sees the text: markup removed, spaces collapsed."""
    found = []
    for field, limit in describe_template(template, template_dirs).limits.items():
        length = len(" ".join(plain(getattr(readout, field)).split()))
        if length > limit:
            found.append((field, f"The {field} is {length} characters long; the template "
                                 f"{template!r} asks for {limit} at most, so shorten it."))
    return found


def _located(exc: Exception, fallback: str) -> TemplateError:
    """A `TemplateError` for an exception raised while rendering, at its template line."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        file = exc.filename or exc.name or fallback
        return TemplateError.single(file, exc.message or str(exc), line=exc.lineno,
                                    column=_tag_column(file, exc.lineno))
    file, line = fallback, 0
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith(".j2"):
            file, line = frame.filename, frame.lineno or 0
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return TemplateError.single(file, f"The template failed: {message}", line=line,
                                column=_tag_column(file, line))


def _tag_column(file: str, line: int) -> int:
    """The column of the first ``{{`` or ``{%`` on a template line (1 if none, 0 for no
    line): where a failing expression or statement most likely is."""
    if line <= 0:
        return 0
    try:
        text = Path(file).read_text(encoding="utf-8").splitlines()[line - 1]
    except (OSError, IndexError, UnicodeDecodeError):
        return 1
    found = [at for at in (text.find("{{"), text.find("{%")) if at >= 0]
    return min(found) + 1 if found else 1


class _Images:
    """The images a template may name, by key: ``logo`` (the issuer's), ``logo-2``...
    (the co-issuers'), ``photo-1``... Templates get keys, never paths; the files were
    checked by the schema and are read here, once each. ``logos`` and ``photos`` hold
    the key of each issuer's logo and each photo, in order (``None``: no logo)."""

    def __init__(self, readout: Readout) -> None:
        self.data: dict[str, bytes] = {}
        self._keys: dict[Path, str] = {}
        self.logos = [self._add(issuer.logo, "logo" if number == 1 else f"logo-{number}",
                                "issuer.logo" if number == 1 else
                                f"co_issuers.{number - 2}.logo")
                      for number, issuer in enumerate(readout.issuers, start=1)]
        self.photos = [self._add(photo.file, f"photo-{number}", f"photos.{number - 1}.file")
                       for number, photo in enumerate(readout.photos, start=1)]

    def _add(self, path: Path | None, key: str, field: str) -> str | None:
        if path is None:
            return None
        if path in self._keys:
            return self._keys[path]
        try:
            self.data[key] = path.read_bytes()
        except OSError as exc:
            raise RenderError.single(str(path), f"The image cannot be read: {exc.strerror}.",
                                     path=field) from None
        self._keys[path] = key
        return key


def _metadata(view: Readout, spec: TemplateSpec, marking: str) -> tree.Metadata:
    return tree.Metadata(
        title=plain(view.title, view.language),
        author=plain(view.issuer.organisation, view.language), subject=spec.subject,
        keywords=tuple(plain(tag, view.language) for tag in view.tags), language=view.language,
        created=_created(view), classification=marking)


def _created(readout: Readout) -> datetime:
    """``SOURCE_DATE_EPOCH`` (UTC) if set, else ``released`` (a date alone at 00:00 UTC),
    else the meeting day 00:00 UTC."""
    if isinstance(readout.released, datetime):
        return source_date(readout.released)
    day = readout.released or readout.meeting.date
    return source_date(datetime.combine(day, time(0), tzinfo=UTC))


def _day(value: date) -> date:
    """The calendar day of a date, or of a datetime (its own, local, day)."""
    return value.date() if isinstance(value, datetime) else value


def _dateline_finder(readout: Readout) -> Callable[[str], str | None]:
    """``dateline(default)``: the city that opens the lead, by the readout's ``dateline``
    or else the template's ``default`` ('issuer', 'venue' or 'none'); ``None`` when that
    place is not given (nothing is guessed)."""

    def dateline(default: str) -> str | None:
        choice = str(readout.dateline or default)
        venue = readout.meeting.venue
        if choice == "issuer":
            return readout.issuer.city
        if choice == "venue" and venue is not None:
            return venue.city or venue.country
        return None

    return dateline


def source_date(default: datetime) -> datetime:
    """The date a document records: ``SOURCE_DATE_EPOCH`` (UTC) when set, else ``default``."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return default
    try:
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    except (ValueError, OverflowError, OSError):
        raise RenderError.single("", f"SOURCE_DATE_EPOCH must be a whole number of "
                                     f"seconds, not {epoch!r}.") from None


def _participant_finder(participants: Iterable[Participant]
                        ) -> Callable[[str], Participant | None]:
    by_name: dict[str, Participant] = {}
    for person in participants:
        for key in (person.name, person.display_name):
            if key:
                by_name.setdefault(key.casefold(), person)

    def participant(name: str) -> Participant | None:
        return by_name.get(" ".join(str(name).split()).casefold())

    return participant


def _finalize(value: Any) -> Any:
    """Applied to every ``{{ }}`` value before escaping: strip what XML cannot carry."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return printable(value)
    return value


# -- filters ---------------------------------------------------------------------------------


def inline_xml(text: object, language: str = "en") -> Markup:
    """User text with inline markup, as the reader's ``<b>/<i>/<a>`` markup, escaped;
    its straight quotes and apostrophes as the marks of ``language`` (`typography`)."""
    if text is None or isinstance(text, jinja2.Undefined):
        return Markup("")
    return Markup(_inline_cached(printable(str(text)), language))


@lru_cache(maxsize=4096)
def _inline_cached(text: str, language: str) -> str:
    return _xml(typeset(parse_inline(text), language))


def _xml(nodes: tuple[tree.Inline, ...]) -> str:
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, tree.Text):
            parts.append(str(escape(node.text)))
        elif isinstance(node, tree.Strong):
            parts.append(f"<b>{_xml(node.children)}</b>")
        elif isinstance(node, tree.Emphasis):
            parts.append(f"<i>{_xml(node.children)}</i>")
        elif isinstance(node, tree.Link):
            parts.append(f'<a href="{escape(node.target)}">{_xml(node.children)}</a>')
    return "".join(parts)


def plain(text: object, language: str = "en") -> str:
    """The plain text a reader sees of user text with inline markup (its quotes and
    apostrophes as the marks of ``language``)."""
    if text is None or isinstance(text, jinja2.Undefined):
        return ""
    return tree.plain_text(typeset(parse_inline(printable(str(text))), language))


def quoted(text: object, language: str = "en") -> str:
    """``text`` in the language's quotation marks (“…” in English, «…» in Russian),
    unless it already opens with a quotation mark.

    The result is still user text with inline markup, for ``inline`` (``|quoted|inline``).
    """
    value = str(text).strip()
    if value[:1] in _OPENING_QUOTES:
        return value
    opening, closing, _, _ = quote_marks(language)
    return f"{opening}{_ending(value)}{closing}"


def _ending(value: str) -> str:
    """``value`` safe to have a mark put after it: a last backslash escapes nothing, so
    it is kept from escaping the mark."""
    if (len(value) - len(value.rstrip("\\"))) % 2:
        value += "\\"
    return value


def quote_paragraphs(text: object, language: str = "en") -> list[str]:
    """The paragraphs of a quote in the language's marks, as a quote of several is
    printed: each paragraph opens with a mark and only the last one closes. A quote
    that already opens with a quotation mark keeps the user's own marks."""
    parts = paragraphs(str(text))
    if not parts or parts[0][:1] in _OPENING_QUOTES:
        return parts
    opening, closing, _, _ = quote_marks(language)
    marked = [f"{opening}{part}" for part in parts]
    marked[-1] = f"{_ending(marked[-1])}{closing}"
    return marked


_CLOSERS = "\u201d\u201c\u2019\u00bb\u203a\u300d\u300f\"'"


_COMMA_AFTER = "\u00bb\u201c\u203a"  # guillemets and the German closing mark: the comma follows


def prose_quote(text: object, language: str = "en") -> list[str]:
    """The paragraphs of a quote marked for prose, before ``said X.``: its full stop
    becomes a comma, unless it ends with a question or exclamation mark. English and
    the languages that close with ” put the comma inside the marks (``“... terrorism,”``);
    those that close with », “ or › put it after them, as Russian, German and French
    typography do (``«... терроризма», — заявил``)."""
    parts = quote_paragraphs(text, language)
    if not parts:
        return parts
    last = parts[-1]
    closer = last[-1] if last[-1] in _CLOSERS else ""
    inside = last[: len(last) - len(closer)]
    words = inside.rstrip()
    if words[-1:] in ("?", "!"):
        return parts
    typed = quote_marks(language)[1][-1:] if closer in "\"'" else closer
    if closer and typed in _COMMA_AFTER:
        parts[-1] = f"{_ending(words.rstrip('.,;:'))}{inside[len(words):]}{closer},"
    else:
        parts[-1] = f"{_ending(words.rstrip('.,;:'))},{inside[len(words):]}{closer}"
    return parts


def daterange(first: date, last: date | None = None, language: str = "en") -> str:
    """``26 June 2025``, or a range of days: in English ``26-27 June 2025``, ``30 June -
    1 July 2025``, ``31 December 2025 - 1 January 2026`` (an en dash, spaced when either
    end has a month); in another language, as CLDR writes an interval of days."""
    if last is None or last <= first:
        return longdate(first, language)
    if primary(language) != "en" or "-" in language:
        return format_days(first, last, language)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}{_EN_DASH}{longdate(last, language)}"
    if first.year == last.year:
        return (f"{first.day} {_MONTHS_EN[first.month - 1]} {_EN_DASH} "
                f"{longdate(last, language)}")
    return f"{longdate(first, language)} {_EN_DASH} {longdate(last, language)}"


@jinja2.pass_context
def _daterange_filter(context: Any, first: date, last: date | None = None) -> str:
    """``daterange(last)`` in the language of the render."""
    return daterange(first, last, str(context.get("language") or "en"))


def and_list(items: Iterable[object], conjunction: object = " and ") -> str:
    """``A``, ``A and B``, ``A, B and C`` (the conjunction in the render's language,
    ``_(" and ")``, when the template gives it)."""
    names, joiner = [str(item) for item in items], str(conjunction)
    if len(names) < 3:
        return joiner.join(names)
    return f"{', '.join(names[:-1])}{joiner}{names[-1]}"


def pibdate(value: date) -> str:
    """``26 JUN 2025``, as the Press Information Bureau dates a release (in every
    language it publishes in)."""
    return f"{value.day:02d} {_MONTHS_EN[value.month - 1][:3].upper()} {value.year}"


def clock12(value: time | datetime) -> str:
    """``3:15PM``: a 12-hour clock time, as PIB prints it."""
    hour = value.hour % 12 or 12
    return f"{hour}:{value.minute:02d}{'AM' if value.hour < 12 else 'PM'}"


def usdate(value: date, language: str = "en") -> str:
    """``January 29, 2021``, as a US release dates itself; in another language, that
    language's long date (``29 जनवरी 2021``)."""
    if primary(language) != "en":
        return longdate(value, language)
    return f"{_MONTHS_EN[value.month - 1]} {value.day}, {value.year}"


def longdate(value: date, language: str = "en") -> str:
    """``26 June 2025``, ``26 जून 2025``, ``26 июня 2025 г.`` (a datetime gives its own,
    local, date)."""
    return format_day(value, "long", language)


def shortdate(value: date, language: str = "en") -> str:
    """``26 Jun 2025``, for narrow table columns."""
    return format_day(value, "medium", language)


def fulldate(value: date, language: str = "en") -> str:
    """``Thursday, 26 June 2025``, ``четверг, 26 июня 2025 г.``."""
    return format_day(value, "full", language)


def daymonth(value: date, language: str = "en") -> str:
    """``26 Jun``: a date whose year the reader already knows."""
    return format_short_days(value, None, language, year=False)


@jinja2.pass_context
def shortrange(context: Any, start: date, end: date | None = None, year: bool = True) -> str:
    """``24-27 Jun 2025`` (an en dash), or one date when ``end`` is ``None`` or the same
    day, in the render's language; ``year=false`` leaves the year out
    (`format_short_days`); `daterange` writes the months in full."""
    return format_short_days(start, end, str(context.get("language") or "en"), year)


def nobreak(text: object) -> str:
    """``text`` that no writer breaks across lines: hyphens become non-breaking hyphens
    (U+2011) and spaces no-break spaces (U+00A0). For markings ("OFFICIAL-SENSITIVE")."""
    return " ".join(str(text).split()).replace("-", "\u2011").replace(" ", "\u00a0")


def clock(value: time | datetime) -> str:
    """``15:15``: a 24-hour clock time."""
    return f"{value.hour:02d}:{value.minute:02d}"


def zone(value: datetime, language: str = "en") -> str:
    """The zone of ``value``: ``IST`` (UTC+05:30), ``MSK``, ``UTC``, else ``UTC+02:00``;
    ``""`` if naive (see `localise.zone_name`)."""
    return zone_name(value, language)


def _in_language(function: Callable[..., _T]) -> Callable[..., _T]:
    """A filter that formats in the language of the render (``language`` in its context)."""
    @jinja2.pass_context
    def filter_(context: Any, value: Any) -> _T:
        return function(value, str(context.get("language") or "en"))

    filter_.__doc__ = function.__doc__
    return filter_


def translator(language: str, dirs: Sequence[str]) -> Callable[..., Markup]:
    """The ``_`` function of a render: ``_("PRESS RELEASE")`` is that label in the
    render's language, ``_("Page {page} of {count}", page=..., count=...)`` fills its
    placeholders (with markup such as ``<page-number/>``, or text, escaped), and
    ``_("{count} meeting", count=n, plural="{count} meetings")`` takes the form of
    ``n``'s plural category (`localise`)."""
    def _(message: str, plural: str | None = None, **values: Any) -> Markup:
        text = str(escape(lookup(str(message), language, dirs, plural=plural,
                                 count=values.get("count"))))
        if not values:
            return Markup(text)
        filled = {key: str(value if isinstance(value, Markup) else escape(str(value)))
                  for key, value in values.items()}
        return Markup(_PLACEHOLDER.sub(lambda m: filled.get(m.group(1), m.group(0)), text))

    return _


@jinja2.pass_environment
def grouped(env: jinja2.Environment, items: Iterable[Any], attribute: str
            ) -> list[tuple[Any, list[Any]]]:
    """``items`` grouped by ``attribute``, groups in order of first appearance.

    The attribute is read through the sandbox (``env.getattr``), as ``item.attr`` would be.
    """
    groups: dict[Any, list[Any]] = {}
    for item in items:
        groups.setdefault(env.getattr(item, attribute), []).append(item)
    return list(groups.items())


def mailto(address: object) -> Markup:
    """An e-mail address as a live ``mailto:`` link, or as plain text if it is odd."""
    text = printable(str(address)).strip()
    if is_safe_target(f"mailto:{text}"):
        return Markup('<a href="mailto:{0}">{0}</a>').format(text)
    return Markup(escape(text))
