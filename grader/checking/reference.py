"""The reference side of a probe: micrograd_ref, and simulations of known mistakes on top of it."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import micrograd_ref.engine
import micrograd_ref.nn
from grader.sandbox import probes

MODULES = {'engine': micrograd_ref.engine, 'nn': micrograd_ref.nn}


def load(name: str):
    return MODULES[name]


@dataclass(frozen=True)
class RuleMistake:
    """A wrong local backward rule for one op, as a student would write it."""

    misconception: str
    op: str  # the reference node's _op that the mistake lives in: '+', '*', 'tanh', ... ('**' for every power)
    local: Callable | None = None  # (node, i) -> the wrong local derivative of child i
    assign: bool = False  # `=` instead of `+=`
    no_chain: bool = False  # forgot `* out.grad`

    def applies(self, v) -> bool:
        return v._op == self.op or (self.op == '**' and v._op.startswith('**'))


def _power(v) -> float:
    return float(v._op[2:])


# The ops of derived_ops and softmax, for a student who gives them a _backward of their own.
DERIVED_OPS = ('ReLU', 'log', 'neg', '-', '/')
RULE_MISTAKES = [
    RuleMistake('assign_not_accumulate', op, assign=True) for op in ('+', '*', '**', 'exp', 'tanh')
] + [
    RuleMistake('no_chain_rule', op, no_chain=True) for op in ('+', '*', '**', 'exp', 'tanh')
] + [
    RuleMistake('assign_not_accumulate', op, assign=True) for op in DERIVED_OPS
] + [
    RuleMistake('no_chain_rule', op, no_chain=True) for op in DERIVED_OPS
] + [
    RuleMistake('mul_wrong_factor', '*', local=lambda v, i: v._prev[i].data),
    RuleMistake('tanh_uses_input', 'tanh', local=lambda v, i: 1 - v._prev[0].data ** 2),
    RuleMistake('tanh_one_minus_t', 'tanh', local=lambda v, i: 1 - v.data),
    RuleMistake('tanh_square_of_one_minus_t', 'tanh', local=lambda v, i: (1 - v.data) ** 2),
    RuleMistake('exp_uses_input', 'exp', local=lambda v, i: v._prev[0].data),
    RuleMistake('pow_missing_n_minus_one', '**', local=lambda v, i: _power(v) * v._prev[0].data ** _power(v)),
    RuleMistake('pow_missing_coefficient', '**', local=lambda v, i: v._prev[0].data ** (_power(v) - 1)),
]


def apply_rule(v, mistake: RuleMistake | None = None) -> None:
    """One node's backward step, as the student's _backward would do it."""
    wrong = mistake is not None and mistake.applies(v)
    for i, (child, local) in enumerate(zip(v._prev, v._local)):
        if wrong and mistake.local:
            local = mistake.local(v, i)
        share = local if wrong and mistake.no_chain else local * v.grad
        if wrong and mistake.assign:
            child.grad = share
        else:
            child.grad += share


def topo(root) -> list:
    return probes.topo_order(root)


def hooks(mistake: RuleMistake | None = None) -> dict:
    """The probe hooks for the reference engine, optionally with one wrong local rule."""
    def drive(root):
        order = topo(root)
        root.grad = 1.0
        for v in reversed(order):
            apply_rule(v, mistake)

    def local(node, grad):
        node.grad = grad
        apply_rule(node, mistake)

    def backward(root, nodes):
        drive(root)
        return []

    return {'drive': drive, 'local': local, 'backward': backward}


REFERENCE_HOOKS = hooks()


def run(probe: str, args: dict, hooks_: dict = REFERENCE_HOOKS) -> object:
    """Run a probe against the reference engine, in this process."""
    return probes.run(probe, args, load, hooks_)
