"""Reading the submission's files from the parent: regular files only, never through a link, size-capped."""
from __future__ import annotations

import os
import stat
from pathlib import Path


class SandboxFileError(Exception):
    """A submitted file the parent will not read; the message is written for the student."""


def read_submitted(folder: Path, name: str, max_bytes: int) -> str | None:
    """The text of folder/name, or None if there is no such file."""
    if '/' in name or name in ('', '.', '..'):
        raise ValueError(f'not a plain file name: {name!r}')
    flags = os.O_RDONLY | getattr(os, 'O_NOFOLLOW', 0) | getattr(os, 'O_NONBLOCK', 0)
    try:
        fd = os.open(Path(folder) / name, flags)
    except FileNotFoundError:
        return None
    except OSError as e:
        if os.path.islink(Path(folder) / name):
            raise SandboxFileError(f'{name} is a link: hand in the file itself') from None
        raise SandboxFileError(f'{name} cannot be read: {e.strerror}') from None
    with os.fdopen(fd, 'rb') as f:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise SandboxFileError(f'{name} is not a regular file')
        data = f.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise SandboxFileError(f'{name} is too large (over {max_bytes} bytes)')
    try:
        return data.decode('utf-8')
    except UnicodeDecodeError as e:
        raise SandboxFileError(f'{name} is not UTF-8 text ({e.reason} at byte {e.start})') from None
