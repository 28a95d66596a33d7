"""The YAML reader behaves the same with libyaml and with PyYAML's pure-Python parser
(the fallback when PyYAML was built without libyaml)."""

from __future__ import annotations

import pytest
import yaml

from tospolicy.support import yamlsource
from tospolicy.support.yamlsource import YamlError, parse_yaml

LOADERS = [yaml.SafeLoader] + ([yaml.CSafeLoader] if hasattr(yaml, "CSafeLoader") else [])

DOCUMENT = """\
pack: demo            # a comment
defaults: &defaults { severity: warning, tags: [a, b] }
rules:
  - <<: *defaults
    id: X001
    severity: error
    where: |
      consent == opt_in
    flags: [yes, off, ~, 1.5, 2024-01-01, "quoted"]
"""


@pytest.mark.parametrize("loader", LOADERS, ids=lambda loader: loader.__name__)
def test_data_and_positions(loader, monkeypatch):
    monkeypatch.setattr(yamlsource, "_LOADER", loader)
    document = parse_yaml(DOCUMENT, "demo.yaml")
    rule = document.data["rules"][0]
    assert rule == {"severity": "error", "tags": ["a", "b"], "id": "X001",
                    "where": "consent == opt_in\n",
                    "flags": [True, False, None, 1.5, "2024-01-01", "quoted"]}
    def where(*path, key=False):
        mark = (document.key_mark_at if key else document.mark_at)(list(path))
        return mark.line, mark.column, mark.style

    assert where("rules", 0, "id", key=True) == (5, 5, "")
    assert where("rules", 0, "where") == (7, 12, "|")
    assert where("rules", 0, "tags", 1) == (2, 52, "")  # where the anchor wrote it
    assert where("rules", 0, "flags", 5) == (9, 43, '"')


@pytest.mark.parametrize("loader", LOADERS, ids=lambda loader: loader.__name__)
@pytest.mark.parametrize("text, message, line", [
    ("a: 1\na: 2\n", "key 'a' appears twice in this mapping (first at line 1)", 2),
    ("a: *nowhere\n", "alias '*nowhere' refers to no anchor defined before it", 1),
    ("a: !!set {x}\n", "unsupported YAML tag 'tag:yaml.org,2002:set': only plain data is read", 1),
    ("a: 1\n---\nb: 2\n", "expected one YAML document, found a second one ('---')", 2),
    ("x: " + "[" * 110 + "]" * 110 + "\n", "nested more than 100 levels deep", 1),
])
def test_refusals(loader, text, message, line, monkeypatch):
    monkeypatch.setattr(yamlsource, "_LOADER", loader)
    with pytest.raises(YamlError) as raised:
        parse_yaml(text)
    assert raised.value.message == message
    assert raised.value.mark.line == line


# Found by the fuzz suite: YAML counts NEL, U+2028 and U+2029 as line breaks
# and puts end-of-stream errors past the last line; positions must count LF
# only, as the declaration parser and editors do, and stay inside the file.
@pytest.mark.parametrize("loader", LOADERS, ids=lambda loader: loader.__name__)
@pytest.mark.parametrize("text", ["a: b\x85c\nd: [", 'a: "x\u2028y"\nb: [', "pack: fuzz\nr"])
def test_error_positions_stay_inside_the_file(loader, text, monkeypatch):
    monkeypatch.setattr(yamlsource, "_LOADER", loader)
    with pytest.raises(YamlError) as raised:
        parse_yaml(text)
    mark = raised.value.mark
    lines = text.split("\n")
    # The error is on the last line (the parsers differ on the column).
    assert mark.line == len(lines) and 1 <= mark.column <= len(lines[-1]) + 1


@pytest.mark.parametrize("loader", LOADERS, ids=lambda loader: loader.__name__)
def test_values_after_a_unicode_line_separator_keep_lf_lines(loader, monkeypatch):
    monkeypatch.setattr(yamlsource, "_LOADER", loader)
    document = parse_yaml('a: "x\u2028y"\nb: z\n')
    assert (document.mark_at(["b"]).line, document.mark_at(["b"]).column) == (2, 4)


@pytest.mark.parametrize("loader", LOADERS, ids=lambda loader: loader.__name__)
def test_a_control_character_is_one_located_message(loader, monkeypatch):
    monkeypatch.setattr(yamlsource, "_LOADER", loader)
    with pytest.raises(YamlError) as raised:
        parse_yaml("pack: x\nrules: [\x1f]\n")
    assert raised.value.message == "invalid YAML: character U+001F is not allowed"
    assert (raised.value.mark.line, raised.value.mark.column) == (2, 9)
