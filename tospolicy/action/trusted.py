"""Rules read from a pull request's base commit (the action's `trusted-rules-from-base`).

A pull request can edit `.tospolicy.yml` to turn a rule off, weaken a rule of
a local pack, or add its findings to the baseline. With trusted rules, the
configuration, the local packs it (or the action's `packs` input) names and
its baseline are read from the base commit with git, written to a private
folder, and used from there; only the declarations are the pull request's.

Paths keep their meaning: the copies sit at their repository paths inside the
private folder, so a pack named relative to the configuration is the base's
pack; and the configuration's `include`/`exclude` patterns and the baseline's
file names apply to the working tree from the configuration's own folder, as
if the base's file were in place. A path that leaves the repository (`../…`,
absolute) is refused: the base commit is the only source. Without a
configuration in the base, the defaults apply, never the pull request's file.
"""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from tospolicy.support import gitrepo
from tospolicy.checking.config import CONFIG_NAME, ConfigError, Settings, load_config, settings
from tospolicy.support.files import write_file
from tospolicy.limits import DEFAULT_LIMITS
from tospolicy.packs.loader import PackRef

# Packs and configurations are YAML a person writes; a larger file is not one.
MAX_FILE_BYTES = DEFAULT_LIMITS.max_file_bytes


class TrustedRulesError(Exception):
    """The base's rules cannot be read; the message says which file and why."""


@dataclass
class TrustedSettings:
    settings: Settings
    commit: str
    read: list[str] = field(default_factory=list)  # repository paths read from the base
    changed: list[str] = field(default_factory=list)  # of those, the ones the pull request changes
    baseline_folder: Path | None = None  # the baseline's folder in the working tree


def repository_path(text: str, folder: Path, top: Path) -> str:
    """`text` (a path relative to `folder`, a folder of the working tree) as a
    `/`-separated path relative to the repository's top; TrustedRulesError when
    it is absolute or leaves the repository."""
    if not text or PurePosixPath(text).is_absolute() or Path(text).is_absolute():
        raise TrustedRulesError(f"'{text}' is not a path inside the repository")
    inside = os.path.relpath(folder, top).replace(os.sep, "/")
    joined = posixpath.normpath(posixpath.join(inside, text.replace(os.sep, "/")))
    if joined == ".." or joined.startswith("../") or joined == ".":
        raise TrustedRulesError(f"'{text}' is not a path inside the repository")
    return joined


class _Copier:
    """Copies files of the base commit to the private folder, each once."""

    def __init__(self, commit: str, top: Path, private: Path):
        self.commit, self.top, self.private = commit, top, private
        self.read: dict[str, bytes | None] = {}

    def copy(self, path: str) -> Path | None:
        """The copy of the base's `path`, or None when the base has no such file."""
        if path not in self.read:
            try:
                content = gitrepo.file_at(self.commit, path, self.top, MAX_FILE_BYTES)
            except gitrepo.GitError as error:
                raise TrustedRulesError(str(error)) from None
            self.read[path] = content
            if content is not None:
                write_file(self.private / path, content, force=True)
        return self.private / path if self.read[path] is not None else None

    def changed(self) -> list[str]:
        """The files read whose working-tree version differs from the base's."""
        changed = []
        for path, content in sorted(self.read.items()):
            here = self.top / path
            if content is None:
                differs = here.exists() or here.is_symlink()
            else:  # sizes first: the pull request's file may be huge
                differs = not (here.is_file() and not here.is_symlink()
                               and here.stat().st_size == len(content) and here.read_bytes() == content)
            if differs:
                changed.append(path)
        return changed


def trusted_settings(commit: str, cwd: Path, private: Path, config: str | None,
                     packs: tuple[str, ...], fail_on: str | None) -> TrustedSettings:
    """Settings as the base commit's configuration, packs and baseline make them,
    for the declarations of the working tree at `cwd`.

    `config` and the paths among `packs` are relative to `cwd` (the action's
    inputs); built-in pack names pass through. Raises TrustedRulesError, or
    ConfigError for a base configuration that cannot be used.
    """
    top = gitrepo.toplevel(cwd).resolve()
    cwd = cwd.resolve()
    private.mkdir(parents=True, exist_ok=True)
    private = private.resolve()  # as the configuration's paths will be (macOS: /private/var)
    copier = _Copier(commit, top, private)
    config_path = repository_path(config or CONFIG_NAME, cwd, top)
    copy = copier.copy(config_path)
    if copy is None:  # no configuration in the base: the defaults, not the pull request's
        copy = private / config_path
        write_file(copy, "", force=True)
    config_folder = top / posixpath.dirname(config_path)
    try:
        base_config = load_config(copy)
    except ConfigError as error:
        raise ConfigError([f"the configuration of the base commit {commit[:12]}:", *error.problems]) from None

    pack_texts = []
    for text in packs:
        if PackRef(text).is_path:
            path = repository_path(text, cwd, top)
            if copier.copy(path) is None:
                raise TrustedRulesError(f"pack '{text}' does not exist in the base commit {commit[:12]}")
            text = str(private / path)
        pack_texts.append(text)
    if not packs:
        for ref in base_config.packs or ():
            if ref.is_path:
                path = repository_path(ref.text, config_folder, top)
                if copier.copy(path) is None:
                    raise TrustedRulesError(f"pack '{ref.text}' named by {config_path} does not exist "
                                            f"in the base commit {commit[:12]}")

    baseline_folder = None
    if base_config.baseline is not None:
        text = os.path.relpath(base_config.baseline, private / posixpath.dirname(config_path))
        path = repository_path(text, config_folder, top)
        copier.copy(path)  # a configured baseline may not exist yet: then nothing is hidden
        baseline_folder = (top / path).parent

    merged = settings(copy, tuple(pack_texts), fail_on, None, cwd=cwd)
    # Include/exclude patterns match from the configuration's folder in the working tree.
    merged = replace(merged, config=replace(merged.config, path=top / config_path))
    return TrustedSettings(merged, commit, sorted(path for path, content in copier.read.items()
                                                  if content is not None),
                           copier.changed(), baseline_folder)
