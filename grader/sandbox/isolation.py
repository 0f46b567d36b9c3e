"""Choosing the strongest isolation level this machine allows, or the one asked for."""
from __future__ import annotations

import sys

from grader.sandbox import bwrap, jail
from grader.sandbox.levels import LEVELS, NAMESPACES, NONE, UID

AUTO = 'auto'
CHOICES = (AUTO, *LEVELS)
WINDOWS = ('grade runs student code in a child process that Windows cannot host (it needs POSIX pipes and '
           'process groups): use WSL, the Windows Subsystem for Linux (https://learn.microsoft.com/windows/wsl/), '
           'and run grade there')


class SandboxError(Exception):
    """The sandbox cannot be set up as asked, for a reason the user can fix."""


def why_not(level: str) -> str:
    """Why this machine cannot grade at `level`, or '' if it can."""
    if level == NAMESPACES:
        return bwrap.unavailable(sys.executable)
    if level == UID:
        return jail.unavailable()
    return ''


def choose(requested: str = AUTO) -> str:
    """The level to grade at: the one requested (SandboxError if it cannot be had), or for auto the strongest."""
    if sys.platform == 'win32':
        raise SandboxError(WINDOWS)
    if requested not in CHOICES:
        raise SandboxError(f'unknown isolation level {requested!r}: choose one of {", ".join(CHOICES)}')
    if requested != AUTO:
        reason = why_not(requested)
        if reason:
            raise SandboxError(f'isolation level {requested} is not available here: {reason}')
        return requested
    return next(level for level in LEVELS if not why_not(level))


def weaker_because() -> str:
    """Why neither kernel level is available, for a message that refuses level none."""
    return '; '.join(f'{level}: {why_not(level)}' for level in (NAMESPACES, UID) if why_not(level))


def for_the_record(requested: str, allow_unisolated: bool) -> str:
    """The level for grades that count: level none is refused unless the caller allows it."""
    level = choose(requested)
    if level == NONE and not allow_unisolated:
        if requested == AUTO:
            why = (f'this machine has no kernel isolation ({weaker_because()}): install bubblewrap or run as root, '
                   'or')
        else:
            why = 'level none was asked for (--isolation none or GRADER_ISOLATION=none): choose another level, or'
        raise SandboxError(f'grades that count need kernel isolation, and {why} allow grading without it with '
                           '--allow-unisolated (GRADER_ALLOW_UNISOLATED=1 for the autograders): the grades are '
                           'then feedback only, since student code could reach the grader')
    return level
