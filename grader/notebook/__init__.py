"""The student notebook: built from the exercise files, turned back into a submission folder, and checked from inside.

In a notebook: `from grader.notebook import check, draw_dot, import_cells`. Those three load on first
use, so the grader's command line pays nothing for them.
"""
from grader.notebook.build import NOTEBOOK, BuildError, build_notebook, notebook_text
from grader.notebook.extract import NotebookError, Submission, submission_from_notebook

__all__ = ['NOTEBOOK', 'BuildError', 'NotebookError', 'Submission', 'build_notebook', 'check', 'draw', 'draw_dot',
           'import_cells', 'notebook_text', 'submission_from_notebook']

_LAZY = {'check': 'grader.notebook.jupyter', 'draw': 'grader.notebook.inline', 'draw_dot': 'grader.notebook.inline',
         'import_cells': 'grader.notebook.modules'}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        import importlib
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')
