"""The limits of `.tospolicy.yml` (`limits:`), as users and pull requests set them.

Each limit ends in a clear finding or error; the configuration (part of a
pull request too) can lower every limit and raise it only to its ceiling.
"""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path

import pytest

from conftest import REPO, run_tospolicy
from tospolicy.limits import CEILINGS, CONFIG_KEYS, DEFAULT_LIMITS

RULE = """\
  - id: T001
    name: the-rule
    severity: {severity}
    summary: A rule.
    select: use
    {verdict}
"""


def pack(*verdicts: str, severity: str = "warning") -> str:
    rules = "".join(RULE.replace("T001", f"T{number:03d}").replace("the-rule", f"rule-{number}")
                    .format(severity=severity, verdict=verdict)
                    for number, verdict in enumerate(verdicts, start=1))
    return "pack: limits\nrules:\n" + rules


def declaration(uses: int) -> str:
    lines = ['service "S" {', "  data d"]
    lines += [f"  use d for analytics {{ note: \"{number}\" }}" for number in range(uses)]
    return "\n".join(lines + ["}"]) + "\n"


def write(folder: Path, **files: str) -> None:
    for name, text in files.items():
        (folder / name.replace("__", ".")).write_text(text, encoding="utf-8")


def test_every_limit_has_a_config_key_a_ceiling_and_a_schema_maximum():
    schema = json.loads((REPO / "schemas" / "config.schema.json").read_text(encoding="utf-8"))
    properties = schema["properties"]["limits"]["properties"]
    assert [field.name for field in fields(DEFAULT_LIMITS)] == list(CONFIG_KEYS)
    assert sorted(properties) == sorted(CONFIG_KEYS.values())
    docs = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")
    for field, key in CONFIG_KEYS.items():
        assert properties[key]["maximum"] == getattr(CEILINGS, field)
        assert getattr(DEFAULT_LIMITS, field) <= getattr(CEILINGS, field)
        assert f"`{key}`" in docs


# ------------------------------------------------------- findings per file

def test_findings_past_the_limit_are_counted_in_one_note(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, __tospolicy__yml="limits:\n  max-findings-per-file: 3\n",
          p__yaml=pack("forbid: true"), a__tos=declaration(5), b__tos=declaration(2))
    result = cli("check", "-p", "p.yaml")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "a.tos:3:3: T001 [warning] A rule.",
        "a.tos:4:3: T001 [warning] A rule.",
        "a.tos:5:3: T001 [warning] A rule.",
        "a.tos:5:3: TOS003 [note] 2 more findings in this file not reported "
        "(2 warnings; limits.max-findings-per-file is 3)",
        "b.tos:3:3: T001 [warning] A rule.",
        "b.tos:4:3: T001 [warning] A rule.",
        "6 findings (5 warnings, 1 note) in 2 files.",
    ]
    sarif = json.loads(cli("check", "-p", "p.yaml", "--format", "sarif").stdout)
    assert [result["ruleId"] for result in sarif["runs"][0]["results"]].count("TOS003") == 1


def test_the_default_limit_is_a_thousand_findings(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, p__yaml=pack("forbid: true"), a__tos=declaration(1_200))
    result = cli("check", "-p", "p.yaml", "--format", "json")
    findings = json.loads(result.stdout)["findings"]
    assert len(findings) == DEFAULT_LIMITS.max_findings_per_file + 1
    assert findings[-1]["rule"] == "TOS003"
    assert findings[-1]["message"].startswith("200 more findings in this file not reported")


