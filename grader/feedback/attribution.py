"""Whose code a failure points at: the exercises that cover the student's function at file:line."""
from __future__ import annotations

import ast
from typing import Callable

from grader import catalog

MAX_SOURCE = 1 << 20  # an exercise file is a few kB; a larger one is not read to place a failure

Reader = Callable[[str, int], 'str | None']  # (file name, max bytes) -> its text, None if missing


def symbol_at(source: str, line: int) -> str:
    """The qualified name of the innermost def or class around line ('Value.__mul__._backward'), or ''."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return ''
    best: list[str] = []
    stack: list[tuple[ast.AST, list[str]]] = [(tree, [])]
    while stack:
        node, path = stack.pop()
        for child in ast.iter_child_nodes(node):
            start, end = getattr(child, 'lineno', None), getattr(child, 'end_lineno', None)
            if start is not None and end is not None and not start <= line <= end:
                continue
            here = path
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                here = path + [child.name]
                if len(here) > len(best):
                    best = here
            stack.append((child, here))
    return '.'.join(best)


def covering(file: str, symbol: str) -> list[str]:
    """The exercises that ask for this symbol of this file, or for the class or function around it."""
    return [e.id for e in catalog.load()
            if any(symbol == s or symbol.startswith(s + '.') for s in e.covers.get(file, ()))]


class Locator:
    """Maps 'engine.py:42' to the exercises that cover the code at that line, reading each file once."""

    def __init__(self, read: Reader):
        self._read = read
        self._sources: dict[str, str] = {}

    def __call__(self, where: str) -> list[str]:
        file, _, line = where.rpartition(':')
        if not file or not line.isdigit():
            return []
        if file not in self._sources:
            try:
                self._sources[file] = self._read(file, MAX_SOURCE) or ''
            except Exception:  # noqa: BLE001 - a file that cannot be read places nothing
                self._sources[file] = ''
        symbol = symbol_at(self._sources[file], int(line)) if self._sources[file] else ''
        return covering(file, symbol) if symbol else []


def nowhere(where: str) -> list[str]:
    """A locator for when the student's files cannot be read: nothing is placed."""
    return []
