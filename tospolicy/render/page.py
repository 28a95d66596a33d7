"""The pages of `tospolicy render`: one HTML file, or Markdown with Mermaid diagrams.

Both come from jinja2 templates packaged in `templates/`. The HTML
environment escapes every value (autoescape on); the Markdown environment
passes every value through the Markdown escaping of the reporters
(`finalize`), so that nothing a declaration says becomes markup in either,
and only our own pieces (the stylesheet, a Mermaid block) are marked safe.

The HTML page is self-contained: no script, no request to anything outside
it; its Content-Security-Policy allows only its own stylesheet, named by
the stylesheet's SHA-256.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from tospolicy.render.flows import FlowGraph
from tospolicy.render.label import Note, ServiceLabel

TEMPLATES = Path(__file__).resolve().parent / "templates"
MARKER = "tospolicy render"  # in every page: `--output` recognises a file it may replace
# Above this many flows the SVG is left out (the table still lists every flow):
# a picture of thousands of arrows helps no one, and its layout costs time.
MAX_DRAWN_FLOWS = 300


# What each kind of flow is, in the table of flows.
FLOW_KINDS = {"use": "use", "share": "sharing", "license": "licence", "never": "never (a promise)"}


@dataclass
class FilePage:
    """One declaration file: its services' labels, and findings outside them."""

    path: str
    services: list[ServiceLabel]
    findings: list[Note]


@dataclass
class ServiceView:
    """A label as one page shows it: its anchor and its diagram."""

    label: ServiceLabel
    sid: str
    diagram: object  # a Layout (HTML), a fenced Mermaid block (Markdown), or None


@dataclass
class PageView:
    path: str
    views: list[ServiceView]
    findings: list[Note]


def _views(pages: list[FilePage], diagram) -> list[PageView]:
    return [PageView(page.path, [ServiceView(label, f"s{number}-{index}", diagram(label.flows))
                                 for index, label in enumerate(page.services, 1)], page.findings)
            for number, page in enumerate(pages, 1)]


class _Safe(str):
    """Our own Markdown (a Mermaid block): not escaped again."""


@lru_cache(maxsize=1)
def _html_environment():
    import jinja2  # only `render` needs it

    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                              trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                              undefined=jinja2.StrictUndefined)


@lru_cache(maxsize=1)
def _markdown_environment():
    import jinja2

    from tospolicy.reporters.markdown import escape

    def finalize(value):
        if isinstance(value, _Safe):
            return value
        return escape(str(value))

    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=False,
                              finalize=finalize, trim_blocks=True, lstrip_blocks=True,
                              keep_trailing_newline=True, undefined=jinja2.StrictUndefined)


def _stylesheet() -> tuple[str, str]:
    """The page's CSS and its CSP source (`'sha256-…'`)."""
    css = (TEMPLATES / "page.css").read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    return css, f"'sha256-{digest}'"


def _diagram(graph: FlowGraph):
    from tospolicy.render.layout import layout

    if not graph.flows or len(graph.flows) > MAX_DRAWN_FLOWS:
        return None
    return layout(graph)


def html(pages: list[FilePage], title: str, findings: bool) -> str:
    from markupsafe import Markup

    css, style_source = _stylesheet()
    template = _html_environment().get_template("page.html.j2")
    views = _views(pages, _diagram)
    return template.render(pages=views, title=title, css=Markup(css), style_source=style_source,
                           service_count=sum(len(page.views) for page in views),
                           with_findings=findings, marker=MARKER, max_drawn=MAX_DRAWN_FLOWS,
                           flow_kinds=FLOW_KINDS)


def markdown(pages: list[FilePage], title: str, findings: bool) -> str:
    from tospolicy.render.mermaid import fenced

    template = _markdown_environment().get_template("page.md.j2")
    views = _views(pages, lambda graph: _Safe(fenced(graph)))
    return template.render(pages=views, title=title, with_findings=findings, marker=_Safe(MARKER),
                           flow_kinds=FLOW_KINDS)


def file_page(path: str, declaration, taxonomy, findings=()) -> FilePage:
    """The labels of one parsed file; `findings` (its findings) go beside their statements."""
    from tospolicy.render.label import note, service_label

    labels = [service_label(service, taxonomy, path, findings) for service in declaration.services]
    inside = [(service.span.line, service.span.end_line) for service in declaration.services]
    outside = [note(finding) for finding in findings
               if finding.span.file != path or not any(first <= finding.span.line <= last
                                                       for first, last in inside)]
    return FilePage(path, labels, outside)
