"""The files `tospolicy init` writes: a starter declaration, a configuration and
a GitHub workflow that runs the action. Their text lives in `templates/`,
inside the package, so every install carries it."""

from __future__ import annotations

from pathlib import Path

from tospolicy import __version__

TEMPLATES = Path(__file__).resolve().parent / "templates"
# (where the file goes, relative to the project's folder; its template)
STARTER_FILES = (
    ("policy.tos", "policy.tos"),
    (".tospolicy.yml", "tospolicy.yml"),
    (".github/workflows/tospolicy.yml", "workflow.yml"),
)


def starter_files() -> list[tuple[str, str]]:
    """(relative path, content) of each file, the workflow naming this version's release."""
    return [(target, (TEMPLATES / template).read_text(encoding="utf-8").replace("{version}", __version__))
            for target, template in STARTER_FILES]
