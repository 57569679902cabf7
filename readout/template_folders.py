"""Where templates are: the built-in folder, the user's folders, template names, and the
files a template is made of; all without Jinja2.

`validate` and a batch's fingerprints need to know which templates exist and which
files make them up, not to compile them: reading the folders and scanning the template
text for ``{% import / include / extends / from "..." %}`` costs a millisecond, where
compiling costs tens (`templating` compiles, once a process, when it renders).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

from .errors import TemplateError
from .package_data import package_folder

DOCUMENT_FILE = "document.xml.j2"
SPEC_FILE = "template.yaml"
TEMPLATES_VARIABLE = "READOUT_TEMPLATES"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\Z")
# A template named as a string by another: what Jinja's meta.find_referenced_templates
# finds (a name given by a variable is not a file we can know in advance).
_REFERENCE = re.compile(r"""\{%[-+]?\s*(?:import|include|extends|from)\s+(["'])(.+?)\1""")


def builtin_dir() -> Path:
    """The folder of the built-in templates (package ``readout.templates``)."""
    return package_folder("readout.templates")


def user_template_dirs(template_dirs: Sequence[str | Path] = ()) -> tuple[Path, ...]:
    """The folders of the user's own templates, searched before the built-in ones: those
    given (``--template-dir``), then those of ``READOUT_TEMPLATES`` (an ``os.pathsep``
    list). A folder that does not exist is a `TemplateError`."""
    if isinstance(template_dirs, (str, Path)):
        template_dirs = [template_dirs]
    listed = [part for part in os.environ.get(TEMPLATES_VARIABLE, "").split(os.pathsep) if part]
    folders: list[Path] = []
    for origin, folder in [*(("given", d) for d in template_dirs),
                           *((TEMPLATES_VARIABLE, d) for d in listed)]:
        path = Path(folder).expanduser().resolve()
        if not path.is_dir():
            where = "" if origin == "given" else f" (named by {TEMPLATES_VARIABLE})"
            raise TemplateError.single(str(folder), f"The template folder{where} does not "
                                                    "exist; create it or correct the path.")
        if path not in folders:
            folders.append(path)
    return tuple(folders)


def dir_key(template_dirs: Sequence[str | Path]) -> tuple[str, ...]:
    """The user's template folders as a hashable key (see `user_template_dirs`)."""
    return tuple(str(folder) for folder in user_template_dirs(template_dirs))


def is_template_name(name: str) -> bool:
    return bool(_NAME.match(name)) and not name.startswith("_") and name != "themes"


def available_templates(template_dirs: Sequence[str | Path] = ()) -> list[str]:
    """The names of every template in the user's folders and the built-in ones, sorted."""
    names: set[str] = set()
    for folder in (*dir_key(template_dirs), str(builtin_dir())):
        try:
            entries = list(Path(folder).iterdir())
        except OSError:
            continue
        names.update(entry.name for entry in entries
                     if is_template_name(entry.name) and (entry / DOCUMENT_FILE).is_file())
    return sorted(names)


def template_files(template: str, template_dirs: Sequence[str | Path] = ()) -> list[Path]:
    """Every file ``template`` is made of: its document, what it imports, its metadata.

    For fingerprints (a series re-renders only what changed). Files come in a stable
    order; an unknown template has none (rendering it reports the error).
    """
    if not is_template_name(template):
        return []
    folders = [Path(folder) for folder in (*dir_key(template_dirs), str(builtin_dir()))]

    def find(name: str) -> Path | None:
        return next((folder / name for folder in folders if (folder / name).is_file()), None)

    document = find(f"{template}/{DOCUMENT_FILE}")
    if document is None:
        return []
    files: list[Path] = []
    queue, seen = [f"{template}/{DOCUMENT_FILE}"], set()
    while queue:
        name = queue.pop(0)
        if name in seen:
            continue
        seen.add(name)
        path = find(name)
        if path is None:
            continue
        files.append(path)
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        queue.extend(match.group(2) for match in _REFERENCE.finditer(text))
    if (document.parent / SPEC_FILE).is_file():
        files.append(document.parent / SPEC_FILE)
    return files


def renders(template: str, template_dirs: Sequence[str | Path] = ()) -> str | None:
    """What ``template`` renders, as its ``template.yaml`` says ('readout', the default,
    or 'series'), read without compiling it; ``None`` when no folder has the template
    or its metadata cannot be read (`templating` then says why)."""
    import yaml

    from .loading import safe_load

    if not is_template_name(template):
        return None
    for folder in (*dir_key(template_dirs), str(builtin_dir())):
        here = Path(folder) / template
        if (here / DOCUMENT_FILE).is_file():
            spec = here / SPEC_FILE
            try:
                data = safe_load(spec.read_text(encoding="utf-8")) if spec.is_file() else {}
            except (OSError, yaml.YAMLError):
                return None
            found = (data or {}).get("renders", "readout") if isinstance(data or {}, dict) else None
            return found if found in ("readout", "series") else None
    return None


__all__ = ["DOCUMENT_FILE", "SPEC_FILE", "TEMPLATES_VARIABLE", "available_templates",
           "builtin_dir", "dir_key", "is_template_name", "renders", "template_files",
           "user_template_dirs"]
