"""The grader's own source, as the exports ship it: the grader and the reference engine, nothing else."""
from __future__ import annotations

import sys
from importlib import metadata
from importlib.resources import files
from pathlib import Path

import tomlkit

import grader
import micrograd_ref
from grader import catalog
from grader.publish.bundle import INSTRUCTOR_ONLY

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

PACKAGES = (Path(grader.__file__).resolve().parent, Path(micrograd_ref.__file__).resolve().parent)
DISTRIBUTION = 'micrograd-grader'


def template(name: str) -> str:
    """One of the export templates shipped with the grader."""
    return files('grader.export').joinpath('templates', name).read_text(encoding='utf-8')


def grader_source() -> dict[str, bytes]:
    """Archive path -> bytes: both packages and a pyproject.toml that installs them; no caches, no instructor tools."""
    catalog.load()  # a catalog that cannot be read is never shipped: CatalogError says what is wrong
    out: dict[str, bytes] = {}
    for package in PACKAGES:
        for path in sorted(package.rglob('*')):
            parts = set(path.relative_to(package).parts)
            if path.is_file() and path.suffix != '.pyc' and not parts & {'__pycache__', *INSTRUCTOR_ONLY}:
                out[str(path.relative_to(package.parent))] = path.read_bytes()
    out['pyproject.toml'] = shipped_pyproject().encode()
    return out


def shipped_pyproject() -> str:
    """The template's pyproject.toml with this grader's version and dependencies set through tomlkit."""
    version, dependencies = _project()
    document = tomlkit.parse(template('pyproject.toml'))
    project = document['project']
    project['version'] = version
    project['dependencies'] = tomlkit.array()
    project['dependencies'].extend(dependencies)
    project['dependencies'].multiline(True)
    return tomlkit.dumps(document)


def _project() -> tuple[str, list[str]]:
    """Version and dependencies: from the source checkout's pyproject.toml, else from the installed metadata."""
    pyproject = PACKAGES[0].parent / 'pyproject.toml'
    if pyproject.is_file():
        project = tomllib.loads(pyproject.read_text(encoding='utf-8')).get('project', {})
        if project.get('name') == DISTRIBUTION:
            return project['version'], list(project.get('dependencies', []))
    return metadata.version(DISTRIBUTION), list(metadata.requires(DISTRIBUTION) or [])
