"""`grade export gradescope`: a zip that Gradescope installs once and runs for every submission."""
from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path

from grader.atomic import write_atomic
from grader.export.autograder import SETTINGS
from grader.export.gradescope_results import GradescopeSettings
from grader.export.source import grader_source, template

SOURCE_DIR = 'grader-src'  # where the grader's source lives inside the zip (and in /autograder/source)
EXECUTABLE, PLAIN = 0o755, 0o644
UNIX = 3  # the `create_system` that tells unzip the attributes hold a Unix mode


def autograder_files(settings: GradescopeSettings = GradescopeSettings()) -> dict[str, tuple[bytes, int]]:
    """Archive path -> (bytes, permission bits): the two scripts, the settings, and the grader's source."""
    files = {name: (template(name).encode(), EXECUTABLE) for name in ('setup.sh', 'run_autograder')}
    files[SETTINGS] = (settings.to_json().encode(), PLAIN)
    files.update({f'{SOURCE_DIR}/{path}': (data, PLAIN) for path, data in grader_source().items()})
    return files


def zip_bytes(files: dict[str, tuple[bytes, int]]) -> bytes:
    """A reproducible zip whose entries are regular files with the given permissions, as unzip restores them."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, 'w', zipfile.ZIP_DEFLATED) as archive:
        for name, (data, mode) in sorted(files.items()):
            # A fixed timestamp: the same grader always makes the same zip.
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.create_system = UNIX
            info.external_attr = (stat.S_IFREG | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def build_zip(out: Path, settings: GradescopeSettings = GradescopeSettings()) -> list[str]:
    """Write the autograder zip to `out` (atomically) and return the names it holds."""
    out = Path(out)
    if out.suffix != '.zip':
        raise ValueError(f"'{out}' should end in .zip: Gradescope takes the autograder as a zip file")
    files = autograder_files(settings)
    data = zip_bytes(files)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(out, data)
    return sorted(files)
