"""grade watch, as a library: every state it yields is about one save only, and a save cancels the run under way."""
from __future__ import annotations

import queue
import shutil
import threading
import time
from pathlib import Path

import nbformat
import pytest

from grader.notebook import build_notebook
from grader.sandbox.limits import Limits
from grader.loop.watch import WatchState, watch
from grader.loop.watch_files import student_files_filter
from grader.loop.watch_screen import screen
from mutate import SOLUTIONS, make_submission

ONE_SIDED = '(f(x + h) - f(x)) / h'
TWO_H = '(f(x + h) - f(x)) / (2 * h)'
BROKEN = (('derivatives.py', ONE_SIDED, TWO_H),)
SCOPE = ['derivatives', 'forward_ops']  # two quick exercises keep these tests fast; the CLI test grades them all
LOOP = 'while True:\n        pass\n    return (f(x + h) - f(x)) / h'
# Far longer than any test waits: a run that was not cancelled would never finish in time.
PATIENT = Limits(check_seconds=120, submission_seconds=600)


class Watcher:
    """watch() running in a thread, its states in a queue."""

    def __init__(self, folder: Path, limits: Limits = Limits(), notebook: bool = False):
        self.stop = threading.Event()
        self.states: queue.Queue = queue.Queue()
        self.thread = threading.Thread(target=self._run, args=(folder, limits, notebook), daemon=True)
        self.thread.start()

    def _run(self, folder: Path, limits: Limits, notebook: bool) -> None:
        for state in watch(folder, stop_event=self.stop, limits=limits, exercises=SCOPE, notebook=notebook):
            self.states.put(state)

    def next(self, timeout: float = 30) -> WatchState:
        return self.states.get(timeout=timeout)

    def until_done(self, timeout: float = 30) -> list[WatchState]:
        """Every state up to the one with all exercises graded (or an error)."""
        seen = [self.next(timeout)]
        while seen[-1].grading:
            seen.append(self.next(timeout))
        return seen

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=15)
        assert not self.thread.is_alive(), 'watch() did not stop when asked'


def save(path: Path, text: str) -> None:
    time.sleep(0.3)  # let the watcher settle, as a person's edits are never instantaneous
    path.write_text(text)


def test_a_save_is_graded_focus_first_and_every_state_is_about_it(tmp_path):
    folder = make_submission(tmp_path, BROKEN)
    watcher = Watcher(folder)
    try:
        start = watcher.until_done()
        assert start[0].report is None and start[0].pending == SCOPE and start[0].save.number == 0
        assert start[-1].focus == 'derivatives' and start[-1].report.score == 8.33  # 2 of derivatives' 3 checks, and forward_ops
        source = folder / 'derivatives.py'
        save(source, source.read_text().replace(TWO_H, ONE_SIDED))
        grading, quick, full = watcher.until_done()
        assert grading.save.saved == ['derivatives.py'] and grading.report is None and grading.pending == SCOPE
        assert [e.id for e in quick.report.exercises] == ['derivatives'] and quick.pending == ['forward_ops']
        assert quick.newly_passed == ['derivatives'] and full.report.full_marks and not full.pending
        text = screen(quick, str(folder), color=False)
        assert '… forward_ops' in text and 'grading…' in text and 'Total: grading…' in text
        assert 'All done' in screen(full, str(folder), color=False)
    finally:
        watcher.close()


def test_a_save_cancels_the_grading_under_way(tmp_path):
    """A loop that would hold the grader for two minutes is dropped the moment the next save comes."""
    folder = make_submission(tmp_path)
    watcher = Watcher(folder, PATIENT)
    try:
        assert watcher.until_done()[-1].report.full_marks
        source = folder / 'derivatives.py'
        good = source.read_text()
        save(source, good.replace('return ' + ONE_SIDED, LOOP))
        looping = watcher.next()
        assert looping.save.number == 1 and looping.grading
        time.sleep(1.0)  # the loop is running now
        save(source, good)
        states = watcher.until_done(timeout=60)
        assert all(s.save.number == 2 for s in states), [(s.save.number, s.pending) for s in states]
        assert states[-1].report.full_marks
    finally:
        watcher.close()


FLOOD = 'while True:\n        print("x =", x)\n    return (f(x + h) - f(x)) / h'


@pytest.mark.parametrize('body', [LOOP, FLOOD], ids=['endless loop', 'print flood'])
def test_a_hang_in_the_focus_costs_one_time_limit(tmp_path, body):
    """The rest of the run merges the focus's results in: it neither grades the focus again nor meets its hang."""
    limit = 3.0
    folder = make_submission(tmp_path, BROKEN)
    watcher = Watcher(folder, Limits(check_seconds=limit))
    try:
        assert watcher.until_done()[-1].focus == 'derivatives'
        source = folder / 'derivatives.py'
        save(source, source.read_text().replace('return ' + TWO_H, body))
        _, quick, full = watcher.until_done(timeout=60)
        assert [e.id for e in quick.report.exercises] == ['derivatives'] and quick.seconds >= limit
        assert full.seconds - quick.seconds < limit, 'the rest of the run ran into the hang again'
        hung = [c.feedback for c in full.report.exercises[0].checks if c.feedback and c.feedback.kind == 'timeout']
        assert [fb.summary.startswith('not run') for fb in hung] == [False] + [True] * (len(hung) - 1), hung
        assert full.report.exercises[0].checks == quick.report.exercises[0].checks
        assert full.report.exercises[1].passed and not full.pending
    finally:
        watcher.close()


