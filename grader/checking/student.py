"""The `student` fixture's object: runs probes in the sandbox and turns its errors into feedback."""
from __future__ import annotations

import hashlib

from grader import catalog
from grader.checking import contract
from grader.feedback.misconceptions import MISCONCEPTIONS
from grader.results import Feedback
from grader.sandbox.limits import format_size
from grader.sandbox.runner import Sandbox

# What Python calls when a number meets a Value, as in self.data + other with other a Value.
REFLECTED = ('__radd__', '__rmul__', '__rsub__', '__rtruediv__', '__rpow__')


class CheckFailed(Exception):
    """Raised by a check with feedback written for the student."""

    def __init__(self, feedback: Feedback):
        super().__init__(feedback.summary)
        self.feedback = feedback


class Student:
    """The student's code as a check sees it: probes in, plain JSON out."""

    def __init__(self, sandbox: Sandbox, exercise: str):
        self.sandbox = sandbox
        self.exercise = exercise

    def run(self, probe: str, args: dict, modules: tuple[str, ...], expression: str = '') -> object:
        """The probe's result; CheckFailed with feedback when it fails (`expression` shows the grader's call)."""
        reply = self.sandbox.request(probe, args, modules)
        if reply.ok:
            return reply.result
        error = dict(reply.error, memory=format_size(self.sandbox.limits.memory_bytes))
        feedback = feedback_for_error(error, self.exercise, self.sandbox.output())
        if error.get('type') == 'ContractError':
            feedback.expression = feedback.expression or expression
            where = contract.explain(str(error.get('message', '')), self.exercise)[1]
            feedback.where = self.locate(*where) if where else ''
        raise CheckFailed(feedback)

    def seed(self, label: str) -> int:
        """A seed below 10**6 from the submission's files: the same for the same files, unknowable to code in them."""
        # Code that carried a table of answers for its seeds would change the files, and so the seeds.
        digest = hashlib.sha256(self.sandbox.fingerprint() + f'\0{self.exercise}\0{label}'.encode()).digest()
        return int.from_bytes(digest[:8], 'big') % 10 ** 6

    def locate(self, module: str, symbol: str, misconception: str = '', strict: bool = False) -> str:
        """'engine.py:42' for a function or method of the student's: the line where the misconception
        shows, if one is given and its line is found, else the `def` line (or, strict, ''); '' if unknown."""
        pattern = MISCONCEPTIONS[misconception].line if misconception else ''
        reply = self.sandbox.request('locate', {'module': module, 'symbol': symbol, 'pattern': pattern}, (module,))
        result = reply.result if reply.ok else None
        if isinstance(result, list) and len(result) == 3 and type(result[1]) is int and type(result[2]) is int:
            if strict and pattern and not result[2]:
                return ''
            return f'{cut(str(result[0]), 100)}:{result[2] or result[1]}'
        return ''

    def line_of(self, module: str, symbol: str, pattern: str) -> int:
        """The first line of the student's function that matches pattern, or 0."""
        reply = self.sandbox.request('locate', {'module': module, 'symbol': symbol, 'pattern': pattern}, (module,))
        result = reply.result if reply.ok else None
        return result[2] if isinstance(result, list) and len(result) == 3 and type(result[2]) is int else 0


def cut(text: str, limit: int = 2000) -> str:
    """A string from student code, no longer than limit: it goes into feedback, reports and files."""
    return text if len(text) <= limit else text[:limit] + f'… ({len(text) - limit} more characters)'


