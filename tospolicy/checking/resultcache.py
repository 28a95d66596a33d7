"""The findings of unchanged files, kept between runs of `check` (`--no-cache` skips it).

A pre-commit hook, an editor or a developer runs `check` again and again
over files most of which did not change. Each file's findings are kept in the
cache folder (cache.py) under a digest of the file's bytes and of everything
else that decides them: the path findings show it by, the rule set (the pack
cache's key: the packs, the taxonomy and attribute files, tospolicy's code and
libraries), the configuration's severities and rules turned off, and the
limits. A file whose digest is known is neither parsed nor checked, unless
a text it binds (`text:`) has other bytes than when it was checked: each
entry keeps the path, real path and digest of the texts it read. Baselines,
`--fail-on` and the limit on findings per file apply after the cache, as they
apply after checking.

The entries of one rule set and configuration are SHARDS JSON files,
`results-<digest>-<shard>.json`, a file's shard being the first digits of its
digest (modulo SHARDS): a run reads only the shards of the files it checks (a pre-commit hook
checking one file reads a sixteenth of what is known of the project), and
writes at its end the shards to which it added. Together they hold the
findings of at most MAX_FILES files, this run's first; the shards of about
KEEP rule sets and configurations are kept.
"""

from __future__ import annotations

import json
import os

from tospolicy.binding.texts import file_digest
from tospolicy.support import cache
from tospolicy.findings import Finding, Fix
from tospolicy.limits import Limits
from tospolicy.language.model import Span

# The layout of an entry; a change makes every entry a miss.
FORMAT = 4
MAX_FILES = 20_000
SHARDS = 16
KEEP = 8


class Results:
    """The findings known for one rule set and configuration, by file digest."""

    def __init__(self, namespace: str):
        self.namespace = namespace
        self.shards: dict[str, dict] = {}  # shard -> entries read from its file
        self.used: dict[str, dict[str, list]] = {}  # shard -> what this run read or found
        self.changed: set[str] = set()  # the shards this run added to

    def key(self, data: bytes, display: str) -> str:
        """The digest of one file's bytes, as findings name it (`display`)."""
        return cache.digest(self.namespace, display, data)

    @staticmethod
    def _shard(key: str) -> str:
        return format(int(key[:4], 16) % SHARDS, "x")

    def _name(self, shard: str) -> str:
        return f"results-{self.namespace}-{shard}.json"

    def _entries(self, shard: str) -> dict:
        entries = self.shards.get(shard)
        if entries is None:
            data = cache.read_json(self._name(shard))
            entries = data.get("files") if isinstance(data, dict) and data.get("format") == FORMAT else None
            entries = self.shards[shard] = entries if isinstance(entries, dict) else {}
        return entries

    def get(self, key: str, display: str, max_text_bytes: int = 0) -> list[Finding] | None:
        """The findings of the file with this digest, or None when unknown or
        when a text it binds changed."""
        stored = self._entries(self._shard(key)).get(key)
        if not isinstance(stored, list) or len(stored) != 2:
            return None
        try:
            kept, texts = stored
            for path, real, digest in texts:
                if os.path.realpath(path) != real or file_digest(path, max_text_bytes) != digest:
                    return None
            findings = [Finding(rule_id, severity, message, Span(file or display, *place),
                                statement, suppression, _fix(file or display, fix))
                        for rule_id, severity, message, file, place, statement, suppression, fix
                        in kept]
        except (TypeError, ValueError, OSError):
            return None  # damaged: checked again, and written anew
        self.used.setdefault(self._shard(key), {})[key] = stored
        return findings

    def put(self, key: str, display: str, findings: list[Finding], texts: list = ()) -> None:
        """Keep the findings of a file just checked, with the texts it binds.
        Findings placed in another file than this one or its texts are not
        kept: they could not be named again."""
        files = {display, *(finding.span.file for finding in findings if finding.rule_id == "TEXT003")}
        if any(finding.span.file not in files for finding in findings):
            return
        self.used.setdefault(self._shard(key), {})[key] = [[
            [finding.rule_id, finding.severity, finding.message,
             "" if finding.span.file == display else finding.span.file,
             [finding.span.line, finding.span.column, finding.span.end_line, finding.span.end_column],
             finding.statement, finding.suppression, _stored_fix(finding.fix)]
            for finding in findings], [list(text) for text in texts]]
        self.changed.add(self._shard(key))

    def save(self) -> None:
        """Write each shard this run added to: this run's entries first, then
        the others, up to its share of MAX_FILES."""
        bound = max(1, MAX_FILES // SHARDS)
        for shard in sorted(self.changed):
            entries: dict[str, list] = {}
            for key, stored in (*self.used[shard].items(), *self._entries(shard).items()):
                if len(entries) >= bound:
                    break
                entries.setdefault(key, stored)
            cache.write_json(self._name(shard), {"format": FORMAT, "files": entries},
                             keep=KEEP * SHARDS)


def open_results(rule_set, limits: Limits) -> Results | None:
    """The results kept for this rule set and these limits; None without a
    cache folder (then nothing is kept)."""
    if rule_set is None or rule_set.key is None:
        return None
    settings = [[rule.info.id, rule.info.severity, [case.severity for case in rule.cases]]
                for rule in rule_set.loaded]
    return Results(cache.digest(str(FORMAT), rule_set.key, json.dumps(settings),
                                json.dumps(sorted(rule_set.off)), repr(limits)))


def _stored_fix(fix: Fix | None) -> list | None:
    if fix is None:
        return None
    span = fix.span
    return [span.line, span.column, span.end_line, span.end_column, fix.replacement]


def _fix(display: str, stored) -> Fix | None:
    if stored is None:
        return None
    *place, replacement = stored
    return Fix(Span(display, *place), str(replacement))
