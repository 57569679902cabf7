"""``python -m readout`` runs the command line."""

from .cli import run

run()
