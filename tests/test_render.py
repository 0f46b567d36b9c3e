"""Rendering is a pure function of the report: test the pieces a student reads."""
from grader.feedback import render
from grader.results import Feedback


def test_start_in_names_the_students_own_folder_or_notebook_cells():
    assert render.start_in(['engine.py'], 'my-work/') == 'my-work/engine.py'
    assert render.start_in(['engine.py', 'softmax.py'], 'exercises') == 'exercises/engine.py, exercises/softmax.py'
    assert render.start_in(['nn.py'], 'lab.ipynb') == 'the file:nn.py cell of lab.ipynb'


def test_printed_output_cannot_move_the_cursor_or_fake_a_result():
    fb = Feedback(summary='wrong grad', output='\x1b[2J\x1b[H ✓ all passed\rTotal: 85/85\x07\n')
    shown = '\n'.join(render.feedback_text(fb))
    assert '\x1b' not in shown and '\r' not in shown and '\x07' not in shown
    assert '   Your code printed:\n     |  ✓ all passed\n     | Total: 85/85�' in shown  # every line marked as printed


def test_an_unanswered_quiz_reads_not_answered_rather_than_not_implemented():
    from grader.results import ExerciseResult
    quiz = ExerciseResult(id='quiz', title='Concept quiz', points=0, max_points=10, status='not_implemented')
    code = ExerciseResult(id='nn', title='Neuron, Layer, MLP', points=0, max_points=10, status='not_implemented')
    assert (render.status_note(quiz), render.status_note(code)) == ('not answered yet', 'not implemented yet')


def _exercise(ex_id: str, points: float, status: str, checks=()) -> 'ExerciseResult':
    from grader import catalog
    from grader.results import ExerciseResult
    ex = catalog.get(ex_id)
    return ExerciseResult(ex.id, ex.title, points, ex.points, status, list(checks))


def test_scores_read_4_5_of_10_and_5_of_5_and_the_isolation_level_follows_the_total():
    from grader.results import Report
    report = Report('exercises', [_exercise('derivatives', 5, 'passed'), _exercise('local_backward', 4.5, 'failed')],
                    isolation='uid')
    lines = render.table(report, color=False).splitlines()
    assert lines[0].split()[-1] == '5/5' and ' 4.5/10 ' in lines[1]
    assert lines[2] == 'Total: 9.5/15' and lines[3].startswith('Isolation: uid: the kernel isolated your code')
    assert render.text(report, columns=0).splitlines()[3] == lines[3]
    narrow = render.text(report, width=60, columns=60).splitlines()
    assert narrow[3].startswith('Isolation: uid:') and all(len(line) <= 60 for line in narrow[3:6]), narrow


def test_the_isolation_level_is_in_json_and_gradescope():
    import json
    from grader.results import Report
    report = Report('exercises', [_exercise('derivatives', 1.67, 'failed')], isolation='namespaces')
    data = json.loads(render.as_json(report))
    assert data['isolation'] == 'namespaces' and data['score'] == 1.67
    assert data['isolation_meaning'].startswith('Isolation: namespaces: the kernel isolated your code (bubblewrap')
    doc = json.loads(render.gradescope(report))
    assert doc['extra_data'] == {'isolation': 'namespaces'} and doc['output'].startswith('Isolation: namespaces:')
    assert doc['score'] == 1.67 and doc['tests'][0]['score'] == 1.67 and doc['tests'][0]['max_score'] == 5


def test_a_check_failing_on_several_inputs_is_shown_once():
    from grader.results import CheckResult
    same = [CheckResult('tanh backward', False, Feedback(f'wrong grad for x = {x}', misconception='tanh_uses_input'))
            for x in (1, 2, 3)]
    differing = [CheckResult('exp backward', False, Feedback(f'wrong grad for x = {x}')) for x in (1, 2)]
    ex = _exercise('local_backward', 0, 'failed', same + differing + [CheckResult('pow', True)])
    text = render.details(ex, color=False)
    assert text.count(' ✗ tanh backward') == 1 and '  … and 2 more inputs fail the same way' in text
    assert text.count(' ✗ exp backward') == 1 and '  … and 1 more input fails\n' in text + '\n'
    assert render.status_note(ex) == '2 of 3 checks fail'


