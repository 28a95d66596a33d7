"""Hypothesis strategies for the fuzz suite: the inputs a pull request controls.

Each input language has a generator of valid text built from its grammar
(declarations, conditions, rule packs, configuration files) and mutations
that break it the ways real edits and attackers do: truncation, inserted
bytes and unicode, tokens dropped, swapped or duplicated, values of the
wrong type. Vocabularies come from the real taxonomy and attribute table so
that generated input reaches the rules, not only the parser.

`FUZZ_EXAMPLES` (environment `TOSPOLICY_FUZZ_EXAMPLES`) sets how many
examples every fuzz test runs; without it each test runs its CI-sized
default (see SECURITY.md for the deep run).
"""

from __future__ import annotations

import os
from functools import lru_cache

import yaml
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from tospolicy.language.attributes import SELECTABLE_KINDS, attribute_table
from tospolicy.language.literals import encode_string
from tospolicy.conditions.paths import steps_of
from tospolicy.language.taxonomy import builtin_taxonomy

_CONFIGURED = os.environ.get("TOSPOLICY_FUZZ_EXAMPLES")


def fuzz_settings(default: int):
    """Settings of one fuzz test: `default` examples in the normal run, or
    TOSPOLICY_FUZZ_EXAMPLES of them in a deep run.

    The normal run draws the same examples every time, so that the suite
    passes or fails on the code, not on the draw (a failure found by chance
    would block an unrelated change); a deep run draws new ones each time."""
    return settings(
        max_examples=int(_CONFIGURED) if _CONFIGURED else default,
        derandomize=not _CONFIGURED,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                               HealthCheck.filter_too_much, HealthCheck.function_scoped_fixture],
    )


# ----------------------------------------------------------- vocabularies

KEYWORDS = ("service data use never for share with retain indefinitely until after license "
            "to right").split()
# Terms as a declaration can write them (the purpose `service` is a keyword:
# only the terms below it can be written).
TERMS = {kind: sorted(term for term in terms if term not in KEYWORDS)
         for kind, terms in builtin_taxonomy().terms.items()}
ALL_TERMS = sorted({term for terms in TERMS.values() for term in terms})
ATTRIBUTES = {kind: sorted(spec.attributes) for kind, spec in attribute_table().items()}
ALL_ATTRIBUTES = sorted({key for keys in ATTRIBUTES.values() for key in keys})
UNITS = ["hour", "hours", "day", "days", "week", "weeks", "month", "months", "year", "years"]
PATHS = {kind: sorted(steps_of(kind)) for kind in SELECTABLE_KINDS}

# Text that has broken tools before: controls, separators, bidi overrides,
# surrogate-pair halves as escapes, workflow commands, markup.
NASTY = [
    "\x00", "\x07", "\x1b[31m", "\r", "\n", "\r\n", "\t", "\x0b", "\x0c", "\x85", "\u2028",
    "\u2029", "\u202e", "\u200b", "\ufeff", "\ufffd", "\U0001f600", "é", "ß", "𝔘", "\\", '"',
    "'", "#", "%", "%0A", "%25", "::", "::error::x", "::set-output name=x::y", "::add-mask::s",
    "<img src=x onerror=alert(1)>", "[l](javascript:alert(1))", "| a | b |", "`", "```", "*",
    "_", "@here", "${{ github.token }}", "$(id)", "{", "}", "[", "]", "(", ")", ":", ",", ";",
    "\\u", "\\ud800", "\\udc00\\ud800", "\\x", "0", "-1", "1e999", "2024-02-30", "9999-99-99",
]


def _word(alphabet: str = "abcdefghijklmnopqrstuvwxyz_", max_size: int = 8):
    first = st.sampled_from("abcdefghijklmnopqrstuvwxyz_")
    rest = st.text(alphabet + "0123456789", max_size=max_size - 1)
    return st.builds(lambda a, b: a + b, first, rest)


WORD = _word().filter(lambda word: word not in KEYWORDS)
NAME = st.one_of(WORD, st.lists(WORD, min_size=2, max_size=3).map(".".join))
TERM = st.one_of(st.sampled_from(ALL_TERMS), NAME)
NASTY_TEXT = st.lists(st.one_of(st.sampled_from(NASTY), st.text(max_size=4)), max_size=4).map("".join)
# Text from anywhere, lone surrogates included: what Python code can hold.
ANY_TEXT = st.one_of(st.text(max_size=20), NASTY_TEXT,
                     st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF), max_size=12))


