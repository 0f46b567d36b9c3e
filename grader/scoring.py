"""The scoring rule: each check earns its weight's share of its exercise's points, unless the exercise is all-or-nothing."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from grader.results import CheckResult


def rounded(points: float) -> float:
    """Points rounded to 2 decimals; a whole number comes back as an int, so it reads 5, never 5.0."""
    value = round(float(points), 2)
    return int(value) if value.is_integer() else value


def shown(points: float) -> str:
    """Points as a student reads them: 4.5, 5, 3.33."""
    return str(rounded(points))


def checks_by_name(checks: list[CheckResult]) -> dict[str, list[CheckResult]]:
    """The checks grouped by name: a check run on several inputs is one check, in the order first seen."""
    groups: dict[str, list[CheckResult]] = {}
    for c in checks:
        groups.setdefault(c.name, []).append(c)
    return groups


def earned(max_points: float, checks: list[CheckResult], all_or_nothing: bool = False) -> float:
    """What these checks earn of max_points: a check passes only on every input, and earns its weight's share."""
    groups = list(checks_by_name(checks).values())
    total = sum(g[0].weight for g in groups)
    if not groups or total <= 0:
        return 0
    passing = sum(g[0].weight for g in groups if all(c.passed for c in g))
    if all_or_nothing:
        return rounded(max_points) if passing == total else 0
    return rounded(max_points * passing / total)