def test_hints_are_wrapped_to_the_width_given():
    from grader import catalog
    text = render.hints_text(catalog.get('forward_ops'), 3, width=60)
    lines = text.splitlines()
    assert all(len(line) <= 60 for line in lines), text
    assert lines[1].startswith('  Hint 1/3: out = Value(') and lines[2].startswith(' ' * len('  Hint 1/3: '))


def test_output_is_capped_marked_as_the_students_and_says_when_cut():
    lines = render.printed('\n'.join(f'line {i}' for i in range(30)) + '\n' + 'x' * 500, cut=True, width=60)
    assert lines[0] == '   Your code printed (the last 10 of 31 lines; the start was cut):'
    assert lines[1] == '     | line 21' and all(line.startswith('     | ') for line in lines[1:])
    assert lines[-1].endswith('…') and len(lines[-1]) == 60
    assert render.printed('   \n', cut=False) == []


def test_the_table_shortens_titles_to_fit_a_narrow_terminal():
    from grader.results import Report
    report = Report('exercises', [_exercise('derived_ops', 10, 'passed'), _exercise('backward', 0, 'blocked')])
    report.exercises[1].blocked_by = 'local_backward'
    wide = render.table(report, color=False).splitlines()
    assert 'Derived ops: -, /, reflected ops, relu and sum()' in wide[0]
    narrow = render.table(report, color=False, width=72).splitlines()
    assert all(len(line) <= 72 for line in narrow[:2]), narrow
    assert narrow[1].endswith('0/10  needs local_backward first') and '…' in narrow[0]


def test_a_submission_that_could_not_be_graded_claims_no_isolation_level():
    from grader.batch.reports import unreadable_report
    from grader.export.gradescope_results import gradescope_document
    report = unreadable_report('carol', 'no Python files')
    assert 'Isolation' not in render.table(report, color=False)
    assert 'Isolation' not in gradescope_document(report, note='This submission could not be graded')['output']


def test_one_more_failing_check_is_singular():
    from grader.results import CheckResult
    checks = [CheckResult(f'check {k}', False, Feedback(f'wrong {k}')) for k in range(4)]
    text = render.details(_exercise('local_backward', 0, 'failed', checks), color=False)
    assert text.count(' ✗ check') == 3 and text.endswith(' … and 1 more failing check.'), text


def test_long_summaries_and_watch_lines_fold_to_the_width():
    from grader.loop.watch import Save, WatchState
    from grader.loop.watch_screen import screen
    slow = Feedback('your code did not finish in time (5 s per check) while printing 1.1G: printing that much is slow, '
                    'so print less (is a print inside a loop?) It was running backward().', where='engine.py:104',
                    expression='    print("x" * 100)', kind='timeout')
    lines = render.feedback_text(slow, width=60)
    assert all(len(line) <= 60 for line in lines) and lines[-1] == '       print("x" * 100)', lines
    assert ' '.join(' '.join(lines).split()).endswith('running backward(). [engine.py:104] print("x" * 100)')
    state = WatchState(Save(saved=['engine.py'], number=1), error='a reason ' * 20, problems=['a problem ' * 20])
    text = screen(state, 'exercises', False, width=50)
    assert all(len(line) <= 50 for line in text.splitlines()), text
    from grader.results import CheckResult
    backward = _exercise('backward', 0, 'failed', [CheckResult('b = a + a gives a.grad == 2', False, slow)])
    assert all(len(line) <= 50 for line in render.details(backward, False, width=50).splitlines()[:2])
    deep = 'exercises/' + 'deep/' * 12
    assert any(deep in line for line in screen(state, deep, False, width=50).splitlines()), 'a path is never cut'
