"""`tospolicy import fides`: Fides manifests to declarations and a rule pack.

All or nothing: the manifests are read and checked completely, every problem
of every manifest is reported, and only when there is none are the files
written (each atomically; a file the import did not write is replaced only
with `--force`). A partial import would leave declarations that a policy
rule's verdict depends on out of the check without a word.

manifests.py reads the manifests, vocabulary.py maps fideslang keys to terms,
generate.py writes the declarations and the pack (docs/fides.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tospolicy.checking.discovery import discover
from tospolicy.packs.types import Location, Problem
from tospolicy.support.files import OverwriteRefused, write_file, written_by_tospolicy
from tospolicy.support.paths import display_path
from tospolicy.importers.fides.generate import MARKER, generate, rule_id
from tospolicy.importers.fides.manifests import Manifests, read_manifests
from tospolicy.importers.fides.vocabulary import Vocabulary

MANIFEST_PATTERNS = ("**/*.yml", "**/*.yaml")


@dataclass
class ImportResult:
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    systems: int = 0
    rules: int = 0


def import_fides(paths: list[Path], out: Path, force: bool = False) -> ImportResult:
    result = ImportResult()
    if out.exists() and not out.is_dir():
        result.errors.append(Problem(Location(display_path(out.resolve())),
                                     "--out must name a folder, and this is a file"))
    found, missing = discover(paths, include=MANIFEST_PATTERNS)
    for path in missing:
        result.errors.append(Problem(Location(path), "no such file or folder"))
    inside = out.resolve()
    files = []
    for item in found:
        if inside == item.path.resolve().parent or inside in item.path.resolve().parents:
            continue  # the output of an earlier import is not a manifest
        if item.problem:
            result.errors.append(Problem(Location(item.display), item.problem))
            continue
        files.append((item.path, item.display))
    if not files and not missing:
        result.errors.append(Problem(Location(", ".join(str(path) for path in paths)),
                                     "no Fides manifests (*.yml, *.yaml) found"))
    manifests, vocabulary = read_manifests(files)
    result.errors += manifests.errors
    result.warnings += manifests.warnings
    if not result.errors:
        result.warnings += _deprecations(manifests, vocabulary)
        if not manifests.rules:
            result.warnings.append(Problem(Location(display_path(out.resolve())), (
                "the manifests hold no Fides policy: fides-policies.yaml has no rules")))
        _write(manifests, vocabulary, out, force, result)
    result.errors.sort(key=_order)
    result.warnings.sort(key=_order)
    return result


def _order(problem: Problem):
    location = problem.location
    return location.file, location.line, location.column, problem.message


def _write(manifests: Manifests, vocabulary: Vocabulary, out: Path, force: bool,
           result: ImportResult) -> None:
    outputs = generate(manifests, vocabulary, out)
    ours = written_by_tospolicy(MARKER.encode("utf-8"))
    for output in outputs:
        target = out / output.name
        try:
            taken = target.is_dir() or (target.exists() and not force and not _ours(target, ours))
        except OSError as error:  # a folder name too long, a loop of links
            result.errors.append(Problem(Location(display_path(target.absolute())),
                                         f"cannot write: {error.strerror or error}"))
            continue
        if taken:
            result.errors.append(Problem(Location(display_path(target.resolve())), (
                "exists and was not written by tospolicy import fides; pass --force to replace it")))
    if result.errors:
        return  # nothing is written unless everything can be
    for output in outputs:
        target = out / output.name
        try:
            write_file(target, output.content, force=force, ours=ours)
        except (OverwriteRefused, OSError) as error:
            reason = getattr(error, "strerror", None) or error
            result.errors.append(Problem(Location(display_path(target.resolve())),
                                         f"cannot write: {reason}"))
            return
        result.written.append(target)
    result.systems = len(manifests.systems)
    result.rules = len(manifests.rules)
    written = {path.resolve() for path in result.written}
    for stale in sorted(out.glob("*.tos")):
        if stale.resolve() not in written and _ours(stale, ours):
            result.warnings.append(Problem(Location(display_path(stale.resolve())), (
                "written by an earlier import for a system the manifests no longer have: "
                "delete it unless you still need it")))


def _ours(path: Path, recognise) -> bool:
    from tospolicy.support.files import read_regular

    try:
        return recognise(read_regular(path, 4096))
    except OSError:
        return False


def _deprecations(manifests: Manifests, vocabulary: Vocabulary) -> list[Problem]:
    """A warning for each deprecated key: it is imported as its replacement,
    which Fides does not do; and when that changes whether a rule's value
    matches it, the warning names the rule whose verdict may differ."""
    declared: list[tuple[str, object]] = []
    for system in manifests.systems:
        for declaration in system.declarations:
            declared += [("data_category", key) for key in declaration.categories]
            declared += [("data_subject", key) for key in declaration.subjects]
            declared.append(("data_use", declaration.use))
    for dataset in manifests.datasets.values():
        for group in dataset.groups:
            declared += [("data_category", key) for key in group.categories]
    values = []
    for number, rule in enumerate(manifests.rules, start=1):
        for kind, condition in (("data_category", rule.categories), ("data_use", rule.uses),
                                ("data_subject", rule.subjects)):
            values += [(kind, key, rule_id(number)) for key in condition.values]
    def deprecated(kind, key) -> bool:
        return vocabulary.current(kind, key.value) != key.value

    warnings = []
    for kind, key in declared:
        if deprecated(kind, key):
            rules = {rule for value_kind, value, rule in values
                     if value_kind == kind and _differs(vocabulary, kind, key.value, value.value)}
            warnings.append(_deprecated(vocabulary, kind, key, rules))
    for kind, key, rule in values:
        if deprecated(kind, key):
            differs = any(_differs(vocabulary, kind, other.value, key.value)
                          for other_kind, other in declared if other_kind == kind)
            warnings.append(_deprecated(vocabulary, kind, key, {rule} if differs else set()))
    return warnings


def _deprecated(vocabulary: Vocabulary, kind: str, key, rules: set[str]) -> Problem:
    replacement = vocabulary.current(kind, key.value)
    message = (f"'{key.value}' is deprecated in fideslang; it is imported as its replacement, "
               f"'{replacement}'")
    if rules:
        message += (f", which changes what {', '.join(sorted(rules))} matches: the verdict may "
                    "differ from fides evaluate until the manifest uses the replacement")
    return Problem(key.location, message)


def _differs(vocabulary: Vocabulary, kind: str, declared: str, value: str) -> bool:
    return (vocabulary.matches(kind, declared, value)
            != vocabulary.matches(kind, vocabulary.current(kind, declared),
                                  vocabulary.current(kind, value)))
