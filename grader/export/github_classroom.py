"""`grade export github-classroom`: a workflow that grades each exercise on every push and reports its points."""
from __future__ import annotations

import re
from pathlib import Path

from grader import catalog
from grader.atomic import write_atomic
from grader.export.source import template

WORKFLOW = Path('.github') / 'workflows' / 'classroom.yml'
PYTHON = '3.12'
TIMEOUT_MINUTES = 10
SAFE = re.compile(r'[A-Za-z0-9._/@+=~,\[\]-]+(:[A-Za-z0-9._/@+=~,\[\]-]+)*')  # one word, safe in YAML and the shell

STEP = '''\
      - name: {id}
        id: {id}
        uses: classroom-resources/autograding-command-grader@v1
        with:
          test-name: {id}
          command: grade check {id} --submission {folder}
          timeout: {timeout}
          max-score: {points}'''


def workflow_text(install: str = '.', folder: str = 'exercises') -> str:
    """The workflow: one command-grader step per exercise (points only when it passes), then the reporter."""
    for what, value in (('install', install), ('folder', folder)):
        if not SAFE.fullmatch(value):
            raise ValueError(f'{what} {value!r} would not survive the workflow file: use one word without spaces or quotes')
    exercises = catalog.load()
    steps = [STEP.format(id=e.id, folder=folder, timeout=TIMEOUT_MINUTES, points=e.points) for e in exercises]
    env = [f'          {e.id.upper()}_RESULTS: "${{{{steps.{e.id}.outputs.result}}}}"' for e in exercises]
    return (template('classroom.yml').replace('@PYTHON@', PYTHON).replace('@INSTALL@', install)
            .replace('@STEPS@', '\n'.join(steps)).replace('@ENV@', '\n'.join(env))
            .replace('@RUNNERS@', ','.join(e.id for e in exercises)))


class NotATemplate(ValueError):
    """The folder is not a template repository to hand students: it holds the solutions, or nothing to grade."""


def template_problem(out: Path, install: str = '.', folder: str = 'exercises') -> str:
    """Why `out` cannot be the assignment's template repository, or ''."""
    out = Path(out)
    if not out.is_dir():
        return f"there is no folder '{out}': write the student bundle there first (grade publish --out {out}), then export"
    if (out / 'solutions').exists():
        return (f"'{out}' holds solutions/: the workflow would go into the repository that holds the solutions, and "
                'every student of the template would get them. Write a student bundle (grade publish --out DIR) and '
                'export into it (--out DIR)')
    if not (out / folder).is_dir():
        return (f"'{out}' is not a student bundle: it has no {folder}/ for the workflow to grade. Write one "
                '(grade publish --out DIR) and export into it (--out DIR)')
    if install == '.' and not ((out / 'pyproject.toml').is_file() and (out / 'grader').is_dir()):
        return (f"'{out}' holds no grader for the workflow to install (--install .): write the student bundle with "
                'grade publish --out DIR, or say where to install the grader from with --install git+https://...')
    return ''


def write_workflow(out: Path, install: str = '.', folder: str = 'exercises') -> Path:
    """Write OUT/.github/workflows/classroom.yml into a student bundle; returns its path."""
    text = workflow_text(install, folder)
    problem = template_problem(out, install, folder)
    if problem:
        raise NotATemplate(problem)
    path = Path(out) / WORKFLOW
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text)
    return path
