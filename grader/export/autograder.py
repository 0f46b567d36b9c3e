"""What run_autograder runs inside Gradescope: grade /autograder/submission into results/results.json."""
from __future__ import annotations

import os
from pathlib import Path

from grader.atomic import write_atomic
from grader.batch.reports import Outcome, results_json
from grader.batch.worker import Workers
from grader.sandbox.limits import Limits


def run(root: Path, user: str | None = None) -> Outcome:
    """Grade a private copy of root/submission, as `user` when given, and write root/results/results.json."""
    results = root / 'results'
    results.mkdir(parents=True, exist_ok=True)
    workers = Workers(Limits(user=user))
    try:
        outcome = workers.grade('submission', root / 'submission')
    finally:
        workers.close()
    write_atomic(results / 'results.json', results_json(outcome))
    return outcome


def main() -> None:
    outcome = run(Path(os.environ.get('AUTOGRADER_ROOT', '/autograder')), os.environ.get('GRADER_USER') or None)
    report = outcome.report
    # Gradescope shows this output to the instructor only.
    print(f'score {report.score}/{report.max_score}' + (f'; not graded: {outcome.note}' if outcome.note else ''))


if __name__ == '__main__':
    main()
