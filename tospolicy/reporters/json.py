"""The JSON format: a stable shape for scripts (documented in docs/output.md).

`format` is the shape's version: it changes only when a key is removed or
changes meaning; new keys may appear without a new version.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from tospolicy import __version__
from tospolicy.findings import Finding, RuleInfo
from tospolicy.reporters.common import RenderOptions, severity_counts, shown_findings, unsuppressed

if TYPE_CHECKING:
    from tospolicy.checking.checker import CheckReport

FORMAT_VERSION = 1


def render(report: CheckReport, options: RenderOptions) -> str:
    counted = unsuppressed(report)
    data = {
        "tool": "tospolicy",
        "version": __version__,
        "format": FORMAT_VERSION,
        "summary": {
            "files": len(report.files),
            "findings": len(counted),
            **severity_counts(counted),
            "suppressed": len(report.findings) - len(counted),
        },
        "findings": [_finding(finding) for finding in shown_findings(report, options)],
        "rules": [_rule(rule) for rule in report.rules],
        "notifications": list(report.notifications),
        "skipped": report.skipped,
        "files": [file.display for file in report.files],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def recognise(head: bytes) -> bool:
    return head.startswith(b'{\n  "tool": "tospolicy",')


def _finding(finding: Finding) -> dict:
    span = finding.span
    return {
        "rule": finding.rule_id,
        "severity": finding.severity,
        "message": finding.message,
        "path": span.file,
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
        "statement": finding.statement,
        "suppression": finding.suppression,
        "fix": _fix(finding),
    }


def _fix(finding: Finding) -> dict | None:
    """The suggested replacement (a "did you mean"), as editors apply it."""
    if finding.fix is None:
        return None
    span = finding.fix.span
    return {"line": span.line, "column": span.column, "end_line": span.end_line,
            "end_column": span.end_column, "replacement": finding.fix.replacement}


def _rule(rule: RuleInfo) -> dict:
    return {
        "id": rule.id,
        "name": rule.name,
        "severity": rule.severity,
        "summary": rule.summary,
        "description": rule.description,
        "references": list(rule.references),
        "tags": list(rule.tags),
        "pack": rule.pack,
        "help_uri": rule.help_uri,
    }
