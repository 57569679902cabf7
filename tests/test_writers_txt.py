"""The plain-text writer: the document tree as UTF-8 text for an e-mail, 72 columns.

Widths are measured as a fixed-pitch mail client shows them (East Asian wide
characters take two columns), by unicodedata, independently of the writer's code.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

import pytest

import readout
from readout import tree as t
from readout.themes import default_theme
from readout.writers import writer_for
from readout.writers.txt import write

from .conftest import SAMPLES, SEED, every_node_document, tiny_png
from .extract import docx_words, txt_words

SAMPLE_PATHS = sorted(p for p in SAMPLES.glob("*.yaml") if not p.name.endswith(".series.yaml"))


def columns(line: str) -> int:
    return sum(0 if unicodedata.combining(c) or unicodedata.category(c) in ("Mn", "Me", "Cf")
               else 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in line)


def text_of(*blocks: t.Block, header: tuple[t.Block, ...] = (),
            footer: tuple[t.Block, ...] = ()) -> str:
    document = t.Document(metadata=t.Metadata(title="x"), body=blocks, header=header,
                          footer=footer)
    return write(document, default_theme()).decode("utf-8")


@cache
def rendered(path: Path, template: str) -> str:
    return readout.render(readout.load(path), template, "txt").decode("utf-8")


def test_the_writer_is_in_the_registry() -> None:
    assert writer_for("txt") is write


@pytest.mark.parametrize("template", ["press-release", "internal-brief"])
@pytest.mark.parametrize("path", SAMPLE_PATHS, ids=lambda p: p.stem)
def test_no_line_is_wider_than_72_columns_and_no_word_is_broken(path: Path,
                                                                 template: str) -> None:
    text = rendered(path, template)
    lines = text.split("\n")
    assert text.endswith("\n") and not text.endswith("\n\n")
    too_wide = [line for line in lines if columns(line) > 72 and " " in line.strip()]
    assert too_wide == []
    assert [line for line in lines if line != line.rstrip()] == []
    words = set(txt_words(text.encode("utf-8")))
    whole = set(docx_words(readout.render(readout.load(path), template, "docx")))
    assert words - whole == set()  # every word is a whole word of the DOCX


def test_wide_characters_count_double_and_break_between_them() -> None:
    chinese = "中华人民共和国国防部长与印度国防部长在青岛举行会谈双方同意加强合作。" * 3
    text = text_of(t.Paragraph((t.Text(chinese),)))
    lines = text.rstrip("\n").split("\n")
    assert len(lines) > 1
    assert all(columns(line) <= 72 for line in lines)
    assert columns(lines[0]) >= 70  # filled: 36 characters of two columns
    assert "".join(lines) == chinese
    assert not any(line.startswith("。") for line in lines)  # no closing mark opens a line
    mixed = text_of(t.Paragraph((t.Text("The delegation (代表团) met the 部长 in Qingdao " * 6),)))
    assert all(columns(line) <= 72 for line in mixed.rstrip("\n").split("\n"))


def test_a_word_wider_than_the_line_stands_whole_on_its_own_line() -> None:
    url = "https://www.example.gov.in/" + "a" * 80
    text = text_of(t.Paragraph((t.Text(f"See {url} for the text."),)))
    assert text.split("\n")[:3] == ["See", url, "for the text."]
    hyphens = "counter-terrorism " * 10
    lines = text_of(t.Paragraph((t.Text(hyphens),))).rstrip("\n").split("\n")
    assert all(line.endswith("counter-terrorism") for line in lines)


def test_headings_are_underlined_as_wide_as_their_text() -> None:
    text = text_of(t.Heading(1, (t.Text("Title of the release"),)),
                   t.Heading(2, (t.Text("Key point"),)),
                   t.Heading(3, (t.Text("Sub-point 中文"),)))
    assert text == ("Title of the release\n====================\n\n"
                    "Key point\n---------\n\n"
                    "Sub-point 中文\n~~~~~~~~~~~~~~\n")


def test_lists_are_led_by_a_dash_and_nested_two_columns_in() -> None:
    long = "An item long enough to need a second line when it is wrapped at seventy-two"
    text = text_of(t.BulletList((
        (t.Paragraph((t.Text("First"),)),),
        (t.Paragraph((t.Text(long),)),
         t.BulletList(((t.Paragraph((t.Text("Nested"),)),),))),
    )))
    assert text == ("- First\n"
                    "- An item long enough to need a second line when it is wrapped at\n"
                    "  seventy-two\n"
                    "  - Nested\n")


def test_tables_are_aligned_columns() -> None:
    table = t.Table(widths=(0.5, 0.3, 0.2),
                    header=t.Row((t.Cell((t.Text("Action"),)), t.Cell((t.Text("Owner"),)),
                                  t.Cell((t.Text("Due"),)))),
                    rows=(t.Row((t.Cell((t.Text("Deepen cooperation"),)),
                                 t.Cell((t.Text("Department"),)),
                                 t.Cell((t.Text("31 Dec 2025"),)))),
                          t.Row((t.Cell((t.Text("Review"),)), t.Cell(()),
                                 t.Cell((t.Text("2026"),))))))
    assert text_of(table) == (
        "Action              Owner       Due\n"
        "------------------  ----------  -----------\n"
        "Deepen cooperation  Department  31 Dec 2025\n"
        "Review                          2026\n"
        "------------------  ----------  -----------\n")


def test_a_table_too_wide_shares_the_line_and_its_rows_are_set_apart() -> None:
    words = "a long description of the action that will not fit in its column " * 2
    table = t.Table(widths=(0.6, 0.4), header=None, rows=(
        t.Row((t.Cell((t.Text(words),)), t.Cell((t.Text("Directorate of Something"),)))),
        t.Row((t.Cell((t.Text("Short"),)), t.Cell((t.Text("Owner"),))))))
    lines = text_of(table).rstrip("\n").split("\n")
    assert all(columns(line) <= 72 for line in lines)
    rule = lines[0]
    assert set(rule) == {"-", " "} and rule.count("  ") == 1
    assert lines[1] == "" and lines[-2] == "" and lines[-1] == rule
    second = rule.index("  ") + 2  # where the second column starts
    assert all(line[second - 2:second] == "  " for line in lines if len(line) > second)
    assert txt_words(text_of(table).encode("utf-8")) == [*words.split(), "Directorate", "of",
                                                         "Something", "Short", "Owner"]


def test_links_print_their_target_after_their_text() -> None:
    text = text_of(t.Paragraph((
        t.Text("See "), t.Link("https://www.mod.gov.in/", (t.Text("the ministry"),)),
        t.Text("; write to "), t.Link("mailto:media@example.gov.in",
                                      (t.Text("media@example.gov.in"),)),
        t.Text("; "), t.Link("javascript:alert(1)", (t.Text("not a link"),)),
        t.Text(" or "), t.Link("https://x.example/", (t.Text("https://x.example/"),)))))
    assert " ".join(text.split()) == (
        "See the ministry <https://www.mod.gov.in/>; write to media@example.gov.in; "
        "not a link or https://x.example/")


def test_quotes_are_indented_with_their_attribution() -> None:
    text = text_of(t.Quote((t.Paragraph((t.Text("Words said."),)),),
                           attribution=(t.Text("— A Speaker"),)))
    assert text == "    Words said.\n    — A Speaker\n"


def test_alignment_follows_the_theme_and_paragraphs_set_close_share_no_blank_line() -> None:
    text = text_of(t.Section((
        t.Paragraph((t.Text("Government of India"),), style="letterhead-government"),
        t.Paragraph((t.Text("Ministry of Defence"),), style="letterhead-organisation")),
        style="letterhead"),
        t.Paragraph((t.Text("— ENDS —"),), style="endmark"),
        t.Paragraph((t.Text("Body one."),)), t.Paragraph((t.Text("Body two."),)))
    lines = text.split("\n")
    assert lines[0] == " " * 26 + "Government of India"
    assert lines[1] == " " * 26 + "Ministry of Defence"
    assert lines[3].strip() == "— ENDS —" and columns(lines[3]) in (40, 41)
    assert lines[4:] == ["", "Body one.", "", "Body two.", ""]


def test_the_page_furniture_of_page_one_frames_the_body_without_page_numbers() -> None:
    text = text_of(t.Paragraph((t.Text("Body."),)),
                   header=(t.Paragraph((t.Text("SECRET"),), style="banner"),),
                   footer=(t.Paragraph((t.Text("SECRET"),), style="banner"),
                           t.Paragraph((t.Text("Page "), t.PageNumber(), t.Text(" of "),
                                        t.PageCount()))))
    assert [line.strip() for line in text.split("\n")] == ["SECRET", "", "Body.", "",
                                                           "SECRET", ""]
    assert "Page" not in text


def test_every_node_is_written_and_images_leave_only_their_caption() -> None:
    data = write(every_node_document(), default_theme())
    text = data.decode("utf-8")
    assert "HEADER BANNER" in text.split("\n")[0]
    assert "after a break <b>&amp;</b>" in text  # literal, never markup
    assert "Plain strong and emphasis with a link <https://example.org/a?b=1&c=2>\n" in text
    assert "emblem" not in text
    captioned = text_of(t.Image(tiny_png(), 20, alt="The ministers"),
                        t.Paragraph((t.Text("The ministers in Qingdao."),), style="caption"))
    assert captioned.strip() == "The ministers in Qingdao."
    assert text.rstrip().endswith("sibling file.\n\nChart of two bars: Alpha 2, Beta 1."), \
        "a chart is its text equivalent, a paragraph of its own"
    long = t.Chart(width_mm=60, height_mm=20, shapes=(), alt="Bar chart. " + "An owner: 3 "
                   "(2 open, 1 done). " * 8)
    lines = text_of(long).strip().split("\n")
    assert len(lines) > 1 and max(len(line) for line in lines) <= 72
    assert " ".join(lines) == long.alt.strip()


def test_the_text_is_utf8_and_the_same_every_time() -> None:
    data = readout.render(readout.load(SEED), "press-release", "txt")
    assert "— ENDS —".encode() in data and "“stood the test of time”".encode() in data
    assert data == write(readout.templating.build_document(readout.load(SEED), "press-release"),
                         default_theme())
