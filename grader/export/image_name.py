"""Container image names as Docker reads them: `[host[:port]/]path[:tag][@digest]`, the path in lowercase."""
from __future__ import annotations

import re

COMPONENT = r'[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*'
HOST_PART = r'(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])'
HOST = re.compile(rf'(?:{HOST_PART}(?:\.{HOST_PART})*|\[[0-9A-Fa-f:]+\])(?::[0-9]+)?')
PATH = re.compile(rf'{COMPONENT}(?:/{COMPONENT})*')
TAG = re.compile(r'[\w][\w.-]{0,127}')
DIGEST = re.compile(r'[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,}')
MAX_NAME = 255  # Docker's limit on the name without its tag


def image_problem(image: str) -> str:
    """Why Docker would refuse this image name (for `docker build -t` or `docker pull`), or ''."""
    name, _, digest = image.partition('@')
    slash = name.rfind('/')
    colon = name.rfind(':')
    name, tag = (name[:colon], name[colon + 1:]) if colon > slash else (name, '')
    first, _, rest = name.partition('/')
    host, path = (first, rest) if rest and (any(c in first for c in '.:') or first == 'localhost') else ('', name)
    if digest and not DIGEST.fullmatch(digest):
        return f'the digest after @ must look like sha256:<64 hex digits>, not {digest!r}'
    if colon > slash and not TAG.fullmatch(tag):
        return 'a tag is 1 to 128 letters, digits, _, . and -, and does not start with . or -'
    if host and not HOST.fullmatch(host):
        return f'{host!r} is not a registry host such as ghcr.io or localhost:5000'
    if len(name) > MAX_NAME:
        return f'the name is longer than {MAX_NAME} characters'
    if not PATH.fullmatch(path):
        if PATH.fullmatch(path.lower()):
            return f'Docker takes only lowercase repository names ({path.lower()!r}, not {path!r})'
        return ('a repository name is lowercase letters and digits, separated by /, and by single . or _, '
                'double _ or runs of -')
    return ''
