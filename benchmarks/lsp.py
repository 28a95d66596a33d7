"""The language server's latency: diagnostics after a change, completion.

Starts `tospolicy lsp` under this interpreter, as an editor would (stdio, a
pygls client), opens a generated declaration of about 1,000 lines, then
measures, `--repeat` times each:

- diagnostics: from sending a one-character change (alternately breaking and
  mending a value, so that each change gives different diagnostics) to
  receiving the document's new diagnostics;
- completion: a request for the values of `consent:` (taxonomy terms with
  labels) in the middle of the document, to its answer.

With `--terms FILE` (a Markdown text: a real policy from
`../shared/peers/terms/`), the first service binds a copy of it and quotes
its first passage, so that each check binds a text and places findings in it
(TEXT003); and a third series measures completion inside that quote.

Targets: diagnostics within 100 ms, completion within 50 ms.
Prints medians and 90th percentiles in milliseconds; `--markdown FILE` writes
the table. Nothing here runs in CI.

    .venv/bin/python benchmarks/lsp.py --lines 1000 --repeat 50
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import make_services, render_tos  # noqa: E402 - beside this file


def declaration(lines: int, seed: int = 1) -> str:
    """Generated services, as many as make about `lines` lines."""
    text, count = "", 1
    while text.count("\n") < lines:
        text = "\n".join(render_tos(service) for service in make_services(count, seed))
        count += 1
    return text


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


QUOTE = 'quote: "'


def bind_terms(text: str, terms: str) -> str:
    """The declaration with its first service bound to `terms.md`, quoting its first words."""
    words = " ".join(next(line for line in terms.splitlines() if len(line.split()) > 3).split()[:3])
    start = text.index("{\n") + 2
    return text[:start] + f'  text: "terms.md"\n  {QUOTE}{words.strip("*#")}"\n' + text[start:]


async def measure(lines: int, repeat: int, terms: Path | None = None) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="tospolicy-lsp-bench-"))
    (folder / ".git").mkdir()
    path = folder / "big.tos"
    text = declaration(lines)
    if terms is not None:
        (folder / "terms.md").write_bytes(terms.read_bytes())
        text = bind_terms(text, terms.read_text(encoding="utf-8"))
    path.write_text(text, encoding="utf-8")
    uri = path.as_uri()
    client = LanguageClient("benchmark", "1")
    received: asyncio.Queue = asyncio.Queue()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def diagnostics(params: types.PublishDiagnosticsParams):
        received.put_nowait(params)

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params):
        return None

    await client.start_io(sys.executable, "-m", "tospolicy", "lsp")
    await client.initialize_async(types.InitializeParams(
        capabilities=types.ClientCapabilities(), root_uri=folder.as_uri()))
    client.initialized(types.InitializedParams())
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        types.TextDocumentItem(uri, "tospolicy", 1, text)))
    await received.get()  # the first check loads the packs: not what is measured

    consent = text.index("consent: ", len(text) // 2) + len("consent: ")
    line = text.count("\n", 0, consent)
    column = consent - (text.rfind("\n", 0, consent) + 1)
    value_end = column + len(text[consent:].split()[0].rstrip(",;}"))
    original = text[consent + value_end - column - 1]
    server = client._server.pid
    change_times, completion_times = [], []
    cpu_before = _cpu_ms(server)
    for number in range(repeat):
        # Replace the value's last character: a typo, then the original again.
        replacement = "x" if number % 2 == 0 else original
        start = time.perf_counter()
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(version=number + 2, uri=uri),
            [types.TextDocumentContentChangePartial(
                types.Range(types.Position(line, value_end - 1), types.Position(line, value_end)),
                replacement)]))
        while (await received.get()).version != number + 2:
            pass
        change_times.append((time.perf_counter() - start) * 1000)
    change_cpu = (_cpu_ms(server) - cpu_before) / repeat
    cpu_before = _cpu_ms(server)
    for number in range(repeat):
        start = time.perf_counter()
        items = await client.text_document_completion_async(types.CompletionParams(
            types.TextDocumentIdentifier(uri), types.Position(line, column)))
        completion_times.append((time.perf_counter() - start) * 1000)
        assert items.items, "no completion"
    completion_cpu = (_cpu_ms(server) - cpu_before) / repeat
    result = {"diagnostics": change_times, "completion": completion_times,
              "cpu": {"diagnostics": change_cpu, "completion": completion_cpu}}
    if terms is not None:
        quote = text.index(QUOTE) + len(QUOTE) + 2  # two characters of the quote typed
        position = types.Position(text.count("\n", 0, quote), quote - (text.rfind("\n", 0, quote) + 1))
        quote_times = []
        cpu_before = _cpu_ms(server)
        for number in range(repeat):
            start = time.perf_counter()
            items = await client.text_document_completion_async(types.CompletionParams(
                types.TextDocumentIdentifier(uri), position))
            quote_times.append((time.perf_counter() - start) * 1000)
            assert items.items, "no quote completed"
        result["quotes"] = quote_times
        result["cpu"]["quotes"] = (_cpu_ms(server) - cpu_before) / repeat
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    result["lines"] = text.count("\n")
    return result


def _cpu_ms(pid: int) -> float:
    """The CPU time (user and system) the process has used, from /proc (Linux)."""
    import os

    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def table(result: dict, repeat: int) -> str:
    rows = [("diagnostics after a change", "diagnostics", 100),
            ("completion of `consent:`", "completion", 50),
            ("completion in a `quote:` of the bound text", "quotes", 50)]
    out = [f"A {result['lines']}-line declaration, {repeat} runs each (milliseconds; wall time "
           "from the client, CPU time of the server process per request):", "",
           "| what | wall median | wall 90th percentile | server CPU a request | target | met (wall) |",
           "|---|---|---|---|---|---|"]
    for what, key, target in rows:
        if key not in result:
            continue
        values = result[key]
        median = statistics.median(values)
        out.append(f"| {what} | {median:.1f} | {_percentile(values, 0.9):.1f} | "
                   f"{result['cpu'][key]:.1f} | <= {target} | {'yes' if median <= target else 'no'} |")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=1000, help="size of the declaration (default 1000)")
    parser.add_argument("--repeat", type=int, default=50, help="changes and completions (default 50)")
    parser.add_argument("--terms", type=Path, help="a Markdown text the first service binds")
    parser.add_argument("--markdown", type=Path, help="also write the table to this file")
    args = parser.parse_args(argv)
    result = asyncio.run(measure(args.lines, args.repeat, args.terms))
    text = table(result, args.repeat)
    print(text, end="")
    if args.markdown:
        args.markdown.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
