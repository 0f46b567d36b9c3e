"""What the running Jupyter kernel knows: which notebook it runs, and whether the file on disk holds the code it ran.

check() grades the saved file, so code that ran but is not saved would be graded as it was before.
The kernel's history (`In`) has the source of every cell it ran, by execution count. A cell ran
code the file does not hold when its source is in no code cell of the file, and it ran after the
file was last saved. When each cell ran is recorded from the first check() on; a cell that ran
before that counts as run after the save, unless the file was saved later. Cells that only show
something (`check("nn")`, `print(a.grad)`) define nothing the grader reads, so they never count.
"""
from __future__ import annotations

import os
import time
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.notebook.python import bound_names, extended, parse

_RECORDED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # shell -> its Runs, once per kernel


class NotebookNotFound(LookupError):
    """check() cannot tell which notebook file this kernel runs."""


@dataclass
class Runs:
    """The kernel's history: each execution count's source, and when runs started, once recorded."""

    sources: list[str]  # index = execution count; In[0] is ''
    started: dict[int, float] = field(default_factory=dict)
    recording_since: float = 0.0  # when recording began; runs before it have no time


def normal(source: str) -> str:
    """A cell's source compared without trailing spaces or a final newline, which saving may change."""
    return '\n'.join(line.rstrip() for line in source.replace('\r\n', '\n').strip().splitlines())


def unsaved(runs: Runs, saved: list[str], saved_at: float, current: int) -> list[int]:
    """Execution counts of runs whose code the saved notebook does not hold, and that ran after it was saved."""
    held = {normal(s) for s in saved}
    late = []
    for count, source in enumerate(runs.sources):
        if count == current or not defines(source) or normal(source) in held:
            continue
        started = runs.started.get(count, runs.recording_since)
        if started >= saved_at:
            late.append(count)
    return late


def defines(source: str) -> bool:
    """Whether a cell's code could change what is graded: it defines or adds to a name (or cannot be read)."""
    tree = parse(source)
    if tree is None:
        return bool(normal(source))
    return bool(extended(tree)) or any(bound_names(stmt) for stmt in tree.body)


def record_runs(shell: Any) -> Runs:
    """The shell's history, with the start of every run from now on recorded (once per kernel)."""
    recorder = _RECORDED.get(shell)
    if recorder is None:
        recorder = _RECORDED[shell] = Runs(shell.history_manager.input_hist_raw, recording_since=time.time())

        def started(info: Any = None) -> None:
            recorder.started[shell.execution_count] = time.time()
        shell.events.register('pre_run_cell', started)
    recorder.sources = shell.history_manager.input_hist_raw
    return recorder


def find_notebook(namespace: dict[str, Any], folder: Path, sources: list[str]) -> Path:
    """The notebook this kernel runs: as the front end says, else the one in the folder that holds the code run."""
    for hint in (namespace.get('__vsc_ipynb_file__'), os.environ.get('JPY_SESSION_NAME')):
        if isinstance(hint, str) and hint.endswith('.ipynb'):
            for path in (Path(hint), folder / Path(hint).name):
                if path.is_file():
                    return path
    found = sorted(folder.glob('*.ipynb'))
    if len(found) == 1:
        return found[0]
    if not found:
        raise NotebookNotFound(f'there is no notebook in {folder}: pass its path, as in '
                               "check('forward_ops', notebook='micrograd.ipynb')")
    from grader.notebook.extract import NotebookError, code_cells

    ran = {normal(s) for s in sources if normal(s)}
    scores = {}
    for path in found:
        try:
            scores[path] = len(ran & {normal(c.source) for c in code_cells(path)})
        except NotebookError:
            scores[path] = 0
    best = max(scores.values())
    if best and list(scores.values()).count(best) == 1:
        return max(scores, key=lambda p: scores[p])
    raise NotebookNotFound(f"{folder} holds {len(found)} notebooks and check() cannot tell which is this one: "
                           "pass its name, as in check('forward_ops', notebook='micrograd.ipynb')")
