"""`grade export image | prairielearn`: the grading image's build context, and PrairieLearn's external-grader setup."""
from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path

from grader import catalog
from grader.atomic import write_atomic
from grader.export.gradescope import EXECUTABLE, PLAIN, SOURCE_DIR
from grader.export.image_name import image_problem
from grader.export.source import grader_source, template

ENTRYPOINT = '/usr/local/bin/grade-prairielearn'  # where the Containerfile installs the entry script
SCRIPTS = ('setup.sh', 'run_autograder', 'grade-prairielearn')
CONTAINERFILE = 'Containerfile'  # podman finds it by this name; docker build needs `-f Containerfile`
MAX_TIMEOUT = 600  # PrairieLearn's own ceiling
GRADER_MARGIN = 15  # seconds the grader needs beyond the student's bound: start, pytest, results
# A correct submission grades in about a second, but each check that runs out of time costs its own bound
# (5 s): fifteen seconds let three of them be reported. That is PrairieLearn's default timeout of 30 s.
MIN_SUBMISSION_SECONDS = 15
MIN_TIMEOUT = GRADER_MARGIN + MIN_SUBMISSION_SECONDS


def context_files() -> dict[str, tuple[bytes, int]]:
    """Path -> (bytes, permission bits): the Containerfile, the entry scripts and the grader's source."""
    files = {CONTAINERFILE: (template('Containerfile').encode(), PLAIN)}
    files.update({name: (template(name).encode(), EXECUTABLE) for name in SCRIPTS})
    files.update({f'{SOURCE_DIR}/{path}': (data, PLAIN) for path, data in grader_source().items()})
    files['README.md'] = (template('image.md').encode(), PLAIN)
    return files


def external_grading_options(image: str, timeout: int, exercises: list[str]) -> dict:
    """info.json's externalGradingOptions: the image, the entry script, the timeout, and no network."""
    if timeout > MAX_TIMEOUT:
        raise ValueError(f'a timeout of {timeout} s is more than PrairieLearn allows: give at most {MAX_TIMEOUT} s')
    if timeout < MIN_TIMEOUT:
        raise ValueError(f'a timeout of {timeout} s leaves the student\'s code {max(0, timeout - GRADER_MARGIN)} s, once '
                         f'the grader has its {GRADER_MARGIN} s to start and write the results: give at least '
                         f'{MIN_TIMEOUT} s, so that a check that runs out of time is still reported')
    problem = image_problem(image)
    if problem:
        raise ValueError(f'{image!r} is not an image name Docker accepts: {problem}. Name it as in you/micrograd-grader:1')
    for exercise in exercises:
        catalog.get(exercise)  # UnknownExercise names the close ones
    seconds = timeout - GRADER_MARGIN  # the grader stops the student's code before PrairieLearn stops it
    entrypoint = ' '.join([ENTRYPOINT, '--submission-seconds', str(seconds), *exercises])
    return {'externalGradingOptions': {'enabled': True, 'image': image, 'entrypoint': entrypoint,
                                       'timeout': timeout, 'enableNetworking': False}}


def prairielearn_files(image: str, timeout: int, exercises: list[str]) -> dict[str, tuple[bytes, int]]:
    """The image's build context, with the info.json fragment and PrairieLearn's guide as its README."""
    options = external_grading_options(image, timeout, exercises)
    files = context_files()
    files['info.json'] = (json.dumps(options, indent=2).encode() + b'\n', PLAIN)
    info = textwrap.indent(json.dumps(options, indent=2), '   ')
    guide = template('prairielearn.md').replace('@IMAGE@', image).replace('@INFO@', info)
    files['README.md'] = (guide.encode(), PLAIN)
    return files


def write_folder(out: Path, files: dict[str, tuple[bytes, int]]) -> list[str]:
    """Write the files into `out`, which must be new or empty; returns their paths, sorted."""
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise FileExistsError(f'{out} already exists and is not empty: choose a new folder')
    for name, (data, mode) in sorted(files.items()):
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, data)
        os.chmod(path, mode)
    return sorted(files)
