"""`grade export image | prairielearn`: the grading image's build context, and PrairieLearn's external-grader setup."""
from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path

from grader import catalog
from grader.atomic import write_atomic
from grader.export.gradescope import EXECUTABLE, PLAIN, SOURCE_DIR
from grader.export.source import grader_source, template

ENTRYPOINT = '/usr/local/bin/grade-prairielearn'  # where the Containerfile installs the entry script
SCRIPTS = ('setup.sh', 'run_autograder', 'grade-prairielearn')
CONTAINERFILE = 'Containerfile'  # podman finds it by this name; docker build needs `-f Containerfile`
MAX_TIMEOUT = 600  # PrairieLearn's own ceiling
GRADER_MARGIN = 15  # seconds the grader needs beyond the student's bound: start, pytest, results


def context_files() -> dict[str, tuple[bytes, int]]:
    """Path -> (bytes, permission bits): the Containerfile, the entry scripts and the grader's source."""
    files = {CONTAINERFILE: (template('Containerfile').encode(), PLAIN)}
    files.update({name: (template(name).encode(), EXECUTABLE) for name in SCRIPTS})
    files.update({f'{SOURCE_DIR}/{path}': (data, PLAIN) for path, data in grader_source().items()})
    files['README.md'] = (template('image.md').encode(), PLAIN)
    return files


def external_grading_options(image: str, timeout: int, exercises: list[str]) -> dict:
    """info.json's externalGradingOptions: the image, the entry script, the timeout, and no network."""
    if not 1 <= timeout <= MAX_TIMEOUT:
        raise ValueError(f'the timeout must be between 1 and {MAX_TIMEOUT} seconds (PrairieLearn allows no more)')
    if not image or any(c.isspace() or c == '"' for c in image):
        raise ValueError(f'{image!r} is not an image name such as you/micrograd-grader:1')
    for exercise in exercises:
        catalog.get(exercise)  # UnknownExercise names the close ones
    seconds = max(1, timeout - GRADER_MARGIN)  # the grader stops the student's code before PrairieLearn stops it
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
