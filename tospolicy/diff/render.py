"""The outputs of `tospolicy diff`: text, markdown (for a pull request) and JSON.

(SARIF goes through the SARIF reporter: `comparison.check_report` turns the
regressions into findings.) Every output starts with or contains the marker
`tospolicy diff`, by which `--output` recognises a file it may replace.
"""

from __future__ import annotations

import json

from tospolicy import __version__
from tospolicy.diff.sources import ADDED, REMOVED, RENAMED, DiffResult, FileDiff
from tospolicy.diff.change import IMPROVEMENT, NEUTRAL, REGRESSION, Change
from tospolicy.reporters.common import line_start, one_line
from tospolicy.render.changes import markdown_lines as change_diagrams
from tospolicy.support.words import plural

MARKER = b"tospolicy diff"
_COLOURS = {"error": "\x1b[31m", "warning": "\x1b[33m", IMPROVEMENT: "\x1b[32m", NEUTRAL: "\x1b[2m"}
_RESET = "\x1b[0m"


def _shown(file: FileDiff) -> bool:
    return bool(file.changes or file.problems) or file.status in (ADDED, REMOVED, RENAMED)


def _where(span) -> str:
    return f"{span.file}:{span.line}:{span.column}"


def summary(result: DiffResult) -> str:
    """One sentence: what changed, in how many files, and what could not be compared."""
    changes = result.changes
    regressions = result.regressions
    files = plural(len(result.files), "file")
    if not result.files:
        sentence = "No declarations changed."
    elif not changes:
        sentence = f"No changes in {files}."
    else:
        parts = []
        if regressions:
            severities = [plural(sum(1 for change in regressions if change.severity == severity),
                                  severity)
                          for severity in ("error", "warning")
                          if any(change.severity == severity for change in regressions)]
            parts.append(f"{plural(len(regressions), 'regression')} ({', '.join(severities)})")
        else:
            parts.append("no regressions")
        for classification, word in ((IMPROVEMENT, "improvement"), (NEUTRAL, "neutral change")):
            count = sum(1 for change in changes if change.classification == classification)
            if count:
                parts.append(plural(count, word))
        listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
        sentence = f"{listed[0].upper()}{listed[1:]} in {files}."
    broken = sum(1 for file in result.files if file.problems)
    if broken:
        sentence += f" {plural(broken, 'file')} could not be compared."
    return sentence


# ------------------------------------------------------------------- text

def _header(file: FileDiff) -> str:
    if file.status == ADDED:
        return f"tospolicy diff {file.new} (new file)"
    if file.status == REMOVED:
        return f"tospolicy diff {file.old} (removed)"
    renamed = " (renamed)" if file.status == RENAMED else ""
    return f"tospolicy diff {file.old} {file.new}{renamed}"


def _tag(change: Change) -> str:
    return change.severity if change.classification == REGRESSION else change.classification


def text(result: DiffResult, colour: bool = False) -> str:
    """One line a change, `path:line:col: ID [tag] message (was at path:line:col)`,
    grouped by file under a `tospolicy diff OLD NEW` line, then a summary."""
    lines = []
    for file in result.files:
        if not _shown(file):
            continue
        lines.append(one_line(_header(file)))
        for problem in file.problems:
            lines.append(line_start(f"{_where(problem.span)}: {problem.rule_id} "
                                   f"[{problem.severity}] {problem.message}"))
        for change in file.changes:
            tag = _tag(change)
            shown = f"{_COLOURS[tag]}{tag}{_RESET}" if colour else tag
            place = change.new or change.old
            was = f" (was at {_where(change.old)})" if change.old and change.new else ""
            rule = f"{change.rule_id} " if change.rule_id else ""
            lines.append(f"{line_start(f'{_where(place)}: {rule}')}[{shown}] "
                         f"{one_line(change.message + was)}")
        lines.append("")
    lines.append(summary(result))
    return "".join(line + "\n" for line in lines)


# --------------------------------------------------------------- markdown

# Characters with a meaning inside a table cell (the rest only matter at the
# start of a line, which a cell never is); `$` starts math.
_MARKDOWN_SPECIAL = set("\\`*_[]|~$")


