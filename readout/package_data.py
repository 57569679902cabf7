"""Where the package's own data lies (templates, fonts, schemas): a folder on disk.

``importlib.resources`` would find them too, for 40 million instructions of imports
(tempfile, shutil, zipfile) in every fresh process; readout is installed as files
(a wheel, or an editable checkout), so the import system's own answer is enough.
"""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path


def package_folder(package: str) -> Path:
    """The folder of ``package`` (``readout.fonts``...), as the import system finds it."""
    spec = find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"The package {package!r} of readout is missing; "
                                  "reinstall readout.")
    return Path(next(iter(spec.submodule_search_locations)))


__all__ = ["package_folder"]
