"""Values as conditions see them: plain Python, each of one category.

A declaration's typed values (model.py) and a condition's literals both become
*atoms*: `str` for names and strings, `int`/`float` for numbers, `bool`,
`datetime.date`, and `Period` for durations. A path yields a tuple of atoms;
an empty tuple is a missing value.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field

from tospolicy.language.model import Boolean, Date, Duration, Name, Number, Text


@dataclass(frozen=True, order=True)
class Period:
    """A length of time, compared in days; `indefinitely` is longer than any duration.

    Months and years have the lengths of model.DAYS_PER_UNIT (a Julian year,
    365.25 days, and a twelfth of it), so `12 months == 1 year`.
    """

    days: float
    text: str = field(compare=False, default="")

    def __str__(self) -> str:
        return self.text or f"{self.days:g} days"


INDEFINITELY = Period(math.inf, "indefinitely")
ATOM_TYPES = (str, int, float, bool, datetime.date, Period)


def atom(scalar):
    """A model scalar as an atom."""
    if isinstance(scalar, (Name, Text)):
        return scalar.value
    if isinstance(scalar, Duration):
        return Period(scalar.days, str(scalar))
    if isinstance(scalar, (Number, Boolean, Date)):
        return scalar.value
    raise TypeError(f"not a scalar: {scalar!r}")


def category(value) -> str:
    """`name`, `number`, `boolean`, `date` or `duration`: what can be compared with what."""
    if isinstance(value, bool):  # before int: bool is an int in Python
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "name"
    if isinstance(value, Period):
        return "duration"
    if isinstance(value, datetime.date):
        return "date"
    raise TypeError(f"not an atom: {value!r}")


def show(value) -> str:
    """An atom as messages print it."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)