def _md(value: str) -> str:
    """Text safe in a markdown table cell: no markup, no HTML, one line, and
    no `@mention` (a pull-request comment would notify whoever it names)."""
    out = []
    for char in one_line(value):
        if char == "&":
            out.append("&amp;")
        elif char == "<":
            out.append("&lt;")
        elif char == ">":
            out.append("&gt;")
        elif char in _MARKDOWN_SPECIAL:
            out.append("\\" + char)
        elif char == "@":  # a zero-width space after it: no mention, no e-mail link
            out.append("@&#8203;")
        else:
            out.append(char)
    return "".join(out)


def _md_where(change: Change) -> str:
    place = change.new or change.old
    where = f"{place.file}:{place.line}"
    if change.old and change.new:
        where += f" (was {change.old.file}:{change.old.line})"
    return _md(where)


def _md_message(change: Change) -> str:
    """The message; for a change of the prose, its words as `~~old~~ **new**`."""
    if not change.words:
        return _md(change.message)
    from tospolicy.binding.words import render as render_words

    return f"{_md(change.lead)}: {render_words(change.words, 'markdown', escape=_md)}"


def markdown(result: DiffResult) -> str:
    """A summary for a pull request or a job summary: regressions and improvements
    in a table per file, neutral changes folded away."""
    lines = ["<!-- tospolicy diff -->", "### Semantic diff of the declarations", "", _md(summary(result))]
    for file in result.files:
        if not _shown(file):
            continue
        title = {ADDED: f"{file.new} (new file)", REMOVED: f"{file.old} (removed)"}.get(
            file.status, f"{file.new} (was {file.old})")
        lines += ["", f"#### {_md(title)}", ""]
        for problem in file.problems:
            lines.append(f"- **could not be compared**: {_md(_where(problem.span))}: "
                         f"{problem.rule_id} {_md(problem.message)}")
        if file.problems:
            lines.append("")
        else:
            lines += change_diagrams(file.old_declaration, file.declaration)
        judged = [change for change in file.changes if change.classification != NEUTRAL]
        neutral = [change for change in file.changes if change.classification == NEUTRAL]
        if judged:
            lines += ["| | change | where |", "| --- | --- | --- |"]
            for change in judged:
                tag = (f"**regression** ({change.severity})" if change.classification == REGRESSION
                       else "improvement")
                lines.append(f"| {tag} {change.rule_id} | {_md_message(change)} | {_md_where(change)} |")
        elif not file.problems:
            lines.append("No regressions or improvements.")
        if neutral:
            lines += ["", f"<details><summary>{plural(len(neutral), 'neutral change')}</summary>", "",
                      "| change | where |", "| --- | --- |"]
            lines += [f"| {_md(change.message)} | {_md_where(change)} |" for change in neutral]
            lines += ["", "</details>"]
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------- JSON

def _span(span) -> dict | None:
    if span is None:
        return None
    return {"file": span.file, "line": span.line, "column": span.column,
            "end_line": span.end_line, "end_column": span.end_column}


def to_data(result: DiffResult) -> dict:
    changes = result.changes
    return {
        "tool": "tospolicy diff",
        "version": __version__,
        "summary": {
            "files": len(result.files),
            "regressions": len(result.regressions),
            "errors": sum(1 for change in result.regressions if change.severity == "error"),
            "warnings": sum(1 for change in result.regressions if change.severity == "warning"),
            "improvements": sum(1 for change in changes if change.classification == IMPROVEMENT),
            "neutral": sum(1 for change in changes if change.classification == NEUTRAL),
            "not_compared": sum(1 for file in result.files if file.problems),
        },
        "files": [
            {
                "path": file.path,
                "old": file.old,
                "new": file.new,
                "status": file.status,
                "changes": [
                    {
                        "id": change.rule_id,
                        "classification": change.classification,
                        "severity": change.severity,
                        "service": change.service,
                        "subject": change.subject,
                        "statement": change.statement,
                        "message": change.message,
                        "old": _span(change.old),
                        "new": _span(change.new),
                        **({"words": [{"old": " ".join(part.old), "new": " ".join(part.new)}
                                      for part in change.words if part.kind == "changed"]}
                           if change.words else {}),
                    }
                    for change in file.changes
                ],
                "problems": [
                    {"id": problem.rule_id, "severity": problem.severity,
                     "message": problem.message, "location": _span(problem.span)}
                    for problem in file.problems
                ],
            }
            for file in result.files
        ],
    }


def json_text(result: DiffResult) -> str:
    return json.dumps(to_data(result), indent=2, ensure_ascii=False) + "\n"
