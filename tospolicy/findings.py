"""Findings: what every check, from the parser to the rule packs, reports."""

from __future__ import annotations

from dataclasses import dataclass, field

from tospolicy.language.model import Span

# Where users learn about the tool and each rule (SARIF informationUri, helpUri).
TOOL_URL = "https://github.com/tospolicy/tospolicy"
RULES_DOCS_URL = f"{TOOL_URL}/blob/main/docs/rules.md"

# Severities from least to most severe; `--fail-on` and sorting use this order.
SEVERITIES = ("note", "warning", "error")
SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}
# `--fail-on never`: no finding fails the run.
FAIL_ON_CHOICES = ("error", "warning", "note", "never")


@dataclass(slots=True, unsafe_hash=True)
class RuleInfo:
    """What reporters show about a rule: SARIF's `reportingDescriptor`, `explain`."""

    id: str
    name: str
    severity: str
    summary: str
    description: str = ""
    references: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    pack: str = ""
    # Where a custom pack's rule is explained: its `url:`, else its pack's,
    # else "" (no link). None for tospolicy's own rules, documented in
    # docs/rules.md: a custom rule must not send readers to tospolicy's docs.
    url: str | None = None

    @property
    def help_uri(self) -> str | None:
        """The rule's help link: its section in docs/rules.md for tospolicy's
        own rules, the pack's `url` for others, or None."""
        if self.url is None:
            return f"{RULES_DOCS_URL}#{self.id.lower()}"
        return self.url or None


@dataclass(slots=True, unsafe_hash=True)
class Fix:
    """A replacement that resolves a finding: `replacement` written over `span`.

    A "did you mean" suggestion carries one (`purpose` → `purposes`), so that
    an editor can offer it as a quick fix; span and replacement are in the
    terms of the declaration's text (lines and columns as for findings)."""

    span: Span
    replacement: str


@dataclass(slots=True, unsafe_hash=True)
class Finding:
    """One problem at one place.

    `statement` names the statement the finding is about (its identity, such
    as `use customer_content for ai.training`), so that baselines and
    fingerprints survive edits elsewhere in the file. `suppression` holds the
    reason given in an inline `# tospolicy: ignore[…]` comment, when one
    suppresses this finding. `fix` is the suggested replacement, when the
    message suggests exactly one.
    """

    rule_id: str
    severity: str
    message: str
    span: Span
    statement: str = ""
    suppression: str | None = field(default=None, compare=False)
    fix: Fix | None = field(default=None, compare=False)

    @property
    def sort_key(self) -> tuple:
        span = self.span
        return (span.file, span.line, span.column, self.rule_id, self.message)


def fails(findings, fail_on: str) -> bool:
    """Whether any unsuppressed finding is at or above the `fail_on` severity."""
    if fail_on == "never":
        return False
    threshold = SEVERITY_RANK[fail_on]
    return any(
        SEVERITY_RANK[finding.severity] >= threshold
        for finding in findings
        if finding.suppression is None
    )


# The ids of tospolicy's own findings, written here only; rule packs cannot
# redefine them.
SYNTAX_ERROR = "TOS001"
UNREADABLE_FILE = "TOS002"
TOO_MANY_FINDINGS = "TOS003"

PARSER_RULES = (
    RuleInfo(
        id=SYNTAX_ERROR,
        name="syntax-error",
        severity="error",
        summary="The declaration does not follow the language's syntax.",
        description=(
            "The parser could not read this part of the declaration. The message says "
            "what was found and what was expected there. Parsing resumes at the next "
            "statement, so every syntax error of a file is reported in one run. Rules "
            "are not checked on a file with syntax errors: their verdicts on a partly "
            "read declaration could be wrong."
        ),
        tags=("syntax",),
        pack="tospolicy",
    ),
    RuleInfo(
        id=UNREADABLE_FILE,
        name="unreadable-file",
        severity="error",
        summary="The file cannot be read, is not UTF-8 text, or exceeds a limit.",
        description=(
            "The file could not be read as a declaration: it is missing or unreadable, "
            "it is not UTF-8 text (or contains NUL bytes), or it is larger than the "
            "configured limits. The other files are still checked."
        ),
        tags=("syntax",),
        pack="tospolicy",
    ),
    RuleInfo(
        id=TOO_MANY_FINDINGS,
        name="too-many-findings",
        severity="note",
        summary="The file has more findings than the limit; the rest are not reported.",
        description=(
            "No more than `limits.max-findings-per-file` findings (1,000 unless "
            "configured) are reported for one file, so that one file cannot flood a "
            "report, a job summary or code scanning. This note, after the last finding "
            "reported, says how many were left out. Fix the findings shown, or raise "
            "the limit in .tospolicy.yml."
        ),
        tags=("limits",),
        pack="tospolicy",
    ),
)
