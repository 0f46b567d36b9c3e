"""Put back the stub of one exercise's symbols, keeping a backup of each file it changes."""
from __future__ import annotations

import ast
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from grader import catalog
from grader.atomic import write_atomic

BACKUPS = '.backups'


class ResetError(Exception):
    """The reset cannot go ahead; nothing was changed."""


@dataclass
class ResetResult:
    """What a reset changed, where the backups are, and which other exercises it touched."""

    exercise: str
    symbols: dict[str, list[str]] = field(default_factory=dict)  # file -> the symbols put back
    backups: dict[str, Path] = field(default_factory=dict)  # file -> the copy of the student's version
    shared: dict[str, list[str]] = field(default_factory=dict)  # other exercise -> the symbols it shares
    whole_files: list[str] = field(default_factory=list)  # files put back whole (not Python, or missing)
    already: list[str] = field(default_factory=list)  # files that held the stub already: neither written nor backed up


def reset(submission: Path, exercise_id: str, stub_of: Callable[[str], str] | None = None) -> ResetResult:
    """Restore the exercise's stubs in submission; every file changed is first copied into .backups/."""
    ex = catalog.get(exercise_id)
    stub_of = stub_of or pristine_stub
    submission = Path(submission)
    if not submission.is_dir():
        raise ResetError(f'{submission} is not a folder of exercises')
    result = ResetResult(ex.id, shared=shared_symbols(ex))
    new_texts = {}
    for name, symbols in ex.covers.items():
        path, stub = submission / name, stub_of(name)
        if not name.endswith('.py') or not path.is_file():
            new_texts[name] = stub
            result.whole_files.append(name)
        else:
            new_texts[name] = splice(_read(path), stub, list(symbols), name)
        result.symbols[name] = list(symbols)
    for name, text in new_texts.items():  # every file spliced before any is written: all or nothing
        path = submission / name
        if path.is_file() and path.read_bytes() == text.encode('utf-8'):
            result.already.append(name)
            continue
        if path.is_file():
            result.backups[name] = backup(path, submission / BACKUPS)
        write_atomic(path, text)
    return result


def shared_symbols(ex: catalog.Exercise) -> dict[str, list[str]]:
    """Other exercises whose symbols are reset along with this one's (engine.py's __add__, say)."""
    mine = {(f, s) for f, symbols in ex.covers.items() for s in symbols}
    out = {}
    for other in catalog.load():
        common = [s for f, symbols in other.covers.items() for s in symbols if (f, s) in mine]
        if other.id != ex.id and common:
            out[other.id] = common
    return out


def splice(text: str, stub: str, symbols: list[str], name: str) -> str:
    """text with each symbol's definition replaced by the stub's, matched by AST line ranges."""
    mine, theirs = _parse(text, name, 'your'), _parse(stub, name, 'the stub of')
    lines, stub_lines = text.splitlines(keepends=True), stub.splitlines(keepends=True)
    edits = []
    for symbol in symbols:
        new = _find(theirs, symbol)
        if new is None:
            raise ResetError(f'the stub of {name} has no {symbol}')
        old = _find(mine, symbol)
        if old is None:
            edits.append(_insertion(mine, symbol, stub_lines, new, lines))
        else:
            body = _reindent(stub_lines[_start(new) - 1:new.end_lineno], new.col_offset, old.col_offset)
            edits.append((_start(old) - 1, old.end_lineno, body))
    # Bottom up, so earlier line numbers stay valid; symbols inserted at one place keep the stub's order.
    for _, (start, end, body) in sorted(enumerate(edits), key=lambda e: (e[1][0], e[0]), reverse=True):
        if lines and not lines[-1].endswith('\n'):
            lines[-1] += '\n'
        lines[start:end] = body
    out = ''.join(lines)
    _parse(out, name, 'the reset')  # never write a file that no longer compiles
    return out


def _insertion(tree: ast.Module, symbol: str, stub_lines: list[str], new: ast.AST,
               lines: list[str]) -> tuple[int, int, list[str]]:
    """A symbol the student deleted goes back at the end of its class, or of the file."""
    owner = _find(tree, symbol.rpartition('.')[0]) if '.' in symbol else None
    if '.' in symbol and owner is None:
        raise ResetError(f'your file has no class {symbol.rpartition(".")[0]} to put {symbol} back into')
    at = owner.end_lineno if owner is not None else len(lines)
    indent = owner.body[0].col_offset if owner is not None else 0
    return at, at, ['\n'] + _reindent(stub_lines[_start(new) - 1:new.end_lineno], new.col_offset, indent)


def _read(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode('utf-8')
    except UnicodeDecodeError as e:
        line = data[:e.start].count(b'\n') + 1
        raise ResetError(f'your {path.name} is not UTF-8 text (line {line}), so its '
                         'functions cannot be found: fix or remove that line first. Nothing was changed.') from None


def _parse(text: str, name: str, whose: str) -> ast.Module:
    try:
        return ast.parse(text)
    except SyntaxError as e:
        raise ResetError(f'{whose} {name} has a syntax error at line {e.lineno} ({e.msg}), so its '
                         'functions cannot be found: fix that line first. Nothing was changed.') from None


def _find(tree: ast.AST, symbol: str) -> ast.AST | None:
    """The def or class at a dotted path such as 'Value.__add__', at top level or inside classes."""
    node = tree
    for part in symbol.split('.'):
        found = [n for n in getattr(node, 'body', [])
                 if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and n.name == part]
        if not found:
            return None
        node = found[-1]  # as Python does, the last definition wins
    return node


def _start(node: ast.AST) -> int:
    return min([node.lineno] + [d.lineno for d in getattr(node, 'decorator_list', [])])


def _reindent(lines: list[str], old: int, new: int) -> list[str]:
    if old == new:
        return list(lines)
    out = []
    for line in lines:
        stripped = line[old:] if line[:old].strip() == '' else line.lstrip()
        out.append(' ' * new + stripped if line.strip() else line)
    return out


def backup(path: Path, folder: Path) -> Path:
    """Copy path into folder under a name that says when, never overwriting an earlier backup."""
    folder.mkdir(exist_ok=True)
    stamp = time.strftime('%Y%m%d-%H%M%S')
    target = folder / f'{path.stem}-{stamp}{path.suffix}'
    k = 1
    while target.exists():
        k += 1
        target = folder / f'{path.stem}-{stamp}-{k}{path.suffix}'
    shutil.copy2(path, target)
    return target


def pristine_stub(name: str) -> str:
    """The untouched stub of a student file, or ResetError saying why there is none."""
    from grader.publish import PublishError, pristine_stub as published

    try:
        return published(name)
    except PublishError as e:
        raise ResetError(str(e)) from None
