"""Checking the text of one file: parse it, read the texts it binds, run the rules.

What `tospolicy check` does with each file once read (checker.py), what each
worker does with its part of a large file (split.py), and what the language
server does with an editor's buffer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tospolicy.binding.texts import bind, binds
from tospolicy.findings import Finding
from tospolicy.language.model import Declaration
from tospolicy.limits import Limits

if TYPE_CHECKING:
    from tospolicy.conditions.relations import Budget
    from tospolicy.language.syntax import ParseResult
    from tospolicy.packs.loader import RuleSet


@dataclass
class FileReport:
    path: Path
    display: str
    declaration: Declaration | None
    findings: list[Finding] = field(default_factory=list)
    texts: list = field(default_factory=list)  # the bound texts read: [path, real path, digest]


def check_parsed(result: ParseResult, path: Path, display: str, limits: Limits,
                 rule_set: RuleSet | None, budget: Budget | None = None,
                 binder=bind) -> FileReport:
    """The report of one file once its text is parsed (`result`); `budget` as in
    engine.run, `binder` as in checker.check_text."""
    findings = list(result.findings)
    texts: list = []
    if result.declaration is not None and rule_set is not None:
        from tospolicy.checking.engine import run

        binding = binder(result.declaration, path, limits) if binds(result.declaration) else None
        texts = binding.files if binding is not None else []
        findings.extend(run(rule_set, result.declaration, binding, budget))
    findings.sort(key=lambda finding: finding.sort_key)
    return FileReport(path, display, result.declaration, findings, texts)
