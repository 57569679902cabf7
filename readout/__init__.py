"""readout: meeting readouts written once as YAML, rendered as ministry documents.

The public surface is re-exported here; everything else is internal.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .api import check, from_dict, load, loads
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
from .model import Readout
from .version import VERSION

if TYPE_CHECKING:
    from .batch import SeriesReport, render_series
    from .rendering import render, render_to, render_tree

__version__ = VERSION

_LAZY = {"render": "rendering", "render_to": "rendering", "render_tree": "rendering",
         "render_series": "batch", "SeriesReport": "batch"}


def __getattr__(name: str) -> Any:
    """Rendering pulls in Jinja2, reportlab and python-docx: import it on first use, so
    that ``import readout`` (and ``readout validate``) stays light."""
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{_LAZY[name]}"), name)
    globals()[name] = value
    return value

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
