"""What conditions mean, as a pack author sees it: one rule, one declaration,
`tospolicy check -p probe.yaml`, and the findings that come out.

Each case names the behaviour it pins down: every operator, the missing-value
rule, `any` and `global`, one-way `under` against two-way `overlap`, the
lengths of months and years, derived data, definitions and messages.
"""

from __future__ import annotations

from pathlib import Path

import pytest

PROBE = """\
pack: probe
rules:
  - id: P001
    name: probe
    severity: error
    summary: The probe fired.
"""


def probe(tmp_path: Path, cli, rule: str, declaration: str, *extra: tuple[str, str]) -> list[str]:
    """The findings (`line:col message`) of one rule on one declaration."""
    (tmp_path / "probe.yaml").write_text(PROBE + rule, encoding="utf-8")
    (tmp_path / "d.tos").write_text(declaration, encoding="utf-8")
    args = ["-p", "probe.yaml"]
    for name, text in extra:
        (tmp_path / name).write_text(text, encoding="utf-8")
        args += ["-p", name]
    result = cli("check", *args, "--fail-on", "never", "-q", "d.tos")
    assert result.stderr == "" and result.exit_code == 0, result.stderr
    return [line.split(": ", 1)[0].removeprefix("d.tos:") + " " + line.split("] ", 1)[1]
            for line in result.stdout.splitlines()]


def rule(select: str, verdict: str, where: str | None = None, message: str | None = None,
         at: str | None = None) -> str:
    lines = [f"    select: {select}"]
    if where:
        lines.append(f"    where: {where}")
    lines.append(f"    {verdict}")
    if message:
        lines.append(f"    message: \"{message}\"")
    if at:
        lines.append(f"    at: {at}")
    return "\n".join(lines) + "\n"


def service(*body: str) -> str:
    return 'service "S" {\n' + "".join(f"  {line}\n" for line in body) + "}\n"


USES = service(
    "data notes { categories: content.text; subjects: customer }",   # line 2
    "use notes for any",                                             # 3
    "use notes for ai",                                              # 4
    "use notes for ai.training",                                     # 5
    "use notes for ai.training.generative",                          # 6
    "use notes for analytics",                                       # 7
)

