"""The bounds a submission runs under, checked when they are made, and sizes as people write them."""
from __future__ import annotations

import re
from dataclasses import dataclass

from grader.sandbox.isolation import CHOICES

MIN_MEMORY = 64 << 20  # below this the interpreter itself cannot start
MIN_DISK = 1 << 20
MAX_SIZE = 1 << 40  # 1T: more than any machine here gives, and still a number the kernel's limits take
UNITS = {'': 1, 'B': 1, 'K': 1 << 10, 'M': 1 << 20, 'G': 1 << 30, 'T': 1 << 40}


@dataclass(frozen=True)
class Limits:
    """Bounds enforced from the parent and by the kernel on everything the student's code does."""

    check_seconds: float = 5.0
    submission_seconds: float = 120.0
    memory_bytes: int = 1 << 30
    output_bytes: int = 1 << 20
    disk_bytes: int = 64 << 20  # what the code may write, in its copy and in /tmp, and the largest file
    isolation: str = 'auto'  # auto, namespaces, uid or none
    reply_bytes: int = 8 << 20  # one answer from the child
    submission_reply_bytes: int = 64 << 20  # all the answers for one submission

    def __post_init__(self) -> None:
        for name in ('check_seconds', 'submission_seconds'):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or not 0 < value <= 86400:
                raise LimitError(name, f'must be a number of seconds above 0 and at most a day, not {value!r}')
        if not isinstance(self.memory_bytes, int) or self.memory_bytes < MIN_MEMORY:
            raise LimitError('memory_bytes', f'must be at least {format_size(MIN_MEMORY)} (Python needs that much '
                                             f'to start), not {_size_or_repr(self.memory_bytes)}')
        for name, low in (('memory_bytes', MIN_MEMORY), ('output_bytes', 0), ('disk_bytes', MIN_DISK),
                          ('reply_bytes', 1 << 16), ('submission_reply_bytes', 1 << 16)):
            value = getattr(self, name)
            if not isinstance(value, int) or value < low:
                raise LimitError(name, f'must be at least {format_size(low)}, not {_size_or_repr(value)}')
            if value > MAX_SIZE:
                raise LimitError(name, f'must be at most {format_size(MAX_SIZE)}, not {_size_or_repr(value)}')
        if self.isolation not in CHOICES:
            raise LimitError('isolation', f'must be one of {", ".join(CHOICES)}, not {self.isolation!r}')


class LimitError(ValueError):
    """A limit with a value that cannot work; `field` names which."""

    def __init__(self, field: str, message: str):
        super().__init__(f'{field} {message}')
        self.field = field
        self.message = message


def parse_size(text: str) -> int:
    """'1G', '512M', '64k', '1048576' -> bytes (units are powers of 1024)."""
    match = re.fullmatch(r'\s*(\d+(?:\.\d+)?)\s*([BKMGT]?)(?:i?B)?\s*', str(text), re.IGNORECASE)
    if not match:
        raise ValueError(f'{text!r} is not a size: write a number of bytes, or one with a unit such as 512M or 1G')
    return int(float(match.group(1)) * UNITS[match.group(2).upper()])


def format_size(n: int, exact: bool = True) -> str:
    """Bytes the way parse_size reads them back: 1 GiB -> '1G'; or rounded (37.2M) when not exact."""
    for unit in 'TGMK':
        if n >= UNITS[unit] and (not exact or n % UNITS[unit] == 0):
            return f'{n // UNITS[unit]}{unit}' if n % UNITS[unit] == 0 else f'{n / UNITS[unit]:.1f}{unit}'
    return str(n)


def _size_or_repr(value: object) -> str:
    return format_size(value) if isinstance(value, int) else repr(value)
