"""Fuzzing what a pull request can change besides declarations: the condition
language, rule packs and the configuration file.

A condition either parses or raises ConditionError with an offset inside it;
through a pack, every problem is one `tospolicy: FILE:LINE:COL: message` line
with a position inside the file and exit code 2, and a pack that loads runs
on a declaration without raising.
"""

from __future__ import annotations

import re

import pytest
import yaml
from hypothesis import assume, given
from hypothesis import strategies as st

from invariants import PROBLEM, Workspace, assert_clean_stderr, assert_problems_located, check_json
from strategies import (
    ANY_TEXT, config_data, conditions, declarations, fuzz_settings, pack_data, yaml_texts,
)
from tospolicy.conditions.parser import parse_condition
from tospolicy.conditions.tree import ConditionError

DECLARATION = '''\
service "Shop" {
  effective: 2024-01-01
  data notes "Notes" { categories: content.text; subjects: customer; derived_from: logs }
  data logs { categories: usage.telemetry }
  use notes, logs for ai.training, analytics { consent: opt_out; basis: consent }
  share notes with "Vendor" { role: processor; regions: us; sale: no }
  retain notes for 2 years after account.closure
  retain logs indefinitely
  license notes to "Partner" { scope: worldwide }
  right access { within: 30 days }
  never logs for advertising
}
'''


@pytest.fixture(scope="module")
def workspace():
    space = Workspace()
    yield space
    space.close()


@fuzz_settings(300)
@given(st.one_of(conditions().map(lambda case: case[1]), ANY_TEXT))
def test_a_condition_parses_or_fails_at_an_offset_inside_it(text):
    try:
        parse_condition(text)
    except ConditionError as error:
        assert 0 <= error.offset <= len(text), (error.offset, error.message)
        assert error.message and "\n" not in error.message


class _Styled(str):
    """A string the dumper writes in a given scalar style ('' plain, '"', '|', '>')."""

    def __new__(cls, text: str, style: str | None):
        styled = super().__new__(cls, text)
        styled.style = style
        return styled


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(_Styled, lambda dumper, data: dumper.represent_scalar(
    "tag:yaml.org,2002:str", str(data), style=data.style))


def _pack_with(kind: str, condition: str, style: str | None = None) -> str:
    """A pack with one rule requiring `condition`, written in `style` (PyYAML
    falls back to another style where that one cannot hold the text)."""
    return yaml.dump({"pack": "fuzz", "rules": [{
        "id": "FZ001", "name": "fuzz-rule", "severity": "error", "summary": "A rule.",
        "select": kind, "require": _Styled(condition, style), "message": "{service.name}"}]},
        Dumper=_Dumper, allow_unicode=True, sort_keys=False)


def _check_with_pack(workspace: Workspace, pack_text: str, declaration: str = DECLARATION):
    files = {"p.yaml": pack_text, "shop.tos": declaration}
    for name, text in files.items():
        workspace.write(name, text)
    run = workspace.run("check", "-p", "p.yaml", "--format", "json", "shop.tos")
    check_json(run, {"shop.tos": declaration.encode("utf-8", "surrogatepass")})
    if run.exit_code == 2:
        assert run.stdout == ""
        assert run.stderr, "exit code 2 without a reason"
        assert_problems_located(run.stderr, files)
    return run


@fuzz_settings(150)
@given(conditions(), st.sampled_from(["plain", "quoted", "block", "folded"]))
def test_a_condition_in_a_pack_loads_or_is_located(workspace, case, style):
    """Whatever YAML style holds the condition, a problem points into the file."""
    kind, condition = case
    text = _pack_with(kind, condition, {"plain": None, "quoted": '"', "block": "|",
                                        "folded": ">"}[style])
    # PyYAML's emitter writes some texts plainly that its reader then reads
    # otherwise (a leading NEL, U+0085, a YAML line break, is folded away):
    # such a file does not hold the condition generated, so it tests nothing.
    assume(yaml.safe_load(text)["rules"][0]["require"] == condition)
    try:
        _check_with_pack(workspace, text)
    finally:
        workspace.clear()


@fuzz_settings(100)
@given(yaml_texts(pack_data()), declarations())
def test_any_pack_loads_and_runs_or_is_reported_in_place(workspace, pack_text, declaration):
    try:
        _check_with_pack(workspace, pack_text, declaration[1])
    finally:
        workspace.clear()


@fuzz_settings(100)
@given(yaml_texts(config_data()), yaml_texts(pack_data()))
def test_any_configuration_is_used_or_reported_in_place(workspace, config_text, pack_text):
    files = {".tospolicy.yml": config_text, "p.yaml": pack_text, "shop.tos": DECLARATION}
    for name, text in files.items():
        workspace.write(name, text)
    try:
        run = workspace.run("check", "--format", "json")
        # An `include` of the configuration may take in every file.
        check_json(run, {name: text.encode("utf-8", "surrogatepass") for name, text in files.items()})
        if run.exit_code == 2:
            assert run.stdout == ""
            problems = [line for line in run.stderr.splitlines()
                        if not line.startswith("tospolicy: warning:")]
            assert problems
            # Packs named by the configuration that do not exist, or a
            # missing baseline, have no line to point at.
            unlocated = [line for line in problems if not PROBLEM.match(line)]
            assert all(re.search(r"pack file '.*' does not exist|no built-in pack named|"
                                 r"no such baseline file", line) for line in unlocated), unlocated
            assert_problems_located("\n".join(set(problems) - set(unlocated)), files)
        for command in (["rules"], ["explain", "CORE001"]):
            other = workspace.run(*command)
            assert other.exit_code in (0, 2)
            assert_clean_stderr(other.stderr)
    finally:
        workspace.clear()
