"""Submissions made from the reference solutions by small textual patches.

make_submission(tmp_path, [(file, old, new), ...]) copies solutions/ into a fresh folder and
replaces `old` with `new` in `file`. Every `old` must occur exactly once at the moment it is
applied, and every patched file must still compile: a patch that no longer applies (because
solutions/ changed) fails loudly instead of silently grading the correct solution, and a typo in
a patch cannot pass for a caught mistake as a syntax error.
"""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Iterable, Sequence

SOLUTIONS = Path(__file__).resolve().parent.parent / 'solutions'

Patch = Sequence[str]  # (file, old, new)


class PatchError(AssertionError):
    """A patch that does not apply to solutions/ exactly once, or that breaks the file's syntax."""


def make_submission(tmp_path: Path, patches: Iterable[Patch] = (), name: str = 'submission') -> Path:
    """A copy of solutions/ under tmp_path with the patches applied, in order; returns the folder."""
    folder = Path(tmp_path) / name
    if folder.exists():
        raise PatchError(f'{folder} already exists: give each submission of a test its own name')
    shutil.copytree(SOLUTIONS, folder, ignore=shutil.ignore_patterns('__pycache__', '*.pyc'))
    touched = []
    for patch in patches:
        if len(patch) != 3:
            raise PatchError(f'a patch is (file, old, new), not {patch!r}')
        file, old, new = patch
        path = folder / file
        if not path.is_file():
            raise PatchError(f'patch for {file}: there is no solutions/{file}')
        if not old:
            raise PatchError(f'patch for {file}: `old` is empty')
        text = path.read_text()
        count = text.count(old)
        if count != 1:
            raise PatchError(f'patch for {file}: expected exactly one occurrence of\n{old}\n'
                             f'but found {count}; has solutions/{file} changed?')
        path.write_text(text.replace(old, new, 1))
        touched.append(path)
    for path in dict.fromkeys(touched):
        try:
            compile(path.read_text(), str(path), 'exec')
        except SyntaxError as exc:
            raise PatchError(f'the patched {path.name} does not compile: {exc}') from None
    return folder
