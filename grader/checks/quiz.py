"""Hidden checks for `quiz`: the concept questions, answered in the student's quiz.toml.

The answers file is data, not code, so it is read here in the grading process (through the
sandbox, never following a link), and never executed. The right answers are kept only as salted
hashes (grader/checking/answers.py), and a wrong answer's feedback teaches the idea behind the
question without naming the right letter or number.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from grader.checking import CheckFailed, Student, name
from grader.checking.answers import digest, line_of, number_matches, read
from grader.results import Feedback

FILE = 'quiz.toml'
CHOICES = 'abcd'


@dataclass(frozen=True)
class Question:
    """One question: its key in quiz.toml, the hashes of its right answer, and the idea it asks about."""

    key: str
    topic: str
    digests: tuple[str, ...]
    why: str
    tolerance: float = 0.0  # a number question when above 0, else multiple choice
    traps: tuple[tuple[str | float, str], ...] = ()  # (a wrong answer, the misconception it reveals)


QUESTIONS = (
    Question('q1', 'what a gradient of 138 at an input means', ('8e8e268a83925e19f3ada3d3',),
             'A gradient is a slope: dL/dx says how fast L moves when x is nudged, near the value x has now. '
             'It says nothing about how big x or L are.'),
    Question('q2', 'how much L moves when x moves by 0.001',
             ('2d54f9f007364e2a70323f90', '8b55a1917e07e98293021403', 'f27df7f667a4e1338d529fd0'),
             'Near x, L changes by about dL/dx times the nudge h: multiply the gradient by the step.', tolerance=0.002),
    Question('q3', 'why gradients are accumulated with +=', ('26fa841b7f495f55667dd072',),
             'When a Value feeds several ops, the chain rule sums what comes back along every path. Each '
             '_backward adds its own share; setting the grad instead would overwrite the shares already there.'),
    Question('q4', 'the gradient of a in b = a + a',
             ('5c56fd41328cdeb6e35d69e7', 'e960ffc54fa09c2dbeb44f43', 'f2d380c9c654f2a713aacfb9'),
             'a reaches b along two paths (both inputs of the +), and each path passes back 1 * b.grad; += '
             'adds up what every path passes back.', tolerance=1e-6, traps=((1.0, 'assign_not_accumulate'),)),
    Question('q5', 'what zero_grad is for', ('ee302da3493dc57c04ad82d9',),
             "backward() adds into .grad with +=, so whatever the grads held before a step's backward pass is "
             'still in them afterwards. Think about what each step should start from.'),
    Question('q6', 'what a learning rate that is too high does', ('fe33566d348bc7f230c9f07d',),
             'The gradient only describes the loss close to the current weights. Think about what happens when '
             'a step goes much further than that neighbourhood.'),
    Question('q7', 'what a batch is', ('813d28acf8f9aa79a85c7735',),
             'Computing the loss over every example for every step is slow on a big data set. A batch is how '
             'training makes one step cheaper, at the price of some noise.'),
    Question('q8', 'the derivative of tanh',
             ('0eea3b1a48e5452ba5a40084', '47f0cb1117903755c8dcbb17', '9679696610286f982403b215'),
             'd/dn tanh(n) = 1 - tanh(n)**2, and tanh(n) is the output o: compute it from o, not from n.',
             tolerance=0.01, traps=((1 - 0.8814**2, 'tanh_uses_input'), (1 - 0.7071, 'tanh_one_minus_t'))),
    Question('q9', 'why the update steps against the gradient', ('b65ac67db6711f56c5aad556',),
             'The gradient points in the direction in which the loss goes up fastest. Training wants the loss '
             'to go down.', traps=(('d', 'wrong_update_sign'),)),
    Question('q10', 'why backward() walks in reverse topological order', ('122df4ed4b3a8d4e979adaf0',),
             "A node may pass its grad on only when it is complete, and it is complete only once every node "
             'that uses it has run its _backward. Think about which order guarantees that.'),
)


def judge(q: Question, answers: dict, text: str) -> None:
    """Raise CheckFailed unless the answer to q is right."""
    where = line_of(FILE, q.key, text)
    given = answers.get(q.key, '')
    if isinstance(given, str) and not given.strip():
        raise CheckFailed(Feedback(f'not answered yet: {q.key}', where=where, kind='not_implemented'))
    if not q.tolerance:
        letter = _letter(given)
        if letter is None:
            raise CheckFailed(Feedback(f'{q.key} = {_shown(given)} is not one of the choices: write one letter '
                                       f'of {", ".join(CHOICES)} in quotes, as in {q.key} = "a"', where=where))
        if digest(q.key, letter) not in q.digests:
            raise CheckFailed(wrong(q, letter, f'"{letter}"', where))
        return
    number = _number(given)
    if number is None:
        raise CheckFailed(Feedback(f'{q.key} = {_shown(given)} is not a number: write it as in {q.key} = 1.5',
                                   where=where))
    if not number_matches(q.key, number, q.tolerance, q.digests):
        raise CheckFailed(wrong(q, number, f'{number:g}', where))


def wrong(q: Question, given: str | float, shown: str, where: str) -> Feedback:
    """A wrong answer's feedback: the idea behind the question, and the known mistake it reveals, if any."""
    feedback = Feedback(f'{q.key}: {shown} is not right', where=where, hint=q.why)
    for trap, misconception in q.traps:
        if trap == given or (isinstance(given, float) and abs(given - trap) <= max(q.tolerance, 1e-3)):
            name(feedback, misconception, where)
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
    return f'"{given[:60]}"' if isinstance(given, str) else repr(given)[:60]


def _check(q: Question):
    def check(student: Student) -> None:
        answers, text = read(student, FILE)
        judge(q, answers, text)
    check.__doc__ = f'{q.key}: {q.topic}'
    return check


for _q in QUESTIONS:
    globals()[f'test_{_q.key}'] = _check(_q)
