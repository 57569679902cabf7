"""The Python API (SPEC section 9): ids for data without a file, problems in the data's
order, and a public surface that help() shows without importing the renderers."""

from __future__ import annotations

import copy
import inspect
import pydoc
import subprocess
import sys
from typing import Any

import pytest
import yaml

import readout

from .conftest import MINIMAL


def minimal() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(MINIMAL)
    return data


def test_from_dict_takes_the_id_the_data_gives() -> None:
    assert readout.from_dict({**minimal(), "id": "2025-06-26-talks"}).id == "2025-06-26-talks"


def test_from_dict_without_an_id_derives_a_stable_one_from_the_content() -> None:
    first, again = readout.from_dict(minimal()), readout.from_dict(copy.deepcopy(minimal()))
    other = readout.from_dict({**minimal(), "title": "Minister A meets Minister C"})
    assert first.id == again.id != other.id
    assert first.id.startswith("readout-") and len(first.id) == len("readout-") + 12
    assert readout.from_dict(minimal(), name="2025-06-26-talks.yaml").id == "2025-06-26-talks"
    assert readout.loads(MINIMAL).id != readout.loads(MINIMAL + "tags: [x]\n").id


def test_problems_from_a_dict_come_in_the_order_of_the_data() -> None:
    data = {"format": "readout/1", "title": "x", "meeting": {"kind": "summit"},
            "issuer": {"organisation": ""}, "summary": ["not", "text"]}
    with pytest.raises(readout.ValidationError) as caught:
        readout.from_dict(data)
    assert [p.path for p in caught.value.problems] == [
        "meeting.kind", "meeting.date", "issuer.organisation", "summary", "participants",
        "key_points"]
    reordered = {"summary": data["summary"], "issuer": data["issuer"], **data}
    with pytest.raises(readout.ValidationError) as caught:
        readout.from_dict(reordered)
    assert [p.path for p in caught.value.problems][:3] == [
        "summary", "issuer.organisation", "meeting.kind"]


def test_help_shows_the_render_functions() -> None:
    text = pydoc.render_doc(readout, renderer=pydoc.plaintext)
    for name in ("render(doc", "render_to(doc", "render_tree(document", "render_series(path",
                 "from_dict(data", "loads(text", "SeriesReport"):
        assert name in text, name


def test_the_stand_ins_have_the_renderers_signatures_and_docstrings() -> None:
    from readout import batch, rendering

    for real in (rendering.render, rendering.render_to, rendering.render_tree,
                 batch.render_series):
        public = getattr(readout, real.__name__)
        assert public is not real
        assert inspect.signature(public) == inspect.signature(real), real.__name__
        assert public.__doc__ == real.__doc__, real.__name__


def test_import_readout_does_not_import_the_renderers() -> None:
    code = ("import sys, readout; print(sorted(m for m in ('reportlab', 'docx', 'jinja2') "
            "if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"
