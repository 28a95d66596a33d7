"""The change drawn on the pull request: the Action's job summary for the Zoom
change of March 2023, run as a runner runs the Action (tests/test_action.py).

The base commit holds Zoom's terms as they stood before March 2023 (the
example without the AI-training purposes of its licence and without the
"for any purpose" use); the pull request brings examples/zoom-2023-03.tos. The
summary must draw the new flow from Customer Content to AI training as a
regression, above the table of changes, in a diagram Mermaid parses.
"""

from __future__ import annotations

import re
import sys

import pytest

from conftest import REPO
from test_action import PullRequest
from test_render_mermaid import diagrams_of, parse, pytestmark as needs_mermaid

MARCH = (REPO / "examples" / "zoom-2023-03.tos").read_text(encoding="utf-8")

pytestmark = [pytest.mark.slow, needs_mermaid,
              pytest.mark.skipif(sys.version_info < (3, 11), reason="the action runs Python with -P")]


def before_march() -> str:
    """The example as Zoom's terms stood before the March 2023 edit."""
    text = re.sub(r'  # "for any purpose.*?use service_generated for any \{.*?\n  \}\n\n', "", MARCH,
                  flags=re.S)
    text = text.replace("purposes: service.provision, service.improvement, marketing, analytics,\n"
                        "              ai.training, research", "purposes: service.provision")
    assert "ai.training" not in text and "for any" not in text
    return text


def test_the_summary_draws_the_new_ai_training_flow_as_a_regression(tmp_path):
    request = PullRequest(tmp_path, {"terms/zoom.tos": before_march()}, {"terms/zoom.tos": MARCH})
    run, _ = request.run({"fail-on": "never"})
    summary = run.summary
    [diagram] = diagrams_of(summary)
    lines = diagram.splitlines()
    [ai] = [re.match(r"\s*(p\d+)\[", line).group(1) for line in lines if '"AI training (new)"' in line]
    edges = [line.strip() for line in lines if re.match(r"\s*[dpr]\d+ [-=.]+[>x]\|", line)]
    [index] = [number for number, edge in enumerate(edges)
               if edge == f'd0 ==>|"new: licence, no consent"| {ai}']
    assert f"  linkStyle {index} stroke:#d1242f,stroke-width:4px" in lines  # red: a regression
    # Above the table of changes, which lists the same change.
    assert summary.index("```mermaid") < summary.index("| --- | --- | --- |")
    assert "**regression**" in summary and "DIFF006" in summary
    [parsed] = parse([diagram])
    assert parsed["ok"], parsed.get("error")
    assert any(edge["end"] == ai and edge["text"].startswith("new: licence") for edge in parsed["edges"])
