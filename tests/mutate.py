"""Submissions made from the reference solutions by small textual patches.

make_submission(tmp_path, [(file, old, new), ...]) copies solutions/ into a fresh folder and
replaces `old` with `new` in `file`, through grader.validation.mutants, which `grade validate` uses
for the declared mutants: every `old` must occur exactly once when it is applied, and every patched
file must still compile, so a stale patch or a typo fails loudly instead of passing for a caught mistake.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Sequence

from grader.validation.mutants import Patch, PatchError, make_submission as _make_submission

SOLUTIONS = Path(__file__).resolve().parent.parent / 'solutions'

__all__ = ['PatchError', 'SOLUTIONS', 'make_submission']


def make_submission(tmp_path: Path, patches: Iterable[Sequence[str]] = (), name: str = 'submission') -> Path:
    """A copy of solutions/ under tmp_path with the patches applied, in order; returns the folder."""
    return _make_submission(SOLUTIONS, Path(tmp_path) / name, tuple(Patch(*p) for p in patches))
