"""`tospolicy test` for a pack's watched topics (`topics:`), and expectations
written in bound texts.

Topics are tested like rules, with fixtures in the pack's `tests:` folder:
Markdown or HTML texts (`.md`, `.html`, `.htm`) whose lines carry HTML
comments, which a reader never sees:

    We use your content to train our AI models. <!-- expect-topic: ai-training -->
    Our models run on your device. <!-- expect-not-topic: ai-training -->

A block must reveal every topic expected on one of its lines and none that
is excluded there; every topic of the pack needs one fixture that expects it
and one near miss. A fixture `.tos` binding a text may expect findings in
that text the same way: `<!-- expect: TEXT003 -->` on the block's line.
"""

from __future__ import annotations

import re
from pathlib import Path

from tospolicy.binding.reading import read_blocks
from tospolicy.binding.topics import revealed
from tospolicy.support.paths import display_path
from tospolicy.limits import read_text_file

_NAMES = r"[a-z][a-z0-9-]*(?:\s*,\s*[a-z][a-z0-9-]*)*"
TOPIC_EXPECTATION = re.compile(rf"<!--\s*expect(?P<negated>-not)?-topic\s*:\s*(?P<names>{_NAMES})\s*-->")
_ID = r"[A-Z][A-Z0-9_]*[0-9]"
TEXT_EXPECTATION = re.compile(rf"<!--\s*expect(?P<negated>-not)?\s*:\s*(?P<ids>{_ID}(?:\s*,\s*{_ID})*)\s*-->")
TEXT_SUFFIXES = (".md", ".html", ".htm")


def _comments(text: str, pattern: re.Pattern, group: str) -> tuple[set, set]:
    expected, excluded = set(), set()
    for number, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        for match in pattern.finditer(line):
            names = {name.strip() for name in match.group(group).split(",")}
            (excluded if match.group("negated") else expected).update((number, name) for name in names)
    return expected, excluded


def text_expectations(path: Path) -> tuple[set, set]:
    """(line, rule id) expected and excluded by `<!-- expect: ID -->` in a text."""
    text, _ = read_text_file(path, display_path(path))
    return _comments(text or "", TEXT_EXPECTATION, "ids")


def check_topic_fixtures(rule_set, pack, mismatch) -> tuple[int, int]:
    """Check the pack's topics against the texts of its fixtures folder;
    `mismatch(file, line, message)` records each problem. Returns the number
    of texts and of expectations."""
    own = [topic for topic in rule_set.topics if topic.pack == pack.name]
    known = {topic.name for topic in rule_set.topics}
    files = expectations = 0
    triggered, near_misses = set(), set()
    for path in sorted(p for p in pack.tests.rglob("*") if p.suffix.lower() in TEXT_SUFFIXES):
        display = display_path(path)
        text, problem = read_text_file(path, display)
        if text is None:
            mismatch(display, 1, f"fixture cannot be read: {problem.message}")
            continue
        expected, excluded = _comments(text, TOPIC_EXPECTATION, "names")
        if not expected and not excluded:
            continue
        files += 1
        expectations += len(expected) + len(excluded)
        blocks = read_blocks(text, path.name)
        for line, name in sorted(expected | excluded):
            if name not in known:
                mismatch(display, line, f"'{name}' is not a topic of the loaded packs")
                continue
            block = next((block for block in blocks if block.line <= line <= block.end_line), None)
            if block is None:
                mismatch(display, line, f"no block of the text is on this line (topic '{name}')")
                continue
            found = {item.topic.name: item for item in revealed(rule_set.topics, block.normalised)}
            if (line, name) in expected:
                triggered.add(name)
                if name not in found:
                    mismatch(display, line, f"expected topic '{name}', which this block does not reveal")
            else:
                near_misses.add(name)
                if name in found:
                    mismatch(display, line, f"topic '{name}' is revealed by {found[name].describe()}, "
                             "but the line says expect-not-topic")
    for topic in own:
        where = (pack.display, topic.line)
        if topic.name not in triggered:
            mismatch(*where, f"topic '{topic.name}' has no fixture that expects it")
        if topic.name not in near_misses:
            mismatch(*where, f"topic '{topic.name}' has no near miss (expect-not-topic) in the fixtures")
    return files, expectations
