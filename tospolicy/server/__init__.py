"""`tospolicy lsp`: a language server (LSP 3.17 over standard input and output).

One engine with the command line: each open declaration is checked from the
editor's text by the one check pipeline (`checking/pipeline.py`), under the
configuration found from the file's folder up, with the same packs, so that
its diagnostics are `tospolicy check`'s findings, message for message.

- `documents.py`: the open documents, their text and LSP positions.
- `projects.py`: settings and rule sets, loaded once per configuration and
  dropped when a pack or the configuration changes.
- `diagnostics.py`: findings as LSP diagnostics; rule packs and
  `.tospolicy.yml` validated from the editor's text.
- `context.py`: what the cursor is in (a statement, an attribute, a value).
- `completion.py`, `hover.py`, `names.py` (definition, references, rename,
  symbols), `actions.py` (quick fixes, suppressions), `formatting.py`.
- `app.py`: the pygls server that wires LSP requests to the modules above.
"""
