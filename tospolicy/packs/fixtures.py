"""`tospolicy test`: rule packs checked against their fixtures (sqlfluff style).

A pack names a folder of `.tos` fixtures (`tests:`). A comment `# expect: ID`
on a line says a finding of rule ID must start on that line; `# expect-not:
ID` says none may (the near misses). Every finding of the pack's own rules
must be expected, every expectation met, and every rule of the pack needs at
least one fixture that triggers it and one near miss; each exception is a
mismatch, printed with its file and line. A fixture that binds a text
(`text:`) is checked with it, and findings located in the text are expected
there; the pack's watched topics are tested on text fixtures
(topicfixtures.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tospolicy.binding.texts import bind, binds
from tospolicy.checking.engine import run
from tospolicy.packs.types import Pack, RuleSet
from tospolicy.language.parser import parse_file
from tospolicy.limits import DEFAULT_LIMITS
from tospolicy.packs.topicfixtures import check_topic_fixtures, text_expectations
from tospolicy.support.paths import display_path

_ID = r"[A-Z][A-Z0-9_]*[0-9]"  # linear: see suppressions.RULE_ID
EXPECTATION = re.compile(
    rf"(?:^|#)\s*expect(?P<negated>-not)?\s*:\s*(?P<ids>{_ID}(?:\s*,\s*{_ID})*)")


@dataclass(frozen=True)
class Mismatch:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass
class PackTest:
    pack: Pack
    files: int = 0
    expectations: int = 0
    mismatches: list[Mismatch] = field(default_factory=list)


def check_fixtures(rule_set: RuleSet, pack: Pack) -> PackTest:
    result = PackTest(pack)
    if pack.tests is None:
        result.mismatches.append(Mismatch(pack.display, 1, f"pack '{pack.name}' names no fixtures "
                                          "folder (tests: ./folder/)"))
        return result
    where = pack.tests_location
    if not pack.tests.is_dir():
        result.mismatches.append(Mismatch(where.file, where.line,
                                          f"fixtures folder {display_path(pack.tests)} does not exist"))
        return result
    fixtures = sorted(pack.tests.rglob("*.tos"))
    if not fixtures and pack.rule_ids:  # a pack of topics only has text fixtures
        result.mismatches.append(Mismatch(where.file, where.line,
                                          f"no .tos fixtures in {display_path(pack.tests)}"))
    known = {info.id for info in rule_set.infos}
    own = set(pack.rule_ids)
    triggered: set[str] = set()
    near_misses: set[str] = set()
    for path in fixtures:
        result.files += 1
        display = display_path(path)
        parsed = parse_file(path, display)
        if parsed.declaration is None:
            result.mismatches.extend(
                Mismatch(display, finding.span.line, f"fixture does not parse: {finding.message}")
                for finding in parsed.findings)
            continue
        expected, excluded = expectations(parsed.declaration)
        result.expectations += len(expected) + len(excluded)
        for line, rule_id in sorted(expected | excluded):
            if rule_id not in known:
                result.mismatches.append(Mismatch(display, line,
                                                  f"{rule_id} is not a rule of the loaded packs"))
        triggered.update(rule_id for _, rule_id in expected)
        near_misses.update(rule_id for _, rule_id in excluded)
        binding = bind(parsed.declaration, path, DEFAULT_LIMITS) if binds(parsed.declaration) else None
        findings = [finding for finding in run(rule_set, parsed.declaration, binding)
                    if finding.suppression is None]
        expected = {(display, line, rule_id) for line, rule_id in expected}
        excluded = {(display, line, rule_id) for line, rule_id in excluded}
        for text in {text.path for texts in (binding.texts.values() if binding else ())
                     for text in texts if text.blocks is not None}:
            more, fewer = text_expectations(text)
            text_display = display_path(text)
            expected |= {(text_display, line, rule_id) for line, rule_id in more}
            excluded |= {(text_display, line, rule_id) for line, rule_id in fewer}
            triggered.update(rule_id for _, rule_id in more)
            near_misses.update(rule_id for _, rule_id in fewer)
        reported = {(finding.span.file, finding.span.line, finding.rule_id) for finding in findings}
        for file, line, rule_id in sorted(expected - reported):
            if rule_id in known:
                result.mismatches.append(Mismatch(file, line,
                                                  f"expected {rule_id}, which was not reported"))
        for finding in findings:
            key = (finding.span.file, finding.span.line, finding.rule_id)
            if key in excluded:
                result.mismatches.append(Mismatch(
                    finding.span.file, finding.span.line,
                    f"{finding.rule_id} was reported, but the line says expect-not: {finding.message}"))
            elif key not in expected and finding.rule_id in own:
                result.mismatches.append(Mismatch(
                    finding.span.file, finding.span.line,
                    f"{finding.rule_id} was reported but not expected: {finding.message}"))
    files, count = check_topic_fixtures(
        rule_set, pack, lambda file, line, message: result.mismatches.append(Mismatch(file, line, message)))
    result.files += files
    result.expectations += count
    for rule_id in pack.rule_ids:
        location = rule_set.rule(rule_id).location
        if rule_id not in triggered:
            result.mismatches.append(Mismatch(location.file, location.line,
                                              f"{rule_id} has no fixture that expects it"))
        if rule_id not in near_misses:
            result.mismatches.append(Mismatch(location.file, location.line,
                                              f"{rule_id} has no near miss (expect-not) in the fixtures"))
    result.mismatches = sorted(set(result.mismatches), key=lambda m: (m.file, m.line, m.message))
    return result


def expectations(declaration) -> tuple[set, set]:
    expected, excluded = set(), set()
    for comment in declaration.comments:
        for match in EXPECTATION.finditer(comment.text):
            ids = {rule_id.strip() for rule_id in match.group("ids").split(",")}
            target = excluded if match.group("negated") else expected
            target.update((comment.span.line, rule_id) for rule_id in ids)
    return expected, excluded
