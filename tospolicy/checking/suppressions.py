"""Inline suppressions: `# tospolicy: ignore[ID, …] reason`.

A suppression comment applies to the findings of the rules it names whose
statement starts on its line, or that point at its line. Written alone on a
line, it applies to the next line as well (a comment above the statement).
A suppressed finding stays in the report, carrying the reason; reporters
decide whether to show it. CORE009 reports suppressions that are malformed,
give no reason, or suppress nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from tospolicy.language.model import Declaration, Span

# `[0-9]+` at the end would backtrack in quadratic time on a long run of
# digits (a comment of 40,000 took 20 seconds); one final digit is the same set.
RULE_ID = re.compile(r"[A-Z][A-Z0-9_]*[0-9]\Z")
_DIRECTIVE = re.compile(r"#\s*tospolicy\s*:", re.IGNORECASE)
# The reason runs to the end of the comment, or to a second `#` (where a
# fixture's `# expect:` may follow).
_IGNORE = re.compile(r"#\s*tospolicy\s*:\s*ignore\[(?P<ids>[^\]]*)\](?P<reason>[^#]*)")


@dataclass
class Suppression:
    span: Span
    text: str
    ids: tuple[str, ...]
    reason: str
    alone: bool  # nothing but the comment on its line
    problem: str | None = None  # why the comment is not a valid suppression
    used: set[str] = field(default_factory=set)  # the ids that suppressed a finding

    def covers(self, line: int) -> bool:
        return self.span.line == line or (self.alone and self.span.line + 1 == line)


def suppressions_of(declaration: Declaration) -> list[Suppression]:
    found = []
    for comment in declaration.comments:
        if not _DIRECTIVE.match(comment.text):
            continue
        alone = comment.alone
        match = _IGNORE.match(comment.text)
        ids = tuple(part.strip() for part in match.group("ids").split(",")) if match else ()
        problem = None
        if match is None:
            problem = "malformed suppression: write '# tospolicy: ignore[ID, …] reason'"
        elif not ids or not all(RULE_ID.match(rule_id) for rule_id in ids):
            problem = (f"malformed suppression: '{match.group('ids')}' is not a list of rule ids "
                       "(like ignore[AI001, GDPR002])")
            ids = ()
        reason = match.group("reason").strip() if match else ""
        found.append(Suppression(comment.span, comment.text, ids, reason, alone, problem))
    return found


def suppress(findings, suppressions: list[Suppression]):
    """Mark the findings each suppression covers; `findings` holds (finding, statement
    line) pairs. Returns the findings, suppressed ones carrying the reason."""
    by_line: dict[int, list[Suppression]] = {}
    for suppression in suppressions:
        if suppression.problem is None:
            by_line.setdefault(suppression.span.line, []).append(suppression)
            if suppression.alone:
                by_line.setdefault(suppression.span.line + 1, []).append(suppression)
    result = []
    for finding, statement_line in findings:
        lines = {finding.span.line, statement_line}
        for line in sorted(lines):
            for suppression in by_line.get(line, ()):
                if finding.rule_id in suppression.ids and finding.suppression is None:
                    finding = replace(finding, suppression=suppression.reason)
                    suppression.used.add(finding.rule_id)
        result.append(finding)
    return result
