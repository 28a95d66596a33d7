"""The declaration model: what a `.tos` file says, as plain dataclasses.

The parser builds these directly (there is no parse tree). Every statement,
attribute and value carries the `Span` it was written at, so that a finding
can point at exactly the words it is about. The model keeps what was written;
whether an attribute or a term is known is for the `core` rule pack to say.

Nothing changes a model once the parser has built it, yet the classes are
not frozen: a frozen dataclass sets each field through `object.__setattr__`,
and a large file makes a million spans and names, so that frozen classes made
a parse about 30% slower (and take twice as long to create at start-up). They
hash by value all the same (`unsafe_hash`, safe here because nothing assigns
to them), as frozen ones did.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import ClassVar, Union


@dataclass(slots=True, unsafe_hash=True)
class Span:
    """A stretch of a file: lines from 1, columns in Unicode code points from 1.

    The end column is exclusive (the column after the last character), as
    SARIF regions and most editors expect.
    """

    file: str
    line: int
    column: int
    end_line: int
    end_column: int

    def to(self, other: Span) -> Span:
        """The span from the start of this one to the end of `other`."""
        return Span(self.file, self.line, self.column, other.end_line, other.end_column)

    @classmethod
    def file_start(cls, file: str) -> Span:
        """The first character of a file: where a finding about the whole file points."""
        return cls(file, 1, 1, 1, 1)


# ---------------------------------------------------------------- values

@dataclass(slots=True, unsafe_hash=True)
class Name:
    """A bare word or dotted taxonomy term: `opt_in`, `ai.training`."""

    value: str
    span: Span
    kind: ClassVar[str] = "name"


@dataclass(slots=True, unsafe_hash=True)
class Text:
    """A double-quoted string, escapes decoded."""

    value: str
    span: Span
    kind: ClassVar[str] = "text"


@dataclass(slots=True, unsafe_hash=True)
class Number:
    value: int | float
    span: Span
    kind: ClassVar[str] = "number"


@dataclass(slots=True, unsafe_hash=True)
class Boolean:
    """`yes`/`true` or `no`/`false`."""

    value: bool
    span: Span
    kind: ClassVar[str] = "boolean"


@dataclass(slots=True, unsafe_hash=True)
class Date:
    value: datetime.date
    span: Span
    kind: ClassVar[str] = "date"


# Durations compare by length in days. A month and a year have no fixed length,
# so we use the Julian year (365.25 days) and a twelfth of it for a month: then
# 12 months equal 1 year exactly, and `24 months <= 2 years` holds as people
# expect. Documented in docs/language.md.
DAYS_PER_UNIT = {
    "hour": 1 / 24,
    "day": 1.0,
    "week": 7.0,
    "month": 365.25 / 12,
    "year": 365.25,
}


@dataclass(slots=True, unsafe_hash=True)
class Duration:
    """A number and a unit (`30 days`); `unit` is singular whatever was written."""

    amount: int | float
    unit: str
    span: Span
    kind: ClassVar[str] = "duration"

    @property
    def days(self) -> float:
        return self.amount * DAYS_PER_UNIT[self.unit]

    def __str__(self) -> str:
        amount = self.amount
        return f"{amount} {self.unit}{'' if amount == 1 else 's'}"


@dataclass(slots=True, unsafe_hash=True)
class List:
    """`a, b, c` after a key, or `[a, b, c]` (`bracketed`)."""

    items: tuple[Scalar, ...]
    span: Span
    bracketed: bool
    kind: ClassVar[str] = "list"


Scalar = Union[Name, Text, Number, Boolean, Date, Duration]
Value = Union[Scalar, List]


def items_of(value: Value | None) -> tuple[Scalar, ...]:
    """A value as a tuple of scalars: a list's items, a scalar alone, or nothing."""
    if value is None:
        return ()
    if isinstance(value, List):
        return value.items
    return (value,)


@dataclass(slots=True, unsafe_hash=True)
class Attribute:
    """`key: value` inside a service or a statement's braces."""

    key: str
    key_span: Span
    value: Value
    span: Span


# ------------------------------------------------------------ statements

class _HasAttributes:
    """Lookup shared by services and statements (attributes keep source order)."""

    __slots__ = ()
    attributes: tuple[Attribute, ...]

    def attribute(self, key: str) -> Attribute | None:
        """The first attribute named `key`; `core` reports any repetition."""
        for attribute in self.attributes:
            if attribute.key == key:
                return attribute
        return None

    def value(self, key: str) -> Value | None:
        attribute = self.attribute(key)
        return attribute.value if attribute else None


