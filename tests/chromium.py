"""Debian's Chromium, headless, driven over the DevTools protocol on a pipe.

`--remote-debugging-pipe` makes Chromium read protocol messages from file
descriptor 3 and write its answers to 4, each a JSON text ended by a NUL
byte: no websocket, no port, nothing to download. The tests use it to load a
rendered page at a given width, read its layout size (Page.getLayoutMetrics:
no script runs in the page) and take a screenshot; `dump_dom` runs
Chromium's own `--dump-dom`.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--mute-audio"]
TIMEOUT = 90


def available() -> bool:
    return Path(CHROMIUM).exists()


def dump_dom(page: Path) -> str:
    """The DOM Chromium builds from `page`, serialised (`--dump-dom`)."""
    with tempfile.TemporaryDirectory(prefix="tospolicy-chromium-") as profile:
        completed = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--dump-dom",
                                    page.resolve().as_uri()],
                                   capture_output=True, text=True, timeout=TIMEOUT, check=True)
    return completed.stdout


def _high(pair: tuple[int, int]) -> tuple[int, int]:
    """The pipe's descriptors moved above 9, so that the shell's `3<&N 4>&M`
    cannot overwrite one of them with the other."""
    moved = tuple(fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10) for fd in pair)
    for fd in pair:
        os.close(fd)
    return moved


class Browser:
    """One headless Chromium; `with Browser() as browser: browser.load(...)`."""

    def __init__(self):
        self._profile = tempfile.TemporaryDirectory(prefix="tospolicy-chromium-")
        commands_read, self._commands = _high(os.pipe())
        self._answers, answers_write = _high(os.pipe())
        # Chromium expects its ends of the pipes as descriptors 3 and 4: the
        # redirections of bash (sh takes single-digit descriptors only) put them there.
        command = [CHROMIUM, *FLAGS, f"--user-data-dir={self._profile.name}",
                   "--remote-debugging-pipe", "about:blank"]
        self._process = subprocess.Popen(
            ["/bin/bash", "-c", f'exec "$@" 3<&{commands_read} 4>&{answers_write}', "sh", *command],
            pass_fds=(commands_read, answers_write),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(commands_read)
        os.close(answers_write)
        self._buffer = b""
        self._next_id = 0
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self._session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.call("Page.enable", session=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        try:
            self.call("Browser.close")
        except Exception:  # noqa: BLE001 - closing as best it can
            pass
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        os.close(self._commands)
        os.close(self._answers)
        self._profile.cleanup()

    def _read(self) -> dict:
        while b"\0" not in self._buffer:
            chunk = os.read(self._answers, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed its DevTools pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method: str, session: bool = False, **params) -> dict:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = self._session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        while True:
            answer = self._read()
            if answer.get("id") == self._next_id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result", {})

    def _wait_for(self, event: str) -> None:
        while self._read().get("method") != event:
            pass

    def load(self, page: Path, width: int, height: int = 900) -> tuple[float, float]:
        """Opens `page` in a window `width` CSS pixels wide; returns the size of
        its content (wider than `width` means the page scrolls sideways)."""
        self.call("Emulation.setDeviceMetricsOverride", session=True, width=width, height=height,
                  deviceScaleFactor=1, mobile=width < 600)
        self.call("Page.navigate", session=True, url=page.resolve().as_uri())
        self._wait_for("Page.loadEventFired")
        size = self.call("Page.getLayoutMetrics", session=True)["cssContentSize"]
        return size["width"], size["height"]

    def screenshot(self, full_page: bool = True) -> bytes:
        """A PNG of the page loaded last, whole when `full_page`."""
        result = self.call("Page.captureScreenshot", session=True, format="png",
                           captureBeyondViewport=full_page)
        return base64.b64decode(result["data"])

    def emulate_dark(self, dark: bool) -> None:
        self.call("Emulation.setEmulatedMedia", session=True,
                  features=[{"name": "prefers-color-scheme", "value": "dark" if dark else "light"}])

    def box(self, selector: str) -> tuple[float, float, float, float]:
        """The border box (x, y, width, height) of the first element `selector`
        matches in the page loaded last (DOM domain: no script runs in the page)."""
        root = self.call("DOM.getDocument", session=True)["root"]["nodeId"]
        node = self.call("DOM.querySelector", session=True, nodeId=root, selector=selector)["nodeId"]
        if not node:
            raise LookupError(selector)
        quad = self.call("DOM.getBoxModel", session=True, nodeId=node)["model"]["border"]
        xs, ys = quad[0::2], quad[1::2]
        return min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)
