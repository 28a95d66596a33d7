"""The data-flow graph of a service: data sets → purposes → recipients.

Each `use` and `license` is a flow from a data set to each of its purposes;
each `share` a flow from the data set to each of its purposes and from there
to the recipient (straight to the recipient when it names no purpose); each
`never` a barred flow from the data set to the purpose it rules out. A flow
carries the consent it rests on, so that the picture can show "no consent".

`changed_graph(old, new)` lays two versions over each other: what only the
new version has is `added`, what only the old one had is `removed`, a flow
whose consent got weaker is `weakened`; `worse` says whether the change
protects people less (a new use, a removed `never`, weaker consent).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from tospolicy.language.model import License, Name, Never, Service, Share, Text, Use, items_of
from tospolicy.language.taxonomy import Taxonomy
from tospolicy.render.phrases import BASIS_WORDS, CONSENT_WORDS, GRANTEE_PHRASES

DATA, PURPOSE, RECIPIENT = 0, 1, 2  # the diagram's columns
SAME, ADDED, REMOVED, WEAKENED, STRENGTHENED = "same", "added", "removed", "weakened", "strengthened"
NARROWED = "narrowed"  # a new flow to a purpose an old flow of the same data already covered
# Strongest first, as in LANGUAGE.md; unspecified consent is weaker than none
# would claim to be only in name, so it ranks with `none` for "weakened".
CONSENT_RANK = {"explicit_opt_in": 3, "opt_in": 2, "opt_out": 1, "none": 0, None: 0}


@dataclass(frozen=True)
class Node:
    key: str  # "data:NAME", "purpose:TERM", "recipient:NAME": unique in a graph
    column: int
    label: str
    status: str = SAME


@dataclass(frozen=True)
class Flow:
    source: str  # node keys
    target: str
    kind: str  # use | share | license | never
    consent: str | None  # a consent value, None where the declaration does not say
    status: str = SAME
    was: str | None = None  # the consent before, for a weakened or strengthened flow
    basis: str | None = None  # the legal basis, which says why no consent is asked

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.source, self.target, self.kind)

    @property
    def style(self) -> str:
        """How the edge is drawn: by consent, or `never` for a commitment."""
        if self.kind == "never":
            return "never"
        if self.consent is None and self.basis in BASIS_WORDS:
            return "basis"
        return {"explicit_opt_in": "optin", "opt_in": "optin", "opt_out": "optout",
                "none": "noconsent"}.get(self.consent, "unstated")

    @property
    def consent_words(self) -> str:
        """The consent in a few words; without one, the basis that needs none."""
        if self.kind == "never":
            return "never"
        if self.consent is None and self.basis in BASIS_WORDS:
            return BASIS_WORDS[self.basis]
        return CONSENT_WORDS.get(self.consent, CONSENT_WORDS[None])

    @property
    def words(self) -> str:
        """The edge's label: its consent (or "never"), and for a licence that it is one."""
        if self.kind == "never":
            return "never"
        words = self.consent_words
        if self.kind == "license":
            words = f"licence, {words}"
        if self.status == WEAKENED or self.status == STRENGTHENED:
            before = CONSENT_WORDS.get(self.was, CONSENT_WORDS[None])
            words = f"{before} → {words}"
        return words

    @property
    def worse(self) -> bool | None:
        """Whether this change protects people less; None when nothing changed."""
        if self.status == SAME:
            return None
        if self.status == NARROWED:
            return False
        if self.status == ADDED:
            return self.kind != "never"
        if self.status == REMOVED:
            return self.kind == "never"
        return self.status == WEAKENED


@dataclass
class FlowGraph:
    nodes: dict[str, Node] = field(default_factory=dict)
    flows: list[Flow] = field(default_factory=list)
    # Where each flow's key is in `flows`: a declaration may hold thousands.
    _where: dict[tuple[str, str, str], int] = field(default_factory=dict, repr=False)

    def column(self, column: int) -> list[Node]:
        return [node for node in self.nodes.values() if node.column == column]

    def _node(self, key: str, column: int, label: str) -> str:
        self.nodes.setdefault(key, Node(key, column, label))
        return key

    def _flow(self, flow: Flow) -> None:
        """Adds a flow; the same flow twice keeps the weaker consent (the honest picture)."""
        index = self._where.get(flow.key)
        if index is None:
            self._where[flow.key] = len(self.flows)
            self.flows.append(flow)
            return
        present = self.flows[index]
        if CONSENT_RANK.get(flow.consent, 0) < CONSENT_RANK.get(present.consent, 0):
            self.flows[index] = replace(present, consent=flow.consent)


def _consent(statement) -> str | None:
    value = statement.value("consent")
    return value.value if isinstance(value, Name) else None


def _basis(statement) -> str | None:
    value = statement.value("basis")
    return value.value if isinstance(value, Name) else None


