"""`grade new`: scaffold an exercise's catalog entry, check module, marked solution and mutants file."""
from __future__ import annotations

import ast
import keyword
import re
from dataclasses import dataclass, field
from pathlib import Path

from grader import catalog
from grader.validation.mutants import mutants_file

CATALOG_ENTRY = '''
[[exercise]]
id = "{id}"
title = "{title}"
points = 5
covers = {{ "{file}" = ["{symbol}"] }}
requires = []
intro = """
Say what the student builds here, and why, in the lecture's words.
"""
hints = [
    "A first nudge.",
]
'''

CHECK_MODULE = '''"""Hidden checks for `{id}`: {symbol}."""
from grader.checking import CheckFailed
from grader.results import Feedback


def test_{name}(student):
    """what this check expects, as the student will read it"""
    # Ask the student's code through a probe (student.run) and compare with micrograd_ref;
    # grader/checks/softmax.py shows both kinds of check. Until written, this check fails.
    raise CheckFailed(Feedback('the check for {symbol} is not written yet', kind='internal'))
'''

MUTANTS_HEAD = '''# Known mistakes in {id}: each is the solution with a small patch. `grade validate` checks that the
# exercise catches every one and, when a misconception is named, that its feedback explains it.
#
# [[mutant]]
# id = "a_short_name"
# misconception = "an id from grader/misconceptions.py"
#
# [[mutant.patch]]
# file = "{file}"
# old = "a line of the solution"
# new = "the same line, with the mistake"
'''


class ScaffoldError(ValueError):
    """The exercise cannot be scaffolded as asked; nothing was written."""


@dataclass
class Scaffold:
    """The files `grade new` created or appended to."""

    exercise: str
    created: list[str] = field(default_factory=list)
    appended: list[str] = field(default_factory=list)


def new_exercise(exercise_id: str, solutions: Path, file: str = '', symbol: str = '', title: str = '') -> Scaffold:
    """Scaffold a new exercise; refuses bad or taken ids and existing files before writing anything."""
    file, symbol = file or f'{exercise_id}.py', symbol or exercise_id
    _refuse(exercise_id, Path(solutions), file, symbol)
    solution = Path(solutions) / file
    try:
        new_text = _with_symbol(solution.read_text(encoding='utf-8') if solution.exists() else '', exercise_id, symbol)
    except SyntaxError as e:
        raise ScaffoldError(f'{solution}:{e.lineno}: {e.msg}; fix the solution first') from None
    done = Scaffold(exercise_id)
    check, mutants = catalog.CHECKS_DIR / f'{exercise_id}.py', mutants_file(exercise_id)
    check.write_text(CHECK_MODULE.format(id=exercise_id, name=exercise_id, symbol=symbol), encoding='utf-8')
    mutants.parent.mkdir(exist_ok=True)
    mutants.write_text(MUTANTS_HEAD.format(id=exercise_id, file=file), encoding='utf-8')
    done.created += [str(check), str(mutants)]
    (done.appended if solution.exists() else done.created).append(str(solution))
    solution.write_text(new_text, encoding='utf-8')
    with open(catalog.CATALOG_FILE, 'a', encoding='utf-8') as f:
        f.write(CATALOG_ENTRY.format(id=exercise_id, title=title or symbol, file=file, symbol=symbol))
    done.appended.append(str(catalog.CATALOG_FILE))
    catalog.load.cache_clear()
    return done


def _refuse(exercise_id: str, solutions: Path, file: str, symbol: str) -> None:
    if not re.fullmatch(r'[a-z_][a-z0-9_]*', exercise_id) or keyword.iskeyword(exercise_id):
        raise ScaffoldError(f"'{exercise_id}' is not a valid exercise id: use lowercase letters, digits and _, "
                            'starting with a letter, as in sigmoid or batch_norm')
    if exercise_id in {e.id for e in catalog.load()}:
        raise ScaffoldError(f"'{exercise_id}' is already in the catalog")
    if not re.fullmatch(r'[A-Za-z_]\w*\.py', file):
        raise ScaffoldError(f"'{file}' is not a Python file name such as {exercise_id}.py")
    if not re.fullmatch(r'([A-Za-z_]\w*\.)?[A-Za-z_]\w*', symbol):
        raise ScaffoldError(f"'{symbol}' is not a function or Class.method name")
    if not solutions.is_dir():
        raise ScaffoldError(f'there is no solutions folder at {solutions}: run grade new from the project folder')
    for path in (catalog.CHECKS_DIR / f'{exercise_id}.py', mutants_file(exercise_id)):
        if path.exists():
            raise ScaffoldError(f'{path} already exists')


def _with_symbol(text: str, exercise_id: str, symbol: str) -> str:
    """The solution file with a marked, unwritten function (or method, appended to its class)."""
    cls, _, name = symbol.rpartition('.')
    body = (f"# BEGIN SOLUTION {exercise_id}: {symbol}\n"
            f"raise NotImplementedError('the solution of {symbol} is not written yet')\n"
            f"# END SOLUTION\n")
    if not cls:
        if re.search(rf'^def {re.escape(name)}\b', text, flags=re.M):
            raise ScaffoldError(f'{name} is already defined in the solution')
        return (text.rstrip('\n') + '\n\n\n' if text.strip() else '') + f'def {name}():\n' + _indent(body, 4)
    tree = ast.parse(text)
    node = next((n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls), None)
    if node is None:
        raise ScaffoldError(f'there is no class {cls} in the solution to add {name} to')
    if any(getattr(n, 'name', None) == name for n in node.body):
        raise ScaffoldError(f'{symbol} is already defined in the solution')
    lines = text.splitlines(keepends=True)
    end = node.end_lineno or len(lines)
    while end < len(lines) and (not lines[end].strip() or lines[end][0] in ' \t'):
        end += 1  # the class's trailing comments (an END SOLUTION marker) belong to it
    method = '\n' + _indent(f'def {name}(self):\n' + _indent(body, 4), 4)
    return ''.join(lines[:end]).rstrip('\n') + '\n' + method + ('\n\n' if lines[end:] else '') + ''.join(lines[end:])


def _indent(text: str, n: int) -> str:
    return ''.join(' ' * n + line if line.strip() else line for line in text.splitlines(keepends=True))