def test_the_baseline_hides_findings_before_the_limit_counts(tmp_path, cli, monkeypatch):
    """The baseline holds every finding (not only those under the limit), and
    what it hides does not use up the limit."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path, __tospolicy__yml="baseline: b.json\nlimits:\n  max-findings-per-file: 3\n",
          p__yaml=pack("forbid: true"), a__tos=declaration(5))
    assert cli("check", "-p", "p.yaml", "--update-baseline").exit_code == 0
    baseline = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))
    assert sum(entry["count"] for entry in baseline["findings"]) == 5
    write(tmp_path, a__tos=declaration(5) + declaration(4).replace('"S"', '"T"'))
    result = cli("check", "-p", "p.yaml", "-q")
    assert [line.split(" [")[0] for line in result.stdout.splitlines()] == [
        "a.tos:11:3: T001", "a.tos:12:3: T001", "a.tos:13:3: T001", "a.tos:13:3: TOS003"]


def test_a_pack_that_reports_everything_stops_at_the_work_limit(tmp_path):
    """60 rules reporting each of 2,100 statements would make 126,000 findings,
    6,300,000 steps at 50 a finding: past the work budget of 2,101 statements
    (5,000,000 steps and 500 a statement), the file gets one TOS002 finding, in
    bounded memory."""
    write(tmp_path, p__yaml=pack(*["forbid: true"] * 60), a__tos=declaration(2_100))
    result = run_tospolicy("check", "-p", "p.yaml", "a.tos", cwd=tmp_path, timeout=120)
    assert result.exit_code == 1, result.stderr
    assert result.stdout.splitlines()[0].startswith(
        "a.tos:1:1: TOS002 [error] checking this declaration takes more work than the limit")


# ------------------------------------------------------------ nesting depth

@pytest.mark.parametrize("pack_text, message", [
    (pack("require: not not not not not not consent == opt_in"),
     "p.yaml:8:18: T001 require, column 5: condition is nested more than 5 levels deep "
     "(limits.max-nesting-depth)"),
    (pack("require: ((((((consent == opt_in))))))"),
     "p.yaml:8:19: T001 require, column 6: brackets are nested more than 5 levels deep "
     "(limits.max-nesting-depth)"),
    ("pack: deep\nx: [[[[[[1]]]]]]\n",
     "p.yaml:2:8: nested more than 5 levels deep (limits.max-nesting-depth)"),
    ("pack: chain\ndefinitions:\n  d0: consent == opt_in\n"
     + "".join(f"  d{n}: not $d{n - 1}\n" for n in range(1, 8)),
     # A reference counts a level of its own.
     "p.yaml:6:7: $d3, with the definitions it refers to, is nested more than 5 levels deep "
     "(limits.max-nesting-depth)"),
])
def test_the_nesting_depth_is_configurable(pack_text, message, tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, __tospolicy__yml="limits:\n  max-nesting-depth: 5\n", p__yaml=pack_text,
          a__tos=declaration(1))
    result = cli("check", "-p", "p.yaml", "a.tos")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == f"tospolicy: {message}"


def _nested(shape: str, depth: int) -> str:
    if shape == "not":
        return "not " * (depth - 1) + "consent == opt_in"
    if shape == "brackets":
        return "(" * (depth - 1) + "consent == opt_in" + ")" * (depth - 1)
    text = "consent == opt_in"
    for level in range(depth - 1):
        text = f"(consent == opt_in {'and' if level % 2 else 'or'} not {text})"
    return text


@pytest.mark.parametrize("shape", ["not", "brackets", "mixed", "definitions"])
def test_the_ceiling_of_nesting_runs_without_exhausting_the_stack(shape, tmp_path):
    """At the highest depth a configuration may allow, conditions compile and
    run under Python's default recursion limit, in a process of their own."""
    depth = CEILINGS.max_nesting_depth
    if shape == "definitions":  # `not $d` is two levels
        last = depth // 2 - 1
        text = ("pack: chain\ndefinitions:\n  d0: consent == opt_in\n"
                + "".join(f"  d{n}: not $d{n - 1}\n" for n in range(1, last + 1))
                + pack(f"require: $d{last}").split("\n", 1)[1])
    elif shape == "mixed":
        text = pack(f"require: \"{_nested(shape, depth // 2)}\"")  # `and not` is two levels
    else:
        text = pack(f"require: \"{_nested(shape, depth)}\"")
    write(tmp_path, __tospolicy__yml=f"limits:\n  max-nesting-depth: {depth}\n", p__yaml=text,
          a__tos=declaration(3))
    result = run_tospolicy("check", "-p", "p.yaml", "a.tos", cwd=tmp_path, timeout=120)
    assert result.exit_code in (0, 1), result.stderr
    assert result.stderr == ""


