"""Broken and hostile rule packs, as `tospolicy check -p PACK` users meet them.

Every problem is one line on stderr, `tospolicy: FILE:LINE:COL: message`,
and the exit code is 2. Hostile packs end in a clear error or a safe result,
quickly and in bounded memory; the subprocess timeout only guards the suite.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_tospolicy

# Hostile packs run with their address space capped: needing more fails the test.
MEMORY = 1024 * 1024 * 1024

DECLARATION = """\
service "Shop" {
  effective: 2024-01-01
  data notes { categories: content.text; subjects: customer }
  use notes for analytics
  share notes with "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab"
  retain notes for 1 year
}
"""

RULE = """\
  - id: T001
    name: the-rule
    severity: error
    summary: A rule.
"""


def pack(body: str, name: str = "broken") -> str:
    return f"pack: {name}\nrules:\n" + body


def run_pack(tmp_path: Path, cli, *packs: tuple[str, str]):
    (tmp_path / "shop.tos").write_text(DECLARATION, encoding="utf-8")
    args = []
    for filename, text in packs:
        (tmp_path / filename).write_text(text, encoding="utf-8")
        args += ["-p", filename]
    return cli("check", *args, "shop.tos")


def errors(result) -> list[str]:
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert result.stdout == ""
    return result.stderr.splitlines()


CASES = {
    "unknown key, with a suggestion": (
        pack(RULE + "    selct: use\n    require: true\n"),
        ["tospolicy: p.yaml:7:5: unknown key 'selct' in rule (did you mean 'select'?)"],
    ),
    "bad severity": (
        pack(RULE.replace("error", "fatal") + "    select: use\n    require: true\n"),
        ["tospolicy: p.yaml:5:15: 'severity' is 'fatal', not one of error, warning, note"],
    ),
    "a select that names no statement kind": (
        pack(RULE + "    select: usage\n    require: true\n"),
        ["tospolicy: p.yaml:7:13: 'select' is 'usage', not one of service, data, use, share, "
         "retain, license, right, never (did you mean 'use'?)"],
    ),
    "at: neither a name nor a list": (
        pack(RULE + "    select: use\n    require: true\n    at: 5\n"),
        ["tospolicy: p.yaml:9:9: 'at' should be a string or a list"],
    ),
    "a select list with a kind that is not one": (
        pack(RULE + "    select: [use, usage]\n    require: true\n"),
        ["tospolicy: p.yaml:7:19: 'select' is 'usage', not one of service, data, use, share, "
         "retain, license, right, never (did you mean 'use'?)"],
    ),
    "a path none of the selected kinds has": (
        pack(RULE + "    select: [use, share]\n    require: consnet == opt_in\n"),
        ["tospolicy: p.yaml:8:14: T001 require, column 1: unknown path 'consnet' for use or share "
         "statements (did you mean 'consent' or 'consent_by' or 'consent_form'?)"],
    ),
    "a term checked on the kind whose path it is": (
        pack(RULE + "    select: [use, share]\n    require: by == first_party or role == nobody\n"),
        ["tospolicy: p.yaml:8:43: T001 require, column 30: 'nobody' is not one of processor, "
         "third_party, affiliate, public, government"],
    ),
    "a message path none of the selected kinds has": (
        pack(RULE + "    select: [use, share]\n    forbid: true\n    message: \"{recipent}\"\n"),
        ["tospolicy: p.yaml:9:16: T001 message, column 2: unknown path 'recipent' for use or share "
         "statements (did you mean 'recipient'?)"],
    ),
    "at: names no attribute of any selected kind": (
        pack(RULE + "    select: [use, share]\n    require: true\n    at: rol\n"),
        ["tospolicy: p.yaml:9:9: 'rol' is not a part or attribute of use or share statements "
         "(did you mean 'role'?)"],
    ),
    "at: a list with an item that is no attribute": (
        pack(RULE + "    select: share\n    require: true\n    at: [sale, purpose]\n"),
        ["tospolicy: p.yaml:9:16: 'purpose' is not a part or attribute of share statements "
         "(did you mean 'purposes'?)"],
    ),
    "a condition that does not parse": (
        pack(RULE + "    select: use\n    require: consent == opt_in adn basis == consent\n"),
        ["tospolicy: p.yaml:8:32: T001 require, column 19: unexpected 'adn': expected one of "
         "'and', 'or', the end of the condition (did you mean 'and'?)"],
    ),
    "a condition in a block scalar points at its own line": (
        pack(RULE + "    select: use\n    require: |\n      consent == opt_in\n"
                    "        and basis == contrat\n"),
        ["tospolicy: p.yaml:10:22: T001 require, column 34: 'contrat' is not one of consent, "
         "contract, legal_obligation, vital_interests, public_task, legitimate_interests "
         "(did you mean 'contract'?)"],
    ),
    "a folded condition points at its own line": (
        pack(RULE + "    select: use\n    require: >\n      consent == opt_in\n"
                    "      and basis === consent\n"),
        ["tospolicy: p.yaml:10:19: T001 require, column 31: unexpected character '=' "
         "('==' compares)"],
    ),
    "escapes: the condition's start, and the column inside it": (
        pack(RULE + '    select: share\n    require: "recipient == \\"x\\" adn true"\n'),
        ["tospolicy: p.yaml:8:14: T001 require, column 18: unexpected 'adn': expected one of "
         "'and', 'or', the end of the condition (did you mean 'and'?)"],
    ),
    "an unknown path, with suggestions": (
        pack(RULE + "    select: use\n    require: consnet == opt_in\n"),
        ["tospolicy: p.yaml:8:14: T001 require, column 1: unknown path 'consnet' for use "
         "statements (did you mean 'consent' or 'consent_by' or 'consent_form'?)"],
    ),
    "an unknown step further down a path": (
        pack(RULE + "    select: use\n    require: exists(data.sources.categries)\n"),
        ["tospolicy: p.yaml:8:34: T001 require, column 21: unknown path 'categries' for data "
         "statements (did you mean 'categories'?)"],
    ),
    "a step past a value": (
        pack(RULE + "    select: use\n    require: exists(consent.strength)\n"),
        ["tospolicy: p.yaml:8:29: T001 require, column 16: 'consent' holds consent terms, which "
         "have no 'strength'"],
    ),
    "an unknown term": (
        pack(RULE + "    select: use\n    forbid: purposes under ai.trainig\n"),
        ["tospolicy: p.yaml:8:28: T001 forbid, column 16: 'ai.trainig' is not a known term of "
         "purposes (packs add terms with taxonomy:) (did you mean 'ai.training' or "
         "'ai.training.generative' or 'ai.training.fine_tuning'?)"],
    ),
    "a date compared with a duration": (
        pack(RULE + "    select: service\n    forbid: effective < 2 years\n"),
        ["tospolicy: p.yaml:8:25: T001 forbid, column 13: 'effective' holds a date and '2 years' "
         "is a duration: they cannot be compared"],
    ),
    "a retention compared with a date": (
        pack(RULE + "    select: data\n    forbid: retention > 2024-01-01\n"),
        ["tospolicy: p.yaml:8:25: T001 forbid, column 13: 'retention' holds a retention period "
         "and '2024-01-01' is a date: they cannot be compared"],
    ),
    "two paths that cannot be compared": (
        pack(RULE + "    select: right\n    forbid: within == {service.effective}\n"),
        ["tospolicy: p.yaml:8:20: T001 forbid, column 8: 'within' holds a duration and "
         "'service.effective' holds a date: they cannot be compared"],
    ),
    "names cannot be ordered": (
        pack(RULE + "    select: use\n    forbid: consent < opt_in\n"),
        ["tospolicy: p.yaml:8:21: T001 forbid, column 9: '<' orders numbers, dates and durations; "
         "'consent' holds consent terms"],
    ),
    "== with a list": (
        pack(RULE + "    select: use\n    forbid: consent == [opt_in]\n"),
        ["tospolicy: p.yaml:8:21: T001 forbid, column 9: '==' compares with one value: use 'in' "
         "for a list"],
    ),
    "overlap needs taxonomy terms": (
        pack(RULE + "    select: share\n    forbid: recipient overlap ai\n"),
        ["tospolicy: p.yaml:8:23: T001 forbid, column 11: 'overlap' compares taxonomy terms, and "
         "'recipient' holds names"],
    ),
    "matches needs text": (
        pack(RULE + "    select: service\n    forbid: effective matches '2024'\n"),
        ["tospolicy: p.yaml:8:13: T001 forbid, column 1: 'matches' reads text, and 'effective' "
         "holds a date"],
    ),
    "a path alone is not a condition": (
        pack(RULE + "    select: share\n    forbid: sale\n"),
        ["tospolicy: p.yaml:8:13: T001 forbid, column 1: 'sale' alone is not a condition: write "
         "exists(sale), or compare it (== yes for a yes/no attribute)"],
    ),
    "an invalid regular expression": (
        pack(RULE + "    select: share\n    forbid: recipient matches '(a'\n"),
        ["tospolicy: p.yaml:8:32: T001 forbid, column 20: invalid regular expression: "
         "missing ): (a"],
    ),
    "a backreference is refused (RE2 has none)": (
        pack(RULE + "    select: share\n    forbid: recipient matches '(a)\\1'\n"),
        ["tospolicy: p.yaml:8:32: T001 forbid, column 20: invalid regular expression: "
         "invalid escape sequence: \\1"],
    ),
    "a message with attribute access": (
        pack(RULE + "    select: use\n    forbid: true\n    message: \"{0.__class__}\"\n"),
        ["tospolicy: p.yaml:9:15: T001 message, column 1: '{0.__class__}' is not a path: a "
         "message substitutes {path} only"],
    ),
    "a message reaching into Python": (
        pack(RULE + "    select: use\n    forbid: true\n"
                    "    message: \"{data.__class__.__init__.__globals__}\"\n"),
        ["tospolicy: p.yaml:9:21: T001 message, column 7: unknown path '__class__' for data "
         "statements"],
    ),
    "a message with a format spec": (
        pack(RULE + "    select: use\n    forbid: true\n    message: \"{data!r:>10}\"\n"),
        ["tospolicy: p.yaml:9:15: T001 message, column 1: '{data!r:>10}' is not a path: a "
         "message substitutes {path} only"],
    ),
    "a lone brace in a message": (
        pack(RULE + "    select: use\n    forbid: true\n    message: \"a } b\"\n"),
        ["tospolicy: p.yaml:9:17: T001 message, column 3: unmatched '}' in message "
         "(write '}}' for a brace)"],
    ),
    "both require and forbid": (
        pack(RULE + "    select: use\n    require: true\n    forbid: false\n"),
        ["tospolicy: p.yaml:3:5: rule T001 needs exactly one of 'require' and 'forbid' "
         "(it has both)"],
    ),
    "at: names no attribute": (
        pack(RULE + "    select: use\n    require: true\n    at: consnet\n"),
        ["tospolicy: p.yaml:9:9: 'consnet' is not a part or attribute of use statements "
         "(did you mean 'consent'?)"],
    ),
    "a case that changes nothing, and one whose condition does not parse": (
        pack(RULE + "    select: use\n    forbid: true\n    cases:\n      - when: true\n"
                    "      - when: consent ==\n        severity: note\n"),
        ["tospolicy: p.yaml:10:9: T001 case 1 sets neither 'severity' nor 'message'",
         "tospolicy: p.yaml:11:25: T001 case 2 when, column 11: the condition ends too early: "
         "expected one of '[', 'count', 'false', 'indefinitely', 'no', 'true', 'yes', '{', a "
         "date, a name, a number, a string"],
    ),
    "an unknown check": (
        pack(RULE + "    check: unknown-term\n"),
        ["tospolicy: p.yaml:7:12: no built-in check named 'unknown-term' (checks: undeclared-data, "
         "unknown-terms, unknown-attributes, value-kinds, duplicate-data, contradicted-never, "
         "derivation-cycles, suppressions, empty-lists, unreadable-texts, quotes, uncovered-topics, "
         "unbound-quotes); did you mean 'unknown-terms'?"],
    ),
    "a check with a condition": (
        pack(RULE + "    check: unknown-terms\n    select: use\n    cases: []\n"),
        ["tospolicy: p.yaml:3:5: rule T001 uses check 'unknown-terms', which takes no 'select', "
         "'cases'"],
    ),
    "an id the parser owns": (
        pack(RULE.replace("T001", "TOS001") + "    select: use\n    require: true\n"),
        ["tospolicy: p.yaml:3:9: rule id 'TOS001' is already used by tospolicy's parser"],
    ),
    "ids and names repeated in one pack": (
        pack(RULE + "    select: use\n    require: true\n" + RULE + "    select: use\n"
             "    require: true\n"),
        ["tospolicy: p.yaml:9:9: rule id 'T001' is already used by p.yaml:3:9",
         "tospolicy: p.yaml:10:11: rule name 'the-rule' is already used by p.yaml:4:11"],
    ),
    "an unknown definition": (
        pack(RULE + "    select: use\n    require: $opt_inn\n"),
        ["tospolicy: p.yaml:8:14: T001 require, column 1: no definition named '$opt_inn' "
         "(did you mean '$opt_in'?)"],
    ),
    "a definition about data, used on a right": (
        pack(RULE + "    select: right\n    forbid: $personal_data\n"),
        ["tospolicy: p.yaml:8:13: T001 forbid, column 1: '$personal_data' is about data "
         "statements and cannot be used on right statements"],
    ),
    "a definition whose paths do not fit the rule's statements": (
        "pack: broken\ndefinitions:\n  trains: purposes overlap ai.training\nrules:\n"
        + RULE + "    select: data\n    forbid: $trains\n",
        ["tospolicy: p.yaml:3:11: $trains (used by T001 on data statements), column 1: unknown "
         "path 'purposes' for data statements (did you mean 'uses'?)"],
    ),
    "a definition that fits no statement": (
        "pack: broken\ndefinitions:\n  odd: purposes overlap ai and categories under content\n",
        ["tospolicy: p.yaml:3:32: $odd (it fits no kind of statement), column 25: unknown path "
         "'categories' for use statements"],
    ),
    "definitions in a cycle": (
        "pack: broken\ndefinitions:\n  a: $b or consent == none\n  b:\n    condition: not $a\n",
        ["tospolicy: p.yaml:3:6: definitions refer to themselves in a cycle: $a -> $b -> $a"],
    ),
    "a definition that refers to itself": (
        "pack: broken\ndefinitions:\n  a: $a\n",
        ["tospolicy: p.yaml:3:6: definitions refer to themselves in a cycle: $a -> $a"],
    ),
    "a definition named twice (here and in the built-in definitions)": (
        "pack: broken\ndefinitions:\n  opt_in: consent == opt_in\n",
        ["tospolicy: p.yaml:3:3: definition '$opt_in' is already defined in {opt_in}"],
    ),
    "a taxonomy term defined twice": (
        "pack: broken\ntaxonomy:\n  purposes:\n    ai.training: { label: Training }\n",
        ["tospolicy: p.yaml:4:5: term 'ai.training' of purposes is already defined by the "
         "built-in taxonomy"],
    ),
    "a taxonomy term under nothing": (
        "pack: broken\ntaxonomy:\n  purposes:\n    acme.voice: { label: Voice }\n"
        "    acme2: { label: Other, parent: acme }\n",
        ["tospolicy: p.yaml:4:5: the term above 'acme.voice', 'acme', is not a term of purposes: "
         "define it too, or give parent:",
         "tospolicy: p.yaml:5:5: its parent, 'acme', is not a term of purposes"],
    ),
    "an unknown taxonomy kind": (
        "pack: broken\ntaxonomy:\n  purpose:\n    x: {}\n",
        ["tospolicy: p.yaml:3:3: 'purpose' is not a valid taxonomy kind (did you mean 'purposes'?)"],
    ),
    "a pack name that is not a name": (
        "pack: Acme Rules\n",
        ["tospolicy: p.yaml:1:7: 'Acme Rules' is not a valid pack name: lower-case words joined "
         "by hyphens, like acme-ai."],
    ),
    "an empty pack": ("", ["tospolicy: p.yaml:1:1: the pack is empty"]),
    "not a mapping": ("- a\n- b\n", ["tospolicy: p.yaml:1:1: the document should be a mapping"]),
    "a repeated YAML key": (
        "pack: broken\npack: again\n",
        ["tospolicy: p.yaml:2:1: key 'pack' appears twice in this mapping (first at line 1)"],
    ),
    "a Python tag": (
        "pack: !!python/object/apply:os.system [echo owned]\n",
        ["tospolicy: p.yaml:1:7: unsupported YAML tag 'tag:yaml.org,2002:python/object/apply:os.system': "
         "only plain data is read"],
    ),
    "a YAML syntax error": (
        "pack: broken\nrules: [\n",
        ["tospolicy: p.yaml:3:1: invalid YAML: while parsing a flow node: did not find expected "
         "node content"],
    ),
    "a pack that is not UTF-8": (
        "pack: caf\udce9\n",
        ["tospolicy: p.yaml:1:1: not UTF-8 text: byte 0xe9"],
    ),
}


@pytest.mark.parametrize("case", sorted(CASES), ids=lambda case: case)
def test_each_pack_problem_has_a_clear_located_message(case, tmp_path, cli, monkeypatch):
    text, expected = CASES[case]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "p.yaml").write_bytes(text.encode("utf-8", "surrogateescape"))
    (tmp_path / "shop.tos").write_text(DECLARATION, encoding="utf-8")
    result = cli("check", "-p", "p.yaml", "shop.tos")
    opt_in = _builtin_opt_in(tmp_path)
    assert errors(result) == [line.replace("{opt_in}", opt_in) for line in expected]


def _relative_builtin(name: str, cwd: Path) -> str:
    from tospolicy.support.paths import display_path
    from tospolicy.support.resources import resource

    return display_path(resource("rules", name), cwd)


def _builtin_opt_in(cwd: Path) -> str:
    """Where the built-in definitions write $opt_in's condition: FILE:LINE:COLUMN."""
    from tospolicy.support.resources import resource

    lines = resource("rules", "definitions.yaml").read_text(encoding="utf-8").splitlines()
    start = lines.index("  opt_in:")
    number = next(n for n in range(start, len(lines)) if lines[n].startswith("    condition: "))
    column = len("    condition: ") + 1
    return f"{_relative_builtin('definitions.yaml', cwd)}:{number + 1}:{column}"