def test_a_deleted_file_is_reported_as_deleted(tmp_path):
    folder = make_submission(tmp_path)
    watcher = Watcher(folder)
    try:
        watcher.until_done()
        source = folder / 'derivatives.py'
        good = source.read_text()
        time.sleep(0.3)
        source.unlink()
        states = watcher.until_done()
        assert states[0].save.deleted == ['derivatives.py'] and states[0].save.saved == []
        text = screen(states[-1], str(folder), False)
        assert 'deleted derivatives.py at' in text and 'derivatives.py is missing' in text and 'saved' not in text
        save(source, good)
        states = watcher.until_done()
        assert states[0].save.saved == ['derivatives.py'] and states[-1].report.full_marks
    finally:
        watcher.close()


def test_a_deleted_folder_is_waited_for(tmp_path):
    folder = make_submission(tmp_path)
    watcher = Watcher(folder)
    try:
        assert watcher.until_done()[-1].report.full_marks
        time.sleep(0.3)
        shutil.rmtree(folder)
        gone = watcher.until_done()[-1]
        assert gone.report is None and 'is not a folder of exercises' in gone.error
        assert gone.save.deleted == [f'{folder.name}/'], 'the folder is named, not each of its files'
        assert f'deleted {folder.name}/ at' in screen(gone, str(folder), False)
        make_submission(tmp_path, BROKEN)  # the same folder, made again
        back = _last_settled(watcher)
        assert back.report is not None and back.focus == 'derivatives'
        save(folder / 'derivatives.py', (folder / 'derivatives.py').read_text().replace(TWO_H, ONE_SIDED))
        assert _last_settled(watcher).report.full_marks, 'the new folder is watched'
    finally:
        watcher.close()


def _last_settled(watcher: Watcher) -> WatchState:
    """The last state once the watcher is quiet (making a folder is many file events)."""
    state = watcher.next()
    while True:
        try:
            state = watcher.next(timeout=2)
        except queue.Empty:
            assert not state.grading, 'the watcher went quiet in the middle of a run'
            return state


def test_only_saves_that_can_change_a_grade_count():
    wanted = student_files_filter()
    for path in ('engine.py', 'quiz.toml', 'helpers.py'):
        assert wanted(None, f'/w/exercises/{path}'), path
    for path in ('notes.txt', '.backups/engine-20260101-120000.py', '__pycache__/engine.cpython-311.pyc',
                 '.engine.py.swp', 'engine.py~', '.partial-engine.py.k2x9a1'):
        assert not wanted(None, f'/w/exercises/{path}'), path


def test_screen_says_why_it_cannot_grade():
    from grader.loop.watch import Save
    state = WatchState(Save(saved=['engine.py'], number=3), error='gone is not a folder of exercises')
    text = screen(state, 'gone', False)
    assert 'Could not grade: gone is not a folder of exercises' in text and 'Waiting for the next save' in text
    assert 'saved engine.py at' in text and 'Total' not in text


def test_screen_names_the_save_it_grades_and_nothing_else():
    from grader.loop.watch import Save
    state = WatchState(Save(saved=['engine.py'], deleted=['nn.py'], number=2), pending=SCOPE)
    lines = screen(state, 'exercises', False).splitlines()
    assert lines[2].startswith('saved engine.py, deleted nn.py at ') and lines[2].endswith(': grading…')
    assert len([line for line in lines if line.strip()]) == 2, 'while grading, only the header and what is graded'


def test_a_notebook_is_watched_and_graded_from_its_cells(tmp_path):
    notebook = tmp_path / 'lab.ipynb'
    build_notebook(SOLUTIONS, notebook)
    watcher = Watcher(notebook, notebook=True)
    try:
        assert watcher.until_done()[-1].report.full_marks
        nb = nbformat.read(notebook, as_version=4)
        cell = next(c for c in nb.cells if 'file:derivatives.py' in c.metadata.get('tags', []))
        cell.source = cell.source.replace('return ' + ONE_SIDED, 'return ' + TWO_H)
        time.sleep(0.3)
        nbformat.write(nb, notebook)
        states = watcher.until_done()
        assert states[0].save.saved == ['lab.ipynb'] and states[-1].focus == 'derivatives'
        text = ' '.join(screen(states[-1], str(notebook), False).split())  # a long path folds the header
        assert '(save the notebook to re-grade' in text and 'the one-sided step is h wide' in text
    finally:
        watcher.close()
