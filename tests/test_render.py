"""Rendering is a pure function of the report: test the pieces a student reads."""
from grader import render
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
