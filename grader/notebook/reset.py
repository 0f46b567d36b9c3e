"""`grade reset` on a notebook: put back one exercise's stubs in the cells that hold its files, after a backup."""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from grader import catalog
from grader.atomic import write_atomic
from grader.notebook import cells
from grader.notebook.assemble import choose
from grader.notebook.extract import code_cells
from grader.notebook.python import MAGIC
from grader.loop.reset import BACKUPS, ResetError, backup, pristine_stub, shared_symbols, splice


@dataclass
class NotebookReset:
    """What a reset changed in the notebook, and where the backup is."""

    exercise: str
    changed: dict[int, tuple[str, list[str]]] = field(default_factory=dict)  # cell -> (file, symbols put back)
    already: dict[int, tuple[str, list[str]]] = field(default_factory=dict)  # cell -> (file, symbols): stubs already
    added: dict[str, int] = field(default_factory=dict)  # file -> the new cell that holds its stub
    shared: dict[str, list[str]] = field(default_factory=dict)  # other exercise -> the symbols it shares
    backup: Path | None = None


def reset_notebook(path: Path, exercise_id: str, stub_of: Callable[[str], str] | None = None) -> NotebookReset:
    """Restore the exercise's stubs in the notebook's cells; the notebook is first copied into .backups/."""
    import nbformat

    ex = catalog.get(exercise_id)
    stub_of = stub_of or pristine_stub
    path = Path(path)
    found = code_cells(path)
    result = NotebookReset(ex.id, shared=shared_symbols(ex))
    sources: dict[int, str] = {}
    for name, symbols in ex.covers.items():
        choice, stub = choose(found, name), stub_of(name)
        if not choice.parts:
            result.added[name] = 0
            continue
        if not name.endswith('.py'):
            sources[choice.parts[-1].number] = cells.to_cell(stub, name)
            result.changed[choice.parts[-1].number] = (name, list(symbols))
            continue
        by_cell: dict[int, list[str]] = {}
        for symbol in symbols:
            by_cell.setdefault(choice.last.get(symbol.split('.')[0], choice.parts[-1].number), []).append(symbol)
        for number, mine in by_cell.items():
            cell = next(c for c in found if c.number == number)
            sources[number] = splice_cell(sources.get(number, cell.source), stub, mine, f'{name} cell (cell {number})')
            result.changed[number] = (name, mine)
    for number in [n for n, source in sources.items() if source == next(c for c in found if c.number == n).source]:
        result.already[number] = result.changed.pop(number)
        del sources[number]
    if not result.changed and not result.added:
        return result  # every cell holds the stub already: nothing to write, nothing to back up
    nb = nbformat.read(path, as_version=4)
    for number, source in sources.items():  # every cell spliced before anything is written: all or nothing
        nb.cells[number - 1].source = source
    for name in list(result.added):
        result.added[name] = at = _insert(nb, ex, name, cells.to_cell(stub_of(name), name))
        result.changed = {n + (n >= at): what for n, what in result.changed.items()}
        result.already = {n + (n >= at): what for n, what in result.already.items()}
    result.backup = backup(path, path.parent / BACKUPS)
    write_atomic(path, nbformat.writes(nb))
    return result


def splice_cell(source: str, stub: str, symbols: list[str], name: str) -> str:
    """The cell with each symbol's definition replaced by the stub's; IPython magics kept where they were."""
    token = secrets.token_hex(8)
    magics: dict[str, str] = {}
    lines = []
    for line in source.splitlines():
        found = MAGIC.match(line)
        if found:
            marker = f'{found[1]}# magic {len(magics)} {token}'
            magics[marker] = line
            line = marker
        lines.append(line)
    out = splice('\n'.join(lines) + '\n', stub, symbols, name)
    restored = [magics.get(line, line) for line in out.splitlines()]
    return '\n'.join(restored)


def _insert(nb: object, ex: catalog.Exercise, name: str, source: str) -> int:
    """Add a cell for a file no cell holds, below the exercise's introduction (else at the end); its number."""
    from nbformat import v4

    tags = [f'{cells.FILE_TAG}{name}'] + [f'{cells.EXERCISE_TAG}{e}' for e in cells.owners(name)]
    taken = {c.get('id') for c in nb.cells}
    cell_id = cells.cell_id(tags[0])
    new = v4.new_code_cell(source, metadata={'tags': tags}, id=cell_id if cell_id not in taken else None)
    intro = [i for i, c in enumerate(nb.cells) if f'intro:{ex.id}' in c.get('metadata', {}).get('tags', [])]
    at = intro[-1] + 1 if intro else len(nb.cells)
    nb.cells.insert(at, new)
    return at + 1


__all__ = ['NotebookReset', 'ResetError', 'reset_notebook', 'splice_cell']