quoted = encode_string


STRING = st.one_of(st.text(max_size=12), NASTY_TEXT).map(quoted)


# ------------------------------------------------------------ declarations

@st.composite
def _date(draw) -> str:
    date = draw(st.dates())
    return f"{date.year:04d}-{date.month:02d}-{date.day:02d}"


@lru_cache(maxsize=None)
def _atom(kind: str, key: str):
    terms = TERMS.get({"categories": "categories", "purposes": "purposes", "regions": "regions",
                       "jurisdictions": "regions", "subjects": "subjects",
                       "consent": "consent"}.get(key, ""), [])
    choices = [st.builds(lambda n, u: [str(n), u], st.integers(0, 400), st.sampled_from(UNITS)),
               STRING.map(lambda s: [s]), NAME.map(lambda s: [s]), _date().map(lambda s: [s]),
               st.integers(0, 10**6).map(lambda n: [str(n)]),
               st.sampled_from(["yes", "no", "true", "false"]).map(lambda s: [s])]
    if terms:
        choices.insert(0, st.sampled_from(terms).map(lambda s: [s]))
    return st.one_of(*choices)


@lru_cache(maxsize=None)
def _keys(kind: str):
    keys = ATTRIBUTES.get(kind, []) or ALL_ATTRIBUTES
    return st.one_of(st.sampled_from(keys), st.sampled_from(keys), WORD)


@lru_cache(maxsize=None)
def _term_lists(kind: str):
    return st.lists(st.one_of(st.sampled_from(TERMS[kind]), NAME), min_size=1, max_size=3)


@st.composite
def _value(draw, kind: str, key: str) -> list[str]:
    atoms = draw(st.lists(_atom(kind, key), min_size=1, max_size=3))
    if len(atoms) > 1 or draw(st.booleans()):
        if draw(st.booleans()):
            tokens = ["["]
            for number, atom in enumerate(atoms):
                tokens += ([","] if number else []) + atom
            return tokens + ["]"]
    tokens = []
    for number, atom in enumerate(atoms):
        tokens += ([","] if number else []) + atom
    return tokens


@st.composite
def _attributes(draw, kind: str) -> list[str]:
    tokens = []
    for _ in range(draw(st.integers(0, 3))):
        key = draw(_keys(kind))
        tokens += [key, ":", *draw(_value(kind, key))]
        if draw(st.booleans()):
            tokens.append(";")
    return tokens


def _names(draw, names: tuple[str, ...]) -> list[str]:
    chosen = draw(st.lists(st.sampled_from(names), min_size=1, max_size=3))
    tokens = []
    for number, name in enumerate(chosen):
        tokens += ([","] if number else []) + [name]
    return tokens


def _terms(draw, kind: str) -> list[str]:
    chosen = draw(_term_lists(kind))
    tokens = []
    for number, term in enumerate(chosen):
        tokens += ([","] if number else []) + [term]
    return tokens


@st.composite
def _statement(draw, data_names: list[str]) -> tuple[str, list[str]]:
    kind = draw(st.sampled_from(["data", "use", "share", "retain", "license", "right", "never"]))
    if kind == "data":
        tokens = ["data", draw(st.sampled_from(data_names))]
        if draw(st.booleans()):
            tokens.append(draw(STRING))
    elif kind in ("use", "never"):
        tokens = [kind, *_names(draw, data_names), "for", *_terms(draw, "purposes")]
    elif kind in ("share", "license"):
        party = draw(st.one_of(STRING, WORD))
        tokens = [kind, *_names(draw, data_names), "with" if kind == "share" else "to", party]
    elif kind == "retain":
        tokens = ["retain", *_names(draw, data_names)]
        period = draw(st.sampled_from(["for", "indefinitely", "until"]))
        if period == "for":
            tokens += ["for", str(draw(st.integers(0, 400))), draw(st.sampled_from(UNITS))]
        elif period == "until":
            tokens += ["until", draw(st.one_of(st.sampled_from(TERMS["events"]), NAME))]
        else:
            tokens.append("indefinitely")
        if draw(st.booleans()):
            tokens += ["after", draw(st.one_of(st.sampled_from(TERMS["events"]), NAME))]
    else:
        tokens = ["right", draw(st.one_of(st.sampled_from(TERMS["rights"]), WORD))]
    if draw(st.booleans()):
        tokens += ["{", *draw(_attributes(kind)), "}"]
    if draw(st.integers(0, 3)) == 0:
        tokens.append(";")
    return kind, tokens


