"""Topic: data sets (DIFF008 categories, DIFF012 people concerned, DIFF013 form),
and the data sets renamed."""

from __future__ import annotations

from tospolicy.diff.attributes import form, other_attributes
from tospolicy.diff.change import MORE_PEOPLE, NEW_CATEGORIES
from tospolicy.diff.session import ServiceDiff
from tospolicy.diff.values import same_values, scalar_text, spans_of, terms_in
from tospolicy.diff.versions import SENSITIVE_CATEGORIES
from tospolicy.language.model import Data


def compare(diff: ServiceDiff) -> None:
    for old_name, new_name in diff.renames.items():
        before, after = diff.old.data[new_name], diff.new.data[new_name]
        diff.neutral(
            f"data {new_name}",
            f"data set {old_name} renamed to {new_name}: same categories and statements",
            before.name.span, after.name.span, after.identity)
    for name, after in diff.new.data.items():
        before = diff.old.data.get(name)
        if before is None:
            new_data(diff, name, after)
        else:
            compare_data(diff, name, before, after)
    for name, before in diff.old.data.items():
        if name not in diff.new.data:
            diff.improvement(NEW_CATEGORIES, f"data {name}",
                             f"data set {diff.old.label(name)} removed", before.span, None,
                             before.identity)


def new_data(diff: ServiceDiff, name: str, after: Data) -> None:
    categories = sorted(diff.new.categories(name))
    held = diff.terms("categories", categories) if categories else "no categories stated"
    sources = terms_in(after.value("derived_from"))
    derived = f" (derived from {', '.join(sources)})" if sources else ""
    subjects = terms_in(after.value("subjects"))
    about = f"; concerns {diff.terms('subjects', subjects)}" if subjects else ""
    diff.regression(NEW_CATEGORIES, diff.severity([name]), f"data {name}",
                    f"new data set {diff.new.label(name)}: {held}{derived}{about}",
                    None, after.span, after.identity)


def compare_data(diff: ServiceDiff, name: str, before: Data, after: Data) -> None:
    who = diff.new.label(name)
    subject = after.identity
    if (before.label and before.label.value) != (after.label and after.label.value):
        diff.neutral(subject, f"data {name}: label changed from "
                     f"{scalar_text(before.label) if before.label else 'none'} to "
                     f"{scalar_text(after.label) if after.label else 'none'}",
                     (before.label or before.name).span, (after.label or after.name).span,
                     subject)
    old, new = sorted(diff.old.categories(name)), sorted(diff.new.categories(name))
    added, gone = diff.broader("categories", new, old), diff.broader("categories", old, new)
    spans = spans_of(before, after, "categories")
    if added:
        own = set(terms_in(after.value("categories")))
        sources = terms_in(after.value("derived_from"))
        via = (f" (through the data it is derived from: {', '.join(sources)})"
               if not own.issuperset(added) else "")
        sensitive = any(diff.taxonomy.is_under(category, top, "categories")
                        for category in added for top in SENSITIVE_CATEGORIES)
        diff.regression(NEW_CATEGORIES, "error" if sensitive else "warning", subject,
                        f"{who}: now also holds {diff.terms('categories', added)}{via}",
                        *spans, subject)
    if gone:
        diff.improvement(NEW_CATEGORIES, subject,
                         f"{who}: no longer holds {diff.terms('categories', gone)}",
                         *spans, subject)
    subjects(diff, name, before, after, who)
    form(diff, before, after, who, subject, diff.severity([name]))
    if not same_values(before.value("derived_from"), after.value("derived_from")):
        diff.neutral(subject, f"{who}: now derived from "
                     f"{', '.join(terms_in(after.value('derived_from'))) or 'nothing'} (was "
                     f"{', '.join(terms_in(before.value('derived_from'))) or 'nothing'})",
                     *spans_of(before, after, "derived_from"), subject)
    other_attributes(diff, before, after, {"categories", "subjects", "form", "derived_from"},
                     f"data {name}", subject)


def subjects(diff: ServiceDiff, name, before, after, who) -> None:
    old, new = terms_in(before.value("subjects")), terms_in(after.value("subjects"))
    added = [item for item in new if item not in old]
    gone = [item for item in old if item not in new]
    spans = spans_of(before, after, "subjects")
    if added:
        severity = "error" if "child" in added else diff.severity([name])
        diff.regression(MORE_PEOPLE, severity, after.identity,
                        f"{who}: now also concerns {diff.terms('subjects', added)}",
                        *spans, after.identity)
    if gone:
        diff.improvement(MORE_PEOPLE, after.identity,
                         f"{who}: no longer concerns {diff.terms('subjects', gone)}",
                         *spans, after.identity)
