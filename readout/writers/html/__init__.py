"""The HTML writer: a `Document` and a `Theme` in, one self-contained HTML5 page out.

``document`` builds the page (head, furniture, print rules); ``blocks`` turns tree
blocks into semantic elements; ``css`` turns the theme's resolved styles into the one
embedded stylesheet.
"""

from .document import Page, write, write_page

__all__ = ["Page", "write", "write_page"]
