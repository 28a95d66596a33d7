"""The rendered pages in a real browser: Debian's Chromium, headless (tests/chromium.py).

Each page is loaded at a phone's width (390 CSS pixels) and a laptop's
(1280): its content must be no wider than the window (no sideways
scrolling; Page.getLayoutMetrics measures it, no script runs in the page),
the screenshot must show a page and not a blank one — with the diagram's
red "no consent" arrows where the declaration has them — in light and dark
mode, and the DOM Chromium builds (`--dump-dom`) must hold every data label.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image

import chromium
from conftest import REPO, TESTS, fixture_files
from test_render_cli import data_labels

PAGES = fixture_files(REPO / "examples" / "rendered", "*.html")
WIDTHS = (390, 1280)

# Skipped without Chromium on a developer's machine; never in CI, which installs it.
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not chromium.available() and not os.environ.get("CI"),
                                 reason="needs chromium (.ci/run installs it)")]


@pytest.fixture(scope="module")
def browser():
    with chromium.Browser() as opened:
        yield opened


def _declaration(page: Path) -> Path:
    return REPO / "examples" / f"{page.stem}.tos"


def _pages(tmp_path_factory) -> list[Path]:
    """The checked-in example pages, and the page of the hostile declaration."""
    from click.testing import CliRunner

    from tospolicy.cli.main import main

    hostile = tmp_path_factory.mktemp("hostile") / "hostile.html"
    result = CliRunner().invoke(main, ["render", str(TESTS / "render" / "hostile.tos"), "-o", str(hostile)])
    assert result.exit_code == 0, result.output
    return [*PAGES, hostile]


def _reddish(image: Image.Image) -> int:
    return sum(count for count, (r, g, b) in image.getcolors(1 << 24)
               if r > 180 and g < 90 and b < 90)


def _not_blank(image: Image.Image) -> float:
    """The share of pixels that are not the page's background (its top-left pixel)."""
    background = image.getpixel((0, 0))
    colours = image.getcolors(1 << 24)
    return 1 - next(count for count, colour in colours if colour == background) / (image.width * image.height)


def test_there_are_pages_to_check():
    assert len(PAGES) >= 2


def test_the_overflow_check_can_fail(browser, tmp_path):
    wide = tmp_path / "wide.html"
    wide.write_text('<!DOCTYPE html><div style="width:2000px">wide</div>', encoding="utf-8")
    width, _ = browser.load(wide, 390)
    assert width > 390


@pytest.mark.parametrize("width", WIDTHS)
def test_no_sideways_scrolling_and_not_blank(browser, tmp_path_factory, width):
    for page in _pages(tmp_path_factory):
        browser.emulate_dark(False)
        content_width, height = browser.load(page, width)
        assert content_width <= width, (page.name, content_width)
        image = Image.open(io.BytesIO(browser.screenshot())).convert("RGB")
        assert image.width == width and image.height >= 1000, page.name
        assert _not_blank(image) > 0.03, page.name
        if page.stem == "zoom-2023-03":
            assert _reddish(image) > 500  # the "no consent" arrows of the diagram


def test_dark_mode(browser):
    page = REPO / "examples" / "rendered" / "zoom-2023-03.html"
    browser.emulate_dark(True)
    try:
        browser.load(page, 1280)
        image = Image.open(io.BytesIO(browser.screenshot(full_page=False))).convert("RGB")
    finally:
        browser.emulate_dark(False)
    r, g, b = image.getpixel((5, 5))
    assert r + g + b < 120  # a dark background
    assert _not_blank(image) > 0.03


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.stem)
def test_the_dom_has_every_data_label(page):
    dom = chromium.dump_dom(page)
    assert "<svg" in dom and "</main>" in dom
    from test_render_cli import text_of, tree

    shown = text_of(tree(dom))
    for label in data_labels(_declaration(page)):
        assert label in shown, label
