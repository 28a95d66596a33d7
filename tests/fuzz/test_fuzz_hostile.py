"""Property tests over the classes of hostile input of issue 21: huge
numbers, odd file names, odd file types, loops of links, padding before an
error. Each draws from its class and runs the real command line (in-process,
`TOSPOLICY_DEBUG=1`): no exception escapes, nothing is skipped unseen, and a
declaration that should fail the check fails it.
"""

from __future__ import annotations

import os
import socket

import pytest
from hypothesis import given
from hypothesis import strategies as st

from invariants import Workspace, assert_clean_stderr, check_json
from strategies import fuzz_settings

# An AI001 error: personal content trained on without consent.
VIOLATION = ("  data notes {{ categories: content.text }}\n"
             "  retain notes for 30 days\n"
             "  use notes for ai.training {{ consent: none }}\n")
SERVICE = 'service "S" {{\n  effective: 2024-01-01\n{body}}}\n'


@pytest.fixture(scope="module")
def workspace():
    space = Workspace()
    yield space
    space.close()


def _run_check(workspace, *args):
    run = workspace.run("check", "--format", "json", *args)
    assert run.exit_code in (0, 1, 2), run
    assert_clean_stderr(run.stderr)
    return run


digits = st.integers(16, 6_000).flatmap(
    lambda count: st.text("0123456789", min_size=count, max_size=count).map(lambda text: "9" + text))


@fuzz_settings(40)
@given(digits, st.sampled_from(["days", "years", "hours"]), st.booleans(),
       st.sampled_from(["retain", "attribute", "condition"]))
def test_huge_numbers_are_located_wherever_they_are_written(workspace, number, unit, fraction,
                                                            where):
    value = number + (".5" if fraction else "")
    try:
        if where == "condition":
            workspace.write("a.tos", SERVICE.format(body=VIOLATION.format()))
            workspace.write("p.yaml", "pack: n\nversion: 1\nrules:\n  - id: N001\n    name: n\n"
                            "    severity: note\n    summary: n\n    select: retain\n"
                            f"    forbid: period > {value} {unit}\n")
            run = _run_check(workspace, "-p", "p.yaml", "a.tos")
            assert run.exit_code == 2 and "is too large" in run.stderr, run
            return
        body = (f"  retain notes for {value} {unit}\n" if where == "retain"
                else f"  version: {value}\n") + VIOLATION.format()
        data = SERVICE.format(body=body).encode("utf-8")
        workspace.write("a.tos", data)
        report = check_json(_run_check(workspace, "a.tos"), {"a.tos": data})
        assert any(f["rule"] == "TOS001" and "is too large" in f["message"]
                   for f in report["findings"]), report["findings"]
    finally:
        workspace.clear()


name_bytes = st.binary(min_size=1, max_size=40).map(
    lambda data: data.replace(b"/", b"_").replace(b"\0", b"_")).filter(
    lambda data: data not in (b".", b".."))


@fuzz_settings(60)
@given(st.lists(name_bytes, min_size=1, max_size=4, unique=True))
def test_any_file_name_is_checked_or_reported_never_skipped(workspace, names):
    data = SERVICE.format(body=VIOLATION.format()).encode("utf-8")
    root = os.fsencode(workspace.root)
    try:
        for name in names:
            with open(os.path.join(root, name + b".tos"), "wb") as stream:
                stream.write(data)
        run = _run_check(workspace)
        assert run.exit_code == 1, run
        report = __import__("json").loads(run.stdout)
        assert len(report["files"]) == len(names), (names, report["files"])
        for shown in report["files"]:  # checked (AI001) or not read (TOS002), never left out
            rules = {f["rule"] for f in report["findings"] if f["path"] == shown}
            assert "AI001" in rules or "TOS002" in rules, (shown, rules)
    finally:
        for name in names:
            os.unlink(os.path.join(root, name + b".tos"))


KINDS = ["fifo", "socket", "folder", "dangling", "link-to-folder", "link-loop", "self-link",
         "chain-loop", "regular"]


def _make(workspace, kind: str, name: str, length: int) -> None:
    path = workspace.root / name
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "socket":
        server = socket.socket(socket.AF_UNIX)
        try:
            server.bind(str(path))
        except OSError:  # a path too long for a socket address
            path.write_text("", encoding="utf-8")
        finally:
            server.close()
    elif kind == "folder":
        path.mkdir()
    elif kind == "dangling":
        path.symlink_to(workspace.root / "nowhere")
    elif kind == "link-to-folder":
        (workspace.root / f"{name}.d").mkdir()
        path.symlink_to(workspace.root / f"{name}.d", target_is_directory=True)
    elif kind == "self-link":
        path.symlink_to(path)
    elif kind in ("link-loop", "chain-loop"):
        chain = [path] + [workspace.root / f"{name}.{number}" for number in range(length)]
        for here, there in zip(chain, chain[1:] + chain[:1]):
            here.symlink_to(there)
    else:
        path.write_text(SERVICE.format(body=VIOLATION.format()), encoding="utf-8")


@fuzz_settings(60)
@given(st.lists(st.tuples(st.sampled_from(KINDS), st.integers(1, 40)), min_size=1, max_size=5))
def test_any_file_type_or_loop_of_links_ends_in_findings(workspace, entries):
    try:
        for number, (kind, length) in enumerate(entries):
            _make(workspace, kind, f"f{number}.tos", length)
        (workspace.root / "z.tos").write_text(SERVICE.format(body=VIOLATION.format()),
                                              encoding="utf-8")
        run = _run_check(workspace)
        # The declaration beside them is still checked, and it still fails.
        assert run.exit_code == 1, run
        assert '"rule": "AI001"' in run.stdout
        for other in ("parse", "diff"):
            args = ("f0.tos",) if other == "parse" else ("z.tos", "f0.tos")
            result = workspace.run(other, *args)
            assert result.exit_code in (0, 1, 2), result
            if other == "parse":  # parse prints the file's findings on stderr, as they are
                assert "Traceback" not in result.stderr and "internal error" not in result.stderr
            else:
                assert_clean_stderr(result.stderr)
    finally:
        workspace.clear()


@fuzz_settings(30)
@given(st.integers(1, 300), st.integers(1, 50), st.booleans(), st.sampled_from([None, "baseline"]))
def test_padding_before_an_error_never_passes_the_check(workspace, padding, limit, jobs, baseline):
    pad = "".join(f"  data pad{number} {{ categories: account.email }}\n" for number in range(padding))
    data = SERVICE.format(body=pad + VIOLATION.format())
    try:
        workspace.write("a.tos", data)
        workspace.write("pad.yaml", "pack: pad\nversion: 1\nrules:\n  - id: PAD001\n"
                        "    name: pad\n    severity: note\n    summary: A note.\n"
                        "    select: data\n    forbid: name != \"\"\n")
        config = f"packs: [ai, pad.yaml]\nlimits:\n  max-findings-per-file: {limit}\n"
        workspace.write(".tospolicy.yml", config)
        args = ["-j", "2"] if jobs else []
        if baseline:  # a baseline that hides only the padding does not hide the error
            run = workspace.run("check", "--update-baseline", "--baseline", "b.json", *args)
            assert run.exit_code == 0, run
            workspace.write("a.tos", data + SERVICE.format(body=VIOLATION.format().replace(
                "notes", "more")).replace('"S"', '"T"'))
            args += ["--baseline", "b.json"]
        run = _run_check(workspace, *args)
        assert run.exit_code == 1, (padding, limit, run.stdout[-400:])
    finally:
        workspace.clear()
