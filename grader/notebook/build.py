"""Build the student notebook from the exercise files: the lecture's order, one code cell per file."""
from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat import v4

from grader import catalog
from grader.atomic import write_atomic
from grader.notebook import cells
from grader.notebook.drawings import DRAWINGS

NOTEBOOK = 'micrograd.ipynb'
METADATA = {'kernelspec': {'display_name': 'Python 3', 'language': 'python', 'name': 'python3'},
            'language_info': {'name': 'python'}}
WELCOME = """# micrograd, step by step

Rebuild micrograd, the tiny autograd engine of the lecture *The spelled-out intro to neural
networks and backpropagation*, one exercise at a time.

- Run the set-up cell below first. Each code cell after it holds one file of the exercises; its tag
  says which, such as `file:engine.py`. Replace each `raise NotImplementedError(...)` with your
  code, then run the cell.
- Run the cells from the top: later cells use what earlier ones define. After you change the
  `engine.py` cell, run it again, then the cells below it.
- To grade an exercise, save the notebook (Ctrl-S), then run its `check(...)` cell, such as
  `check("forward_ops")`. It grades the saved file, in the same sandbox as the `grade` command, and
  says so if you ran code you have not saved. `check()` grades every exercise. In a terminal:
  `grade check --notebook {name}`, and `grade hint EXERCISE` for hints.
- Line numbers in the feedback count lines within the cell: engine.py:12 is line 12 of the
  `engine.py` cell.
- Imports between the files, such as `# from engine import Value`, stay commented out here, because
  an earlier cell already defined those names. The grader puts them back. Uncommented, they work too.
- Keep the cells' tags. If one gets lost, the grader recognises a cell by what it defines, such as
  `class Value`, and tells you so. If you write a class again in a new cell, the last one counts, as
  it does when you run the notebook from the top.
"""
SETUP = """from grader.notebook import check, draw_dot, import_cells
import_cells()  # lets `from engine import Value` in a cell find the Value this notebook defines"""


class BuildError(Exception):
    """The notebook cannot be built from this folder, for a reason the instructor can fix."""


def markdown(text: str) -> str:
    """Catalog text made safe for Markdown, where x**2 and __add__ would turn into bold."""
    return text.replace('\\', '\\\\').replace('*', '\\*').replace('_', '\\_')


def exercise_intro(number: int, ex: catalog.Exercise, new_files: list[str], name: str) -> str:
    parts = []
    for file, symbols in ex.covers.items():
        where = 'below' if file in new_files else 'above (run it again after editing)'
        what = ', '.join(f'`{s}`' for s in symbols) if file.endswith('.py') else 'your answers'
        parts.append(f'{what} in the `{file}` cell {where}')
    return (f'## {number}. {markdown(ex.title)}\n\n{markdown(ex.intro)}\n\n'
            f"**Write:** {'; '.join(parts)}.  \n"
            f'**Check:** save, then run `check("{ex.id}")` below, or `grade check {ex.id} --notebook {name}` '
            f'in a terminal. **Stuck?** `grade hint {ex.id}`')


def notebook_text(exercises_dir: Path, name: str = NOTEBOOK) -> str:
    """The notebook as JSON text; the same files always give the same bytes."""
    exercises_dir = Path(exercises_dir)
    nb = v4.new_notebook(metadata=METADATA)
    nb.cells.append(v4.new_markdown_cell(WELCOME.format(name=name), id='welcome', metadata={'tags': ['welcome']}))
    nb.cells.append(v4.new_code_cell(SETUP, id='setup', metadata={'tags': ['setup']}))
    placed: set[str] = set()
    for number, ex in enumerate(catalog.load(), 1):
        new_files = [f for f in ex.files if f not in placed]
        tag = f'intro:{ex.id}'
        nb.cells.append(v4.new_markdown_cell(exercise_intro(number, ex, new_files, name),
                                             id=cells.cell_id(tag), metadata={'tags': [tag]}))
        for file in new_files:
            nb.cells.append(file_cell(exercises_dir, file))
            placed.add(file)
        for tag, source in DRAWINGS.get(ex.id, ()):
            nb.cells.append(v4.new_code_cell(source, id=cells.cell_id(tag), metadata={'tags': [tag]}))
        tag = f'check:{ex.id}'
        nb.cells.append(v4.new_code_cell(f'check("{ex.id}")', id=cells.cell_id(tag), metadata={'tags': [tag]}))
    nbformat.validate(nb)
    return nbformat.writes(nb)


def file_cell(exercises_dir: Path, file: str) -> nbformat.NotebookNode:
    path = exercises_dir / file
    if not path.is_file():
        raise BuildError(f'cannot build the notebook: {path} is missing (the catalog lists {file})')
    tags = [f'{cells.FILE_TAG}{file}'] + [f'{cells.EXERCISE_TAG}{e}' for e in cells.owners(file)]
    source = cells.to_cell(path.read_text(encoding='utf-8'), file)
    return v4.new_code_cell(source, id=cells.cell_id(tags[0]), metadata={'tags': tags})


def build_notebook(exercises_dir: Path, out_path: Path) -> Path:
    """Write the student notebook for the files in exercises_dir to out_path, atomically."""
    out_path = Path(out_path)
    text = notebook_text(exercises_dir, out_path.name)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(out_path, text)
    return out_path
