"""Code actions: the "did you mean" fix of a finding, and "suppress with a reason".

A finding that carries a fix (`Finding.fix`: one replacement for one span)
gives a quick fix that writes it; the diagnostic holds it in its `data`.
Otherwise, a finding's message ends in `(did you mean 'x'?)` or `(did you mean 'x' or
'y'?)` when a close name exists; each suggestion becomes a quick fix that
replaces the word the finding points at. "Suppress with a reason" writes
`# tospolicy: ignore[ID] ` at the end of the finding's line (or alone on a
line above, when that line already has a comment) and then asks the editor
to put the cursor after it (`window/showDocument`), where the reason goes.
"""

from __future__ import annotations

import re

from lsprotocol import types

from tospolicy.server.documents import Document

PLACE_CURSOR = "tospolicy.placeCursor"
_DID_YOU_MEAN = re.compile(r"did you mean ((?:'[^']+'(?: or )?)+)\?")
_QUOTED = re.compile(r"'([^']+)'")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*(?:\.[A-Za-z_][A-Za-z0-9_\-]*)*\$?")


def suggestions(message: str) -> list[str]:
    match = _DID_YOU_MEAN.search(message)
    return _QUOTED.findall(match.group(1)) if match else []


def code_actions(document: Document, diagnostics: list[types.Diagnostic]) -> list[types.CodeAction]:
    actions = []
    for diagnostic in diagnostics:
        if diagnostic.source != "tospolicy" or not diagnostic.code:
            continue
        actions.extend(_fixes(document, diagnostic))
        if diagnostic.code not in ("TOS001", "TOS002", "TOS003"):  # not findings a comment can hide
            actions.append(_suppress(document, diagnostic))
    return actions


def _fixes(document: Document, diagnostic: types.Diagnostic) -> list[types.CodeAction]:
    fix = diagnostic.data.get("fix") if isinstance(diagnostic.data, dict) else None
    if isinstance(fix, dict) and isinstance(fix.get("replacement"), str):
        return [_fix_from_finding(document, diagnostic, fix)]
    start, end = document.range_offsets(diagnostic.range)
    wrong = _QUOTED.search(diagnostic.message)
    target = _target(document.text, start, end, wrong.group(1) if wrong else None)
    if target is None:
        return []
    fixes = []
    for number, suggestion in enumerate(suggestions(diagnostic.message)):
        edit = types.TextEdit(document.offset_range(*target), suggestion)
        fixes.append(types.CodeAction(
            title=f"Replace with '{suggestion}'",
            kind=types.CodeActionKind.QuickFix,
            diagnostics=[diagnostic],
            is_preferred=number == 0,
            edit=types.WorkspaceEdit(changes={document.uri: [edit]}),
        ))
    return fixes


def _fix_from_finding(document: Document, diagnostic: types.Diagnostic, fix: dict) -> types.CodeAction:
    """The finding's own fix, as the diagnostic carries it (diagnostics.py)."""
    start_line, start_character, end_line, end_character = (int(number) for number in fix["range"])
    where = types.Range(types.Position(start_line, start_character),
                        types.Position(end_line, end_character))
    replacement = fix["replacement"]
    return types.CodeAction(
        title=f"Replace with '{replacement}'",
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diagnostic],
        is_preferred=True,
        edit=types.WorkspaceEdit(changes={document.uri: [types.TextEdit(where, replacement)]}),
    )


def _target(text: str, start: int, end: int, wrong: str | None) -> tuple[int, int] | None:
    """The word to replace: the one the message quotes as wrong, within the
    finding's range (or starting there), else the finding's range when it is
    one word."""
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    window = text[start:max(end, line_end)]
    if wrong:
        for match in _WORD.finditer(window):
            if match.group() == wrong:
                return start + match.start(), start + match.end()
    if _WORD.fullmatch(text[start:end]):
        return start, end
    return None


def _suppress(document: Document, diagnostic: types.Diagnostic) -> types.CodeAction:
    line_number = diagnostic.range.start.line
    line = document.lsp_line(line_number)
    comment = f"# tospolicy: ignore[{diagnostic.code}] "
    line_start = document.lsp_starts[line_number] if line_number < len(document.lsp_starts) else len(document.text)
    if "#" in line:
        indent = line[:len(line) - len(line.lstrip())]
        insert_at = line_start
        new_text = f"{indent}{comment}\n"
        cursor = document.position(line_start)
        cursor = types.Position(cursor.line, cursor.character + len(indent) + len(comment))
    else:
        insert_at = line_start + len(line)
        new_text = ("" if line.endswith(" ") else "  ") + comment
        end = document.position(insert_at)
        cursor = types.Position(end.line, end.character + len(new_text))
    position = document.position(insert_at)
    edit = types.TextEdit(types.Range(position, position), new_text)
    return types.CodeAction(
        title=f"Suppress {diagnostic.code} here, with a reason",
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diagnostic],
        edit=types.WorkspaceEdit(changes={document.uri: [edit]}),
        command=types.Command(title="Place the cursor for the reason", command=PLACE_CURSOR,
                              arguments=[document.uri, cursor.line, cursor.character]),
    )
