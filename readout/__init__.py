"""readout: meeting readouts written once as YAML, rendered as ministry documents.

The public surface is re-exported here; everything else is internal.
"""

from .api import check, from_dict, load, loads
from .classification import DEFAULT_SCHEME, ClassificationScheme
from .errors import (
    LoadError,
    NothingPublicError,
    Problem,
    ReadoutError,
    RenderError,
    TemplateError,
    ValidationError,
)
from .model import Readout

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_SCHEME",
    "ClassificationScheme",
    "LoadError",
    "NothingPublicError",
    "Problem",
    "Readout",
    "ReadoutError",
    "RenderError",
    "TemplateError",
    "ValidationError",
    "__version__",
    "check",
    "from_dict",
    "load",
    "loads",
]
