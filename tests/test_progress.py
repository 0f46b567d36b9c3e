"""The batch's progress bar, as it shows on a real terminal, and its plain lines elsewhere."""
import io
import os
import pty
import re
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from grader.batch.progress import Progress, Tick
from interruptible import INTERRUPTIBLE

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


def test_a_submission_name_or_note_cannot_draw_on_the_terminal():
    """Names come from the class folder: an escape sequence or a line break is shown as its Python escape."""
    for tty in (True, False):
        stream = io.StringIO()
        progress = Progress(stream, tty=tty)
        progress(Tick('evil\x1b[2J\x1b[Hname', 85, 85, '', 1, 2, 0.5))
        progress(Tick('two\nlines\r', 0, 85, 'not a folder\x1b[31m\nforged', 2, 2, 1.0))
        progress.close()
        shown = ANSI.sub('', stream.getvalue().replace('\x1b[2J', '<CLEAR>'))
        assert '<CLEAR>' not in shown and '\x1b[H' not in stream.getvalue(), repr(stream.getvalue())
        assert 'evil\\x1b[2J\\x1b[Hname 85/85' in shown and 'two\\nlines\\r not graded: not a folder forged' in shown, shown


def screen(output: str) -> list[str]:
    """What a terminal shows after `output`: the cursor moves, line erases and carriage returns rich uses, applied."""
    lines, row, col = [''], 0, 0
    for token in re.findall(r'\x1b\[[0-9;?]*[A-Za-z]|\r|\n|[^\x1b\r\n]', output):
        if token == '\r':
            col = 0
        elif token == '\n':
            row, col = row + 1, 0
        elif token.startswith('\x1b['):
            kind, number = token[-1], (token[2:-1].lstrip('?') or '1').split(';')[0]
            if kind == 'A':
                row = max(0, row - int(number))
            elif kind == 'K':
                lines[row] = '' if number == '2' else lines[row][:col]
            elif kind == 'G':
                col = int(number) - 1
            continue
        else:
            lines[row] = lines[row][:col].ljust(col) + token + lines[row][col + 1:]
            col += 1
        lines += [''] * (row + 1 - len(lines))
    return [line.rstrip() for line in lines]


def test_after_ctrl_c_the_summary_is_not_drawn_under_a_stale_bar(tmp_path):
    """A real `grade batch` with stdout and stderr on one terminal, as an instructor runs it, interrupted mid-class."""
    klass = tmp_path / 'class'
    for name in ('a', 'b', 'c'):
        (klass / name).mkdir(parents=True)
        (klass / name / 'derivatives.py').write_text('import time\ntime.sleep(1)\n' +
                                                     (ROOT / 'solutions' / 'derivatives.py').read_text())
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, '-m', 'grader', 'batch', str(klass), '--out', str(tmp_path / 'out'),
                             '--jobs', '1', '--allow-unisolated'], stdout=follower, stderr=follower, cwd=tmp_path,
                            env={**os.environ, 'PYTHONPATH': str(ROOT), 'COLUMNS': '100'}, **INTERRUPTIBLE)
    os.close(follower)
    seen, deadline, sent = b'', time.monotonic() + 120, False
    while time.monotonic() < deadline:
        if not sent and b'1/3' in seen:
            time.sleep(0.3)  # b is being graded
            proc.send_signal(signal.SIGINT)
            sent = True
        if select.select([leader], [], [], 0.5)[0]:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        elif proc.poll() is not None:
            break
    proc.wait(timeout=60)
    os.close(leader)
    shown = screen(seen.decode('utf-8', 'replace'))
    assert sent and proc.returncode == 130, shown
    start = next(i for i, line in enumerate(shown) if line.startswith('Class summary'))
    assert not [line for line in shown[:start] if line], f'left above the summary: {shown[:start]}'
    assert any(line.startswith('Interrupted: 2 not graded yet') for line in shown[start:]), shown
