"""The change drawn on the pull request: the Action's job summary for the Zoom
change of March 2023, run as a runner runs the Action (tests/test_action.py).

The base commit holds Zoom's terms as they stood in February 2023 and the
pull request brings those of March 2023 (tests/diff/zoom/, from the public
record). The summary must draw the new flows from Customer Content to AI
training as regressions, above the table of changes, in a diagram that
Mermaid parses.
"""

from __future__ import annotations

import re
import sys

import pytest

from conftest import TESTS
from test_action import PullRequest
from test_render_mermaid import diagrams_of, parse, pytestmark as needs_mermaid

ZOOM = TESTS / "diff" / "zoom"

pytestmark = [pytest.mark.slow, needs_mermaid,
              pytest.mark.skipif(sys.version_info < (3, 11), reason="the action runs Python with -P")]


def test_the_summary_draws_the_new_ai_training_flow_as_a_regression(tmp_path):
    before, after = ((ZOOM / name).read_text(encoding="utf-8") for name in ("2023-02.tos", "2023-03.tos"))
    request = PullRequest(tmp_path, {"terms/zoom.tos": before}, {"terms/zoom.tos": after})
    run, _ = request.run({"fail-on": "never"})
    summary = run.summary
    [diagram] = diagrams_of(summary)
    lines = diagram.splitlines()
    nodes = dict(re.findall(r'^\s+([dpr]\d+)\["(.*)"\]$', diagram, re.M))
    [ai] = [node for node, text in nodes.items() if text == "AI training (new)"]
    content = {node for node, text in nodes.items() if "Customer Content" in text}
    edges = [line.strip() for line in lines if re.match(r"\s*[dpr]\d+ [-=.]+[>x]\|", line)]
    new_ai = [number for number, edge in enumerate(edges)
              if edge.split()[0] in content and edge.endswith(f'|"new: no consent"| {ai}')]
    assert new_ai, diagram
    for index in new_ai:  # red: a regression
        assert f"  linkStyle {index} stroke:#d1242f,stroke-width:4px" in lines
    # Above the table of changes, which lists the same change.
    assert summary.index("```mermaid") < summary.index("| --- | --- | --- |")
    assert "**regression**" in summary and "DIFF001" in summary
    [parsed] = parse([diagram])
    assert parsed["ok"], parsed.get("error")
    assert any(edge["start"] in content and edge["end"] == ai and edge["text"] == "new: no consent"
               for edge in parsed["edges"])
