"""`grade validate`: solutions pass, each stub fails its own exercise, every known mistake is caught and explained."""
from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from grader import catalog
from grader.grading import grade
from grader.feedback.misconceptions import MISCONCEPTIONS
from grader.publish import MarkerError, PublishError, generate
from grader.publish.markers import regions
from grader.feedback.render import details
from grader.results import ExerciseResult, Report
from grader.validation.mutants import Mutant, PatchError, load, make_submission, mutants_file


@dataclass
class Problem:
    """One thing validation found wrong: which stage, which exercise or mutant, expected versus shown."""

    stage: str  # markers, solutions, stubs, mutants
    subject: str
    expected: str
    shown: str = ''


@dataclass
class ValidationReport:
    """All problems found, and what was checked."""

    exercises: list[str]
    mutants: int = 0
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems


def validate(solutions: Path, exercise_ids: list[str] | None = None) -> ValidationReport:
    """Run every validation stage on these exercises (all by default); each stage reports, none stops the rest."""
    start = time.monotonic()
    ids = [catalog.get(i).id for i in exercise_ids] if exercise_ids else [e.id for e in catalog.load()]
    report = ValidationReport(ids)
    try:
        marked = check_markers(Path(solutions), ids)
    except (MarkerError, PublishError) as e:
        report.problems.append(Problem('markers', 'solutions/', 'solution files with well-formed markers', str(e)))
        marked = set()
    report.problems += check_solutions(Path(solutions), ids)
    with tempfile.TemporaryDirectory(prefix='grade-validate-') as tmp:
        if marked:
            report.problems += check_stubs(Path(solutions), [i for i in ids if i in marked], Path(tmp))
        mutants = []
        for ex in ids:
            try:
                mutants += load(ex)
            except PatchError as e:
                report.problems.append(Problem('mutants', ex, 'a mutants file that reads as TOML mutants', str(e)))
        report.mutants = len(mutants)
        report.problems += [Problem('mutants', ex, f'at least one known mistake declared in {mutants_file(ex)}')
                            for ex in ids if not any(m.exercise == ex for m in mutants)]
        for n, mutant in enumerate(mutants):
            report.problems += check_mutant(Path(solutions), mutant, Path(tmp) / f'mutant{n}')
    report.seconds = time.monotonic() - start
    return report


def check_markers(solutions: Path, ids: list[str]) -> set[str]:
    """The exercises that have marked regions; raises on bad markers, and every chosen exercise needs one."""
    generate(solutions)
    known = {e.id for e in catalog.load()}
    marked: set[str] = set()
    for ex in ids:
        for name in catalog.get(ex).files:
            for r in regions((solutions / name).read_text(encoding='utf-8'), name):
                if r.exercise not in known:
                    raise MarkerError(f'{name}:{r.start + 1}: {r.exercise!r} is not an exercise in the catalog')
                marked.add(r.exercise)
    missing = [ex for ex in ids if ex not in marked]
    if missing:
        raise MarkerError('no marked region for ' + ', '.join(missing) + ': its stub would be the solution')
    return marked


def check_solutions(solutions: Path, ids: list[str]) -> list[Problem]:
    report = grade(solutions, ids)
    return [Problem('solutions', e.id, 'full marks on solutions/', _shown(e)) for e in report.exercises if not e.passed]


def check_stubs(solutions: Path, ids: list[str], tmp: Path) -> list[Problem]:
    """With only one exercise's regions stubbed, that exercise must read 'not implemented yet'."""
    problems = []
    for ex in ids:
        folder = tmp / f'stub-{ex}'
        folder.mkdir()
        copy_with(solutions, folder, generate(solutions, only={ex}))
        result = _result(grade(folder, [ex]), ex)
        if result.status != 'not_implemented':
            problems.append(Problem('stubs', ex, "its untouched stub reads 'not implemented yet'",
                                    f'status {result.status}\n{_shown(result)}'))
    return problems


def copy_with(solutions: Path, folder: Path, files: dict[str, str]) -> None:
    """The solutions folder's files, with some replaced by the given texts."""
    for path in solutions.iterdir():
        if path.is_file():
            text = files[path.name] if path.name in files else path.read_text(encoding='utf-8')
            (folder / path.name).write_text(text, encoding='utf-8')


def check_mutant(solutions: Path, mutant: Mutant, dest: Path) -> list[Problem]:
    """The mutant fails its own exercise (not blocked), and the feedback explains its misconception."""
    subject = f'{mutant.exercise}/{mutant.id}'
    if mutant.misconception and mutant.misconception not in MISCONCEPTIONS:
        return [Problem('mutants', subject, 'a misconception id from grader/feedback/misconceptions.py', mutant.misconception)]
    try:
        folder = make_submission(solutions, dest, mutant.patches)
    except PatchError as e:
        return [Problem('mutants', subject, 'a patch that applies to solutions/ exactly once', str(e))]
    # Its own exercise only: grading what it requires too would triple validate's time.
    result = _result(grade(folder, [mutant.exercise], requirements=False), mutant.exercise)
    if result.status != 'failed':
        return [Problem('mutants', subject, f'{mutant.exercise} fails', f'status {result.status}\n{_shown(result)}')]
    shown = details(result, color=False)
    named = {c.feedback.misconception for c in result.checks if not c.passed and c.feedback and c.feedback.misconception}
    if mutant.misconception:
        explanation = MISCONCEPTIONS[mutant.misconception].explanation
        if _words(explanation) not in _words(shown):
            return [Problem('mutants', subject, f'feedback explaining {mutant.misconception}: "{explanation}"', shown)]
    wrong = sorted(named & set(mutant.not_named))
    if wrong:
        return [Problem('mutants', subject, f'no diagnosis among {list(mutant.not_named)}', f'named {wrong}\n{shown}')]
    files = {p.file for p in mutant.patches}
    for c in result.checks:
        where = c.feedback.where if c.feedback and not c.passed and c.feedback.misconception else ''
        if where and where.split(':')[0] not in files:
            return [Problem('mutants', subject, f'a diagnosis pointing into {sorted(files)}', f'{c.name}: {where}')]
    return []


def _result(report: Report, exercise: str) -> ExerciseResult:
    return next(e for e in report.exercises if e.id == exercise)


def _shown(result: ExerciseResult) -> str:
    if result.passed:
        return f'every check of {result.id} passes'
    return details(result, color=False)


def _words(text: str) -> str:
    return ' '.join(text.split())
