"""The exercise catalog: the single source of exercise metadata. Paths are derived from ids."""
from __future__ import annotations

import difflib
import sys
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

from grader.catalog_errors import CatalogError, checked_entries, syntax_error

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
    """Read the catalog, in the lecture's order; CatalogError names what is wrong and where."""
    try:
        text = Path(path).read_text(encoding='utf-8')
    except (OSError, UnicodeDecodeError) as e:
        raise CatalogError(path, f'{getattr(e, "strerror", None) or e}') from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise syntax_error(path, text, e) from None
    entries = checked_entries(path, text, raw, {f.name for f in fields(Exercise)})
    return tuple(Exercise(id=e['id'], title=e['title'], points=e['points'],
                          covers={k: tuple(v) for k, v in e['covers'].items()},
                          requires=tuple(e.get('requires', ())), intro=e['intro'].strip(),
                          hints=tuple(e.get('hints', ())), all_or_nothing=e.get('all_or_nothing', False))
                 for e in entries)


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
