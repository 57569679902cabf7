"""Loading: YAML and JSON in, plain data and positions out, safely and with limits."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

import readout
from readout.errors import LoadError
from readout.loading import parse, read_text


def problems_of(text: str, name: str = "m.yaml") -> list[str]:
    with pytest.raises(readout.ReadoutError) as caught:
        readout.loads(text, name=name)
    return [str(p) for p in caught.value.problems]


def test_every_scalar_loads_as_the_string_typed() -> None:
    source = parse("a: 10:30\nb: NO\nc: 1.10\nd: 0777\ne: yes\nf: 2025-06-26\n")
    assert source.data == {"a": "10:30", "b": "NO", "c": "1.10", "d": "0777", "e": "yes",
                           "f": "2025-06-26"}


def test_plain_empty_and_tilde_are_null_but_quoted_ones_are_text() -> None:
    assert parse('a:\nb: ~\nc: ""\nd: "~"\n').data == {"a": None, "b": None, "c": "", "d": "~"}


def test_positions_point_at_values_and_keys() -> None:
    source = parse("meeting:\n  venue:\n    city: Qingdao\n")
    assert source.positions.locate(("meeting", "venue", "city")) == (3, 11)
    assert source.positions.locate_key(("meeting", "venue", "city")) == (3, 5)
    assert source.positions.locate(("meeting", "venue", "country")) == (3, 5)


def test_a_tab_is_a_located_syntax_error() -> None:
    [line] = problems_of("format: readout/1\ntitle: x\n\tsummary: y\n")
    assert line.startswith("m.yaml:3:1: The YAML is malformed: found a tab character")
    assert "Indent with spaces, never tabs." in line


def test_a_root_that_is_not_a_mapping_is_refused() -> None:
    [line] = problems_of("- one\n- two\n")
    assert line == ("m.yaml:1:1: A readout must be a mapping of keys and values "
                    "(starting with 'format: readout/1'), not a list.")


def test_an_empty_file_is_refused() -> None:
    [line] = problems_of("# nothing here\n")
    assert line.startswith("m.yaml:1:1: The file is empty")


def test_python_tags_are_refused_and_nothing_runs(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = f"format: !!python/object/apply:os.system ['touch {marker}']\n"
    [line] = problems_of(text)
    assert line.startswith("m.yaml:1:9: format: The tag 'python/object/apply:os.system' is "
                           "not allowed")
    assert not marker.exists()


def test_an_alias_bomb_is_refused_at_its_first_alias() -> None:
    bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        bomb.append(f"{level}: &{level} [" + ",".join([f"*{previous}"] * 9) + "]")
    problems = problems_of("\n".join(bomb) + "\n")
    assert problems[0] == ("m.yaml:2:8: b.0: YAML aliases (*a) are not allowed in a readout; "
                           "write the value out in full.")


def test_duplicate_keys_are_refused_where_they_repeat() -> None:
    [line] = problems_of("title: a\ntitle: b\n")
    assert line == "m.yaml:2:1: title: The key 'title' appears twice; keep one."


def test_json_loads_with_positions() -> None:
    source = parse(json.dumps({"a": {"b": [1, 2]}}, indent=2), "m.json")
    assert source.data == {"a": {"b": ["1", "2"]}}
    assert source.positions.locate(("a", "b", 1)) == (5, 7)


def test_oversized_input_is_refused_before_parsing(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"# " + b"x" * 200 + b"\n")
    with pytest.raises(LoadError) as caught:
        read_text(big, max_bytes=100)
    assert "larger than" in str(caught.value)


def test_invalid_utf8_is_located(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"title: ok\nsummary: caf\xe9\n")
    with pytest.raises(LoadError) as caught:
        read_text(bad)
    assert str(caught.value) == f"{bad}:2:13: The file is not valid UTF-8 text; save it as UTF-8."


def test_a_missing_file_is_reported_plainly(tmp_path: Path) -> None:
    with pytest.raises(LoadError) as caught:
        readout.load(tmp_path / "absent.yaml")
    assert str(caught.value).endswith("absent.yaml: The file does not exist.")


def test_stdin_is_read_with_a_dash(monkeypatch: pytest.MonkeyPatch, minimal_text: str) -> None:
    fake = io.TextIOWrapper(io.BytesIO(minimal_text.encode()), encoding="utf-8")
    monkeypatch.setattr("sys.stdin", fake)
    assert readout.load("-").id == "readout"


def test_a_file_object_is_read(minimal_text: str) -> None:
    assert readout.load(io.StringIO(minimal_text)).title == "Minister A meets Minister B"


DEPTH_MESSAGE = ("This is nested more than 32 levels deep; a readout needs a few levels at "
                 "most. Check the brackets and the indentation.")


@pytest.mark.parametrize("depth", [40, 600, 998, 5000])
def test_deep_nesting_is_a_located_error_at_any_depth(depth: int) -> None:
    text = "format: readout/1\ntitle: " + "[" * depth + "]" * depth + "\n"
    [line] = problems_of(text)
    assert line.startswith("m.yaml:2:")
    assert line.endswith(DEPTH_MESSAGE)


def test_deep_block_nesting_is_a_located_error() -> None:
    text = "format: readout/1\ntitle:\n" + "".join(
        "  " * (level + 1) + "-\n" for level in range(700))
    [line] = problems_of(text)
    assert line.startswith("m.yaml:") and line.endswith(DEPTH_MESSAGE)


@pytest.mark.parametrize("depth", [40, 2000, 100_000])
def test_deep_python_data_is_refused_before_validation(depth: int) -> None:
    data: dict[str, object] = {}
    inner = data
    for _ in range(depth):
        inner["x"] = {}
        inner = inner["x"]  # type: ignore[assignment]
    with pytest.raises(readout.ValidationError) as caught:
        readout.from_dict({"format": "readout/1", "title": data})
    [problem] = caught.value.problems
    assert problem.message == DEPTH_MESSAGE
    assert problem.path.startswith("title.x.x.x")


def test_data_that_contains_itself_is_refused() -> None:
    data: dict[str, object] = {"format": "readout/1"}
    data["title"] = [data]
    with pytest.raises(readout.ValidationError) as caught:
        readout.from_dict(data)
    assert caught.value.problems[0].message == DEPTH_MESSAGE


def test_validate_reports_deep_nesting_without_a_traceback(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from readout.cli import main

    deep = tmp_path / "deep.yaml"
    deep.write_text("format: readout/1\ntitle: " + "[" * 700 + "]" * 700 + "\n")
    result = CliRunner().invoke(main, ["validate", str(deep)])
    assert result.exit_code == 1
    assert result.output.splitlines()[0].startswith(f"{deep}:2:")
    assert result.output.splitlines()[0].endswith(DEPTH_MESSAGE)


def test_a_lone_surrogate_is_a_located_error() -> None:
    [line] = problems_of("format: readout/1\ntitle: Talks \ud800 held\n")
    assert line == ("m.yaml:2:14: The text holds U+D800, half of a character pair, which is "
                    "no character on its own; remove it.")


def test_a_raw_control_character_is_located() -> None:
    [line] = problems_of("format: readout/1\ntitle: Talks \x01 held\n")
    assert line == ("m.yaml:2:14: The character U+0001 cannot appear in a YAML file; remove "
                    "it, or write it as \\x01 inside double quotes.")


def test_an_alias_used_as_a_key_is_refused() -> None:
    lines = problems_of("format: readout/1\nnote: &k title\n*k : Talks\n")
    assert "m.yaml:3:1: YAML aliases (*k) are not allowed in a readout; write the value out " \
           "in full." in lines


def test_text_given_to_loads_is_measured_in_bytes_as_files_are() -> None:
    text = "format: readout/1\ntitle: " + "é" * 6_000_000 + "\n"  # 6 M characters, 12 MB
    [line] = problems_of(text)
    assert line.startswith("m.yaml: The file is larger than 10 MB")


def test_more_values_than_a_readout_needs_are_refused_where_they_pass_the_limit() -> None:
    text = "format: readout/1\ntags: [" + "x, " * 40_000 + "]\n"
    [line] = problems_of(text)
    assert line.startswith("m.yaml:2:")
    assert line.endswith("tags.29997: The file holds more than 30,000 values; a readout "
                         "needs a few hundred. Split it into several readouts.")


@pytest.mark.parametrize("indent", ["\t", "  \t", "\t "])
def test_a_tab_in_the_indentation_says_tab(indent: str) -> None:
    text = "format: readout/1\nmeeting:\n  kind: call\n" + indent + "date: 2025-06-26\n"
    with pytest.raises(readout.LoadError) as caught:
        readout.loads(text, name="m.yaml")
    [problem] = caught.value.problems
    assert problem.line == 4 and "tab" in problem.message
    assert problem.message.endswith("Indent with spaces, never tabs.")
