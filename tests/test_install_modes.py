"""grammar/, rules/ and schemas/ are found in every install mode, from any folder.

Each mode gets a fresh virtual environment without pip; the test's own pip
installs tospolicy into it (`pip --python`), without dependencies, and a `.pth`
file lends it this environment's lark, click and pyyaml. Then the installed
program checks and parses a declaration from an unrelated folder.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest

from conftest import PEERS, REPO

pytestmark = pytest.mark.slow

DECLARATION = REPO / "examples" / "notes-app.tos"
FIDES_DEMO = PEERS / "fides" / "demo_resources"


def _run(*args, cwd=None):
    completed = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=600)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return completed


def _build(kind: str, out: Path) -> Path:
    """`wheel`: a wheel from the source tree; `sdist`: an sdist, then a wheel from it."""
    flags = ["--wheel"] if kind == "wheel" else []
    _run(sys.executable, "-m", "build", "--no-isolation", *flags, "--outdir", str(out), str(REPO))
    wheels = list(out.glob("*.whl"))
    assert len(wheels) == 1
    return wheels[0]


def _environment(tmp_path: Path) -> Path:
    target = tmp_path / "env"
    venv.EnvBuilder(with_pip=False).create(target)
    python = target / "bin" / "python"
    site = Path(_run(str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip())
    (site / "borrowed-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return python


def _install(python: Path, *args: str) -> None:
    _run(sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
         "--no-build-isolation", "--no-index", *args)


def _use_from_elsewhere(python: Path, tmp_path: Path) -> dict:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(DECLARATION, elsewhere / "notes.tos")
    probe = _run(
        str(python), "-c",
        "import json, tospolicy, tospolicy.support.resources as r;"
        "print(json.dumps({'package': tospolicy.__file__,"
        " 'grammar': str(r.resource_dir('grammar')), 'rules': str(r.resource_dir('rules'))}))",
        cwd=elsewhere,
    )
    check = subprocess.run([str(python), "-m", "tospolicy", "check", "notes.tos"],
                           cwd=elsewhere, capture_output=True, text=True, timeout=120)
    assert check.returncode in (0, 1), check.stderr
    assert "in 1 file." in check.stdout
    parse = _run(str(python), "-m", "tospolicy", "parse", "notes.tos", cwd=elsewhere)
    assert json.loads(parse.stdout)["services"][0]["name"]["value"] == "Example Notes"
    # init's templates (tospolicy/templates/) travel with the package.
    _run(str(python), "-m", "tospolicy", "init", "started", cwd=elsewhere)
    assert (elsewhere / "started" / ".github" / "workflows" / "tospolicy.yml").is_file()
    # The Fides import reads rules/fideslang.yaml and schemas/fides-manifest.schema.json.
    shutil.copytree(FIDES_DEMO, elsewhere / "fides")
    _run(str(python), "-m", "tospolicy", "import", "fides", "fides", "--out", "out", cwd=elsewhere)
    assert (elsewhere / "out" / "fides-policies.yaml").is_file()
    # render's templates and stylesheet (tospolicy/render/templates/) travel with it too.
    _run(str(python), "-m", "tospolicy", "render", "notes.tos", "-o", "notes.html", cwd=elsewhere)
    assert "Example Notes" in (elsewhere / "notes.html").read_text(encoding="utf-8")
    return json.loads(probe.stdout)


@pytest.mark.parametrize("kind", ["wheel", "sdist"])
def test_built_wheel_carries_its_data(kind, tmp_path):
    wheel = _build(kind, tmp_path / "dist")
    names = zipfile.ZipFile(wheel).namelist()
    assert "tospolicy/grammar/tospolicy.lark" in names
    assert "tospolicy/rules/taxonomy.yaml" in names
    assert "tospolicy/render/templates/page.html.j2" in names
    if kind == "sdist":
        sdist = next((tmp_path / "dist").glob("*.tar.gz"))
        members = tarfile.open(sdist).getnames()
        assert any(name.endswith("/grammar/tospolicy.lark") for name in members)
    python = _environment(tmp_path)
    _install(python, str(wheel))
    found = _use_from_elsewhere(python, tmp_path)
    installed = Path(found["package"]).parent
    assert installed != REPO / "tospolicy"
    assert Path(found["grammar"]) == installed / "grammar"
    assert Path(found["rules"]) == installed / "rules"


def test_editable_install_uses_the_source_tree(tmp_path):
    python = _environment(tmp_path)
    _install(python, "--editable", str(REPO))
    found = _use_from_elsewhere(python, tmp_path)
    assert Path(found["package"]).parent == REPO / "tospolicy"
    assert Path(found["grammar"]) == REPO / "grammar"
    assert Path(found["rules"]) == REPO / "rules"
