"""Generate large, realistic declarations, and the same facts in YAML and as Fides manifests.

    python benchmarks/generate.py --services 2000 --out benchmarks/out/2000

writes, under the output folder:

    tos/all.tos                 every service in one declaration
    tos/services/NNNNN.tos      one declaration per service (`--layout many` or `both`)
    yaml/all.yaml               the same facts as YAML (the shape benchmarks/spectral-ruleset.yaml reads)
    yaml/services/NNNNN.yaml    one YAML file per service (with the many-file layout)
    yaml/one.yaml, tos/one.tos  the first service alone: the start-up measurements lint it
    fides/systems.yml           the services as Fides systems with privacy declarations
    fides/policy.yml            a Fides policy whose rules mirror a few tospolicy checks

The services are drawn from templates with a seeded random generator, so the
same arguments always give byte-identical files. They vary the way real terms
do: several data sets with categories, subjects and origin (some derived from
others), uses under different consent and bases, shares with processors and
third parties across borders, licences over user content, retention periods,
rights and `never` commitments. Some services break rules (AI training by
opt-out, transfers without safeguards, indefinite retention) so that a linter
has findings to report, as it would on real declarations.

Every term is one the built-in taxonomy knows, so the inputs stay valid input;
`tests/test_benchmark_inputs.py` checks that as the language evolves.
"""

from __future__ import annotations

import argparse
import datetime
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
FIDES_POLICY = HERE / "fides-policy.yml"
# Marks an output folder as ours, so that regenerating may replace it.
MARKER = ".generated-by-benchmarks"

# ------------------------------------------------------------------ the facts
# A service is plain data: attributes as (key, value) pairs in writing order and
# statements grouped by kind. Values are str (a name), Quoted (a string),
# Duration, datetime.date, bool, or a list of names.


class Quoted(str):
    """A value written as a string literal, not a name."""


@dataclass(frozen=True)
class Duration:
    amount: int
    unit: str  # singular

    def __str__(self) -> str:
        return f"{self.amount} {self.unit}{'' if self.amount == 1 else 's'}"


@dataclass
class Statement:
    kind: str
    head: dict  # the words before the braces: data, purposes, recipient, period…
    attributes: list[tuple[str, object]] = field(default_factory=list)


@dataclass
class Service:
    key: str
    name: str
    attributes: list[tuple[str, object]]
    statements: list[Statement]
    audience: str


@dataclass(frozen=True)
class DataTemplate:
    name: str
    label: str
    categories: tuple[str, ...]
    subjects: tuple[str, ...]
    origin: str
    purposes: tuple[str, ...]  # what services plausibly use it for
    derived_from: str | None = None
    form: str | None = None


