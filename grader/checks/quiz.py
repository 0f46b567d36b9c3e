"""Hidden checks for `quiz`: the concept questions, answered in the student's quiz.toml.

The answers file is data, not code, so it is read here in the grading process, never executed.
"""
from __future__ import annotations

import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from grader.checking import CheckFailed, Student
from grader.misconceptions import MISCONCEPTIONS
from grader.results import Feedback

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

FILE = 'quiz.toml'
MAX_BYTES = 64 * 1024  # ten short answers fit in a few hundred bytes


@dataclass(frozen=True)
class Question:
    """One question: its key in quiz.toml, the right answer, and why it is right."""

    key: str
    topic: str
    answer: str | float  # a letter for multiple choice, else a number
    why: str
    tolerance: float = 0.0
    traps: tuple[tuple[str | float, str], ...] = ()  # (a wrong answer, the misconception it reveals)


CHOICES = 'abcd'
QUESTIONS = (
    Question('q1', 'what a gradient of 138 at an input means', 'b',
             'The answer is b. A gradient is a slope: dL/dx = 138 says that near its current value, '
             'nudging x up by a tiny h moves L up by about 138 * h. It says nothing about the value of x or of L.'),
    Question('q2', 'how much L moves when x moves by 0.001', 0.138,
             'The answer is 0.138: L changes by about dL/dx * h = 138 * 0.001.', tolerance=0.002),
    Question('q3', 'why gradients are accumulated with +=', 'b',
             'The answer is b. When a Value feeds several ops, the chain rule sums the contributions of every '
             'path. Each _backward adds its own share, and = would overwrite the shares already added.'),
    Question('q4', 'the gradient of a in b = a + a', 2.0,
             'The answer is 2: a reaches b along two paths, each contributing 1 * b.grad = 1, and += adds '
             'them up. With = instead of +=, a.grad would wrongly be 1.', tolerance=1e-6,
             traps=((1.0, 'assign_not_accumulate'),)),
    Question('q5', 'what zero_grad is for', 'c',
             'The answer is c. backward() accumulates into .grad with +=, so before each step\'s backward '
             'pass the grads must be reset to 0, or that step would follow the sum of all earlier gradients.'),
    Question('q6', 'what a learning rate that is too high does', 'b',
             'The answer is b. The gradient only describes the loss near the current weights; a big step '
             'jumps past the minimum, so the loss oscillates or explodes instead of going down.'),
    Question('q7', 'what a batch is', 'd',
             'The answer is d. A batch is a small random subset of the examples; one step runs the forward '
             'and backward pass on it alone, which is much cheaper than the whole data set and noisier.'),
    Question('q8', 'the derivative of tanh', 0.5,
             'The answer is 0.5: d/dn tanh(n) = 1 - tanh(n)**2 = 1 - o**2 = 1 - 0.7071**2 = 0.5, '
             'computed from the output o, not from n.', tolerance=0.01,
             traps=((1 - 0.8814**2, 'tanh_uses_input'), (1 - 0.7071, 'tanh_one_minus_t'))),
    Question('q9', 'why the update steps against the gradient', 'a',
             'The answer is a. The gradient points in the direction that increases the loss, so '
             'p.data += -lr * p.grad takes a small step the other way, which lowers the loss.',
             traps=(('d', 'wrong_update_sign'),)),
    Question('q10', 'why backward() walks in reverse topological order', 'b',
             'The answer is b. A node\'s grad is complete only once every node that uses it has run its '
             '_backward; reversed topological order runs all of those first, from the output back to the leaves.'),
)


