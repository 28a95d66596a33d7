"""The settings and rule set a declaration is checked under, loaded once.

A declaration is checked as `tospolicy check FILE` run from the workspace
folder would check it: under the `.tospolicy.yml` found from the file's own
folder up, with that configuration's packs (every built-in pack without
one). Loading packs is the slow part of a check, so each configuration's rule
set is kept until a configuration or a pack file changes on disk or is saved
in the editor (`forget`); then every open declaration is checked again.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass, field
from pathlib import Path

from tospolicy.checking.config import CONFIG_NAME, ConfigError, Settings, find_config, settings
from tospolicy.checking.pipeline import PipelineError, load_rules
from tospolicy.packs.loader import RuleSet


@dataclass
class Project:
    """What a configuration (or none) gives: settings and rules, or why not."""

    config: Path | None
    settings: Settings | None = None
    rule_set: RuleSet | None = None
    problems: list[str] = field(default_factory=list)  # the configuration or a pack cannot be used

    @property
    def pack_files(self) -> set[Path]:
        if self.rule_set is None:
            return set()
        return {pack.path.resolve() for pack in self.rule_set.packs if not pack.builtin}


class Projects:
    def __init__(self):
        self._loaded: dict[Path | None, Project] = {}
        self.roots: list[Path] = []  # the workspace folders, innermost matched first

    def for_file(self, path: Path | None) -> Project:
        """The project a declaration at `path` belongs to (None: an unsaved buffer,
        checked under the first workspace folder's configuration)."""
        folder = path.parent if path is not None else (self.roots[0] if self.roots else Path.cwd())
        config = find_config(folder)
        project = self._loaded.get(config)
        if project is None:
            project = self._loaded[config] = _load(config, folder)
            # The rule set lives as long as the server: out of the collector's
            # way, so that collections during a check do not walk it again.
            gc.freeze()
        return project

    def cwd_for(self, path: Path | None) -> Path:
        """The folder `check` would run from: the workspace folder holding `path`,
        else the configuration's folder, else the file's own."""
        if path is not None:
            for root in sorted(self.roots, key=lambda root: len(root.parts), reverse=True):
                if path.is_relative_to(root):
                    return root
            config = find_config(path.parent)
            return config.parent if config else path.parent
        return self.roots[0] if self.roots else Path.cwd()

    def affected_by(self, path: Path) -> bool:
        """Whether a change to the file `path` changes a loaded rule set."""
        resolved = path.resolve() if path.exists() else path
        if path.name == CONFIG_NAME:
            return True
        return any(project.problems or resolved in project.pack_files
                   for project in self._loaded.values())

    def forget(self) -> None:
        """Load every configuration and rule set afresh the next time."""
        self._loaded.clear()
        gc.unfreeze()  # the rule sets let go can be collected; the next load freezes again


def _load(config: Path | None, folder: Path) -> Project:
    try:
        merged = settings(config, cwd=folder)
    except ConfigError as error:
        return Project(config, problems=[str(problem) for problem in error.problems])
    try:
        rule_set = load_rules(merged)
    except PipelineError as error:
        return Project(config, merged, problems=error.problems)
    return Project(config, merged, rule_set)
