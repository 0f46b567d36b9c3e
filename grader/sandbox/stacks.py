"""Where the student's code was when a check ran out of time, read from the child's faulthandler dump."""
from __future__ import annotations

import re

FRAME = re.compile(r'^\s*File "(?P<file>[^"]+)", line (?P<line>\d+) in (?P<function>\S+)', re.MULTILINE)
THREAD = re.compile(r'^(?:Current thread|Thread) 0x[0-9a-f]+', re.MULTILINE)


def student_frames(stack: str, folder: str) -> list[list]:
    """[file, line, function, ''] for each frame of the main thread in the student's folder, innermost last.

    faulthandler lists threads newest first, so the main thread, which runs the check, comes last;
    and each thread's frames most recent first.
    """
    blocks = THREAD.split(stack)
    main = blocks[-1] if blocks else ''
    prefix = folder.rstrip('/') + '/'
    frames = [[m['file'][len(prefix):], int(m['line']), m['function'], ''] for m in FRAME.finditer(main)
              if m['file'].startswith(prefix) and '/' not in m['file'][len(prefix):]]
    return list(reversed(frames))[-8:]
