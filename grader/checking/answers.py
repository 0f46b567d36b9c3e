"""Answers files such as quiz.toml: read through the sandbox, parsed as the student's data, and judged
against salted hashes, so the shipped grader holds no readable answer key."""
from __future__ import annotations

import hashlib
import re
import sys

from grader.checking.student import CheckFailed, Student
from grader.results import Feedback
from grader.sandbox.runner import SandboxFileError

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

MAX_BYTES = 64 * 1024  # ten short answers fit in a few hundred bytes
SALT = 'micrograd-grader quiz v1'


def digest(key: str, answer: str) -> str:
    """The salted hash of one canonical answer to the question `key`."""
    return hashlib.sha256(f'{SALT}\0{key}\0{answer}'.encode()).hexdigest()[:24]


def letter_digests(key: str, letter: str) -> tuple[str, ...]:
    return (digest(key, letter),)


def number_digests(key: str, number: float, tolerance: float) -> tuple[str, ...]:
    """Hashes of the tolerance-wide steps around the answer: every number within tolerance rounds to one of them."""
    step = round(number / tolerance)
    return tuple(sorted(digest(key, str(k)) for k in (step - 1, step, step + 1)))


def number_matches(key: str, number: float, tolerance: float, digests: tuple[str, ...]) -> bool:
    """Whether number is within tolerance of the hashed answer (or at most twice the tolerance away)."""
    try:
        return digest(key, str(round(number / tolerance))) in digests
    except (OverflowError, ValueError):
        return False


def read(student: Student, name: str) -> tuple[dict, str]:
    """The parsed answers file and its text; any problem with it is the student's, reported as such."""
    try:
        text = student.sandbox.read_text(name, MAX_BYTES)
    except SandboxFileError as e:
        raise CheckFailed(Feedback(str(e), kind='syntax', where=name)) from None
    if text is None:
        raise CheckFailed(Feedback(f'{name} is missing from the submission folder', kind='missing_file'))
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as e:
        raise CheckFailed(toml_error(name, str(e), text)) from None
    except (RecursionError, MemoryError, ValueError) as e:  # nested deeper than the parser can follow
        raise CheckFailed(Feedback(f'syntax error in {name}: it cannot be read as TOML ({type(e).__name__})',
                                   where=name, kind='syntax', hint=HINT)) from None


HINT = 'Each answer is one line: a letter in quotes (qN = "c") or a number (qN = 1.5).'


def toml_error(name: str, message: str, text: str) -> Feedback:
    at = re.search(r'\s*\(at line (\d+), column \d+\)', message)
    line = int(at.group(1)) if at else 0
    message = message.replace(at.group(0), '') if at else message
    where = f'{name}:{line}' if line else name
    lines = text.splitlines()
    shown = lines[line - 1].strip()[:200] if 0 < line <= len(lines) else ''
    return Feedback(f'syntax error in {where}: {message}', where=where, kind='syntax',
                    expression=f'    {shown}' if shown else '', hint=HINT)


def line_of(name: str, key: str, text: str) -> str:
    """'quiz.toml:12' for the line that answers this question, or just the file name."""
    found = re.search(rf'^[ \t]*{key}[ \t]*=', text, re.MULTILINE)
    return f'{name}:{text.count(chr(10), 0, found.start()) + 1}' if found else name
