"""The student bundle's pyproject.toml and .gitignore: what installs the exercises' grader, and what git leaves out."""
from __future__ import annotations

import sys
from pathlib import Path

import tomlkit

from grader.publish.generate import PublishError

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

NAME = 'micrograd-exercises'
PACKAGES = ['grader*', 'micrograd_ref*']
# What a student's work leaves beside the exercises: their environment, pip's build files, the copies
# `grade reset` keeps, Python's and Jupyter's caches.
GITIGNORE = ['.venv/', 'build/', '*.egg-info', 'exercises/.backups/', '__pycache__/', '.ipynb_checkpoints/']


def student_pyproject(source: Path, bundle: Path) -> str:
    """A pyproject.toml that installs the bundle's grader under the bundle's own name, with nothing of the instructor's tooling.

    From `source` (the instructor's) it takes the version, the Python and the dependencies, the `grade`
    script and the build backend; its package data only where the bundle has such files.
    """
    try:
        instructor = tomllib.loads(source.read_text(encoding='utf-8'))
        project, build = instructor['project'], instructor['build-system']
        data = instructor.get('tool', {}).get('setuptools', {}).get('package-data', {}).get('grader', [])
        grade = project['scripts']['grade']
    except (OSError, KeyError, TypeError, tomllib.TOMLDecodeError) as e:
        raise PublishError(f'{source} cannot give the bundle its pyproject.toml ({type(e).__name__}: {e})') from None
    document = tomlkit.document()
    document.add(tomlkit.comment('The micrograd exercises and their grader: `pip install -e .`, then `grade`.'))
    document['build-system'] = {'requires': build['requires'], 'build-backend': build['build-backend']}
    document['project'] = {'name': NAME, 'version': project['version'], 'description': project.get('description', ''),
                           'readme': 'README.md', 'requires-python': project.get('requires-python', '>=3.10'),
                           'dependencies': _multiline(project.get('dependencies', [])),
                           'scripts': {'grade': grade}}
    shipped = [pattern for pattern in data if any((bundle / 'grader').glob(pattern))]
    document['tool'] = {'setuptools': {'packages': {'find': {'include': PACKAGES}}, 'package-data': {'grader': shipped}}}
    return tomlkit.dumps(document)


def gitignore() -> str:
    """The bundle's .gitignore, one pattern a line."""
    return '\n'.join(GITIGNORE) + '\n'


def _multiline(items: list[str]) -> tomlkit.items.Array:
    """A TOML array written one item a line, as the instructor's dependencies are."""
    array = tomlkit.array()
    array.extend(items)
    return array.multiline(True)
