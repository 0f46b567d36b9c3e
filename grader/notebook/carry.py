"""One exercise file from its cells, with what it uses from elsewhere in the notebook carried along.

In a notebook every cell sees every name defined before it: `math` imported in a set-up cell, `Value`
from another exercise's cell, a helper function. A file graded on its own sees none of them, so:
- names of an earlier exercise file (`Value` in nn.py) become `from engine import Value` at the top;
- other names (`math`, a helper) bring the statement above the file's cells that defines them, the
  last one, as running from the top does, and what that statement needs in turn. It goes above the
  file's code, or below it when it needs the file's own names (`one = Value(1.0)` in engine.py);
- a name of an earlier exercise that the file's cells define again is imported back at the end, so
  the whole notebook shares one `Value`, as the kernel does;
- a top-level expression that only shows something (`L`, `draw_dot(L)`) is commented out.
"""
from __future__ import annotations

import ast
import functools

from grader.notebook import cells
from grader.notebook.assemble import Cell, FileText
from grader.notebook.python import PROVIDED, bound_names, defined, free_names, needed_when_run, parse, shown_lines

MAX_ROUNDS = 20  # helpers that need helpers: deeper than this is not a set-up cell


def compose(name: str, parts: list[Cell], found: list[Cell], present: list[str]) -> FileText:
    """The file's text from its cells, with what it needs from other cells added."""
    lines, origins = body(parts, name)
    own = [c.number for c in parts]
    tree = parse('\n'.join(lines)) if name.endswith('.py') else None
    if tree is None:  # a data file, or a syntax error that grading reports
        return FileText('\n'.join(lines) + '\n', origins, own)
    exercise_names = {n for f in cells.student_files() for n in cells.signature(f)}
    mine = {n for stmt in tree.body for n in bound_names(stmt)}
    earlier = [f for f in cells.student_files() if f.endswith('.py') and f in present]
    earlier = earlier[:earlier.index(name)] if name in earlier else earlier
    chosen = carry(free_names(tree) - exercise_names, exercise_names | mine, max(own), found, name)
    head, tail = place(chosen, {n for f in earlier for n in cells.signature(f)}, mine)
    head_lines, head_origins = _lines(head)
    tail_lines, tail_origins = _lines(tail)
    whole = parse('\n'.join(head_lines + lines + tail_lines))
    needed = free_names(whole) if whole is not None else free_names(tree)
    top = [f'from {f[:-3]} import {", ".join(names)}' for f in earlier
           if (names := [n for n in cells.signature(f) if n in needed])]
    bottom = [f'from {f[:-3]} import {", ".join(names)}' for f in earlier
              if (names := [n for n in cells.signature(f) if n in defined(tree)])]
    text = '\n'.join(top + head_lines + lines + bottom + tail_lines) + '\n'
    origins = [None] * len(top) + head_origins + origins + [None] * len(bottom) + tail_origins
    return FileText(text, origins, own, top, [(cell, _describe(stmt, source)) for cell, stmt, source in head + tail])


def body(parts: list[Cell], name: str) -> tuple[list[str], list[tuple[int, int]]]:
    """The file's own lines, from its cells in order, with lines that only show something commented out."""
    lines, origins = [], []
    for cell in parts:
        text = cells.from_cell(cell.source, name)
        tree = parse(text) if name.endswith('.py') else None
        shown = set(shown_lines(tree)) if tree is not None else set()
        for number, line in enumerate(text.splitlines(), 1):
            lines.append('# ' + line if number in shown else line)
            origins.append((cell.number, number))
    return lines, origins


Carried = tuple[int, ast.stmt, str]  # (cell, statement, the statement's own text)


def carry(names: set[str], exclude: set[str], before: int, found: list[Cell], name: str) -> list[Carried]:
    """The statements of the cells above `before` that define these names, and what those need in turn."""
    last: dict[str, tuple[int, ast.stmt, str]] = {}  # name -> the last statement above that binds it
    for binding in _bindings([c for c in found if c.number < before], name):
        for bound in bound_names(binding[1]):
            last[bound] = binding
    chosen: dict[tuple[int, int, int], tuple[ast.stmt, str, set[str]]] = {}
    wanted, done = sorted(names), set(exclude)
    for _ in range(MAX_ROUNDS):
        later = []
        for n in wanted:
            if n in done:
                continue
            done.add(n)
            if n not in last:
                continue  # nowhere above: grading reports the NameError where it happens
            cell, stmt, text = last[n]  # the last one above, as running from the top leaves it
            chosen.setdefault((cell, stmt.lineno, stmt.col_offset), (stmt, text, set()))[2].add(n)
            if not isinstance(stmt, (ast.Import, ast.ImportFrom)):
                later.extend(sorted(free_names(stmt)))
        wanted = later
    return [(cell, stmt, _source(stmt, text, needs)) for (cell, _, _), (stmt, text, needs) in sorted(chosen.items())]


