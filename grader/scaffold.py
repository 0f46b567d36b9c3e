"""`grade new`: scaffold an exercise's catalog entry, check module, marked solution and mutants file."""
from __future__ import annotations

import ast
import keyword
import re
from dataclasses import dataclass, field
from pathlib import Path

import tomlkit
from tomlkit.exceptions import TOMLKitError

from grader import catalog
from grader.atomic import write_atomic
from grader.validation.mutants import mutants_file

# Parsed, never formatted: the instructor's values are set through tomlkit, which escapes them.
CATALOG_ENTRY = '''[[exercise]]
id = ""
title = ""
points = 5
covers = {}
requires = []
intro = """
Say what the student builds here, and why, in the lecture's words.
"""
hints = [
    "A first nudge.",
]
'''
MAX_TITLE = 60  # the progress table pads every title to the longest one

CHECK_MODULE = '''"""Hidden checks for `{id}`: {symbol}."""
from grader.checking import CheckFailed
from grader.results import Feedback


def test_{name}(student):
    """what this check expects, as the student will read it"""
    # Ask the student's code through a probe (student.run) and compare with micrograd_ref;
    # grader/checks/softmax.py shows both kinds of check. Until written, this check fails.
    raise CheckFailed(Feedback('the check for {symbol} is not written yet', kind='internal'))
'''

CONTRACT_PAGE = """# {id}: what the checks call and read

- `{symbol}` from `{file}`: say what the checks call, with which arguments, and what they read back.
  Anything this page does not list is the student's to write as they like.

[All exercises](README.md)
"""
CONTRACT_LINK = re.compile(r'\[[a-z_][a-z0-9_]*\]\([a-z_][a-z0-9_]*\.md\)')  # an exercise's entry in the contract's README

MUTANTS_HEAD = '''# Known mistakes in {id}: each is the solution with a small patch. `grade validate` checks that the
# exercise catches every one and, when a misconception is named, that its feedback explains it.
#
# [[mutant]]
# id = "a_short_name"
# misconception = "an id from grader/feedback/misconceptions.py"
#
# [[mutant.patch]]
# file = "{file}"
# old = "a line of the solution"
# new = "the same line, with the mistake"
'''


class ScaffoldError(ValueError):
    """The exercise cannot be scaffolded as asked; nothing was written."""


class SolutionError(ScaffoldError):
    """The solution file the exercise goes into must be fixed first; nothing was written."""


@dataclass
class Scaffold:
    """The files `grade new` created or appended to."""

    exercise: str
    created: list[str] = field(default_factory=list)
    appended: list[str] = field(default_factory=list)


def new_exercise(exercise_id: str, solutions: Path, file: str = '', symbol: str = '', title: str = '') -> Scaffold:
    """Scaffold a new exercise; refuses bad input, taken ids and existing files before writing anything."""
    file, symbol, title = file or f'{exercise_id}.py', symbol or exercise_id, title or symbol or exercise_id
    _refuse(exercise_id, Path(solutions), file, symbol, title)
    solution = Path(solutions) / file
    try:
        new_text = _with_symbol(solution.read_text(encoding='utf-8') if solution.exists() else '', exercise_id, symbol)
    except SyntaxError as e:
        raise SolutionError(f'{solution}:{e.lineno}: {e.msg}; fix the solution first') from None
    new_catalog = catalog_with_entry(catalog.CATALOG_FILE.read_text(encoding='utf-8'), exercise_id, title, file, symbol)
    contract = contract_folder(Path(solutions))
    index = contract / 'README.md'
    new_index = index_with_link(index.read_text(encoding='utf-8') if index.is_file() else '', exercise_id)
    done = Scaffold(exercise_id)
    check, mutants = catalog.CHECKS_DIR / f'{exercise_id}.py', mutants_file(exercise_id)
    write_atomic(check, CHECK_MODULE.format(id=exercise_id, name=exercise_id, symbol=symbol))
    mutants.parent.mkdir(exist_ok=True)
    write_atomic(mutants, MUTANTS_HEAD.format(id=exercise_id, file=file))
    contract.mkdir(parents=True, exist_ok=True)
    write_atomic(contract / f'{exercise_id}.md', CONTRACT_PAGE.format(id=exercise_id, symbol=symbol, file=file))
    (done.appended if index.is_file() else done.created).append(str(index))
    write_atomic(index, new_index)
    done.created += [str(check), str(mutants), str(contract / f'{exercise_id}.md')]
    (done.appended if solution.exists() else done.created).append(str(solution))
    write_atomic(solution, new_text)
    write_atomic(catalog.CATALOG_FILE, new_catalog)
    done.appended.append(str(catalog.CATALOG_FILE))
    catalog.load.cache_clear()
    return done


