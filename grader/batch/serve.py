"""A batch grading process: grades the folder named in each JSON request line, answering one JSON line each.

It is started with `python -I`, stays up for many submissions (importing pytest and Hypothesis once
is a third of the cost of grading), and never runs student code itself: grade() keeps that in a
fresh sandbox child for every submission.
"""
from __future__ import annotations

import dataclasses
import json
import os
import signal
import sys
from pathlib import Path


def main() -> None:
    """Serve requests from stdin until it closes; the limits are the JSON object in argv[1]."""
    from grader.grading import grade
    from grader.sandbox.limits import Limits

    limits = Limits(**json.loads(sys.argv[1]))
    # The batch stops this process with SIGINT, which a batch started with SIGINT ignored (nohup) would
    # pass on as ignored; in a session of its own, no terminal's Ctrl-C reaches it anyway.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    replies = os.fdopen(os.dup(1), 'w', encoding='utf-8')
    os.dup2(2, 1)  # anything else that prints goes to stderr, never into a reply
    for line in sys.stdin:
        folder = json.loads(line)
        try:
            reply = {'folder': folder, 'report': dataclasses.asdict(grade(Path(folder), None, limits))}
        except Exception as e:  # one submission's failure is its own reply, and the next one is served
            reply = {'folder': folder, 'error': f'{type(e).__name__}: {e}'[:500]}
        replies.write(json.dumps(reply) + '\n')
        replies.flush()
