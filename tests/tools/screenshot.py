"""Takes the README's screenshot of a rendered page with headless Chromium.

    .venv/bin/python tests/tools/screenshot.py examples/rendered/zoom-2023-03.html docs/render-zoom.png

The picture is the top of the label (the answers at a glance and the data
collected) beside its data-flow diagram, scaled down so that the file stays
small.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import chromium  # noqa: E402  (tests/chromium.py)

WIDTH = 1100
SCALE = 0.62


def main(page: str, target: str) -> None:
    with chromium.Browser() as browser:
        browser.load(Path(page), WIDTH)
        shot = Image.open(io.BytesIO(browser.screenshot())).convert("RGB")
        top = browser.box("article.service")
        data = browser.box("article.service section:nth-of-type(2)")
        flows = browser.box("figure.flows")
    left = shot.crop((int(top[0]) - 16, 0, int(top[0] + top[2]) + 16, int(data[1] + data[3]) + 16))
    right = shot.crop((int(flows[0]) - 16, int(flows[1]) - 56, int(flows[0] + flows[2]) + 16,
                       int(flows[1] + flows[3]) + 16))
    canvas = Image.new("RGB", (left.width + right.width, max(left.height, right.height)), "white")
    canvas.paste(left, (0, 0))
    canvas.paste(right, (left.width, 0))
    small = canvas.resize((int(canvas.width * SCALE), int(canvas.height * SCALE)), Image.LANCZOS)
    small.quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).save(
        target, optimize=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
