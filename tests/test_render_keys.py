"""The keys of the format read back from the documents: each key a readout gives is found,
as a reader sees it, in the rendered PDF and DOCX of the templates that print it.

Templates come from the registry (`available_templates`, `describe_template`), so a new
built-in template is checked with the rest. Every document is rendered once per module.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest
import yaml

import readout
from readout.templating import available_templates, describe_template
from readout.writers import FORMATS

from .conftest import MINIMAL
from .extract import words_of

READOUT_TEMPLATES = tuple(t for t in available_templates()
                          if describe_template(t).renders == "readout")
INTERNAL = tuple(t for t in READOUT_TEMPLATES if describe_template(t).audience == "internal")


def norm(text: str) -> str:
    return " ".join(text.split())


def minimal() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(MINIMAL)
    return data


@cache
def text(case: str, template: str, fmt: str) -> str:
    """The body text of ``CASES[case]`` rendered with ``template`` as ``fmt``."""
    data = readout.render(readout.from_dict(CASES[case]()), template, fmt)
    return " ".join(words_of(data, fmt))


def with_follow_up() -> dict[str, Any]:
    data = minimal()
    data["brief"] = {"follow_up": [
        "Circulate the record to the Services.",
        {"text": "Draft the work plan", "owner": "International Cooperation Division",
         "due": "2025-07-15", "status": "in-progress"}]}
    return data


CASES = {"follow-up": with_follow_up}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("template", INTERNAL)
def test_structured_follow_up_items_fill_a_table_and_free_ones_a_list(
        template: str, fmt: str) -> None:
    shown = text("follow-up", template, fmt)
    assert ("Follow-up Action Owner Due Status Draft the work plan International "
            "Cooperation Division 15 Jul 2025 In progress Circulate the record to the "
            "Services.") in shown