CASES = {
    # The missing-value rule: a comparison with a missing value is false.
    "== with a missing value is false, so require fails": (
        rule("use", "require: consent == opt_in", message="consent is {consent}"),
        service("data n", "use n for analytics", "use n for analytics { consent: opt_in }"),
        ["3:3 consent is unspecified"],
    ),
    "!= with a missing value is false too": (
        rule("use", "forbid: consent != opt_in"),
        service("data n", "use n for analytics", "use n for analytics { consent: opt_out }"),
        ["4:3 The probe fired."],
    ),
    "not of a comparison with a missing value is true": (
        rule("use", "forbid: not consent == opt_in"),
        service("data n", "use n for analytics", "use n for analytics { consent: opt_in }"),
        ["3:3 The probe fired."],
    ),
    "ordering with a missing value is false": (
        rule("data", "forbid: retention > 1 year or retention <= 1 year"),
        service("data kept", "data unkept", "retain kept for 2 years"),
        ["2:3 The probe fired."],
    ),
    "within a missing list is false, not vacuously true": (
        rule("share", "forbid: transfer within [eu]"),
        service("data n", 'share n with "A"', 'share n with "B" { transfer: eu }'),
        ["4:3 The probe fired."],
    ),
    "an empty list counts as missing": (
        rule("data", "require: exists(subjects)", message="{name} has subjects {subjects}"),
        service("data a { subjects: [] }", "data b { subjects: customer }"),
        ["2:3 a has subjects unspecified"],
    ),
    # Taxonomy: any above every purpose, overlap two ways, under one way.
    "overlap: any, ai and narrower purposes all overlap ai.training": (
        rule("use", "forbid: purposes overlap ai.training", message="{purposes}"),
        USES,
        ["3:3 any", "4:3 ai", "5:3 ai.training", "6:3 ai.training.generative"],
    ),
    "under is one way: ai and any are not under ai.training": (
        rule("use", "forbid: purposes under ai.training", message="{purposes}"),
        USES,
        ["5:3 ai.training", "6:3 ai.training.generative"],
    ),
    "every purpose is under any": (
        rule("use", "require: purposes under any"),
        USES,
        [],
    ),
    "within: every element under one of the terms": (
        rule("use", "forbid: purposes within [ai.training, analytics]", message="{purposes}"),
        service("data n", "use n for analytics, ai.training.fine_tuning", "use n for analytics, ai",
                "use n for analytics"),
        ["3:3 analytics, ai.training.fine_tuning", "5:3 analytics"],
    ),
    "a licence for any purpose covers AI training": (
        rule("license", "forbid: purposes overlap ai.training"),
        service("data n", "license n to provider { purposes: any }",
                "license n to provider { purposes: service.provision }"),
        ["3:3 The probe fired."],
    ),
    "global stands above every region": (
        rule("service", "forbid: jurisdictions overlap eu and not jurisdictions under eu",
             message="{jurisdictions}"),
        service("jurisdictions: global") + 'service "T" {\n  jurisdictions: us\n}\n',
        ["1:1 global"],
    ),
    "a pack's term sits under its parent": (
        rule("use", "forbid: purposes under ai.training", message="{purposes}"),
        service("data n", "use n for ai.training.voice_cloning"),
        ["3:3 ai.training.voice_cloning"],
    ),
    # Comparisons.
    "in: some element of a list value is in the list": (
        rule("use", "forbid: by in [third_party, processor]", message="{by}"),
        service("data n", "use n for analytics { by: first_party, third_party }",
                "use n for analytics { by: first_party }"),
        ["3:3 first_party, third_party"],
    ),
    "12 months is 1 year; 365 days and 52 weeks are shorter": (
        rule("retain", "forbid: retention != 1 year", message="{retention}"),
        service("data n", "retain n for 12 months", "retain n for 1 year", "retain n for 365 days",
                "retain n for 52 weeks", "retain n for 8766 hours"),
        ["5:3 365 days", "6:3 52 weeks"],
    ),
    "indefinitely is longer than any duration; until an event is no length": (
        rule("retain", "forbid: retention > 100 years", message="{retention}"),
        service("data n", "retain n indefinitely", "retain n for 99 years",
                "retain n until account.deletion"),
        ["3:3 indefinitely"],
    ),
    "retention == indefinitely and == an event": (
        rule("retain", "forbid: retention == indefinitely or retention == account.deletion",
             message="{retention}"),
        service("data n", "retain n indefinitely", "retain n until account.deletion",
                "retain n until contract.end"),
        ["3:3 indefinitely", "4:3 account.deletion"],
    ),
    "dates compare as dates": (
        rule("service", "forbid: effective < 2024-01-01", message="{effective}"),
        service("effective: 2023-12-31") + 'service "T" {\n  effective: 2024-01-01\n}\n',
        ["1:1 2023-12-31"],
    ),
    "a value of another kind than the literal's never compares": (
        rule("service", "forbid: effective == 2024-01-01"),
        service('effective: "2024-01-01"'),
        [],
    ),
    "count: of a list, of references, of nothing": (
        rule("use", "forbid: count(data) >= 2 or count(consent) == 1",
             message="{data}"),
        service("data a", "data b", "use a, b for analytics", "use a for analytics",
                "use b for analytics { consent: opt_in }"),
        ["4:3 a, b", "6:3 b"],
    ),
    "matches searches names and strings with RE2": (
        rule("share", "forbid: recipient matches '(?i)^ad'", message="{recipient}"),
        service("data n", 'share n with "Adtech"', 'share n with "Bad ads"', "share n with admin"),
        ["3:3 Adtech", "5:3 admin"],
    ),
    "yes/no attributes": (
        rule("share", "forbid: sale == yes and not sale == no"),
        service("data n", 'share n with "A" { sale: yes }', 'share n with "B" { sale: no }'),
        ["3:3 The probe fired."],
    ),
    "and binds tighter than or": (
        rule("use", "forbid: consent == none or consent == opt_out and basis == consent"),
        service("data n", "use n for a { consent: none; basis: contract }",
                "use n for a { consent: opt_out; basis: contract }",
                "use n for a { consent: opt_out; basis: consent }"),
        ["3:3 The probe fired.", "5:3 The probe fired."],
    ),
    "a path in braces on the right": (
        rule("never", "forbid: data.uses overlap {purposes}", message="{data} for {purposes}"),
        service("data n", "data m", "use n for ai.training.generative", "never n for ai.training",
                "never m for ai.training", "never n for marketing"),
        ["5:3 n for ai.training"],
    ),
    # Derived relations.
    "data.* follows the use's references, as one list": (
        rule("use", "forbid: data.categories under content", message="{data.categories}"),
        service("data a { categories: content.audio }", "data b { categories: telemetry }",
                "use a, b for analytics", "use b for analytics"),
        ["4:3 content.audio, telemetry"],
    ),
    "data ending a path is the names as written; further steps reach declared data": (
        rule("use", "forbid: count(data) == 2 and data == ghost", message="{data} / {data.name}"),
        service("data n", "use n, ghost for analytics", "use n for analytics"),
        ["3:3 n, ghost / n"],
    ),
    "sources follows derived_from transitively": (
        rule("data", "forbid: sources.categories under content",
             message="{name} from {sources} ({sources.categories})"),
        service("data meetings { categories: content.video }",
                "data transcripts { derived_from: meetings }",
                "data embeddings { derived_from: transcripts }",
                "data logs { categories: telemetry.usage }"),
        ["3:3 transcripts from meetings (content.video)",
         "4:3 embeddings from transcripts, meetings (content.video)"],
    ),
    "a derived_from cycle ends: each data's sources are the others": (
        rule("data", "forbid: exists(sources)", message="{name} from {sources}"),
        service("data a { derived_from: b }", "data b { derived_from: c }",
                "data c { derived_from: a }", "data d"),
        ["2:3 a from b, c", "3:3 b from c, a", "4:3 c from a, b"],
    ),
    "derivatives, uses, shares, retention and referenced_by of a data": (
        rule("data", "forbid: exists(derivatives)",
             message="{name}: {derivatives}; {uses}; {shares}; {retention}; {referenced_by}"),
        service("data a", "data b { derived_from: a }", "use a for analytics, ai",
                'share a with "X" { role: processor }', "retain a for 2 years"),
        ["2:3 a: b; analytics, ai; processor; 2 years; use, share, retain, data"],
    ),
    "service.rights and service attributes from any statement": (
        rule("use", "require: service.rights in [objection] or service.audience == adults",
             message="{service.name} rights: {service.rights}"),
        service("audience: general", "data n", "use n for analytics", "right access")
        + 'service "T" {\n  data n\n  use n for analytics\n  right objection\n}\n',
        ["4:3 S rights: access"],
    ),
    "kind names the statement's kind": (
        rule("use", "forbid: kind == use and not kind in [share, data]"),
        service("data n", "use n for analytics"),
        ["3:3 The probe fired."],
    ),
    # Definitions.
    "$personal_data holds for derived data and not for aggregated data": (
        rule("use", "forbid: $personal_data", message="{data}"),
        service("data people { subjects: customer }",
                "data derived { derived_from: people }",
                "data stats { derived_from: people; form: aggregated }",
                "data things",
                "use people for analytics", "use derived for analytics",
                "use stats for analytics", "use things for analytics"),
        ["6:3 people", "7:3 derived"],
    ),
    "$user_content and $sensitive_data, here or in the sources": (
        rule("data", "forbid: $user_content or $sensitive_data", message="{name}"),
        service("data chat { categories: content.chat }",
                "data face { categories: biometric.face }",
                "data summary { derived_from: chat }",
                "data health { categories: special.health }",
                "data logs { categories: telemetry }"),
        ["2:3 chat", "3:3 face", "4:3 summary", "5:3 health"],
    ),
    "$ai_training and $opt_in": (
        rule("use", "forbid: $ai_training and not $opt_in", message="{purposes} {consent}"),
        service("data n", "use n for any { consent: explicit_opt_in }",
                "use n for ai { consent: opt_out }", "use n for ai.training",
                "use n for ai.inference"),
        ["4:3 ai opt_out", "5:3 ai.training unspecified"],
    ),
    "$childrens_data: about children, or the users of a children's service, not a parent": (
        rule("use", "forbid: $childrens_data", message="{service.name} {data}"),
        service("audience: children", "data n { subjects: end_user }",
                "data parent { subjects: customer }", "data stats { form: aggregated }",
                "use n for analytics", "use parent for analytics", "use stats for analytics")
        + 'service "T" {\n  audience: mixed\n  data kids { subjects: child }\n  data n\n'
          '  use kids for analytics\n  use n for analytics\n}\n',
        ["6:3 S n", "14:3 T kids"],
    ),
    "$gdpr_applies, $ccpa_applies, $coppa_applies": (
        rule("service", "forbid: true",
             message="gdpr {name}",
             where="$gdpr_applies and not $ccpa_applies or $coppa_applies and not $gdpr_applies"),
        'service "none named" {\n}\nservice "eu" {\n  jurisdictions: eu\n}\n'
        'service "us" {\n  jurisdictions: us\n}\nservice "colorado" {\n  jurisdictions: us.co\n}\n'
        'service "global" {\n  jurisdictions: global\n}\nservice "brazil" {\n  jurisdictions: br\n}\n',
        ["3:1 gdpr eu", "6:1 gdpr us", "9:1 gdpr colorado"],
    ),
    "a statement's regions narrow the law that applies": (
        rule("use", "require: $gdpr_applies", message="{regions}"),
        'service "S" {\n  jurisdictions: eu, us\n  data n\n  use n for a { regions: us }\n'
        '  use n for a { regions: eu }\n  use n for a\n}\n',
        ["4:3 us"],
    ),
    "a statement's except_regions leave regions out of the law that applies": (
        rule("use", "require: $gdpr_applies", message="{regions}"),
        'service "S" {\n  jurisdictions: eu, us\n  data n\n  use n for a { except_regions: eu }\n'
        '  use n for a { except_regions: us }\n  use n for a { regions: eu; except_regions: eu }\n}\n',
        ["4:3 us", "6:3 nowhere"],
    ),
    # Messages and positions.
    "a message joins lists, says unspecified, and keeps {{braces}}": (
        rule("use", "forbid: true", message="{{{data}}} for {purposes}: {basis}"),
        service("data a", "data b", "use a, b for analytics, research"),
        ["4:3 {a, b} for analytics, research: unspecified"],
    ),
    "at points at the attribute, or at the statement when it is missing": (
        rule("use", "forbid: true", at="consent"),
        service("data n", "use n for analytics {", "  consent: opt_out", "}", "use n for research"),
        ["4:5 The probe fired.", "6:3 The probe fired."],
    ),
    "at points at a part": (
        rule("use", "forbid: true", at="purposes"),
        service("data n", "use n for analytics, research"),
        ["3:13 The probe fired."],
    ),
    "at takes a list: the first one the statement has": (
        rule("share", "forbid: true", at="[sale, purposes]"),
        service("data n", 'share n with "A" {', "  purposes: research", "  sale: yes", "}",
                'share n with "B" { purposes: research }', 'share n with "C"'),
        ["5:5 The probe fired.", "7:22 The probe fired.", "8:3 The probe fired."],
    ),
    # Several kinds: a path one kind lacks is missing on it, in conditions and messages.
    "select several kinds: each judged with the paths it has": (
        rule("[use, share]", "forbid: by == third_party or role == third_party",
             message="{kind} {data} by {by} to {recipient}", at="purposes"),
        service("data n",
                "use n for analytics { by: third_party }",
                "use n for analytics { by: first_party }",
                'share n with "Partner" { role: third_party; purposes: research }',
                'share n with "Host" { role: processor }',
                "license n to provider"),
        ["3:13 use n by third_party to unspecified", "5:47 share n by unspecified to Partner"],
    ),
    "select several kinds: a missing path's presence, count and match": (
        rule("[use, share]", "forbid: missing(by) and count(role) == 0 and not recipient matches 'x'"),
        service("data n", "use n for a", "use n for a { by: processor }",
                'share n with "Host"', 'share n with "x" { role: processor }'),
        ["3:3 The probe fired.", "5:3 The probe fired."],
    ),
    "select several kinds, the service among them": (
        rule("[service, data]", "forbid: audience == children or categories under content"),
        'service "S" {\n  audience: children\n  data n { categories: content.text }\n  data m\n}\n',
        ["1:1 The probe fired.", "3:3 The probe fired."],
    ),
}

