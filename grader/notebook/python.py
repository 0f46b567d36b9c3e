"""A cell read as Python: parsed past IPython's magics, what it defines, and which names it uses."""
from __future__ import annotations

import ast
import builtins
import re

MAGIC = re.compile(r'^([ \t]*)([%!])')
# Names every module has, or that a notebook defines for itself; never looked for in other cells.
PROVIDED = set(dir(builtins)) | {'__file__', '__name__', '__doc__', '__spec__', '__loader__', '__package__',
                                 '__builtins__', 'In', 'Out', 'get_ipython', 'display', 'exit', 'quit'}


def without_magics(source: str) -> str:
    """The source with IPython magics and shell escapes (%time, !pip) commented out, line for line."""
    return '\n'.join(MAGIC.sub(r'\1# \2', line) for line in source.splitlines())


def parse(source: str) -> ast.Module | None:
    """The cell's syntax tree, magics aside; None when it is not valid Python or nested too deep to parse."""
    try:
        return ast.parse(without_magics(source))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def bound_names(stmt: ast.stmt) -> list[str]:
    """The top-level names one statement binds: def, class, import, and assignment to plain names."""
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [stmt.name]
    if isinstance(stmt, ast.Import):
        return [(a.asname or a.name).partition('.')[0] for a in stmt.names]
    if isinstance(stmt, ast.ImportFrom):
        return [a.asname or a.name for a in stmt.names if a.name != '*']
    targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target] if isinstance(stmt, ast.AnnAssign) else []
    return [name for t in targets for name in _target_names(t)]


def _target_names(target: ast.expr) -> list[str]:
    """`a` and `b` in `a, *b = ...`; nothing for `Value.relu = ...` or `xs[0] = ...`, which bind no name."""
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [n for t in target.elts for n in _target_names(t)]
    if isinstance(target, ast.Starred):
        return _target_names(target.value)
    return []


def defined(tree: ast.Module) -> set[str]:
    """Top-level names the cell defines itself (imports aside): what recognises an exercise's cell."""
    return {name for stmt in tree.body if not isinstance(stmt, (ast.Import, ast.ImportFrom))
            for name in bound_names(stmt)}


def extended(tree: ast.Module) -> set[str]:
    """Names whose attributes the cell sets at its top level, as `Value.relu = relu` adds a method to Value."""
    targets = [t for stmt in tree.body if isinstance(stmt, (ast.Assign, ast.AnnAssign))
               for t in (stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target])]
    return {t.value.id for t in targets if isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name)}


def shown_lines(tree: ast.Module) -> list[int]:
    """Lines of top-level expressions that only show something, such as `L` or `draw_dot(L)`."""
    lines = []
    for stmt in tree.body:
        if isinstance(stmt, ast.Expr) and not (isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str)):
            lines.extend(range(stmt.lineno, stmt.end_lineno + 1))
    return lines


def free_names(tree: ast.AST) -> set[str]:
    """Names read but bound nowhere in the code, builtins aside: what it needs from elsewhere."""
    loaded, bound = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (loaded if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update(bound_names(node))
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
    return loaded - bound - PROVIDED


def imported_modules(tree: ast.AST) -> set[str]:
    """The top-level modules the code imports from anywhere in it."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.partition('.')[0])
        elif isinstance(node, ast.Import):
            found.update(a.name.partition('.')[0] for a in node.names)
    return found


def needed_when_run(stmt: ast.stmt) -> set[str]:
    """Names a top-level statement reads as it runs, leaving out function bodies, which read theirs when called."""
    functions = (ast.FunctionDef, ast.AsyncFunctionDef)
    if isinstance(stmt, (ast.Import, ast.ImportFrom)):
        return set()
    if isinstance(stmt, functions):
        args = stmt.args
        parts = [*stmt.decorator_list, *args.defaults, *[d for d in args.kw_defaults if d is not None]]
        return set().union(*(free_names(p) for p in parts))
    if isinstance(stmt, ast.ClassDef):
        parts = [*stmt.decorator_list, *stmt.bases, *(k.value for k in stmt.keywords)]
        inner = set().union(*(needed_when_run(s) if isinstance(s, functions) else free_names(s) for s in stmt.body))
        return set().union(inner, *(free_names(p) for p in parts))
    return free_names(stmt)
