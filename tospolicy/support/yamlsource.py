"""Reading YAML that others wrote (rule packs, configuration): safely, with positions.

PyYAML's loaders build Python objects from a node graph recursively, expand
aliases without limit ("billion laughs") and forget where each value was
written. Here the document is built from the parser's event stream instead,
with an explicit stack: nesting is bounded, aliases count towards a bound on
the expanded size, no tag can construct anything but plain data, a repeated
key is an error rather than a silent overwrite, and every mapping and
sequence remembers the line and column of each of its keys and values, so
that every later complaint can name `file:line:column`.

Lines and columns are computed here from the parser's character offsets, with
only LF ending a line, as the declaration parser and editors count them: YAML
also breaks lines at NEL, U+2028 and U+2029, and its own line numbers would
then point past the file.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from tospolicy.limits import MAX_YAML_BYTES

# The libyaml parser (C) when PyYAML was built with it; the pure-Python one otherwise.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# A pack or configuration file is a few kilobytes; these bounds are generous
# for any real one and small enough that no file can exhaust time or memory.
MAX_BYTES = MAX_YAML_BYTES
MAX_DEPTH = 100  # the default of limits.max-nesting-depth
MAX_VALUES = 200_000

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_TAG}{name}" for name in ("str", "int", "float", "bool", "null", "timestamp")}
_COLLECTION_TAGS = {f"{_TAG}map", f"{_TAG}seq"}


@dataclass(frozen=True, slots=True)
class Mark:
    """Where a value starts (lines and columns from 1), and how a scalar was written.

    `style` is PyYAML's scalar style: '' plain, "'" or '"' quoted, '|' or '>'
    block; None for mappings and sequences. `end_line`/`end_column` are where
    the scalar ends (exclusive).
    """

    line: int
    column: int
    style: str | None = None
    end_line: int = 0
    end_column: int = 0


class YamlError(Exception):
    """A document that cannot be read, with where the problem is."""

    def __init__(self, message: str, mark: Mark | None = None):
        super().__init__(message)
        self.message = message
        self.mark = mark


class Mapping(dict):
    """A YAML mapping (keys are always strings) that remembers positions."""

    mark: Mark
    key_marks: dict[str, Mark]
    value_marks: dict[str, Mark]

    def key_mark(self, key: str) -> Mark:
        return self.key_marks.get(key, self.mark)

    def value_mark(self, key: str) -> Mark:
        return self.value_marks.get(key, self.mark)


class Sequence(list):
    """A YAML sequence that remembers where each item starts."""

    mark: Mark
    item_marks: list[Mark]

    def item_mark(self, index: int) -> Mark:
        return self.item_marks[index] if 0 <= index < len(self.item_marks) else self.mark


@dataclass(frozen=True)
class Document:
    """One YAML document: its data, the file it came from, and that file's text."""

    display: str
    data: object
    text: str

    def mark_at(self, path) -> Mark:
        """The position of the value at `path` (keys and indexes from the root)."""
        node, mark = self.data, Mark(1, 1)
        for step in path:
            if isinstance(node, Mapping) and step in node:
                mark, node = node.value_mark(step), node[step]
            elif isinstance(node, Sequence) and isinstance(step, int) and step < len(node):
                mark, node = node.item_mark(step), node[step]
            else:
                break
        return mark

    def key_mark_at(self, path) -> Mark:
        """The position of the key of the value at `path` (its value's when not in a mapping)."""
        *parent_path, last = path
        parent = self.value_at(parent_path)
        if isinstance(parent, Mapping) and last in parent.key_marks:
            return parent.key_marks[last]
        return self.mark_at(path)

    def value_at(self, path):
        node = self.data
        for step in path:
            try:
                node = node[step]
            except (KeyError, IndexError, TypeError):
                return None
        return node


