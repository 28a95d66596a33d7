"""editors/vscode: the extension's grammar follows the language, it packages, it highlights.

The npm tools (`@vscode/vsce`, `vscode-tmgrammar-test`) must be installed
(`npm ci --prefix editors/vscode`, as .ci/run does): a missing tool fails
these tests rather than skipping them.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from conftest import REPO

EXTENSION = REPO / "editors" / "vscode"
MANIFEST = json.loads((EXTENSION / "package.json").read_text(encoding="utf-8"))
GRAMMAR_FILE = EXTENSION / "syntaxes" / "tospolicy.tmLanguage.json"
RAW = "https://raw.githubusercontent.com/tospolicy/tospolicy/main/"


def _generator():
    spec = importlib.util.spec_from_file_location("generate", EXTENSION / "syntaxes" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _npm_tool(name: str) -> Path:
    tool = EXTENSION / "node_modules" / ".bin" / name
    if not tool.exists() or shutil.which("node") is None:
        pytest.fail(f"{name} is not installed: run `npm ci --prefix editors/vscode`")
    return tool


def test_the_textmate_grammar_is_generated_from_the_lark_grammar():
    assert GRAMMAR_FILE.read_text(encoding="utf-8") == _generator().text(), (
        "editors/vscode/syntaxes/tospolicy.tmLanguage.json is stale: run "
        "`python editors/vscode/syntaxes/generate.py`")


def test_the_grammar_knows_every_keyword_and_attribute():
    from tospolicy.language.attributes import attribute_table
    from tospolicy.language.syntax import KEYWORDS

    words = _generator().words()
    assert set(words["statements"]) | set(words["keywords"]) == set(KEYWORDS)
    attributes = GRAMMAR_FILE.read_text(encoding="utf-8")
    for spec in attribute_table().values():
        for key in spec.attributes:
            assert key in attributes


def test_the_manifest_declares_the_language_the_client_and_the_schemas():
    contributes = MANIFEST["contributes"]
    language = contributes["languages"][0]
    assert language["id"] == "tospolicy" and language["extensions"] == [".tos"]
    assert (EXTENSION / language["configuration"]).is_file()
    grammar = contributes["grammars"][0]
    assert grammar["language"] == "tospolicy" and (EXTENSION / grammar["path"]).is_file()
    assert (EXTENSION / MANIFEST["main"]).is_file()
    assert contributes["configuration"]["properties"]["tospolicy.path"]["default"] == ["tospolicy", "lsp"]
    configuration = json.loads((EXTENSION / language["configuration"]).read_text(encoding="utf-8"))
    assert configuration["comments"]["lineComment"] == "#"
    assert ["{", "}"] in configuration["brackets"] and ["[", "]"] in configuration["brackets"]
    # Schema URLs an editor can fetch: raw files of this repository, not GitHub's pages.
    urls = [entry["url"] for entry in contributes["yamlValidation"]]
    assert {url.rsplit("/", 1)[1] for url in urls} == {"config.schema.json", "rulepack.schema.json"}
    for url in urls:
        assert url.startswith(RAW)
        assert (REPO / url[len(RAW):]).is_file()


@pytest.mark.slow
def test_highlighting_snapshots_and_scope_assertions():
    """The snapshots (tests/snap/*.snap, reviewed when written) and the
    hand-written scope assertions (tests/syntax/*.tos) hold."""
    assert sorted((EXTENSION / "tests" / "snap").glob("*.tos"))
    assert sorted((EXTENSION / "tests" / "syntax").glob("*.tos"))
    grammar = str(GRAMMAR_FILE.relative_to(EXTENSION))
    snap = subprocess.run([str(_npm_tool("vscode-tmgrammar-snap")), "--scope", "source.tospolicy",
                           "--grammar", grammar, "tests/snap/*.tos"],
                          cwd=EXTENSION, capture_output=True, text=True, timeout=300)
    assert snap.returncode == 0, snap.stdout + snap.stderr
    scopes = subprocess.run([str(_npm_tool("vscode-tmgrammar-test")), "--grammar", grammar,
                             "tests/syntax/*.tos"],
                            cwd=EXTENSION, capture_output=True, text=True, timeout=300)
    assert scopes.returncode == 0, scopes.stdout + scopes.stderr


@pytest.mark.slow
def test_vsce_packages_the_extension(tmp_path):
    vsix = tmp_path / "tospolicy.vsix"
    result = subprocess.run([str(_npm_tool("vsce")), "package", "--out", str(vsix)],
                            cwd=EXTENSION, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    with zipfile.ZipFile(vsix) as archive:
        names = set(archive.namelist())
    assert {"extension/package.json", "extension/extension.js",
            "extension/syntaxes/tospolicy.tmLanguage.json",
            "extension/language-configuration.json"} <= names
    assert "extension/node_modules/vscode-languageclient/package.json" in names
    assert not any(name.startswith("extension/tests/") or name.endswith("generate.py") for name in names)


def test_schema_urls_are_raw_files_everywhere(cli, tmp_path):
    """The modeline `init` writes, the docs' modelines and the schemas' `$id`
    are URLs an editor can fetch, each naming a schema that exists."""
    import re

    assert cli("init", str(tmp_path)).exit_code == 0
    written = (tmp_path / ".tospolicy.yml").read_text(encoding="utf-8")
    assert written.startswith(f"# yaml-language-server: $schema={RAW}schemas/config.schema.json\n")
    texts = [written] + [(REPO / "docs" / name).read_text(encoding="utf-8")
                         for name in ("configuration.md", "rulepacks.md")]
    texts += [path.read_text(encoding="utf-8") for path in sorted((REPO / "schemas").glob("*.json"))]
    urls = [url for text in texts for url in re.findall(r"https://\S+\.schema\.json", text)]
    assert len(urls) >= 6
    for url in urls:
        assert url.startswith(RAW), url
        assert (REPO / url[len(RAW):]).is_file(), url
