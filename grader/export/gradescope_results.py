"""Gradescope's results.json: a test per exercise, with the visibility and output format the instructor chose."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from grader.feedback import clean
from grader.export.feedback import FORMATS, exercise_text, fence
from grader.results import Report
from grader.sandbox.levels import describe

VISIBILITIES = ('visible', 'hidden', 'after_due_date', 'after_published')


class SettingsError(ValueError):
    """Settings Gradescope would not accept, or that name no exercise."""


@dataclass(frozen=True)
class GradescopeSettings:
    """What the instructor chose at export: who sees which test and the autograder's stdout, and how output renders."""

    visibility: str = 'visible'  # every test's, unless `per_exercise` says otherwise
    per_exercise: dict[str, str] = field(default_factory=dict)
    stdout_visibility: str = 'hidden'  # the autograder's own output is for the instructor
    output_format: str = 'text'

    def __post_init__(self) -> None:
        for what, value in (('visibility', self.visibility), ('stdout_visibility', self.stdout_visibility),
                            *((f'visibility of {k}', v) for k, v in self.per_exercise.items())):
            if value not in VISIBILITIES:
                raise SettingsError(f"{what} {value!r} is not one of Gradescope's: {', '.join(VISIBILITIES)}")
        if self.output_format not in FORMATS:
            raise SettingsError(f"output format {self.output_format!r} is not one of: {', '.join(FORMATS)}")

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True) + '\n'

    @classmethod
    def from_json(cls, text: str) -> GradescopeSettings:
        """Settings written by to_json; SettingsError for anything else."""
        try:
            data = json.loads(text)
            return cls(**data)
        except (ValueError, TypeError, AttributeError) as e:
            raise SettingsError(f'not Gradescope settings: {e}') from None


def gradescope_document(report: Report, settings: GradescopeSettings = GradescopeSettings(), note: str = '') -> dict:
    """The results.json document; `note` is the submission-wide output (why it could not be graded, say)."""
    report, note = clean.deep(report), clean.text(note)
    fmt = settings.output_format
    tests = [{'name': f'{e.id}: {e.title}', 'score': e.points, 'max_score': e.max_points,
              'status': 'passed' if e.passed else 'failed', 'output': exercise_text(e, fmt),
              'output_format': fmt, 'visibility': settings.per_exercise.get(e.id, settings.visibility)}
             for e in report.exercises]
    output = '\n\n'.join(part for part in (note, describe(report.isolation)) if part)
    return {'score': report.score, 'execution_time': round(report.seconds, 3),
            'output': fence(output) if fmt == 'md' else output, 'output_format': fmt,
            'test_output_format': fmt, 'test_name_format': 'text',
            'stdout_visibility': settings.stdout_visibility, 'tests': tests,
            'extra_data': {'isolation': report.isolation}}
