"""The exercise catalog: the single source of exercise metadata. Paths are derived from ids."""
from __future__ import annotations

import difflib
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

PACKAGE_DIR = Path(__file__).resolve().parent
CATALOG_FILE = PACKAGE_DIR / 'catalog.toml'
CHECKS_DIR = PACKAGE_DIR / 'checks'


@dataclass(frozen=True)
class Exercise:
    """One catalog entry."""

    id: str
    title: str
    points: int
    covers: dict[str, tuple[str, ...]]  # file name -> the symbols the student writes there
    requires: tuple[str, ...]
    intro: str
    hints: tuple[str, ...]
    all_or_nothing: bool = False  # the points only when every check passes, instead of a share per check

    @property
    def files(self) -> tuple[str, ...]:
        return tuple(self.covers)

    @property
    def check_path(self) -> Path:
        return CHECKS_DIR / f'{self.id}.py'


class UnknownExercise(KeyError):
    """An exercise id that is not in the catalog; carries the close names."""

    def __init__(self, name: str, suggestions: list[str]):
        super().__init__(name)
        self.name = name
        self.suggestions = suggestions

    def __str__(self) -> str:
        tip = f" Did you mean: {', '.join(self.suggestions)}?" if self.suggestions else ''
        return f"unknown exercise '{self.name}'.{tip} (`grade list` shows them all)"


@lru_cache(maxsize=None)
def load(path: Path = CATALOG_FILE) -> tuple[Exercise, ...]:
    """Read the catalog, in the lecture's order."""
    with open(path, 'rb') as f:
        raw = tomllib.load(f)['exercise']
    return tuple(Exercise(id=e['id'], title=e['title'], points=int(e['points']),
                          covers={k: tuple(v) for k, v in e['covers'].items()},
                          requires=tuple(e.get('requires', ())), intro=e['intro'].strip(),
                          hints=tuple(e.get('hints', ())), all_or_nothing=_flag(e, 'all_or_nothing')) for e in raw)


def _flag(entry: dict, key: str) -> bool:
    """A true/false key of an exercise, false when left out."""
    value = entry.get(key, False)
    if not isinstance(value, bool):
        raise ValueError(f"catalog: {key} of exercise {entry.get('id')!r} must be true or false, not {value!r}")
    return value


def get(name: str) -> Exercise:
    """The exercise with this id, or UnknownExercise naming the close ones."""
    by_id = {e.id: e for e in load()}
    if name in by_id:
        return by_id[name]
    raise UnknownExercise(name, difflib.get_close_matches(name, list(by_id), n=3, cutoff=0.5))


def with_requirements(ids: list[str]) -> list[Exercise]:
    """These exercises and everything they transitively require, in catalog order."""
    wanted: set[str] = set()
    stack = list(ids)
    while stack:
        ex = get(stack.pop())
        if ex.id not in wanted:
            wanted.add(ex.id)
            stack.extend(ex.requires)
    return [e for e in load() if e.id in wanted]