def feedback_for_error(error: dict, exercise: str, output: str = '') -> Feedback:
    """What to tell the student when their code raised, exited, hung or was missing."""
    kind, message = error.get('kind', 'error'), cut(str(error.get('message', '')))
    frames = [[cut(x, 200) if isinstance(x, str) else x for x in f]
              for f in error.get('frames', [])[-8:] if isinstance(f, list) and len(f) == 4]
    where = f'{frames[-1][0]}:{frames[-1][1]}' if frames else ''
    code = f'    {frames[-1][3]}' if frames else ''
    output = cut(output or str(error.get('output', '')))
    if error.get('type') == 'ContractError':
        return Feedback(contract.explain(message, exercise)[0], kind='error', hint=contract.hint(exercise),
                        misconception='missing_radd' if "for +: 'int' and" in message else '')
    if kind == 'not_implemented':
        owner, _, what = message.partition(':')
        owner, what = owner.strip(), what.strip()
        known = {e.id for e in catalog.load()}
        if owner in known and owner != exercise and len(frames) > 1 and owner not in _requirements(exercise):
            return _stray_call(frames[-2], owner, what, exercise, output)
        if owner in known:
            blocked = owner if owner != exercise else ''
            return Feedback(f'not implemented yet: {what}', where=where, kind='not_implemented',
                            blocked_by=blocked, output=output)
        return Feedback(f'not implemented yet: {message}', where=where, kind='not_implemented', output=output)
    if kind == 'syntax':
        place = f"{cut(str(error.get('file')), 100)}:{cut(str(error.get('line')), 20)}"
        return Feedback(f'syntax error in {place}: {message}', where=place, kind='syntax',
                        expression=f"    {cut(str(error.get('text', '')).strip(), 500)}")
    if kind == 'missing_file':
        why = f"is {error['left_out']}" if error.get('left_out') else 'is missing from the submission folder'
        return Feedback(f'{message} {why}', kind='missing_file')
    if kind in ('timeout', 'crash', 'protocol', 'disk'):
        running = f' It was running {frames[-1][2]}().' if kind == 'timeout' and frames else ''
        return Feedback(f'your code {message}{running}', where=where, expression=code,
                        kind={'protocol': 'crash', 'disk': 'error'}.get(kind, kind), output=output)
    if kind == 'exit':
        return Feedback(f'your code raised {message}: exiting is not an answer', where=where,
                        expression=code, kind='error', output=output)
    if error.get('type') == 'MemoryError':
        return Feedback(f"your code ran out of memory (the limit is {error.get('memory', 'set by the grader')})",
                        where=where, expression=code, kind='error', output=output)
    foreign = contract.foreign_import(message) if error.get('type') in ('ModuleNotFoundError', 'ImportError') else ''
    if foreign:
        return Feedback(f'{where or "your code"} imports {foreign}, which is not available while grading', where=where,
                        expression=code, kind='error', misconception='non_stdlib_import', output=output)
    misconception, frame = _misconception_of(error, frames)
    if frame:
        where, code = f'{frame[0]}:{frame[1]}', f'    {frame[3]}'
    return Feedback(f"your code raised {cut(str(error.get('type', 'an exception')), 100)}: {message}", where=where,
                    expression=code, kind='error', misconception=misconception, output=output)


def _requirements(exercise: str) -> set[str]:
    """Every exercise this one relies on, transitively ({} for an id the catalog does not know)."""
    try:
        return {e.id for e in catalog.with_requirements([exercise])} - {exercise}
    except catalog.UnknownExercise:
        return set()


def _stray_call(caller: list, owner: str, what: str, exercise: str, output: str) -> Feedback:
    """Code the exercise does not need was called, from the student's line in `caller`: the student's own mistake.

    Python reaches a reflected op (other.__radd__) when a number meets a Value, as in self.data + other."""
    reflected = what.rpartition('.')[2] in REFLECTED
    why = (': is `other` still a Value where you meant its number, other.data?' if reflected else
           f': {exercise} can be written without it.')
    return Feedback(f'your {caller[2]} ended up calling {what}, which {owner} writes and {exercise} does not need{why}',
                    where=f'{caller[0]}:{caller[1]}', expression=f'    {caller[3]}', kind='error', output=output)


def _misconception_of(error: dict, frames: list) -> tuple[str, list | None]:
    """Exceptions whose cause is a well-known mistake, and the student's frame where it lies (None: the last)."""
    functions = [f[2] for f in frames]
    kind, message = error.get('type'), str(error.get('message', ''))
    if kind == 'RecursionError' and '__rmul__' in functions:
        return 'rmul_recursion', None
    if kind == 'TypeError' and "for +: 'int' and" in message:
        return 'missing_radd', None
    if kind == 'OverflowError' and 'tanh' in functions:
        return 'tanh_overflow', [f for f in frames if f[2] == 'tanh'][-1]
    parameters = [f for f in frames if f[2] == 'parameters' and '+' in f[3]]
    if kind == 'TypeError' and parameters and ('list' in message or '__radd__' in functions):
        return 'parameters_list_plus_value', parameters[-1]
    return '', None