TAXONOMY = "taxonomy:\n  purposes:\n    ai.training.voice_cloning: { label: Voice cloning }\n"


@pytest.mark.parametrize("case", list(CASES), ids=lambda case: case)
def test_condition_semantics(case, tmp_path, cli, monkeypatch):
    rule_text, declaration, expected = CASES[case]
    monkeypatch.chdir(tmp_path)
    if "voice_cloning" in declaration:
        rule_text = rule_text + TAXONOMY
    assert probe(tmp_path, cli, rule_text, declaration) == expected


def test_definitions_are_shared_by_every_loaded_pack(tmp_path, cli, monkeypatch):
    """One pack defines, another uses; alone, the user's reference is an error."""
    monkeypatch.chdir(tmp_path)
    shared = ("pack: shared\ndefinitions:\n  voice_data:\n    select: data\n"
              "    condition: categories under [content.audio, biometric.voice]\n")
    use = rule("use", "forbid: $voice_data", message="{data}")
    declaration = service("data calls { categories: content.audio }", "data notes",
                          "use calls, notes for analytics", "use notes for analytics")
    assert probe(tmp_path, cli, use, declaration, ("shared.yaml", shared)) == ["4:3 calls, notes"]
    result = cli("check", "-p", "probe.yaml", "d.tos")
    assert result.exit_code == 2
    assert result.stderr == ("tospolicy: probe.yaml:8:13: P001 forbid, column 1: no definition "
                             "named '$voice_data' (did you mean '$customer_data'?)\n")