DATA_TEMPLATES = (
    DataTemplate("account", "Account details",
                 ("identity.name", "identity.email", "identity.phone", "identity.address"),
                 ("customer",), "user_provided",
                 ("service.provision", "service.support", "service.security",
                  "marketing.communications", "legal.compliance")),
    DataTemplate("customer_content", "Customer content",
                 ("content.audio", "content.video", "content.chat", "content.files",
                  "content.transcript", "content.screen", "content.text", "content.image"),
                 ("customer", "end_user", "participant"), "user_provided",
                 ("service.provision", "ai.inference", "ai.training", "ai.training.generative",
                  "service.improvement", "personalization")),
    DataTemplate("usage_data", "Usage data",
                 ("telemetry.usage", "telemetry.diagnostics", "device.identifier"),
                 ("customer", "end_user", "visitor"), "observed",
                 ("service.improvement", "analytics", "service.security",
                  "marketing.advertising.targeted", "ai.training")),
    DataTemplate("location", "Location", ("location.coarse", "location.precise"),
                 ("customer", "end_user"), "observed",
                 ("service.provision", "personalization", "marketing.advertising.targeted")),
    DataTemplate("payment", "Payment details", ("financial", "identity.name", "identity.address"),
                 ("customer",), "user_provided",
                 ("service.provision", "legal.compliance", "service.security")),
    DataTemplate("transcripts", "Meeting transcripts", ("content.transcript",),
                 ("participant", "customer"), "derived",
                 ("service.provision", "ai.inference", "ai.training"),
                 derived_from="customer_content"),
    DataTemplate("voice_prints", "Voice prints", ("biometric.voice",), ("participant",), "derived",
                 ("service.provision", "service.security", "ai.training"),
                 derived_from="customer_content"),
    DataTemplate("health_records", "Health records", ("special.health", "health"),
                 ("customer",), "user_provided",
                 ("service.provision", "research", "ai.training")),
    DataTemplate("interest_profile", "Interest profile", ("inferred.profile",),
                 ("customer", "end_user"), "derived",
                 ("personalization", "marketing.advertising.targeted", "analytics"),
                 derived_from="usage_data"),
    DataTemplate("usage_statistics", "Usage statistics", ("telemetry.usage",), (), "derived",
                 ("analytics", "service.improvement", "research"),
                 derived_from="usage_data", form="aggregated"),
    DataTemplate("support_requests", "Support requests", ("content.text", "identity.email"),
                 ("customer",), "user_provided",
                 ("service.support", "service.improvement", "ai.training.fine_tuning")),
    DataTemplate("repositories", "Repositories", ("content.code", "content.text"),
                 ("customer",), "user_provided",
                 ("service.provision", "ai.training.generative", "ai.inference")),
    DataTemplate("photos", "Photos", ("content.image", "biometric.face"), ("customer", "end_user"),
                 "user_provided", ("service.provision", "ai.training", "personalization")),
)
TEMPLATE_BY_NAME = {template.name: template for template in DATA_TEMPLATES}
CONTENT_DATA = ("customer_content", "repositories", "photos", "support_requests")

# (recipient, role, purposes, may be a sale)
RECIPIENTS = (
    (Quoted("Cloud hosting provider"), "processor", ("service.provision",), False),
    (Quoted("Payment processor"), "processor", ("service.provision",), False),
    (Quoted("Advertising partners"), "third_party", ("marketing.advertising.targeted",), True),
    (Quoted("Analytics vendor"), "processor", ("analytics",), False),
    (Quoted("AI model provider"), "processor", ("ai.inference",), False),
    (Quoted("AI research partners"), "third_party", ("ai.training",), True),
    ("affiliates", "affiliate", ("service.provision", "marketing.communications"), False),
    (Quoted("Law enforcement"), "government", ("legal.compliance",), False),
    (Quoted("Data brokers"), "third_party", ("commercial.sale",), True),
)
REGIONS = ("eu", "uk", "us", "us.ca", "br", "ca", "in", "jp", "au")
TRANSFER_REGIONS = ("us", "eu", "uk", "in", "br", "jp")
RIGHTS = ("access", "rectification", "erasure", "portability", "objection", "restriction",
          "withdraw_consent", "opt_out_sale", "opt_out_ai_training", "limit_sensitive",
          "human_review")
EVENTS = ("account.deletion", "account.closure", "contract.end", "last_activity",
          "purpose.fulfilled", "consent.withdrawal")
NEVER_PURPOSES = ("ai.training", "marketing.advertising", "commercial.sale")
COMPANIES = ("Northwind", "Contoso", "Fabrikam", "Tailspin", "Wingtip", "Litware", "Adatum",
             "Proseware", "Lamna", "Trey", "Alpine", "Bellows", "Coho", "Datum", "Fourth Coffee")
PRODUCTS = ("Meetings", "Notes", "Photos", "Code", "Health", "Maps", "Chat", "Mail", "Drive",
            "Pay", "Fitness", "Learning", "Shop", "Calendar", "Voice")
VIA = (Quoted("account settings"), Quoted("privacy@example.test"), Quoted("Settings > Privacy"),
       Quoted("the web form at https://example.test/privacy"), Quoted("support chat"))