def test_every_problem_of_every_pack_is_reported_at_once(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    first = pack(RULE + "    select: use\n    require: consnet == opt_in\n", "first")
    second = pack(RULE.replace("the-rule", "other-rule") + "    select: use\n"
                  "    require: true\n", "second")
    result = run_pack(tmp_path, cli, ("a.yaml", first), ("b.yaml", second))
    assert errors(result) == [
        "tospolicy: a.yaml:8:14: T001 require, column 1: unknown path 'consnet' for use statements "
        "(did you mean 'consent' or 'consent_by' or 'consent_form'?)",
        "tospolicy: b.yaml:3:9: rule id 'T001' is already used by a.yaml:3:9",
    ]


def test_rule_ids_are_unique_across_packs_builtin_ones_included(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = pack(RULE.replace("T001", "CORE001") + "    select: use\n    require: true\n")
    result = run_pack(tmp_path, cli, ("mine.yaml", text))
    assert result.exit_code == 0  # core is not loaded: no clash
    (tmp_path / "mine.yaml").write_text(text, encoding="utf-8")
    result = cli("check", "-p", "core", "-p", "mine.yaml", "shop.tos")
    core = _relative_builtin("core.yaml", tmp_path)
    assert errors(result) == [
        f"tospolicy: mine.yaml:3:9: rule id 'CORE001' is already used by {core}:12:9"]


def test_two_files_cannot_both_be_the_same_pack(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = pack(RULE + "    select: use\n    require: true\n", "twin")
    other = text.replace("T001", "T002").replace("the-rule", "rule-two")
    result = run_pack(tmp_path, cli, ("a.yaml", text), ("b.yaml", other))
    assert errors(result) == ["tospolicy: b.yaml:1:7: pack name 'twin' is already the name of "
                              "a.yaml"]


def test_naming_one_pack_twice_loads_it_once(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = pack(RULE + "    select: use\n    forbid: true\n")
    (tmp_path / "p.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "shop.tos").write_text(DECLARATION, encoding="utf-8")
    result = cli("check", "-p", "p.yaml", "-p", "./p.yaml", "-p", "core", "-p", "core", "shop.tos")
    assert result.exit_code == 1, result.stderr
    assert result.stdout == "shop.tos:4:3: T001 [error] A rule.\n1 finding (1 error) in 1 file.\n"


@pytest.mark.parametrize("name, message", [
    ("gpdr", "tospolicy: gpdr: no built-in pack named 'gpdr' (built-in packs: {builtins}); did you "
             "mean 'gdpr'?; a pack file is named by its path, like ./gpdr.yaml"),
    ("acme", "tospolicy: acme: no built-in pack named 'acme' (built-in packs: {builtins}); a pack "
             "file is named by its path, like ./acme.yaml"),
    ("cor", "tospolicy: cor: no built-in pack named 'cor' (built-in packs: {builtins}); did you "
            "mean 'core'?; a pack file is named by its path, like ./cor.yaml"),
    ("./missing.yaml", "tospolicy: ./missing.yaml: pack file './missing.yaml' does not exist"),
])
def test_a_pack_that_cannot_be_found(name, message, tmp_path, cli, monkeypatch):
    from tospolicy.packs.loader import builtin_packs

    monkeypatch.chdir(tmp_path)
    (tmp_path / "shop.tos").write_text(DECLARATION, encoding="utf-8")
    result = cli("check", "-p", name, "shop.tos")
    assert errors(result) == [message.format(builtins=", ".join(builtin_packs()))]


# ------------------------------------------------------------ hostile packs

def _alias_bomb() -> str:
    lines = ["pack: bomb", "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, 12):
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


HOSTILE = {
    "a YAML alias bomb": (
        _alias_bomb(),
        ["tospolicy: p.yaml:7:10: the document expands to more than 200000 values "
         "(aliases repeating aliases?)"],
    ),
    "10,000 nested parentheses": (
        pack(RULE + "    select: use\n    require: \"" + "(" * 10_000 + "consent == opt_in"
             + ")" * 10_000 + "\"\n"),
        ["tospolicy: p.yaml:8:115: T001 require, column 101: brackets are nested more than 100 "
         "levels deep"],
    ),
    "10,000 nested lists": (
        pack(RULE + "    select: use\n    require: \"consent in " + "[" * 10_000 + "]" * 10_000
             + "\"\n"),
        ["tospolicy: p.yaml:8:126: T001 require, column 112: brackets are nested more than 100 "
         "levels deep"],
    ),
    "200 nested nots": (
        pack(RULE + "    select: use\n    require: \"" + "not " * 200 + "consent == opt_in\"\n"),
        ["tospolicy: p.yaml:8:415: T001 require, column 401: condition is nested more than 100 "
         "levels deep"],
    ),
    "a 50,000 character condition": (
        pack(RULE + "    select: use\n    require: \"" + " or ".join(["consent == opt_in"] * 2500)
             + "\"\n"),
        ["tospolicy: p.yaml:8:15: T001 require, column 1: condition is longer than 20000 characters"],
    ),
    "a chain of 150 definitions": (
        "pack: chain\ndefinitions:\n  d0: consent == opt_in\n"
        + "".join(f"  d{n}: not $d{n - 1}\n" for n in range(1, 150)),
        ["tospolicy: p.yaml:53:8: $d50, with the definitions it refers to, is nested more than "
         "100 levels deep"],
    ),
    "YAML nested 200 levels deep": (
        "pack: deep\nx: " + "[" * 200 + "]" * 200 + "\n",
        ["tospolicy: p.yaml:2:103: nested more than 100 levels deep"],
    ),
}


@pytest.mark.parametrize("case", sorted(HOSTILE), ids=lambda case: case)
def test_hostile_packs_end_in_a_clear_error(case, tmp_path):
    text, expected = HOSTILE[case]
    (tmp_path / "p.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "shop.tos").write_text(DECLARATION, encoding="utf-8")
    result = run_tospolicy("check", "-p", "p.yaml", "shop.tos", cwd=tmp_path, timeout=60,
                           max_memory=MEMORY)
    assert result.exit_code == 2, result.stderr
    assert result.stderr.splitlines()[:len(expected)] == expected
    assert "Traceback" not in result.stderr


def test_a_catastrophic_backtracking_regex_runs_in_linear_time(tmp_path):
    """`^(a+)+$` against a's ending in b takes 2^n steps in a backtracking engine."""
    text = pack(RULE + "    select: share\n    forbid: recipient matches '^(a+)+$'\n"
                       "    message: \"{recipient}\"\n")
    declaration = ('service "Shop" {\n  data x\n'
                   '  share x with "' + "a" * 50_000 + 'b"\n'
                   '  share x with "' + "a" * 5_000 + '"\n}\n')
    (tmp_path / "p.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "shop.tos").write_text(declaration, encoding="utf-8")
    result = run_tospolicy("check", "-p", "p.yaml", "shop.tos", cwd=tmp_path, timeout=60,
                           max_memory=MEMORY)
    assert result.stderr == ""
    assert result.stdout.splitlines() == [  # the message is cut at 2,000 characters
        "shop.tos:4:3: T001 [error] " + "a" * 1_999 + "…",
        "1 finding (1 error) in 1 file.",
    ]


def test_work_that_explodes_ends_in_one_finding(tmp_path):
    """A path that multiplies (each step reaching hundreds of data) on a long
    derived_from chain: the file's work budget (5,000,000 steps and 500 a statement)
    stops it with a TOS002 finding."""
    lines = ['service "S" {', "  data d0"]
    lines += [f"  data d{n} {{ derived_from: d{n - 1} }}" for n in range(1, 400)]
    (tmp_path / "chain.tos").write_text("\n".join(lines) + "\n}\n", encoding="utf-8")
    (tmp_path / "p.yaml").write_text(pack(
        RULE + "    select: data\n"
               "    forbid: count(derivatives.sources.derivatives.sources) > 1000000\n"),
        encoding="utf-8")
    result = run_tospolicy("check", "-p", "p.yaml", "chain.tos", cwd=tmp_path, timeout=60,
                           max_memory=MEMORY)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "chain.tos:1:1: TOS002 [error] checking this declaration takes more work than the limit "
        "of 5200000 steps (paths reaching too many statements, or too many statements to "
        "compare); the rules were not checked",
        "1 finding (1 error) in 1 file.",
    ]


def test_a_pack_cannot_write_lines_of_its_own_to_the_ci_log(tmp_path, cli, monkeypatch):
    """A key or value quoted in a message stays on the message's line, with
    control characters escaped: no `::command::` of its own, no terminal codes."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "shop.tos").write_text(DECLARATION, encoding="utf-8")
    (tmp_path / "p.yaml").write_text(
        'pack: evil\n"x\\n::error title=pwned::owned\\u202e\\u001b[2J": 1\n', encoding="utf-8")
    (tmp_path / "q.yaml").write_text("pack: q\nrules: [\x1f]\n", encoding="utf-8")
    result = cli("check", "-p", "p.yaml", "-p", "q.yaml", "shop.tos")
    assert errors(result) == [
        "tospolicy: p.yaml:2:1: unknown key 'x\\x0a::error title=pwned::owned\\u202e\\x1b[2J' "
        "in pack",
        "tospolicy: q.yaml:2:9: invalid YAML: character U+001F is not allowed",
    ]


def test_schema_patterns_match_in_linear_time(tmp_path):
    """`^[A-Z][A-Z0-9_]*[0-9]+$` on an id of a million digits ending in a
    letter backtracked quadratically in Python's re (80,000 digits took a
    minute; a million, hours); the schema's patterns now run on RE2, and the
    value is quoted cut short."""
    (tmp_path / "p.yaml").write_text(pack(RULE.replace("T001", "A" + "1" * 1_000_000 + "a")
                                          + "    select: use\n    require: true\n"),
                                     encoding="utf-8")
    (tmp_path / "shop.tos").write_text(DECLARATION, encoding="utf-8")
    result = run_tospolicy("check", "-p", "p.yaml", "shop.tos", cwd=tmp_path, timeout=60,
                           max_memory=MEMORY)
    assert result.exit_code == 2
    assert result.stderr == ("tospolicy: p.yaml:3:9: 'A" + "1" * 78 + "…' is not a valid rule "
                             "id: capital letters and digits ending in a number, like ACME001.\n")


def test_a_missing_key_is_reported_once(tmp_path, cli, monkeypatch):
    """Two branches of the pack schema both miss `name` and `summary`: one line each."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "p.yaml").write_text(
        "pack: p\nrules:\n  - id: T001\n    severity: note\n    select: use\n    forbid: true\n",
        encoding="utf-8")
    (tmp_path / "a.tos").write_text('service "S" {\n  data d\n}\n', encoding="utf-8")
    result = cli("check", "-p", "p.yaml", "a.tos")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "tospolicy: p.yaml:3:5: missing key 'name' in rule",
        "tospolicy: p.yaml:3:5: missing key 'summary' in rule",
    ]
