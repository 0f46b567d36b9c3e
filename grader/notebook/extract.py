"""Turn a student's notebook into a submission folder: one file per tagged (or recognised) code cell."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from grader.notebook import cells
from grader.notebook.imports import add_missing_imports

MAX_BYTES = 32 << 20  # notebooks with pictures in their outputs run to megabytes, not more


class NotebookError(Exception):
    """The file is not a notebook that can be read: missing, not JSON, or not nbformat."""


@dataclass
class Submission:
    """The folder the notebook's cells were written to, and what the student should know about it."""

    folder: Path
    files: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def code_cells(path: Path) -> list[tuple[str, list[str]]]:
    """Every code cell of the notebook as (source, tags), in order; NotebookError if it cannot be read."""
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
    if raw.get('nbformat', 4) < 4:
        import nbformat
        try:
            raw = nbformat.convert(nbformat.from_dict(raw), 4)
        except Exception as e:  # nbformat raises many kinds of errors for a malformed old notebook
            raise NotebookError(f'{path} is an old (nbformat {raw.get("nbformat")}) notebook that cannot be read: {e}') from None
    found = []
    for cell in raw.get('cells') or []:
        if isinstance(cell, dict) and cell.get('cell_type') == 'code':
            source = cell.get('source', '')
            source = ''.join(s for s in source if isinstance(s, str)) if isinstance(source, list) else str(source)
            tags = (cell.get('metadata') or {}).get('tags') if isinstance(cell.get('metadata'), dict) else None
            found.append((source, [t for t in tags if isinstance(t, str)] if isinstance(tags, list) else []))
    return found


def pick(found: list[tuple[str, list[str]]]) -> tuple[dict[str, str], list[str]]:
    """File name -> the source of the cell that holds it, and notes on tags lost, doubled or missing."""
    problems: list[str] = []
    chosen: dict[str, str] = {}
    for name in cells.student_files():
        tagged = [source for source, tags in found if f'{cells.FILE_TAG}{name}' in tags]
        if len(tagged) > 1:
            problems.append(f'{len(tagged)} cells are tagged {cells.FILE_TAG}{name}: graded the last one')
        if tagged:
            chosen[name] = tagged[-1]
    untagged = [source for source, tags in found if not any(t.startswith(cells.FILE_TAG) for t in tags)]
    for name in cells.student_files():
        if name in chosen:
            continue
        matches = [s for s in untagged if cells.recognise(s) == name]
        if matches:
            chosen[name] = matches[-1]
            what = cells.named([n for n in cells.signature(name) if n in cells.defined(matches[-1])])
            problems.append(f'the {name} cell has lost its tag {cells.FILE_TAG}{name}: recognised it by what it defines ({what})')
        else:
            needs = ', '.join(cells.needed_by(name))
            problems.append(f'no cell holds {name} (tagged {cells.FILE_TAG}{name}, or defining '
                            f'{cells.named(cells.signature(name))}): {needs} cannot pass without it')
    return chosen, problems


def submission_from_notebook(path: Path, dest_dir: Path) -> Submission:
    """Write the notebook's student files into dest_dir, ready to grade like any folder."""
    chosen, problems = pick(code_cells(path))
    texts = {name: cells.from_cell(source, name) for name, source in chosen.items()}
    texts, notes = add_missing_imports(texts)
    dest_dir = Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (dest_dir / name).write_text(text, encoding='utf-8')
    return Submission(dest_dir, list(texts), problems + notes)
