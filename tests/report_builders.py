"""Reports as the rule engine will produce them, built from real files.

Until the engine lands, `check` reports syntax findings only. Reporters must
not care where findings come from, so these tests parse real declarations and
add rule findings at real statements (with their identities), suppressed
ones, many rules with long descriptions, and a finding whose rule the report
does not describe.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from tospolicy.checking.checker import CheckReport, check_files
from tospolicy.checking.discovery import discover
from tospolicy.findings import PARSER_RULES, Finding, RuleInfo

DECLARATION = '''\
service "Meetings" {
  effective: 2024-05-01
  data customer_content "Customer content" {
    categories: content.audio, content.chat
    subjects: customer
  }
  use customer_content for ai.training {
    consent: opt_out
  }
  # tospolicy: ignore[AI005] reviewed by legal, ticket 42
  use customer_content for ai.inference { consent: opt_out }
  retain customer_content indefinitely
}
'''

BROKEN = 'service "Broken" {\n  data notes {\n    categories content.text\n  }\n  use notes for\n}\n'

LONG = "A rule with a long rationale. " * 60  # past the 1024 characters GitHub shows


def rules() -> list[RuleInfo]:
    made_up = [
        RuleInfo(id=f"PACK{number:03d}", name=f"made-up-rule-{number}", severity="warning",
                 summary=f"Made-up rule {number}.", description=LONG,
                 references=("GDPR Art. 9(1)", "https://example.com/why"),
                 tags=tuple(f"tag{tag}" for tag in range(25)), pack="made-up")
        for number in range(30)
    ]
    ai = [
        RuleInfo(id="AI001", name="ai-training-without-opt-in", severity="error",
                 summary="AI training on user content needs opt-in.",
                 description="Training a model on what users wrote or said needs their **opt-in**.",
                 references=("GDPR Art. 6(1)(a)",), tags=("ai", "consent"), pack="ai"),
        RuleInfo(id="AI005", name="opt-out-without-path", severity="warning",
                 summary="Opt-out AI use needs a way to opt out.", pack="ai"),
        RuleInfo(id="GDPR005", name="retention", severity="warning",
                 summary="Personal data is kept indefinitely.", pack="gdpr"),
    ]
    return [*PARSER_RULES, *ai, *made_up]


def write_project(folder: Path) -> list[Path]:
    """Several declarations, one with syntax errors, in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "meetings.tos": DECLARATION,
        "sub dir/more meetings.tos": DECLARATION.replace("Meetings", "More meetings"),
        "broken #1.tos": BROKEN,
        "50% ünïcode.tos": DECLARATION.replace("Meetings", "Ünïcode ✓"),
    }
    paths = []
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def engine_like_report(cwd: Path) -> CheckReport:
    """`check` on the `.tos` files under `cwd`, plus the findings rules would give.

    Every `use` for AI training gets AI001 (error); every other `use` AI005,
    suppressed with the comment above it; every `retain` GDPR005; every
    `data` a finding of a rule the report does not describe (ACME999), with a
    message full of characters that need escaping somewhere.
    """
    files, _ = discover([cwd], cwd=cwd)
    report = check_files(files)
    for file in report.files:
        if file.declaration is None:
            continue
        for service in file.declaration.services:
            for statement in service.statements:
                where = replace(statement.span, end_line=statement.span.line,
                                end_column=statement.span.column + len(statement.kind))
                if statement.kind == "use" and "ai.training" in statement.identity:
                    file.findings.append(Finding(
                        "AI001", "error", f"{statement.identity}: consent is opt_out, not opt_in",
                        where, statement.identity))
                elif statement.kind == "use":
                    file.findings.append(Finding(
                        "AI005", "warning", "no way to opt out of AI inference", where,
                        statement.identity, suppression="reviewed by legal, ticket 42"))
                elif statement.kind == "retain":
                    file.findings.append(Finding(
                        "GDPR005", "warning", "customer_content is kept indefinitely", where,
                        statement.identity, suppression=""))
                elif statement.kind == "data":
                    file.findings.append(Finding(
                        "ACME999", "note",
                        'odd | <b>name</b> [x](http://evil) `code` *a* 100% "q" \\ ::set-output\r\nline 2',
                        where, statement.identity))
        file.findings.sort(key=lambda finding: finding.sort_key)
    report.rules = rules()
    report.notifications = ["rule PACK007 failed on sub dir/more meetings.tos: made-up failure"]
    return report
