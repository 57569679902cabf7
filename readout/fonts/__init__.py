"""Embedded fonts of the default theme (Noto Sans, SIL OFL 1.1)."""
