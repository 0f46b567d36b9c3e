"""The class summary: how many pass each exercise, and which checks fail most and why."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from grader import catalog
from grader.feedback import clean
from grader.batch.reports import Outcome
from grader.feedback.misconceptions import MISCONCEPTIONS
from grader.results import CheckResult
from grader.sandbox.levels import MEANING
from grader.scoring import shown

UNWRITTEN = {'not_implemented', 'missing_file'}  # not a mistake in the code: there is no code yet


@dataclass
class FailingCheck:
    """One hidden check and how many submissions fail it, with the mistakes diagnosed."""

    exercise: str
    check: str
    count: int
    mistakes: list[tuple[str, int]] = field(default_factory=list)  # (misconception title, how many)


@dataclass
class ClassSummary:
    """What a whole batch found."""

    submissions: int
    full_marks: int
    mean_score: float
    max_score: float
    passing: list[tuple[str, int]]  # (exercise id, how many pass), in catalog order
    failing_checks: list[FailingCheck]
    ungraded: list[tuple[str, str]]  # (submission, reason)
    isolation: list[tuple[str, int]] = field(default_factory=list)  # (level, how many graded at it), by count
    mean_points: dict[str, float] = field(default_factory=dict)  # exercise id -> its mean score over the class


def summarize(outcomes: dict[str, Outcome], top: int = 10) -> ClassSummary:
    """Count passes per exercise and failures per check; blocked and unwritten exercises count as not passing."""
    exercises = catalog.load()
    reports = [o.report for o in outcomes.values()]
    failures: Counter[tuple[str, str]] = Counter()  # (exercise, check) -> submissions failing it
    mistakes: dict[tuple[str, str], Counter[str]] = {}
    for report in (o.report for o in outcomes.values() if not o.note):
        # Only 'failed' exercises: a blocked one fails because of another. A set: a check run on many
        # graphs counts once per submission.
        failed = {(e.id, c.name, _mistake(c)) for e in report.exercises if e.status == 'failed' for c in e.checks
                  if not c.passed and not (c.feedback and c.feedback.kind in UNWRITTEN)}
        failures.update({(ex, check) for ex, check, _ in failed})
        for ex, check, title in failed:
            if title:
                mistakes.setdefault((ex, check), Counter())[title] += 1
    order = {ex.id: i for i, ex in enumerate(exercises)}
    # Ties are broken by catalog order and name, so the same class always gives the same summary.
    ranked = sorted(failures.items(), key=lambda item: (-item[1], order.get(item[0][0], len(order)), item[0][1]))
    failing = [FailingCheck(ex, check, n, _ranked(mistakes.get((ex, check), Counter()))[:3])
               for (ex, check), n in ranked[:top]]
    passing = [(ex.id, sum(e.id == ex.id and e.passed for r in reports for e in r.exercises)) for ex in exercises]
    levels = Counter(o.report.isolation for o in outcomes.values() if not o.note)
    means = {ex.id: sum(e.points for r in reports for e in r.exercises if e.id == ex.id) / len(reports)
             for ex in exercises} if reports else {}
    return ClassSummary(
        submissions=len(reports), full_marks=sum(r.full_marks for r in reports),
        mean_score=sum(r.score for r in reports) / len(reports) if reports else 0.0,
        max_score=sum(e.points for e in exercises), passing=passing, failing_checks=failing,
        ungraded=sorted((name, o.note) for name, o in outcomes.items() if o.note), isolation=_ranked(levels), mean_points=means)


def _ranked(counts: Counter[str]) -> list[tuple[str, int]]:
    """Most first; ties in name order."""
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def _mistake(c: CheckResult) -> str:
    """The title of the mistake diagnosed for a failing check, or ''."""
    known = MISCONCEPTIONS.get(c.feedback.misconception) if c.feedback and c.feedback.misconception else None
    return known.title if known else ''


def summary_text(s: ClassSummary) -> str:
    """The summary as the instructor reads it."""
    lines = [f'Class summary: {s.submissions} submissions, mean score {s.mean_score:.1f}/{shown(s.max_score)}, '
             f'{s.full_marks} with full marks' + (f', {len(s.ungraded)} could not be graded' if s.ungraded else '')]
    lines += [f'Isolation: {level} for {n} submission{"s" if n != 1 else ""}: {MEANING.get(level, "unknown level")}.'
              for level, n in s.isolation]
    lines += ['', 'Passing each exercise:']
    width = max((len(ex) for ex, _ in s.passing), default=0)
    points = {e.id: e.points for e in catalog.load()}
    for ex, n in s.passing:
        bar = '█' * round(20 * n / s.submissions) if s.submissions else ''
        mean = f'mean {s.mean_points.get(ex, 0):.1f}/{shown(points.get(ex, 0))}'
        lines.append(f'  {ex:<{width}}  {n:>4}/{s.submissions:<4} {mean:<14} {bar}'.rstrip())
    if s.failing_checks:
        lines += ['', 'Checks that fail most:']
        for f in s.failing_checks:
            lines.append(f'  {f.count:>4}  {f.exercise}: {f.check}')
            lines += [f'          likely mistake ({n}): {title}' for title, n in f.mistakes]
    if s.ungraded:
        lines += ['', 'Could not be graded:']
        lines += [f'  {clean.name(name)}: {clean.line(reason)}' for name, reason in s.ungraded]
    return '\n'.join(lines) + '\n'
