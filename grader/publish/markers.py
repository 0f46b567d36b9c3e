"""Solution markers: the regions of a solution file that students write, and the stubs they become.

A region starts at a line `# BEGIN SOLUTION <exercise_id>: <what>` and ends at `# END SOLUTION`.
It becomes the region's `# STUB: <line>` lines, uncommented, when it has any (a data file such as a
TOML answers file), else `raise NotImplementedError("<exercise_id>: <what>")` at the marker's
indentation. The grader reads that `<exercise_id>:` prefix to tell "not implemented" from "blocked".
Everything outside the regions is kept as it is, so instructions go in comments above a marker.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

BEGIN = re.compile(r'^(?P<indent>[ \t]*)# BEGIN SOLUTION\b(?P<label>.*)$')
END = re.compile(r'^[ \t]*# END SOLUTION\b')
STUB = re.compile(r'^(?P<indent>[ \t]*)# STUB:(?: (?P<text>.*))?$')
LABEL = re.compile(r'^(?P<id>[A-Za-z_][A-Za-z0-9_]*)(?:: *(?P<what>.+))?$')


class MarkerError(ValueError):
    """A solution file whose markers do not pair up or say too little; names file:line."""


@dataclass(frozen=True)
class Region:
    """One marked region: lines [start, end] (0-based, markers included) and what replaces it."""

    exercise: str
    what: str
    start: int
    end: int
    stub: tuple[str, ...]  # the lines that replace the region, each ending in a newline


def regions(text: str, filename: str = '<solution>') -> list[Region]:
    """Every marked region of one file, in order; MarkerError on unpaired or unlabelled markers."""
    lines = text.splitlines(keepends=True)
    found: list[Region] = []
    open_at, label, indent, stub = -1, None, '', []
    for i, line in enumerate(lines):
        begin = BEGIN.match(line.rstrip('\r\n'))
        if begin:
            if open_at >= 0:
                raise MarkerError(f'{filename}:{i + 1}: BEGIN SOLUTION inside the region opened at line {open_at + 1}')
            label = LABEL.match(begin['label'].strip())
            if not label:
                raise MarkerError(f'{filename}:{i + 1}: BEGIN SOLUTION needs an exercise id, '
                                  f'as in `# BEGIN SOLUTION forward_ops: Value.__add__`')
            open_at, indent, stub = i, begin['indent'], []
        elif END.match(line):
            if open_at < 0:
                raise MarkerError(f'{filename}:{i + 1}: END SOLUTION without a BEGIN SOLUTION before it')
            found.append(_region(label, open_at, i, indent, stub, filename))
            open_at = -1
        elif open_at >= 0:
            comment = STUB.match(line.rstrip('\r\n'))
            if comment:
                stub.append(comment['indent'] + (comment['text'] or '') + '\n')
    if open_at >= 0:
        raise MarkerError(f'{filename}:{open_at + 1}: BEGIN SOLUTION is never closed by an END SOLUTION')
    return found


def _region(label: re.Match, start: int, end: int, indent: str, stub: list[str], filename: str) -> Region:
    exercise, what = label['id'], (label['what'] or '').strip()
    if not stub:
        if not what:
            raise MarkerError(f'{filename}:{start + 1}: say what the student writes, as in '
                              f'`# BEGIN SOLUTION {exercise}: Value.__add__`, or give `# STUB:` lines')
        stub = [f'{indent}raise NotImplementedError({_quoted(f"{exercise}: {what}")})\n']
    return Region(exercise, what, start, end, tuple(stub))


def _quoted(message: str) -> str:
    return '"' + message.replace('\\', '\\\\').replace('"', '\\"') + '"'


def stub_text(text: str, filename: str = '<solution>', only: set[str] | None = None) -> str:
    """The file with its regions replaced by their stubs (only those of the exercises in `only`, if given)."""
    lines = text.splitlines(keepends=True)
    out: list[str] = []
    done = 0
    for r in regions(text, filename):
        out.extend(lines[done:r.start])
        if only is None or r.exercise in only:
            out.extend(r.stub)
        else:
            out.extend(line for line in lines[r.start + 1:r.end] if not STUB.match(line.rstrip('\r\n')))
        done = r.end + 1
    out.extend(lines[done:])
    return ''.join(out)
