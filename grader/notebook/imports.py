"""Put back an import between student files that was deleted from a notebook cell."""
from __future__ import annotations

import ast

from grader.notebook import cells


def add_missing_imports(texts: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """The files with `from engine import Value` (and the like) added where a file uses but lost it."""
    scanned = {}
    for name, text in texts.items():
        try:
            scanned[name] = _free_names(ast.parse(text)) if name.endswith('.py') else None
        except (SyntaxError, ValueError):
            scanned[name] = None  # grading reports the syntax error itself
    out, notes = dict(texts), []
    for name, found in scanned.items():
        if found is None:
            continue
        free, imported = found
        lines = []
        for other, theirs in scanned.items():
            needed = [n for n in cells.signature(other) if n in free]
            circular = theirs is not None and name[:-3] in theirs[1]
            if other != name and other.endswith('.py') and needed and other[:-3] not in imported and not circular:
                lines.append(f"from {other[:-3]} import {', '.join(needed)}")
        if lines:
            out[name] = '\n'.join(lines) + '\n' + texts[name]
            notes.append(f"{name} uses names of other cells without importing them: added `{'; '.join(lines)}` "
                         f'at its top, so its line numbers in the feedback are {len(lines)} more than in the cell')
    return out, notes


def _free_names(tree: ast.AST) -> tuple[set[str], set[str]]:
    """Names read but never bound anywhere in the file, and the modules it imports from."""
    loaded, bound, modules = set(), set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (loaded if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.ImportFrom):
            modules.add(node.module or '')
            bound.update(a.asname or a.name for a in node.names)
        elif isinstance(node, ast.Import):
            modules.update(a.name.partition('.')[0] for a in node.names)
            bound.update((a.asname or a.name).partition('.')[0] for a in node.names)
    return loaded - bound, modules