def place(chosen: list[Carried], available: set[str], mine: set[str]) -> tuple[list[Carried], list[Carried]]:
    """Which carried statements go above the file's code and which below it, where what they read exists.

    Above, a statement can read the earlier files' names (imported at the top) and what the statements
    before it define; below, the file's own names too (`one = Value(1.0)` needs engine.py's Value). A
    statement that can run in neither place stays behind, as it would fail in the notebook too.
    """
    ready, head, rest = set(available) | PROVIDED, [], []
    for item in chosen:
        if needed_when_run(item[1]) <= ready:
            head.append(item)
            ready |= set(bound_names(item[1]))
        else:
            rest.append(item)
    ready |= mine
    tail = []
    for item in rest:
        if needed_when_run(item[1]) <= ready:
            tail.append(item)
            ready |= set(bound_names(item[1]))
    return head, tail


def _lines(carried: list[Carried]) -> tuple[list[str], list[tuple[int, int]]]:
    """The carried statements' lines, and the cell line each came from."""
    lines, origins = [], []
    for cell, stmt, source in carried:
        chunk = source.splitlines()
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            numbers = [stmt.lineno] * len(chunk)  # one line per import kept
        else:
            start = min([stmt.lineno] + [d.lineno for d in getattr(stmt, 'decorator_list', [])])
            numbers = list(range(start, start + len(chunk)))
        lines.extend(chunk)
        origins.extend((cell, n) for n in numbers)
    return lines, origins


def _bindings(found: list[Cell], name: str) -> list[tuple[int, ast.stmt, str]]:
    """Every top-level statement that binds a name, with its cell's text; a file never carries its own import."""
    out = []
    for cell in found:
        text = cells.from_cell(cell.source, name)
        tree = parse(text)
        for stmt in tree.body if tree is not None else []:
            if bound_names(stmt) and not _imports_itself(stmt, name):
                out.append((cell.number, stmt, text))
    return out


def _imports_itself(stmt: ast.stmt, name: str) -> bool:
    modules = [stmt.module or ''] if isinstance(stmt, ast.ImportFrom) else [a.name for a in getattr(stmt, 'names', [])]
    return isinstance(stmt, (ast.Import, ast.ImportFrom)) and any(m.partition('.')[0] == name[:-3] for m in modules)


def _source(stmt: ast.stmt, text: str, needs: set[str]) -> str:
    """The statement's own text; an import keeps only the names needed, one import a line."""
    if isinstance(stmt, ast.Import):
        return '\n'.join(ast.unparse(ast.Import(names=[a])) for a in stmt.names
                         if (a.asname or a.name).partition('.')[0] in needs)
    if isinstance(stmt, ast.ImportFrom):
        kept = [a for a in stmt.names if (a.asname or a.name) in needs]
        return ast.unparse(ast.ImportFrom(module=stmt.module, names=kept, level=stmt.level))
    lines = _split(text)
    start = min([stmt.lineno] + [d.lineno for d in getattr(stmt, 'decorator_list', [])])
    first = 0 if start < stmt.lineno else stmt.col_offset
    chunk = lines[start - 1:stmt.end_lineno]
    if len(chunk) == 1:
        return chunk[0][first:stmt.end_col_offset]
    return '\n'.join([chunk[0][first:]] + chunk[1:-1] + [chunk[-1][:stmt.end_col_offset]])


@functools.lru_cache(maxsize=16)
def _split(text: str) -> list[str]:
    """A cell's lines, split once however many of its statements are carried (not to be changed)."""
    return text.splitlines()


def _describe(stmt: ast.stmt, source: str) -> str:
    """A short, safe name for a carried statement: `import math`, `def helper`, `xs = ...`."""
    if isinstance(stmt, (ast.Import, ast.ImportFrom)):
        return '; '.join(f'`{line}`' for line in source.splitlines())
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return f"`{'class' if isinstance(stmt, ast.ClassDef) else 'def'} {stmt.name}`"
    return f"`{', '.join(bound_names(stmt)) or '?'} = ...`"
