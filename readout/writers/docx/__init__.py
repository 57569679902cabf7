"""The DOCX writer (WordprocessingML as text, python-docx for the base package).

``document`` assembles the package; ``base`` builds the styled base of a theme once;
``body`` and ``table`` write story parts; ``format`` and ``styles`` map theme styles to
Word styles and direct formatting; ``fonts`` embeds fonts; ``package`` and ``xml`` hold
the zip and the XML fragments.
"""

from .document import write

__all__ = ["write"]
