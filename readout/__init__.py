"""readout: meeting readouts written once as YAML, rendered as ministry documents.

The public surface is re-exported here; everything else is internal. ``load``,
``loads`` and ``from_dict`` validate a readout; ``render``, ``render_to`` and
``render_tree`` make its documents; ``render_series`` renders a whole series.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import startup  # noqa: F401  (first: it defers costs of the dependencies')
from .classification import DEFAULT_SCHEME, SCHEMES, ClassificationScheme
from .errors import (
    LoadError,
    NothingPublicError,
    Problem,
    ReadoutError,
    RenderError,
    TemplateError,
    ThemeError,
    ValidationError,
)
from .version import VERSION

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from .api import Scheme, check, from_dict, load, loads
    from .batch import Progress, SeriesReport
    from .model import Readout
    from .themes import Theme
    from .tree import Document

__version__ = VERSION

# Rendering pulls in Jinja2, reportlab and python-docx: it is imported on first use, so
# that ``import readout`` (and ``readout validate``) stays light. The functions below
# stand in for it with the same signature and docstring (a test holds them equal), so
# that help(readout) and editors show them.


def render(doc: Readout, template: str = "press-release", fmt: str = "pdf", *,
           theme: Theme | str | Path | None = None,
           template_dirs: Sequence[str | Path] = (), pdf_standard: str | None = None) -> bytes:
    """The bytes of ``doc`` rendered with ``template`` as ``fmt`` (one of `FORMATS`).

    Every PDF is tagged (PDF/UA-1); ``pdf_standard="a-2b"`` makes it PDF/A-2b as well
    (``None``: the theme's ``pdf_standard``).
    """
    from .rendering import render as _render

    return _render(doc, template, fmt, theme=theme, template_dirs=template_dirs,
                   pdf_standard=pdf_standard)


def render_tree(document: Document, fmt: str, *,
                theme: Theme | str | Path | None = None, pdf_standard: str | None = None) -> bytes:
    """The bytes of an already built document tree, as ``fmt``, with the theme's own
    header and footer lines below the template's; ``pdf_standard`` as for `render`."""
    from .rendering import render_tree as _render_tree

    return _render_tree(document, fmt, theme=theme, pdf_standard=pdf_standard)


def render_to(doc: Readout, path: str | Path, template: str | None = None,
              fmt: str | None = None, *, theme: Theme | str | Path | None = None,
              template_dirs: Sequence[str | Path] = (), embed_images: bool = True,
              pdf_standard: str | None = None) -> Path:
    """Render ``doc`` into the file ``path`` and return it.

    The format defaults to the file's suffix; the template to the name's middle part
    (``x.internal-brief.pdf``) when it names a template, else the press release. An HTML
    page embeds its images; with ``embed_images=False`` they are written beside it, in
    ``images/`` (named by their content, so pages that share a logo share its file),
    before the page itself. ``pdf_standard`` is as for `render`.
    """
    from .rendering import render_to as _render_to

    return _render_to(doc, path, template, fmt, theme=theme, template_dirs=template_dirs,
                      embed_images=embed_images, pdf_standard=pdf_standard)


def render_series(path: str | Path, out_dir: str | Path, *, executor: Executor | None = None,
                  progress: Progress | None = None, jobs: int | None = None,
                  templates: Sequence[str] = (),
                  formats: Sequence[str] = (), template_dirs: Sequence[str | Path] = (),
                  theme: str | Path | None = None, scheme: Scheme = None,
                  pdf_standard: str | None = None,
                  as_at: date | str | None = None,
                  all_actions: bool | None = None) -> SeriesReport:
    """Render a whole series into ``out_dir``; see the module docstring for the layout.

    ``executor`` may be any `concurrent.futures.Executor` (a Dask cluster's, a Ray pool);
    by default a process pool of at most ``jobs`` workers, never more than the members
    (1 renders in this process; ``None``: one a CPU, when the series is large enough to
    gain from them, see `pool.worker_count`). ``progress`` is called as
    ``progress(member_file, done, total)`` after each member. ``scheme`` (a built-in
    name, a scheme file) is every member's classification scheme, winning over the
    series' and the members' own. ``as_at`` (a date, or ``YYYY-MM-DD``) is the date the
    digest judges overdue and due-soon actions against, instead of the series file's
    ``digest.as_at`` or its latest meeting; ``all_actions`` lists done and dropped
    actions in the digest. Raises `OutputError` when another batch is writing into
    ``out_dir``. ``pdf_standard`` ("a-2b") makes every PDF PDF/A-2b as well
    (``None``: the theme's).
    """
    from .batch import render_series as _render_series

    return _render_series(path, out_dir, executor=executor, progress=progress, jobs=jobs,
                          templates=templates, formats=formats, template_dirs=template_dirs,
                          theme=theme, scheme=scheme, pdf_standard=pdf_standard,
                          as_at=as_at, all_actions=all_actions)


# Imported on first use too: loading a readout pulls in YAML, marshmallow and the model,
# which ``readout --help`` (and any tool that only names a scheme or an error) never needs.
_ON_FIRST_USE = {"Scheme": "api", "check": "api", "from_dict": "api", "load": "api",
                 "loads": "api", "Readout": "model", "SeriesReport": "batch"}


def __getattr__(name: str) -> Any:
    """`load`, `loads`, `from_dict`, `check`, `Readout` and `SeriesReport` (the class
    `render_series` returns), imported on first use."""
    module = _ON_FIRST_USE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_ON_FIRST_USE})

__all__ = [
    "DEFAULT_SCHEME",
    "SCHEMES",
    "ClassificationScheme",
    "LoadError",
    "NothingPublicError",
    "Problem",
    "Readout",
    "ReadoutError",
    "RenderError",
    "SeriesReport",
    "TemplateError",
    "ThemeError",
    "ValidationError",
    "__version__",
    "check",
    "from_dict",
    "load",
    "loads",
    "render",
    "render_series",
    "render_to",
    "render_tree",
]
