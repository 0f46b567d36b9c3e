"""Plain dataclasses for what grading found; renderers turn them into text, JSON or Gradescope."""
from __future__ import annotations

from dataclasses import dataclass, field

from grader.scoring import rounded


@dataclass
class NodeDiff:
    """One value of one node that differs from the reference."""

    node: str
    field: str  # 'data' or 'grad'
    expected: float | None
    got: object


@dataclass
class Feedback:
    """Why a check failed, written for the student: diagnosis first, then the symptoms."""

    summary: str
    diagnosis: str = ''
    misconception: str = ''  # a key of grader.feedback.misconceptions.MISCONCEPTIONS
    where: str = ''  # file:line in the student's code
    expression: str = ''
    diffs: list[NodeDiff] = field(default_factory=list)
    hint: str = ''
    output: str = ''  # what the student's code printed during the check
    output_cut: bool = False  # the start of that output was not kept
    kind: str = 'wrong'  # wrong, not_implemented, error, syntax, missing_file, timeout, crash, not_run
    blocked_by: str = ''  # the exercise whose stub, hang or failure this check ran into
    curve: list[float] = field(default_factory=list)  # the student's losses, drawn as a sparkline
    # The failing expression to draw: {'steps', 'names'}, plus {'probe', 'args', 'modules'} when the
    # student's own function (build_L, the neuron) builds the graph.
    graph: dict = field(default_factory=dict)


@dataclass
class CheckResult:
    """One hidden check."""

    name: str  # checks that share a name are one check run on several inputs
    passed: bool
    feedback: Feedback | None = None
    weight: float = 1.0  # the check's share of its exercise's points, relative to the exercise's other checks
    input: str = ''  # which input of the check this was, when it runs on several
    cause: str = ''  # a failure's origin: 'own', the id of a requirement it comes from, or '' if unknown


@dataclass
class ExerciseResult:
    """One exercise: its checks, and a status that says why it failed."""

    id: str
    title: str
    points: float  # rounded to 2 decimals (see grader.scoring)
    max_points: float
    status: str  # passed, failed, not_implemented, blocked, error
    checks: list[CheckResult] = field(default_factory=list)
    blocked_by: str = ''  # a requirement that fails too; with status blocked, the only reason this one fails

    @property
    def passed(self) -> bool:
        return self.status == 'passed'

    @property
    def first_failure(self) -> CheckResult | None:
        return next((c for c in self.checks if not c.passed), None)


@dataclass
class Report:
    """A whole grading run over one submission."""

    submission: str
    exercises: list[ExerciseResult]
    seconds: float = 0.0
    isolation: str = 'none'  # the sandbox level the student's code ran under: namespaces, uid or none ('' if none ran)

    @property
    def score(self) -> float:
        return rounded(sum(e.points for e in self.exercises))

    @property
    def max_score(self) -> float:
        return rounded(sum(e.max_points for e in self.exercises))

    @property
    def full_marks(self) -> bool:
        return bool(self.exercises) and all(e.passed for e in self.exercises)

    @property
    def first_failing(self) -> ExerciseResult | None:
        return next((e for e in self.exercises if not e.passed), None)
