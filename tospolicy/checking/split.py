"""Checking one large file in parts, a few services each, with `--jobs`.

A declaration is a sequence of services, and every rule and check judges
one service at a time (checks/protocol.py says so), so a file cut between
two services can be checked in parts by forked workers and give, merged and
sorted, the findings of one process checking it whole:

- The cuts fall at lines that start with `service`, moved up over the blank
  and comment lines above them, so that a suppression written above a
  service travels with it. A string or a comment ends on its line, so a line
  start is never inside one.
- Each part is padded with the newlines of the lines before it: its spans
  are those of the whole file.
- A part that does not parse as whole services (a cut that was not between
  services, or a file with a syntax error) makes the whole file go back to
  one process, whose parser words every error as it always does.
- The work budget (conditions/relations.py) is the file's: each worker
  parses its part and says how many statements it holds, waits for the
  file's budget, and checks within it; the file is over the budget exactly
  when the work of all parts together is.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from tospolicy.binding.texts import bind
from tospolicy.checking.onefile import FileReport, check_parsed
from tospolicy.findings import Finding
from tospolicy.language.lineends import lf_line_ends
from tospolicy.limits import Limits

if TYPE_CHECKING:
    from tospolicy.packs.types import RuleSet

# Below this size forking costs more than it saves (a fork and a part's
# start take a few milliseconds; a service takes about two to check).
MIN_SPLIT_CHARACTERS = 256 * 1024
# A line that may open a service, and lines that may stand above one.
_SERVICE_LINE = re.compile(r"^service[ \t\"]", re.MULTILINE)
_BLANK_OR_COMMENT = re.compile(r"[ \t\f\r]*(#.*)?\Z")


def cut_points(text: str, parts: int) -> list[int]:
    """Offsets (line starts) that cut `text` into at most `parts` pieces of
    about equal size, each starting at a service; [] when there is no cut."""
    starts = [_above(text, match.start()) for match in _SERVICE_LINE.finditer(text)]
    starts = [start for start in dict.fromkeys(starts) if start > 0]
    cuts: list[int] = []
    for number in range(1, parts):
        goal = len(text) * number // parts
        later = [start for start in starts if start >= goal and (not cuts or start > cuts[-1])]
        if later:
            cuts.append(later[0])
    return cuts


def _above(text: str, start: int) -> int:
    """`start` moved up over the blank and comment-only lines right above it."""
    while start > 0:
        previous = text.rfind("\n", 0, start - 1) + 1
        if not _BLANK_OR_COMMENT.match(text, previous, start - 1):
            break
        start = previous
    return start


def check_in_parts(text: str, path: Path, display: str, limits: Limits,
                   rule_set: RuleSet, jobs: int, binder=bind) -> FileReport | None:
    """The file's report, checked by `jobs` forked workers; None when it is not
    worth it or cannot be (then the caller checks the file in one process).
    `binder` as in checker.check_text."""
    if jobs < 2 or len(text) < MIN_SPLIT_CHARACTERS:
        return None
    import multiprocessing  # paid only by a run that forks

    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    if text.startswith("\ufeff"):
        text = text[1:]
    text = lf_line_ends(text)  # as the parser reads it, so that lines count alike
    cuts = cut_points(text, jobs)
    if not cuts:
        return None
    bounds = [0, *cuts, len(text)]
    context = multiprocessing.get_context("fork")
    workers = []
    try:
        for start, end in zip(bounds, bounds[1:]):
            ours, theirs = context.Pipe()
            padded = "\n" * text.count("\n", 0, start) + text[start:end]
            process = context.Process(target=_check_part, daemon=True,
                                      args=(theirs, padded, path, display, limits, rule_set, binder))
            workers.append((process, ours))
            process.start()
            theirs.close()
        return _gather(workers, path, display)
    except OSError:  # no more processes or pipes: the file is checked in one process
        return None
    finally:
        for process, connection in workers:
            connection.close()
            if process.pid is None:
                continue  # never started
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
                process.join()


def _gather(workers, path: Path, display: str) -> FileReport | None:
    from tospolicy.checking.engine import work_limit_exceeded
    from tospolicy.conditions.relations import work_limit

    counts = [_receive(connection) for _, connection in workers]
    if any(count is None for count in counts):
        return None  # a part that does not parse cleanly: the whole file in one process
    limit = work_limit(sum(counts))
    for _, connection in workers:
        connection.send(limit)
    results = [_receive(connection) for _, connection in workers]
    if any(result is None for result in results):
        return None
    if sum(spent for _, _, spent in results) > limit:
        return FileReport(path, display, None, [work_limit_exceeded(limit, display)])
    findings: list[Finding] = [finding for part, _, _ in results for finding in part]
    findings.sort(key=lambda finding: finding.sort_key)
    texts = list({tuple(entry): entry for _, part, _ in results for entry in part}.values())
    return FileReport(path, display, None, findings, texts)


def _receive(connection):
    try:
        return connection.recv()
    except (EOFError, OSError):  # the worker died: the file goes back to one process
        return None


def _check_part(connection, text: str, path: Path, display: str, limits: Limits,
                rule_set: RuleSet, binder) -> None:
    """In a worker: parse the part, say its statements, wait for the file's
    budget, check, send (findings, texts, work spent); None for a part that
    did not parse cleanly or a check that failed."""
    try:
        from tospolicy.conditions.relations import Budget
        from tospolicy.language.parser import parse_text

        parsed = parse_text(text, display, limits)
        if parsed.declaration is None or parsed.findings:
            connection.send(None)
            return
        connection.send(sum(len(service.statements) for service in parsed.declaration.services))
        limit = connection.recv()
        budget = Budget(limit)
        report = check_parsed(parsed, path, display, limits, rule_set, budget, binder)
        connection.send((report.findings, report.texts, limit - budget.left))
    except Exception:  # noqa: BLE001 - the parent checks the file again in one process
        try:
            connection.send(None)
        except OSError:
            pass
    finally:
        connection.close()
