"""Writing a file atomically: readers, and an interrupted run, see the old file or the new one, never half."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

TEMP_PREFIX = '.partial-'
UMASK = os.umask(0o022)
os.umask(UMASK)


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write to a temporary file beside `path`, then rename it over `path`."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=TEMP_PREFIX + path.name + '.')
    try:
        os.fchmod(fd, 0o666 & ~UMASK)  # mkstemp makes files only their owner can read
        with os.fdopen(fd, 'wb') as f:
            f.write(data.encode('utf-8', 'backslashreplace') if isinstance(data, str) else data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
