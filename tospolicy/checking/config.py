"""The configuration file `.tospolicy.yml`, merged once with the command line.

The file is found by looking in the current folder and then each folder
above it, stopping at the top of the git repository (a folder holding `.git`)
or of the filesystem; `--config` names one instead. Paths in the file are
relative to its folder. The command line wins over the file, and the file
over the defaults; `Settings` is the result, computed in one place (as
yamllint does) so that every command sees the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tospolicy.checking.discovery import DEFAULT_INCLUDE, GlobError, glob_to_regex
from tospolicy.support.paths import display_path
from tospolicy.limits import CONFIG_KEYS, DEFAULT_LIMITS, Limits
from tospolicy.packs.loader import PackRef, builtin_packs
from tospolicy.packs.types import Location, Override

CONFIG_NAME = ".tospolicy.yml"
DEFAULT_FAIL_ON = "error"


class ConfigError(Exception):
    """A configuration that cannot be used; `problems` are `file:line:col: message` lines."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(unsafe_hash=True)
class Config:
    """What the configuration file says (all None/empty without one)."""

    path: Path | None = None
    packs: tuple[PackRef, ...] | None = None
    include: tuple[str, ...] | None = None
    exclude: tuple[str, ...] = ()
    rules: dict[str, Override] = field(default_factory=dict)
    fail_on: str | None = None
    baseline: Path | None = None
    limits: Limits = DEFAULT_LIMITS

    @property
    def folder(self) -> Path | None:
        return self.path.parent if self.path else None


@dataclass(unsafe_hash=True)
class Settings:
    """The configuration and the command line, merged."""

    config: Config
    packs: tuple[PackRef, ...]
    include: tuple[str, ...]
    exclude: tuple[str, ...]
    overrides: dict[str, Override]
    fail_on: str
    baseline: Path | None
    limits: Limits
    # A baseline named on the command line must exist; one named in the
    # configuration may not exist yet (nothing is hidden until it is written).
    baseline_required: bool = False

    @property
    def default_paths(self) -> list[Path]:
        """What `check` reads without paths: the configuration's `include`, from
        its folder; else the current folder."""
        if self.config.include is not None:
            return [self.config.folder]
        return []


def find_config(start: Path) -> Path | None:
    """`.tospolicy.yml` in `start` or a folder above it, up to the repository's top."""
    folder = start.resolve()
    while True:
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
        if (folder / ".git").exists() or folder.parent == folder:
            return None
        folder = folder.parent


def load_config(path: Path, text: str | None = None) -> Config:
    """The configuration file `path`; `text` is its content as an editor has it."""
    # Imported here: jsonschema and PyYAML cost start-up time, and a run
    # without a configuration file needs neither.
    from tospolicy.packs.schema import schema_problems
    from tospolicy.support.yamlsource import Mark, YamlError, parse_yaml, read_yaml

    display = display_path(path.resolve())
    try:
        document = read_yaml(path, display) if text is None else parse_yaml(text, display)
    except YamlError as error:
        mark = error.mark or Mark(1, 1)
        raise ConfigError([f"{display}:{mark.line}:{mark.column}: {error.message}"]) from None
    problems = schema_problems(document, "config.schema.json")
    if problems:
        raise ConfigError([f"{display}:{mark.line}:{mark.column}: {message}"
                           for mark, message in problems])
    data = document.data or {}
    folder = path.resolve().parent
    bad_patterns = []
    for key in ("include", "exclude"):
        for number, pattern in enumerate(data.get(key) or ()):
            try:
                glob_to_regex(pattern)
            except GlobError as error:
                mark = document.mark_at([key, number])
                bad_patterns.append(f"{display}:{mark.line}:{mark.column}: {key}: {error}")
    if bad_patterns:
        raise ConfigError(bad_patterns)

    def location(*keys) -> Location:
        mark = document.mark_at(list(keys))
        return Location(display, mark.line, mark.column)

    def key_location(*keys) -> Location:
        mark = document.key_mark_at(list(keys))
        return Location(display, mark.line, mark.column)

    packs = None
    if "packs" in data:
        packs = tuple(PackRef(text, folder, location("packs", number))
                      for number, text in enumerate(data["packs"]))
    rules = {}
    for rule_id, setting in (data.get("rules") or {}).items():
        if setting in (False, "off"):
            rules[rule_id] = Override(rule_id, off=True, location=key_location("rules", rule_id))
        elif isinstance(setting, dict):
            rules[rule_id] = Override(rule_id, severity=setting["severity"],
                                      location=key_location("rules", rule_id))
    limits = data.get("limits") or {}
    return Config(
        path=path.resolve(),
        packs=packs,
        include=tuple(data["include"]) if "include" in data else None,
        exclude=tuple(data.get("exclude", ())),
        rules=rules,
        fail_on=data.get("fail-on"),
        baseline=folder / data["baseline"] if "baseline" in data else None,
        limits=Limits(**{field: limits.get(key, getattr(DEFAULT_LIMITS, field))
                         for field, key in CONFIG_KEYS.items()}),
    )


def settings(
    config_path: Path | None = None,
    packs: tuple[str, ...] = (),
    fail_on: str | None = None,
    baseline: Path | None = None,
    cwd: Path | None = None,
) -> Settings:
    """Merge the configuration (`--config`, or the one found from `cwd`) with the
    command line's options; ConfigError for a configuration that cannot be used."""
    cwd = cwd or Path.cwd()
    if config_path is not None and not config_path.is_file():
        raise ConfigError([f"{config_path}: no such configuration file"])
    path = config_path or find_config(cwd)
    config = load_config(path) if path else Config()
    if packs:
        pack_refs = tuple(PackRef(text, cwd) for text in packs)
    elif config.packs is not None:
        pack_refs = config.packs
    else:
        pack_refs = tuple(PackRef(name) for name in builtin_packs())
    return Settings(
        config=config,
        packs=pack_refs,
        include=config.include if config.include is not None else DEFAULT_INCLUDE,
        exclude=config.exclude,
        overrides=config.rules,
        fail_on=fail_on or config.fail_on or DEFAULT_FAIL_ON,
        baseline=baseline or config.baseline,
        limits=config.limits,
        baseline_required=baseline is not None,
    )