def test_a_definition_about_the_service_applies_from_any_statement(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    definitions = ("pack: mine\ndefinitions:\n  for_kids:\n    select: service\n"
                   "    condition: audience in [children, mixed]\n")
    use = rule("use", "forbid: $for_kids", message="{service.name}")
    declaration = (service("audience: children", "data n", "use n for a")
                   + 'service "T" {\n  data n\n  use n for a\n}\n')
    assert probe(tmp_path, cli, use, declaration, ("mine.yaml", definitions)) == ["4:3 S"]


def test_findings_come_out_in_file_line_column_rule_order(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "b.tos").write_text(service("data n", "use n for analytics"), encoding="utf-8")
    (tmp_path / "a.tos").write_text(service("data n", "use n for zz", "use n for research"),
                                    encoding="utf-8")
    pack = PROBE + rule("use", "forbid: true") + PROBE.split("rules:\n")[1].replace(
        "P001", "P000").replace("name: probe", "name: probe-zero") + rule("data", "forbid: true")
    (tmp_path / "probe.yaml").write_text(pack, encoding="utf-8")
    result = cli("check", "-p", "probe.yaml", "-p", "core", "--fail-on", "never", "-q", ".")
    assert result.stdout.splitlines() == [
        "a.tos:1:9: CORE007 [warning] service \"S\" has no effective date (effective: YYYY-MM-DD)",
        "a.tos:2:3: P000 [error] The probe fired.",
        "a.tos:3:3: P001 [error] The probe fired.",
        "a.tos:3:13: CORE002 [warning] unknown purpose 'zz'",
        "a.tos:4:3: P001 [error] The probe fired.",
        "b.tos:1:9: CORE007 [warning] service \"S\" has no effective date (effective: YYYY-MM-DD)",
        "b.tos:2:3: P000 [error] The probe fired.",
        "b.tos:3:3: P001 [error] The probe fired.",
    ]


CASES_PACK = PROBE + """\
    select: data
    where: $personal_data
    forbid: missing(retention) or retention == indefinitely
    message: "personal data {name} has no retain statement"
    cases:
      - when: retention == indefinitely
        severity: warning
        message: "personal data {name} is retained indefinitely"
      - when: name == c
        severity: note
"""


def test_cases_set_one_findings_severity_and_message(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "probe.yaml").write_text(CASES_PACK, encoding="utf-8")
    (tmp_path / "d.tos").write_text(service(
        "data a { subjects: customer }", "data b { subjects: customer }",
        "data c { subjects: customer }", "data d { subjects: customer }",
        "retain b indefinitely", "retain d for 1 year"), encoding="utf-8")
    result = cli("check", "-p", "probe.yaml", "d.tos")
    assert result.stdout.splitlines() == [
        "d.tos:2:3: P001 [error] personal data a has no retain statement",
        "d.tos:3:3: P001 [warning] personal data b is retained indefinitely",
        "d.tos:4:3: P001 [note] personal data c has no retain statement",
        "3 findings (1 error, 1 warning, 1 note) in 1 file.",
    ]
    # The configuration's severity is every finding's.
    (tmp_path / ".tospolicy.yml").write_text("rules:\n  P001: { severity: note }\n",
                                             encoding="utf-8")
    result = cli("check", "-p", "probe.yaml", "-q", "d.tos")
    assert [line.split(" [")[1].split("]")[0] for line in result.stdout.splitlines()] == [
        "note", "note", "note"]
