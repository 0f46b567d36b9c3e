"""`grade export gradescope`: a zip that Gradescope installs once and runs for every submission."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

from grader.atomic import write_atomic
from grader.export.source import grader_source, template

EXECUTABLE = 0o755 << 16
PLAIN = 0o644 << 16
SOURCE_DIR = 'grader-src'  # where the grader's source lives inside the zip (and in /autograder/source)


def autograder_files() -> dict[str, tuple[bytes, int]]:
    """Archive path -> (bytes, mode): setup.sh and run_autograder at the root, the grader's source beside them."""
    files = {name: (template(name).encode(), EXECUTABLE) for name in ('setup.sh', 'run_autograder')}
    files.update({f'{SOURCE_DIR}/{path}': (data, PLAIN) for path, data in grader_source().items()})
    return files


def build_zip(out: Path) -> list[str]:
    """Write the autograder zip to `out` (atomically) and return the names it holds."""
    out = Path(out)
    if out.suffix != '.zip':
        raise ValueError(f"'{out}' should end in .zip: Gradescope takes the autograder as a zip file")
    files = sorted(autograder_files().items())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, 'w', zipfile.ZIP_DEFLATED) as archive:
        for name, (data, mode) in files:
            # A fixed timestamp: the same grader always makes the same zip.
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = mode
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(out, buffer.getvalue())
    return [name for name, _ in files]