@st.composite
def declaration_tokens(draw) -> tuple[list[list[str]], list[str]]:
    """A valid declaration as tokens, with the statement kinds of each service."""
    data_names = tuple(draw(st.lists(WORD, min_size=1, max_size=4, unique=True)))
    kinds, tokens = [], []
    for number in range(draw(st.integers(1, 3))):
        tokens += ["service", draw(STRING), "{", *draw(_attributes("service"))]
        service_kinds = []
        for _ in range(draw(st.integers(0, 6))):
            kind, statement = draw(_statement(data_names))
            service_kinds.append(kind)
            tokens += statement
            if draw(st.integers(0, 5)) == 0:
                tokens.append("# tospolicy: ignore[" + draw(st.sampled_from(
                    ["CORE002", "CORE006, AI001", "", "X"])) + "] " + draw(st.text("ab #", max_size=5)))
        tokens.append("}")
        kinds.append(service_kinds)
    return kinds, tokens


def join(tokens: list[str], separators: list[str]) -> str:
    """Tokens joined by whitespace; a comment token always ends its line."""
    out = []
    for number, token in enumerate(tokens):
        separator = separators[number % len(separators)] if separators else " "
        out.append(token)
        out.append("\n" if token.startswith("#") else separator)
    return "".join(out)


SEPARATORS = st.lists(st.sampled_from([" ", "\n", "  ", "\n  ", "\t", "\r\n", " \n\n"]),
                      min_size=1, max_size=4)


@st.composite
def declarations(draw) -> tuple[list[list[str]], str]:
    kinds, tokens = draw(declaration_tokens())
    text = join(tokens, draw(SEPARATORS))
    if draw(st.integers(0, 9)) == 0:
        text = "\ufeff" + text
    return kinds, text


# --------------------------------------------------------------- mutations

@st.composite
def mutated_tokens(draw, tokens: list[str], vocabulary) -> list[str]:
    """Tokens with one to three edits: dropped, duplicated, swapped, replaced, inserted."""
    tokens = list(tokens)
    for _ in range(draw(st.integers(1, 3))):
        operation = draw(st.sampled_from(["drop", "duplicate", "swap", "replace", "insert"]))
        if not tokens:
            tokens = [draw(vocabulary)]
            continue
        index = draw(st.integers(0, len(tokens) - 1))
        if operation == "drop":
            del tokens[index]
        elif operation == "duplicate":
            count = draw(st.integers(1, 3))
            end = min(len(tokens), index + draw(st.integers(1, 4)))
            tokens[end:end] = tokens[index:end] * count
        elif operation == "swap":
            other = draw(st.integers(0, len(tokens) - 1))
            tokens[index], tokens[other] = tokens[other], tokens[index]
        elif operation == "replace":
            tokens[index] = draw(vocabulary)
        else:
            tokens.insert(index, draw(vocabulary))
    return tokens


@st.composite
def mutated_text(draw, text: str) -> str:
    """Text with one to three character-level edits: truncated, inserted text
    (random unicode or nasty pieces), deleted or repeated spans."""
    for _ in range(draw(st.integers(1, 3))):
        operation = draw(st.sampled_from(["truncate", "insert", "delete", "repeat", "nasty"]))
        position = draw(st.integers(0, len(text)))
        if operation == "truncate":
            text = text[:position]
        elif operation == "insert":
            text = text[:position] + draw(st.text(min_size=1, max_size=6)) + text[position:]
        elif operation == "nasty":
            text = text[:position] + draw(st.sampled_from(NASTY)) + text[position:]
        elif operation == "delete":
            text = text[:position] + text[position + draw(st.integers(1, 12)):]
        else:
            end = draw(st.integers(position, min(len(text), position + 40)))
            text = text[:end] + text[position:end] * draw(st.integers(1, 4)) + text[end:]
    return text


