"""The lecture's training loop on the reference engine, from given weights, with or without a known mistake.

The training checks judge a student's train() by the weights it ends with: these are what a real
loop ends with from the same start.
"""
from __future__ import annotations

import random

from grader.checking import close
from grader.sandbox.probe_functions import XS, YS, set_params, structure
from micrograd_ref.engine import Value
from micrograd_ref.nn import MLP

Weights = list[list[list[float]]]  # by layer, neuron, then the neuron's weights and its bias

STEPS, LR = 20, 0.1
SHAPE = [[3] * 4, [4] * 4, [4]]  # the inputs of each neuron of MLP(3, [4, 4, 1])


def reference_loss(ypred: list, mean: bool = False) -> Value:
    """The lecture's loss: the sum (or mean) of squared errors against its targets."""
    loss = sum((yout - ygt) ** 2 for ygt, yout in zip(YS, ypred))
    return loss * (1 / len(ypred)) if mean else loss


def starting_weights(seed: int) -> Weights:
    """The weights MLP(3, [4, 4, 1]) draws after random.seed(seed), by position."""
    rng = random.Random(seed)
    return [[[rng.uniform(-1, 1) for _ in range(nin + 1)] for nin in layer] for layer in SHAPE]


def model_with(weights: Weights) -> MLP:
    """The reference MLP(3, [4, 4, 1]) holding these weights."""
    model = MLP(3, [4, 4, 1])
    set_params(structure(model), weights)
    return model


def loss_of(weights: Weights) -> float:
    """The lecture's loss of the model with these weights, computed by the reference engine."""
    return reference_loss([model_with(weights)(x) for x in XS]).data


def replay(initial: Weights, zero_grad: bool = True, sign: float = -1.0, mean: bool = False,
           update: bool = True) -> tuple[list[float], Weights]:
    """The lecture's loop on the reference engine: each step's loss, and the weights it ends with."""
    model = model_with(initial)
    losses = []
    for _ in range(STEPS):
        loss = reference_loss([model(x) for x in XS], mean)
        if zero_grad:
            model.zero_grad()
        loss.backward()
        for p in model.parameters() if update else []:
            p.data += sign * LR * p.grad
        losses.append(loss.data)
    return losses, [[[p.data for p in n] for n in layer] for layer in structure(model)]


MISTAKES = [('no_zero_grad', {'zero_grad': False}), ('wrong_update_sign', {'sign': 1.0}),
            ('loss_is_mean', {'mean': True}), ('zero_grad_after_backward', {'update': False})]


def flat(weights: Weights) -> list[float]:
    """Every weight, in order."""
    return [w for layer in weights for n in layer for w in n]


def trained(initial: Weights, final: Weights) -> bool:
    """The final weights are what a real loop gives from this start: the lecture's, or a known variant of it."""
    return any(all(map(close, flat(replay(initial, **how)[1]), flat(final))) for how in [{}] + [h for _, h in MISTAKES])
