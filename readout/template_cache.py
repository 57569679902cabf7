"""Compiled built-in templates kept between processes: a Jinja bytecode cache.

Compiling the built-in templates is most of a fresh ``readout render``'s templating
(about 50 ms for the press release and its macros); loading their compiled code from
the cache takes a millisecond. Jinja keys each entry by the template's name and file
and keeps the digest of its source beside the code, so an edited template compiles
again; the folder's name carries the versions of Jinja, Python (the code's format) and
readout (whose environment options shape the code).

Only the built-in templates are kept: a user's templates (a new folder in every test,
an edit on every save) would grow the cache without end. The cache lives in the user's
cache folder (see `cache_folder`; ``READOUT_CACHE_DIR=`` turns it off). A folder that
cannot be made or written is no error: templates then compile in each process.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
from pathlib import Path
from typing import Any

import jinja2
from jinja2.bccache import Bucket

from .cache_folder import CACHE_VARIABLE, cache_folder, private_folder
from .version import VERSION


class BuiltinTemplateCache(jinja2.FileSystemBytecodeCache):
    """Jinja's file cache, for the templates under ``builtin``, never raising."""

    def __init__(self, directory: str, builtin: Path) -> None:
        super().__init__(directory)
        self.builtin = str(builtin.resolve()) + os.sep
        self.flavour = ""  # set by `for_environment`

    def for_environment(self, environment: jinja2.Environment) -> None:
        """Key entries by what shapes the compiled code too (the environment's class,
        options, and which filters and tests take the context), so that code compiled
        for another environment is never loaded."""
        options = (type(environment).__qualname__, environment.trim_blocks,
                   environment.lstrip_blocks, environment.keep_trailing_newline,
                   environment.newline_sequence, repr(environment.autoescape),
                   environment.finalize is not None, environment.optimized,
                   sorted(environment.extensions), environment.block_start_string,
                   environment.variable_start_string, environment.comment_start_string,
                   environment.line_statement_prefix, environment.is_async,
                   # a filter or test that takes the context is called with it by the
                   # compiled code: which ones do is part of the code
                   sorted((name, repr(getattr(f, "jinja_pass_arg", None)))
                          for name, f in environment.filters.items()),
                   sorted((name, repr(getattr(f, "jinja_pass_arg", None)))
                          for name, f in environment.tests.items()))
        self.flavour = hashlib.sha256(repr(options).encode()).hexdigest()[:16]

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return f"{super().get_cache_key(name, filename)}-{self.flavour}"

    def get_bucket(self, environment: Any, name: str, filename: str | None,
                   source: str) -> Bucket:
        if filename is None or not str(Path(filename).resolve()).startswith(self.builtin):
            bucket = Bucket(environment, self.get_cache_key(name, filename),
                            self.get_source_checksum(source))
            bucket.readout_skip = True  # type: ignore[attr-defined]
            return bucket
        try:
            return super().get_bucket(environment, name, filename, source)
        except Exception:  # a damaged entry: compile afresh
            return Bucket(environment, self.get_cache_key(name, filename),
                          self.get_source_checksum(source))

    def set_bucket(self, bucket: Bucket) -> None:
        if getattr(bucket, "readout_skip", False):
            return
        with contextlib.suppress(OSError):
            super().set_bucket(bucket)


def template_cache(builtin: Path) -> BuiltinTemplateCache | None:
    """The bytecode cache for the built-in templates in ``builtin``, or ``None`` when
    there is no private cache folder to be had."""
    folder = private_folder(f"templates-jinja{jinja2.__version__}-py{sys.version_info[0]}"
                            f"{sys.version_info[1]}-readout{VERSION}")
    if folder is None:
        return None
    return BuiltinTemplateCache(str(folder), builtin)


__all__ = ["CACHE_VARIABLE", "BuiltinTemplateCache", "cache_folder", "template_cache"]
