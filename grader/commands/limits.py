"""The limit options shared by every command that grades: one decorator that passes a `Limits`."""
from __future__ import annotations

import functools
from typing import Callable

import click

from grader.sandbox.isolation import CHOICES
from grader.sandbox.limits import LimitError, Limits, format_size, parse_size

DEFAULT = Limits()
OPTION_OF = {'check_seconds': '--check-seconds', 'submission_seconds': '--submission-seconds',
             'memory_bytes': '--memory', 'output_bytes': '--output-cap', 'disk_bytes': '--disk',
             'isolation': '--isolation'}


class Size(click.ParamType):
    """A number of bytes, written as 1048576, 512M or 1G."""

    name = 'size'

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        try:
            return parse_size(str(value))
        except ValueError as e:
            self.fail(str(e), param, ctx)


OPTIONS = [
    click.option('--check-seconds', type=float, default=DEFAULT.check_seconds, show_default=True,
                 help='Wall-clock bound for one hidden check.'),
    click.option('--submission-seconds', type=float, default=DEFAULT.submission_seconds, show_default=True,
                 help='Wall-clock bound for all the checks of one submission.'),
    click.option('--memory', default=format_size(DEFAULT.memory_bytes), type=Size(), show_default=True,
                 help="Memory the student's code may use (its address space), such as 512M or 2G."),
    click.option('--output-cap', default=format_size(DEFAULT.output_bytes), type=Size(), show_default=True,
                 help="How much of what the student's code prints is kept; the rest is read and dropped."),
    click.option('--disk', default=format_size(DEFAULT.disk_bytes), type=Size(), show_default=True,
                 help="What the student's code may write to disk in all, and the largest file it may write."),
    click.option('--isolation', type=click.Choice(CHOICES), default=DEFAULT.isolation, show_default=True,
                 help='How the kernel isolates student code: namespaces (bubblewrap), uid (a fresh user in a '
                      'chroot, as root), none (feedback only), or auto for the strongest this machine allows.'),
]


def limit_options(command: Callable) -> Callable:
    """Add the limit options to a Click command, which then receives them as one `limits` argument."""
    @functools.wraps(command)
    def with_limits(*args, check_seconds: float, submission_seconds: float, memory: int, output_cap: int,
                    disk: int, isolation: str, **kwargs):
        try:
            limits = Limits(check_seconds, submission_seconds, memory, output_cap, disk, isolation)
        except LimitError as e:
            raise click.BadParameter(e.message, param_hint=OPTION_OF[e.field]) from None
        return command(*args, limits=limits, **kwargs)

    for option in reversed(OPTIONS):
        with_limits = option(with_limits)
    return with_limits