def catalog_with_entry(text: str, exercise_id: str, title: str, file: str, symbol: str) -> str:
    """The catalog with a scaffolded entry appended; every byte before it, comments included, is kept."""
    try:
        document = tomlkit.parse(text)
    except TOMLKitError as e:
        raise ScaffoldError(f'{catalog.CATALOG_FILE} is not valid TOML ({e}): fix it first') from None
    entry = tomlkit.parse(CATALOG_ENTRY)['exercise'][0]
    entry['id'], entry['title'] = exercise_id, title
    covers = tomlkit.inline_table()
    covers[file] = [symbol]
    entry['covers'] = covers
    exercises = document.get('exercise')
    if exercises is None:
        document.append('exercise', tomlkit.aot())
        exercises = document['exercise']
    elif len(exercises):
        exercises[-1].add(tomlkit.nl())  # a blank line between entries, as the hand-written ones have
    exercises.append(entry)
    return tomlkit.dumps(document).rstrip('\n') + '\n'


def contract_folder(solutions: Path) -> Path:
    """docs/contract/ of the project that holds these solutions: the pages every stub links."""
    return solutions.resolve().parent / 'docs' / 'contract'


def index_with_link(text: str, exercise_id: str) -> str:
    """The contract's README with the exercise's page linked after the last exercise it links (or at its end)."""
    link = f'[{exercise_id}]({exercise_id}.md)'
    last = list(CONTRACT_LINK.finditer(text))
    if not last:
        return (text.rstrip('\n') + '\n\n' if text.strip() else '# What the checks call and read\n\n') + link + '\n'
    return text[:last[-1].end()] + ' · ' + link + text[last[-1].end():]


def _refuse(exercise_id: str, solutions: Path, file: str, symbol: str, title: str) -> None:
    if not re.fullmatch(r'[a-z_][a-z0-9_]*', exercise_id) or keyword.iskeyword(exercise_id):
        raise ScaffoldError(f"'{exercise_id}' is not a valid exercise id: use lowercase letters, digits and _, "
                            'starting with a letter, as in sigmoid or batch_norm')
    if not re.fullmatch(r'[A-Za-z_]\w*\.py', file) or keyword.iskeyword(file[:-3]):
        raise ScaffoldError(f"{file!r} is not a Python file name such as {exercise_id}.py")
    parts = symbol.split('.')
    if not re.fullmatch(r'([A-Za-z_]\w*\.)?[A-Za-z_]\w*', symbol) or any(keyword.iskeyword(p) for p in parts):
        raise ScaffoldError(f"{symbol!r} is not a function or Class.method name such as {exercise_id} or Value.{exercise_id}")
    if not title.strip() or not title.isprintable():
        raise ScaffoldError(f'the title {title!r} must be one line of printable text')
    if len(title) > MAX_TITLE:
        raise ScaffoldError(f'the title is {len(title)} characters long: keep it to {MAX_TITLE}, '
                            'so the progress table stays readable')
    if not solutions.is_dir():
        raise ScaffoldError(f'there is no solutions folder at {solutions}: run grade new from the project folder')
    taken = {e.id for e in catalog.load()}  # a CatalogError says what is wrong with it, and where
    if exercise_id in taken:
        raise ScaffoldError(f"'{exercise_id}' is already in the catalog")
    for path in (catalog.CHECKS_DIR / f'{exercise_id}.py', mutants_file(exercise_id),
                 contract_folder(solutions) / f'{exercise_id}.md'):
        if path.exists():
            raise ScaffoldError(f'{path} already exists')


def _with_symbol(text: str, exercise_id: str, symbol: str) -> str:
    """The solution file with a marked, unwritten function (or method, appended to its class)."""
    cls, _, name = symbol.rpartition('.')
    body = (f"# {exercise_id}: what the student writes (checked as in docs/contract/{exercise_id}.md)\n"
            f"# BEGIN SOLUTION {exercise_id}: {symbol}\n"
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
