"""`tospolicy init`: the starter files, written once, and checked as a user would."""

from __future__ import annotations

from conftest import run_tospolicy

FILES = ["policy.tos", ".tospolicy.yml", ".github/workflows/tospolicy.yml"]


def test_init_writes_a_project_that_checks_clean(tmp_path):
    done = run_tospolicy("init", str(tmp_path / "project"))
    assert done.exit_code == 0, done.stderr
    assert done.stdout.splitlines() == [f"wrote {tmp_path / 'project' / name}" for name in FILES]
    # The configuration is valid and the declaration clean under every built-in pack.
    checked = run_tospolicy("check", cwd=tmp_path / "project")
    assert checked.exit_code == 0, checked.stdout + checked.stderr
    assert checked.stdout == "No findings in 1 file.\n"
    assert checked.stderr == ""


def test_init_never_replaces_a_file_without_force(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".tospolicy.yml").write_text("# mine\n")
    (tmp_path / "policy.tos").write_text("")  # even an empty one
    done = run_tospolicy("init", cwd=tmp_path)
    assert done.exit_code == 2
    assert done.stdout == "wrote .github/workflows/tospolicy.yml\n"
    assert "tospolicy: policy.tos exists; left alone (--force replaces it)" in done.stderr
    assert "tospolicy: .tospolicy.yml exists; left alone (--force replaces it)" in done.stderr
    assert (tmp_path / ".tospolicy.yml").read_text() == "# mine\n"
    assert (tmp_path / "policy.tos").read_text() == ""

    forced = run_tospolicy("init", "--force", cwd=tmp_path)
    assert forced.exit_code == 0 and len(forced.stdout.splitlines()) == 3
    assert "# tospolicy's configuration" in (tmp_path / ".tospolicy.yml").read_text()


def test_init_does_not_follow_a_symbolic_link(tmp_path):
    target = tmp_path / "elsewhere.txt"
    target.write_text("keep\n")
    (tmp_path / "project").mkdir()
    (tmp_path / "project" / "policy.tos").symlink_to(target)
    done = run_tospolicy("init", "project", cwd=tmp_path)
    assert done.exit_code == 2 and "policy.tos exists" in done.stderr
    assert target.read_text() == "keep\n"
