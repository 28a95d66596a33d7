""""Did you mean …?" for the words newcomers get wrong in a declaration.

Check (CORE001–CORE004) and the language server's quick fixes ask here, so
both suggest the same words. A word is looked up, in order:

1. in the synonyms table `rules/suggestions.yaml` (`purpose` → `purposes`,
   `lawful_basis` → `basis`, `delete` → `erasure`), keeping only targets
   valid where the word was written;
2. as it would be spelt with `_` for `-` and spaces, in lower case, and with
   or without a final `s` (`opt-in` → `opt_in`, `category` → `categories`
   is in the table, `subject` → `subjects` is found here);
3. among the closest spellings (support/suggest.py: a word differing only in
   case, then difflib's ratio of 0.6 or more), or, when
   none is that close, the options it abbreviates (`comms` →
   `communications`: its letters in order, the same first letter).

The first suggestion is the finding's `fix` (findings.py).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable

from tospolicy.support.suggest import close_matches

_SEPARATORS = re.compile(r"[-\s]+")


@lru_cache(maxsize=1)
def synonyms() -> dict:
    """The tables of `rules/suggestions.yaml`."""
    from tospolicy.support.cache import shipped_data
    from tospolicy.support.yamlsource import read_yaml

    return shipped_data("suggestions.yaml", lambda path: read_yaml(path).data)


def suggest(word: str, options: Iterable[str], table: str | None = None,
            key: str | None = None, count: int = 3, closest=None) -> list[str]:
    """Up to `count` of `options` that `word` most likely means, best first.

    `table` names the synonyms to look in (`attributes`, `rights`, `purposes`,
    `values`; for `values`, `key` is the attribute). `closest(word)` replaces
    step 3 (the taxonomy has its own for dotted terms)."""
    options = [str(option) for option in options]
    known = set(options)
    found: list[str] = []
    entries = synonyms().get(table) or {} if table else {}
    if table == "values":
        entries = entries.get(key) or {}
    lowered = word.lower()
    found += [target for target in entries.get(lowered, ()) if target in known]
    spelt = _SEPARATORS.sub("_", lowered)
    for candidate in (spelt, spelt + "s", spelt[:-1] if spelt.endswith("s") else ""):
        if candidate and candidate != word and candidate in known:
            found.append(candidate)
    if closest is not None:
        found += closest(word)
    else:
        found += close_matches(word, options, count)
    if not found:
        found += sorted((option for option in options if _abbreviates(lowered, option)),
                        key=lambda option: (len(option), option))
    return list(dict.fromkeys(option for option in found if option != word))[:count]


def _abbreviates(word: str, option: str) -> bool:
    """`comms` abbreviates `communications`: same first letter, its letters in order."""
    if len(word) < 3 or len(word) >= len(option) or option[0].lower() != word[0]:
        return False
    letters = iter(option.lower())
    return all(char in letters for char in word)
