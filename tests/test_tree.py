"""The document tree: a closed set of nodes, and a fixture that uses every one of them;
every writer of the registry renders that fixture with the PDF's words, so a new node
without a writer, or a new writer without a node, fails here."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from readout import tree as t
from readout.themes import default_theme
from readout.writers import FORMATS, writer_for

from .conftest import every_node_document
from .extract import spanning_rows, words_of


def nodes(document: t.Document) -> Iterator[object]:
    def walk(node: object) -> Iterator[object]:
        yield node
        for child in getattr(node, "children", ()):
            yield from walk(child)
        if isinstance(node, t.BulletList):
            for item in node.items:
                for block in item:
                    yield from walk(block)
        if isinstance(node, t.Table):
            for row in (node.header, *node.rows):
                for cell in row.cells if row else ():
                    yield from walk(cell)
        if isinstance(node, t.Quote):
            for inline in node.attribution:
                yield from walk(inline)

    for block in (*document.header, *document.body, *document.footer):
        yield from walk(block)


def test_the_every_node_fixture_uses_every_block_and_inline_type() -> None:
    used = {type(node) for node in nodes(every_node_document())}
    assert set(t.BLOCK_TYPES) <= used
    assert set(t.INLINE_TYPES) <= used


def test_the_node_sets_are_the_type_aliases() -> None:
    assert len(t.BLOCK_TYPES) == 11 and len(t.INLINE_TYPES) == 7
    assert t.Image in t.BLOCK_TYPES and t.Chart in t.BLOCK_TYPES
    assert t.PageCount in t.INLINE_TYPES


def test_a_sibling_file_is_a_bare_name_that_leads_nowhere_else() -> None:
    from readout.safe_text import is_sibling_file

    assert is_sibling_file("2025-06-26-qingdao-in-ru.internal-brief.pdf")
    for target in ("../secret.pdf", "a/b.pdf", "a\\b.pdf", "/etc/passwd", "file:x.pdf",
                   "javascript:alert(1)", ".hidden.pdf", "a..b.pdf", "", "x y.pdf",
                   "https://example.org/x.pdf"):
        assert not is_sibling_file(target), target


def test_plain_text_is_what_a_reader_sees() -> None:
    inlines = (t.Text("a "), t.Strong((t.Emphasis((t.Text("b"),)),)), t.LineBreak(),
               t.Link("https://example.org", (t.Text("c"),)), t.PageNumber())
    assert t.plain_text(inlines) == "a b\nc"


class _Unknown:
    """Not a node of the tree."""

    style = None


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_writer_of_the_registry_writes_every_node_with_the_words_of_the_pdf(
        fmt: str) -> None:
    document = every_node_document()
    pdf = words_of(writer_for("pdf")(document, default_theme()), "pdf")
    words = words_of(writer_for(fmt)(document, default_theme()), fmt,
                     furniture=frozenset({"HEADER BANNER"}))
    assert words == pdf
    assert "Nested" in words and "2025-12-31" in words and "Speaker" in words


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_writer_refuses_a_node_it_does_not_know(fmt: str) -> None:
    document = t.Document(metadata=t.Metadata(title="x"),
                          body=(_Unknown(),))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="_Unknown"):
        writer_for(fmt)(document, default_theme())


def test_blocks_within_reaches_every_block_in_reading_order() -> None:
    def para(text: str) -> t.Paragraph:
        return t.Paragraph(children=(t.Text(text),))

    inner = t.BulletList(items=((para("item 1"),), (t.Quote(children=(para("quoted"),)),)))
    body = (para("first"), t.Section(children=(inner, para("after"))), para("last"))
    texts = [t.plain_text(b.children) for b in t.blocks_within(body)
             if isinstance(b, t.Paragraph)]
    assert texts == ["first", "item 1", "quoted", "after", "last"]


def _delegations() -> t.Document:
    def row(*texts: str, group: bool = False) -> t.Row:
        return t.Row(tuple(t.Cell((t.Text(text),) if text else ()) for text in texts),
                     style="table-group" if group else None, group=group)

    names = ("Delegation of the Republic of Kazakhstan", "Delegation of Mongolia")
    return t.Document(metadata=t.Metadata(title="Delegations"), body=(t.Table(
        widths=(0.2, 0.4, 0.4), header=row("Name", "Title", "Role"),
        rows=(row(names[0], "", "", group=True), row("A. Nurlanov", "Minister", "Head"),
              row(names[1], "", "", group=True), row("B. Batbayar", "Deputy", "Member"))),))


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_writer_of_the_registry_draws_a_group_row_across_its_table(fmt: str) -> None:
    data = writer_for(fmt)(_delegations(), default_theme())
    assert spanning_rows(data, fmt) == ["Delegation of the Republic of Kazakhstan",
                                        "Delegation of Mongolia"]
    assert words_of(data, fmt) == words_of(writer_for("pdf")(_delegations(),
                                                             default_theme()), "pdf")