def _flow(source: str, target: str, kind: str, statement) -> Flow:
    return Flow(source, target, kind, _consent(statement), basis=_basis(statement))


def _party(value: Name | Text) -> str:
    if isinstance(value, Name):
        return GRANTEE_PHRASES.get(value.value, value.value)
    return value.value


def flow_graph(service: Service, taxonomy: Taxonomy) -> FlowGraph:
    """The flows of one service, nodes in the order the declaration first names them."""
    graph = FlowGraph()
    labels = {statement.name.value: (statement.label.value if statement.label else statement.name.value)
              for statement in service.statements if statement.kind == "data"}

    def data(name: Name) -> str:
        return graph._node(f"data:{name.value}", DATA, labels.get(name.value, name.value))

    def purpose(term: str) -> str:
        return graph._node(f"purpose:{term}", PURPOSE, taxonomy.label("purposes", term))

    for statement in service.statements:
        if statement.kind == "data":
            data(statement.name)
        elif isinstance(statement, (Use, Never)):
            for name in statement.data:
                for term in statement.purposes:
                    graph._flow(_flow(data(name), purpose(term.value), statement.kind, statement))
        elif isinstance(statement, License):
            terms = [item.value for item in items_of(statement.value("purposes"))
                     if isinstance(item, Name)] or ["any"]  # a licence for no stated purpose is open
            grantee = None
            if not (isinstance(statement.grantee, Name) and statement.grantee.value == "provider"):
                grantee = _party(statement.grantee)
            for name in statement.data:
                for term in terms:
                    graph._flow(_flow(data(name), purpose(term), "license", statement))
                    if grantee is not None:
                        target = graph._node(f"recipient:{grantee}", RECIPIENT, grantee)
                        graph._flow(_flow(purpose(term), target, "license", statement))
        elif isinstance(statement, Share):
            recipient = _party(statement.recipient)
            target = f"recipient:{recipient}"
            terms = [item.value for item in items_of(statement.value("purposes"))
                     if isinstance(item, Name)]
            for name in statement.data:
                source = data(name)
                if not terms:
                    graph._node(target, RECIPIENT, recipient)
                    graph._flow(_flow(source, target, "share", statement))
                for term in terms:
                    graph._flow(_flow(source, purpose(term), "share", statement))
                    graph._node(target, RECIPIENT, recipient)
                    graph._flow(_flow(purpose(term), target, "share", statement))
    return graph


def _purposes_before(old: FlowGraph) -> dict[tuple[str, str], list[str]]:
    """The old version's purposes by (data set, kind of flow)."""
    purposes: dict[tuple[str, str], list[str]] = {}
    for flow in old.flows:
        if flow.target.startswith("purpose:"):
            purposes.setdefault((flow.source, flow.kind), []).append(flow.target.removeprefix("purpose:"))
    return purposes


def _covered(flow: Flow, before: dict[tuple[str, str], list[str]], taxonomy: Taxonomy) -> bool:
    """Whether the old version had a flow of the same data and kind to a purpose
    that covers this flow's purpose (`any` covers `service.provision`)."""
    if not flow.target.startswith("purpose:"):
        return False
    purpose = flow.target.removeprefix("purpose:")
    return any(taxonomy.is_under(purpose, earlier, "purposes")
               for earlier in before.get((flow.source, flow.kind), ()))


def changed_graph(old: FlowGraph | None, new: FlowGraph | None, taxonomy: Taxonomy) -> FlowGraph:
    """Both versions in one graph, each node and flow marked with what happened to it."""
    old = old or FlowGraph()
    new = new or FlowGraph()
    graph = FlowGraph()
    for key, node in new.nodes.items():
        graph.nodes[key] = replace(node, status=SAME if key in old.nodes else ADDED)
    for key, node in old.nodes.items():
        if key not in graph.nodes:
            graph.nodes[key] = replace(node, status=REMOVED)
    before = {flow.key: flow for flow in old.flows}
    after = {flow.key for flow in new.flows}
    purposes_before = _purposes_before(old)
    for flow in new.flows:
        previous = before.get(flow.key)
        if previous is None:
            narrowed = flow.kind != "never" and _covered(flow, purposes_before, taxonomy)
            graph.flows.append(replace(flow, status=NARROWED if narrowed else ADDED))
            continue
        was, now = CONSENT_RANK.get(previous.consent, 0), CONSENT_RANK.get(flow.consent, 0)
        if now != was:
            status = WEAKENED if now < was else STRENGTHENED
            graph.flows.append(replace(flow, status=status, was=previous.consent))
        else:
            graph.flows.append(flow)
    graph.flows += [replace(flow, status=REMOVED) for flow in old.flows if flow.key not in after]
    return graph


def changed(graph: FlowGraph) -> bool:
    """Whether anything in a merged graph differs between the two versions."""
    return (any(node.status != SAME for node in graph.nodes.values())
            or any(flow.status != SAME for flow in graph.flows))
