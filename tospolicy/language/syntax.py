"""What the two parsers of `.tos` files share: the grammar's name, its
keywords, the service's attributes, the bounds on a name, and their result.

parser.py (the fast path, then Lark when a file has errors) and recovery.py
(Lark with error recovery) both use these; neither imports the other's
module for them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tospolicy.findings import Finding
from tospolicy.language.model import Declaration

GRAMMAR = "tospolicy.lark"

KEYWORDS = frozenset(
    "service data use never for share with retain indefinitely until after license to right".split()
)
STATEMENT_KEYWORDS = ("data", "use", "share", "retain", "license", "right", "never")
SERVICE_ATTRIBUTES = frozenset(
    "version title controller source contact effective jurisdictions audience role cite note regions "
    "except_regions quote text ai_role gpai training_summary opt_out_signals".split()
)


@dataclass
class ParseResult:
    """A file's model, or None when it has syntax errors, and the errors."""

    declaration: Declaration | None
    findings: list[Finding] = field(default_factory=list)
