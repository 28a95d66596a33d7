"""What `fides evaluate` decides, re-implemented for the tests from Fides' source.

Fides itself is not installed in CI. This module is written from the logic of
ethyca/fides `src/fides/core/evaluate.py` (fides 2.x; the functions named in
each docstring) and `src/fides/core/utils.py` (`get_all_level_fields`), with
fideslang 3's models (`MatchesEnum`, `PrivacyRule`, `PolicyRule`,
`PrivacyDeclaration`, `Dataset`, `DatasetCollection`, `DatasetField`). It is
deliberately literal, quirks included, so that the importer's generated rules
are compared with Fides' behaviour rather than with our reading of it:

- a key's hierarchy is the key and its ancestors (`parent_key`, which fideslang
  requires to be the dotted prefix); a key missing from the taxonomy stops the
  evaluation (Fides exits "Found missing key");
- a rule value matches a declared key when it is in the key's hierarchy;
  data subjects have no hierarchy;
- ALL compares the number of distinct matching keys with the length of the
  declared list; a violation needs all three dimensions to report something.

Data uses, categories and subjects come as plain YAML data (yaml.safe_load).
"""

from __future__ import annotations

from dataclasses import dataclass


class MissingKey(Exception):
    """Fides stops: "Found missing key (…) referenced in taxonomy"."""


@dataclass(frozen=True)
class Violation:
    policy: str
    rule: str
    system: str
    declaration: int  # index in the system's privacy_declarations as written
    where: str  # "" for the declaration's own categories, else the dataset list's place


def hierarchy(key: str, known: set[str]) -> list[str]:
    """`get_fides_key_parent_hierarchy`: the key, then each parent, nearest first."""
    chain = []
    current = key
    while True:
        chain.append(current)
        if current not in known:
            raise MissingKey(current)
        if "." not in current:
            return chain
        current = current.rsplit(".", 1)[0]


def compare(values: list[str], hierarchies: list[list[str]], matches: str) -> set[str]:
    """`compare_rule_to_declaration`: the offending declared keys (empty: no violation)."""
    matched, mismatched = set(), set()
    for chain in hierarchies:
        (matched if set(chain) & set(values) else mismatched).add(chain[0])
    if matches == "ANY":
        return matched
    if matches == "ALL":
        return matched if len(matched) == len(hierarchies) else set()
    if matches == "NONE":
        return mismatched if not matched else set()
    if matches == "OTHER":
        return mismatched
    raise ValueError(matches)


def violates(rule: dict, categories: list[str], use: str, subjects: list[str],
             known: dict[str, set[str]]) -> bool:
    """`evaluate_policy_rule`: all three dimensions report something."""
    found = [
        compare(rule["data_categories"]["values"],
                [hierarchy(key, known["data_category"]) for key in categories],
                rule["data_categories"]["matches"]),
        compare(rule["data_uses"]["values"], [hierarchy(use, known["data_use"])],
                rule["data_uses"]["matches"]),
        compare(rule["data_subjects"]["values"], [[subject] for subject in subjects],
                rule["data_subjects"]["matches"]),
    ]
    return all(found)


def all_level_fields(fields: list[dict]):
    """`get_all_level_fields`: each field, then its nested fields, depth first."""
    for field in fields or ():
        yield field
        yield from all_level_fields(field.get("fields") or ())


def dataset_lists(dataset: dict):
    """`evaluate_dataset_reference`: the dataset's, each collection's and each
    field's categories, where they are not empty."""
    if dataset.get("data_categories"):
        yield dataset["fides_key"], dataset["data_categories"]
    for collection in dataset["collections"]:
        if collection.get("data_categories"):
            yield collection["name"], collection["data_categories"]
        for field in all_level_fields(collection["fields"]):
            if field.get("data_categories"):
                yield f"{collection['name']}…{field['name']}", field["data_categories"]


def evaluate(manifest: dict, default_keys: dict[str, set[str]]) -> list[Violation]:
    """`execute_evaluation` over one manifest (its resources merged with the
    default taxonomy, as `merge_taxonomies` does); raises MissingKey."""
    known = {kind: set(keys) | {item["fides_key"] for item in manifest.get(kind) or ()}
             for kind, keys in default_keys.items()}
    datasets = {}
    for dataset in manifest.get("dataset") or ():
        datasets.setdefault(dataset["fides_key"], dataset)  # the first one wins
    violations = []
    for policy in manifest.get("policy") or ():
        for rule in policy["rules"]:
            for system in manifest.get("system") or ():
                for index, declaration in enumerate(system["privacy_declarations"]):
                    subjects = declaration.get("data_subjects") or []
                    use = declaration["data_use"]

                    def judge(categories, where):
                        if violates(rule, categories, use, subjects, known):
                            violations.append(Violation(policy["fides_key"], rule["name"],
                                                        system["fides_key"], index, where))

                    judge(declaration["data_categories"], "")
                    for reference in declaration.get("dataset_references") or ():
                        for where, categories in dataset_lists(datasets[reference]):
                            judge(categories, where)
    return violations
