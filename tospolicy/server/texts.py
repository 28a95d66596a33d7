"""The texts open declarations bind: read once, quoted in completion, findings shown in them.

A declaration's texts are read by `binding.texts.bind`, as `check` reads
them: from disk, so a text open in the editor counts as last saved. Reading
one costs a stat, its bytes, their digest and its blocks from the cache: not
much, but it need not be paid at every keystroke. A `Binder` keeps the
binding of each declaration with what decided it, the `text:` paths of each
service and the size, modification time and inode of each file, and uses it
again, at the paths' new places in the declaration, while those are the same.

The last binding of a declaration stays for completion while the user types
a quote, when the declaration does not parse. Findings located in a text
(TEXT003, at a block of the terms) are published for the text's own URI,
the lines and columns of its blocks counted as an editor counts them.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

from lsprotocol import types

from tospolicy.binding.blocks import Block
from tospolicy.binding.normalise import normalise
from tospolicy.binding.texts import Binding, BoundText, bind, max_text_bytes, read_text_bytes, text_values
from tospolicy.findings import Finding
from tospolicy.server.diagnostics import to_diagnostic
from tospolicy.server.documents import Document

# Where a passage may be cut into sentences: after . ! ? (and a closing
# quote or bracket), before a space and a capital, a digit or an opening quote.
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s+[\"“‘(\[]?[A-Z0-9À-Þ])")


@dataclass(frozen=True)
class Passage:
    """A block of a bound text, or one sentence of it: what a quote may be."""

    display: str  # the text's file, as findings name it
    line: int
    text: str  # as a reader sees it (blocks.py), whitespace collapsed
    normalised: str


@dataclass
class _Kept:
    key: tuple  # the declaration's file, the folder names are relative to, the limits, the paths
    stamps: tuple  # (size, modification time, inode) of each file read, None when missing
    binding: Binding


def _stamp(path: Path) -> tuple | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_size, status.st_mtime_ns, status.st_ino


def _stamps(binding: Binding) -> tuple:
    return tuple(_stamp(text.path) if text.path is not None else None
                 for texts in binding.texts.values() for text in texts)


class Binder:
    """`bind` for one check of one declaration (what `run_text` calls), the
    binding kept from the last check used again when nothing it read changed."""

    def __init__(self, texts: BoundTexts, uri: str, cwd: Path):
        self._texts, self._uri, self._cwd = texts, uri, cwd
        self.binding: Binding | None = None  # the binding of this check, if the declaration binds

    def __call__(self, declaration, path: Path, limits) -> Binding:
        paths = tuple(tuple(value.value for value in text_values(service))
                      for service in declaration.services)
        key = (str(path), str(self._cwd), limits, paths)
        kept = self._texts.kept.get(self._uri)
        if kept is not None and kept.key == key and kept.stamps == _stamps(kept.binding):
            self.binding = _moved(kept.binding, declaration)
        else:
            self.binding = bind(declaration, path, limits, cwd=self._cwd)
        self._texts.kept[self._uri] = _Kept(key, _stamps(self.binding), self.binding)
        return self.binding


def _moved(binding: Binding, declaration) -> Binding:
    """The same texts, at the places of their paths in this version of the declaration."""
    moved = Binding()
    for number, service in enumerate(declaration.services):
        values = text_values(service)
        if values:
            moved.texts[number] = [replace(text, span=value.span)
                                   for text, value in zip(binding.of(number), values)]
    return moved


class BoundTexts:
    """The bindings of the open declarations, and the diagnostics each puts in its texts."""

    def __init__(self):
        self.kept: dict[str, _Kept] = {}  # declaration URI -> its last binding
        # declaration URI -> text URI -> the diagnostics of its findings there
        self.found: dict[str, dict[str, list[types.Diagnostic]]] = {}
        self._contents: dict[tuple[str, str], Document] = {}  # (path, digest) -> the text read
        self._passages: dict[tuple[str, str], list[Passage]] = {}  # (path, digest) -> its passages

    def binder(self, uri: str, cwd: Path) -> Binder:
        return Binder(self, uri, cwd)

    def forget(self, uri: str) -> list[str]:
        """A declaration closed: its binding and diagnostics go; the text URIs they leave."""
        self.kept.pop(uri, None)
        return self.drop(uri)

    def passages(self, uri: str, service_number: int | None) -> list[Passage]:
        """The passages of the texts the service binds, from the declaration's
        last binding (every service's when the service is not known there)."""
        kept = self.kept.get(uri)
        if kept is None:
            return []
        binding = kept.binding
        numbers = [service_number] if service_number in binding.texts else sorted(binding.texts)
        found, seen = [], set()
        for number in numbers:
            for text in binding.of(number):
                if text.blocks is None or text.display in seen:
                    continue
                seen.add(text.display)
                found.extend(self._passages_of(text))
        return found

    def _passages_of(self, text: BoundText) -> list[Passage]:
        """Normalised once per version of the text: a completion must not redo it."""
        key = (str(text.path), text.digest)
        passages = self._passages.get(key)
        if passages is None:
            if len(self._passages) > 16:
                self._passages.clear()
            passages = self._passages[key] = [
                Passage(text.display, block.line, part, normalise(part))
                for block in text.blocks for part in sentences(block)]
        return passages

    def declarations_binding(self, path: Path) -> list[str]:
        """The open declarations that bind the file `path`."""
        return sorted(uri for uri, kept in self.kept.items()
                      if any(text.path == path for texts in kept.binding.texts.values() for text in texts))

    # ---------------------------------------------------------- diagnostics

    def place(self, uri: str, binding: Binding | None, findings: list[Finding], display: str,
              limits) -> list[str]:
        """Keep the diagnostics the findings of declaration `uri` put in its texts;
        the text URIs whose diagnostics changed (to publish again)."""
        located: dict[str, BoundText] = {}
        for texts in (binding.texts.values() if binding is not None else ()):
            for text in texts:
                if text.path is not None and text.blocks is not None and text.display != display:
                    located.setdefault(text.display, text)
        now: dict[str, list[types.Diagnostic]] = {}
        for finding in findings:
            text = located.get(finding.span.file)
            if text is None or finding.suppression is not None:
                continue
            content = self._content(text, limits)
            now.setdefault(text.path.as_uri(), []).append(
                to_diagnostic(finding, _editor_range(content, finding.span)))
        before = self.found.pop(uri, {})
        if now:
            self.found[uri] = now
        return sorted(text_uri for text_uri in set(before) | set(now)
                      if before.get(text_uri) != now.get(text_uri))

    def drop(self, uri: str) -> list[str]:
        """The declaration's diagnostics in texts let go (it is closed, or cannot be
        checked); the text URIs they leave."""
        return sorted(self.found.pop(uri, {}))

    def diagnostics(self, text_uri: str) -> list[types.Diagnostic]:
        """What every open declaration found in the text `text_uri`."""
        return [diagnostic for uri in sorted(self.found)
                for diagnostic in self.found[uri].get(text_uri, ())]

    def is_bound(self, text_uri: str) -> bool:
        return any(text_uri in found for found in self.found.values())

    def _content(self, text: BoundText, limits) -> Document:
        """The text as read, to count its columns in the client's units."""
        key = (str(text.path), text.digest)
        content = self._contents.get(key)
        if content is None:
            data, _ = read_text_bytes(text.path, text.given, max_text_bytes(limits))
            read = data.decode("utf-8", "replace") if data is not None else ""
            if len(self._contents) > 16:  # a few texts are bound at a time
                self._contents.clear()
            content = self._contents[key] = Document(text.path.as_uri(), read.removeprefix("\ufeff"))
        return content


def _editor_range(content: Document, span) -> types.Range:
    """The LSP range of a span in a text: lines from 1 ended by LF, CRLF or a
    lone CR (as the blocks count them, blocks.py), columns in code points from 1."""

    def offset(line: int, column: int) -> int:
        starts = content.lsp_starts
        if line < 1:
            return 0
        if line > len(starts):
            return len(content.text)
        return starts[line - 1] + min(max(column - 1, 0), len(content.lsp_line(line - 1)))

    start = offset(span.line, span.column)
    return content.offset_range(start, max(start, offset(span.end_line, span.end_column)))


# ------------------------------------------------------------------ quotes

def sentences(block: Block) -> list[str]:
    """The block's text, then each of its sentences when it has more than one:
    a quote may be the passage or one sentence of it."""
    parts, start = [], 0
    for end in _SENTENCE_END.finditer(block.text):
        parts.append(block.text[start:end.end()].strip())
        start = end.end()
    parts.append(block.text[start:].strip())
    parts = [part for part in parts if part]
    return [block.text] + (parts if len(parts) > 1 else [])
