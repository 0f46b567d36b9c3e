"""One forward and backward pass of the student's nn model against the reference's: the numbers training builds on."""
from __future__ import annotations

from grader.checking import reference
from grader.checking.compare import close
from grader.checking.student import Student
from grader.results import NodeDiff


def pass_differences(student: Student, call: dict, limit: int = 4) -> list[NodeDiff]:
    """Where the student's model differs from the reference's for one `module` probe call: outputs, then grads."""
    got = student.run('module', call, ('engine', 'nn'))
    expected = reference.run('module', call)
    diffs = [NodeDiff(f'out[{i}]', 'data', e, g)
             for i, (e, g) in enumerate(zip(_outputs(expected), _outputs(got))) if not close(e, g)]
    diffs += [NodeDiff(name, 'grad', e, g) for name, e, g in zip(*_grads(expected), _grads(got)[1]) if not close(e, g)]
    if len(_outputs(got)) != len(_outputs(expected)) or len(_grads(got)[1]) != len(_grads(expected)[1]):
        diffs.append(NodeDiff('model', 'shape', None, 'other outputs or parameters than the reference'))
    return diffs[:limit]


def _outputs(report: dict) -> list[object]:
    """Every output the model gave, input after input."""
    return [v for out in report.get('outputs', []) for v in out.get('values', [])]


def _grads(report: dict) -> tuple[list[str], list[object]]:
    """Every parameter's name (L0.N1.w2, L0.N1.b) and grad, by position."""
    names, grads = [], []
    for i, layer in enumerate(report.get('grads', [])):
        for j, neuron in enumerate(layer):
            for k, grad in enumerate(neuron):
                names.append(f"L{i}.N{j}.{'b' if k == len(neuron) - 1 else f'w{k}'}")
                grads.append(grad)
    return names, grads