def _subset(rng: random.Random, pool, low: int, high: int) -> list:
    """Between `low` and `high` items of `pool`, in the pool's order."""
    count = rng.randint(min(low, len(pool)), min(high, len(pool)))
    chosen = set(rng.sample(range(len(pool)), count))
    return [item for index, item in enumerate(pool) if index in chosen]


def _overlap(a: str, b: str) -> bool:
    return a == b or a.startswith(b + ".") or b.startswith(a + ".")


def make_service(rng: random.Random, number: int) -> Service:
    company = rng.choice(COMPANIES)
    product = rng.choice(PRODUCTS)
    name = f"{company} {product} {number:05d}"
    audience = rng.choices(("general", "adults", "mixed", "children"), (70, 15, 10, 5))[0]
    effective = datetime.date(2020, 1, 1) + datetime.timedelta(days=rng.randrange(2000))
    attributes: list[tuple[str, object]] = [("version", Quoted(effective.isoformat()))]
    if rng.random() < 0.92:  # some forget it (CORE007)
        attributes.append(("effective", effective))
    attributes.append(("controller", Quoted(f"{company} {product}, Inc.")))
    attributes.append(("jurisdictions", ["global"] if rng.random() < 0.2 else _subset(rng, REGIONS, 1, 3)))
    attributes.append(("audience", audience))
    if rng.random() < 0.15:
        attributes.append(("role", "processor"))
    attributes.append(("source", Quoted(f"https://{company.lower()}.example/{product.lower()}/terms")))

    chosen = ["account", "usage_data"] + rng.sample(
        [template.name for template in DATA_TEMPLATES if template.name not in ("account", "usage_data")],
        rng.randint(1, 3),
    )
    data_names = [name_ for name_ in (template.name for template in DATA_TEMPLATES) if name_ in chosen]
    statements: list[Statement] = []
    children = audience in ("children", "mixed")

    for data_name in data_names:
        template = TEMPLATE_BY_NAME[data_name]
        subjects = _subset(rng, template.subjects, 1, len(template.subjects)) if template.subjects else []
        if children and subjects and rng.random() < 0.5:
            subjects.append("child")
        data_attributes: list[tuple[str, object]] = [
            ("categories", _subset(rng, template.categories, 1, 4)),
        ]
        if subjects:
            data_attributes.append(("subjects", subjects))
        data_attributes.append(("origin", template.origin))
        if template.derived_from and template.derived_from in data_names:
            data_attributes.append(("derived_from", [template.derived_from]))
        if template.form:
            data_attributes.append(("form", template.form))
        if rng.random() < 0.3:
            data_attributes.append(("cite", Quoted(f"§{rng.randint(1, 12)}.{rng.randint(1, 9)}")))
        statements.append(Statement("data", {"name": data_name, "label": Quoted(template.label)},
                                    data_attributes))

    uses: dict[str, list[str]] = {}
    for data_name in data_names:
        template = TEMPLATE_BY_NAME[data_name]
        unused = list(template.purposes)
        for _ in range(1 if rng.random() < 0.7 else 2):
            purposes = _subset(rng, unused, 1, 2)
            unused = [purpose for purpose in unused if purpose not in purposes]
            data = [data_name]
            if rng.random() < 0.2:  # one use covering two data sets
                other = rng.choice(data_names)
                if other != data_name:
                    data.append(other)
            for item in data:
                uses.setdefault(item, []).extend(purposes)
            statements.append(Statement("use", {"data": data, "purposes": purposes},
                                        _use_attributes(rng, purposes, children)))

    for recipient, role, purposes, sale in rng.sample(RECIPIENTS, rng.randint(1, 3)):
        data = _subset(rng, data_names, 1, 2)
        share_attributes: list[tuple[str, object]] = [("role", role), ("purposes", list(purposes))]
        if sale and rng.random() < 0.5:
            share_attributes.append(("sale", True))
        if rng.random() < 0.7:
            transfer = _subset(rng, TRANSFER_REGIONS, 1, 2)
            share_attributes.append(("transfer", transfer))
            if rng.random() < 0.85:  # the rest transfer without safeguards (GDPR006)
                share_attributes.append(("safeguards", rng.choice(("scc", "adequacy", "bcr", "none"))))
        if rng.random() < 0.3:
            share_attributes.append(("cite", Quoted(f"§{rng.randint(1, 12)}.{rng.randint(1, 9)}")))
        statements.append(Statement("share", {"data": data, "recipient": recipient}, share_attributes))

    for data_name in data_names:
        roll = rng.random()
        if roll < 0.05:
            continue  # no retention stated (GDPR005)
        if roll < 0.13:
            period = {"indefinitely": True}
        elif roll < 0.45:
            period = {"until": rng.choice(EVENTS[:3])}
        else:
            unit = rng.choice(("day", "month", "year"))
            amount = {"day": rng.choice((7, 30, 90, 180)), "month": rng.choice((1, 3, 6, 18)),
                      "year": rng.choice((1, 2, 3, 7))}[unit]
            period = {"for": Duration(amount, unit)}
            if rng.random() < 0.4:
                period["after"] = rng.choice(EVENTS)
        statements.append(Statement("retain", {"data": [data_name], **period}))

    for data_name in data_names:
        if data_name not in CONTENT_DATA or rng.random() < 0.3:
            continue
        scope = _subset(rng, ("perpetual", "irrevocable", "worldwide", "royalty_free",
                              "sublicensable", "transferable"), 2, 4)
        purposes = rng.choices((["service.provision"], ["service.provision", "service.improvement"],
                                ["any"]), (60, 30, 10))[0]
        grantee = rng.choices(("provider", "affiliates", Quoted(f"{company} and its partners")),
                              (70, 20, 10))[0]
        license_attributes: list[tuple[str, object]] = [("scope", scope), ("purposes", list(purposes))]
        if purposes == ["any"] and rng.random() < 0.5:
            license_attributes.append(("consent", "opt_out"))
        statements.append(Statement("license", {"data": [data_name], "grantee": grantee},
                                    license_attributes))

    for right in _subset(rng, RIGHTS, 3, 6):
        right_attributes: list[tuple[str, object]] = []
        if rng.random() < 0.7:
            right_attributes.append(("via", rng.choice(VIA)))
        if rng.random() < 0.5:
            right_attributes.append(("within", Duration(rng.choice((30, 45)), "day")))
        statements.append(Statement("right", {"right": right}, right_attributes))

    for data_name in rng.sample(data_names, rng.randint(0, 2)):
        used = uses.get(data_name, [])
        purposes = [purpose for purpose in NEVER_PURPOSES
                    if not any(_overlap(purpose, other) for other in used)]
        if purposes:
            statements.append(Statement("never", {"data": [data_name],
                                                  "purposes": _subset(rng, purposes, 1, 2)}))

    return Service(f"service_{number:05d}", name, attributes, statements, audience)


