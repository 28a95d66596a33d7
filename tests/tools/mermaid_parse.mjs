// Parses Mermaid diagrams with Mermaid's own parser, as GitHub's renderer would.
// Input (stdin): a JSON list of diagram texts. Output (stdout): a JSON list, one
// entry per diagram: {ok, error} and, for a flowchart, its nodes (id -> label
// text), its edges (start, end, label) and its click handlers, so that a test
// can check that a hostile name added no node, edge or link of its own.
import { readFileSync } from "node:fs";
import { JSDOM } from "jsdom";

const dom = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });

const texts = JSON.parse(readFileSync(0, "utf8"));
const results = [];
for (const text of texts) {
  try {
    await mermaid.parse(text);
    const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
    const db = diagram.db;
    const vertices = db.getVertices();
    const nodes = {};
    for (const [id, vertex] of vertices instanceof Map ? vertices : Object.entries(vertices)) {
      nodes[id] = vertex.text;
    }
    const edges = db.getEdges().map((edge) => ({ start: edge.start, end: edge.end, text: edge.text }));
    const clicks = (db.getClickEvents ? [...(db.getClickEvents() || [])] : []).length
      + Object.values(Object.fromEntries(vertices instanceof Map ? vertices : Object.entries(vertices)))
        .filter((vertex) => vertex.link || vertex.haveCallback).length;
    results.push({ ok: true, type: diagram.type, nodes, edges, clicks });
  } catch (error) {
    results.push({ ok: false, error: String(error && error.message || error).split("\n").slice(0, 3).join(" ") });
  }
}
process.stdout.write(JSON.stringify(results));
