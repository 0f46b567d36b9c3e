"""What run_autograder runs inside Gradescope: grade /autograder/submission into results/results.json."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from grader.atomic import write_atomic
from grader.batch.reports import Outcome, reading_notes
from grader.batch.worker import Workers
from grader.export.gradescope_results import GradescopeSettings, gradescope_document
from grader.sandbox.isolation import SandboxError, for_the_record
from grader.sandbox.limits import Limits

SETTINGS = 'gradescope.json'  # in the zip, so in /autograder/source: what `grade export gradescope` was told


def grade_submission(folder: Path, limits: Limits = Limits()) -> Outcome:
    """Grade a private copy of `folder` the way `grade batch` grades one entry: same process, sandbox and limits."""
    workers = Workers(limits)
    try:
        return workers.grade('submission', folder)
    finally:
        workers.close()


def submission_note(outcome: Outcome) -> str:
    """What the student reads about the submission as a whole: why it could not be graded, or how it was read."""
    if outcome.note:
        return f'This submission could not be graded: {outcome.note}'
    return reading_notes(outcome.problems) if outcome.problems else ''


def load_settings(path: Path) -> GradescopeSettings:
    """The settings shipped in the zip; the defaults when there are none."""
    return GradescopeSettings.from_json(path.read_text(encoding='utf-8')) if path.is_file() else GradescopeSettings()


def run(root: Path, isolation: str = 'auto', allow_unisolated: bool = False) -> Outcome:
    """Grade root/submission at the strongest isolation (level none only if allowed) into root/results/results.json."""
    settings = load_settings(root / 'source' / SETTINGS)
    results = root / 'results'
    results.mkdir(parents=True, exist_ok=True)
    level = for_the_record(isolation, allow_unisolated)
    outcome = grade_submission(root / 'submission', Limits(isolation=level))
    document = gradescope_document(outcome.report, settings, submission_note(outcome))
    write_atomic(results / 'results.json', json.dumps(document, indent=2))
    return outcome


def main() -> None:
    try:
        outcome = run(Path(os.environ.get('AUTOGRADER_ROOT', '/autograder')), os.environ.get('GRADER_ISOLATION') or 'auto',
                      os.environ.get('GRADER_ALLOW_UNISOLATED') == '1')
    except SandboxError as e:
        sys.exit(f'grade: {e}')
    report = outcome.report
    # Gradescope shows this output to the instructor only (unless --stdout-visibility says otherwise).
    print(f'score {report.score}/{report.max_score}' + (f'; not graded: {outcome.note}' if outcome.note else ''))


if __name__ == '__main__':
    main()
