"""The findings of unchanged files, kept between runs of `check` (`--no-cache` skips it).

A pre-commit hook, an editor or a developer runs `check` again and again
over files most of which did not change. Each file's findings are kept in the
cache folder (cache.py) under a digest of the file's bytes and of everything
else that decides them: the path findings show it by, the rule set (the pack
cache's key: the packs, the taxonomy and attribute files, tospolicy's code and
libraries), the configuration's severities and rules turned off, and the
limits. A file whose digest is known is neither parsed nor checked. Baselines,
`--fail-on` and the limit on findings per file apply after the cache, as they
apply after checking.

The entries of one rule set and configuration are one JSON file,
`results-<digest>.json`: read once at the start of a run, written once at the
end when the run checked something new. It holds the findings of at most
MAX_FILES files, this run's first; KEEP such files are kept.
"""

from __future__ import annotations

import json

from . import cache
from .findings import Finding
from .limits import Limits
from .model import Span

# The layout of an entry; a change makes every entry a miss.
FORMAT = 1
MAX_FILES = 20_000
KEEP = 8


class Results:
    """The findings known for one rule set and configuration, by file digest."""

    def __init__(self, name: str, namespace: str, entries: dict):
        self.name = name
        self.namespace = namespace
        self.entries = entries
        self.used: dict[str, list] = {}  # what this run read or found, to keep first
        self.changed = False

    def key(self, data: bytes, display: str) -> str:
        """The digest of one file's bytes, as findings name it (`display`)."""
        return cache.digest(self.namespace, display, data)

    def get(self, key: str, display: str) -> list[Finding] | None:
        """The findings of the file with this digest, or None when unknown."""
        stored = self.entries.get(key)
        if not isinstance(stored, list):
            return None
        try:
            findings = [Finding(rule_id, severity, message, Span(display, *place), statement,
                                suppression)
                        for rule_id, severity, message, place, statement, suppression in stored]
        except (TypeError, ValueError):
            return None  # damaged: checked again, and written anew
        self.used[key] = stored
        return findings

    def put(self, key: str, display: str, findings: list[Finding]) -> None:
        """Keep the findings of a file just checked. Findings placed in another
        file than this one are not kept: they could not be named again."""
        if any(finding.span.file != display for finding in findings):
            return
        self.used[key] = [
            [finding.rule_id, finding.severity, finding.message,
             [finding.span.line, finding.span.column, finding.span.end_line, finding.span.end_column],
             finding.statement, finding.suppression]
            for finding in findings]
        self.changed = True

    def save(self) -> None:
        """Write the entries when this run found something new: this run's
        first, then the others, up to MAX_FILES."""
        if not self.changed:
            return
        entries: dict[str, list] = {}
        for key, stored in (*self.used.items(), *self.entries.items()):
            if len(entries) >= MAX_FILES:
                break
            entries.setdefault(key, stored)
        cache.write_json(self.name, {"format": FORMAT, "files": entries}, keep=KEEP)


def open_results(rule_set, limits: Limits) -> Results | None:
    """The results kept for this rule set and these limits; None without a
    cache folder (then nothing is kept)."""
    if rule_set is None or rule_set.key is None:
        return None
    settings = [[rule.info.id, rule.info.severity, [case.severity for case in rule.cases]]
                for rule in rule_set.loaded]
    namespace = cache.digest(str(FORMAT), rule_set.key, json.dumps(settings),
                             json.dumps(sorted(rule_set.off)), repr(limits))
    name = f"results-{namespace}.json"
    data = cache.read_json(name)
    entries = data.get("files") if isinstance(data, dict) and data.get("format") == FORMAT else None
    return Results(name, namespace, entries if isinstance(entries, dict) else {})
