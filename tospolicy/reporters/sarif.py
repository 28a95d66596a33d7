"""SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

The choices (URIs, fingerprints, categories, suppressions, rules without a
descriptor) are explained in docs/output.md.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

from tospolicy import __version__
from tospolicy.findings import TOOL_URL, UNREADABLE_FILE, Finding, RuleInfo
from tospolicy.reporters.common import DEFAULT_CATEGORY, RenderOptions, rules_by_id
from tospolicy.reporters.fingerprints import SourceLines, fingerprints
from tospolicy.reporters.locations import Locator, file_uri, uri_path

if TYPE_CHECKING:
    from tospolicy.checking.checker import CheckReport

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
# GitHub shows at most this many characters of a rule's descriptions.
MAX_DESCRIPTION = 1024
# Rules check what a declaration says, not a guess about code: few false positives.
PRECISION = "very-high"
# GitHub keeps at most 20 tags of a rule (and shows 10).
MAX_TAGS = 20
_CATEGORY_UNSAFE = re.compile(r"[^A-Za-z0-9._/-]+")


def default_category(config: str | None = None) -> str:
    """The category when `--sarif-category` is not given: `check`, or the
    configuration file's path when one is named, so that runs with separate
    configurations upload side by side. Not the packs: adding a pack would
    start a new category and leave the old alerts open forever."""
    return DEFAULT_CATEGORY if not config else f"{DEFAULT_CATEGORY}/{config}"


def automation_id(category: str) -> str:
    """`tospolicy/CATEGORY/`: GitHub takes everything before the last `/` as
    the category; nothing after it, since a run id would change each run."""
    cleaned = _CATEGORY_UNSAFE.sub("-", category).strip("/") or DEFAULT_CATEGORY
    return f"tospolicy/{cleaned}/"


def render(report: CheckReport, options: RenderOptions) -> str:
    locator = Locator(options)
    file_paths = {file.display: file.path for file in report.files}
    sources = SourceLines(lambda display: Path(file_paths.get(display) or locator.absolute(display)))
    # Fingerprints count over every finding, suppressed or not, so that
    # --include-suppressed changes none of them.
    everything = report.findings
    relative = [locator.relative(finding.span.file) for finding in everything]
    hashes = fingerprints(
        everything,
        [path or locator.absolute(finding.span.file) for finding, path in zip(everything, relative)],
        sources,
    )
    shown = [
        (finding, path, digest) for finding, path, digest in zip(everything, relative, hashes)
        if finding.suppression is None or options.include_suppressed
    ]

    known = rules_by_id(report)
    descriptors = [_descriptor(rule) for rule in known.values()]
    index = {rule_id: position for position, rule_id in enumerate(known)}
    undescribed: dict[str, Finding] = {}
    for finding, _, _ in shown:
        if finding.rule_id not in index:
            undescribed.setdefault(finding.rule_id, finding)
    for rule_id in sorted(undescribed):
        index[rule_id] = len(descriptors)
        descriptors.append(_minimal_descriptor(undescribed[rule_id]))

    results = [
        _result(finding, index[finding.rule_id], _location(finding, path, locator), digest)
        for finding, path, digest in shown
    ]
    notifications = [
        {"level": "error", "message": {"text": text}} for text in report.notifications
    ] + [
        {
            "level": "error",
            "message": {"text": f"{finding.span.file} was not checked: {finding.message}"},
            "locations": [_location(finding, path, locator)],
            "associatedRule": {"id": finding.rule_id, "index": index[finding.rule_id]},
        }
        for finding, path, _ in shown if finding.rule_id == UNREADABLE_FILE
    ]
    if report.skipped:
        # A note, not an error: skipping these folders is how the run was set up.
        notifications.append({"level": "note", "message": {"text": report.skipped}})
    invocation: dict = {"executionSuccessful": not report.notifications}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications

    run = {
        "tool": {
            "driver": {
                "name": "tospolicy",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": TOOL_URL,
                "rules": descriptors,
            }
        },
        "automationDetails": {"id": automation_id(options.category)},
        "originalUriBaseIds": {
            SRCROOT: {
                "description": {
                    "text": "The root of the repository: the git top level, or the folder "
                            "tospolicy ran in outside a repository."
                }
            }
        },
        "columnKind": "unicodeCodePoints",
        "invocations": [invocation],
        "results": results,
    }
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def recognise(head: bytes) -> bool:
    """A SARIF log this module wrote: its driver is tospolicy."""
    return b'"$schema": "' + SCHEMA_URI.encode() in head and b'"name": "tospolicy"' in head


def _descriptor(rule: RuleInfo) -> dict:
    summary = rule.summary.strip() or rule.name or rule.id
    description = rule.description.strip() or summary
    descriptor = {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": _truncate(summary)},
        "fullDescription": {"text": _truncate(description)},
        "help": {"text": _help_text(rule, description), "markdown": _help_markdown(rule, description)},
        "helpUri": rule.help_uri,
        "defaultConfiguration": {"level": rule.severity},
        "properties": {"tags": list(rule.tags[:MAX_TAGS]), "precision": PRECISION},
    }
    if not rule.name:
        del descriptor["name"]
    if not rule.help_uri:  # a custom rule whose pack names no url
        del descriptor["helpUri"]
    return descriptor


def _minimal_descriptor(finding: Finding) -> dict:
    """For a finding whose rule the report does not describe: still valid
    SARIF (code scanning needs a descriptor with help), saying plainly that
    the description is missing."""
    missing = f"Rule {finding.rule_id} (no description was loaded)."
    explanation = (f"{missing}\n\ntospolicy reported a finding of rule {finding.rule_id}, but none "
                   "of the loaded rule packs describes that rule.\n")
    return {
        "id": finding.rule_id,
        "shortDescription": {"text": missing},
        "fullDescription": {"text": missing},
        "help": {"text": explanation, "markdown": explanation},
        "defaultConfiguration": {"level": finding.severity},
        "properties": {"tags": [], "precision": PRECISION},
    }


def _help_text(rule: RuleInfo, description: str) -> str:
    lines = [rule.summary, "", description] if description != rule.summary.strip() else [description]
    if rule.references:
        lines += ["", "References:", *(f"- {reference}" for reference in rule.references)]
    if rule.pack:
        lines += ["", f"Rule pack: {rule.pack}."]
    return "\n".join(lines).strip() + "\n"


def _help_markdown(rule: RuleInfo, description: str) -> str:
    """Pack descriptions are markdown already (RULEPACKS.md); GitHub renders
    this on the alert page, sanitised."""
    lines = [f"**{rule.id}** ({rule.name or rule.id}): {rule.summary}"]
    if description != rule.summary.strip():
        lines += ["", description]
    if rule.references:
        lines += ["", "References:", "", *(f"- {reference}" for reference in rule.references)]
    if rule.help_uri:
        lines += ["", f"[Documentation]({rule.help_uri})" + (f" · rule pack `{rule.pack}`" if rule.pack else "")]
    elif rule.pack:
        lines += ["", f"Rule pack `{rule.pack}`"]
    return "\n".join(lines).strip() + "\n"


def _location(finding: Finding, relative: str | None, locator: Locator) -> dict:
    span = finding.span
    if relative is None:  # outside the repository: nothing to be relative to
        artifact = {"uri": file_uri(locator.absolute(span.file))}
    else:
        artifact = {"uri": uri_path(relative), "uriBaseId": SRCROOT}
    region = {"startLine": span.line, "startColumn": span.column,
              "endLine": span.end_line, "endColumn": span.end_column}
    return {"physicalLocation": {"artifactLocation": artifact, "region": region}}


def _result(finding: Finding, rule_index: int, location: dict, fingerprint: str) -> dict:
    result = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index,
        "level": finding.severity,
        "message": {"text": finding.message or finding.rule_id},  # SARIF needs some text
        "locations": [location],
        "partialFingerprints": {"primaryLocationLineHash": fingerprint},
    }
    if finding.suppression is not None:
        suppression = {"kind": "inSource"}
        if finding.suppression.strip():
            suppression["justification"] = finding.suppression.strip()
        result["suppressions"] = [suppression]
    return result


def _truncate(text: str, limit: int = MAX_DESCRIPTION) -> str:
    """At most `limit` UTF-16 code units (what GitHub counts), ending in `…`."""
    if len(text.encode("utf-16-le", "surrogatepass")) // 2 <= limit:
        return text
    kept = []
    units = 1  # the ellipsis
    for char in text:
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            break
        kept.append(char)
    return "".join(kept).rstrip() + "…"