def _use_attributes(rng: random.Random, purposes: list[str], children: bool) -> list:
    essential = all(purpose.startswith(("service.", "legal.")) for purpose in purposes)
    attributes: list[tuple[str, object]] = []
    if essential:
        basis = "legal_obligation" if purposes[0].startswith("legal.") else "contract"
    else:
        consent = rng.choices(("explicit_opt_in", "opt_in", "opt_out", "none", None),
                              (10, 40, 35, 5, 10))[0]
        if consent:
            attributes.append(("consent", consent))
            attributes.append(("consent_by", rng.choices(
                ("each_user", "account_owner", "parent" if children else "each_user"), (70, 20, 10))[0]))
        basis = rng.choice(("consent", "legitimate_interests")) if consent != "none" else "legitimate_interests"
    if rng.random() < 0.95:  # a few forget the basis (GDPR001)
        attributes.append(("basis", basis))
    if not essential and rng.random() < 0.3:
        attributes.append(("by", rng.choice((["first_party"], ["first_party", "third_party"]))))
    if not essential and rng.random() < 0.4:
        attributes.append(("withdrawal", rng.choice(VIA)))
    if "personalization" in purposes and rng.random() < 0.3:
        attributes.append(("automated_decisions", True))
        attributes.append(("human_review", rng.random() < 0.5))
    if rng.random() < 0.3:
        attributes.append(("cite", Quoted(f"§{rng.randint(1, 12)}.{rng.randint(1, 9)}")))
    return attributes


