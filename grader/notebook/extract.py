"""Turn a student's notebook into a submission folder: each exercise file from the cells that define it."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from grader.notebook.assemble import Cell, FileText, assemble
from grader.notebook.notes import notes

MAX_BYTES = 32 << 20  # notebooks with pictures in their outputs run to megabytes, not more
# The lecture's notebook has about a hundred code cells and a few hundred kB of code. Far more is not
# a notebook of exercises, and reading how its cells use each other grows faster than its size.
MAX_CODE_CELLS = 1000
MAX_CODE_BYTES = 512 << 10


class NotebookError(Exception):
    """The file is not a notebook that can be read: missing, not JSON, or not nbformat."""


@dataclass
class Submission:
    """The folder the notebook's cells were written to, and what the student should know about it."""

    folder: Path
    files: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    texts: dict[str, FileText] = field(default_factory=dict)  # each file's lines, and the cell each came from


def code_cells(path: Path) -> list[Cell]:
    """Every code cell of the notebook, numbered among all its cells; NotebookError if it cannot be read."""
    path = Path(path)
    if not path.is_file():
        raise NotebookError(f"there is no notebook '{path}'" if not path.exists() else f"'{path}' is not a file")
    if path.stat().st_size > MAX_BYTES:
        raise NotebookError(f'{path} is too large to be a notebook of exercises ({path.stat().st_size} bytes)')
    try:
        raw = json.loads(path.read_bytes().decode('utf-8'))
    except (UnicodeDecodeError, ValueError) as e:
        raise NotebookError(f'{path} is not a Jupyter notebook: it is not valid JSON ({e})') from None
    if not isinstance(raw, dict) or not isinstance(raw.get('cells', raw.get('worksheets')), list):
        raise NotebookError(f'{path} is not a Jupyter notebook: it has no list of cells')
    if isinstance(raw.get('nbformat'), int) and raw['nbformat'] < 4:
        import nbformat
        try:
            raw = nbformat.convert(nbformat.from_dict(raw), 4)
        except Exception as e:  # nbformat raises many kinds of errors for a malformed old notebook
            raise NotebookError(f'{path} is an old (nbformat {raw.get("nbformat")}) notebook that cannot be read: {e}') from None
    found = []
    for number, cell in enumerate(raw.get('cells') or [], 1):
        if isinstance(cell, dict) and cell.get('cell_type') == 'code':
            source = cell.get('source', '')
            source = ''.join(s for s in source if isinstance(s, str)) if isinstance(source, list) else str(source)
            tags = (cell.get('metadata') or {}).get('tags') if isinstance(cell.get('metadata'), dict) else None
            tags = tuple(t for t in tags if isinstance(t, str)) if isinstance(tags, list) else ()
            found.append(Cell(number, source, tags, cell['id'] if isinstance(cell.get('id'), str) else ''))
    if len(found) > MAX_CODE_CELLS or sum(len(c.source) for c in found) > MAX_CODE_BYTES:
        raise NotebookError(f'{path} has {len(found)} code cells and {sum(len(c.source) for c in found)} characters '
                            f'of code: more than a notebook of exercises holds (at most {MAX_CODE_CELLS} cells '
                            f'and {MAX_CODE_BYTES >> 10} kB of code)')
    return found


def submission_from_notebook(path: Path, dest_dir: Path) -> Submission:
    """Write the notebook's exercise files into dest_dir, ready to grade like any folder."""
    try:
        assembled = assemble(code_cells(path))
    except (RecursionError, MemoryError):  # a cell nested deeper than the reading of it can follow
        raise NotebookError(f'{path} is nested too deeply to read (a cell, or its JSON): unnest it, or grade the files instead') from None
    dest_dir = Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    for name, file in assembled.files.items():
        (dest_dir / name).write_text(file.text, encoding='utf-8')
    return Submission(dest_dir, list(assembled.files), notes(assembled), assembled.files)
