"""`check --jobs N` on one large file: checked in parts by service
(tospolicy/checking/split.py), reported byte for byte as one process reports
it: suppressions above a service, comments between services, bound texts,
syntax errors and the work limit included."""

from __future__ import annotations

import json
import re

import pytest

from conftest import benchmark_generator, run_tospolicy
from tospolicy.checking.checker import check_text
from tospolicy.checking.split import MIN_SPLIT_CHARACTERS, check_in_parts, cut_points
from tospolicy.limits import DEFAULT_LIMITS
from tospolicy.packs.loader import PackRef, builtin_packs, load_rule_set

TERMS = """\
# Terms

## Your content

We use your content to train our models unless you opt out.

## Sharing

We share usage data with analytics partners.
"""


def large_declaration(services: int = 150) -> str:
    """Generated services (every pack finds something), with what a cut must
    keep with its service: a suppression alone above a service, comments
    and blank lines between services, a suppression at the end of a line,
    and services that bind a text and quote it."""
    generator = benchmark_generator()
    rendered = [generator.render_tos(service) for service in generator.make_services(services, 3)]
    parts = []
    for number, text in enumerate(rendered):
        if number % 3 == 0:  # right above the service line, under the generator's comment
            text = text.replace("\nservice ", "\n# tospolicy: ignore[USST007] reviewed\nservice ", 1)
        if number % 5 == 1:
            parts.append("\n# between services\n\n")
        if number % 9 == 4:
            text = text.replace("{\n", '{\n  text: "terms.md"\n  quote: "We use your content to '
                                      'train our models unless you opt out."\n', 1)
        if number % 11 == 6:
            text = text.rstrip("\n") + "  # tospolicy: ignore[GDPR001] after the brace\n"
        parts.append(text)
    text = "".join(parts)
    assert len(text) > MIN_SPLIT_CHARACTERS
    return text


@pytest.fixture(scope="module")
def rule_set():
    return load_rule_set([PackRef(name) for name in builtin_packs()])


@pytest.fixture
def project(tmp_path):
    (tmp_path / ".git").mkdir()  # the repository the texts are read from
    (tmp_path / "terms.md").write_text(TERMS, encoding="utf-8")
    # Every finding reported: the comparison covers all of them.
    (tmp_path / ".tospolicy.yml").write_text("limits:\n  max-findings-per-file: 100000\n",
                                             encoding="utf-8")
    return tmp_path


def test_cuts_fall_at_services_with_the_comments_above_them():
    text = large_declaration()
    cuts = cut_points(text, 4)
    assert len(cuts) == 3 and cuts == sorted(set(cuts))
    for cut in cuts:
        assert text[cut - 1] == "\n"
        first = next(line for line in text[cut:].splitlines() if line.strip()
                     and not line.lstrip().startswith("#"))
        assert first.startswith("service ")
        above = text[:cut].rstrip("\n").rsplit("\n", 1)[-1]
        assert not above.startswith("#"), "a comment above a service stays with it"
    assert cut_points('service "S" {}\n', 4) == []


@pytest.mark.parametrize("jobs", [2, 3, 5])
def test_a_file_checked_in_parts_gives_the_report_of_one_process(project, rule_set, jobs):
    text = large_declaration()
    path = project / "big.tos"
    whole = check_text(text, path, "big.tos", DEFAULT_LIMITS, rule_set)
    parts = check_in_parts(text, path, "big.tos", DEFAULT_LIMITS, rule_set, jobs)
    assert parts is not None, "the file was not split"
    assert len(whole.findings) > 500
    rules = {finding.rule_id for finding in whole.findings}
    assert {"AI001", "CORE009", "TEXT003"} <= rules
    assert sum(finding.suppression is not None for finding in whole.findings) >= 10
    assert parts.findings == whole.findings
    assert parts.texts == whole.texts and parts.texts


def test_lone_cr_and_crlf_line_ends_are_cut_alike(project, rule_set):
    for line_end in ("\r", "\r\n"):
        text = large_declaration(130).replace("\n", line_end)
        path = project / "big.tos"
        whole = check_text(text, path, "big.tos", DEFAULT_LIMITS, rule_set)
        parts = check_in_parts(text, path, "big.tos", DEFAULT_LIMITS, rule_set, 2)
        assert parts is not None and parts.findings == whole.findings


def test_a_syntax_error_in_one_part_is_reported_as_one_process_reports_it(project, rule_set):
    text = large_declaration()
    broken = text[:len(text) * 3 // 4] + "data {{ oops\n" + text[len(text) * 3 // 4:]
    assert check_in_parts(broken, project / "big.tos", "big.tos", DEFAULT_LIMITS, rule_set, 2) is None
    (project / "big.tos").write_text(broken, encoding="utf-8")
    assert check_cli(project, "-j", "1") == check_cli(project, "-j", "2")


def test_the_cli_reports_the_same_bytes_with_any_jobs(project):
    (project / "big.tos").write_text(large_declaration(), encoding="utf-8")
    expected = check_cli(project, "-j", "1")
    assert len(json.loads(expected[1])["findings"]) > 500
    assert check_cli(project, "-j", "2") == expected
    assert check_cli(project, "-j", "0") == expected


def test_the_work_limit_is_the_files_whichever_part_does_the_work(project):
    """A pack reporting every statement: each half alone stays under the
    budget of the whole file, both together exceed it, as one process does."""
    rules = "".join(f"  - id: T{number:03d}\n    name: rule-{number}\n    severity: note\n"
                    "    summary: Every statement.\n"
                    "    select: [data, use, share, retain, license, right, never]\n"
                    "    forbid: true\n" for number in range(1, 41))
    (project / "p.yaml").write_text(f"pack: p\nrules:\n{rules}", encoding="utf-8")
    text = large_declaration(400)
    statements = len(re.findall(r"^  (data|use|share|retain|license|right|never) ", text, re.M))
    # 40 findings of 50 steps each a statement, against 5,000,000 + 500 a statement.
    assert 40 * 50 * statements > 5_000_000 + 500 * statements > 40 * 50 * statements / 2
    (project / "big.tos").write_text(text, encoding="utf-8")
    one = check_cli(project, "-j", "1", "-p", "p.yaml")
    assert one[0] == 1 and "more work than the limit" in one[1]
    assert check_cli(project, "-j", "2", "-p", "p.yaml") == one


def check_cli(project, *args: str) -> tuple[int, str, str]:
    """(the exit code, the JSON printed, the SARIF written)."""
    sarif = project / "out.sarif"
    result = run_tospolicy("check", "--no-cache", "--format", "json", "--format", "sarif",
                           "--output", str(sarif), "--force", *args, "big.tos", cwd=project, timeout=300)
    assert result.exit_code in (0, 1) and not result.stderr, result.stderr
    return result.exit_code, result.stdout, sarif.read_text(encoding="utf-8")


def test_a_fork_that_fails_leaves_the_file_to_one_process(project, rule_set, monkeypatch):
    """No more processes (a container's limit): the file is still checked, whole."""
    import multiprocessing.process

    def refuse(self):
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", refuse)
    text = large_declaration()
    path = project / "big.tos"
    assert check_in_parts(text, path, "big.tos", DEFAULT_LIMITS, rule_set, 2) is None
    report = check_text(text, path, "big.tos", DEFAULT_LIMITS, rule_set, jobs=2)
    assert report.findings == check_text(text, path, "big.tos", DEFAULT_LIMITS, rule_set).findings
