"""Properties over any input: `loads`, `from_dict` and rendering raise nothing but a
`ReadoutError`, and every error found in text says where (line and column).

The budget is fixed (each test's ``max_examples``; no deadline, as CI machines are
shared): a run costs about the same every time.
"""

from __future__ import annotations

import contextlib
import copy
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import readout
from readout.templating import readout_templates
from readout.writers import FORMATS

from .conftest import MINIMAL

BASE: dict[str, Any] = yaml.load(MINIMAL, Loader=yaml.BaseLoader)
LINES = MINIMAL.splitlines(keepends=True)

# Any character, surrogates and controls included: what a careless caller may pass.
ANY_TEXT = st.text(st.characters(codec=None, categories=None), max_size=40)
YAML_BITS = st.sampled_from([
    ":", ": ", "- ", "-", "[", "]", "{", "}", ",", "&a ", "*a", "!!str ", "!x ", "|", ">",
    "'", '"', "#", "\t", "\n", "  ", "~", "null", "---\n", "...\n", "? ", "%YAML 1.1\n",
    "\\", "\x00", "\ufeff", "\ud800", "é", "\u202e", "10:30", "2025-02-30", "0001-01-01",
])


def _problems_are_located(error: readout.ReadoutError) -> None:
    for problem in error.problems:
        assert problem.line >= 1 and problem.column >= 1, str(problem)
        assert problem.message.strip().endswith((".", "?", ")")), problem.message


@st.composite
def damaged_readouts(draw: st.DrawFn) -> str:
    """The minimal readout with lines dropped, doubled or cut, and YAML bits put in."""
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 6))):
        where = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["drop", "double", "cut", "insert", "indent"]))
        if action == "drop" and len(lines) > 1:
            del lines[where]
        elif action == "double":
            lines.insert(where, lines[where])
        elif action == "cut":
            line = lines[where]
            lines[where] = line[:draw(st.integers(0, len(line)))] + "\n"
        elif action == "insert":
            line = lines[where]
            at = draw(st.integers(0, len(line)))
            bit = draw(st.one_of(YAML_BITS, ANY_TEXT))
            lines[where] = line[:at] + bit + line[at:]
        else:
            lines[where] = draw(st.sampled_from(["  ", " ", "\t"])) + lines[where]
    return "".join(lines)


@settings(max_examples=300, deadline=None)
@given(st.one_of(damaged_readouts(), ANY_TEXT,
                 st.lists(YAML_BITS, max_size=30).map("".join)))
def test_loads_raises_only_located_readout_errors(text: str) -> None:
    try:
        readout.loads(text, name="m.yaml")
    except readout.ReadoutError as error:
        _problems_are_located(error)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | ANY_TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(ANY_TEXT, inner, max_size=4),
    max_leaves=12)


def _paths(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(data, dict):
        for key, value in data.items():
            found.extend(_paths(value, (*path, key)))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found.extend(_paths(value, (*path, index)))
    return found


@st.composite
def damaged_dicts(draw: st.DrawFn) -> Any:
    """The minimal readout as data with a few values replaced by anything at all."""
    data = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(1, 4))):
        path = draw(st.sampled_from(_paths(data)))
        if not path:
            return draw(JSON)
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        parent[path[-1]] = draw(JSON)
    return data


@settings(max_examples=300, deadline=None)
@given(st.one_of(damaged_dicts(), JSON))
def test_from_dict_raises_only_readout_errors(data: Any) -> None:
    with contextlib.suppress(readout.ReadoutError):
        readout.from_dict(data)  # type: ignore[arg-type]


TEXT_FIELDS = [("title",), ("summary",), ("issuer", "organisation"), ("issuer", "city"),
               ("meeting", "venue", "city"), ("participants", 0, "name"),
               ("participants", 1, "title"), ("key_points", 0, "heading"),
               ("key_points", 0, "body"), ("key_points", 0, "quotes", 0, "text"),
               ("outcomes", 0, "text"), ("outcomes", 0, "owner")]


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.dictionaries(st.sampled_from(TEXT_FIELDS), st.text(
    st.characters(codec=None, categories=None), min_size=1, max_size=300), max_size=6))
def test_rendering_any_valid_readout_raises_only_readout_errors(
        texts: dict[tuple[Any, ...], str]) -> None:
    data = copy.deepcopy(BASE)
    for path, text in texts.items():
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        parent[path[-1]] = text
    try:
        doc = readout.from_dict(data)
    except readout.ReadoutError:
        return
    for template in readout_templates():
        for fmt in FORMATS:
            with contextlib.suppress(readout.ReadoutError):
                assert readout.render(doc, template, fmt)
