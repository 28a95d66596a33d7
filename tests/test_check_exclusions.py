"""What `check` leaves out: the fixture folders of the loaded packs, always when
searching folders, and the configuration's `exclude` for named files with
`--force-exclude`."""

from __future__ import annotations

from test_precommit_hooks import FIXTURE, GOOD, PACK


def _project(root):
    (root / ".git").mkdir()
    (root / ".tospolicy.yml").write_text("packs: [core, ./packs/local.yaml]\nexclude: ['vendor/**']\n")
    (root / "packs" / "fixtures").mkdir(parents=True)
    (root / "packs" / "local.yaml").write_text(PACK)
    (root / "packs" / "fixtures" / "research.tos").write_text(FIXTURE)
    (root / "vendor").mkdir()
    (root / "vendor" / "theirs.tos").write_text('service "V" { data x\n use x for research }\n')
    (root / "ours.tos").write_text(GOOD)


def test_a_folder_search_skips_the_packs_fixtures(tmp_path, cli, monkeypatch):
    _project(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = cli("check", ".")
    assert result.exit_code == 0, result.stdout
    assert "research.tos" not in result.stdout
    # Named, a fixture is checked, unless --force-exclude.
    assert cli("check", "packs/fixtures/research.tos").exit_code == 1
    assert cli("check", "--force-exclude", "packs/fixtures/research.tos").exit_code == 0


def test_force_exclude_applies_exclude_to_named_files(tmp_path, cli, monkeypatch):
    _project(tmp_path)
    monkeypatch.chdir(tmp_path)
    named = cli("check", "vendor/theirs.tos")
    assert named.exit_code == 1 and "vendor/theirs.tos:2:2: LOCAL001" in named.stdout
    forced = cli("check", "--force-exclude", "vendor/theirs.tos", "ours.tos")
    assert forced.exit_code == 0, forced.stdout
    assert "theirs" not in forced.stdout


def test_force_exclude_from_a_subfolder_matches_from_the_configuration(tmp_path, cli, monkeypatch):
    _project(tmp_path)
    monkeypatch.chdir(tmp_path / "vendor")
    assert cli("check", "--force-exclude", "theirs.tos").exit_code == 0


def test_a_pack_whose_tests_folder_holds_the_project_hides_nothing(tmp_path, cli, monkeypatch):
    _project(tmp_path)
    (tmp_path / "packs" / "local.yaml").write_text(PACK.replace("./fixtures/", ".."))
    (tmp_path / "ours.tos").write_text(GOOD.replace("analytics", "research"))
    monkeypatch.chdir(tmp_path)
    result = cli("check", ".")
    assert "ours.tos:4:3: LOCAL001" in result.stdout