def _names(names: tuple[Name, ...]) -> str:
    return ", ".join(name.value for name in names)


@dataclass(slots=True, unsafe_hash=True)
class Data(_HasAttributes):
    """`data NAME ["Label"] { … }`: a named set of data the service holds."""

    name: Name
    label: Text | None
    attributes: tuple[Attribute, ...]
    span: Span
    kind: ClassVar[str] = "data"

    @property
    def data(self) -> tuple[Name, ...]:
        return (self.name,)

    @property
    def identity(self) -> str:
        return f"data {self.name.value}"


@dataclass(slots=True, unsafe_hash=True)
class Use(_HasAttributes):
    """`use DATA, … for PURPOSE, … { … }`."""

    data: tuple[Name, ...]
    purposes: tuple[Name, ...]
    attributes: tuple[Attribute, ...]
    span: Span
    kind: ClassVar[str] = "use"

    @property
    def identity(self) -> str:
        return f"use {_names(self.data)} for {_names(self.purposes)}"


@dataclass(slots=True, unsafe_hash=True)
class Share(_HasAttributes):
    """`share DATA, … with RECIPIENT { … }` (a string or a name)."""

    data: tuple[Name, ...]
    recipient: Name | Text
    attributes: tuple[Attribute, ...]
    span: Span
    kind: ClassVar[str] = "share"

    @property
    def identity(self) -> str:
        return f"share {_names(self.data)} with {self.recipient.value}"


@dataclass(slots=True, unsafe_hash=True)
class Retain(_HasAttributes):
    """`retain DATA, … (for DURATION | indefinitely | until EVENT) [after EVENT]`.

    Exactly one of `duration` and `until` is set, or neither for `indefinitely`.
    """

    data: tuple[Name, ...]
    duration: Duration | None
    until: Name | None
    after: Name | None
    attributes: tuple[Attribute, ...]
    span: Span
    kind: ClassVar[str] = "retain"

    @property
    def indefinitely(self) -> bool:
        return self.duration is None and self.until is None

    @property
    def identity(self) -> str:
        return f"retain {_names(self.data)}"


@dataclass(slots=True, unsafe_hash=True)
class License(_HasAttributes):
    """`license DATA, … to GRANTEE { … }`: a licence users grant over their data."""

    data: tuple[Name, ...]
    grantee: Name | Text
    attributes: tuple[Attribute, ...]
    span: Span
    kind: ClassVar[str] = "license"

    @property
    def identity(self) -> str:
        return f"license {_names(self.data)} to {self.grantee.value}"


@dataclass(slots=True, unsafe_hash=True)
class Right(_HasAttributes):
    """`right RIGHT { … }`: a right the people concerned can exercise."""

    right: Name
    attributes: tuple[Attribute, ...]
    span: Span
    kind: ClassVar[str] = "right"

    @property
    def data(self) -> tuple[Name, ...]:
        return ()

    @property
    def identity(self) -> str:
        return f"right {self.right.value}"


@dataclass(slots=True, unsafe_hash=True)
class Never(_HasAttributes):
    """`never DATA, … for PURPOSE, …`: a commitment not to use data that way."""

    data: tuple[Name, ...]
    purposes: tuple[Name, ...]
    attributes: tuple[Attribute, ...]
    span: Span
    kind: ClassVar[str] = "never"

    @property
    def identity(self) -> str:
        return f"never {_names(self.data)} for {_names(self.purposes)}"


Statement = Union[Data, Use, Share, Retain, License, Right, Never]
STATEMENT_KINDS = ("data", "use", "share", "retain", "license", "right", "never")


@dataclass(slots=True, unsafe_hash=True)
class Service(_HasAttributes):
    """`service "Name" { … }`: its own attributes and its statements in source order."""

    name: Text
    attributes: tuple[Attribute, ...]
    statements: tuple[Statement, ...]
    span: Span
    kind: ClassVar[str] = "service"

    @property
    def identity(self) -> str:
        return f"service {self.name.value}"


@dataclass(slots=True, unsafe_hash=True)
class Comment:
    """A `# …` comment, kept for inline suppressions."""

    text: str
    span: Span
    # Nothing but blanks before it on its line: a suppression written so
    # covers the line below as well.
    alone: bool = False


@dataclass(slots=True, unsafe_hash=True)
class Declaration:
    """One parsed `.tos` file."""

    path: str
    services: tuple[Service, ...]
    comments: tuple[Comment, ...]
