"""CORE011: an attribute written as an empty list, `[]`.

Rules read an empty list as an attribute not given (the missing-value rule of
docs/rulepacks.md): `categories: []` leaves the data to no rule about
categories, `subjects: []` makes it data about no one, and `regions: []` makes
a statement apply wherever the service does, not nowhere. Fides reads an
empty list of data categories or data subjects the same way, passing the
declaration under every policy rule; `tospolicy import fides` keeps such lists
as written, so that this check points at them.
"""

from __future__ import annotations

from tospolicy.language.model import List
from tospolicy.checks.protocol import WITH_RULES, Hit

# What reading each attribute as not given means, where it may surprise.
CONSEQUENCES = {
    "categories": "no rule about data categories can judge this data",
    "subjects": "the data counts as data about no one, so rules about personal data skip it",
    "regions": "the statement applies in every region the service does",
    "except_regions": "no region is left out of where the statement applies",
    "jurisdictions": "rules apply as if the service named no jurisdiction",
    "purposes": "no rule about purposes can judge this statement",
}

NAME = "empty-lists"
PHASE = WITH_RULES


def hits(declaration, context):
    for item in context.written:
        attribute = item.attribute
        if attribute is None or not isinstance(attribute.value, List) or item.values:
            continue
        consequence = CONSEQUENCES.get(attribute.key, "rules read it as not given")
        yield Hit(attribute.span, f"'{attribute.key}' is an empty list: {consequence}",
                  item.node, item.service)