def read_yaml(path: Path, display: str | None = None, max_depth: int = MAX_DEPTH) -> Document:
    """Read and parse one YAML file; problems raise `YamlError`."""
    display = display if display is not None else str(path)
    from tospolicy.support.files import read_regular

    try:
        data = read_regular(path, MAX_BYTES + 1)
    except IsADirectoryError:
        raise YamlError("cannot read: it is a folder") from None
    except OSError as error:
        raise YamlError(f"cannot read: {error.strerror or error}") from None
    if len(data) > MAX_BYTES:
        raise YamlError(f"file is larger than {MAX_BYTES} bytes")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise YamlError(f"not UTF-8 text: byte 0x{data[error.start]:02x}", Mark(line, 1)) from None
    return parse_yaml(text, display, max_depth)


def parse_yaml(text: str, display: str = "<yaml>", max_depth: int = MAX_DEPTH) -> Document:
    positions = _Positions(text)
    if "\0" in text:
        raise YamlError("not a text file: NUL character", positions.mark(text.index("\0")))
    try:
        data = _Builder(positions, max_depth).build(yaml.parse(text, Loader=_LOADER))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = positions.mark(mark.index) if mark else None
        problem = error.problem or error.context or "invalid YAML"
        if error.context and error.problem:
            problem = f"{error.context}: {error.problem}"
        raise YamlError(f"invalid YAML: {problem}", where) from None
    except yaml.reader.ReaderError as error:
        # A character YAML does not allow (most control characters).
        raise YamlError(f"invalid YAML: character U+{error.character:04X} is not allowed",
                        positions.mark(error.position)) from None
    except yaml.YAMLError as error:
        raise YamlError(f"invalid YAML: {' '.join(str(error).split())}") from None
    return Document(display, data, text)


class _Positions:
    """Character offsets in a text as lines and columns from 1 (LF ends a line)."""

    def __init__(self, text: str):
        self.length = len(text)
        self.starts = [0]
        position = text.find("\n")
        while position >= 0:
            self.starts.append(position + 1)
            position = text.find("\n", position + 1)

    def mark(self, index: int, style: str | None = None, end: int | None = None) -> Mark:
        line, column = self._where(index)
        if end is None:
            return Mark(line, column, style)
        end_line, end_column = self._where(end)
        return Mark(line, column, style, end_line, end_column)

    def _where(self, index: int) -> tuple[int, int]:
        index = max(0, min(index, self.length))
        line = bisect_right(self.starts, index)
        return line, index - self.starts[line - 1] + 1


@dataclass
class _Frame:
    """A mapping or sequence being built, and what it is waiting for."""

    container: Mapping | Sequence
    anchor: str | None
    size: int = 1
    key: str | None = None  # in a mapping: the key whose value comes next
    key_mark: Mark | None = None
    merges: list | None = None  # `<<` values, applied when the mapping ends


