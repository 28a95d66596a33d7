"""Every Mermaid diagram tospolicy writes, parsed by Mermaid's own parser.

tests/tools/mermaid_parse.mjs runs npm's `mermaid` under node with jsdom as
its DOM and returns, for each diagram, the nodes, edges and click handlers
Mermaid found, so that a hostile name is shown to have added none of its own
and to come out as the very text it is. The Markdown around the diagrams is
rendered by markdown-it (CommonMark, HTML allowed, as GitHub allows some)
and read with html5lib: no element a declaration wrote.
"""

from __future__ import annotations

import html as html_module
import json
import os
import re
import shutil
import subprocess

import html5lib
import pytest
from markdown_it import MarkdownIt

from conftest import REPO, TESTS, fixture_files
from tospolicy.render.flows import flow_graph
from tospolicy.render.mermaid import flowchart, label
from tospolicy.language.parser import parse_file
from tospolicy.language.taxonomy import builtin_taxonomy

TOOLS = TESTS / "tools"
EXAMPLES = fixture_files(REPO / "examples")
HOSTILE = TESTS / "render" / "hostile.tos"
FENCE = re.compile(r"^```mermaid\n(.*?)^```$", re.S | re.M)
# Mermaid keeps entities in a node's text as placeholders until it draws them.
_ENTITY = re.compile(r"ﬂ°(°?)(\w+)¶ß")
TRICKY = ['"', "]", ";", "%%", "-->", "`", "<", "\n", "#quot;", "#35;", "|", "{", "}", "(", ")",
          "click a call alert()", "%%{init: {\"theme\": \"dark\"}}%%", "```", "end", "subgraph x",
          "classDef a fill:red", "A --> B", "\u202e", "\x00", "日本語 é"]

# Skipped without the npm tools on a developer's machine; never in CI, which installs them.
pytestmark = pytest.mark.skipif(
    (shutil.which("node") is None or not (TOOLS / "node_modules" / "mermaid").exists())
    and not os.environ.get("CI"),
    reason="needs node and `npm ci --prefix tests/tools` (.ci/run installs them)")


def parse(diagrams: list[str]) -> list[dict]:
    completed = subprocess.run(["node", str(TOOLS / "mermaid_parse.mjs")], input=json.dumps(diagrams),
                               capture_output=True, text=True, timeout=300, cwd=TOOLS, check=True)
    return json.loads(completed.stdout)


def shown(text: str) -> str:
    """A node's text as Mermaid will draw it: its entities decoded."""
    def decode(match):
        numeric, name = match.groups()
        return chr(int(name)) if numeric else html_module.unescape(f"&{name};")
    return _ENTITY.sub(decode, text)


def diagrams_of(markdown: str) -> list[str]:
    return FENCE.findall(markdown)


def test_the_parser_harness_sees_an_injection():
    """The checks below can fail: a label that breaks out shows up as a node or a click."""
    broken, injected = parse(['flowchart LR\n  a["x"] --> b["y', 'flowchart LR\n  a["x"]\n  click a "javascript:alert(1)"'])
    assert not broken["ok"]
    assert injected["ok"] and injected["clicks"] == 1


def test_every_rendered_diagram_parses(cli):
    assert EXAMPLES
    texts = []
    for path in [*EXAMPLES, HOSTILE]:
        result = cli("render", "-f", "markdown", str(path))
        assert result.exit_code == 0, result.stderr
        found = diagrams_of(result.stdout)
        assert len(found) == 1, path.name
        texts += found
    for path, result in zip([*EXAMPLES, HOSTILE], parse(texts)):
        assert result["ok"], (path.name, result.get("error"))
        assert result["type"] == "flowchart-v2"
        assert result["clicks"] == 0


def test_hostile_names_are_the_nodes_they_name():
    service = parse_file(HOSTILE, HOSTILE.name).declaration.services[0]
    graph = flow_graph(service, builtin_taxonomy())
    [result] = parse([flowchart(graph)])
    assert result["ok"], result.get("error")
    labels = [" ".join(node.label.split()) for node in graph.nodes.values()]
    assert sorted(shown(text) for text in result["nodes"].values()) == sorted(labels)
    assert len(result["edges"]) == len(graph.flows) and result["clicks"] == 0


def test_each_tricky_character_stays_in_its_label():
    texts = [f'flowchart LR\n  a[{label("x " + tricky + " y")}] --> b[{label(tricky)}]' for tricky in TRICKY]
    for tricky, result in zip(TRICKY, parse(texts)):
        assert result["ok"], (tricky, result.get("error"))
        assert set(result["nodes"]) == {"a", "b"}, tricky
        expected = " ".join(("x " + tricky + " y").split())
        assert shown(result["nodes"]["a"]) == expected.replace("\x00", "\x00"), tricky


def test_every_change_diagram_parses(cli, tmp_path):
    """diff --format markdown over every pair of examples, both ways."""
    texts = []
    pairs = [(old, new) for old in EXAMPLES[:4] for new in EXAMPLES[:4] if old != new]
    pairs.append((REPO / "examples" / "notes-app.tos", HOSTILE))
    for old, new in pairs:
        result = cli("diff", "--format", "markdown", str(old), str(new))
        assert result.exit_code == 0, result.stderr
        texts += diagrams_of(result.stdout)
    assert len(texts) >= len(pairs)
    for result in parse(texts):
        assert result["ok"], result.get("error")
        assert result["clicks"] == 0


def _inert_markdown(markdown: str) -> None:
    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown)
    root = html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=False)
    allowed = {"html", "head", "body", "h1", "h2", "h3", "h4", "p", "ul", "li", "strong", "em",
               "code", "pre", "table", "thead", "tbody", "tr", "th", "td", "sub", "details",
               "summary", "a"}
    for element in root.iter():
        assert element.tag in allowed, element.tag
        assert not any(name.startswith("on") for name in element.attrib)
        assert "javascript:" not in element.get("href", "")


def test_the_markdown_around_the_diagrams_is_inert(cli):
    _inert_markdown(cli("render", "-f", "markdown", str(HOSTILE)).stdout)
    _inert_markdown(cli("diff", "--format", "markdown", str(REPO / "examples" / "notes-app.tos"),
                        str(HOSTILE)).stdout)
    with pytest.raises(AssertionError):
        _inert_markdown('<img src=x onerror="alert(1)">')
