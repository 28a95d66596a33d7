"""A real git repository shaped like a pull request: a base commit on `main`,
and the head commit of branch `feature` checked out."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


def git(*args: str, cwd: Path) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com")
    completed = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True,
                               check=True)
    return completed.stdout.strip()


def write_files(folder: Path, files: dict[str, str | None]) -> None:
    """Write each file (None: delete it), folders created as needed."""
    for name, content in files.items():
        path = folder / name
        if content is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")


class TwoCommits:
    """`workspace` holds the base's files, changed by `head` (and by
    `before_head_commit(workspace)`) in the checked-out head commit."""

    def __init__(self, tmp_path: Path, base: dict[str, str], head: dict[str, str | None],
                 before_head_commit=None):
        self.tmp_path = tmp_path
        self.workspace = tmp_path / "workspace"
        self.workspace.mkdir(parents=True)
        git("init", "--quiet", "--initial-branch=main", cwd=self.workspace)
        write_files(self.workspace, base)
        git("add", "--all", cwd=self.workspace)
        git("commit", "--quiet", "--message=base", cwd=self.workspace)
        self.base_sha = git("rev-parse", "HEAD", cwd=self.workspace)
        git("checkout", "--quiet", "-b", "feature", cwd=self.workspace)
        write_files(self.workspace, head)
        if before_head_commit:
            before_head_commit(self.workspace)
        git("add", "--all", cwd=self.workspace)
        git("commit", "--quiet", "--allow-empty", "--message=head", cwd=self.workspace)
        self.head_sha = git("rev-parse", "HEAD", cwd=self.workspace)
