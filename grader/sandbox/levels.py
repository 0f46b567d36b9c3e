"""The isolation levels a submission can be graded at, strongest first, and what each one means."""
from __future__ import annotations

NAMESPACES, UID, NONE = 'namespaces', 'uid', 'none'
LEVELS = (NAMESPACES, UID, NONE)

MEANING = {
    NAMESPACES: 'the kernel isolated your code (bubblewrap: its own namespaces, a filesystem of only '
                'the interpreter, the standard library and the submission, and no network)',
    UID: 'the kernel isolated your code (a fresh unprivileged user in a root-only jail of the '
         'interpreter, the standard library and the submission)',
    NONE: 'your code ran without kernel isolation, so this grade is feedback only',
}


def describe(level: str) -> str:
    """One line for a report: the level, and what it guarantees; '' where no code ran at all."""
    return f"Isolation: {level}: {MEANING.get(level, 'unknown level')}." if level else ''
