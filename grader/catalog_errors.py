"""The catalog's errors: what is wrong with grader/catalog.toml, at which line, said once and clearly."""
from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any

import click


class CatalogError(click.UsageError):
    """The catalog cannot be read: names the file, the line and the problem. Every command shows it as a usage error."""

    def __init__(self, path: Path, problem: str, line: int | None = None):
        where = f'{path}:{line}' if line else str(path)
        super().__init__(f'the exercise catalog cannot be read: {where}: {problem}')
        self.path, self.line, self.problem = path, line, problem


def syntax_error(path: Path, text: str, error: Exception) -> CatalogError:
    """The parser's message with its position as file:line; the end of the document is the file's last line."""
    said = str(error)  # "Invalid value (at line 3, column 5)", or "(at end of document)"
    message = re.sub(r' \(at (line \d+, column \d+|end of document)\)$', '', said)
    at = re.search(r'\(at line (\d+), column (\d+)\)$', said)
    if at is None:
        line, where = len(text.splitlines()) or 1, ' at the end of the file'
    else:
        line, where = int(at[1]), f' at column {at[2]}'
    return CatalogError(path, f'not valid TOML: {message[:1].lower()}{message[1:]}{where}', line)


def checked_entries(path: Path, text: str, raw: dict[str, Any], keys: set[str]) -> list[dict[str, Any]]:
    """The [[exercise]] entries, each checked: the first problem is a CatalogError at its line."""
    stray = [k for k in raw if k != 'exercise']
    if stray:
        raise CatalogError(path, f"unknown key '{stray[0]}' outside the [[exercise]] entries", _line(text, None, stray[0]))
    entries = raw.get('exercise')
    if not isinstance(entries, list) or not entries or not all(isinstance(e, dict) for e in entries):
        raise CatalogError(path, 'it holds no [[exercise]] entries')
    seen: dict[str, int] = {}
    for index, entry in enumerate(entries):
        problem, key = _problem(entry, seen, keys)
        if problem:
            raise CatalogError(path, problem, _line(text, index, key))
        seen[entry['id']] = index
    for index, entry in enumerate(entries):
        for required in entry.get('requires', ()):
            if required not in seen:
                close = difflib.get_close_matches(required, list(seen), n=1, cutoff=0.5)
                tip = f' (did you mean {close[0]!r}?)' if close else ''
                raise CatalogError(path, f"exercise {entry['id']!r} requires {required!r}, which is not in the "
                                         f'catalog{tip}', _line(text, index, 'requires'))
    cycle = _cycle({e['id']: list(e.get('requires', ())) for e in entries})
    if cycle:
        raise CatalogError(path, f"exercises require each other in a circle: {' -> '.join(cycle)}",
                           _line(text, seen[cycle[0]], 'requires'))
    return entries


REQUIRED = ('id', 'title', 'points', 'covers', 'intro')
FILE_NAME = re.compile(r'[A-Za-z0-9_][A-Za-z0-9_.-]*')


def _problem(entry: dict[str, Any], seen: dict[str, int], keys: set[str]) -> tuple[str, str | None]:
    """What is wrong with one entry, and the key it is at; ('', None) when nothing is."""
    name = f"exercise {entry['id']!r}" if isinstance(entry.get('id'), str) else f'exercise #{len(seen) + 1}'
    unknown = [k for k in entry if k not in keys]
    if unknown:
        return f"{name} has an unknown key '{unknown[0]}' (the keys are {', '.join(sorted(keys))})", unknown[0]
    missing = [k for k in REQUIRED if k not in entry]
    if missing:
        return f'{name} has no {missing[0]}', None
    checks = {
        'id': (lambda v: isinstance(v, str) and re.fullmatch(r'[a-z_][a-z0-9_]*', v) is not None,
               'a lowercase identifier such as "sigmoid"'),
        'title': (lambda v: isinstance(v, str) and v.strip() != '' and v.isprintable(), 'one line of text'),
        'points': (lambda v: type(v) is int and v > 0, 'a whole number of points above 0, such as 5'),
        'covers': (lambda v: isinstance(v, dict) and v != {} and all(
            FILE_NAME.fullmatch(f) and '..' not in f and isinstance(s, list) and all(isinstance(x, str) for x in s)
            for f, s in v.items()), 'a table of file names, each with a list of the symbols written there'),
        'requires': (lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v), 'a list of exercise ids'),
        'intro': (lambda v: isinstance(v, str), 'text'),
        'hints': (lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v), 'a list of texts'),
        'all_or_nothing': (lambda v: isinstance(v, bool), 'true or false'),
    }
    for key, (ok, wanted) in checks.items():
        if key in entry and not ok(entry[key]):
            return f'{key} of {name} must be {wanted}, not {_shown(entry[key])}', key
    if entry['id'] in seen:
        return f"the id {entry['id']!r} is taken by exercise #{seen[entry['id']] + 1}", 'id'
    if entry['id'] in entry.get('requires', ()):
        return f'{name} requires itself', 'requires'
    return '', None


def _shown(value: object) -> str:
    """A wrong value as the catalog holds it, cut to a line."""
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + '...'


def _line(text: str, index: int | None, key: str | None) -> int | None:
    """The line of `key` in the index-th [[exercise]] entry (None: above the first), else of the entry's header."""
    lines = text.splitlines()
    headers = [n for n, line in enumerate(lines) if re.match(r'\s*\[\[\s*exercise\s*\]\]', line)]
    if index is None:
        start, end = 0, headers[0] if headers else len(lines)
    elif index < len(headers):
        start, end = headers[index], headers[index + 1] if index + 1 < len(headers) else len(lines)
    else:
        return None
    if key:
        pattern = re.compile(rf'\s*["\']?{re.escape(key)}["\']?\s*=')
        found = next((n for n in range(start, end) if pattern.match(lines[n])), None)
        if found is not None:
            return found + 1
    return start + 1 if index is not None else None


def _cycle(requires: dict[str, list[str]]) -> list[str]:
    """A circle of requirements (its first id repeated at the end), or []."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for nxt in requires.get(node, []):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return []

    for node in requires:
        if node not in state and (found := visit(node)):
            return found
    return []
