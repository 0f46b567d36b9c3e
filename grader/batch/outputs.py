"""The batch's files in OUT, each written atomically, and read back to decide what is already graded."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from grader import catalog
from grader.feedback import clean, render
from grader.atomic import TEMP_PREFIX, write_atomic
from grader.batch.reports import BadReport, Outcome, load_stored, reading_notes, results_json, stored

RESULTS, REPORT, FEEDBACK = 'results.json', 'report.json', 'feedback.txt'
GRADES, SUMMARY = 'grades.csv', 'summary.txt'
REGRADE = '.regrade-before'  # when an unfinished --force run started
RESERVED = {GRADES, SUMMARY}


def save(out: Path, name: str, outcome: Outcome) -> None:
    """OUT/<name>/: feedback.txt and report.json, then results.json, whose presence marks the submission done."""
    folder = out / name
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(folder / FEEDBACK, feedback(outcome))
    write_atomic(folder / REPORT, stored(outcome))
    write_atomic(folder / RESULTS, results_json(outcome))


def load_finished(out: Path, name: str) -> Outcome | None:
    """The outcome saved for this submission, or None if it is missing, partial or invalid."""
    folder = out / name
    try:
        if not isinstance(_json_object(folder / RESULTS).get('score'), (int, float)):
            return None
        outcome = load_stored((folder / REPORT).read_text(encoding='utf-8'))
    except (OSError, ValueError, BadReport):
        return None
    outcome.report.submission = name
    return outcome


def _json_object(path: Path) -> dict:
    data = json.loads(path.read_text(encoding='utf-8'))
    if not isinstance(data, dict):
        raise ValueError('not a JSON object')
    return data


def feedback(outcome: Outcome) -> str:
    """What the student reads: the table, then the feedback for every exercise that fails on its own account."""
    report = outcome.report
    name = clean.name(report.submission)
    if outcome.note:
        return f'{name}: this submission could not be graded: {clean.line(outcome.note)}\nScore: 0/{report.max_score}\n'
    parts = [f'{name}: {report.score}/{report.max_score}', render.table(report, color=False)]
    if outcome.problems:
        parts.append(reading_notes(outcome.problems))
    where = report.submission if report.submission.endswith('.ipynb') else 'exercises'  # as the student knows it
    parts += [render.details(e, False, where) for e in report.exercises if not e.passed and e.status != 'blocked']
    return '\n\n'.join(parts) + '\n'


def grades_csv(outcomes: dict[str, Outcome]) -> str:
    """submission, score, max_score, one column per exercise in catalog order, then a note.

    Scores are numbers with at most 2 decimals. The submission is the folder's name, with any character
    that is not safe written as its Python escape, and a leading ' if it starts like a formula.
    """
    ids = [e.id for e in catalog.load()]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator='\n')
    writer.writerow(['submission', 'score', 'max_score', *ids, 'note'])
    for name in sorted(outcomes):
        report, note = outcomes[name].report, outcomes[name].note
        points = {e.id: e.points for e in report.exercises}
        writer.writerow([clean.csv_cell(clean.name(name)), report.score, report.max_score,
                         *(points.get(i, 0) for i in ids), clean.csv_cell(note)])
    return buffer.getvalue()


def is_batch_output(out: Path, names: list[str]) -> bool:
    """Whether a folder holding these names was written by a batch: its grades, summary, or a graded submission."""
    return bool({GRADES, SUMMARY, REGRADE} & set(names)) or any(
        (out / name / RESULTS).is_file() or (out / name / REPORT).is_file() for name in names)


def remove_partials(out: Path) -> None:
    """Delete temporary files that an interrupted write left behind."""
    for path in list(out.glob(TEMP_PREFIX + '*')) + list(out.glob('*/' + TEMP_PREFIX + '*')):
        try:
            path.unlink()
        except OSError:
            pass