@pytest.mark.parametrize("key, value, message", [
    ("max-nesting-depth", 201, "'max-nesting-depth' is 201; it can be at most 200"),
    ("max-file-bytes", 10**12, "'max-file-bytes' is 1000000000000; it can be at most 33554432"),
    ("max-findings-per-file", 0, "'max-findings-per-file' is 0; it can be at least 1"),
])
def test_a_configuration_cannot_raise_a_limit_past_its_ceiling(key, value, message, tmp_path, cli,
                                                                monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, __tospolicy__yml=f"limits:\n  {key}: {value}\n", a__tos=declaration(1))
    result = cli("check", "a.tos")
    assert result.exit_code == 2
    assert result.stderr == f"tospolicy: .tospolicy.yml:2:{len(key) + 5}: {message}\n"


def test_suggestions_for_unknown_terms_are_bounded_per_file(tmp_path, cli, monkeypatch):
    """A fuzzy match costs a millisecond: 100,000 made-up terms would take
    minutes. Past 200 distinct unknown terms in a file, no more suggestions."""
    monkeypatch.chdir(tmp_path)
    terms = ", ".join(f"content.tex{number}" for number in range(250))
    write(tmp_path, a__tos=f'service "S" {{\n  data d {{ categories: {terms} }}\n}}\n')
    result = cli("check", "-p", "core", "--format", "json", "a.tos")
    messages = [finding["message"] for finding in json.loads(result.stdout)["findings"]
                if finding["rule"] == "CORE002"]
    assert len(messages) == 250
    assert all("did you mean 'content.text'" in message for message in messages[:200])
    assert not any("did you mean" in message for message in messages[200:])


def test_a_taxonomy_chain_deeper_than_the_nesting_limit_is_refused(tmp_path, cli, monkeypatch):
    """Each `under` walks a term's parents: 20,000 chained pack terms made 2,000
    statements take 40 seconds. One problem names the first term too deep."""
    monkeypatch.chdir(tmp_path)
    terms = "".join(f"    c{n}: {{ label: c{n}, parent: {f'c{n - 1}' if n else 'analytics'} }}\n"
                    for n in range(5_000))
    write(tmp_path, p__yaml="pack: chain\ntaxonomy:\n  purposes:\n" + terms
          + "rules:\n" + RULE.format(severity="error", verdict="forbid: purposes under marketing"),
          a__tos=declaration(1))
    result = cli("check", "-p", "p.yaml", "a.tos")
    assert result.exit_code == 2
    assert result.stderr == ("tospolicy: p.yaml:103:5: term 'c99' of purposes is nested more than "
                             "100 levels deep\n")


def test_a_name_of_thousands_of_dotted_parts_is_a_syntax_error(tmp_path, cli, monkeypatch):
    """`a.a.a.…` of 40,000 parts made every taxonomy question on it walk
    40,000 prefixes (20 such statements took 18 seconds)."""
    monkeypatch.chdir(tmp_path)
    long_name = ".".join(["a"] * 40_000)
    write(tmp_path, a__tos=f'service "S" {{\n  data d\n  use d for {long_name}\n'
                           f'  use d for {".".join(["a"] * 33)}\n  use d for {"b" * 257}\n}}\n')
    result = cli("check", "-p", "core", "a.tos")
    assert result.stdout.splitlines()[:3] == [
        "a.tos:3:13: TOS001 [error] name 'a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.…' is too long: "
        "at most 256 characters and 32 dotted parts",
        "a.tos:4:13: TOS001 [error] name 'a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.…' is too long: "
        "at most 256 characters and 32 dotted parts",
        "a.tos:5:13: TOS001 [error] name '" + "b" * 40 + "…' is too long: "
        "at most 256 characters and 32 dotted parts",
    ]
    write(tmp_path, a__tos=f'service "S" {{\n  data d\n  use d for {".".join(["a"] * 32)}\n'
                           f'  use d for {"b" * 256}\n}}\n')
    assert "TOS001" not in cli("check", "-p", "core", "a.tos").stdout


def test_a_low_nesting_limit_does_not_break_the_built_in_packs(tmp_path, cli, monkeypatch):
    """The limit guards against untrusted packs: the shipped packs keep the
    ceiling, so a configuration cannot make them fail to load."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path, __tospolicy__yml="limits:\n  max-nesting-depth: 2\n", a__tos=declaration(1))
    result = cli("check", "a.tos")
    assert result.exit_code in (0, 1), result.stderr
    assert result.stderr == ""
