"""Let go of what one rendering's macros hold, so that it is freed when it returns.

Jinja compiles each macro to a closure over the rendering's context and over the other
macros of its template; the context (and an imported module) holds the macros in turn.
Every rendering therefore leaves a knot of reference cycles (macros, their cells, the
module, its context and all it sees) for the cyclic garbage collector to find, which
makes it run more often and walk all of that each time. `release` empties those
closures once the rendering is over; nothing else ever calls the macros.
"""

from __future__ import annotations

from typing import Any

import jinja2
from jinja2.environment import TemplateModule
from jinja2.runtime import Context, Macro


def release(context: Context) -> None:
    """Empty the closure cells of the macros ``context`` reaches (through its variables,
    the modules it imported and their own contexts), but for those of a module a
    template keeps for later renderings (imported without context)."""
    kept = _kept(context.environment)
    pending: list[Any] = list(context.vars.values())
    seen: set[int] = set()
    while pending:
        value = pending.pop()
        if id(value) in seen or id(value) in kept:
            continue
        seen.add(id(value))
        kind = type(value)
        if kind is Macro:
            for cell in value._func.__closure__ or ():
                try:
                    pending.append(cell.cell_contents)
                except ValueError:  # a name the macro's template never bound
                    continue
                del cell.cell_contents
        elif kind is TemplateModule:
            pending.extend(vars(value).values())
        elif kind is Context:
            pending.extend(value.vars.values())


def _kept(environment: jinja2.Environment) -> set[int]:
    """The modules the environment's templates keep for later renderings, and their
    macros (which ``{% from ... import %}`` may have put in a rendering's context)."""
    kept: set[int] = set()
    for template in (environment.cache or {}).values():
        module = template._module
        if module is not None:
            kept.add(id(module))
            kept.update(id(value) for value in vars(module).values())
    return kept
