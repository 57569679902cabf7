"""The plain-text writer: a `Document` in, UTF-8 text for an e-mail out.

``document`` lays out the blocks; ``table`` sets tables as aligned columns; ``wrap``
measures text in columns (East Asian wide characters take two) and breaks lines.
"""

from .document import write

__all__ = ["write"]
