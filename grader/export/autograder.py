"""What run_autograder runs inside Gradescope: grade /autograder/submission into results/results.json."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from grader.atomic import write_atomic
from grader.batch.reports import Outcome, results_json
from grader.batch.worker import Workers
from grader.sandbox.isolation import SandboxError, for_the_record
from grader.sandbox.limits import Limits


def run(root: Path, isolation: str = 'auto', allow_unisolated: bool = False) -> Outcome:
    """Grade a private copy of root/submission at the strongest isolation, and write root/results/results.json."""
    results = root / 'results'
    results.mkdir(parents=True, exist_ok=True)
    for_the_record(isolation, allow_unisolated)
    workers = Workers(Limits(isolation=isolation))
    try:
        outcome = workers.grade('submission', root / 'submission')
    finally:
        workers.close()
    write_atomic(results / 'results.json', results_json(outcome))
    return outcome


def main() -> None:
    try:
        outcome = run(Path(os.environ.get('AUTOGRADER_ROOT', '/autograder')), os.environ.get('GRADER_ISOLATION') or 'auto',
                      os.environ.get('GRADER_ALLOW_UNISOLATED') == '1')
    except SandboxError as e:
        sys.exit(f'grade: {e}')
    report = outcome.report
    # Gradescope shows this output to the instructor only.
    print(f'score {report.score}/{report.max_score}' + (f'; not graded: {outcome.note}' if outcome.note else ''))


if __name__ == '__main__':
    main()
