"""Publishing: stubs generated from marked solutions, the guarded write into exercises/, the student bundle."""
from __future__ import annotations

from grader.catalog import PACKAGE_DIR
from grader.publish.generate import PublishError, generate, published, student_files
from grader.publish.markers import MarkerError

PACKAGED_STUBS = PACKAGE_DIR / 'stubs'  # present only in a student bundle
REPO_SOLUTIONS = PACKAGE_DIR.parent / 'solutions'


def pristine_stub(filename: str) -> str:
    """The untouched stub text of a student file: packaged in a bundle, else generated from solutions/."""
    if filename not in student_files():
        raise PublishError(f'{filename} is not a student file (the catalog lists {", ".join(student_files())})')
    packaged = PACKAGED_STUBS / filename
    if packaged.is_file():
        return packaged.read_text(encoding='utf-8')
    if not REPO_SOLUTIONS.is_dir():
        raise PublishError(f'no pristine copy of {filename}: neither {packaged} nor a solutions/ folder exists')
    return generate(REPO_SOLUTIONS)[filename]


__all__ = ['MarkerError', 'PublishError', 'generate', 'pristine_stub', 'published', 'student_files']
