"""Conditions, compiled once per rule into closures (templates.py compiles messages).

Compiling checks what can be checked before any declaration is read: every
path exists for the statements the rule selects, every term a condition names
is known to the taxonomy, a comparison compares values that can be compared
(a date with a date, never with a duration), every regular expression
compiles (RE2: matching takes linear time, whatever the pattern). What is
left for run time cannot fail: a value of the wrong kind makes a comparison
false, and a missing value makes every comparison false.

An evaluator is `evaluate(node, index) -> bool`: `node` the statement (or
service) at hand, `index` its service's ServiceIndex.

A rule may select several kinds of statement (`select: [use, share]`). Its
conditions and messages are then compiled once per kind, and a path whose
first step one of the kinds does not have (a share has no `by`, a use no
`role`) is missing on that kind, so `by == third_party or role ==
third_party` reads as it should. A path that none of the kinds has is still
an error.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from typing import Callable

from tospolicy.conditions.tree import COMPARATORS, All, Any, Comparison, ConditionError, Constant, Count, ListLiteral, Literal, Match, Not, PathRef, Presence, Reference
from tospolicy.conditions.paths import PathError, PathType, refuse_unknown_everywhere, resolve
from tospolicy.conditions.relations import NAMING_KINDS
from tospolicy.language.taxonomy import Taxonomy
from tospolicy.conditions.regex import compile_regex
from tospolicy.conditions.values import category
from tospolicy.language.suggestions import suggest
from tospolicy.support.suggest import did_you_mean, suggesting
from tospolicy.support.words import statements_phrase

Evaluator = Callable[[object, object], bool]
Operand = Callable[[object, object], tuple]


_ORDER = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
_ORDERED = ("number", "date", "duration")
_CATEGORY_WORDS = {"name": "a name", "number": "a number", "date": "a date",
                   "duration": "a duration", "boolean": "yes or no"}


@dataclass(unsafe_hash=True)
class Definition:
    """A named condition (`definitions:` in a pack), referred to as `$name`."""

    name: str
    tree: object
    select: str | None  # the statements it is about; None: whatever the rule selects
    description: str
    pack: str
    location: object  # where its condition is written (packs.Location)


class DefinitionError(Exception):
    """A definition that cannot be compiled for the statements it was used on."""

    def __init__(self, definition: Definition, kind: str, error: ConditionError):
        super().__init__(error.message)
        self.definition = definition
        self.kind = kind
        self.error = error


class Compiler:
    def __init__(self, taxonomy: Taxonomy, definitions: dict[str, Definition]):
        self.taxonomy = taxonomy
        self.definitions = definitions
        self._compiled: dict[tuple[str, str], Evaluator] = {}

    # -- conditions

    def selecting(self, tree, kinds: tuple[str, ...]) -> Evaluator:
        """An evaluator for `tree` on statements of any of `kinds` (a rule's `select`)."""
        if len(kinds) == 1:
            return self.condition(tree, kinds[0])
        table = {}
        absent: list[dict[int, str]] = []
        for kind in kinds:
            missing: dict[int, str] = {}
            table[kind] = self.condition(tree, kind, missing)
            absent.append(missing)
        refuse_unknown_everywhere(absent, kinds)
        return lambda node, index: table[node.kind](node, index)

    def condition(self, tree, kind: str, absent: dict[int, str] | None = None) -> Evaluator:
        """An evaluator for `tree` on statements of `kind`; ConditionError if it cannot be.

        With `absent` (a rule that selects several kinds), a path whose first
        step `kind` does not have is missing rather than an error, and is
        recorded in `absent` by its offset.
        """
        if isinstance(tree, Any):
            return _any_of([self.condition(item, kind, absent) for item in tree.items])
        if isinstance(tree, All):
            return _all_of([self.condition(item, kind, absent) for item in tree.items])
        if isinstance(tree, Not):
            item = self.condition(tree.item, kind, absent)
            return lambda node, index: not item(node, index)
        if isinstance(tree, Constant):
            value = tree.value
            return lambda node, index: value
        if isinstance(tree, Presence):
            path = self._path(tree.path, kind, absent)
            if path is None:  # missing on this kind
                return lambda node, index: not tree.present
            values = path.values
            if tree.present:
                return lambda node, index: bool(values(node, index))
            return lambda node, index: not values(node, index)
        if isinstance(tree, Reference):
            return self._reference(tree, kind)
        if isinstance(tree, Match):
            return self._match(tree, kind, absent)
        return self._comparison(tree, kind, absent)

    def definition(self, name: str, kind: str) -> Evaluator:
        """`$name` evaluated on statements of `kind` (compiled once per kind)."""
        key = (name, kind)
        if key not in self._compiled:
            definition = self.definitions[name]
            try:
                self._compiled[key] = _remembered(key, self.condition(definition.tree, kind))
            except ConditionError as error:
                raise DefinitionError(definition, kind, error) from None
        return self._compiled[key]

    def _reference(self, tree: Reference, kind: str) -> Evaluator:
        definition = self.definitions.get(tree.name)
        if definition is None:
            raise no_such_definition(tree, self.definitions)
        about = definition.select
        if about is None or about == kind:
            return self.definition(tree.name, kind)
        if about == "data" and (kind in NAMING_KINDS or kind == "service"):
            # About data, used on a statement that names data: true when it
            # holds for one of the data (for a service: one of its data).
            inner = self.definition(tree.name, "data")
            return _remembered((tree.name, f"{kind} data"), lambda node, index: any(
                inner(data, index) for data in index.named_data(node)))
        if about == "service":
            inner = self.definition(tree.name, "service")
            return lambda node, index: inner(index.service, index)
        raise ConditionError(
            f"'${tree.name}' is about {about} statements and cannot be used on "
            f"{statements_phrase(kind)}", tree.offset)

    # -- operands

    def _path(self, ref: PathRef, kind: str, absent: dict[int, str] | None = None):
        """The checked path; None when `absent` is given and `kind` lacks its first step."""
        try:
            return resolve(kind, ref.text)
        except PathError as error:
            if absent is not None and error.segment == 0:
                absent[ref.offset] = ref.text.split(".")[0]
                return None
            offset = ref.offset + sum(len(part) + 1 for part in ref.text.split(".")[:error.segment])
            raise ConditionError(error.message, offset) from None

    def _operand(self, operand, kind: str, absent=None) -> tuple[Operand | None, PathType | None, tuple]:
        """(values, the path's type or None for a literal, the literal items);
        (None, None, ()) for a path missing on this kind."""
        if isinstance(operand, PathRef):
            path = self._path(operand, kind, absent)
            if path is None:
                return None, None, ()
            type_ = path.type
            if type_.category == "node":
                type_ = PathType("name")
            return path.values, type_, ()
        if isinstance(operand, Count):
            path = self._path(operand.path, kind, absent)
            if path is None:
                return (lambda node, index: (0,)), PathType("number"), ()
            values = path.values
            return (lambda node, index: (len(values(node, index)),)), PathType("number"), ()
        items = operand.items if isinstance(operand, ListLiteral) else (operand,)
        values = tuple(item.value for item in items)
        return (lambda node, index: values), None, items

    # -- comparisons

    def _comparison(self, tree: Comparison, kind: str, absent=None) -> Evaluator:
        subject, subject_type, _ = self._operand(tree.subject, kind, absent)
        object_, object_type, literals = self._operand(tree.object, kind, absent)
        if subject is None or object_ is None:
            # A path this kind does not have: missing, so the comparison is false
            # (its literals are checked on the kinds that have it).
            return lambda node, index: False
        op = tree.operator
        name = _text(tree.subject)
        if op in COMPARATORS and isinstance(tree.object, ListLiteral):
            raise ConditionError(f"'{op}' compares with one value: use 'in' for a list",
                                 tree.offset)
        if op in _ORDER and subject_type.category not in _ORDERED + ("period",):
            raise ConditionError(
                f"'{op}' orders numbers, dates and durations; '{name}' holds "
                f"{subject_type.describe()}", tree.offset)
        if op in ("overlap", "under", "within"):
            return self._taxonomy(tree, subject, subject_type, object_, object_type, literals)
        for literal in literals:
            self._check_literal(literal, subject_type, name, ordering=op in _ORDER)
        if object_type is not None:
            self._check_types(subject_type, object_type, name, tree)
        return _paid(_comparator(op), subject, object_)

    def _check_literal(self, literal: Literal, type_: PathType, name: str, ordering: bool):
        found = category(literal.value)
        allowed = _holds(type_)
        if ordering:
            allowed = allowed & set(_ORDERED)
        if found not in allowed:
            raise ConditionError(
                f"'{name}' holds {type_.describe()} and '{literal.text}' is "
                f"{_CATEGORY_WORDS[found]}: they cannot be compared", literal.offset)
        if found == "name" and type_.checked:
            self._check_term(literal, type_)

    def _check_term(self, literal: Literal, type_: PathType):
        value = literal.value
        if type_.values:
            known = type_.values
            if value in known:
                return
            what = "one of " + ", ".join(known)
        else:
            if self.taxonomy.knows(type_.terms, value):
                return
            known = sorted(self.taxonomy.terms.get(type_.terms, {}))
            what = f"a known term of {type_.terms} (packs add terms with taxonomy:)"
        message = f"'{value}' is not {what}"
        message += did_you_mean(value, known, count=3)
        raise ConditionError(message, literal.offset)

    def _check_types(self, left: PathType, right: PathType, name: str, tree: Comparison):
        if not _holds(left) & _holds(right):
            raise ConditionError(
                f"'{name}' holds {left.describe()} and '{_text(tree.object)}' holds "
                f"{right.describe()}: they cannot be compared", tree.offset)

    def _taxonomy(self, tree, subject, subject_type, object_, object_type, literals) -> Evaluator:
        op = tree.operator
        terms = subject_type.terms or (object_type.terms if object_type else None)
        if terms is None:
            raise ConditionError(
                f"'{op}' compares taxonomy terms, and '{_text(tree.subject)}' holds "
                f"{subject_type.describe()}", tree.offset)
        term_type = PathType("name", terms=terms, checked=True)
        for literal in literals:
            self._check_literal(literal, term_type, _text(tree.subject), ordering=False)
        taxonomy = self.taxonomy
        if object_type is None:  # literal terms: each answer remembered per term
            return _paid(_literal_relation(op, taxonomy, literals, terms), subject, object_)
        if op in ("overlap", "under"):
            relation = taxonomy.overlaps if op == "overlap" else taxonomy.is_under

            def holds(values, targets):  # some value and some target are related
                for value in values:
                    if isinstance(value, str):
                        for target in targets:
                            if isinstance(target, str) and relation(value, target, terms):
                                return True
                return False
        else:
            def holds(values, targets):  # every value is under some target
                return bool(values) and all(
                    isinstance(value, str) and any(
                        isinstance(target, str) and taxonomy.is_under(value, target, terms)
                        for target in targets)
                    for value in values)
        return _paid(holds, subject, object_)

    def _match(self, tree: Match, kind: str, absent=None) -> Evaluator:
        subject, subject_type, _ = self._operand(tree.subject, kind, absent)
        if subject is None:
            compile_regex(tree.pattern, tree.offset)  # still refused if invalid
            return lambda node, index: False
        if subject_type.category != "name":
            raise ConditionError(
                f"'matches' reads text, and '{_text(tree.subject)}' holds "
                f"{subject_type.describe()}", tree.subject.offset)
        regex = compile_regex(tree.pattern, tree.offset)
        search = regex.search
        return lambda node, index: any(
            isinstance(value, str) and search(value) is not None for value in subject(node, index))


def _literal_relation(op: str, taxonomy: Taxonomy, literals, terms: str):
    """`holds(values, targets)` of `_taxonomy` when the targets are literal terms."""
    targets = tuple(literal.value for literal in literals if isinstance(literal.value, str))
    related = taxonomy.relation("under" if op == "within" else op, targets, terms)
    if op == "within":  # every value is under some target
        def holds(values, _targets):
            for value in values:
                if not (isinstance(value, str) and related(value)):
                    return False
            return bool(values)
    else:  # some value is related to some target
        def holds(values, _targets):
            for value in values:
                if isinstance(value, str) and related(value):
                    return True
            return False
    return holds


def _any_of(items: list[Evaluator]) -> Evaluator:
    """`or`: a loop rather than any() over a generator, which costs a frame per
    item; conditions run for every statement of every file."""
    if len(items) == 2:
        first, second = items
        return lambda node, index: first(node, index) or second(node, index)

    def any_of(node, index) -> bool:
        for item in items:
            if item(node, index):
                return True
        return False

    return any_of


def _all_of(items: list[Evaluator]) -> Evaluator:
    """`and`, as `_any_of`."""
    if len(items) == 2:
        first, second = items
        return lambda node, index: first(node, index) and second(node, index)

    def all_of(node, index) -> bool:
        for item in items:
            if not item(node, index):
                return False
        return True

    return all_of


def _remembered(key: tuple[str, str], evaluate: Evaluator) -> Evaluator:
    """`evaluate` (a definition on one kind of statement), worked out once per
    statement of a file: the rules of the built-in packs ask `$gdpr_applies`,
    `$personal_data`… of the same statements again and again.

    A definition depends on nothing but the statement and its service, so the
    answer cannot change. A remembered answer costs no work: the work limit
    bounds what is worked out, and a lookup is not."""
    slot = _slot(key)

    def remembered(node, index) -> bool:
        memo = index.memo
        memo_key = (slot, id(node))
        found = memo.get(memo_key)
        if found is None:
            found = memo[memo_key] = evaluate(node, index)
        return found

    return remembered


# A small number for each remembered definition on a kind: the memo's keys
# then hash two integers, not a tuple of strings.
_SLOTS: dict[tuple[str, str], int] = {}


def _slot(key: tuple[str, str]) -> int:
    return _SLOTS.setdefault(key, -1 - len(_SLOTS))


def no_such_definition(reference: Reference, definitions) -> ConditionError:
    message = f"no definition named '${reference.name}'"
    message += suggesting(suggest(reference.name, sorted(definitions), count=1), sigil="$")
    return ConditionError(message, reference.offset)


def _holds(type_: PathType) -> set[str]:
    """The categories of atoms a path of this type yields (a retention period:
    durations, or the event of `until`)."""
    return {"duration", "name"} if type_.category == "period" else {type_.category}


def _paid(test, subject: Operand, object_: Operand) -> Evaluator:
    """`test(values, targets)` of the two operands, its pairs counted against
    the file's work budget."""

    def evaluate(node, index) -> bool:
        values = subject(node, index)
        targets = object_(node, index)
        index.budget.spend(len(values) * len(targets))
        return test(values, targets)

    return evaluate


def _comparator(op: str):
    if op in ("==", "in"):
        def test(values, targets):
            return any(_same(value, target) for value in values for target in targets)
    elif op == "!=":
        def test(values, targets):
            return bool(values) and bool(targets) and not any(
                _same(value, target) for value in values for target in targets)
    else:
        order = _ORDER[op]

        def test(values, targets):
            return any(
                category(value) == category(target) and category(value) in _ORDERED
                and order(value, target)
                for value in values for target in targets)
    return test


def _same(value, target) -> bool:
    # Equal values first: cheaper, and rarely true (`True == 1` is why categories count).
    return value == target and category(value) == category(target)


def _text(operand) -> str:
    if isinstance(operand, PathRef):
        return operand.text
    if isinstance(operand, Count):
        return f"count({operand.path.text})"
    if isinstance(operand, Literal):
        return operand.text
    return "[…]"
