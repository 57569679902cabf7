"""The published JSON Schemas are generated from the marshmallow schemas and up to date."""

from __future__ import annotations

import json

import pytest

from readout import schema_export
from readout.writers import FORMATS

from .conftest import ROOT


@pytest.mark.parametrize("file_name", sorted(schema_export.published()))
def test_committed_schema_is_not_stale(file_name: str) -> None:
    committed = (ROOT / "schemas" / file_name).read_text(encoding="utf-8")
    fresh = schema_export.render(schema_export.published()[file_name])
    assert committed == fresh, (
        f"schemas/{file_name} is stale: run `python -m readout.schema_export`")


def test_the_schema_knows_every_rule_an_editor_can_check() -> None:
    document = schema_export.published()["readout-1.schema.json"]
    defs = document["$defs"]
    assert document["additionalProperties"] is False
    assert document["properties"]["participants"]["minItems"] == 1
    assert defs["Meeting"]["properties"]["kind"]["enum"] == [
        "bilateral", "multilateral", "call", "visit", "other"]
    # a marking of any scheme is valid JSON: the loader checks it against the scheme
    for where in (document, defs["Outcome"], defs["KeyPoint"], defs["Participant"]):
        assert where["properties"]["classification"] == {"type": "string", "minLength": 1}
    assert "enum" not in document["properties"]["face_classification"]
    assert document["properties"]["classification_scheme"]["examples"] == [
        "default", "uk", "us", "india"]
    assert defs["Meeting"]["properties"]["date"]["format"] == "date"
    assert set(defs["Participant"]["required"]) == {"name", "title", "country", "role"}
    json.dumps(document)


def test_the_series_schema_is_published() -> None:
    document = schema_export.published()["readout-series-1.schema.json"]
    assert document["properties"]["format"]["enum"] == ["readout-series/1"]
    assert set(document["required"]) == {"format", "title", "readouts"}
    assert document["$defs"]["Render"]["properties"]["formats"]["items"]["enum"] == list(
        FORMATS)


def test_the_theme_schema_is_published() -> None:
    document = schema_export.published()["readout-theme-1.schema.json"]
    defs = document["$defs"]
    assert document["properties"]["format"]["enum"] == ["readout-theme/1"]
    assert document["properties"]["styles"]["additionalProperties"] == {"$ref": "#/$defs/Style"}
    assert defs["Style"]["properties"]["alignment"]["enum"] == [
        "left", "center", "centre", "right", "justify", "justified"]
    assert defs["Style"]["properties"]["size"]["exclusiveMinimum"] == 0
    assert defs["Page"]["properties"]["margin_left_mm"]["minimum"] == 0
    assert defs["Page"]["properties"]["size"]["enum"] == ["A3", "A4", "A5", "letter", "legal"]
    assert set(defs["FontFamily"]["required"]) == {"family", "regular"}
    assert defs["Style"]["additionalProperties"] is False


def test_the_built_in_theme_is_valid_against_its_json_schema() -> None:
    import jsonschema
    import yaml

    from readout.themes import BUILTIN_THEMES

    document = schema_export.published()["readout-theme-1.schema.json"]
    data = yaml.safe_load(BUILTIN_THEMES.joinpath("default.yaml").read_text("utf-8"))
    jsonschema.validate(data, document)


def test_the_scheme_file_schema_is_published() -> None:
    document = schema_export.published()["readout-scheme-1.schema.json"]
    assert document["required"] == ["levels"]
    assert document["properties"]["levels"]["minItems"] == 2
    assert document["properties"]["style"]["enum"] == ["headings", "paragraphs"]