def make_services(count: int, seed: int) -> list[Service]:
    rng = random.Random(seed)
    return [make_service(rng, number) for number in range(1, count + 1)]


# ---------------------------------------------------------------- .tos


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def tos_value(value) -> str:
    if isinstance(value, Quoted):
        return _quote(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(tos_value(item) for item in value)
    return str(value)  # names, dates, durations


def _tos_attributes(attributes, indent: str) -> list[str]:
    return [f"{indent}{key}: {tos_value(value)}" for key, value in attributes]


def _tos_head(statement: Statement) -> str:
    head = statement.head
    kind = statement.kind
    if kind == "data":
        return f"data {head['name']} {_quote(head['label'])}"
    if kind in ("use", "never"):
        return f"{kind} {', '.join(head['data'])} for {', '.join(head['purposes'])}"
    if kind == "share":
        return f"share {', '.join(head['data'])} with {tos_value(head['recipient'])}"
    if kind == "license":
        return f"license {', '.join(head['data'])} to {tos_value(head['grantee'])}"
    if kind == "right":
        return f"right {head['right']}"
    text = f"retain {', '.join(head['data'])}"
    if "for" in head:
        text += f" for {head['for']}"
    elif "until" in head:
        text += f" until {head['until']}"
    else:
        text += " indefinitely"
    if "after" in head:
        text += f" after {head['after']}"
    return text


def render_tos(service: Service) -> str:
    lines = [f"# {service.key}: generated by benchmarks/generate.py",
             f"service {_quote(service.name)} {{"]
    lines += _tos_attributes(service.attributes, "  ")
    previous = None
    for statement in service.statements:
        if statement.kind != previous:
            lines.append("")
            previous = statement.kind
        head = _tos_head(statement)
        attributes = statement.attributes
        if not attributes:
            lines.append(f"  {head}")
        elif statement.kind == "right":  # short bodies on one line, as people write them
            lines.append(f"  {head} {{ " + "; ".join(f"{k}: {tos_value(v)}" for k, v in attributes) + " }")
        else:
            lines.append(f"  {head} {{")
            lines += _tos_attributes(attributes, "    ")
            lines.append("  }")
    lines.append("}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- YAML

PLURAL = {"data": "data", "use": "uses", "share": "shares", "retain": "retain",
          "license": "licenses", "right": "rights", "never": "never"}


def _plain(value):
    if isinstance(value, Quoted):
        return str(value)
    if isinstance(value, Duration):
        return str(value)
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def yaml_data(service: Service) -> dict:
    data: dict = {"key": service.key, "name": service.name}
    data.update((key, _plain(value)) for key, value in service.attributes)
    for statement in service.statements:
        item = {}
        head = statement.head
        if statement.kind == "share":
            item = {"data": head["data"], "with": _plain(head["recipient"])}
        elif statement.kind == "license":
            item = {"data": head["data"], "to": _plain(head["grantee"])}
        else:
            item = {key: _plain(value) for key, value in head.items()}
        item.update((key, _plain(value)) for key, value in statement.attributes)
        data.setdefault(PLURAL[statement.kind], []).append(item)
    return data


def render_yaml(services: list[Service]) -> str:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    document = {"services": [yaml_data(service) for service in services]}
    # Flow style for lists of scalars (`categories: [a, b]`), as people write YAML.
    return yaml.dump(document, Dumper=dumper, sort_keys=False, default_flow_style=None,
                     allow_unicode=True, width=100)


# ---------------------------------------------------------------- Fides
# tospolicy terms and their nearest fideslang keys. Where fideslang has no
# equivalent the nearest broader key is used; `never` commitments have none
# (Fides has no negative declarations) and are expressed by the policy instead.

FIDES_USES = {
    "service.provision": "essential.service",
    "service.support": "essential.service.operations.support",
    "service.security": "essential.service.security",
    "service.improvement": "functional.service.improve",
    "analytics": "analytics.reporting",
    "personalization": "personalize",
    "marketing.advertising": "marketing.advertising",
    "marketing.advertising.targeted": "marketing.advertising.first_party.targeted",
    "marketing.communications": "marketing.communications",
    "ai.training": "train_ai_system",
    "ai.training.generative": "train_ai_system",
    "ai.training.fine_tuning": "train_ai_system",
    "ai.inference": "functional.service",
    "research": "functional.service.improve",
    "legal.compliance": "essential.legal_obligation",
    "commercial.sale": "third_party_sharing",
    "any": "collect",
}
FIDES_CATEGORIES = {
    "identity.name": "user.name",
    "identity.email": "user.contact.email",
    "identity.phone": "user.contact.phone_number",
    "identity.address": "user.contact.address",
    "content.image": "user.content.self_image",
    "telemetry.usage": "user.behavior",
    "telemetry.diagnostics": "user.telemetry",
    "device.identifier": "user.device.device_id",
    "location.coarse": "user.location.imprecise",
    "location.precise": "user.location.precise",
    "financial": "user.financial",
    "biometric.voice": "user.biometric.voice",
    "biometric.face": "user.biometric",
    "special.health": "user.health_and_medical",
    "health": "user.health_and_medical",
    "inferred.profile": "user.demographic.profile",
}
FIDES_SUBJECTS = {"customer": "customer", "end_user": "customer", "participant": "customer",
                  "visitor": "visitor", "employee": "employee"}
FIDES_BASES = {"consent": "Consent", "contract": "Contract", "legal_obligation": "Legal obligations",
               "legitimate_interests": "Legitimate interests"}
THIRD_PARTY_ROLES = {"third_party": "third_party_sharing", "affiliate": "third_party_sharing",
                     "government": "third_party_sharing.legal_obligation"}


def _fides_categories(categories: list[str]) -> list[str]:
    keys = [FIDES_CATEGORIES.get(category) or
            ("user.content.private" if category.startswith("content.") else None)
            for category in categories]
    return list(dict.fromkeys(key for key in keys if key))


def fides_system(service: Service) -> dict:
    data_sets = {s.head["name"]: dict(s.attributes) for s in service.statements if s.kind == "data"}
    retention = {}
    for statement in service.statements:
        if statement.kind == "retain":
            head = statement.head
            period = str(head["for"]) if "for" in head else head.get("until", "indefinitely")
            for name in head["data"]:
                retention[name] = period
    children = service.audience in ("children", "mixed")

    def facts(names: list[str]) -> tuple[list[str], list[str]]:
        categories: list[str] = []
        subjects: list[str] = []
        for name in names:
            attributes = data_sets[name]
            categories += _fides_categories(attributes["categories"])
            held = attributes.get("subjects", [])
            subjects += [FIDES_SUBJECTS[subject] for subject in held if subject in FIDES_SUBJECTS]
            if held and (children or "child" in held):
                categories.append("user.childrens")
        return list(dict.fromkeys(categories)), list(dict.fromkeys(subjects))

    declarations = []
    for statement in service.statements:
        if statement.kind not in ("use", "share", "license"):
            continue
        head, attributes = statement.head, dict(statement.attributes)
        data = head["data"]
        categories, subjects = facts(data)
        if statement.kind == "use":
            uses = [FIDES_USES[purpose] for purpose in head["purposes"]]
        elif statement.kind == "share" and attributes["role"] in THIRD_PARTY_ROLES:
            uses = [THIRD_PARTY_ROLES[attributes["role"]]]
        else:
            uses = [FIDES_USES[purpose] for purpose in attributes["purposes"]]
        for use in dict.fromkeys(uses):
            declaration: dict = {
                "name": f"{statement.kind} {', '.join(data)} ({use})",
                "data_categories": categories,
                "data_use": use,
                "data_subjects": subjects,
            }
            if attributes.get("basis") in FIDES_BASES:
                declaration["legal_basis_for_processing"] = FIDES_BASES[attributes["basis"]]
            if data[0] in retention:
                declaration["retention_period"] = retention[data[0]]
            if statement.kind == "share":
                declaration["data_shared_with_third_parties"] = True
                declaration["third_parties"] = str(head["recipient"])
            declarations.append(declaration)
    attributes = dict(service.attributes)
    return {
        "fides_key": service.key,
        "name": service.name,
        "description": f"{service.name}: the facts of {service.key}.tos",
        "system_type": "Service",
        "administrating_department": "Legal",
        "responsibility": ["Processor" if attributes.get("role") == "processor" else "Controller"],
        "privacy_declarations": declarations,
    }


def render_fides(services: list[Service]) -> str:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump({"system": [fides_system(service) for service in services]}, Dumper=dumper,
                     sort_keys=False, default_flow_style=False, allow_unicode=True, width=100)


# ---------------------------------------------------------------- writing


def write(out: Path, count: int, seed: int = 1, layout: str = "both") -> dict:
    """Write every rendering of `count` services under `out`; returns the paths."""
    services = make_services(count, seed)
    if out.exists():
        if any(out.iterdir()) and not (out / MARKER).exists():
            raise SystemExit(f"{out} exists and was not written by this generator: not replacing it")
        shutil.rmtree(out)
    paths = {
        "tos": out / "tos" / "all.tos",
        "tos_one": out / "tos" / "one.tos",
        "yaml": out / "yaml" / "all.yaml",
        "yaml_one": out / "yaml" / "one.yaml",
        "fides": out / "fides",
    }
    for folder in ("tos", "yaml", "fides"):
        (out / folder).mkdir(parents=True)
    (out / MARKER).write_text(f"services={count} seed={seed} layout={layout}\n", encoding="utf-8")
    tos_texts = [render_tos(service) for service in services]
    if layout in ("one", "both"):
        paths["tos"].write_text("\n".join(tos_texts), encoding="utf-8")
        paths["yaml"].write_text(render_yaml(services), encoding="utf-8")
    if layout in ("many", "both"):
        paths["tos_many"] = out / "tos" / "services"
        paths["yaml_many"] = out / "yaml" / "services"
        paths["tos_many"].mkdir()
        paths["yaml_many"].mkdir()
        for service, text in zip(services, tos_texts):
            (paths["tos_many"] / f"{service.key}.tos").write_text(text, encoding="utf-8")
            (paths["yaml_many"] / f"{service.key}.yaml").write_text(
                render_yaml([service]), encoding="utf-8")
    paths["tos_one"].write_text(tos_texts[0], encoding="utf-8")
    paths["yaml_one"].write_text(render_yaml(services[:1]), encoding="utf-8")
    (out / "fides" / "systems.yml").write_text(render_fides(services), encoding="utf-8")
    shutil.copyfile(FIDES_POLICY, out / "fides" / "policy.yml")
    return paths


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--services", type=int, default=2000, help="how many services (default 2000)")
    parser.add_argument("--out", type=Path, required=True, help="output folder (replaced)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--layout", choices=("one", "many", "both"), default="both",
                        help="one file with every service, one file per service, or both")
    args = parser.parse_args(argv)
    if args.services < 1:
        parser.error("--services must be at least 1")
    paths = write(args.out, args.services, args.seed, args.layout)
    for name, path in paths.items():
        print(f"{name}: {path}")


if __name__ == "__main__":
    main()