def read_answers(folder: Path) -> tuple[dict, str]:
    """The parsed answers and the file's text; CheckFailed when the file is missing, too big or not TOML."""
    path = Path(folder) / FILE
    if not path.is_file():
        raise CheckFailed(Feedback(f'{FILE} is missing from the submission folder', kind='missing_file'))
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise CheckFailed(Feedback(f'{FILE} is too large ({size} bytes): it should hold only short answers',
                                   kind='syntax', where=FILE))
    try:
        text = path.read_bytes().decode('utf-8')
        return tomllib.loads(text), text
    except UnicodeDecodeError as e:
        raise CheckFailed(Feedback(f'{FILE} is not UTF-8 text ({e.reason} at byte {e.start})',
                                   kind='syntax', where=FILE)) from None
    except tomllib.TOMLDecodeError as e:
        raise CheckFailed(_toml_error(str(e), text)) from None


def _toml_error(message: str, text: str) -> Feedback:
    at = re.search(r'\s*\(at line (\d+), column \d+\)', message)
    line = int(at.group(1)) if at else 0
    message = message.replace(at.group(0), '') if at else message
    where = f'{FILE}:{line}' if line else FILE
    lines = text.splitlines()
    shown = lines[line - 1].strip() if 0 < line <= len(lines) else ''
    return Feedback(f'syntax error in {where}: {message}', where=where, kind='syntax',
                    expression=f'    {shown}' if shown else '',
                    hint='Each answer is one line: a letter in quotes (qN = "c") or a number (qN = 1.5).')


def line_of(key: str, text: str) -> str:
    """'quiz.toml:12' for the line that answers this question, or just the file name."""
    found = re.search(rf'^[ \t]*{key}[ \t]*=', text, re.MULTILINE)
    return f'{FILE}:{text.count(chr(10), 0, found.start()) + 1}' if found else FILE


def judge(q: Question, answers: dict, text: str) -> None:
    """Raise CheckFailed unless the answer to q is right."""
    where = line_of(q.key, text)
    given = answers.get(q.key, '')
    if isinstance(given, str) and not given.strip():
        raise CheckFailed(Feedback(f'not answered yet: {q.key}', where=where, kind='not_implemented'))
    if isinstance(q.answer, str):
        letter = _letter(given)
        if letter is None:
            raise CheckFailed(Feedback(f'{q.key} = {_shown(given)} is not one of the choices: write one letter '
                                       f'of {", ".join(CHOICES)} in quotes, as in {q.key} = "a"', where=where))
        if letter != q.answer:
            raise CheckFailed(wrong(q, letter, f'"{letter}"', where))
        return
    number = _number(given)
    if number is None:
        raise CheckFailed(Feedback(f'{q.key} = {_shown(given)} is not a number: write it as in {q.key} = 1.5',
                                   where=where))
    if abs(number - q.answer) > q.tolerance:
        raise CheckFailed(wrong(q, number, f'{number:g}', where))


def wrong(q: Question, given: str | float, shown: str, where: str) -> Feedback:
    """A wrong answer's feedback: the right answer explained, and the known mistake it reveals, if any."""
    feedback = Feedback(f'{q.key}: {shown} is not right', where=where, hint=q.why)
    for trap, misconception in q.traps:
        if trap == given or (isinstance(given, float) and abs(given - trap) <= max(q.tolerance, 1e-3)):
            feedback.misconception = misconception
            feedback.diagnosis = MISCONCEPTIONS[misconception].explanation
    return feedback


def _letter(given: object) -> str | None:
    if not isinstance(given, str):
        return None
    found = re.fullmatch(r'\(?\s*([a-z])\s*[).]?', given.strip().lower())
    return found.group(1) if found and found.group(1) in CHOICES else None


def _number(given: object) -> float | None:
    if isinstance(given, bool) or not isinstance(given, (int, float, str)):
        return None
    try:
        number = float(given.strip() if isinstance(given, str) else given)
    except (ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def _shown(given: object) -> str:
    return f'"{given}"' if isinstance(given, str) else repr(given)[:60]


def _check(q: Question):
    def check(student: Student) -> None:
        answers, text = read_answers(student.sandbox.folder)
        judge(q, answers, text)
    check.__doc__ = f'{q.key}: {q.topic}'
    return check


for _q in QUESTIONS:
    globals()[f'test_{_q.key}'] = _check(_q)
