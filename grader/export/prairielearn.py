"""What PrairieLearn's external grader runs: grade /grade/student into /grade/results/results.json."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from grader import catalog
from grader.atomic import write_atomic
from grader.batch.reports import Outcome
from grader.export.autograder import grade_submission, submission_note
from grader.export.feedback import exercise_text, status_line
from grader.sandbox.isolation import SandboxError, for_the_record
from grader.sandbox.levels import describe
from grader.sandbox.limits import Limits


def results_document(outcome: Outcome, exercises: list[str] | None = None) -> dict:
    """PrairieLearn's results.json: a score from 0 to 1 and a test per exercise (only `exercises`, if given)."""
    chosen = [e for e in outcome.report.exercises if not exercises or e.id in exercises]
    earned, possible = sum(e.points for e in chosen), sum(e.max_points for e in chosen)
    passing = sum(e.passed for e in chosen)
    output = '\n\n'.join(part for part in (submission_note(outcome), describe(outcome.report.isolation)) if part)
    document = {
        'gradable': not outcome.note,
        'score': round(earned / possible, 6) if possible else 0.0,
        'message': f'{earned}/{possible} points: {passing} of {len(chosen)} exercises pass.',
        'output': output,
        'tests': [{'name': e.id, 'description': e.title, 'points': e.points, 'max_points': e.max_points,
                   'message': status_line(e), 'output': exercise_text(e)} for e in chosen],
    }
    if outcome.note:
        # Not gradable: PrairieLearn neither scores the attempt nor counts it, and shows why.
        document['format_errors'] = [submission_note(outcome)]
    return document


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog='grade-prairielearn', description=__doc__)
    parser.add_argument('--submission-seconds', type=float, default=Limits().submission_seconds,
                        help='wall-clock bound for all the checks; keep it below the timeout in info.json')
    parser.add_argument('exercises', nargs='*', help='grade only these exercises (default: all)')
    args = parser.parse_args(argv)
    known = {e.id for e in catalog.load()}
    unknown = [i for i in args.exercises if i not in known]
    if unknown:
        parser.error(f"unknown exercise(s): {', '.join(unknown)}")
    return args


def main(argv: list[str] | None = None) -> None:
    args = arguments(argv)
    root = Path(os.environ.get('GRADE_ROOT', '/grade'))
    try:  # as the Gradescope run: level none only when GRADER_ALLOW_UNISOLATED=1 says so
        level = for_the_record(os.environ.get('GRADER_ISOLATION') or 'auto', os.environ.get('GRADER_ALLOW_UNISOLATED') == '1')
    except SandboxError as e:
        sys.exit(f'grade: {e}')
    outcome = grade_submission(root / 'student', Limits(submission_seconds=args.submission_seconds, isolation=level))
    document = results_document(outcome, args.exercises or None)
    (root / 'results').mkdir(parents=True, exist_ok=True)
    write_atomic(root / 'results' / 'results.json', json.dumps(document, indent=2))
    # The job's output, for the instructor.
    print(f"score {document['score']}" + (f'; not graded: {outcome.note}' if outcome.note else ''))


if __name__ == '__main__':
    main()
