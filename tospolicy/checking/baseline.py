"""Baselines: the findings a project accepts for now, hidden until they change.

`tospolicy check --update-baseline` writes the current findings to a JSON
file; `--baseline FILE` (or `baseline:` in the configuration) hides them. A
finding is known by its rule, its file (relative to the baseline's folder)
and its statement's identity (service and what the statement says), never by
its line: an edit above a finding must not bring it back, and a change to the
statement itself should. Each key carries a count, so a second finding of the
same rule on the same statement still shows. Syntax errors are never
baselined: a file that does not parse is not checked at all.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

from tospolicy.support.files import write_file, written_by_tospolicy
from tospolicy.findings import PARSER_RULES

MARKER = "tospolicy-baseline"
VERSION = 1
# The baseline comes with the pull request too: 16 MiB holds some 100,000
# findings, and even 16 MiB of `{},{},…` decodes in under 500 MB.
MAX_BYTES = 16 * 1024 * 1024
_PARSER_IDS = {rule.id for rule in PARSER_RULES}


class BaselineError(Exception):
    pass


def _key(finding, folder: Path, cwd: Path) -> tuple[str, str, str]:
    absolute = os.path.normpath(os.path.join(cwd, finding.span.file))
    relative = os.path.relpath(absolute, folder).replace(os.sep, "/")
    return finding.rule_id, relative, finding.statement


def _eligible(finding) -> bool:
    return finding.suppression is None and finding.rule_id not in _PARSER_IDS


def write_baseline(path: Path, findings, force: bool = False, cwd: Path | None = None) -> int:
    """Write the findings as a baseline; returns how many it holds."""
    cwd = cwd or Path.cwd()
    folder = path.resolve().parent
    counts = Counter(_key(finding, folder, cwd) for finding in findings if _eligible(finding))
    entries = [{"rule": rule, "file": file, "statement": statement, "count": count}
               for (rule, file, statement), count in sorted(counts.items())]
    content = {
        MARKER: VERSION,
        "comment": "Findings that `tospolicy check --baseline` hides. "
                   "Written by `tospolicy check --update-baseline`.",
        "findings": entries,
    }
    text = json.dumps(content, indent=2, ensure_ascii=False) + "\n"
    write_file(path, text, force=force, ours=written_by_tospolicy(f'"{MARKER}"'.encode()))
    return sum(counts.values())


def read_baseline(path: Path) -> Counter:
    from tospolicy.support.files import read_regular

    try:
        data = read_regular(path, MAX_BYTES + 1)
    except OSError as error:
        raise BaselineError(f"{path}: cannot read the baseline: {error.strerror or error}") from None
    if len(data) > MAX_BYTES:
        raise BaselineError(f"{path}: the baseline is larger than {MAX_BYTES} bytes")
    try:
        content = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise BaselineError(f"{path}: not a tospolicy baseline (invalid JSON: {error})") from None
    except RecursionError:
        # The baseline comes with the pull request: `[[[[…` must not crash the run.
        raise BaselineError(f"{path}: not a tospolicy baseline (JSON nested too deeply)") from None
    if not isinstance(content, dict) or content.get(MARKER) != VERSION:
        raise BaselineError(f"{path}: not a tospolicy baseline (no \"{MARKER}\": {VERSION})")
    counts: Counter = Counter()
    entries = content.get("findings")
    if not isinstance(entries, list):
        raise BaselineError(f"{path}: \"findings\" should be a list")
    for number, entry in enumerate(entries, start=1):
        fields = (entry.get("rule"), entry.get("file"), entry.get("statement"), entry.get("count", 1)) \
            if isinstance(entry, dict) else (None,) * 4
        if not all(isinstance(value, str) for value in fields[:3]) or not isinstance(fields[3], int) \
                or isinstance(fields[3], bool) or fields[3] < 1:
            raise BaselineError(f"{path}: finding {number} should have rule, file and statement "
                                "strings and a count of at least 1")
        counts[fields[:3]] += fields[3]
    return counts


def apply_baseline(report, path: Path, cwd: Path | None = None, folder: Path | None = None) -> int:
    """Remove the findings the baseline at `path` holds from `report`; returns how many.

    Its file names are relative to `folder`, by default the baseline's own: a
    copy read from elsewhere (the GitHub Action reads it from a pull request's
    base commit) names the folder the original sits in."""
    cwd = cwd or Path.cwd()
    counts = read_baseline(path)
    folder = folder.resolve() if folder else path.resolve().parent
    hidden = 0
    for file_report in report.files:
        kept = []
        for finding in file_report.findings:
            key = _key(finding, folder, cwd)
            if _eligible(finding) and counts[key] > 0:
                counts[key] -= 1
                hidden += 1
                continue
            kept.append(finding)
        file_report.findings = kept
    return hidden