class _Builder:
    def __init__(self, positions: _Positions, max_depth: int):
        self.positions = positions
        self.max_depth = max_depth
        self.anchors: dict[str, tuple[object, int]] = {}
        self.stack: list[_Frame] = []
        self.total = 0
        self.documents = 0
        self.root = None
        self.resolver = Resolver()
        self.constructor = SafeConstructor()

    def _mark(self, event) -> Mark:
        return self.positions.mark(event.start_mark.index)

    def build(self, events):
        for event in events:
            handler = getattr(self, "_" + type(event).__name__, None)
            if handler is not None:
                handler(event)
        return self.root

    # -- events

    def _DocumentStartEvent(self, event):
        self.documents += 1
        if self.documents > 1:
            raise YamlError("expected one YAML document, found a second one ('---')",
                            self._mark(event))

    def _MappingStartEvent(self, event):
        self._open(event, Mapping())

    def _SequenceStartEvent(self, event):
        self._open(event, Sequence())

    def _MappingEndEvent(self, event):
        frame = self.stack.pop()
        if frame.merges:
            self._merge(frame)
        self._finish(frame)

    def _SequenceEndEvent(self, event):
        self._finish(self.stack.pop())

    def _ScalarEvent(self, event):
        mark = self._mark(event)
        frame = self.stack[-1] if self.stack else None
        if isinstance(frame and frame.container, Mapping) and frame.key is None:
            self._key(frame, event, mark)
            return
        mark = self.positions.mark(event.start_mark.index, event.style or "", event.end_mark.index)
        value = self._scalar(event, mark)
        if event.anchor:
            self.anchors[event.anchor] = (value, 1)
        self._add(value, mark, 1)

    def _AliasEvent(self, event):
        mark = self._mark(event)
        frame = self.stack[-1] if self.stack else None
        if isinstance(frame and frame.container, Mapping) and frame.key is None:
            raise YamlError("an alias cannot be a mapping key", mark)
        if event.anchor not in self.anchors:
            raise YamlError(f"alias '*{event.anchor}' refers to no anchor defined before it", mark)
        value, size = self.anchors[event.anchor]
        self._add(value, mark, size)

    # -- building

    def _open(self, event, container):
        mark = self._mark(event)
        tag = event.tag
        if tag not in (None, "!") and tag not in _COLLECTION_TAGS:
            raise YamlError(f"unsupported YAML tag '{tag}': only plain data is read", mark)
        frame = self.stack[-1] if self.stack else None
        if isinstance(frame and frame.container, Mapping) and frame.key is None:
            raise YamlError("mapping keys must be plain words, not lists or mappings", mark)
        if len(self.stack) >= self.max_depth:
            raise YamlError(f"nested more than {self.max_depth} levels deep"
                            + ("" if self.max_depth == MAX_DEPTH else " (limits.max-nesting-depth)"),
                            mark)
        container.mark = mark
        if isinstance(container, Mapping):
            container.key_marks, container.value_marks = {}, {}
        else:
            container.item_marks = []
        self.stack.append(_Frame(container, event.anchor))
        self._count(1, mark)

    def _finish(self, frame: _Frame):
        if frame.anchor:
            self.anchors[frame.anchor] = (frame.container, frame.size)
        self._add(frame.container, frame.container.mark, frame.size, counted=True)

    def _add(self, value, mark: Mark, size: int, counted: bool = False):
        if not counted:
            self._count(size, mark)
        if not self.stack:
            self.root = value
            return
        frame = self.stack[-1]
        frame.size += size
        container = frame.container
        if isinstance(container, Sequence):
            container.append(value)
            container.item_marks.append(mark)
            return
        key = frame.key
        frame.key = None
        if key == "<<" and frame.key_mark.style == "":
            frame.merges = (frame.merges or []) + [(value, mark)]
            return
        container[key] = value
        container.key_marks[key] = frame.key_mark
        container.value_marks[key] = mark

    def _key(self, frame: _Frame, event, mark: Mark):
        key = event.value
        if event.anchor:
            raise YamlError("anchors on mapping keys are not supported", mark)
        if key in frame.container:
            first = frame.container.key_marks[key]
            raise YamlError(f"key '{key}' appears twice in this mapping (first at line {first.line})",
                            mark)
        frame.key = key
        frame.key_mark = Mark(mark.line, mark.column, event.style or "")

    def _merge(self, frame: _Frame):
        """`<<: *defaults`: the anchored mappings' entries, where not given explicitly."""
        mapping = frame.container
        for value, mark in frame.merges:
            sources = value if isinstance(value, Sequence) else [value]
            for source in sources:
                if not isinstance(source, Mapping):
                    raise YamlError("'<<' merges mappings only", mark)
                for key, item in source.items():
                    if key not in mapping:
                        mapping[key] = item
                        mapping.key_marks[key] = source.key_marks[key]
                        mapping.value_marks[key] = source.value_marks[key]

    def _count(self, size: int, mark: Mark):
        self.total += size
        if self.total > MAX_VALUES:
            raise YamlError(
                f"the document expands to more than {MAX_VALUES} values "
                "(aliases repeating aliases?)", mark)

    def _scalar(self, event, mark: Mark):
        tag = event.tag
        if tag in (None, "!"):
            tag = self.resolver.resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag not in _SCALAR_TAGS:
            raise YamlError(f"unsupported YAML tag '{tag}': only plain data is read", mark)
        if tag.endswith(("str", "timestamp")):
            # Dates stay text: nothing in a pack or configuration is a date.
            return event.value
        node = yaml.ScalarNode(tag, event.value)
        try:
            return self.constructor.construct_object(node)
        except (yaml.YAMLError, ValueError) as error:
            raise YamlError(f"cannot read value '{event.value}': {error}", mark) from None