@st.composite
def mutated_bytes(draw, data: bytes) -> bytes:
    """Bytes with raw edits: invalid UTF-8, NUL, a BOM, truncation inside a character."""
    for _ in range(draw(st.integers(1, 2))):
        position = draw(st.integers(0, len(data)))
        operation = draw(st.sampled_from(["insert", "truncate", "flip"]))
        if operation == "insert":
            data = data[:position] + draw(st.one_of(
                st.binary(min_size=1, max_size=4),
                st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x00", b"\xef\xbb\xbf",
                                 b"\xf4\x90\x80\x80", b"\xc0\xaf"]))) + data[position:]
        elif operation == "truncate":
            data = data[:position]
        elif data:
            index = min(position, len(data) - 1)
            data = data[:index] + bytes([data[index] ^ draw(st.integers(1, 255))]) + data[index + 1:]
    return data


DECLARATION_VOCABULARY = st.one_of(
    st.sampled_from(KEYWORDS + UNITS + ["{", "}", "[", "]", ":", ",", ";", "#", '"', "yes"]),
    WORD, STRING, st.integers(0, 10**9).map(str), _date(), st.sampled_from(NASTY),
)


@st.composite
def broken_declarations(draw) -> str:
    """A declaration after token-level and then character-level edits (either may be skipped)."""
    _, tokens = draw(declaration_tokens())
    if draw(st.booleans()):
        tokens = draw(mutated_tokens(tokens, DECLARATION_VOCABULARY))
    text = join(tokens, draw(SEPARATORS))
    if draw(st.booleans()):
        text = draw(mutated_text(text))
    return text


# -------------------------------------------------------------- conditions

@lru_cache(maxsize=None)
def _literal_for(kind: str):
    return st.one_of(
        st.sampled_from(ALL_TERMS), WORD, STRING, st.integers(0, 1000).map(str), _date(),
        st.builds(lambda n, u: f"{n} {u}", st.integers(0, 99), st.sampled_from(UNITS)),
        st.sampled_from(["yes", "no", "true", "false", "indefinitely"]),
        st.lists(st.sampled_from(ALL_TERMS), max_size=3).map(lambda items: "[" + ", ".join(items) + "]"),
        st.sampled_from(PATHS[kind]).map(lambda path: "{" + path + "}"),
        st.sampled_from(PATHS[kind]).map(lambda path: f"count({path})"),
    )


@lru_cache(maxsize=None)
def _path_for(kind: str):
    simple = st.sampled_from(PATHS[kind])
    deeper = st.lists(st.sampled_from(sorted({p for paths in PATHS.values() for p in paths})),
                      min_size=2, max_size=4).map(".".join)
    return st.one_of(simple, simple, deeper, WORD)


REGEX = st.lists(st.sampled_from(
    ["a", "b", ".", "*", "+", "?", "(", ")", "(a+)+", "$", "^", "[a-z]", "\\d", "\\", "{2,3}",
     "(?P<x>a)", "(?=a)", "\\1", "[", "|", "é", "{1000}{1000}", "(?i)", "\\p{L}"]),
    max_size=6).map(lambda pieces: "'" + "".join(pieces).replace("'", "") + "'")


@st.composite
def condition_tokens(draw, kind: str, definitions: tuple[str, ...] = (), depth: int = 0) -> list[str]:
    """A condition on statements of `kind`, as tokens (valid by the grammar;
    not necessarily well typed, which the compiler judges)."""
    choice = draw(st.integers(0, 9 if depth < 3 else 5))
    if choice <= 2:
        operator = draw(st.sampled_from(["==", "!=", "<", "<=", ">", ">=", "in", "overlap",
                                         "under", "within"]))
        subject = draw(st.one_of(_path_for(kind), _path_for(kind).map(lambda p: f"count({p})")))
        return [subject, operator, draw(_literal_for(kind))]
    if choice == 3:
        return [draw(_path_for(kind)), "matches", draw(REGEX)]
    if choice == 4:
        return [draw(st.sampled_from(["exists", "missing"])), "(", draw(_path_for(kind)), ")"]
    if choice == 5:
        options = [f"${name}" for name in definitions] + ["true", "false", "$nowhere"]
        return [draw(st.sampled_from(options))]
    if choice == 6:
        return ["not", *draw(condition_tokens(kind, definitions, depth + 1))]
    if choice == 7:
        return ["(", *draw(condition_tokens(kind, definitions, depth + 1)), ")"]
    joiner = draw(st.sampled_from(["and", "or"]))
    left = draw(condition_tokens(kind, definitions, depth + 1))
    right = draw(condition_tokens(kind, definitions, depth + 1))
    return [*left, joiner, *right]


