"""The HTML page in a real browser: headless Chromium (Debian's ``chromium`` package).

Chromium loads the page from a file with a fresh profile and no network services;
``--dump-dom`` gives the document it built, ``--enable-logging=stderr`` every console
message (a blocked request, a refused style or script would print one: the page must
print none), ``--print-to-pdf`` the page as the browser prints it (read back with
pdfplumber). CI installs Chromium (``.ci/run``); there, a missing browser fails.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

import readout
from readout.templating import build_document

from .conftest import SEED
from .extract import html_page, pdf_pages

pytestmark = pytest.mark.slow

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--disable-default-apps", "--disable-extensions", "--mute-audio")
_CONSOLE = re.compile(r":CONSOLE[:(]")


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is not installed: .ci/run installs Debian's chromium package.")
        pytest.skip("Chromium is not installed (apt-get install -y chromium).")
    return found


@dataclass(frozen=True)
class Loaded:
    dom: str
    console: list[str]


def load(page: Path, profile: Path, *extra: str) -> Loaded:
    """Open ``page`` in headless Chromium: the DOM it built and its console messages."""
    run = subprocess.run(
        [chromium(), *FLAGS, f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
         *extra, "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    return Loaded(run.stdout, [line for line in run.stderr.splitlines() if _CONSOLE.search(line)])


def print_to_pdf(page: Path, profile: Path, target: Path) -> bytes:
    run = subprocess.run(
        [chromium(), *FLAGS, f"--user-data-dir={profile}", "--no-pdf-header-footer",
         f"--print-to-pdf={target}", page.as_uri()],
        capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0 and target.is_file(), run.stderr[-2000:]
    return target.read_bytes()


@cache
def seed() -> readout.Readout:
    return readout.load(SEED)


def written(folder: Path, template: str) -> Path:
    return readout.render_to(seed(), folder / f"seed.{template}.html", template)


def test_the_seed_press_release_loads_with_its_title_as_h1_its_language_and_no_console_message(
        tmp_path: Path) -> None:
    loaded = load(written(tmp_path, "press-release"), tmp_path / "profile")
    assert loaded.console == []
    page = html_page(loaded.dom.encode("utf-8"))
    assert page.root.get("lang") == "en-IN"  # the seed: Indian English
    h1 = re.findall(r"<h1[^>]*>(.*?)</h1>", loaded.dom, re.DOTALL)
    assert h1 == ["Raksha Mantri meets Russian Defence Minister on the sidelines of the SCO "
                  "Defence Ministers\u2019 Meeting in Qingdao"]
    assert page.title == h1[0]
    assert len([image for image in page.images if image["src"].startswith("data:")]) == 1


def test_the_console_check_sees_a_blocked_request(tmp_path: Path) -> None:
    """The same check, on a page with an external image: the browser refuses it (the
    page's Content-Security-Policy) and says so on the console."""
    page = written(tmp_path, "press-release")
    external = '<img src="https://example.invalid/x.png" alt="">'
    html = page.read_text(encoding="utf-8").replace('<p class="s-label">',
                                                    external + '<p class="s-label">')
    broken = tmp_path / "broken.html"
    broken.write_text(html, encoding="utf-8")
    loaded = load(broken, tmp_path / "profile")
    assert any("example.invalid" in line and "Content Security Policy" in line
               for line in loaded.console), loaded.console


def test_images_beside_the_page_load_too(tmp_path: Path) -> None:
    page = readout.render_to(seed(), tmp_path / "seed.html", embed_images=False)
    loaded = load(page, tmp_path / "profile")
    assert loaded.console == []
    assert re.search(r'<img src="images/[0-9a-f]{16}\.png"', loaded.dom)


def test_the_printed_brief_has_its_marking_on_every_page_and_the_release_its_page_numbers(
        tmp_path: Path) -> None:
    brief = print_to_pdf(written(tmp_path, "internal-brief"), tmp_path / "profile",
                         tmp_path / "brief.pdf")
    pages = pdf_pages(brief)
    assert len(pages) >= 2
    for number, page in enumerate(pages, 1):
        lines = page.lines()
        assert lines[0] == "OFFICIAL", (number, lines[:2])
        assert lines[1] != "OFFICIAL", (number, lines[:2])  # page 1: the page's own, once
        assert lines[-2] == "OFFICIAL", (number, lines[-3:])
        assert lines[-1] == f"MoD/IC/2025/117 · Page {number} of {len(pages)}"
        assert (page.width, page.height) == pytest.approx((595.28, 841.89), abs=1)
    last = pages[-1].lines()  # the page's own footer too, above the margin's
    assert last[-3] == "OFFICIAL"
    release = pdf_pages(print_to_pdf(written(tmp_path, "press-release"), tmp_path / "profile",
                                     tmp_path / "release.pdf"))
    assert release[0].lines()[0] == "Government of India"  # page 1: the letterhead only
    for number, page in enumerate(release, 1):
        assert page.lines()[-1] == f"Page {number} of {len(release)}"
        if number > 1:
            assert page.lines()[0] == "Ministry of Defence"


def test_no_printed_page_ends_with_a_heading(tmp_path: Path) -> None:
    document = build_document(seed(), "internal-brief")
    headings = {" ".join(readout.tree.plain_text(block.children).split())
                for block in document.body if isinstance(block, readout.tree.Heading)}
    data = print_to_pdf(written(tmp_path, "internal-brief"), tmp_path / "profile",
                        tmp_path / "brief.pdf")
    for number, page in enumerate(pdf_pages(data)[:-1], 1):
        body = [line for line in page.lines() if line != "OFFICIAL" and " · Page " not in line]
        assert body[-1] not in headings, (number, body[-3:])
