"""Feedback's `engine.py:12` turned into the place in the notebook: the line of the cell it came from."""
from __future__ import annotations

import re

from grader.notebook.assemble import FileText
from grader.results import Report

PLACE = re.compile(r'\b(?P<file>[A-Za-z_][\w-]*\.(?:py|toml)):(?P<line>\d+)\b')


def label(file: str, line: int, texts: dict[str, FileText]) -> str | None:
    """`engine.py:12` for line 12 of the one cell that holds engine.py; `cell 3, line 2` for any other cell."""
    text = texts.get(file)
    if text is None or not 1 <= line <= len(text.origins):
        return None
    origin = text.origins[line - 1]
    if origin is None:
        return f'{file}, a line the grader added'
    cell, at = origin
    return f'{file}:{at}' if text.cells == [cell] else f'cell {cell}, line {at}'


def relocate(report: Report, texts: dict[str, FileText]) -> Report:
    """The report with every file:line of its feedback pointing into the notebook instead (changed in place)."""
    def swap(found: re.Match) -> str:
        return label(found['file'], int(found['line']), texts) or found[0]

    for exercise in report.exercises:
        for check in exercise.checks:
            fb = check.feedback
            if fb is not None:
                fb.where, fb.summary, fb.diagnosis = (PLACE.sub(swap, s) for s in (fb.where, fb.summary, fb.diagnosis))
    return report
