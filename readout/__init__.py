"""readout: meeting readouts written once as YAML, rendered as ministry documents."""

__version__ = "0.1.0"
