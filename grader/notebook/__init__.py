"""The student notebook: built from the exercise files, turned back into a submission folder, and checked from inside.

In a notebook: `from grader.notebook import check, draw_dot, import_cells`. Every name here loads on
first use, so grading a notebook never pays for nbformat, which only building one needs.
"""
from __future__ import annotations

import importlib

_LAZY = {'NOTEBOOK': 'build', 'BuildError': 'build', 'build_notebook': 'build', 'notebook_text': 'build',
         'NotebookError': 'extract', 'Submission': 'extract', 'submission_from_notebook': 'extract',
         'check': 'jupyter', 'draw': 'inline', 'draw_dot': 'inline', 'import_cells': 'modules'}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> object:
    if name in _LAZY:
        return getattr(importlib.import_module(f'{__name__}.{_LAZY[name]}'), name)
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')
