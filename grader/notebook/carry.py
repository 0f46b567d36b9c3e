"""One exercise file from its cells, with what it uses from elsewhere in the notebook carried along.

In a notebook every cell sees every name defined before it: `math` imported in a set-up cell, `Value`
from another exercise's cell, a helper function. A file graded on its own sees none of them, so:
- names of an earlier exercise file (`Value` in nn.py) become `from engine import Value` at the top;
- other names (`math`, a helper) bring the statement above the file's cells that defines them, the
  last one, as running from the top does, and what that statement needs in turn; a statement that
  could not run where it is carried to (`n = Neuron(2)` above nn.py's own Neuron) stays behind;
- a name of an earlier exercise that the file's cells define again is imported back at the end, so
  the whole notebook shares one `Value`, as the kernel does;
- a top-level expression that only shows something (`L`, `draw_dot(L)`) is commented out.
"""
from __future__ import annotations

import ast

from grader.notebook import cells
from grader.notebook.assemble import Cell, FileText
from grader.notebook.python import PROVIDED, bound_names, defined, free_names, needed_when_run, parse, shown_lines

MAX_ROUNDS = 20  # helpers that need helpers: deeper than this is not a set-up cell


def compose(name: str, parts: list[Cell], found: list[Cell], present: list[str]) -> FileText:
    """The file's text from its cells, with what it needs from other cells added."""
    lines, origins = [], []
    for cell in parts:
        text = cells.from_cell(cell.source, name)
        tree = parse(text) if name.endswith('.py') else None
        shown = set(shown_lines(tree)) if tree is not None else set()
        for number, line in enumerate(text.splitlines(), 1):
            lines.append('# ' + line if number in shown else line)
            origins.append((cell.number, number))
    own = [c.number for c in parts]
    tree = parse('\n'.join(lines)) if name.endswith('.py') else None
    if tree is None:  # a data file, or a syntax error that grading reports
        return FileText('\n'.join(lines) + '\n', origins, own)
    exercise_names = {n for f in cells.student_files() for n in cells.signature(f)}
    mine = {n for stmt in tree.body for n in bound_names(stmt)}
    earlier = [f for f in cells.student_files() if f.endswith('.py') and f in present]
    earlier = earlier[:earlier.index(name)] if name in earlier else earlier
    importable = {n for f in earlier for n in cells.signature(f)}
    carried = carry(free_names(tree) - exercise_names, exercise_names | mine, max(own), found, name, importable)
    head, head_origins = [], []
    for cell, numbers, text in carried:
        head.extend(text.splitlines())
        head_origins.extend((cell, n) for n in numbers)
    whole = parse('\n'.join(head + lines))
    needed = free_names(whole) if whole is not None else free_names(tree)
    top = [f'from {f[:-3]} import {", ".join(names)}' for f in earlier
           if (names := [n for n in cells.signature(f) if n in needed])]
    bottom = [f'from {f[:-3]} import {", ".join(names)}' for f in earlier
              if (names := [n for n in cells.signature(f) if n in defined(tree)])]
    text = '\n'.join(top + head + lines + bottom) + '\n'
    return FileText(text, [None] * len(top) + head_origins + origins + [None] * len(bottom), own, top,
                    [(cell, what) for cell, _, what in _described(carried)])


def carry(names: set[str], exclude: set[str], before: int, found: list[Cell], name: str,
          available: set[str]) -> list[tuple[int, list[int], str]]:
    """(cell, the cell's line of each line, text) of the statements above `before` that define these names.

    A statement is kept only if what it reads as it runs is there when it runs: the names in
    `available` (imported before it) or those defined by statements kept before it.
    """
    bindings = _bindings([c for c in found if c.number < before], name)
    chosen: dict[tuple[int, int, int], tuple[ast.stmt, str, set[str]]] = {}
    wanted, done = sorted(names), set(exclude)
    for _ in range(MAX_ROUNDS):
        later = []
        for n in wanted:
            if n in done:
                continue
            done.add(n)
            options = [b for b in bindings if n in bound_names(b[1])]
            if not options:
                continue  # nowhere above: grading reports the NameError where it happens
            cell, stmt, text = options[-1]
            chosen.setdefault((cell, stmt.lineno, stmt.col_offset), (stmt, text, set()))[2].add(n)
            if not isinstance(stmt, (ast.Import, ast.ImportFrom)):
                later.extend(sorted(free_names(stmt)))
        wanted = later
    out, ready = [], set(available) | PROVIDED
    for (cell, _, _), (stmt, text, needs) in sorted(chosen.items()):
        if not needed_when_run(stmt) <= ready:
            continue  # it would fail as it runs, as it does in the notebook without the cells it needs
        ready |= needs
        source = _source(stmt, text, needs)
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            numbers = [stmt.lineno] * len(source.splitlines())  # one line per import kept
        else:
            start = min([stmt.lineno] + [d.lineno for d in getattr(stmt, 'decorator_list', [])])
            numbers = list(range(start, stmt.end_lineno + 1))
        out.append((cell, numbers, source))
    return out


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
    lines = text.splitlines()
    start = min([stmt.lineno] + [d.lineno for d in getattr(stmt, 'decorator_list', [])])
    first = 0 if start < stmt.lineno else stmt.col_offset
    chunk = lines[start - 1:stmt.end_lineno]
    if len(chunk) == 1:
        return chunk[0][first:stmt.end_col_offset]
    return '\n'.join([chunk[0][first:]] + chunk[1:-1] + [chunk[-1][:stmt.end_col_offset]])


def _described(carried: list[tuple[int, list[int], str]]) -> list[tuple[int, list[int], str]]:
    """A short, safe name for each carried statement: `import math`, `def helper`, `xs = ...`."""
    out = []
    for cell, numbers, text in carried:
        tree = parse(text)
        stmt = tree.body[0] if tree is not None and tree.body else None
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            what = '; '.join(f'`{t}`' for t in text.splitlines())
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            what = f"`{'class' if isinstance(stmt, ast.ClassDef) else 'def'} {stmt.name}`"
        else:
            what = f"`{', '.join(bound_names(stmt)) if stmt else '?'} = ...`"
        out.append((cell, numbers, what))
    return out