CONDITION_VOCABULARY = st.one_of(
    st.sampled_from(["and", "or", "not", "(", ")", "[", "]", "{", "}", ",", "==", "=", "!",
                     "&&", "in", "matches", "exists", "count", "$", "'", '"', "true", "--"]),
    WORD, STRING, REGEX, st.sampled_from(NASTY), st.integers(0, 99).map(str),
)


@st.composite
def conditions(draw, kind: str | None = None, broken: bool | None = None) -> tuple[str, str]:
    """(kind, condition text): valid by the grammar, or mutated when `broken`."""
    kind = kind or draw(st.sampled_from(SELECTABLE_KINDS))
    tokens = draw(condition_tokens(kind))
    if broken is None:
        broken = draw(st.booleans())
    if broken:
        tokens = draw(mutated_tokens(tokens, CONDITION_VOCABULARY))
    text = " ".join(tokens)
    if broken and draw(st.booleans()):
        text = draw(mutated_text(text))
    return kind, text


# ------------------------------------------------------- packs and configs

SEVERITY = st.sampled_from(["error", "warning", "note"])


@st.composite
def rule_entries(draw, number: int, definitions: tuple[str, ...]) -> dict:
    kind = draw(st.sampled_from(SELECTABLE_KINDS))
    entry = {"id": f"FZ{number:03d}", "name": f"fuzz-rule-{number}", "severity": draw(SEVERITY),
             "summary": draw(st.one_of(st.just("A rule."), NASTY_TEXT.filter(str.strip)))}
    if draw(st.integers(0, 9)) == 0:
        entry["check"] = draw(st.sampled_from(["undeclared_data", "unknown_terms", "nope"]))
        return entry
    entry["select"] = kind
    if draw(st.booleans()):
        entry["where"] = " ".join(draw(condition_tokens(kind, definitions)))
    verdict = draw(st.sampled_from(["require", "forbid"]))
    entry[verdict] = draw(st.one_of(
        st.builds(" ".join, condition_tokens(kind, definitions)), st.booleans()))
    if draw(st.booleans()):
        path = draw(st.sampled_from(PATHS[kind]))
        entry["message"] = draw(st.sampled_from(
            [f"found {{{path}}}", "braces {{ }}", "{nope}", "{", f"{{{path}}} {{service.name}}"]))
    if draw(st.integers(0, 3)) == 0:
        entry["cases"] = [{"when": " ".join(draw(condition_tokens(kind, definitions))),
                           "severity": draw(SEVERITY)}]
    if draw(st.integers(0, 3)) == 0:
        entry["at"] = draw(st.sampled_from(PATHS[kind] + ["nowhere"]))
    return entry


@st.composite
def pack_data(draw) -> dict:
    """A rule pack as data: valid by the schema, conditions from the grammar."""
    names = tuple(draw(st.lists(WORD.filter(lambda w: not w.startswith("_")), max_size=3,
                                unique=True)))
    data: dict = {"pack": draw(st.sampled_from(["fuzz", "fuzz-pack", "f1"]))}
    if names:
        data["definitions"] = {}
        for name in names:
            kind = draw(st.sampled_from(SELECTABLE_KINDS))
            condition = " ".join(draw(condition_tokens(kind, names)))
            if draw(st.booleans()):
                data["definitions"][name] = {"select": kind, "condition": condition}
            else:
                data["definitions"][name] = condition
    if draw(st.integers(0, 3)) == 0:
        data["taxonomy"] = {draw(st.sampled_from(["purposes", "categories", "regions"])): {
            draw(NAME): {"label": draw(st.text(max_size=5)),
                         **({"parent": draw(TERM)} if draw(st.booleans()) else {})}}}
    data["rules"] = [draw(rule_entries(number, names)) for number in range(draw(st.integers(0, 4)))]
    return data


