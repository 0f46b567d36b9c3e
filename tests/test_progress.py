"""The batch's progress bar, as it shows on a real terminal, and its plain lines elsewhere."""
import io
import os
import pty
import re
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

from grader.batch.progress import Progress, Tick

ROOT = Path(__file__).resolve().parent.parent
ANSI = re.compile(r'\x1b\[[0-9;?]*[A-Za-z]')


def test_a_terminal_gets_one_live_bar_that_ends_on_the_last_result():
    stream = io.StringIO()
    progress = Progress(stream, tty=True)
    for done, name in enumerate(['alice', 'carol', 'bob'], 1):
        progress(Tick(name, 85 if name != 'bob' else 0, 85, 'not a folder' if name == 'bob' else '', done, 3, done * 0.5))
    progress.close()
    final = ANSI.sub('', stream.getvalue()).replace('\r', '\n').strip().splitlines()[-1]
    assert re.fullmatch(r'━+ 3/3 ETA 0:00:00 bob not graded: not a folder', final), final
    assert ANSI.sub('', stream.getvalue()).endswith('\n'), 'the shell prompt starts on a line of its own'


def test_a_submission_name_is_shown_as_it_is_never_as_markup():
    stream = io.StringIO()
    progress = Progress(stream, tty=True)
    progress(Tick('[red]mallory[/red]', 85, 85, '', 1, 2, 0.5))
    progress.close()
    assert '[red]mallory[/red] 85/85' in ANSI.sub('', stream.getvalue())


def test_elsewhere_each_submission_is_one_plain_line():
    stream = io.StringIO()
    progress = Progress(stream, tty=False)
    progress(Tick('alice', 75, 85, '', 3, 12, 6.0))
    progress.close()
    assert stream.getvalue() == '3/12 alice 75/85 (ETA 0:18)\n'


def test_grade_batch_on_a_terminal_draws_the_bar(tmp_path):
    """A real `grade batch` whose stderr is a terminal (a pty), as an instructor runs it."""
    for name in ('ann', 'ben'):
        shutil.copytree(ROOT / 'solutions', tmp_path / 'class' / name, ignore=shutil.ignore_patterns('__pycache__'))
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, '-m', 'grader', 'batch', str(tmp_path / 'class'), '--out',
                             str(tmp_path / 'out'), '--jobs', '1'], stdout=subprocess.PIPE, stderr=follower,
                            cwd=tmp_path, env={**os.environ, 'PYTHONPATH': str(ROOT), 'COLUMNS': '100'})
    os.close(follower)
    seen, deadline = b'', time.monotonic() + 120
    while time.monotonic() < deadline:
        if select.select([leader], [], [], 1.0)[0]:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the batch closed the terminal: it has finished
                break
            if not chunk:
                break
            seen += chunk
    stdout, _ = proc.communicate(timeout=60)
    os.close(leader)
    screen = ANSI.sub('', seen.decode('utf-8', 'replace'))
    assert proc.returncode == 0, stdout
    assert '2/2' in screen and re.search(r'ben \d+/\d+', screen) and 'ETA' in screen, screen
    assert b'Class summary: 2 submissions' in stdout
