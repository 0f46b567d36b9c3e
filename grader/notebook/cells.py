"""How student files map to notebook cells: tags, cell ids, and the imports a shared namespace cannot run.

Every file is one code cell tagged `file:<name>`. In a notebook all cells share one namespace, so
`from engine import Value` would fail there: building comments such an import out, and extracting
puts it back, which keeps every line where it was (and feedback's line numbers right). Extracting
also reads `from micrograd.engine import ...` as the exercise file it names, and comments out a
file's import of itself, which a cell shared by two files would otherwise run.
"""
from __future__ import annotations

import re
from functools import lru_cache

from grader import catalog
from grader.notebook.python import without_magics

FILE_TAG = 'file:'
EXERCISE_TAG = 'exercise:'
IMPORT = re.compile(r'^(?P<indent>[ \t]*)(?P<stmt>(?:from|import) (?P<module>\w+)\b.*)$')
COMMENTED = re.compile(r'^(?P<indent>[ \t]*)# (?P<stmt>(?:from|import) (?P<module>\w+)\b.*)$')
MICROGRAD = re.compile(r'^(?P<indent>[ \t]*)from micrograd\.(?P<module>\w+)(?P<rest> import\b.*)$')
DEFINED = re.compile(r'^(?:(?:async\s+)?def|class)\s+(\w+)|^(\w+)\s*=', re.MULTILINE)


@lru_cache(maxsize=None)
def student_files() -> tuple[str, ...]:
    """The files students write, in the order the lecture first needs them."""
    return tuple(dict.fromkeys(f for e in catalog.load() for f in e.covers))


def modules() -> set[str]:
    """Module names that student files import each other by."""
    return {f[:-3] for f in student_files() if f.endswith('.py')}


def cell_id(tag: str) -> str:
    """A stable nbformat cell id derived from a tag (ids allow letters, digits, - and _)."""
    return re.sub(r'[^A-Za-z0-9_-]', '-', tag)[:64]


def to_cell(text: str, name: str) -> str:
    """A file's text as cell source: sibling imports commented out, without the final newline."""
    if not name.endswith('.py'):
        return text[:-1] if text.endswith('\n') else text
    return '\n'.join(_swap(line, IMPORT, '{indent}# {stmt}') for line in text.splitlines())


def from_cell(source: str, name: str) -> str:
    """A cell's source as the file's text, line for line: sibling imports restored, magics commented out."""
    if not name.endswith('.py'):
        return source if source.endswith('\n') else source + '\n'
    lines = []
    for line in without_magics(source).splitlines():
        line = _swap(line, COMMENTED, '{indent}{stmt}')
        found = MICROGRAD.match(line)
        if found and found['module'] in modules():
            line = f"{found['indent']}from {found['module']}{found['rest']}"
        found = IMPORT.match(line)
        if found and found['module'] == name[:-3]:
            line = f"{found['indent']}# {found['stmt']}"
        lines.append(line)
    return '\n'.join(lines) + '\n'


def _swap(line: str, pattern: re.Pattern, template: str) -> str:
    found = pattern.match(line)
    if found and found['module'] in modules():
        return template.format(indent=found['indent'], stmt=found['stmt'])
    return line


@lru_cache(maxsize=None)
def signature(name: str) -> tuple[str, ...]:
    """The top-level names a file's cell defines, in catalog order: `Value` for engine.py, `q1`... for quiz.toml."""
    return tuple(dict.fromkeys(s.split('.')[0] for e in catalog.load() for s in e.covers.get(name, ())))


def named(names: list[str] | tuple[str, ...], most: int = 3) -> str:
    """A few names for a message: 'q1, q2, q3, ...'."""
    return ', '.join(names[:most]) + (', ...' if len(names) > most else '')


def defined(source: str) -> set[str]:
    """Top-level names a cell defines, read without running or even parsing it (TOML, or broken Python)."""
    return {m[0] or m[1] for m in DEFINED.findall(source)}


def owners(name: str) -> list[str]:
    """The exercises that need this file."""
    return [e.id for e in catalog.load() if name in e.covers]


def needed_by(name: str) -> list[str]:
    """The exercises that cannot pass without this file: its owners and all that require them."""
    owning = set(owners(name))
    return [e.id for e in catalog.load() if owning & {r.id for r in catalog.with_requirements([e.id])}]
