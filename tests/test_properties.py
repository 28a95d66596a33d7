"""Property-based tests of the parser: generated declarations parse back to what
was generated, and no text at all makes it raise or point outside the file."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tospolicy.parser import KEYWORDS, parse_text

WORD = st.from_regex(r"[a-z_][a-z0-9_]{0,7}", fullmatch=True).filter(
    lambda word: word not in KEYWORDS and word not in {"yes", "no", "true", "false"}
)
TERM = st.lists(WORD, min_size=1, max_size=3).map(".".join)
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)
UNITS = ["hour", "hours", "day", "days", "week", "weeks", "month", "months", "year", "years"]


def quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t") + '"'


@st.composite
def values(draw):
    kind = draw(st.sampled_from(["name", "text", "number", "date", "duration", "list", "brackets"]))
    if kind == "name":
        return draw(TERM)
    if kind == "text":
        return quoted(draw(TEXT))
    if kind == "number":
        return str(draw(st.integers(0, 10**6)))
    if kind == "date":
        date = draw(st.dates())
        return f"{date.year:04d}-{date.month:02d}-{date.day:02d}"
    if kind == "duration":
        return f"{draw(st.integers(0, 999))} {draw(st.sampled_from(UNITS))}"
    items = draw(st.lists(TERM, min_size=2 if kind == "list" else 0, max_size=4))
    if kind == "list":
        return ", ".join(items)
    return "[" + ", ".join(items) + "]"


@st.composite
def body(draw):
    if not draw(st.booleans()):
        return ""
    attributes = draw(st.lists(st.tuples(WORD, values(), st.booleans()), max_size=3))
    inner = " ".join(f"{key}: {value}{';' if semi else ''}" for key, value, semi in attributes)
    return " { " + inner + " }"


@st.composite
def statements(draw):
    kind = draw(st.sampled_from(["data", "use", "share", "retain", "license", "right", "never"]))
    names = ", ".join(draw(st.lists(WORD, min_size=1, max_size=3)))
    if kind == "data":
        label = " " + quoted(draw(TEXT)) if draw(st.booleans()) else ""
        head = f"data {draw(WORD)}{label}"
    elif kind in ("use", "never"):
        head = f"{kind} {names} for {', '.join(draw(st.lists(TERM, min_size=1, max_size=3)))}"
    elif kind == "share":
        head = f"share {names} with {draw(st.one_of(WORD, TEXT.map(quoted)))}"
    elif kind == "retain":
        period = draw(st.sampled_from(["duration", "indefinitely", "until"]))
        if period == "duration":
            head = f"retain {names} for {draw(st.integers(1, 99))} {draw(st.sampled_from(UNITS))}"
        elif period == "until":
            head = f"retain {names} until {draw(TERM)}"
        else:
            head = f"retain {names} indefinitely"
        if draw(st.booleans()):
            head += f" after {draw(TERM)}"
    elif kind == "license":
        head = f"license {names} to {draw(st.one_of(WORD, TEXT.map(quoted)))}"
    else:
        head = f"right {draw(WORD)}"
    return kind, head + draw(body())


@st.composite
def declarations(draw):
    services = draw(st.lists(st.lists(statements(), max_size=6), min_size=1, max_size=3))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    comment = draw(st.booleans())
    parts = []
    for number, items in enumerate(services):
        lines = [f'service "service {number}" {{']
        for _, statement in items:
            lines.append("  " + statement + ("  # note" if comment else ""))
        lines.append("}")
        parts.append(newline.join(lines))
    return [[kind for kind, _ in items] for items in services], newline.join(parts) + newline


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(declarations())
def test_generated_declarations_parse_to_what_was_written(case):
    kinds, text = case
    result = parse_text(text, "generated.tos")
    assert result.findings == [], (text, result.findings)
    parsed = [[statement.kind for statement in service.statements]
              for service in result.declaration.services]
    assert parsed == kinds


def _assert_inside(text: str, findings) -> None:
    lines = text.lstrip("\ufeff").split("\n")
    for finding in findings:
        span = finding.span
        assert 1 <= span.line <= span.end_line <= len(lines), (finding, len(lines))
        assert 1 <= span.column <= len(lines[span.line - 1]) + 1, finding
        assert 1 <= span.end_column <= len(lines[span.end_line - 1]) + 1, finding


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=300))
def test_parse_never_raises_and_findings_stay_inside_the_file(text):
    result = parse_text(text, "random.tos")
    assert (result.declaration is None) == bool(result.findings)
    _assert_inside(text, result.findings)


@settings(max_examples=300, deadline=None)
@given(declarations(), st.data())
def test_mutated_declarations_never_raise(case, data):
    _, text = case
    operation = data.draw(st.sampled_from(["truncate", "insert", "delete", "duplicate"]))
    position = data.draw(st.integers(0, len(text)))
    if operation == "truncate":
        text = text[:position]
    elif operation == "insert":
        text = text[:position] + data.draw(st.text(min_size=1, max_size=5)) + text[position:]
    elif operation == "delete":
        text = text[:position] + text[position + data.draw(st.integers(1, 10)):]
    else:
        end = data.draw(st.integers(position, len(text)))
        text = text[:end] + text[position:end] + text[end:]
    result = parse_text(text, "mutated.tos")
    _assert_inside(text, result.findings)
