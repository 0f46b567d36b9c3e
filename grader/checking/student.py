"""The `student` fixture's object: runs probes in the sandbox and turns its errors into feedback."""
from __future__ import annotations

from grader import catalog
from grader.results import Feedback
from grader.sandbox.limits import format_size
from grader.sandbox.runner import Sandbox


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

    def run(self, probe: str, args: dict, modules: tuple[str, ...]) -> object:
        reply = self.sandbox.request(probe, args, modules)
        if reply.ok:
            return reply.result
        error = dict(reply.error, memory=format_size(self.sandbox.limits.memory_bytes))
        raise CheckFailed(feedback_for_error(error, self.exercise, self.sandbox.output()))

    def locate(self, module: str, symbol: str) -> str:
        """'engine.py:42' for a function or method of the student's, or '' if unknown."""
        reply = self.sandbox.request('locate', {'module': module, 'symbol': symbol}, (module,))
        result = reply.result if reply.ok else None
        if isinstance(result, list) and len(result) == 2 and type(result[1]) is int:
            return f'{result[0]}:{result[1]}'
        return ''


def feedback_for_error(error: dict, exercise: str, output: str = '') -> Feedback:
    """What to tell the student when their code raised, exited, hung or was missing."""
    kind, message = error.get('kind', 'error'), str(error.get('message', ''))
    frames = [f for f in error.get('frames', []) if isinstance(f, list) and len(f) == 4]
    where = f'{frames[-1][0]}:{frames[-1][1]}' if frames else ''
    code = f'    {frames[-1][3]}' if frames else ''
    output = output or str(error.get('output', ''))
    if kind == 'not_implemented':
        owner, _, what = message.partition(':')
        owner = owner.strip()
        known = {e.id for e in catalog.load()}
        if owner in known:
            blocked = owner if owner != exercise else ''
            return Feedback(f'not implemented yet: {what.strip()}', where=where, kind='not_implemented',
                            blocked_by=blocked, output=output)
        return Feedback(f'not implemented yet: {message}', where=where, kind='not_implemented', output=output)
    if kind == 'syntax':
        place = f"{error.get('file')}:{error.get('line')}"
        return Feedback(f'syntax error in {place}: {message}', where=place, kind='syntax',
                        expression=f"    {str(error.get('text', '')).strip()}")
    if kind == 'missing_file':
        return Feedback(f'{message} is missing from the submission folder', kind='missing_file')
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
    misconception = _misconception_of(error, frames)
    return Feedback(f"your code raised {error.get('type', 'an exception')}: {message}", where=where,
                    expression=code, kind='error', misconception=misconception, output=output)


def _misconception_of(error: dict, frames: list) -> str:
    """Exceptions whose cause is a well-known mistake."""
    functions = [f[2] for f in frames]
    if error.get('type') == 'RecursionError' and '__rmul__' in functions:
        return 'rmul_recursion'
    message = str(error.get('message', ''))
    if error.get('type') == 'TypeError' and "for +: 'int' and" in message:
        return 'missing_radd'
    return ''
