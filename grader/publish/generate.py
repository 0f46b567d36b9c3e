"""Generate the student's files from solutions/: every catalog file, with its marked regions stubbed."""
from __future__ import annotations

import tempfile
from pathlib import Path

from grader import catalog
from grader.publish.markers import stub_text


class PublishError(Exception):
    """Publishing cannot go ahead, for a reason the instructor can fix."""


def student_files() -> list[str]:
    """The files students work in, in catalog order: the catalog's `covers` is the only list."""
    return list(dict.fromkeys(f for e in catalog.load() for f in e.covers))


def generate(solutions: Path, only: set[str] | None = None) -> dict[str, str]:
    """File name -> stub text, generated from the marked solutions (only these exercises' regions, if given)."""
    solutions = Path(solutions)
    if not solutions.is_dir():
        raise PublishError(f"there is no solutions folder '{solutions}': publishing needs the marked solutions, "
                           'so run it in the instructor\'s project folder (or pass --solutions DIR)')
    files = {}
    for name in student_files():
        path = solutions / name
        if not path.is_file():
            raise PublishError(f'{path} is missing: the catalog lists {name}')
        files[name] = stub_text(path.read_text(encoding='utf-8'), str(path), only)
    return files


def published(solutions: Path) -> dict[str, str]:
    """Everything publish writes into exercises/: the stubs and the notebook built from them."""
    from grader.notebook import NOTEBOOK, BuildError, notebook_text  # nbformat is slow to import; reset needs only stubs

    files = generate(solutions)
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in files.items():
            (Path(tmp) / name).write_text(text, encoding='utf-8')
        try:
            files[NOTEBOOK] = notebook_text(Path(tmp))
        except BuildError as e:
            raise PublishError(f'the notebook cannot be built: {e}') from None
    return files
