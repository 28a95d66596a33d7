"""Diagnostics: a declaration's findings, and the problems of packs and configuration.

A declaration is checked by `checking.pipeline.run_text`, the pipeline of
`tospolicy check`, from the editor's text: its findings are `check`'s, each
with the rule id as `code` and the rule's section of docs/rules.md as
`codeDescription`. Suppressed findings are not shown. When the configuration
or a pack cannot be used, the declaration shows that instead, at its first
line, as `check` would stop with it.

A rule pack or a `.tospolicy.yml` open in the editor is validated from its
text as `check` would load it: the schema, then the conditions, each problem
at its line and column.
"""

from __future__ import annotations

import re
from pathlib import Path

from lsprotocol import types

from tospolicy.checking.config import CONFIG_NAME, ConfigError, load_config
from tospolicy.checking.discovery import display_path
from tospolicy.findings import RULES_DOCS_URL, Finding
from tospolicy.limits import DEFAULT_LIMITS, MAX_YAML_BYTES
from tospolicy.packs.loader import PackError, PackRef, builtin_packs, load_rule_set
from tospolicy.server.documents import Document

SOURCE = "tospolicy"
SEVERITIES = {"error": types.DiagnosticSeverity.Error,
              "warning": types.DiagnosticSeverity.Warning,
              "note": types.DiagnosticSeverity.Information}
# `file:line:column: message`, as configuration problems are worded.
_LOCATED = re.compile(r"(?P<file>.*?):(?P<line>[0-9]+):(?P<column>[0-9]+): (?P<message>.*)", re.DOTALL)


def help_uri(rule_id: str) -> str:
    return f"{RULES_DOCS_URL}#{rule_id.lower()}"


def from_findings(document: Document, findings: list[Finding], display: str) -> list[types.Diagnostic]:
    """The unsuppressed findings of the file `display`, as diagnostics."""
    diagnostics = []
    for finding in findings:
        if finding.suppression is not None or finding.span.file != display:
            continue
        diagnostics.append(to_diagnostic(finding, document.span_range(finding.span),
                                         _data(document, finding)))
    return diagnostics


def to_diagnostic(finding: Finding, where: types.Range, data: dict | None = None) -> types.Diagnostic:
    return types.Diagnostic(
        range=where,
        message=finding.message,
        severity=SEVERITIES[finding.severity],
        code=finding.rule_id,
        code_description=types.CodeDescription(help_uri(finding.rule_id)),
        source=SOURCE,
        data=data,
    )


def _data(document: Document, finding: Finding) -> dict | None:
    """What code actions need later: the finding's fix (its replacement and
    where it goes, in LSP terms), and its statement."""
    data = {}
    if finding.statement:
        data["statement"] = finding.statement
    fix = getattr(finding, "fix", None)
    if fix is not None:
        where = document.span_range(fix.span)
        data["fix"] = {"replacement": fix.replacement,
                       "range": [where.start.line, where.start.character,
                                 where.end.line, where.end.character]}
    return data or None


def unusable(document: Document, problems: list[str]) -> list[types.Diagnostic]:
    """One diagnostic at the top of a declaration: why it cannot be checked."""
    message = "not checked: " + "\n".join(problems)
    return [types.Diagnostic(range=types.Range(types.Position(0, 0), types.Position(0, 0)),
                             message=message, severity=types.DiagnosticSeverity.Error,
                             source=SOURCE)]


# ----------------------------------------------------------------- YAML files

def is_config(path: Path | None) -> bool:
    return path is not None and path.name == CONFIG_NAME


def looks_like_pack(text: str) -> bool:
    """A YAML document whose top level has `pack:`: a rule pack."""
    return re.search(r"^pack[ \t]*:", text, re.MULTILINE) is not None


def yaml_diagnostics(document: Document, projects) -> list[types.Diagnostic]:
    """The problems of a configuration or a pack file open in the editor."""
    path = document.path
    if path is None:
        return []
    path = path.resolve()
    if len(document.text) > MAX_YAML_BYTES:
        return [_at(document, 1, 1, f"file is larger than {MAX_YAML_BYTES} bytes",
                    types.DiagnosticSeverity.Error)]
    if is_config(path):
        return _config_problems(document, path)
    if looks_like_pack(document.text):
        return _pack_problems(document, path, projects)
    return []


def _config_problems(document: Document, path: Path) -> list[types.Diagnostic]:
    try:
        config = load_config(path, document.text)
    except ConfigError as error:
        return _located(document, [str(problem) for problem in error.problems])
    refs = config.packs if config.packs is not None else [PackRef(name) for name in builtin_packs()]
    try:
        rule_set = load_rule_set(list(refs), config.rules, config.limits)
    except PackError as error:
        return _problems(document, path, error.problems, everything_here=True)
    return _problems(document, path, rule_set.warnings, types.DiagnosticSeverity.Warning)


def _pack_problems(document: Document, path: Path, projects) -> list[types.Diagnostic]:
    """The pack loaded with the packs of its project when the project loads it
    (its terms and definitions may come from them), else on its own."""
    project = projects.for_file(path)
    texts = {path: document.text}
    if project.settings is not None and path in project.pack_files:
        settings = project.settings
        refs, overrides, limits = list(settings.packs), settings.overrides, settings.limits
    else:
        refs, overrides, limits = [PackRef(str(path))], {}, DEFAULT_LIMITS
    try:
        load_rule_set(refs, overrides, limits, texts=texts)
    except PackError as error:
        return _problems(document, path, error.problems)
    return []


def _problems(document: Document, path: Path, problems, severity=types.DiagnosticSeverity.Error,
              everything_here: bool = False) -> list[types.Diagnostic]:
    """The problems located in this file; with `everything_here`, those of other
    files too, at the top (a configuration naming a broken pack)."""
    display = display_path(path)
    diagnostics = []
    for problem in problems:
        location = problem.location
        if location.file == display and location.line:
            diagnostics.append(_at(document, location.line, location.column, problem.message, severity))
        elif everything_here or location.file in (display, str(path)):
            diagnostics.append(_at(document, 1, 1, str(problem), severity))
    return diagnostics


def _located(document: Document, problems: list[str]) -> list[types.Diagnostic]:
    diagnostics = []
    for problem in problems:
        match = _LOCATED.fullmatch(problem)
        if match:
            diagnostics.append(_at(document, int(match["line"]), int(match["column"]),
                                   match["message"], types.DiagnosticSeverity.Error))
        else:
            diagnostics.append(_at(document, 1, 1, problem, types.DiagnosticSeverity.Error))
    return diagnostics


def _at(document: Document, line: int, column: int, message: str, severity) -> types.Diagnostic:
    """A diagnostic from `line:column` (YAML positions: LF lines, code points
    from 1) to the end of the word there."""
    start = document.span_offset(line, column)
    end = start
    text = document.text
    while end < len(text) and text[end] not in " \t\r\n,:[]{}":
        end += 1
    return types.Diagnostic(range=document.offset_range(start, end), message=message,
                            severity=severity, source=SOURCE)
