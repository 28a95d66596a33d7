"""GitHub Actions workflow commands: one annotation line per finding.

`::error file=F,line=L,col=C,endLine=…,endColumn=…,title=T::MESSAGE`. The
runner reads each line of a step's output as a possible command, so every
finding must stay on one line whatever its message says: `%`, CR and LF are
escaped in the message, and also `:` and `,` in properties (the runner
decodes these escapes). A message that contains `::set-output` or any other
command text is then just text after the first `::`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tospolicy.reporters.common import RenderOptions, one_line, rules_by_id, unsuppressed
from tospolicy.reporters.locations import Locator

if TYPE_CHECKING:
    from tospolicy.checking.checker import CheckReport

COMMANDS = {"error": "error", "warning": "warning", "note": "notice"}


def escape_data(text: str) -> str:
    """A command's message: the runner turns %25, %0D and %0A back into `%`, CR
    and LF; other control characters are shown as escapes."""
    parts = re.split(r"([\r\n])", text)  # odd items are the line breaks themselves
    text = "".join(part if index % 2 else one_line(part) for index, part in enumerate(parts))
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: CheckReport, options: RenderOptions) -> str:
    locator = Locator(options)
    rules = rules_by_id(report)
    lines = []
    for finding in unsuppressed(report):
        span = finding.span
        rule = rules.get(finding.rule_id)
        title = f"{finding.rule_id} {rule.name}" if rule and rule.name else finding.rule_id
        properties = ",".join(f"{key}={escape_property(str(value))}" for key, value in (
            ("file", locator.shown(span.file)),
            ("line", span.line),
            ("col", span.column),
            ("endLine", span.end_line),
            ("endColumn", span.end_column),
            ("title", title),
        ))
        lines.append(f"::{COMMANDS[finding.severity]} {properties}::{escape_data(finding.message)}")
    return "".join(line + "\n" for line in lines)


_OUR_LINE = re.compile(rb"::(error|warning|notice) file=.*::.*\Z")


def recognise(head: bytes) -> bool:
    """Annotations this module wrote: every whole line is one."""
    lines = head.split(b"\n")[:-1]
    return bool(lines) and all(_OUR_LINE.match(line) for line in lines)
