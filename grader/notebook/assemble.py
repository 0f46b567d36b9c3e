"""Which cells make up each exercise file: the last definition of each name wins, as running from the top does."""
from __future__ import annotations

from dataclasses import dataclass, field

from grader.notebook import cells
from grader.notebook.python import defined as defined_in_tree
from grader.notebook.python import extended, parse

Origin = tuple[int, int] | None  # (cell number, line in that cell), or None for a line the grader added


@dataclass(frozen=True)
class Cell:
    """One code cell: its place among all the notebook's cells (from 1), its source and its tags."""

    number: int
    source: str
    tags: tuple[str, ...] = ()
    id: str = ''


@dataclass
class FileText:
    """One exercise file as graded, where each of its lines came from, and what was added to it."""

    text: str
    origins: list[Origin]
    cells: list[int]  # the cells that hold the file's own code, in order
    imports: list[str] = field(default_factory=list)  # `from engine import Value`, added at the top
    carried: list[tuple[int, str]] = field(default_factory=list)  # (cell, `import math`) carried from set-up cells


@dataclass
class Choice:
    """The cells chosen for one file, and what the student should know about the choice."""

    parts: list[Cell]
    last: dict[str, int] = field(default_factory=dict)  # each name -> the cell that defines it last
    redefined: dict[tuple[int, ...], list[str]] = field(default_factory=dict)  # cells -> names defined in each
    untagged: list[int] = field(default_factory=list)  # chosen cells that lack the file's tag
    extending: dict[int, list[str]] = field(default_factory=dict)  # later cells that add to its classes
    recognised_by: list[str] = field(default_factory=list)  # the names that recognised them


@dataclass
class Assembled:
    """Every exercise file the notebook holds, and how each was chosen."""

    files: dict[str, FileText] = field(default_factory=dict)
    choices: dict[str, Choice] = field(default_factory=dict)
    built: bool = False  # whether the grader built this notebook: its cells have file: tags, or had them


def definitions(cell: Cell, name: str) -> set[str]:
    """The names of this file's that the cell defines at its top level (imports aside)."""
    tree = parse(cell.source) if name.endswith('.py') else None
    found = defined_in_tree(tree) if tree is not None else cells.defined(cell.source)
    return found & set(cells.signature(name))


def choose(found: list[Cell], name: str) -> Choice:
    """The cells that hold the last definition of each of the file's names (a data file: the last cell)."""
    tag = f'{cells.FILE_TAG}{name}'
    defines = {c.number: definitions(c, name) for c in found}
    candidates = [c for c in found if tag in c.tags or defines[c.number]]
    if not candidates:
        return Choice([])
    last = {n: max(c.number for c in candidates if n in defines[c.number])
            for n in cells.signature(name) if any(n in defines[c.number] for c in candidates)}
    if name.endswith('.py') and last:
        parts = [c for c in candidates if c.number in last.values()]
    else:
        parts = [candidates[-1]]
    extending = {}
    for c in found if name.endswith('.py') else []:
        tree = parse(c.source)
        added = [n for n in sorted(extended(tree)) if n in last and c.number > last[n]] if tree is not None else []
        if added and c not in parts:
            extending[c.number] = added
    choice = Choice(sorted(parts + [c for c in found if c.number in extending], key=lambda c: c.number), last,
                    extending=extending)
    for n in last:
        where = tuple(c.number for c in candidates if n in defines[c.number])
        if len(where) > 1:
            choice.redefined.setdefault(where, []).append(n)
    choice.untagged = [c.number for c in parts if tag not in c.tags]  # the cells that define, not those that add
    order = cells.signature(name)
    choice.recognised_by = sorted({n for c in parts if tag not in c.tags for n in defines[c.number]}, key=order.index)
    return choice


def assemble(found: list[Cell]) -> Assembled:
    """Every exercise file the cells hold, with the set-up they need carried along."""
    from grader.notebook.carry import compose

    ours = {cells.cell_id(cells.FILE_TAG + name) for name in cells.student_files()}
    out = Assembled(built=any(c.id in ours or any(t.startswith(cells.FILE_TAG) for t in c.tags) for c in found))
    out.choices = {name: choose(found, name) for name in cells.student_files()}
    present = [name for name, choice in out.choices.items() if choice.parts]
    for name in present:
        out.files[name] = compose(name, out.choices[name].parts, found, present)
    return out
