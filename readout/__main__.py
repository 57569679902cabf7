"""``python -m readout`` runs the command line."""

from .cli import main

main()
