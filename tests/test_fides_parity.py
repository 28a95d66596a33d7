"""Verdict parity with `fides evaluate` on Fides' own demo, sample and test manifests.

../shared/peers/fides/ holds the manifests and the README that says
where each comes from and what `fides --local evaluate` reported on it. The
expected verdicts are read from that README ("Observed with …" bullets), not
restated here: for each manifest (or folder) on which Fides reached a verdict,
the import's declarations checked with the generated pack must reach the same
one; where Fides stopped on an error, the import must stop with a clear one.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import PEERS as SHARED_PEERS

PEERS = SHARED_PEERS / "fides"
FINDING = re.compile(r"(?P<file>[^:\s]+):(?P<line>\d+):(?P<column>\d+): (?P<id>\S+) \[(?P<severity>\w+)\] "
                     r"(?P<message>.*)")


@dataclass(frozen=True)
class Case:
    """One observation of the README: what was evaluated, and what Fides said."""

    target: str  # a folder (ending in /) or a file, relative to PEERS
    outcome: str  # PASS, FAIL or error (Fides stopped before a verdict)
    text: str  # the README's words for the outcome
    uncomment: tuple[str, str] | None = None  # (file, commented text) to uncomment first
    system: str | None = None  # for FAIL: the system and rule the README names
    rule: str | None = None

    @property
    def id(self) -> str:
        edit = f"+uncommented:{self.uncomment[1]}" if self.uncomment else ""
        return f"{self.target}{edit}"


def readme_cases() -> list[Case]:
    """The README's observations: one bullet per folder, clauses separated by
    `;` or sentences, each `TARGETS -> OUTCOME`; a target without a folder is in
    the folder of the bullet's first target."""
    text = (PEERS / "README.md").read_text(encoding="utf-8")
    section = text.split("Observed with `fides --local evaluate`", 1)[1]
    cases = []
    for bullet in re.findall(r"^- (.+)$", section, flags=re.MULTILINE):
        folder = ""
        for clause in re.split(r"; |(?<=\.) (?=[A-Z])", bullet):
            targets, outcome = clause.split(" -> ", 1)
            uncomment = None
            if match := re.fullmatch(r"Uncommenting `([^`]+)` in (\S+)", targets):
                uncomment = (match.group(2), match.group(1))
                names = [folder]
            else:
                names = [name.strip() for name in targets.split(",")]
            for name in names:
                if "/" in name:
                    folder = name[:name.rindex("/") + 1]
                else:
                    name = folder + name
                cases.append(_case(name, outcome, uncomment))
    return cases


def _case(target: str, outcome: str, uncomment) -> Case:
    if outcome.startswith("PASS"):
        return Case(target, "PASS", outcome, uncomment)
    if outcome.startswith("FAIL"):
        named = re.match(r'FAIL: (\S+) / "([^"]+)"', outcome)
        return Case(target, "FAIL", outcome, uncomment,
                    *(named.groups() if named else (None, None)))
    assert outcome.startswith("exit 1"), outcome
    return Case(target, "error", outcome, uncomment)


CASES = readme_cases()


def test_the_readme_observations_are_all_read():
    assert len(CASES) == 9
    assert {case.outcome for case in CASES} == {"PASS", "FAIL", "error"}
    assert sum(case.uncomment is not None for case in CASES) == 1


def _prepare(case: Case, tmp_path: Path) -> Path:
    """The manifests to import: the README's target, edited as it says."""
    source = PEERS / case.target
    if case.uncomment is None:
        return source
    copy = tmp_path / "manifests"
    shutil.copytree(source, copy, copy_function=shutil.copyfile)  # shared/ may be read-only
    file, commented = case.uncomment
    text = (copy / file).read_text(encoding="utf-8")
    assert text.count(commented) == 1, (file, commented)
    (copy / file).write_text(text.replace(commented, commented.replace("#", "", 1)),
                             encoding="utf-8")
    return copy


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_the_imported_verdict_is_the_one_fides_reached(case, tmp_path, cli):
    manifests = _prepare(case, tmp_path)
    out = tmp_path / "out"
    imported = cli("import", "fides", str(manifests), "--out", str(out))
    if case.outcome == "error":
        assert imported.exit_code == 2, imported.stdout
        assert not out.exists()
        errors = [line for line in imported.stderr.splitlines()
                  if not line.startswith("tospolicy: warning:")]
        _expect_the_reason_fides_gave(case, errors)
        return
    assert imported.exit_code == 0, imported.stderr
    checked = cli("check", str(out), "-p", str(out / "fides-policies.yaml"))
    findings = [FINDING.match(line) for line in checked.stdout.splitlines()[:-1]]
    assert all(findings), checked.stdout
    assert all(finding["id"].startswith("FIDES") for finding in findings)
    if case.outcome == "PASS":
        assert (checked.exit_code, findings) == (0, []), checked.stdout
    else:
        assert checked.exit_code == 1, checked.stdout
        assert findings
        if case.system:
            assert any(Path(finding["file"]).name == f"{case.system}.tos"
                       and f'rule "{case.rule}"' in finding["message"] for finding in findings)


def _expect_the_reason_fides_gave(case: Case, errors: list[str]) -> None:
    """Each error names the manifest with a line and column, and mentions what
    the README says Fides stopped on (a line, a key)."""
    name = Path(case.target).name
    problems = [line for line in errors if re.match(rf"tospolicy: \S*{re.escape(name)}:\d+:\d+: ", line)]
    assert problems, errors
    reported = "\n".join(problems)
    for line in re.findall(r"line (\d+)", case.text):
        assert f"{name}:{line}:" in reported
    for key in re.findall(r"\(([a-z_]+(?:\.[a-z_]+)+)\)", case.text):
        assert f"'{key}'" in reported
    for key in re.findall(r"`(\w+):`", case.text):
        assert f"'{key}'" in reported
