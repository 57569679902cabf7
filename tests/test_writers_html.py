"""The HTML writer: the document tree as one self-contained, semantic HTML5 page.

Pages are read back as a browser would parse them: html5lib's strict parser (the
WHATWG parsing algorithm, failing on every parse error) for validity, the standard
library's html.parser for elements, attributes and text (tests/extract.py).
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import cache
from pathlib import Path

import html5lib
import pytest

import readout
from readout import tree as t
from readout.templating import available_templates, describe_template
from readout.themes import default_theme
from readout.writers import writer_for
from readout.writers.html import write, write_page

from .conftest import SAMPLES, SEED, every_node_chart, every_node_document, tiny_png
from .extract import css_rules, html_page, html_words

SAMPLE_PATHS = sorted(p for p in SAMPLES.glob("*.yaml") if not p.name.endswith(".series.yaml"))
READOUT_TEMPLATES = tuple(name for name in available_templates()
                          if describe_template(name).renders == "readout")


def page_of(document: t.Document) -> bytes:
    return write(document, default_theme())


def simple(*blocks: t.Block, language: str = "en") -> t.Document:
    return t.Document(metadata=t.Metadata(title="A page", language=language), body=blocks)


def strict_parse(data: bytes) -> None:
    """Parse as a browser does, failing on any parse error (html5lib, strict)."""
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(data.decode("utf-8"))


@cache
def rendered(path: Path, template: str) -> bytes:
    return readout.render(readout.load(path), template, "html")


def test_the_writer_is_in_the_registry() -> None:
    assert writer_for("html") is write


# -- valid HTML5 --------------------------------------------------------------------------


@pytest.mark.parametrize("template", READOUT_TEMPLATES)
@pytest.mark.parametrize("path", SAMPLE_PATHS, ids=lambda p: p.stem)
def test_every_sample_in_every_template_is_valid_html5(path: Path, template: str) -> None:
    try:
        data = rendered(path, template)
    except readout.NothingPublicError:
        pytest.skip("this readout has no public document")  # tested in test_render
    strict_parse(data)
    assert data.startswith(b"<!DOCTYPE html>\n<html lang=")


def test_the_strict_parser_does_fail_on_a_parse_error() -> None:
    good = page_of(every_node_document())
    strict_parse(good)
    for broken in (good.replace(b"</p>", b"</div>", 1), good.replace(b"<h2", b"<h2 <", 1),
                   good.replace(b"Plain ", b"Plain \xc2\x85", 1)):
        with pytest.raises(html5lib.html5parser.ParseError):
            strict_parse(broken)


def test_every_node_is_valid_and_characters_html_forbids_are_dropped() -> None:
    text = "a\x00b\x0bc\x7fd\x85e\x9ff\ufdd0g\ufffeh\U0001ffffi\ud800j"
    data = page_of(simple(t.Paragraph((t.Text(text),)),
                          t.Paragraph((t.Text("x"),), style="no-such-style")))
    strict_parse(data)
    strict_parse(page_of(every_node_document()))
    assert html_words(data) == ["abcdefghij", "x"]


# -- semantic structure -------------------------------------------------------------------


def test_every_node_becomes_its_semantic_element() -> None:
    page = html_page(page_of(every_node_document()))
    tags = [tag for tag, _ in page.tags]
    body = tags[tags.index("article"):]
    for element in ("header", "h1", "h2", "h3", "p", "ul", "li", "table", "thead", "tbody",
                    "th", "td", "blockquote", "figure", "figcaption", "img", "hr", "strong",
                    "em", "a", "br"):
        assert element in body, element
    assert [tag for tag in body if tag in ("h1", "h2", "h3")] == ["h1", "h2", "h3"]
    # the article's header: the letterhead up to the title
    assert body[:body.index("h1") + 1].count("header") == 1
    assert tags.index("main") < tags.index("article")
    assert "script" not in tags and "iframe" not in tags and "link" not in tags
    assert page.root == {"lang": "en", "dir": "ltr"}
    assert page.title == "Every node"
    assert page.meta["author"] == "Ministry of Tests"
    assert page.meta["keywords"] == "alpha, beta"
    assert page.meta["dcterms.created"] == "2025-06-26T15:15:00"
    assert page.links == ["https://example.org/a?b=1&c=2", "sibling.internal-brief.pdf"]


def test_a_chart_is_a_figure_with_its_text_equivalent_said_once() -> None:
    page = html_page(page_of(simple(every_node_chart())))
    figure = [tag for tag, _ in page.tags[[tag for tag, _ in page.tags].index("figure"):]]
    assert figure[:3] == ["figure", "img", "figcaption"]
    [img] = page.images
    [caption] = [attrs for tag, attrs in page.tags if tag == "figcaption"]
    assert img["alt"] == "Chart of two bars: Alpha 2, Beta 1."
    assert img["src"].startswith("data:image/png;base64,")
    assert (img["width"], img["height"]) == ("227", "76"), "60 x 20 mm at 96 px an inch"
    # The eye reads the caption; a screen reader the alt, not both.
    assert caption["aria-hidden"] == "true"
    assert " ".join("".join(page.article).split()) == img["alt"]


def test_tables_have_header_cells_with_scope() -> None:
    page = html_page(page_of(every_node_document()))
    scopes = [attrs.get("scope") for tag, attrs in page.tags if tag == "th"]
    assert scopes == ["col", "col", "col", "rowgroup"]  # the header, then the group row
    facts = t.Table(widths=(0.3, 0.7), header=None, rows=(
        t.Row((t.Cell((t.Text("Kind"),)), t.Cell((t.Text("Bilateral"),)))),
        t.Row((t.Cell((t.Text("Date"),)), t.Cell((t.Text("26 June 2025"),))))))
    page = html_page(page_of(simple(facts)))
    cells = [(tag, attrs.get("scope")) for tag, attrs in page.tags if tag in ("th", "td")]
    assert cells == [("th", "row"), ("td", None), ("th", "row"), ("td", None)]
    widths = [css_rules(page.style)[attrs["class"]]["width"]
              for tag, attrs in page.tags if tag == "col"]
    assert widths == ["30%", "70%"]


def test_a_quote_with_an_attribution_is_a_figure_and_its_caption() -> None:
    data = page_of(simple(t.Quote((t.Paragraph((t.Text("Words said."),)),),
                                  attribution=(t.Text("— A Speaker"),))))
    assert re.search(rb'<figure class="[^"]+">\n<blockquote class="[^"]+">\n<p class="s-quote">'
                     rb"Words said.</p>\n</blockquote>\n<figcaption class=\"s-attribution\">"
                     rb"\xe2\x80\x94 A Speaker</figcaption>\n</figure>", data)
    alone = page_of(simple(t.Quote((t.Paragraph((t.Text("Unattributed."),)),))))
    assert b"<figure" not in alone and b"<blockquote" in alone


def test_an_image_with_a_caption_is_a_figure_and_one_without_is_not() -> None:
    captioned = page_of(simple(t.Image(tiny_png(40, 20), 50, alt="The ministers"),
                               t.Paragraph((t.Text("The ministers in Qingdao."),),
                                           style="caption")))
    page = html_page(captioned)
    [image] = page.images
    assert image["alt"] == "The ministers"
    assert (image["width"], image["height"]) == ("189", "94")  # 50 mm at 96 px an inch
    assert re.search(rb"<figure [^>]*><img [^>]*>\n<figcaption [^>]*>The ministers in Qingdao."
                     rb"</figcaption>\n</figure>", captioned)
    plain = page_of(simple(t.Image(tiny_png(), 20, alt="emblem")))
    assert b"<figure" not in plain and b'alt="emblem"' in plain
    with pytest.raises(readout.RenderError, match="'x' is neither PNG nor JPEG"):
        page_of(simple(t.Image(b"GIF89a", 20, alt="x")))
    with pytest.raises(readout.RenderError, match="'y' cannot be read; it is damaged"):
        page_of(simple(t.Image(tiny_png()[:20], 20, alt="y")))
    tall = html_page(page_of(simple(t.Image(tiny_png(1, 1000), 150))))
    height_mm = int(tall.images[0]["height"]) * 25.4 / 96  # at most 80% of the page's body
    assert height_mm == pytest.approx(0.8 * (297 - 24 - 22), abs=0.5)
    assert "max-height:200.8mm" in tall.style


def test_heading_levels_never_skip_one() -> None:
    page = html_page(page_of(simple(t.Heading(1, (t.Text("Title"),)),
                                    t.Heading(3, (t.Text("Deep"),)),
                                    t.Heading(3, (t.Text("Deeper"),)),
                                    t.Heading(2, (t.Text("Back"),)))))
    assert [tag for tag, _ in page.tags if tag[0] == "h" and tag[1:].isdigit()] == [
        "h1", "h2", "h3", "h2"]


def test_lists_nest_inside_their_item() -> None:
    data = page_of(every_node_document())
    assert re.search(rb"<li [^>]*>Second item\n<ul [^>]*>\n<li [^>]*>Nested item</li>\n"
                     rb"</ul></li>", data)


# -- direction and language ---------------------------------------------------------------


def test_the_document_language_and_direction_are_on_the_root() -> None:
    for language, direction in (("en", "ltr"), ("hi-IN", "ltr"), ("ur", "rtl"), ("ar-EG", "rtl"),
                                ("fa", "rtl"), ("pa-Arab", "rtl"), ("zh-Hans", "ltr")):
        page = html_page(page_of(simple(t.Paragraph((t.Text("x"),)), language=language)))
        assert page.root == {"lang": language, "dir": direction}, language


def test_a_passage_in_the_other_direction_gets_its_own_dir() -> None:
    page = html_page(page_of(simple(
        t.Paragraph((t.Text("English first."),)),
        t.Paragraph((t.Text("\u0633\u0644\u0627\u0645 is peace."),)),
        t.BulletList(((t.Paragraph((t.Text("\u0634\u06a9\u0631\u06cc\u06c1"),)),),)))))
    dirs = [(tag, attrs.get("dir")) for tag, attrs in page.tags if tag in ("p", "li")]
    assert dirs == [("p", None), ("p", "rtl"), ("li", "rtl")]
    urdu = html_page(page_of(simple(t.Paragraph((t.Text("Latin in an Urdu page"),)),
                                    language="ur")))
    assert [attrs.get("dir") for tag, attrs in urdu.tags if tag == "p"] == ["ltr"]


# -- the theme as a stylesheet ------------------------------------------------------------


def test_one_class_a_style_used_and_every_class_has_its_rule() -> None:
    data = rendered(SEED, "press-release")
    page = html_page(data)
    used = {name for _, attrs in page.tags for name in attrs.get("class", "").split()}
    rules = css_rules(page.style)
    assert used - {"page-header", "page-footer"} <= set(rules)
    assert set(rules) <= used  # nothing in the stylesheet that the page does not use
    theme = default_theme()
    title = rules["s-title"]
    assert title["font-size"] == f"{theme.style('title').size:g}pt"
    assert title["color"] == theme.style("title").colour
    assert title["font-weight"] == "700"
    assert rules["s-letterhead-organisation"]["text-align"] == "center"
    box = rules["s-boxed"]
    assert box["background-color"] == theme.style("boxed").background
    assert box["border"] == "0.5pt solid #9aa5b1"
    assert rules["i-dateline"] == {"font-weight": "700"}
    assert len(page.style) < 8000


def test_print_css_sets_the_theme_page_and_keeps_headings_with_their_text() -> None:
    style = html_page(rendered(SEED, "press-release")).style
    assert "@page{size:210mm 297mm;margin:24mm 22mm 22mm 22mm;" in style
    assert re.search(r"@bottom-center\{content:\"Page \" counter\(page\) \" of \" "
                     r"counter\(pages\);", style)
    # pages after the first carry the organisation (the letterhead names it on page 1)
    assert re.search(r"@top-right\{content:\"Ministry of Defence\";", style)
    assert "@page:first{@top-right{content:none}}" in style
    assert "h1,h2,h3{break-after:avoid-page" in style
    assert "orphans:2;widows:2" in style
    assert css_rules(style)["s-heading2"]["break-after"] == "avoid-page"


def test_text_in_the_page_margin_cannot_close_its_string_or_the_stylesheet() -> None:
    hostile = '" } body { display: none } </style><script>alert(1)</script> \\'
    document = t.Document(metadata=t.Metadata(title="x"), body=(t.Paragraph((t.Text("b"),)),),
                          header=(t.Paragraph((t.Text(hostile),)),))
    data = page_of(document)
    strict_parse(data)
    page = html_page(data)
    assert "script" not in [tag for tag, _ in page.tags]
    [content] = re.findall(r"@top-right\{content:(\"[^\"]*\");", page.style)
    assert re.fullmatch(r'"[A-Za-z0-9 \\]*"', content)  # all else escaped
    assert re.sub(r"\\([0-9a-f]+) ", lambda m: chr(int(m.group(1), 16)),
                  content[1:-1]) == hostile
    assert "".join(furniture for furniture in page.furniture["header"]).strip() == hostile


def test_the_content_security_policy_allows_only_the_page_s_own_style_and_images() -> None:
    data = rendered(SEED, "press-release")
    page = html_page(data)
    policy = next(attrs["content"] for tag, attrs in page.tags
                  if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy")
    digest = base64.b64encode(hashlib.sha256(page.style.encode("utf-8")).digest()).decode()
    assert policy == (f"default-src 'none'; style-src 'sha256-{digest}'; img-src data:; "
                      "base-uri 'none'; form-action 'none'")
    assert not re.search(rb"(src|href)=\"(?!data:|https?://|mailto:)", data)


# -- text and links -----------------------------------------------------------------------


def test_text_is_escaped_and_only_safe_links_are_live() -> None:
    data = page_of(simple(t.Paragraph((
        t.Text('<script>alert("x")</script> & \'q\''),
        t.Link("javascript:alert(1)", (t.Text("bad"),)),
        t.Link("https://ok.example/?a=1&b=2", (t.Text("good"),)),
        t.Link('https://ok.example/"onmouseover="x', (t.Text("quoted"),)),
        t.Link("mailto:press@example.gov", (t.Text("mail"),)),
        t.Link("file:///etc/passwd", (t.Text("file"),))))))
    strict_parse(data)
    assert b"&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;q&#x27;" in data
    page = html_page(data)
    assert page.links == ["https://ok.example/?a=1&b=2", "mailto:press@example.gov"]
    assert b'href="https://ok.example/?a=1&amp;b=2"' in data
    assert html_words(data) == ['<script>alert("x")</script>', "&", "'q'badgoodquotedmailfile"]


def test_page_numbers_are_left_out_of_the_page_and_the_furniture_is_around_the_article() -> None:
    page = html_page(page_of(every_node_document()))
    assert "".join(page.furniture["header"]).split() == ["HEADER", "BANNER"]
    assert page.furniture["footer"] == []  # its one paragraph counts pages
    assert "Page" not in " ".join(page.article)
    tags = [tag for tag, _ in page.tags]
    assert tags.index("header") < tags.index("main")


def test_images_are_embedded_or_named_by_their_content_for_the_caller() -> None:
    document = every_node_document()
    embedded = html_page(write(document, default_theme())).images[0]["src"]
    assert embedded == "data:image/png;base64," + base64.b64encode(tiny_png()).decode()
    page = write_page(document, default_theme(), "images")
    name = f"images/{hashlib.sha256(tiny_png()).hexdigest()[:16]}.png"
    assert page.assets[name] == tiny_png()
    assert html_page(page.html).images[0]["src"] == name
    [chart] = [image for image in html_page(page.html).images if image["src"] != name]
    assert chart["alt"] == "Chart of two bars: Alpha 2, Beta 1."
    assert page.assets[chart["src"]].startswith(b"\x89PNG"), "the chart, as the DOCX paints it"
    assert set(page.assets) == {name, chart["src"]}
    assert "img-src 'self' data:" in page.html.decode()


def test_the_same_document_gives_the_same_bytes() -> None:
    assert page_of(every_node_document()) == page_of(every_node_document())
    assert rendered(SEED, "internal-brief") == readout.render(readout.load(SEED),
                                                              "internal-brief", "html")


def test_every_word_of_the_tree_is_in_the_article_in_order() -> None:
    words = html_words(page_of(every_node_document()))
    assert words[:3] == ["Letterhead", "Organisation", "Heading"]
    alt = ["Chart", "of", "two", "bars:", "Alpha", "2,", "Beta", "1."]
    assert words[-7 - len(alt):-len(alt)] == ["Second", "page", "text,", "with", "a",
                                              "sibling", "file."]
    assert words[-len(alt):] == alt, "the chart's text equivalent, under its picture"
    assert "after a break <b>&amp;</b>" in " ".join(words)


def test_a_group_row_heads_its_own_row_group() -> None:
    rows = (t.Row((t.Cell((t.Text("India"),)), t.Cell(())), group=True),
            t.Row((t.Cell((t.Text("Ms A"),)), t.Cell((t.Text("Minister"),)))),
            t.Row((t.Cell((t.Text("Russia"),)), t.Cell(())), group=True),
            t.Row((t.Cell((t.Text("Mr B"),)), t.Cell((t.Text("Minister"),)))))
    table = t.Table(widths=(0.5, 0.5), header=t.Row((t.Cell((t.Text("Name"),)),
                                                      t.Cell((t.Text("Title"),)))), rows=rows)
    page = page_of(t.Document(metadata=t.Metadata(title="T"), body=(table,))).decode()
    bodies = re.findall(r"<tbody>(.*?)</tbody>", page, re.S)
    assert len(bodies) == 2
    assert ['<th colspan="2" scope="rowgroup">India</th>' in bodies[0],
            '<th colspan="2" scope="rowgroup">Russia</th>' in bodies[1]] == [True, True]
    assert [body.count("<td>") for body in bodies] == [2, 2]