@st.composite
def config_data(draw) -> dict:
    data: dict = {}
    if draw(st.booleans()):
        data["packs"] = draw(st.lists(st.sampled_from(["core", "corr", "./p.yaml", "missing.yaml",
                                                       "/etc/hostname", "../x.yaml"]), max_size=3))
    if draw(st.booleans()):
        data["include"] = draw(st.lists(st.sampled_from(
            ["**/*.tos", "*.tos", "[", "**", "a/**/b", "[z-a]", "**/" * 12 + "x.tos", "a b/#%.tos"]),
            min_size=1, max_size=2))
    if draw(st.booleans()):
        data["exclude"] = draw(st.lists(st.sampled_from(["vendor/**", "[!a]*", "?", "[]", "(*)+"]),
                                        max_size=2))
    if draw(st.booleans()):
        data["rules"] = {draw(st.sampled_from(["CORE002", "CORE006", "AI001", "XX1", "bad"])):
                         draw(st.sampled_from([False, True, "off", "on", {"severity": "note"},
                                               {"severity": "fatal"}, 3]))}
    if draw(st.booleans()):
        data["fail-on"] = draw(st.sampled_from(["error", "warning", "note", "never", "always"]))
    if draw(st.integers(0, 3)) == 0:
        data["baseline"] = draw(st.sampled_from(["baseline.json", "missing/b.json", ""]))
    if draw(st.booleans()):
        data["limits"] = {draw(st.sampled_from(["max-file-bytes", "max-line-length",
                                                "max-nesting-depth", "max-findings-per-file",
                                                "max-anything"])):
                          draw(st.one_of(st.integers(-5, 10**12), st.sampled_from(["1", None, 2.5])))}
    return data


# Values that break a schema's types, for structural mutations.
WRONG_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-10, 10**20), st.floats(allow_nan=True),
    st.text(max_size=8), NASTY_TEXT, st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
)


@st.composite
def mutated_data(draw, data):
    """Data with a structural edit: a key dropped or added, a value of the wrong type."""
    paths = list(_paths(data))
    path = draw(st.sampled_from(paths))
    parent, key = _parent(data, path)
    operation = draw(st.sampled_from(["wrong", "drop", "add", "wrong"]))
    if parent is None:
        return draw(WRONG_VALUES)
    if operation == "wrong":
        parent[key] = draw(WRONG_VALUES)
    elif operation == "drop":
        del parent[key]
    elif isinstance(parent, dict):
        parent[draw(st.one_of(st.text(max_size=8), st.sampled_from(["id", "selct", "<<", "rules"])))] \
            = draw(WRONG_VALUES)
    else:
        parent.append(draw(WRONG_VALUES))
    return data


def _paths(node, path=()):
    yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*path, index))


def _parent(data, path):
    if not path:
        return None, None
    node = data
    for step in path[:-1]:
        node = node[step]
    return node, path[-1]


# Pieces of YAML that make loaders misbehave: anchors, aliases, merges,
# tags that would construct objects, directives, documents, complex keys.
YAML_PIECES = [
    "&a ", "*a", "<<: *a\n", "!!python/object/apply:os.system ['id']", "!!binary aGk=",
    "!custom x", "%YAML 1.1\n---\n", "---\n", "...\n", "? [a, b]\n: c\n", "{a: 1, a: 2}",
    "[[[[", "]]]]", "{", "}", "- ", ": ", "|\n  x\n", ">-\n  y\n", "'", '"', "\\", "\t",
    "key: value\n", "  nested: [1, 2]\n", "!!str", "!!int x", "!!float .nan", "!!timestamp 2024",
    "2024-01-01", "0x1F", "1_000", "~", "null", "yes", "on", "=", "!!set {a, b}",
    "!!omap [a: 1]", "&b [*b]", "*undefined",
]


@st.composite
def yaml_texts(draw, valid) -> str:
    """YAML text: a valid document, mutated by structure or by text, or pieces
    of YAML syntax thrown together."""
    data = draw(valid)
    how = draw(st.sampled_from(["valid", "structure", "text", "pieces", "structure"]))
    if how == "structure":
        data = draw(mutated_data(data))
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False,
                          default_flow_style=draw(st.sampled_from([None, False, True])))
    if how == "text":
        text = draw(mutated_text(text))
        if draw(st.booleans()):
            lines = text.split("\n")
            text = "\n".join(draw(mutated_tokens(lines, st.sampled_from(YAML_PIECES))))
    elif how == "pieces":
        pieces = draw(st.lists(st.one_of(st.sampled_from(YAML_PIECES), st.text(max_size=5)),
                               min_size=1, max_size=12))
        position = draw(st.integers(0, len(text)))
        text = text[:position] + "".join(pieces) + text[position:]
    return text
