"""The published JSON Schemas are generated from the marshmallow schemas and up to date."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

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
        "bilateral", "multilateral", "call", "video", "visit", "call-on", "other"]
    # a marking of any scheme is valid JSON: the loader checks it against the scheme
    for where in (document, defs["Outcome"], defs["KeyPoint"], defs["Participant"]):
        marking = dict(where["properties"]["classification"])
        assert marking.pop("description")
        assert marking == {"type": "string", "minLength": 1}
    assert "enum" not in document["properties"]["face_classification"]
    assert document["properties"]["classification_scheme"]["examples"] == [
        "default", "uk", "us", "india"]
    assert defs["Meeting"]["properties"]["date"]["format"] == "date"
    assert defs["Participant"]["required"] == ["role"]
    assert "venue" not in defs["Meeting"]["required"]
    assert set(defs["Photo"]["required"]) == {"file", "alt"}
    assert "Not for publication before" in document["properties"]["embargo"]["description"]
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


# -- the schemas as other tools read them -------------------------------------------------------

READOUT_SAMPLES = sorted(p for p in (ROOT / "samples").glob("*.yaml")
                         if "format: readout/1" in p.read_text(encoding="utf-8"))
SERIES_SAMPLES = sorted((ROOT / "samples").glob("*.series.yaml"))
THEMES = sorted((ROOT / "templates" / "themes").glob("*.yaml"))


def check_jsonschema(*args: str) -> subprocess.CompletedProcess[str]:
    """check-jsonschema in its default mode (ECMA-262 regexes, formats checked)."""
    return subprocess.run([sys.executable, "-m", "check_jsonschema", *args],
                          capture_output=True, text=True, check=False)


def test_every_published_schema_is_valid_for_ecma_regex_validators() -> None:
    files = [str(ROOT / "schemas" / name) for name in sorted(schema_export.published())]
    result = check_jsonschema("--check-metaschema", *files)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(("schema", "files"), [
    ("readout-1.schema.json", READOUT_SAMPLES),
    ("readout-series-1.schema.json", SERIES_SAMPLES),
    ("readout-theme-1.schema.json", THEMES),
], ids=["readouts", "series", "themes"])
def test_every_sample_is_valid_against_its_schema(schema: str, files: list[Path]) -> None:
    assert files
    result = check_jsonschema("--schemafile", str(ROOT / "schemas" / schema),
                              *map(str, files))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(("old", "new", "node"), [
    ("  kind: bilateral", "  kind: bilaterl", "meeting.kind"),
    ("  date: 2025-06-26", "  date: 2025-06-31x", "meeting.date"),
    ("id: 2025-06-26-qingdao-in-ru", "id: Qingdao_Talks", "id"),
    ("    role: counterpart", "    role: counterparts", "participants.1.role"),
])
def test_a_broken_sample_fails_at_the_node_readout_validate_names(
        tmp_path: Path, old: str, new: str, node: str) -> None:
    from click.testing import CliRunner

    from readout.cli import main

    text = (ROOT / "samples" / "2025-06-26-qingdao-in-ru.yaml").read_text(encoding="utf-8")
    assert old in text
    broken = tmp_path / "broken.yaml"
    broken.write_text(text.replace(old, new, 1), encoding="utf-8")
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "emblem.png").write_bytes(
        (ROOT / "samples" / "assets" / "emblem.png").read_bytes())
    result = check_jsonschema("--output-format", "json", "--schemafile",
                              str(ROOT / "schemas" / "readout-1.schema.json"), str(broken))
    assert result.returncode == 1
    errors = json.loads(result.stdout)["errors"]
    paths = {re.sub(r"\[(\d+)\]", r".\1", e["path"]).removeprefix("$.") for e in errors}
    ours = CliRunner().invoke(main, ["validate", "--format", "json", str(broken)])
    named = {p["path"] for p in json.loads(ours.output)["problems"] if p["severity"] == "error"}
    assert paths == named == {node}


def _properties(node: object, where: str) -> list[tuple[str, object]]:
    found = []
    if isinstance(node, dict):
        for name, prop in (node.get("properties") or {}).items():
            found.append((f"{where}.{name}", prop))
        for key, value in node.items():
            found.extend(_properties(value, f"{where}.{key}" if key != "properties" else where))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(_properties(value, f"{where}[{index}]"))
    return found


@pytest.mark.parametrize("file_name", sorted(schema_export.published()))
def test_every_property_has_a_description_for_editors(file_name: str) -> None:
    document = schema_export.published()[file_name]
    missing = [where for where, prop in _properties(document, "$")
               if not (isinstance(prop, dict) and str(prop.get("description", "")).strip())]
    assert missing == []


def test_the_series_defaults_are_typed_as_partial_readouts() -> None:
    document = schema_export.published()["readout-series-1.schema.json"]
    defaults = document["properties"]["defaults"]
    assert defaults["$ref"] == "#/$defs/Defaults"
    partial = document["$defs"]["Defaults"]
    assert "required" not in partial and partial["additionalProperties"] is False
    issuer = document["$defs"][partial["properties"]["issuer"]["$ref"].split("/")[-1]]
    assert "required" not in issuer and "logo" in issuer["properties"]
    participant = partial["properties"]["participants"]["items"]["$ref"].split("/")[-1]
    assert "required" in document["$defs"][participant]  # a list replaces: whole entries


def test_a_mistake_in_a_series_defaults_fails_the_series_schema(tmp_path: Path) -> None:
    text = (ROOT / "samples" / "sco-qingdao-2025.series.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "broken.series.yaml"
    broken.write_text(text.replace("defaults:\n", "defaults:\n  titel: Oops\n", 1),
                      encoding="utf-8")
    result = check_jsonschema("--output-format", "json", "--schemafile",
                              str(ROOT / "schemas" / "readout-series-1.schema.json"), str(broken))
    assert result.returncode == 1
    [error] = json.loads(result.stdout)["errors"]
    assert error["path"] == "$.defaults" and "'titel' was unexpected" in error["message"]
