"""The PDF writer (reportlab): a `Document` and a `Theme` in, the bytes of a PDF out.

``document`` builds the file; ``blocks`` turns tree blocks into flowables; ``styles``
turns theme styles and inlines into reportlab styles and paragraph markup; ``flow``
holds fonts and the few flowables reportlab lacks.
"""

from .document import write

__all__ = ["write"]
