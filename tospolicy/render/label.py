"""The data-use label of a service: what a person reads before agreeing.

Grouped the way the labels people know are grouped (Apple's App Privacy,
Google Play's Data safety): first the answers at a glance, then the data
collected (linked to you or not), how it is used, who it is shared with, how
long it is kept, the licence over your content, your rights and the
service's promises. Each entry is a sentence in plain words built from the
statement, the details a reader may want, where in the terms it comes from,
and (with `--findings`) what the rule packs found about it.

Pure: a model and a taxonomy in, plain dataclasses out; the templates only
lay them out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tospolicy.findings import Finding
from tospolicy.language.model import (Data, License, Name, Never, Retain, Right, Service, Share,
                                      Text, Use, items_of)
from tospolicy.language.taxonomy import Taxonomy
from tospolicy.render import phrases as words
from tospolicy.render.flows import FlowGraph, flow_graph
from tospolicy.render.phrases import listing, purpose_phrase


@dataclass
class Note:
    """A finding shown beside the statement it is about."""

    rule_id: str
    severity: str
    message: str
    where: str  # file:line:column


@dataclass
class Entry:
    """One statement as a person reads it."""

    sentence: str
    details: list[tuple[str, str]] = field(default_factory=list)
    cite: str = ""
    line: int = 0
    findings: list[Note] = field(default_factory=list)
    tone: str = ""  # "warn" for what a person would want to notice, "good" for a promise


@dataclass
class DataSet:
    name: str
    label: str
    categories: list[str]
    linked: str
    entry: Entry
    sensitive: bool = False


@dataclass
class Glance:
    """One of the answers at a glance: "Used to train AI models?" "Yes, no consent"."""

    question: str
    answer: str
    tone: str = ""


@dataclass
class ServiceLabel:
    name: str
    facts: list[tuple[str, str]]
    source: str  # the `source:` as written
    source_url: str  # the same when it is an http(s) address, else empty: never a `javascript:` link
    glance: list[Glance]
    data: list[DataSet]
    uses: list[Entry]
    shares: list[Entry]
    retention: list[Entry]
    licences: list[Entry]
    rights: list[Entry]
    commitments: list[Entry]
    other_findings: list[Note]
    flows: FlowGraph
    file: str


def _names(value) -> list[str]:
    return [item.value for item in items_of(value) if isinstance(item, (Name, Text))]


def _one(statement, key: str) -> str | None:
    value = statement.value(key)
    return value.value if isinstance(value, (Name, Text)) else None


def _cite(statement) -> str:
    value = statement.value("cite")
    return f"§ {value.value}" if isinstance(value, Text) else ""


def web_address(text: str) -> str:
    """`text` when it is an http or https address a browser can open safely, else ""."""
    lowered = text.strip().lower()
    if lowered != text or not lowered.startswith(("https://", "http://")):
        return ""
    if any(char.isspace() or not char.isprintable() or char in '"<>\\`' for char in text):
        return ""
    return text


class _Builder:
    def __init__(self, service: Service, taxonomy: Taxonomy):
        self.service = service
        self.taxonomy = taxonomy
        self.labels = {statement.name.value: (statement.label.value if statement.label
                                              else statement.name.value)
                       for statement in service.statements if isinstance(statement, Data)}

    def data_words(self, names) -> str:
        return listing([self.labels.get(name.value, name.value) for name in names])

    def purposes(self, terms: list[str]) -> str:
        return listing([purpose_phrase(term, self.taxonomy) for term in terms])

    def purpose_labels(self, terms: list[str]) -> str:
        return ", ".join(self.taxonomy.label("purposes", term) for term in terms)

    def regions(self, value) -> str:
        return ", ".join(self.taxonomy.label("regions", region) for region in _names(value))

    def common(self, statement, entry: Entry) -> Entry:
        entry.cite = _cite(statement)
        entry.line = statement.span.line
        regions = statement.value("regions")
        if regions is not None:
            entry.details.append(("Applies in", self.regions(regions)))
        excepted = statement.value("except_regions")  # docs/language.md, "everywhere except"
        if excepted is not None:
            entry.details.append(("Except in", self.regions(excepted)))
        note = statement.value("note")
        if isinstance(note, Text):
            entry.details.append(("Note", note.value))
        return entry

    def consent(self, statement, entry: Entry) -> None:
        consent_by = _one(statement, "consent_by")
        if consent_by in words.CONSENT_BY_PHRASES:
            entry.details.append(("Who decides", words.CONSENT_BY_PHRASES[consent_by]))
        basis = _one(statement, "basis")
        if basis:
            entry.details.append(("Legal basis", words.BASIS_PHRASES.get(basis, basis)))
        withdrawal = _one(statement, "withdrawal")
        if withdrawal:
            entry.details.append(("How to refuse", withdrawal))

    # ------------------------------------------------------------ statements

    def data(self, statement: Data, retention: dict[str, list[str]]) -> DataSet:
        categories = [self.taxonomy.label("categories", term) for term in _names(statement.value("categories"))]
        entry = Entry(sentence="")
        subjects = _names(statement.value("subjects"))
        if subjects:
            entry.details.append(("About", ", ".join(self.taxonomy.label("subjects", subject)
                                                     for subject in subjects)))
        origin = _one(statement, "origin")
        if origin:
            entry.details.append(("Comes from", words.ORIGIN_PHRASES.get(origin, origin)))
        derived = _names(statement.value("derived_from"))
        if derived:
            entry.details.append(("Worked out from", listing([self.labels.get(name, name)
                                                              for name in derived])))
        kept = retention.get(statement.name.value)
        if kept:
            entry.details.append(("Kept", "; ".join(kept)))
        self.common(statement, entry)
        sensitive = any(self.taxonomy.is_under(term, top, "categories")
                        for term in _names(statement.value("categories"))
                        for top in ("special", "biometric", "health"))
        return DataSet(statement.name.value, self.labels[statement.name.value], categories,
                       words.FORM_LINKED.get(_one(statement, "form"), words.FORM_LINKED[None]),
                       entry, sensitive)

    def use(self, statement: Use) -> Entry:
        consent, basis = _one(statement, "consent"), _one(statement, "basis")
        terms = [term.value for term in statement.purposes]
        if consent is None and basis in words.BASIS_SENTENCES:
            how, tone = words.BASIS_SENTENCES[basis], ""
        else:
            how = words.CONSENT_PHRASES.get(consent, words.CONSENT_PHRASES[None])
            tone = "warn" if consent in ("none", "opt_out", None) else ""
        sentence = f"{self.data_words(statement.data)} is used {self.purposes(terms)} {how}."
        entry = Entry(sentence, tone=tone)
        if consent is not None or basis in (None, "consent"):
            entry.details.append(("Consent", words.CONSENT_WORDS.get(consent, words.CONSENT_WORDS[None])))
        self.consent(statement, entry)
        by = _names(statement.value("by"))
        if by:
            entry.details.append(("Done by", listing([words.BY_PHRASES.get(who, who) for who in by])))
        infers = _names(statement.value("infers"))
        if infers:
            entry.details.append(("Works out about you", ", ".join(
                self.taxonomy.label("categories", term) for term in infers)))
        return self.common(statement, entry)

    def share(self, statement: Share) -> Entry:
        recipient = statement.recipient.value
        if isinstance(statement.recipient, Name):
            recipient = words.GRANTEE_PHRASES.get(recipient, recipient)
        terms = _names(statement.value("purposes"))
        why = f" {self.purposes(terms)}" if terms else ""
        sentence = f"{self.data_words(statement.data)} is shared with {recipient}{why}."
        role = _one(statement, "role")
        sale = statement.value("sale")
        sold = getattr(sale, "value", None) is True
        entry = Entry(sentence, tone="warn" if sold or role in ("third_party", "public") else "")
        if role:
            entry.details.append(("Who they are", words.SHARE_ROLE_PHRASES.get(role, role)))
        if sold:
            entry.details.append(("Sold", "yes: a sale or “sharing” in the sense of the CCPA"))
        consent = _one(statement, "consent")
        if consent:
            entry.details.append(("Consent", words.CONSENT_WORDS.get(consent, consent)))
        self.consent(statement, entry)
        transfer = statement.value("transfer")
        if transfer is not None:
            entry.details.append(("Where it goes", self.regions(transfer)))
        safeguards = _names(statement.value("safeguards"))
        if safeguards:
            entry.details.append(("Protected by", listing([words.SAFEGUARD_PHRASES.get(item, item)
                                                           for item in safeguards])))
        return self.common(statement, entry)

    def period(self, statement: Retain) -> str:
        if statement.duration is not None:
            period = f"for {statement.duration}"
        elif statement.until is not None:
            period = f"until {self.taxonomy.label('events', statement.until.value).lower()}"
        else:
            period = "indefinitely"
        if statement.after is not None:
            period += f" after {self.taxonomy.label('events', statement.after.value).lower()}"
        return period

    def retain(self, statement: Retain) -> Entry:
        entry = Entry(f"{self.data_words(statement.data)} is kept {self.period(statement)}.",
                      tone="warn" if statement.indefinitely else "")
        terms = _names(statement.value("purposes"))
        if terms:
            entry.details.append(("Kept for", self.purpose_labels(terms)))
        return self.common(statement, entry)

    def license(self, statement: License) -> Entry:
        grantee = statement.grantee.value
        if isinstance(statement.grantee, Name):
            grantee = words.GRANTEE_PHRASES.get(grantee, grantee)
        terms = _names(statement.value("purposes")) or ["any"]
        scope = [words.LICENSE_SCOPE_PHRASES.get(item, item) for item in _names(statement.value("scope"))]
        sentence = (f"You give {grantee} a licence over {self.data_words(statement.data)}, "
                    f"to use it {self.purposes(terms)}")
        sentence += f" — {listing(scope)}." if scope else "."
        entry = Entry(sentence, tone="warn")
        consent = _one(statement, "consent")
        entry.details.append(("Consent", words.CONSENT_WORDS.get(consent, words.CONSENT_WORDS[None])))
        return self.common(statement, entry)

    def right(self, statement: Right) -> Entry:
        name = self.taxonomy.label("rights", statement.right.value)
        term = self.taxonomy.term("rights", statement.right.value)
        sentence = f"{name}: {term.description}" if term and term.description else f"{name}."
        entry = Entry(sentence)
        via = _one(statement, "via")
        if via:
            entry.details.append(("How", via))
        within = statement.value("within")
        if within is not None and within.kind == "duration":
            entry.details.append(("Answered within", str(within)))
        return self.common(statement, entry)

    def never(self, statement: Never) -> Entry:
        terms = [term.value for term in statement.purposes]
        entry = Entry(f"{self.data_words(statement.data)} is never used {self.purposes(terms)}.",
                      tone="good")
        return self.common(statement, entry)


def _glance(service: Service, taxonomy: Taxonomy) -> list[Glance]:
    """The few answers people look for first."""
    def consent_of(statement) -> str | None:
        return _one(statement, "consent")

    trained, directly = [], False
    for statement in service.statements:
        if isinstance(statement, (Use, License)):
            terms = ([term.value for term in statement.purposes] if isinstance(statement, Use)
                     else _names(statement.value("purposes")) or ["any"])
            if any(taxonomy.overlaps(term, "ai.training", "purposes") for term in terms):
                trained.append(words.CONSENT_WORDS.get(consent_of(statement), words.CONSENT_WORDS[None]))
                # `any` or `ai` may include training; `ai.training.*` is training.
                directly |= any(taxonomy.is_under(term, "ai.training", "purposes") for term in terms)
    ruled_out = any(isinstance(statement, Never) and any(
        taxonomy.is_under("ai.training", term.value, "purposes") for term in statement.purposes)
        for statement in service.statements)
    if trained:
        ai = Glance("Used to train AI models?",
                    f"{'Yes' if directly else 'Possibly'}: {', '.join(dict.fromkeys(trained))}", "warn")
    elif ruled_out:
        ai = Glance("Used to train AI models?", "No: the service promises not to", "good")
    else:
        ai = Glance("Used to train AI models?", "Not stated")
    shares = [statement for statement in service.statements if isinstance(statement, Share)]
    sold = any(getattr(statement.value("sale"), "value", None) is True for statement in shares)
    # "No" only when every share says so: a share that does not say may be a sale.
    not_sold = bool(shares) and all(getattr(statement.value("sale"), "value", None) is False
                                    for statement in shares)
    others = [statement for statement in shares if _one(statement, "role") not in (None, "processor")]
    shared = (Glance("Shared with other companies?", f"Yes: with {len(others)} for their own use", "warn")
              if others else Glance("Shared with other companies?",
                                    "Only with companies working for the service" if shares else "Not stated"))
    kept_forever = any(isinstance(statement, Retain) and statement.indefinitely
                       for statement in service.statements)
    erasure = next((statement for statement in service.statements
                    if isinstance(statement, Right) and statement.right.value == "erasure"), None)
    deletion = (Glance("Can you have your data deleted?", f"Yes: {_one(erasure, 'via') or 'on request'}", "good")
                if erasure else Glance("Can you have your data deleted?", "Not stated", "warn"))
    return [ai, shared,
            Glance("Sold?", "Yes" if sold else "No" if not_sold else "Not stated", "warn" if sold else ""),
            Glance("Kept indefinitely?", "Yes, some of it" if kept_forever else "No",
                   "warn" if kept_forever else ""),
            deletion]


def service_label(service: Service, taxonomy: Taxonomy, file: str,
                  findings: list[Finding] = ()) -> ServiceLabel:
    """The label of one service; `findings` are the loaded packs' findings for its file."""
    build = _Builder(service, taxonomy)
    facts = []
    for key, title in (("controller", "Run by"), ("version", "Version"), ("effective", "In effect from")):
        value = service.value(key)
        if value is not None and not hasattr(value, "items"):
            facts.append((title, str(value.value)))
    jurisdictions = service.value("jurisdictions")
    if jurisdictions is not None:
        facts.append(("Applies in", build.regions(jurisdictions)))
    audience = _one(service, "audience")
    if audience:
        facts.append(("Meant for", words.AUDIENCE_PHRASES.get(audience, audience)))
    source = _one(service, "source") or ""
    retention: dict[str, list[str]] = {}
    for statement in service.statements:
        if isinstance(statement, Retain):
            for name in statement.data:
                retention.setdefault(name.value, []).append(build.period(statement))
    entries: dict[str, list] = {kind: [] for kind in ("data", "use", "share", "retain", "license",
                                                      "right", "never")}
    placed: list[tuple[object, Entry]] = []
    for statement in service.statements:
        if isinstance(statement, Data):
            item = build.data(statement, retention)
            entries["data"].append(item)
            placed.append((statement, item.entry))
        else:
            entry = getattr(build, statement.kind)(statement)
            entries[statement.kind].append(entry)
            placed.append((statement, entry))
    label = ServiceLabel(
        name=service.name.value, facts=facts, source=source, source_url=web_address(source),
        glance=_glance(service, taxonomy), data=entries["data"], uses=entries["use"], shares=entries["share"],
        retention=entries["retain"], licences=entries["license"], rights=entries["right"],
        commitments=entries["never"], other_findings=[], flows=flow_graph(service, taxonomy), file=file)
    _place_findings(label, service, placed, findings)
    return label


def note(finding: Finding) -> Note:
    span = finding.span
    return Note(finding.rule_id, finding.severity, finding.message,
                f"{span.file}:{span.line}:{span.column}")


def _place_findings(label: ServiceLabel, service: Service, placed, findings) -> None:
    """Each finding beside the innermost statement whose lines hold it; the
    service's own findings (and those between statements) under the service."""
    for finding in findings:
        line = finding.span.line
        if finding.span.file != label.file or not (service.span.line <= line <= service.span.end_line):
            continue
        home = None
        for statement, entry in placed:
            if statement.span.line <= line <= statement.span.end_line:
                home = entry
        if home is None:
            label.other_findings.append(note(finding))
        else:
            home.findings.append(note(finding))
